package journal

import (
	"context"
	"database/sql"
	"time"

	"github.com/dialbridge/dialbridge/phone"
)

// laterColumns are the columns that came after the first journals. Of
// the calls table: the caller's company (caller lookups); when a missed
// call was called back (phone keys; Unix milliseconds, 0 for not yet,
// never written by RecordCall, so the tracker's updates keep it); and the
// key of the remote number under the dialing rules (UseRules; NULL for
// not keyed yet, "" for no number). Of the deliveries table: why the last
// attempt failed as a sentence (last_says, see says.go; "" for none).
var laterColumns = []struct{ table, name, decl string }{
	{"calls", "remote_company", "TEXT NOT NULL DEFAULT ''"},
	{"calls", "returned", "INTEGER NOT NULL DEFAULT 0"},
	{"calls", "remote_key", "TEXT"},
	{"deliveries", "last_says", "TEXT NOT NULL DEFAULT ''"},
}

// laterIndexes index the laterColumns: remote_key with created answers
// whether a missed call was returned by a later call (unreturnedSQL)
// without reading every call.
const laterIndexes = `CREATE INDEX IF NOT EXISTS calls_remote_key ON calls(remote_key, created)`

// addLaterColumns gives a journal written by an older dialbridge the
// laterColumns it lacks; SQLite has no ADD COLUMN IF NOT EXISTS.
func addLaterColumns(db *sql.DB) error {
	for _, c := range laterColumns {
		if err := addColumn(db, c.table, c.name, c.decl); err != nil {
			return err
		}
	}
	_, err := db.Exec(laterIndexes)
	return err
}

// addColumn adds the column name (declared as decl) to table of a journal
// written by an older dialbridge, which lacks it.
func addColumn(db *sql.DB, table, name, decl string) error {
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM pragma_table_info(?) WHERE name = ?`, table, name).Scan(&n); err != nil || n > 0 {
		return err
	}
	_, err := db.Exec(`ALTER TABLE ` + table + ` ADD COLUMN ` + name + ` ` + decl)
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
