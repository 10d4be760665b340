package tray

import (
	"testing"

	"fyne.io/fyne/v2/lang"

	"github.com/dialbridge/dialbridge/actionurl/control"
)

// TestAskerNamesEveryEntryInThePersonsWords holds each of dialbridge's own
// dial entries to words a person understands, in English and German, and
// shows web origins and anything else a client claims as plain text.
func TestAskerNamesEveryEntryInThePersonsWords(t *testing.T) {
	for _, tc := range []struct{ source, en, de string }{
		{"", "A program on this computer", "Ein Programm auf diesem Computer"},
		{control.SourceControlAPI, "A program on this computer", "Ein Programm auf diesem Computer"},
		{control.SourcePhoneLink, "A phone link (tel:)", "Ein Telefon-Link (tel:)"},
		{control.SourceCommandLine, "The command line (dialbridge dial)", "Die Befehlszeile (dialbridge dial)"},
		{control.SourceExtension, "The browser extension", "Die Browser-Erweiterung"},
		{control.SourceDialPad, "The dial pad", "Das Fenster „Nummer wählen“"},
		{control.SourceTransfer, "The dial pad (transfer)", "Das Fenster „Nummer wählen“ (Weiterverbinden)"},
		{control.SourceJournal, "The call journal", "Das Anrufjournal"},
		{control.SourceClipboard, "The tray menu (clipboard)", "Das Tray-Menü (Zwischenablage)"},
		{control.SourceHotkey, "The hotkey (selected text)", "Das Tastenkürzel (markierter Text)"},
		{control.SourcePhoneKey(7), "Key 7 on the phone", "Taste 7 am Telefon"},
		{"phone key x", "phone key x", "phone key x"},
		{"https://crm.example/", "https://crm.example", "https://crm.example"},
		{"<b>evil</b>\u202e", "<b>evil</b>", "<b>evil</b>"},
		{" \t\u200b", "A program on this computer", "Ein Programm auf diesem Computer"},
	} {
		if got := Asker(lang.L, tc.source); got != tc.en {
			t.Errorf("Asker(%q) = %q, want %q", tc.source, got, tc.en)
		}
		t.Run("de", func(t *testing.T) {
			useLocale(t, "de_DE.UTF-8")
			if got := Asker(lang.L, tc.source); got != tc.de {
				t.Errorf("Asker(%q) in German = %q, want %q", tc.source, got, tc.de)
			}
		})
	}
}
