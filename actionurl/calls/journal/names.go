package journal

import (
	"context"
	"database/sql"
	"time"

	"github.com/dialbridge/dialbridge/phone"
)

// laterColumns are the columns of the calls table that came after the
// first journals: the caller's company (caller lookups), and when a missed
// call was called back (phone keys; Unix milliseconds, 0 for not yet,
// never written by RecordCall, so the tracker's updates keep it).
var laterColumns = []struct{ name, decl string }{
	{"remote_company", "TEXT NOT NULL DEFAULT ''"},
	{"returned", "INTEGER NOT NULL DEFAULT 0"},
}

// addLaterColumns gives a journal written by an older dialbridge the
// laterColumns it lacks; SQLite has no ADD COLUMN IF NOT EXISTS.
func addLaterColumns(db *sql.DB) error {
	for _, c := range laterColumns {
		if err := addColumn(db, c.name, c.decl); err != nil {
			return err
		}
	}
	return nil
}

// addColumn adds the column name (declared as decl) to the calls table of
// a journal written by an older dialbridge, which lacks it.
func addColumn(db *sql.DB, name, decl string) error {
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM pragma_table_info('calls') WHERE name = ?`, name).Scan(&n); err != nil || n > 0 {
		return err
	}
	_, err := db.Exec(`ALTER TABLE calls ADD COLUMN ` + name + ` ` + decl)
	return err
}

// NameCall gives the latest call from number with the phone's id callID,
// created at or after since, the name and company a caller lookup found
// after the call had left the tracker, unless it has a name already. done
// gets the named call, or false when there was none to name.
func (j *Journal) NameCall(callID, number string, since time.Time, alias, company string, done func(phone.Call, bool, error)) {
	var named phone.Call
	var ok bool
	j.submit(func(tx *sql.Tx) error {
		calls, err := readAll(context.Background(), tx, scanCall, `UPDATE calls SET remote_alias = ?, remote_company = ? WHERE guid = (
				SELECT guid FROM calls WHERE call_id = ? AND remote = ? AND created >= ? ORDER BY created DESC LIMIT 1)
			AND remote_alias = '' RETURNING `+callColumns, alias, company, callID, number, ms(since))
		if len(calls) > 0 {
			named, ok = calls[0], true
		}
		return err
	}, func(err error) {
		if done != nil {
			done(named, ok && err == nil, err)
		}
	})
}
