package config

import (
	"reflect"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
	"github.com/agnivade/levenshtein"
)

// nearestSetting names the setting an unknown one was most likely meant to
// be ("phone.keys.kye" → "phone.keys.key"): a setting of the same table
// whose name is at most two letters away. A typo in a key name is the most
// common reason for "unknown setting", and the name it lacks is what the
// person has to look up otherwise.
func nearestSetting(k toml.Key) string {
	if len(k) == 0 {
		return ""
	}
	table, name := strings.Join(k[:len(k)-1], "."), k[len(k)-1]
	best, bestDist := "", 3
	for _, known := range settingNames() {
		t, n := "", known
		if i := strings.LastIndexByte(known, '.'); i >= 0 {
			t, n = known[:i], known[i+1:]
		}
		if t != table {
			continue
		}
		if d := levenshtein.ComputeDistance(name, n); d < bestDist && d < len(name) {
			best, bestDist = known, d
		}
	}
	return best
}

// settingNames are the dotted names of every setting the file may hold, read
// from Config's toml tags so that they cannot fall behind it; a table of an
// array ([[phone.keys]]) is named without an index.
var settingNames = sync.OnceValue(func() []string {
	var out []string
	var walk func(t reflect.Type, prefix string)
	walk = func(t reflect.Type, prefix string) {
		for f := range t.Fields() {
			name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
			if name == "" || name == "-" || !f.IsExported() {
				continue
			}
			path := prefix + name
			out = append(out, path)
			ft := f.Type
			if ft.Kind() == reflect.Slice || ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct && ft.PkgPath() == t.PkgPath() {
				walk(ft, path+".")
			}
		}
	}
	walk(reflect.TypeFor[Config](), "")
	return out
})
