//go:build windows

package winreg

import (
	"errors"
	"fmt"

	"golang.org/x/sys/windows/registry"
)

// CurrentUser is the real HKEY_CURRENT_USER. Writing there needs no
// administrator rights, which is why dialbridge registers per user.
type CurrentUser struct{}

// SetString implements Registry.
func (CurrentUser) SetString(path, name, value string) error {
	k, _, err := registry.CreateKey(registry.CURRENT_USER, path, registry.SET_VALUE)
	if err != nil {
		return fmt.Errorf(`creating the registry key HKCU\%s: %w`, path, err)
	}
	defer k.Close()
	if err := k.SetStringValue(name, value); err != nil {
		return fmt.Errorf(`writing %q in HKCU\%s: %w`, name, path, err)
	}
	return nil
}

// GetString implements Registry.
func (CurrentUser) GetString(path, name string) (string, bool, error) {
	k, err := registry.OpenKey(registry.CURRENT_USER, path, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf(`opening HKCU\%s: %w`, path, err)
	}
	defer k.Close()
	v, _, err := k.GetStringValue(name)
	if errors.Is(err, registry.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf(`reading %q in HKCU\%s: %w`, name, path, err)
	}
	return v, true, nil
}

// DeleteValue implements Registry.
func (CurrentUser) DeleteValue(path, name string) error {
	k, err := registry.OpenKey(registry.CURRENT_USER, path, registry.SET_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf(`opening HKCU\%s: %w`, path, err)
	}
	defer k.Close()
	if err := k.DeleteValue(name); err != nil && !errors.Is(err, registry.ErrNotExist) {
		return fmt.Errorf(`deleting %q in HKCU\%s: %w`, name, path, err)
	}
	return nil
}

// DeleteTree implements Registry. registry.DeleteKey removes only keys
// without subkeys, so the subkeys go first.
func (c CurrentUser) DeleteTree(path string) error {
	k, err := registry.OpenKey(registry.CURRENT_USER, path, registry.ENUMERATE_SUB_KEYS)
	if errors.Is(err, registry.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf(`opening HKCU\%s: %w`, path, err)
	}
	subs, err := k.ReadSubKeyNames(-1)
	k.Close()
	if err != nil {
		return fmt.Errorf(`listing HKCU\%s: %w`, path, err)
	}
	for _, s := range subs {
		if err := c.DeleteTree(path + `\` + s); err != nil {
			return err
		}
	}
	if err := registry.DeleteKey(registry.CURRENT_USER, path); err != nil && !errors.Is(err, registry.ErrNotExist) {
		return fmt.Errorf(`deleting HKCU\%s: %w`, path, err)
	}
	return nil
}
