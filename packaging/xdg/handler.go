package xdg

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/dialbridge/dialbridge/packaging/run"
)

// Handler makes dialbridge the user's handler of URL schemes: a desktop
// entry under $XDG_DATA_HOME/applications whose Exec is this binary with
// %u, chosen as the default with xdg-mime (which knows each desktop's own
// way). Without xdg-utils it writes mimeapps.list itself, as xdg-mime
// would on a generic desktop.
type Handler struct {
	Dirs Dirs
	// Exe is the absolute path of the dialbridge binary for the Exec line.
	Exe string
	// Schemes are the URL schemes to handle, e.g. "tel".
	Schemes []string
	// Run runs xdg-mime and update-desktop-database.
	Run run.Func
}

func (h Handler) mimeTypes() []string {
	types := make([]string, len(h.Schemes))
	for i, s := range h.Schemes {
		types[i] = "x-scheme-handler/" + s
	}
	return types
}

func (h Handler) entryPath() string {
	return filepath.Join(h.Dirs.DataHome, "applications", DesktopID)
}

// Register writes the user's desktop entry and makes it the default for
// every scheme.
func (h Handler) Register(ctx context.Context) error {
	if !filepath.IsAbs(h.Exe) {
		return fmt.Errorf("the path of dialbridge must be absolute for the desktop entry, not %q", h.Exe)
	}
	kf, err := withExec(DesktopEntry, h.Exe)
	if err != nil {
		return err
	}
	kf.Set(entryGroup, "MimeType", strings.Join(h.mimeTypes(), ";")+";")
	if err := writeFile(h.entryPath(), kf.Bytes()); err != nil {
		return err
	}
	h.updateDatabase(ctx)
	args := append([]string{"default", DesktopID}, h.mimeTypes()...)
	if _, err := h.Run(ctx, "xdg-mime", args...); err != nil {
		if !errors.Is(err, exec.ErrNotFound) {
			return fmt.Errorf("choosing dialbridge for phone links: %w", err)
		}
		return h.setDefaults()
	}
	return nil
}

// setDefaults is `xdg-mime default` of a generic desktop: our ID first in
// [Default Applications] of $XDG_CONFIG_HOME/mimeapps.list.
func (h Handler) setDefaults() error {
	path := filepath.Join(h.Dirs.ConfigHome, "mimeapps.list")
	kf, err := readKeyFile(path)
	if err != nil {
		return err
	}
	if kf == nil {
		kf = &KeyFile{}
	}
	for _, t := range h.mimeTypes() {
		kf.Set("Default Applications", t, DesktopID)
	}
	return writeFile(path, kf.Bytes())
}

// Unregister takes dialbridge out of the user's mimeapps.list files and
// removes the user's desktop entry. An entry installed system-wide (the
// .deb) stays: removing the package removes it.
func (h Handler) Unregister(ctx context.Context) error {
	lists := []string{filepath.Join(h.Dirs.ConfigHome, "mimeapps.list")}
	desktopLists, _ := filepath.Glob(filepath.Join(h.Dirs.ConfigHome, "*-mimeapps.list"))
	lists = append(lists, desktopLists...)
	// Deprecated by the spec, still read by older desktops.
	lists = append(lists, filepath.Join(h.Dirs.DataHome, "applications", "mimeapps.list"))
	for _, path := range lists {
		if err := h.dropFrom(path); err != nil {
			return err
		}
	}
	if err := os.Remove(h.entryPath()); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("removing dialbridge's desktop entry: %w", err)
	}
	h.updateDatabase(ctx)
	return nil
}

// dropFrom removes our ID from the values of our MIME types in the
// default and added-association groups of one mimeapps.list.
func (h Handler) dropFrom(path string) error {
	kf, err := readKeyFile(path)
	if err != nil || kf == nil {
		return err
	}
	changed := false
	for _, group := range []string{"Default Applications", "Added Associations"} {
		for _, t := range h.mimeTypes() {
			v, ok := kf.Get(group, t)
			if !ok {
				continue
			}
			var keep []string
			for _, id := range strings.Split(v, ";") {
				if id != "" && id != DesktopID {
					keep = append(keep, id)
				}
			}
			switch {
			case len(keep) == 0:
				kf.Delete(group, t)
			case strings.Join(keep, ";") != strings.TrimSuffix(v, ";"):
				kf.Set(group, t, strings.Join(keep, ";")+";")
			default:
				continue
			}
			changed = true
		}
	}
	if !changed {
		return nil
	}
	return writeFile(path, kf.Bytes())
}

// Status reports for each scheme whether dialbridge is the default handler.
func (h Handler) Status(ctx context.Context) (map[string]bool, error) {
	got := map[string]bool{}
	for i, t := range h.mimeTypes() {
		out, err := h.Run(ctx, "xdg-mime", "query", "default", t)
		if errors.Is(err, exec.ErrNotFound) {
			return h.statusFromList()
		}
		if err != nil {
			return nil, fmt.Errorf("asking the desktop which program opens %s links: %w", h.Schemes[i], err)
		}
		got[h.Schemes[i]] = strings.TrimSpace(string(out)) == DesktopID
	}
	return got, nil
}

// statusFromList reads $XDG_CONFIG_HOME/mimeapps.list where xdg-mime is
// missing.
func (h Handler) statusFromList() (map[string]bool, error) {
	got := map[string]bool{}
	kf, err := readKeyFile(filepath.Join(h.Dirs.ConfigHome, "mimeapps.list"))
	if err != nil {
		return nil, err
	}
	for i, t := range h.mimeTypes() {
		if kf == nil {
			got[h.Schemes[i]] = false
			continue
		}
		v, _ := kf.Get("Default Applications", t)
		first, _, _ := strings.Cut(v, ";")
		got[h.Schemes[i]] = first == DesktopID
	}
	return got, nil
}

// updateDatabase refreshes mimeinfo.cache of the user's applications so
// that desktops listing "Open with" see the entry. It is a nicety: without
// desktop-file-utils, or if it fails, the default choice still works.
func (h Handler) updateDatabase(ctx context.Context) {
	_, _ = h.Run(ctx, "update-desktop-database", filepath.Join(h.Dirs.DataHome, "applications"))
}
