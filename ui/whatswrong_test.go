package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/dialbridge/dialbridge/ui/doctor"
)

func TestWhatsWrongShowsTheChecksAndTheFirstBrokenLink(t *testing.T) {
	a := test.NewTempApp(t)
	runs := 0
	report := doctor.Report{Checks: []doctor.Check{
		{Link: doctor.LinkConfig, Status: doctor.OK, Message: "The config file is valid."},
		{Link: doctor.LinkPhone, Status: doctor.Broken, Message: "The phone at 192.0.2.10 cannot be reached."},
		{Link: doctor.LinkPassword, Status: doctor.Skipped, Message: "Not checked: the phone must answer first."},
	}, FirstBroken: doctor.LinkPhone}
	d := WhatsWrongDeps{Env: testEnv(), Run: func(context.Context) doctor.Report { runs++; return report }}
	w := NewWhatsWrong(a, d)
	w.Window().Resize(fyne.NewSize(640, 480))
	w.Window().Show()
	settle(w.Window())
	if w.Window().Title() != "What's wrong?" {
		t.Errorf("title %q", w.Window().Title())
	}
	markup := test.RenderToMarkup(w.Window().Canvas())
	for _, want := range []string{"Settings file", "Phone answers", "The phone at 192.0.2.10 cannot be reached.", "Not checked: the phone must answer first."} {
		if !strings.Contains(markup, want) {
			t.Errorf("the window lacks %q", want)
		}
	}
	if want := `The first broken link is "Phone answers"; what to do is written beside it.`; w.summary.Text != want {
		t.Errorf("summary %q, want %q", w.summary.Text, want)
	}
	if got := w.rows.Objects[3].(*widget.Label).Importance; got != widget.DangerImportance {
		t.Errorf("the broken link's importance = %v", got)
	}
	report = doctor.Report{Checks: report.Checks[:1]}
	test.Tap(w.again)
	settle(w.Window())
	if runs != 2 || w.summary.Text != "Every link holds." {
		t.Errorf("after Check again: %d runs, summary %q", runs, w.summary.Text)
	}
}
