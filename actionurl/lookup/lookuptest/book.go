package lookuptest

import (
	"os"
	"path/filepath"
	"testing"
)

// Book writes vcf, a vCard address book, to contacts.vcf in a folder of
// its own that the test removes, and returns the file's path: the file
// source that the lookup's, the resident's and the windows' tests read.
func Book(t testing.TB, vcf string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "contacts.vcf")
	if err := os.WriteFile(path, []byte(vcf), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
