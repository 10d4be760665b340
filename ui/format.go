package ui

import (
	"time"

	"fyne.io/fyne/v2/lang"
)

// formatWhen says when t was, relative to now, the way people read call
// lists: the time for today, "yesterday", else the date.
func formatWhen(t, now time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(now.Location())
	clock := t.Format("15:04")
	y1, m1, d1 := t.Date()
	y2, m2, d2 := now.Date()
	switch {
	case y1 == y2 && m1 == m2 && d1 == d2:
		return clock
	case sameDay(t, now.AddDate(0, 0, -1)):
		return lang.X("when.yesterday", "yesterday {{.Time}}", map[string]any{"Time": clock})
	}
	return formatDate(t) + " " + clock
}

func sameDay(a, b time.Time) bool {
	y1, m1, d1 := a.Date()
	y2, m2, d2 := b.Date()
	return y1 == y2 && m1 == m2 && d1 == d2
}

// formatDate writes a date in the person's convention (2025-03-25 in
// English, 25.03.2025 in German); the layout is itself a translation.
func formatDate(t time.Time) string {
	return t.Format(lang.X("format.date", "2006-01-02"))
}

// formatDateTime is formatDate plus the time of day.
func formatDateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return formatDate(t) + " " + t.Format("15:04:05")
}
