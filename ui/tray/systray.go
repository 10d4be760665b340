package tray

import (
	"context"

	"fyne.io/systray"

	"github.com/dialbridge/dialbridge/assets"
)

// Options wire a View to the program around it.
type Options struct {
	// Title names the tray item (shown by some desktops as its name).
	Title string
	// OnEvent receives every click the model turned into an Event. It is
	// called on the click's own goroutine and should hand long work off.
	OnEvent func(Event)
	// OnOpen is called when the menu opens, where the desktop says so
	// (Linux and macOS): the moment to read the clipboard.
	OnOpen func()
	// OnReady is called once the menu is built.
	OnReady func()
	// Icon returns the picture for a state; nil means assets.Tray.
	Icon func(assets.TrayIcon) []byte
}

// Run shows m in the system tray until ctx ends or the program calls
// systray.Quit, mirroring every change of the model onto the menu. It must
// be called on the program's main goroutine (macOS needs the main thread).
func Run(ctx context.Context, m *Model, opts Options) {
	if opts.Icon == nil {
		opts.Icon = assets.Tray
	}
	v := &view{model: m, opts: opts, slots: map[ItemID]*slot{}}
	stop := context.AfterFunc(ctx, systray.Quit)
	defer stop()
	systray.Run(func() { v.ready(ctx) }, nil)
}

// view owns the systray items: one slot per model item, created once in
// menu order and then only updated.
type view struct {
	model *Model
	opts  Options
	slots map[ItemID]*slot
	icon  assets.TrayIcon
	tip   string
}

// slot is one systray item and what it shows now, so that only real
// changes reach the desktop.
type slot struct {
	item *systray.MenuItem
	now  Item
}

func (v *view) ready(ctx context.Context) {
	if v.opts.Title != "" {
		systray.SetTitle(v.opts.Title)
	}
	menu := v.model.Menu()
	v.build(nil, menu.Items)
	v.apply(menu)
	go v.follow(ctx)
	if v.opts.OnReady != nil {
		v.opts.OnReady()
	}
}

// build creates the items of level (nil for the top level) in order.
func (v *view) build(parent *systray.MenuItem, items []Item) {
	for _, it := range items {
		if it.ID == Separator {
			if parent == nil {
				systray.AddSeparator()
			} else {
				parent.AddSeparator()
			}
			continue
		}
		var mi *systray.MenuItem
		switch {
		case parent == nil && it.Checkable:
			mi = systray.AddMenuItemCheckbox(menuText(it.Label), "", it.Checked)
		case parent == nil:
			mi = systray.AddMenuItem(menuText(it.Label), "")
		default:
			mi = parent.AddSubMenuItem(menuText(it.Label), "")
		}
		// Created enabled and visible; apply brings them in line.
		s := &slot{item: mi, now: Item{ID: it.ID, Label: it.Label, Enabled: true, Visible: true, Checkable: it.Checkable, Checked: it.Checked}}
		v.slots[it.ID] = s
		v.build(mi, it.Children)
		go v.clicks(it.ID, mi)
	}
}

// clicks turns the clicks on one item into events.
func (v *view) clicks(id ItemID, mi *systray.MenuItem) {
	for range mi.ClickedCh {
		if ev, ok := v.model.Click(id); ok && v.opts.OnEvent != nil {
			v.opts.OnEvent(ev)
		}
	}
}

// follow re-applies the model's menu on every change and reports menu
// openings, until ctx ends.
func (v *view) follow(ctx context.Context) {
	if awaitRegistered(ctx) {
		// Set the icon and tooltip once more: a change made while the
		// item was registering may not have reached the bus (see
		// awaitRegistered).
		v.icon, v.tip = "", ""
		if v.opts.Title != "" {
			systray.SetTitle(v.opts.Title)
		}
		v.apply(v.model.Menu())
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-v.model.Changed():
			v.apply(v.model.Menu())
		case <-systray.TrayOpenedCh:
			if v.opts.OnOpen != nil {
				v.opts.OnOpen()
			}
		}
	}
}

// apply brings the systray items, icon and tooltip in line with menu,
// touching only what changed.
func (v *view) apply(menu Menu) {
	if menu.Icon != v.icon {
		systray.SetIcon(v.opts.Icon(menu.Icon))
		v.icon = menu.Icon
	}
	if menu.Tooltip != v.tip {
		systray.SetTooltip(menu.Tooltip)
		v.tip = menu.Tooltip
	}
	v.applyItems(menu.Items)
}

func (v *view) applyItems(items []Item) {
	for _, it := range items {
		s, ok := v.slots[it.ID]
		if !ok {
			continue
		}
		mi := s.item
		if it.Label != s.now.Label {
			mi.SetTitle(menuText(it.Label))
		}
		if it.Enabled != s.now.Enabled {
			if it.Enabled {
				mi.Enable()
			} else {
				mi.Disable()
			}
		}
		if it.Visible != s.now.Visible {
			if it.Visible {
				mi.Show()
			} else {
				mi.Hide()
			}
		}
		if it.Checkable && it.Checked != s.now.Checked {
			if it.Checked {
				mi.Check()
			} else {
				mi.Uncheck()
			}
		}
		s.now = Item{ID: it.ID, Label: it.Label, Enabled: it.Enabled, Visible: it.Visible, Checkable: it.Checkable, Checked: it.Checked}
		v.applyItems(it.Children)
	}
}
