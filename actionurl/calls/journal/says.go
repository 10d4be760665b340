package journal

import (
	"database/sql"
	"encoding/json"
	"strings"

	"github.com/dialbridge/dialbridge/i18n/sentence"
)

// saysText is the last_says column of a delivery: why its last attempt
// failed as a sentence in its wire form (JSON), so that a reader in
// another program (the Journal window over the control API, `dialbridge
// journal` from the file) words it in the person's language; "" for none.
func saysText(w *sentence.Wire) string {
	if w == nil {
		return ""
	}
	b, err := json.Marshal(w)
	if err != nil {
		return "" // the English in last_error still says it
	}
	return string(b)
}

// saysOf reads last_says back; nil for a row without one (written by an
// older dialbridge, or for a delivery that did not fail) or one this
// dialbridge cannot read, whose English last_error is then shown.
func saysOf(text string) *sentence.Wire {
	if text == "" {
		return nil
	}
	var w sentence.Wire
	if json.Unmarshal([]byte(text), &w) != nil || w.Key == "" {
		return nil
	}
	return &w
}

// deliveryColumnsIn are the deliveries' columns to read from db. A journal
// an older dialbridge wrote lacks last_says until a newer one opens it for
// writing; `dialbridge journal` reads it as it is (the old resident may
// still run after an update) and takes "" for it, so its rows show their
// English.
func deliveryColumnsIn(db *sql.DB) (string, error) {
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM pragma_table_info('deliveries') WHERE name = 'last_says'`).Scan(&n); err != nil {
		return "", err
	}
	if n == 0 {
		return strings.Replace(deliveryColumns, "last_says", "'' AS last_says", 1), nil
	}
	return deliveryColumns, nil
}
