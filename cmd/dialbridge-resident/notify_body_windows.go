package main

import "github.com/dialbridge/dialbridge/phone/display"

// newNotificationBody is how a body is written for the Windows toast that
// beeep builds (a CDATA section, pasted into PowerShell when the Windows
// Runtime is not reachable).
func newNotificationBody() func(string) string { return display.ToastBody }
