// Command minwindow is the baseline that .ci/bench-window.sh measures
// `dialbridge ui dial` against: the smallest Fyne program that maps a
// window of the dial pad's size. The gap between the two times is what
// dialbridge's own window costs (reading the config, building the dial
// pad, its translations); the rest is Fyne and the X server.
//
// Usage: minwindow [TITLE]
package main

import (
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	title := "minwindow"
	if len(os.Args) > 1 {
		title = os.Args[1]
	}
	a := app.NewWithID("org.dialbridge.minwindow")
	w := a.NewWindow(title)
	w.SetContent(widget.NewLabel(title))
	w.Resize(fyne.NewSize(460, 520))
	w.ShowAndRun()
}
