package clipboard

func platform(r *Reader) {
	r.Tools = []Tool{{Name: "pbpaste"}}
}
