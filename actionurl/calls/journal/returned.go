package journal

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/dialbridge/dialbridge/actionurl/outgoing"
	"github.com/dialbridge/dialbridge/phone"
)

// listed is a call as the journal lists it: the call and when it was
// called back.
type listed struct {
	phone.Call
	returned time.Time
}

func scanListed(rows *sql.Rows) (listed, error) {
	var returned int64
	c, err := scanCallWith(rows, &returned)
	return listed{Call: c, returned: fromMS(returned)}, err
}

// LatestMissed returns the newest missed call that nobody returned yet
// (unreturnedSQL); false when there is none.
func (j *Journal) LatestMissed(ctx context.Context) (phone.Call, bool, error) {
	calls, err := readAll(ctx, j.rd, scanCall, `SELECT `+callColumns+` FROM calls m WHERE `+unreturnedSQL+`
		ORDER BY m.created DESC, m.guid DESC LIMIT 1`, 0)
	if err != nil || len(calls) == 0 {
		return phone.Call{}, false, err
	}
	return calls[0], true, nil
}

// unreturnedSQL selects the missed calls m since a time (its one
// argument) that nobody returned: a missed call is returned when it is
// marked so (MarkReturned: a function key called it back) or by a later
// call with the same number that was dialed out (called back from the
// phone or through dialbridge) or answered (the caller tried again and got
// through). The same number is the same remote_key, the number as the
// dialing rules read it (UseRules): "0 030 1234567" from the phone returns
// a call missed from "+49301234567". Calls not keyed yet match nothing.
var unreturnedSQL = fmt.Sprintf(`m.outcome = '%s' AND m.returned = 0 AND m.created >= ?
	AND m.remote_key != '' AND NOT EXISTS (SELECT 1 FROM calls r WHERE r.remote_key = m.remote_key AND r.created > m.created
		AND (r.direction = %d OR r.connected > 0))`, phone.OutcomeMissed, phone.Outbound)

// UnreturnedMissed counts the missed calls since since that nobody
// returned: what a "missed calls" light shows.
func (j *Journal) UnreturnedMissed(ctx context.Context, since time.Time) (int, error) {
	var n int
	if err := j.rd.QueryRowContext(ctx, `SELECT COUNT(*) FROM calls m WHERE `+unreturnedSQL, ms(since)).Scan(&n); err != nil {
		return 0, fmt.Errorf("reading the journal's missed calls: %w", err)
	}
	return n, nil
}

// MarkReturned records that the missed calls from number were called back
// at at: calling a number back answers every call missed from it, however
// the phone spelled it (the dialing rules' key, UseRules). done gets how
// many calls it marked once that is on disk.
func (j *Journal) MarkReturned(number string, at time.Time, done func(int, error)) {
	var marked int64
	j.submit(func(tx *sql.Tx) error {
		key, _ := j.keyOf(number).(string)
		if key == "" {
			return nil
		}
		res, err := tx.Exec(`UPDATE calls SET returned = ? WHERE outcome = ? AND returned = 0 AND remote_key = ?`,
			ms(at), string(phone.OutcomeMissed), key)
		if err != nil {
			return err
		}
		marked, err = res.RowsAffected()
		return err
	}, func(err error) {
		if done != nil {
			done(int(marked), err)
		}
	})
}

// LatestBrowserDelivery returns the newest outgoing URL that opened in the
// browser for the call guid, or, when that call has none, for any call:
// the page a phone key's open_crm opens again. False when there is none.
func (j *Journal) LatestBrowserDelivery(ctx context.Context, guid string) (outgoing.Delivery, bool, error) {
	ds, err := j.deliveries(ctx, `SELECT `+j.delivCols+` FROM deliveries WHERE mode = ?
		ORDER BY call_guid = ? DESC, id DESC LIMIT 1`, string(outgoing.ModeBrowser), guid)
	if err != nil || len(ds) == 0 {
		return outgoing.Delivery{}, false, err
	}
	return ds[0], true, nil
}
