// Command manifests writes the system-wide native messaging host manifests
// for the .deb into a staging root, so that every user's Chromium, Chrome,
// Edge and Firefox find dialbridge's host without `dialbridge register`:
//
//	go run ./packaging/nativehost/manifests -root STAGE -exe /usr/bin/dialbridge
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/dialbridge/dialbridge/packaging/nativehost"
)

func main() {
	root := flag.String("root", "", "the staging folder that stands for / in the package")
	exe := flag.String("exe", "/usr/bin/dialbridge", "where the package installs the front program")
	flag.Parse()
	if *root == "" {
		fmt.Fprintln(os.Stderr, "manifests: -root is needed")
		os.Exit(2)
	}
	h := nativehost.Hosts{Exe: *exe, Browsers: nativehost.SystemBrowsers(*root)}
	if err := h.Install(); err != nil {
		fmt.Fprintf(os.Stderr, "manifests: %v\n", err)
		os.Exit(1)
	}
}
