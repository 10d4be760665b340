package journal

import (
	"context"
	"fmt"
	"time"

	"github.com/dialbridge/dialbridge/phone"
)

// unreturnedSQL counts the missed calls that nobody returned: a missed
// call is returned by a later call with the same number that was dialed
// out (calling back, from the phone or through dialbridge) or answered
// (the caller tried again and got through).
var unreturnedSQL = fmt.Sprintf(`SELECT COUNT(*) FROM calls m WHERE m.outcome = '%s' AND m.created >= ? AND m.remote != ''
	AND NOT EXISTS (SELECT 1 FROM calls r WHERE r.remote = m.remote AND r.created > m.created
		AND (r.direction = %d OR r.connected > 0))`, phone.OutcomeMissed, phone.Outbound)

// MissedNotCalledBack counts the missed calls since since that were not
// returned, for the light of a key bound to missed calls.
func (j *Journal) MissedNotCalledBack(ctx context.Context, since time.Time) (int, error) {
	var n int
	if err := j.rd.QueryRowContext(ctx, unreturnedSQL, ms(since)).Scan(&n); err != nil {
		return 0, fmt.Errorf("reading the journal's missed calls: %w", err)
	}
	return n, nil
}
