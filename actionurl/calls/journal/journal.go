// Package journal is dialbridge's call journal and the outbox's disk: one
// SQLite file (journal.db, beside the config file) holding every call with
// its times and outcome and every outgoing action URL with its status. It
// has a single writer goroutine that commits whatever has queued up in one
// transaction (group commit), so a storm of phone events costs one fsync
// per batch instead of one per event, and readers that never block it
// (WAL mode).
package journal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // the SQLite driver, pure Go

	"github.com/dialbridge/dialbridge/actionurl/control"
	"github.com/dialbridge/dialbridge/actionurl/outgoing"
	"github.com/dialbridge/dialbridge/phone"
)

// FileName is the journal's file name beside the config file.
const FileName = "journal.db"

// PathFor returns the journal that belongs to a config file path.
func PathFor(configPath string) string {
	return filepath.Join(filepath.Dir(configPath), FileName)
}

// ErrClosed is what writes get after Close.
var ErrClosed = errors.New("the journal is closed")

// maxBatch bounds one group commit.
const maxBatch = 512

// schema is version 1 of the file. Times are Unix milliseconds, 0 for
// "not yet". The counters table came later within version 1: every
// statement is IF NOT EXISTS, so opening an older file adds it.
const schema = `
CREATE TABLE IF NOT EXISTS calls (
	guid           TEXT PRIMARY KEY,
	call_id        TEXT NOT NULL,
	csta_id        TEXT NOT NULL DEFAULT '',
	direction      INTEGER NOT NULL,
	local          TEXT NOT NULL DEFAULT '',
	local_alias    TEXT NOT NULL DEFAULT '',
	remote         TEXT NOT NULL DEFAULT '',
	remote_alias   TEXT NOT NULL DEFAULT '',
	created        INTEGER NOT NULL,
	connected      INTEGER NOT NULL DEFAULT 0,
	disconnected   INTEGER NOT NULL DEFAULT 0,
	on_hold        INTEGER NOT NULL DEFAULT 0,
	transferred_to TEXT NOT NULL DEFAULT '',
	outcome        TEXT NOT NULL,
	updated        INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS calls_created ON calls(created);
CREATE TABLE IF NOT EXISTS deliveries (
	id           INTEGER PRIMARY KEY,
	call_guid    TEXT NOT NULL,
	action       TEXT NOT NULL,
	url          TEXT NOT NULL,
	mode         TEXT NOT NULL,
	status       TEXT NOT NULL,
	created      INTEGER NOT NULL,
	attempts     INTEGER NOT NULL DEFAULT 0,
	next_attempt INTEGER NOT NULL DEFAULT 0,
	http_status  INTEGER NOT NULL DEFAULT 0,
	last_error   TEXT NOT NULL DEFAULT '',
	done         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS deliveries_call ON deliveries(call_guid, id);
CREATE INDEX IF NOT EXISTS deliveries_pending ON deliveries(status) WHERE status = 'pending';
CREATE TABLE IF NOT EXISTS counters (
	name  TEXT PRIMARY KEY,
	value INTEGER NOT NULL
);
PRAGMA user_version = 1;
`

// Journal is an open journal file. It implements outgoing.Store.
type Journal struct {
	path string
	rd   *sql.DB
	wr   *sql.DB // nil when opened read-only
	// The writes, prepared once: parsing SQL for every event would cost
	// more than the write itself.
	upsertCall, insertDelivery, updateDelivery *sql.Stmt
	// delivCols are the deliveries' columns to read (deliveryColumnsIn).
	delivCols string

	// key reads numbers for remote_key (UseRules); nil until then, when
	// calls are stored unkeyed. Only the writer goroutine touches it.
	key func(string) string
	// keyMu guards keyed, the rules UseRules was last called with, and
	// keySet, whether it was called.
	keyMu  sync.Mutex
	keyed  keyRules
	keySet bool

	mu      sync.RWMutex // guards closed against sends on ops
	closed  bool
	ops     chan op
	stopped chan struct{}
}

// op is one queued write; done is told its outcome once it is durable.
type op struct {
	fn   func(tx *sql.Tx) error
	done func(error)
}

