package notify

import "github.com/dialbridge/dialbridge/phone/display"

// newBody is how a body is written for the Windows toast that
// beeep builds (a CDATA section, pasted into PowerShell when the Windows
// Runtime is not reachable).
func newBody() func(string) string { return display.ToastBody }
