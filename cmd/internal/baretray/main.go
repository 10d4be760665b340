// Command baretray is the smallest tray program fyne.io/systray allows: one
// icon, one menu item, nothing else. .ci/bench-idle.sh measures it beside
// the dialbridge resident, so the resident's idle cost can be read against
// what a tray icon costs at all.
package main

import (
	"os"
	"os/signal"
	"syscall"

	"fyne.io/systray"

	"github.com/dialbridge/dialbridge/assets"
)

func main() {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sig
		systray.Quit()
	}()
	systray.Run(func() {
		systray.SetIcon(assets.Tray(assets.TrayIdle))
		systray.SetTitle("baretray")
		quit := systray.AddMenuItem("Quit", "")
		go func() {
			<-quit.ClickedCh
			systray.Quit()
		}()
	}, nil)
}
