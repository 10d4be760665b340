package display

import (
	"testing"

	"github.com/dialbridge/dialbridge/phone/display/displaytest"
)

// fuzzCheck runs check on every input, seeded with the hostile corpus on
// top of testdata/fuzz/<target>.
func fuzzCheck(f *testing.F, check func(string) error) {
	for _, s := range displaytest.Load(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if err := check(s); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	})
}

func FuzzName(f *testing.F)             { fuzzCheck(f, checkName) }
func FuzzNotificationBody(f *testing.F) { fuzzCheck(f, checkNotificationBody) }
func FuzzToastBody(f *testing.F)        { fuzzCheck(f, checkToast) }
func FuzzXML(f *testing.F)              { fuzzCheck(f, checkXML) }
func FuzzSIPDisplayName(f *testing.F)   { fuzzCheck(f, checkSIP) }
func FuzzMenuLabel(f *testing.F)        { fuzzCheck(f, checkMenu) }
func FuzzLogText(f *testing.F)          { fuzzCheck(f, checkLog) }
func FuzzOrigin(f *testing.F)           { fuzzCheck(f, checkOrigin) }
