package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"
)

// The windows must open fast (the person clicked the tray and waits):
// these measure building each window with its data, without the driver.
// .ci/bench-window.sh measures the whole way to a mapped X window.

func BenchmarkNewDialPad(b *testing.B) {
	a := test.NewTempApp(b)
	res := &fakeResident{calls: sampleCalls()}
	store := &memConfig{cfg: berlinConfig()}
	b.ReportAllocs()
	for b.Loop() {
		p := NewDialPad(a, DialPadDeps{Env: testEnv(), Resident: res, Config: store})
		p.Window().Close()
	}
}

func BenchmarkNewSettings(b *testing.B) {
	a := test.NewTempApp(b)
	store := &memConfig{cfg: berlinConfig()}
	b.ReportAllocs()
	for b.Loop() {
		s := NewSettings(a, SettingsDeps{Env: testEnv(), Config: store, Secrets: &memSecrets{}, Resident: &fakeResident{}})
		s.Window().Close()
	}
}

func BenchmarkNewJournal(b *testing.B) {
	a := test.NewTempApp(b)
	res := &fakeResident{calls: sampleCalls(), deliveries: sampleDeliveries()}
	b.ReportAllocs()
	for b.Loop() {
		j := NewJournal(a, JournalDeps{Env: testEnv(), Resident: res})
		j.Window().Close()
	}
}

// BenchmarkDialPadKeystroke is one keystroke in the number field: the
// dialing rules run and the preview updates.
func BenchmarkDialPadKeystroke(b *testing.B) {
	a := test.NewTempApp(b)
	p := NewDialPad(a, DialPadDeps{Env: testEnv(), Resident: &fakeResident{}, Config: &memConfig{cfg: berlinConfig()}})
	texts := []string{"+49 (30) 123 45-67", "Tel.: 030 / 123 45 678"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		p.number.SetText(texts[i%2])
		i++
	}
	if p.preview.Text == "" {
		b.Fatal("no preview")
	}
}