var _ outgoing.Store = (*Journal)(nil)

// dsn builds a SQLite URI for path with the connection settings: WAL so
// readers never wait for the writer, full sync so a committed event
// survives a power cut, and a busy timeout so that two processes (the
// resident and `dialbridge journal`) wait for each other instead of
// failing. Readers are query-only: they cannot change the file even by
// mistake.
func dsn(path string, writer bool) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("finding the journal %s: %w", path, err)
	}
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // C:/... on Windows
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	if writer {
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(FULL)")
		q.Set("_txlock", "immediate")
	} else {
		q.Add("_pragma", "query_only(1)")
	}
	return (&url.URL{Scheme: "file", Path: p, RawQuery: q.Encode()}).String(), nil
}

// openDB opens the journal at path with dsn's settings for the writer or
// a reader.
func openDB(path string, writer bool) (*sql.DB, error) {
	uri, err := dsn(path, writer)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", uri)
	if err != nil {
		return nil, fmt.Errorf("opening the journal %s: %w", path, err)
	}
	return db, nil
}

// Open opens (creating if needed) the journal at path for the resident,
// the one process that writes it.
func Open(path string) (*Journal, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("creating the journal's directory: %w", err)
	}
	wr, err := openDB(path, true)
	if err != nil {
		return nil, err
	}
	// One connection: SQLite has one writer anyway, and a second pooled
	// connection would only meet SQLITE_BUSY.
	wr.SetMaxOpenConns(1)
	if _, err := wr.Exec(schema); err != nil {
		wr.Close()
		return nil, fmt.Errorf("preparing the journal %s: %w", path, err)
	}
	if err := addLaterColumns(wr); err != nil {
		wr.Close()
		return nil, fmt.Errorf("preparing the journal %s: %w", path, err)
	}
	_ = os.Chmod(path, 0o600)
	j := &Journal{path: path, wr: wr, delivCols: deliveryColumns, ops: make(chan op, 4096), stopped: make(chan struct{})}
	for _, p := range []struct {
		st  **sql.Stmt
		sql string
	}{{&j.upsertCall, upsertCallSQL}, {&j.insertDelivery, insertDeliverySQL}, {&j.updateDelivery, updateDeliverySQL}} {
		if *p.st, err = wr.Prepare(p.sql); err != nil {
			wr.Close()
			return nil, fmt.Errorf("preparing the journal %s: %w", path, err)
		}
	}
	rd, err := openDB(path, false)
	if err != nil {
		wr.Close()
		return nil, err
	}
	rd.SetMaxOpenConns(4)
	j.rd = rd
	go j.writer()
	return j, nil
}

// OpenReadOnly opens an existing journal for reading only (the journal
// command, while the resident may be writing it). A missing journal is
// fs.ErrNotExist.
func OpenReadOnly(path string) (*Journal, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	rd, err := openDB(path, false)
	if err != nil {
		return nil, err
	}
	if err := rd.Ping(); err != nil {
		rd.Close()
		return nil, fmt.Errorf("opening the journal %s: %w", path, err)
	}
	cols, err := deliveryColumnsIn(rd)
	if err != nil {
		rd.Close()
		return nil, fmt.Errorf("reading the journal %s: %w", path, err)
	}
	j := &Journal{path: path, rd: rd, delivCols: cols, closed: true, stopped: make(chan struct{})}
	close(j.stopped)
	return j, nil
}

// Path is the journal's file.
func (j *Journal) Path() string { return j.path }

// Close commits what is queued and closes the file.
func (j *Journal) Close() error {
	j.mu.Lock()
	wasOpen := !j.closed
	j.closed = true
	if wasOpen && j.ops != nil {
		close(j.ops)
	}
	j.mu.Unlock()
	<-j.stopped
	var errs []error
	if j.wr != nil && wasOpen {
		errs = append(errs, j.wr.Close())
	}
	if j.rd != nil {
		errs = append(errs, j.rd.Close())
		j.rd = nil
	}
	return errors.Join(errs...)
}

