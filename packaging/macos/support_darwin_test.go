//go:build darwin && cgo

package macos

const urlEventsSupported = true
