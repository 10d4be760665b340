//go:build !windows && !darwin

package clipboard

func platform(r *Reader) {
	r.Tools = []Tool{
		{Name: "wl-paste", Args: []string{"--no-newline", "--type", "text"}, NeedsEnv: "WAYLAND_DISPLAY"},
		{Name: "xclip", Args: []string{"-out", "-selection", "clipboard"}, NeedsEnv: "DISPLAY"},
		{Name: "xsel", Args: []string{"--clipboard", "--output"}, NeedsEnv: "DISPLAY"},
	}
}