// submit queues a write. It blocks only while the queue is full (the
// disk cannot keep up), never on a reader.
func (j *Journal) submit(fn func(tx *sql.Tx) error, done func(error)) {
	if done == nil {
		done = func(error) {}
	}
	j.mu.RLock()
	defer j.mu.RUnlock()
	if j.closed {
		done(ErrClosed)
		return
	}
	j.ops <- op{fn: fn, done: done}
}

// writer commits queued writes in batches, in the order they were queued.
func (j *Journal) writer() {
	defer close(j.stopped)
	for first := range j.ops {
		batch := append(make([]op, 0, 16), first)
	more:
		for len(batch) < maxBatch {
			select {
			case o, ok := <-j.ops:
				if !ok {
					break more
				}
				batch = append(batch, o)
			default:
				break more
			}
		}
		err := j.commit(batch)
		if err != nil && len(batch) > 1 {
			// One bad write must not take the others with it.
			for _, o := range batch {
				o.done(j.commit([]op{o}))
			}
			continue
		}
		for _, o := range batch {
			o.done(err)
		}
	}
}

func (j *Journal) commit(batch []op) error {
	tx, err := j.wr.Begin()
	if err != nil {
		return fmt.Errorf("writing the journal: %w", err)
	}
	for _, o := range batch {
		if err := o.fn(tx); err != nil {
			_ = tx.Rollback()
			return fmt.Errorf("writing the journal: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("writing the journal: %w", err)
	}
	return nil
}

func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v)
}

const upsertCallSQL = `INSERT INTO calls (guid, call_id, csta_id, direction, local, local_alias, remote, remote_alias,
		created, connected, disconnected, on_hold, transferred_to, outcome, updated, remote_company, remote_key)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT(guid) DO UPDATE SET call_id = excluded.call_id, csta_id = excluded.csta_id,
		direction = excluded.direction, local = excluded.local, local_alias = excluded.local_alias,
		remote = excluded.remote, remote_alias = excluded.remote_alias, created = excluded.created,
		connected = excluded.connected, disconnected = excluded.disconnected, on_hold = excluded.on_hold,
		transferred_to = excluded.transferred_to, outcome = excluded.outcome, updated = excluded.updated,
		remote_company = excluded.remote_company, remote_key = excluded.remote_key`

