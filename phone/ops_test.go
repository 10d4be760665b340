package phone

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/dialbridge/dialbridge/i18n/sentence"
)

// opSources are the trees whose code says what it attempted on a phone:
// the drivers, and the call service that refuses what a brand lacks.
var opSources = []string{".", "../actionurl/calls"}

// callsOutside are the functions whose op the code outside the drivers
// hands to a phone.Error; there "op" otherwise names a call-control verb
// ("hold"), which is no sentence.
var callsOutside = map[string]bool{"NotSupported": true, "capable": true}

// part stands for what a phrase fills in at run time (a number, a key).
const part = "\x00"

// Every phrase a driver writes as what it attempted (Error.Op: a
// parameter named op, a variable op, a field Op) has a form with a
// translation, so that a new one cannot reach a German reader in English
// unnoticed. The phrases are read from the code: the literal words, with
// what is computed at run time as a part any form fills.
func TestEveryOpTheDriversWriteHasATranslation(t *testing.T) {
	found := collectOps(t)
	if len(found) < 20 {
		t.Fatalf("found only %d phrases; the collector has lost its way: %q", len(found), found)
	}
	for op, at := range found {
		if sentence.Of(phrase(opForms, op)) == nil {
			t.Errorf("%s: %q has no form in phone/say.go", at, strings.ReplaceAll(op, part, "…"))
		}
	}
}

// collectOps are the phrases the code under opSources writes as an op,
// each with where it was found.
func collectOps(t *testing.T) map[string]string {
	t.Helper()
	fset := token.NewFileSet()
	var files []*ast.File
	for _, root := range opSources {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			files = append(files, f)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// Which argument of each function is its op, by name: drivers call
	// their own helpers and the phonehttp client's by method name.
	opArg := map[string]int{}
	for _, f := range files {
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok {
				continue
			}
			i := 0
			for _, field := range fn.Type.Params.List {
				for _, name := range field.Names {
					if name.Name == "op" {
						opArg[fn.Name.Name] = i
					}
					i++
				}
				if len(field.Names) == 0 {
					i++
				}
			}
		}
	}
	found := map[string]string{}
	for _, f := range files {
		foreign := map[string]bool{} // packages not dialbridge's: http.Error is no op
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			name := filepath.Base(path)
			if imp.Name != nil {
				name = imp.Name.Name
			}
			foreign[name] = !strings.HasPrefix(path, "github.com/dialbridge/")
		}
		outside := strings.HasPrefix(fset.Position(f.Pos()).Filename, "..")
		constOp := "" // the op constant in scope, for `op + " without digits"`
		add := func(e ast.Expr) {
			if words, ok := words(e, constOp); ok && strings.Trim(words, part) != "" {
				found[words] = fset.Position(e.Pos()).String()
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); outside && (!ok || !callsOutside[calleeName(call.Fun)]) {
				return true
			}
			switch n := n.(type) {
			case *ast.ValueSpec:
				for i, name := range n.Names {
					if name.Name == "op" && i < len(n.Values) {
						add(n.Values[i])
						constOp, _ = words(n.Values[i], "")
					}
				}
			case *ast.AssignStmt:
				for i, lhs := range n.Lhs {
					if id, ok := lhs.(*ast.Ident); ok && id.Name == "op" && i < len(n.Rhs) {
						add(n.Rhs[i])
					}
				}
			case *ast.KeyValueExpr:
				if id, ok := n.Key.(*ast.Ident); ok && id.Name == "Op" {
					add(n.Value)
				}
			case *ast.CallExpr:
				name, ok := callee(n.Fun, foreign)
				if i, has := opArg[name]; ok && has && i < len(n.Args) {
					add(n.Args[i])
				}
			}
			return true
		})
	}
	return found
}

// callee is the name of the function fun calls, false for one of a
// package that is not dialbridge's.
func callee(fun ast.Expr, foreign map[string]bool) (string, bool) {
	switch f := fun.(type) {
	case *ast.Ident:
		return f.Name, true
	case *ast.SelectorExpr:
		if x, ok := f.X.(*ast.Ident); ok && foreign[x.Name] {
			return "", false
		}
		if x, ok := f.X.(*ast.SelectorExpr); ok && x.Sel.Name == "Log" {
			return "", false // a logger's Error(msg, "error", err)
		}
		return f.Sel.Name, true
	case *ast.IndexExpr: // capable[T](...)
		return callee(f.X, foreign)
	}
	return "", false
}

// calleeName is the name fun calls, whoever's.
func calleeName(fun ast.Expr) string {
	name, _ := callee(fun, nil)
	return name
}

// words are the phrase e writes: its literal words, the op constant for
// the identifier op, a part for anything computed; false when e has no
// words of its own (a variable passed on).
func words(e ast.Expr, constOp string) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		s, err := strconv.Unquote(e.Value)
		return s, err == nil && e.Kind == token.STRING
	case *ast.BinaryExpr:
		l, lok := words(e.X, constOp)
		r, rok := words(e.Y, constOp)
		if !lok && !rok {
			return "", false
		}
		return orPart(l, lok) + orPart(r, rok), true
	case *ast.Ident:
		if e.Name == "op" && constOp != "" {
			return constOp, true
		}
	}
	return "", false
}

func orPart(s string, ok bool) string {
	if ok {
		return s
	}
	return part
}
