package journal

import (
	"database/sql"
	"fmt"
	"hash/fnv"

	"github.com/dialbridge/dialbridge/phone/dialplan"
)

// keyRules are the dialing rules' settings that change a number's key
// (dialplan.Keyer): the journal keys its calls again when one of them
// changes, and not when only the blocked list or the dial format does.
type keyRules struct {
	country, areaCode, outsideLine, internationalPrefix string
	internalMaxDigits                                   int
}

func keyRulesOf(r dialplan.Rules) keyRules {
	return keyRules{r.Country, r.AreaCode, r.OutsideLine, r.InternationalPrefix, r.InternalMaxDigits}
}

// print is what the journal file remembers of the rules its keys were
// made with, so that opening it with the same rules keys nothing again.
func (k keyRules) print() int64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%q %q %q %q %d", k.country, k.areaCode, k.outsideLine, k.internationalPrefix, k.internalMaxDigits)
	return int64(h.Sum64() >> 1)
}

// keyedWith names the counters row holding the print of the rules the
// calls' remote_key was made with.
const keyedWith = "remote_key_rules"

// UseRules makes the journal match numbers under the dialing rules:
// every call's remote_key is its number's key (dialplan.Keyer), so a
// missed call from +49301234567 is returned by a call to 030 1234567. A
// journal keyed with other rules (or by a dialbridge that kept no keys)
// is keyed again in the background; the same rules again cost nothing, so
// it may be called before every use with the current config. Until it is
// first called, numbers are keyed without country knowledge.
func (j *Journal) UseRules(rules dialplan.Rules, done func(error)) {
	k := keyRulesOf(rules)
	j.keyMu.Lock()
	same := j.keyed == k && j.keySet
	j.keyed, j.keySet = k, true
	j.keyMu.Unlock()
	if same {
		if done != nil {
			done(nil)
		}
		return
	}
	key := dialplan.Keyer(rules)
	j.submit(func(tx *sql.Tx) error {
		j.key = key
		return rekey(tx, key, k.print())
	}, done)
}

// rekey fills the remote_key of every call that lacks one, after clearing
// them all when the file's keys were made with other rules than print.
func rekey(tx *sql.Tx, key func(string) string, print int64) error {
	var was int64
	err := tx.QueryRow(`SELECT value FROM counters WHERE name = ?`, keyedWith).Scan(&was)
	if err != nil && err != sql.ErrNoRows {
		return err
	}
	if was != print {
		if _, err := tx.Exec(`UPDATE calls SET remote_key = NULL`); err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO counters (name, value) VALUES (?, ?)
			ON CONFLICT(name) DO UPDATE SET value = excluded.value`, keyedWith, print); err != nil {
			return err
		}
	}
	rows, err := tx.Query(`SELECT rowid, remote FROM calls WHERE remote_key IS NULL`)
	if err != nil {
		return err
	}
	type unkeyed struct {
		row    int64
		remote string
	}
	var todo []unkeyed
	for rows.Next() {
		var u unkeyed
		if err := rows.Scan(&u.row, &u.remote); err != nil {
			rows.Close()
			return err
		}
		todo = append(todo, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// By rowid, not by number: remote has no index, and a journal holds
	// thousands of numbers. A number called often is read once.
	st, err := tx.Prepare(`UPDATE calls SET remote_key = ? WHERE rowid = ?`)
	if err != nil {
		return err
	}
	defer st.Close()
	keys := map[string]string{}
	for _, u := range todo {
		k, ok := keys[u.remote]
		if !ok {
			k = key(u.remote)
			keys[u.remote] = k
		}
		if _, err := st.Exec(k, u.row); err != nil {
			return err
		}
	}
	return nil
}

// keyOf is the remote_key RecordCall stores for number: NULL until
// UseRules, so that the keying then fills it.
func (j *Journal) keyOf(number string) any {
	if j.key == nil {
		return nil
	}
	return j.key(number)
}