const insertDeliverySQL = `INSERT INTO deliveries (id, call_guid, action, url, mode, status, created, attempts,
		next_attempt, http_status, last_error, done, last_says) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

const updateDeliverySQL = `UPDATE deliveries SET status = ?, attempts = ?, next_attempt = ?, http_status = ?,
		last_error = ?, done = ?, last_says = ? WHERE id = ?`

// RecordCall writes the call as it stands (insert or update by GUID).
func (j *Journal) RecordCall(c phone.Call, done func(error)) {
	now := time.Now()
	j.submit(func(tx *sql.Tx) error {
		_, err := tx.Stmt(j.upsertCall).Exec(c.GUID, c.ID, c.CSTAID, int(c.Direction), c.Local, c.LocalAlias,
			c.Remote, c.RemoteAlias, ms(c.Created), ms(c.Connected), ms(c.Disconnected), c.OnHold, c.TransferredTo,
			string(c.Outcome()), ms(now), c.RemoteCompany, j.keyOf(c.Remote))
		return err
	}, done)
}

// AddDeliveries records new deliveries (outgoing.Store).
func (j *Journal) AddDeliveries(ds []outgoing.Delivery, done func(error)) {
	j.submit(func(tx *sql.Tx) error {
		st := tx.Stmt(j.insertDelivery)
		for _, d := range ds {
			if _, err := st.Exec(d.ID, d.CallGUID, string(d.Action), d.URL, string(d.Mode), string(d.Status), ms(d.Created),
				d.Attempts, ms(d.NextAttempt), d.HTTPStatus, d.LastError, ms(d.Done), saysText(d.Says)); err != nil {
				return err
			}
		}
		return nil
	}, done)
}

// UpdateDelivery records the outcome of an attempt (outgoing.Store).
func (j *Journal) UpdateDelivery(d outgoing.Delivery, done func(error)) {
	j.submit(func(tx *sql.Tx) error {
		_, err := tx.Stmt(j.updateDelivery).Exec(string(d.Status), d.Attempts, ms(d.NextAttempt), d.HTTPStatus,
			d.LastError, ms(d.Done), saysText(d.Says), d.ID)
		return err
	}, done)
}

// Sync waits until every write queued before it is on disk.
func (j *Journal) Sync(ctx context.Context) error {
	ch := make(chan error, 1)
	j.submit(func(*sql.Tx) error { return nil }, func(err error) { ch <- err })
	select {
	case err := <-ch:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Prune deletes calls created before before, and their deliveries unless
// still pending: the journal is a record of recent calls, not an archive.
func (j *Journal) Prune(before time.Time, done func(error)) {
	j.submit(func(tx *sql.Tx) error {
		if _, err := tx.Exec(`DELETE FROM deliveries WHERE created < ? AND status != 'pending'`, ms(before)); err != nil {
			return err
		}
		_, err := tx.Exec(`DELETE FROM calls WHERE created < ? AND disconnected != 0`, ms(before))
		return err
	}, done)
}

const deliveryColumns = `id, call_guid, action, url, mode, status, created, attempts, next_attempt, http_status, last_error, done, last_says`

func scanDelivery(rows *sql.Rows) (outgoing.Delivery, error) {
	var (
		d                    outgoing.Delivery
		action, mode, status string
		created, next, done  int64
		says                 string
	)
	err := rows.Scan(&d.ID, &d.CallGUID, &action, &d.URL, &mode, &status, &created, &d.Attempts, &next,
		&d.HTTPStatus, &d.LastError, &done, &says)
	d.Says = saysOf(says)
	d.Action, d.Mode, d.Status = phone.Action(action), outgoing.Mode(mode), outgoing.Status(status)
	d.Created, d.NextAttempt, d.Done = fromMS(created), fromMS(next), fromMS(done)
	return d, err
}

// PendingDeliveries returns the deliveries still to be made, oldest first
// (outgoing.Store).
func (j *Journal) PendingDeliveries(ctx context.Context) ([]outgoing.Delivery, error) {
	return j.deliveries(ctx, `SELECT `+j.delivCols+` FROM deliveries WHERE status = 'pending' ORDER BY id`)
}

// Delivery returns the delivery with id; ok is false when there is none.
func (j *Journal) Delivery(ctx context.Context, id int64) (d outgoing.Delivery, ok bool, err error) {
	ds, err := j.deliveries(ctx, `SELECT `+j.delivCols+` FROM deliveries WHERE id = ?`, id)
	if err != nil || len(ds) == 0 {
		return outgoing.Delivery{}, false, err
	}
	return ds[0], true, nil
}

func (j *Journal) deliveries(ctx context.Context, query string, args ...any) ([]outgoing.Delivery, error) {
	return readAll(ctx, j.rd, scanDelivery, query, args...)
}

// querier is what readAll reads from: the reading connection, or a
// transaction of the writing one.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// readAll runs query on db and scans every row with scan. The rows are
// closed when it returns, so that the next query finds the connection
// free; any failure means the journal could not be read.
func readAll[T any](ctx context.Context, db querier, scan func(*sql.Rows) (T, error), query string, args ...any) ([]T, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("reading the journal: %w", err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("reading the journal: %w", err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the journal: %w", err)
	}
	return out, nil
}

// reservedIDs names the counters row of the outbox's id reservation.
const reservedIDs = "delivery_ids_reserved"

// ReserveDeliveryIDs records the outbox's id reservation (outgoing.Store).
func (j *Journal) ReserveDeliveryIDs(upTo int64, done func(error)) {
	j.submit(func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO counters (name, value) VALUES (?, ?)
			ON CONFLICT(name) DO UPDATE SET value = excluded.value`, reservedIDs, upTo)
		return err
	}, done)
}

