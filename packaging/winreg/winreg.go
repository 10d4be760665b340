// Package winreg is the small part of the Windows registry that dialbridge
// writes for one user (HKEY_CURRENT_USER): URL-protocol keys, the
// RegisteredApplications capabilities and the Run key. Registration logic
// is written against the Registry interface, so it is tested on any OS
// with Memory; CurrentUser (Windows only) is the real registry.
package winreg

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Registry is HKEY_CURRENT_USER. Paths are backslash-separated key paths
// below it, e.g. `Software\Classes\tel`; the value name "" is a key's
// (Default) value.
type Registry interface {
	// SetString sets a string value, creating the key and its parents.
	SetString(path, name, value string) error
	// GetString reads a string value; ok is false when the key or the
	// value does not exist.
	GetString(path, name string) (value string, ok bool, err error)
	// DeleteValue removes one value; a missing key or value is no error.
	DeleteValue(path, name string) error
	// DeleteTree removes a key with all its subkeys; a missing key is no
	// error.
	DeleteTree(path string) error
}

// Memory is a Registry held in memory: for tests, and to show what
// registration would write (String) without touching a real registry.
// Key names compare case-insensitively, as Windows does.
type Memory struct {
	mu   sync.Mutex
	keys map[string]map[string]value // lower-case path -> lower-case value name -> value
	name map[string]string           // lower-case path -> path as first written
}

// value is one registry value with its name as written.
type value struct{ name, data string }

// NewMemory returns an empty registry.
func NewMemory() *Memory {
	return &Memory{keys: map[string]map[string]value{}, name: map[string]string{}}
}

func norm(path string) string { return strings.ToLower(strings.Trim(path, `\`)) }

// SetString implements Registry.
func (m *Memory) SetString(path, name, data string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if strings.Trim(path, `\`) == "" {
		return fmt.Errorf("winreg: an empty key path")
	}
	// Creating a key creates its parents, as RegCreateKeyEx does.
	parts := strings.Split(strings.Trim(path, `\`), `\`)
	for i := range parts {
		p := strings.Join(parts[:i+1], `\`)
		if _, ok := m.keys[norm(p)]; !ok {
			m.keys[norm(p)] = map[string]value{}
			m.name[norm(p)] = p
		}
	}
	m.keys[norm(path)][strings.ToLower(name)] = value{name, data}
	return nil
}

// GetString implements Registry.
func (m *Memory) GetString(path, name string) (string, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.keys[norm(path)][strings.ToLower(name)]
	return v.data, ok, nil
}

// DeleteValue implements Registry.
func (m *Memory) DeleteValue(path, name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.keys[norm(path)], strings.ToLower(name))
	return nil
}

// DeleteTree implements Registry.
func (m *Memory) DeleteTree(path string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	p := norm(path)
	for k := range m.keys {
		if k == p || strings.HasPrefix(k, p+`\`) {
			delete(m.keys, k)
			delete(m.name, k)
		}
	}
	return nil
}

// Exists reports whether a key exists.
func (m *Memory) Exists(path string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.keys[norm(path)]
	return ok
}

// String lists every value as `HKCU\path` name = "value", sorted, in the
// spirit of a .reg file: what a review or a golden file compares.
func (m *Memory) String() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var lines []string
	for k, vals := range m.keys {
		if len(vals) == 0 {
			lines = append(lines, fmt.Sprintf(`HKCU\%s`, m.name[k]))
		}
		for _, v := range vals {
			n := v.name
			if n == "" {
				n = "@"
			}
			lines = append(lines, fmt.Sprintf(`HKCU\%s %s = %q`, m.name[k], n, v.data))
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n") + "\n"
}
