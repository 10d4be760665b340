// Package deb holds the end-to-end test of the .deb that `make package`
// builds (packaging/nfpm.yaml): unpacked into a throwaway root, validated,
// chosen as the handler of phone links with xdg-mime, and clicked with
// gio open and xdg-open until a simulated Snom phone dials. It has no code
// of its own; .ci/test-link-deb.sh runs it inside a desktop session.
package deb
