package brands

import (
	"os/exec"
	"path"
	"slices"
	"strings"
	"testing"
)

// TestOnlyTheRegistryImportsBrandPackages keeps a brand in one folder: a
// package that needs a brand's behaviour asks the registry or one of the
// small capability interfaces in phone, so that adding a brand touches
// its own folder and this registry only. The brand packages are the
// registry's imports directly under phone/, except the helpers every
// brand shares. Tests may import a brand to reach its simulator's
// recordings; the link benchmark drives a Snom simulator on purpose.
func TestOnlyTheRegistryImportsBrandPackages(t *testing.T) {
	const module = "github.com/dialbridge/dialbridge/"
	shared := []string{"phone", "phone/phonehttp", "phone/phonesim"}
	allowed := []string{"phone/brands", "phone/brands/brandsim", "cmd/internal/linkbench"}

	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, "../../...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	imports := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		imports[strings.TrimPrefix(f[0], module)] = f[1:]
	}
	isBrand := map[string]bool{}
	for _, imp := range imports["phone/brands"] {
		p := strings.TrimPrefix(imp, module)
		if p != imp && path.Dir(p) == "phone" && !slices.Contains(shared, p) {
			isBrand[p] = true
		}
	}
	if len(isBrand) < 8 {
		t.Fatalf("found %d brand packages among the registry's imports, want every brand: %v", len(isBrand), isBrand)
	}
	for pkg, imps := range imports {
		if slices.Contains(allowed, pkg) || isBrand[pkg] {
			continue
		}
		for _, imp := range imps {
			if b := strings.TrimPrefix(imp, module); isBrand[b] {
				t.Errorf("%s imports the brand package %s; reach it through the registry or a capability in phone", pkg, b)
			}
		}
	}
}
