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

// A phrase of one side of Error: the names its parameters, variables and
// field go by in the drivers.
type side struct {
	what   string
	names  map[string]bool // parameters and variables
	field  string
	forms  []*form
	wanted int // at least this many, or the collector has lost its way
}

// Every phrase a driver writes as what it attempted (Error.Op: a
// parameter named op, a variable op, a field Op) or as a detail (Detail,
// a detail or hint, a brand's refusals by HTTP status) has a form with a
// translation, so that a new one cannot reach a German reader in English
// unnoticed. The phrases are read from the code: the literal words, with
// what is computed at run time as a part any form fills. A detail made
// only of the phone's own words (a SIP status line) has no words here.
func TestEveryOpAndDetailTheDriversWriteHasATranslation(t *testing.T) {
	files, fset := parseOpSources(t)
	for _, s := range []side{
		{"op", map[string]bool{"op": true}, "Op", opForms, 40},
		{"detail", map[string]bool{"detail": true, "hint": true}, "Detail", details, 25},
	} {
		found := collect(files, fset, s)
		if len(found) < s.wanted {
			t.Fatalf("found only %d phrases of %s; the collector has lost its way: %q", len(found), s.what, found)
		}
		for text, at := range found {
			if sentence.Of(phrase(s.forms, text)) == nil {
				t.Errorf("%s: the %s %q has no form in phone/say.go", at, s.what, strings.ReplaceAll(text, part, "…"))
			}
		}
	}
}

// parseOpSources are the files under opSources but tests.
func parseOpSources(t *testing.T) ([]*ast.File, *token.FileSet) {
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
	return files, fset
}

// collect are the phrases of side s the files write, each with where it
// was found.
func collect(files []*ast.File, fset *token.FileSet, s side) map[string]string {
	// Which argument of each function is the phrase, by name: drivers call
	// their own helpers and the phonehttp client's by method name.
	argOf := map[string]int{}
	for _, f := range files {
		for _, decl := range f.Decls {
			if fn, ok := decl.(*ast.FuncDecl); ok {
				if i := paramIndex(fn.Type.Params, s.names); i >= 0 {
					argOf[fn.Name.Name] = i
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
		consts := fileConsts(f) // for `op + " without digits"` and a named hint
		add := func(e ast.Expr) {
			if words, ok := words(e, consts); ok && strings.Trim(words, part) != "" {
				found[words] = fset.Position(e.Pos()).String()
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); outside && (!ok || !callsOutside[calleeName(call.Fun)]) {
				return true
			}
			switch n := n.(type) {
			case *ast.FuncDecl:
				// A constant op of one function is not another's.
				for name := range s.names {
					delete(consts, name)
				}
			case *ast.ValueSpec:
				for i, name := range n.Names {
					if i < len(n.Values) {
						if w, ok := words(n.Values[i], consts); ok {
							consts[name.Name] = w
						}
						if s.names[name.Name] {
							add(n.Values[i])
						}
					}
				}
			case *ast.AssignStmt:
				for i, lhs := range n.Lhs {
					if id, ok := lhs.(*ast.Ident); ok && s.names[id.Name] && i < len(n.Rhs) {
						add(n.Rhs[i])
					}
				}
			case *ast.KeyValueExpr:
				if id, ok := n.Key.(*ast.Ident); ok && id.Name == s.field {
					add(n.Value)
				}
			case *ast.CompositeLit:
				if sel, ok := n.Type.(*ast.SelectorExpr); ok && sel.Sel.Name == "Refusals" && s.field == "Detail" {
					for _, elt := range n.Elts {
						add(elt.(*ast.KeyValueExpr).Value)
					}
				}
			case *ast.CallExpr:
				name, ok := callee(n.Fun, foreign)
				if i, has := argOf[name]; ok && has && i < len(n.Args) {
					add(n.Args[i])
				}
			}
			return true
		})
	}
	return found
}

// paramIndex is the index of the first parameter with one of names, -1
// for none.
func paramIndex(params *ast.FieldList, names map[string]bool) int {
	i := 0
	for _, field := range params.List {
		for _, name := range field.Names {
			if names[name.Name] {
				return i
			}
			i++
		}
		if len(field.Names) == 0 {
			i++
		}
	}
	return -1
}

// fileConsts are the string constants f declares at its top, by name.
func fileConsts(f *ast.File) map[string]string {
	consts := map[string]string{}
	for _, decl := range f.Decls {
		if gen, ok := decl.(*ast.GenDecl); ok && gen.Tok == token.CONST {
			for _, spec := range gen.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if i < len(vs.Values) {
						if w, ok := words(vs.Values[i], consts); ok {
							consts[name.Name] = w
						}
					}
				}
			}
		}
	}
	return consts
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

// words are the phrase e writes: its literal words, a constant's words, a
// part for anything computed; fmt.Sprintf of a known format fills its
// verbs with parts. False when e has no words of its own (a variable
// passed on, the phone's own text).
func words(e ast.Expr, consts map[string]string) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		s, err := strconv.Unquote(e.Value)
		return s, err == nil && e.Kind == token.STRING
	case *ast.BinaryExpr:
		l, lok := words(e.X, consts)
		r, rok := words(e.Y, consts)
		if !lok && !rok {
			return "", false
		}
		return orPart(l, lok) + orPart(r, rok), true
	case *ast.Ident:
		w, ok := consts[e.Name]
		return w, ok
	case *ast.CallExpr:
		if sel, ok := e.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Sprintf" && len(e.Args) > 0 {
			if format, ok := words(e.Args[0], consts); ok {
				for _, verb := range []string{"%s", "%d", "%v", "%q"} {
					format = strings.ReplaceAll(format, verb, part)
				}
				return format, true
			}
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
