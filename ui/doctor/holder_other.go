//go:build !linux

package doctor

// HolderOf cannot name the program holding a port outside Linux; the
// sentence then says "another program".
func HolderOf(int) string { return "" }