// LastDeliveryID returns the highest delivery id stored or reserved
// (outgoing.Store).
func (j *Journal) LastDeliveryID(ctx context.Context) (int64, error) {
	var id int64
	err := j.rd.QueryRowContext(ctx, `SELECT MAX(COALESCE((SELECT MAX(id) FROM deliveries), 0),
		COALESCE((SELECT value FROM counters WHERE name = ?), 0))`, reservedIDs).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("reading the journal: %w", err)
	}
	return id, nil
}

const callColumns = `guid, call_id, csta_id, direction, local, local_alias, remote, remote_alias, created, connected,
	disconnected, on_hold, transferred_to, remote_company`

func scanCall(rows *sql.Rows) (phone.Call, error) { return scanCallWith(rows) }

// scanCallWith reads the callColumns and then the extra columns a query
// selected after them.
func scanCallWith(rows *sql.Rows, extra ...any) (phone.Call, error) {
	var (
		c                      phone.Call
		dir                    int
		created, conn, disconn int64
	)
	err := rows.Scan(append([]any{&c.GUID, &c.ID, &c.CSTAID, &dir, &c.Local, &c.LocalAlias, &c.Remote, &c.RemoteAlias,
		&created, &conn, &disconn, &c.OnHold, &c.TransferredTo, &c.RemoteCompany}, extra...)...)
	c.Direction = phone.Direction(dir)
	c.Created, c.Connected, c.Disconnected = fromMS(created), fromMS(conn), fromMS(disconn)
	return c, err
}

// ActiveCalls returns the calls that had not ended when dialbridge last
// stopped and were heard of since since, for the tracker to continue.
func (j *Journal) ActiveCalls(ctx context.Context, since time.Time) ([]phone.Call, error) {
	return readAll(ctx, j.rd, scanCall, `SELECT `+callColumns+` FROM calls WHERE disconnected = 0 AND updated >= ?
		ORDER BY created`, ms(since))
}

// Query selects journal entries, newest first.
type Query struct {
	// Since keeps entries created at or after it; zero means all.
	Since time.Time
	// Limit bounds the number of entries; 0 means 100.
	Limit int
	// Status keeps deliveries in this status only ("pending", ...).
	Status outgoing.Status
}

func (q Query) limit() int {
	if q.Limit <= 0 {
		return 100
	}
	return min(q.Limit, 10000)
}

// Calls returns calls with their deliveries, newest first.
func (j *Journal) Calls(ctx context.Context, q Query) ([]control.CallEntry, error) {
	calls, err := readAll(ctx, j.rd, scanListed, `SELECT `+callColumns+`, returned FROM calls WHERE created >= ?
		ORDER BY created DESC, guid DESC LIMIT ?`, ms(q.Since), q.limit())
	if err != nil {
		return nil, err
	}
	out := make([]control.CallEntry, len(calls))
	index := make(map[string]int, len(calls))
	for i, c := range calls {
		out[i] = EntryOf(c.Call, time.Now())
		out[i].Returned = timePtr(c.returned)
		index[c.GUID] = i
	}
	if len(calls) == 0 {
		return out, nil
	}
	ds, err := j.deliveries(ctx, `SELECT `+j.delivCols+` FROM deliveries WHERE call_guid IN (
			SELECT guid FROM calls WHERE created >= ? ORDER BY created DESC, guid DESC LIMIT ?) ORDER BY id`,
		ms(q.Since), q.limit())
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		if i, ok := index[d.CallGUID]; ok {
			out[i].Deliveries = append(out[i].Deliveries, DeliveryEntryOf(d))
		}
	}
	return out, nil
}

// Deliveries returns deliveries, newest first.
func (j *Journal) Deliveries(ctx context.Context, q Query) ([]control.DeliveryEntry, error) {
	query := `SELECT ` + j.delivCols + ` FROM deliveries WHERE created >= ?`
	args := []any{ms(q.Since)}
	if q.Status != "" {
		query += ` AND status = ?`
		args = append(args, string(q.Status))
	}
	query += ` ORDER BY id DESC LIMIT ?`
	args = append(args, q.limit())
	ds, err := j.deliveries(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	out := make([]control.DeliveryEntry, len(ds))
	for i, d := range ds {
		out[i] = DeliveryEntryOf(d)
	}
	return out, nil
}
