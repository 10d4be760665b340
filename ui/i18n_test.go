package ui

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/dialbridge/dialbridge/i18n"
	"github.com/dialbridge/dialbridge/i18n/i18ntest"
	"github.com/dialbridge/dialbridge/i18n/sentence/sentencetest"
)

var update = flag.Bool("update", false, "rewrite ui.en.json from the source and the golden files from the windows")

func TestMain(m *testing.M) {
	// Tests read English unless they switch; the machine's locale must not
	// change what the golden files expect.
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"} {
		os.Setenv(v, "en")
	}
	if err := i18n.Load(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

// useLanguage switches the windows' language for one test, the way the
// environment does for the real program.
func useLanguage(t testing.TB, code string) {
	t.Helper()
	if code == "" {
		code = "en"
	}
	i18ntest.UseLanguage(t, code)
}

// sourceKey is one lang.X call in the source.
type sourceKey struct {
	key, english, where string
}

// sourceKeys finds every lang.X("key", "English") in this package.
func sourceKeys(t *testing.T) []sourceKey {
	t.Helper()
	var keys []sourceKey
	eachCall(t, func(call *ast.CallExpr, where string) {
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return
		}
		pkg, ok := sel.X.(*ast.Ident)
		if !ok || pkg.Name != "lang" {
			return
		}
		if sel.Sel.Name != "X" {
			t.Errorf("%s: use lang.X(key, English) so that the key is stable when the English changes", where)
			return
		}
		if len(call.Args) < 2 {
			t.Errorf("%s: lang.X needs a key and the English text", where)
			return
		}
		key, err1 := stringLit(call.Args[0])
		english, err2 := stringLit(call.Args[1])
		if err1 != nil || err2 != nil {
			t.Errorf("%s: lang.X's key and English text must be string literals, so that this test can check them", where)
			return
		}
		keys = append(keys, sourceKey{key, english, where})
	})
	return keys
}

// eachCall hands visit every call in this package's non-test files, with
// where it stands (file:line:column).
func eachCall(t *testing.T, visit func(call *ast.CallExpr, where string)) {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				visit(call, fset.Position(call.Pos()).String())
			}
			return true
		})
	}
}

func stringLit(e ast.Expr) (string, error) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", fmt.Errorf("not a string literal")
	}
	return strconv.Unquote(lit.Value)
}

func readTranslations(t *testing.T, code string) map[string]string {
	t.Helper()
	data, err := i18n.Files().ReadFile("translations/ui." + code + ".json")
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("ui.%s.json: %v", code, err)
	}
	return m
}

// TestEveryWordIsTranslated checks that every lang.X key in the windows is
// in ui.en.json with the English of the source and in ui.de.json, that the
// same key never means two things, and that the files carry no key the
// source no longer uses. With -update it rewrites ui.en.json.
func TestEveryWordIsTranslated(t *testing.T) {
	keys := sourceKeys(t)
	english := map[string]string{}
	for _, k := range keys {
		if prev, ok := english[k.key]; ok && prev != k.english {
			t.Errorf("%s: key %q has two English texts: %q and %q", k.where, k.key, prev, k.english)
		}
		english[k.key] = k.english
	}
	if *update {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(english); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("../i18n/translations/ui.en.json", buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Log("rewrote ui.en.json; rebuild to embed it")
		return
	}
	en := readTranslations(t, "en")
	de := readTranslations(t, "de")
	var missingDE []string
	for key, want := range english {
		if got, ok := en[key]; !ok || got != want {
			t.Errorf("ui.en.json: %q is %q, the source says %q (go test ./ui -run TestEveryWordIsTranslated -update)", key, got, want)
		}
		if strings.TrimSpace(de[key]) == "" {
			missingDE = append(missingDE, key)
		} else if placeholdersOf(de[key]) != placeholdersOf(want) {
			t.Errorf("ui.de.json: %q uses %s, the English uses %s", key, placeholdersOf(de[key]), placeholdersOf(want))
		}
	}
	sort.Strings(missingDE)
	if len(missingDE) > 0 {
		t.Errorf("ui.de.json lacks %d keys: %q", len(missingDE), missingDE)
	}
	for _, file := range []map[string]string{en, de} {
		for key := range file {
			if _, used := english[key]; !used {
				t.Errorf("translation key %q is not used by the windows any more", key)
			}
		}
	}
}

// placeholdersOf lists the {{.Name}} placeholders of a text, sorted, so
// that a translation may place them in another order.
func placeholdersOf(s string) string {
	return strings.Join(sentencetest.Placeholders(s), " ")
}

// TestNoLiteralWordsInWidgets fails when a window passes a string literal
// straight to a widget: every word a person sees must go through lang.X.
func TestNoLiteralWordsInWidgets(t *testing.T) {
	// Constructors and the position of their text argument.
	textArgs := map[string]int{
		"NewLabel": 0, "NewLabelWithStyle": 0, "NewButton": 0, "NewButtonWithIcon": 0,
		"NewCheck": 0, "NewCard": 0, "NewWindow": 0, "NewTabItem": 0, "NewTabItemWithIcon": 0,
		"SetText": 0, "SetPlaceHolder": 0, "heading": 0, "wrapped": 0, "captionLabel": 0,
	}
	// Texts that are no words: technical examples that read the same in
	// every language.
	allowed := map[string]bool{
		"": true, "–": true, "192.0.2.10": true, "192.0.2.0/24": true, "https://crm.example": true,
		"http://192.0.2.10": true, "101@pbx.example": true, "DE": true, "30": true, "0": true,
		"0900*": true, "+49 30 1234567": true, "admin": true, "00": true, "auto": true,
		"https://crm.example/call?nr=<$remote_party>&name=<$remote_alias>": true,
		"030 1234567": true, "ou=people,dc=example,dc=com": true, "ldaps://dir.example": true,
		"https://dav.example/addressbooks/me/contacts/": true, "https://crm.example/api/lookup?nr=<$remote_party>": true,
	}
	eachCall(t, func(call *ast.CallExpr, where string) {
		var fn string
		switch f := call.Fun.(type) {
		case *ast.SelectorExpr:
			fn = f.Sel.Name
		case *ast.Ident:
			fn = f.Name
		}
		i, ok := textArgs[fn]
		if !ok || i >= len(call.Args) {
			return
		}
		if s, err := stringLit(call.Args[i]); err == nil && !allowed[s] {
			t.Errorf("%s: %s(%q): put the words through lang.X", where, fn, s)
		}
	})
}
