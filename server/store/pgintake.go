package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun/schema"
)

// intakePostgres writes an intake on PostgreSQL in one round trip and one commit when it can, and
// in two otherwise. It drives a pool connection through pgx's extended protocol directly:
// database/sql would spend a round trip on BEGIN and one on COMMIT, and the store's bun queries go
// out in the simple protocol, each parsed and planned anew with every value spelled out as a
// literal. Here each statement is prepared once per connection and then only bound with its values
// (bytea in binary), and the statements of a round trip go out as one pipeline.
//
// The audit row must chain on its shard's head, and a hotline office may accept only tickets placed
// in its jurisdiction. This Store remembers the head it last committed in each shard and the
// jurisdiction it last read for each office (pgCache), so the fast path sends, in one round trip,
// the intake's rows (idempotency key, projection, event, outbox) and the guarded audit write
// (pgAuditSQL) as one implicit transaction. The guard makes the database refuse the whole
// transaction when what was remembered is no longer true — another process or another write advanced
// the shard, or the office's unit row changed — and the intake then takes the slow path, which reads
// them under lock:
//
//  1. BEGIN, the office's unit row, the intake's rows, and the shard's head read FOR UPDATE;
//  2. the audit write (the same guarded statement, which now cannot fail) and COMMIT.
//
// An intake holds its shard's mutex from before it reads the head to after it commits, as it would
// the head's row lock; the ticket's id is drawn so that its shard is one no other intake of this
// Store holds (claimShard), so intakes of one Store do not wait for each other. A jurisdiction that
// does not cover the ticket is reported before a taken key.
//
// On the fast path, intakes that arrive together share one round trip and one commit (a round,
// pggroup.go); a round that is refused is written again one intake at a time.
func (s *Store) intakePostgres(ctx context.Context, p Principal, jurisdiction func([]string) error, build func(id string) (intakeWrite, error), now time.Time) (IntakeResult, error) {
	if err := ctx.Err(); err != nil {
		// Nothing sent: what this Store remembers of the shard stays true.
		return IntakeResult{}, err
	}
	id, shard, h := s.pg.claimShard()
	defer h.mu.Unlock()
	w, err := build(id)
	if err != nil {
		return IntakeResult{}, err
	}
	office := ""
	if jurisdiction != nil {
		office = p.Unit
	}
	if body, ok := s.pgFastPath(h, office, jurisdiction); ok {
		err := s.intakeFast(ctx, h, shard, w, p, office, body, now)
		if err == nil {
			h.penalty /= 2
			s.pg.fast.Add(1)
			return w.res, nil
		}
		h.known = false
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Severity != "ERROR" {
			// Not refused by a statement (a broken connection, a cancelled context, the server
			// shutting the session down): whether it committed is unknown, so it is not written
			// again.
			return IntakeResult{}, err
		}
		if staleGuard(err) {
			// What was remembered is out of date: back off from the fast path on this shard a
			// while (other processes may be writing it).
			h.penalty = min(max(1, 2*h.penalty), 64)
			h.skip = h.penalty
			s.pg.forgetOffice(office)
		}
		// Refused and rolled back: the slow path writes it, or reports why not exactly as it
		// would have (the jurisdiction first, then a taken key or a duplicate).
	}
	for attempt := 0; ; attempt++ {
		err = s.onPgConn(ctx, func(c *pgx.Conn) error { return s.intakeTwoTrips(ctx, c, h, shard, w, p, office, jurisdiction, now) })
		if err == nil || !isRetryable(err) || ctx.Err() != nil || attempt == 4 {
			break
		}
		time.Sleep(time.Duration(attempt+1) * 3 * time.Millisecond)
	}
	if err != nil {
		h.known = false
		return IntakeResult{}, err
	}
	s.pg.slow.Add(1)
	return w.res, nil
}

// pgFastPath reports whether an intake can take the one-round-trip path: the shard's head is known,
// and the office's jurisdiction, as last read, covers the ticket (body is the unit row it was read
// from, for the guard).
func (s *Store) pgFastPath(h *pgHead, office string, jurisdiction func([]string) error) (body []byte, ok bool) {
	if h.stale.Swap(false) {
		h.known = false
	}
	if !h.known {
		return nil, false
	}
	if h.skip > 0 {
		h.skip--
		return nil, false
	}
	if jurisdiction == nil {
		return nil, true
	}
	o, ok := s.pg.office(office)
	if !ok || jurisdiction(o.areas) != nil {
		return nil, false
	}
	return o.body, true
}

// intakeFast is the fast path of intakePostgres: the intake goes out in a round with the others
// that arrive with it (pgGroup), and when that round is refused, on its own.
func (s *Store) intakeFast(ctx context.Context, h *pgHead, shard int, w intakeWrite, p Principal, office string, body []byte, now time.Time) error {
	row, err := auditNext(shard, auditHeadRow{ID: shard, Seq: h.seq + 1, Hash: h.hash}, now, p.Actor, w.action, w.res.ID, w.fields)
	if err != nil {
		return err
	}
	j := &pgJoin{w: w, row: row, office: office, body: body}
	err = s.intakeInRound(ctx, j)
	if errors.Is(err, errRoundRefused) {
		_, err = s.writeRound(ctx, []*pgJoin{j})
	}
	if err == nil {
		h.known, h.seq, h.hash = true, row.Seq, row.Hash
	}
	return err
}

// intakeTwoTrips is the slow path of intakePostgres; it leaves the shard's head and the office's
// jurisdiction remembered for the fast path.
func (s *Store) intakeTwoTrips(ctx context.Context, c *pgx.Conn, h *pgHead, shard int, w intakeWrite, p Principal, office string, jurisdiction func([]string) error, now time.Time) error {
	first := pgBatch{s: s, ctx: ctx, c: c}
	first.exec("BEGIN", nil, nil)
	if jurisdiction != nil {
		first.exec("SELECT body FROM units WHERE id = $1", [][]byte{[]byte(office)}, binaryResults)
	}
	for _, r := range w.rows {
		first.insert(r)
	}
	for _, n := range w.once {
		first.insertIgnore(n)
	}
	first.exec("SELECT seq, hash FROM audit_head WHERE id = $1 FOR UPDATE", [][]byte{strconv.AppendInt(nil, int64(shard), 10)}, binaryResults)
	results, err := first.send()
	var body []byte
	if jurisdiction != nil && len(results) > 1 {
		// Checked before anything else is reported (a taken key, a duplicate); what was written
		// is rolled back.
		var areas []string
		var jerr error
		if body, areas, jerr = officeOf(results[1], office); jerr == nil {
			jerr = jurisdiction(areas)
			s.pg.rememberOffice(office, body, areas)
		}
		if jerr != nil {
			return jerr
		}
	}
	if err != nil {
		return err
	}
	head, err := headOf(results[len(results)-1], shard)
	if err != nil {
		return err
	}
	head.Seq++
	row, err := auditNext(shard, head, now, p.Actor, w.action, w.res.ID, w.fields)
	if err != nil {
		return err
	}
	second := pgBatch{s: s, ctx: ctx, c: c}
	second.audit(row, office, body)
	second.exec("COMMIT", nil, nil)
	if err := second.commit(); err != nil {
		return fmt.Errorf("store: appending audit row %d/%d: %w", shard, row.Seq, err)
	}
	h.known, h.seq, h.hash = true, row.Seq, row.Hash
	return nil
}

// pgAuditSQL is the guarded audit write: it moves the shard's head from row.Seq-1 to the new row
// and inserts the row, in one statement. When the head is no longer at row.Seq-1 (or, with an
// office, the office's unit row is no longer the one its jurisdiction was checked against), the
// subquery giving the hash is empty, the hash NULL, and the NOT NULL column refuses the row: the
// transaction fails with 23502 and writes nothing. Parameters: $1 shard, $2 seq, $3 at_us, $4
// actor, $5 action, $6 subject, $7 fields, $8 hash[, $9 office, $10 its unit body].
func pgAuditSQL(office bool) string {
	guard := ""
	if office {
		guard = " WHERE EXISTS (SELECT 1 FROM units WHERE id = $9 AND body = $10)"
	}
	return "WITH head AS (UPDATE audit_head SET seq = $2, hash = $8 WHERE id = $1 AND seq = $2 - 1 RETURNING id) " +
		"INSERT INTO audit_log (shard, seq, at_us, actor, action, subject, fields, hash) " +
		"VALUES ($1, $2, $3, $4, $5, $6, $7, (SELECT $8::bytea FROM head" + guard + "))"
}

// staleGuard reports an error from the fast path's guard (pgAuditSQL), or a row of the shard another
// writer appended first: what the fast path remembered was out of date, and nothing was written.
func staleGuard(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.TableName == "audit_log" && (pe.Code == "23502" || pe.Code == "23505")
}

// pgCache is what the PostgreSQL intake remembers between intakes (see intakePostgres).
type pgCache struct {
	heads [AuditShards]pgHead
	// fast and slow count the intakes written by each path.
	fast, slow atomic.Int64
	// group sends the fast path's intakes in rounds.
	group pgGroup

	mu      sync.Mutex
	offices map[string]pgOffice
}

// pgHead is a shard's head as this Store last committed it.
type pgHead struct {
	mu    sync.Mutex // held by an intake of the shard from before it reads the head to after it commits
	known bool
	seq   int64
	hash  []byte
	// stale is set by every other write of the shard in this Store (appendAudit).
	stale atomic.Bool
	// skip is how many intakes take the slow path before the fast one is tried again; penalty
	// doubles each time the guard finds the head out of date (up to 64), and halves on success.
	skip, penalty int
}

// pgOffice is a hotline office's jurisdiction and the unit row's body it was read from.
type pgOffice struct {
	body  []byte
	areas []string
}

// claimShard returns a new ticket id whose audit shard no other intake of this Store is writing,
// with the shard's mutex locked: ids are drawn until one falls in a free shard (a ticket's rows are
// chained in the shard its id hashes to, so which shard it gets is the id's only constraint). Only
// when every shard stays taken for many draws does it wait for one.
func (c *pgCache) claimShard() (string, int, *pgHead) {
	for range 4 * AuditShards {
		id := newID()
		shard := auditShard(id)
		if h := &c.heads[shard]; h.mu.TryLock() {
			return id, shard, h
		}
	}
	id := newID()
	shard := auditShard(id)
	h := &c.heads[shard]
	h.mu.Lock()
	return id, shard, h
}

func (c *pgCache) office(unit string) (pgOffice, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	o, ok := c.offices[unit]
	return o, ok
}

func (c *pgCache) rememberOffice(unit string, body []byte, areas []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.offices == nil || len(c.offices) >= 1024 {
		c.offices = map[string]pgOffice{}
	}
	c.offices[unit] = pgOffice{body: body, areas: areas}
}

func (c *pgCache) forgetOffice(unit string) {
	if unit == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.offices, unit)
}

// onPgConn runs fn on a pool connection's pgx connection and rolls back whatever transaction fn leaves
// open (a failed statement, a cancelled context); a connection that cannot be rolled back is closed,
// and the pool discards it (as it discards any connection left in a transaction).
func (s *Store) onPgConn(ctx context.Context, fn func(c *pgx.Conn) error) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("store: PostgreSQL connection is a %T, not pgx's", dc)
		}
		c := sc.Conn()
		err := fn(c)
		if pc := c.PgConn(); !pc.IsClosed() && pc.TxStatus() != 'I' {
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			if _, rerr := pc.Exec(rctx, "ROLLBACK").ReadAll(); rerr != nil {
				_ = pc.Close(rctx)
			}
		}
		return err
	})
}

var binaryResults = []int16{1}

// pgBatch is one round trip of prepared statements, in the extended protocol. A statement is
// prepared on the connection the first time it is used there (pgx keeps the connection's prepared
// statements); after that it is only bound and executed. The first error sticks.
type pgBatch struct {
	s   *Store
	ctx context.Context
	c   *pgx.Conn
	b   pgconn.Batch
	err error
}

// exec queues sql with params in the text format, except bytea parameters, which are raw bytes
// (the binary format). A nil param is NULL.
func (pb *pgBatch) exec(sql string, params [][]byte, resultFormats []int16) {
	if pb.err != nil {
		return
	}
	sd, err := pb.c.Prepare(pb.ctx, sql, sql)
	if err != nil {
		pb.err = err
		return
	}
	if len(sd.ParamOIDs) != len(params) {
		pb.err = fmt.Errorf("store: %d parameters for %d placeholders in %q", len(params), len(sd.ParamOIDs), sql)
		return
	}
	formats := make([]int16, len(params))
	for i, oid := range sd.ParamOIDs {
		if oid == pgtype.ByteaOID {
			formats[i] = pgx.BinaryFormatCode
		}
	}
	pb.b.ExecStatement(sd, params, formats, resultFormats)
}

// insert queues the INSERT of model: a pointer to a row struct, or to a slice of them (one INSERT
// per row). The columns are bun's, so the statement follows the row struct.
func (pb *pgBatch) insert(model any) {
	if pb.err != nil {
		return
	}
	v := reflect.ValueOf(model)
	if v.Kind() != reflect.Pointer {
		pb.err = fmt.Errorf("store: insert of a %T, not a pointer", model)
		return
	}
	v = v.Elem()
	if v.Kind() == reflect.Slice {
		for i := range v.Len() {
			pb.insertRow(v.Index(i))
		}
		return
	}
	pb.insertRow(v)
}

// insertIgnore queues the INSERT of the row model points to, skipped when its key is taken (ON
// CONFLICT DO NOTHING).
func (pb *pgBatch) insertIgnore(model any) {
	if pb.err != nil {
		return
	}
	v := reflect.ValueOf(model)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		pb.err = fmt.Errorf("store: insert of a %T, not a pointer to a row", model)
		return
	}
	pb.insertRowAs(v.Elem(), true)
}

func (pb *pgBatch) insertRow(v reflect.Value) { pb.insertRowAs(v, false) }

// insertRows queues one INSERT of every row struct in vs, all of one type: one statement for many
// rows, where the executor opens the table and each of its indexes once.
func (pb *pgBatch) insertRows(vs []reflect.Value) {
	if pb.err != nil || len(vs) == 0 {
		return
	}
	if len(vs) == 1 {
		pb.insertRow(vs[0])
		return
	}
	ins, err := pb.s.pgInsertOf(vs[0].Type(), false)
	if err != nil {
		pb.err = err
		return
	}
	params := make([][]byte, 0, len(vs)*len(ins.fields))
	for _, v := range vs {
		if params, err = ins.appendParams(params, v); err != nil {
			pb.err = err
			return
		}
	}
	pb.exec(pb.s.pgInsertRowsSQL(vs[0].Type(), ins, len(vs)), params, nil)
}

// rowsByType returns the row structs of models (pointers to rows, or to slices of them) grouped by
// type, the types in the order they first appear.
func rowsByType(models []any) ([]reflect.Type, map[reflect.Type][]reflect.Value, error) {
	var order []reflect.Type
	by := map[reflect.Type][]reflect.Value{}
	add := func(v reflect.Value) {
		t := v.Type()
		if _, ok := by[t]; !ok {
			order = append(order, t)
		}
		by[t] = append(by[t], v)
	}
	for _, m := range models {
		v := reflect.ValueOf(m)
		if v.Kind() != reflect.Pointer {
			return nil, nil, fmt.Errorf("store: insert of a %T, not a pointer", m)
		}
		v = v.Elem()
		if v.Kind() == reflect.Slice {
			for i := range v.Len() {
				add(v.Index(i))
			}
			continue
		}
		add(v)
	}
	return order, by, nil
}

func (pb *pgBatch) insertRowAs(v reflect.Value, ignore bool) {
	ins, err := pb.s.pgInsertOf(v.Type(), ignore)
	if err != nil {
		pb.err = err
		return
	}
	params, err := ins.appendParams(make([][]byte, 0, len(ins.fields)), v)
	if err != nil {
		pb.err = err
		return
	}
	pb.exec(ins.sql, params, nil)
}

// audit queues the guarded audit write of row (pgAuditSQL), checking office's unit row is body.
func (pb *pgBatch) audit(row auditRow, office string, body []byte) {
	params := [][]byte{strconv.AppendInt(nil, int64(row.Shard), 10), strconv.AppendInt(nil, row.Seq, 10),
		strconv.AppendInt(nil, row.AtUS, 10), []byte(row.Actor), []byte(row.Action), []byte(row.Subject), row.Fields, row.Hash}
	if office != "" {
		params = append(params, []byte(office), body)
	}
	pb.exec(pgAuditSQL(office != ""), params, nil)
}

// commit sends the queued statements, the last of which is COMMIT, and checks the transaction
// committed.
func (pb *pgBatch) commit() error {
	results, err := pb.send()
	if err != nil {
		return err
	}
	if tag := results[len(results)-1].CommandTag; tag.String() != "COMMIT" {
		return fmt.Errorf("store: the transaction ended in %q, not COMMIT", tag)
	}
	return nil
}

// send sends the queued statements and a Sync, and reads every result: the results read before the
// first error, and that error.
func (pb *pgBatch) send() ([]*pgconn.Result, error) {
	if pb.err != nil {
		return nil, pb.err
	}
	return pb.c.PgConn().ExecBatch(pb.ctx, &pb.b).ReadAll()
}

// pgInsert is the prepared INSERT of a row struct: every column bun maps, in bun's order.
type pgInsert struct {
	table string
	// head is the statement up to its VALUES: INSERT INTO table (columns).
	head   string
	sql    string
	fields []*schema.Field
}

// appendParams appends the parameters of row struct v, one per column.
func (ins *pgInsert) appendParams(params [][]byte, v reflect.Value) ([][]byte, error) {
	for _, f := range ins.fields {
		p, err := pgParam(f.Value(v))
		if err != nil {
			return nil, fmt.Errorf("store: %s.%s: %w", ins.table, f.Name, err)
		}
		params = append(params, p)
	}
	return params, nil
}

// pgInsertRowsSQL returns ins, the INSERT of row struct typ, for n rows: INSERT … VALUES (…),
// (…), built once per Store, type and n.
func (s *Store) pgInsertRowsSQL(typ reflect.Type, ins *pgInsert, n int) string {
	key := pgRowsKey{typ, n}
	if v, ok := s.pgInsertRows.Load(key); ok {
		return v.(string)
	}
	var b strings.Builder
	b.WriteString(ins.head)
	writeValues(&b, n, len(ins.fields))
	v, _ := s.pgInsertRows.LoadOrStore(key, b.String())
	return v.(string)
}

// writeValues writes " VALUES ($1, …, $k), …": n rows of k placeholders, numbered on.
func writeValues(b *strings.Builder, n, k int) {
	b.WriteString(" VALUES ")
	for r := range n {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(")
		for i := range k {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(b, "$%d", r*k+i+1)
		}
		b.WriteString(")")
	}
}

// pgRowsKey names a prepared INSERT of n rows of a row struct (two row structs may map one table
// with different columns).
type pgRowsKey struct {
	typ reflect.Type
	n   int
}

// pgInsertKey names a prepared INSERT: the row struct, and whether a taken key skips the row.
type pgInsertKey struct {
	typ    reflect.Type
	ignore bool
}

// pgInsertOf returns the INSERT of row struct typ (with ignore, ON CONFLICT DO NOTHING), built once
// per Store.
func (s *Store) pgInsertOf(typ reflect.Type, ignore bool) (*pgInsert, error) {
	key := pgInsertKey{typ, ignore}
	if v, ok := s.pgInserts.Load(key); ok {
		return v.(*pgInsert), nil
	}
	t := s.db.Table(typ)
	if t == nil || len(t.Fields) == 0 {
		return nil, fmt.Errorf("store: %s is not a row struct", typ)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "INSERT INTO %s (", t.Name)
	for i, f := range t.Fields {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(f.SQLName))
	}
	b.WriteString(")")
	head := b.String()
	writeValues(&b, 1, len(t.Fields))
	if ignore {
		b.WriteString(" ON CONFLICT DO NOTHING")
	}
	ins := &pgInsert{table: t.Name, head: head, sql: b.String(), fields: t.Fields}
	v, _ := s.pgInserts.LoadOrStore(key, ins)
	return v.(*pgInsert), nil
}

// pgParam encodes a row field as a parameter: text for strings and integers, raw bytes for []byte
// (bound in the binary format), nil for NULL (a nil pointer or a nil []byte, as bun writes them).
func pgParam(v reflect.Value) ([]byte, error) {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil, nil
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.String:
		return []byte(v.String()), nil
	case reflect.Int, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.AppendInt(nil, v.Int(), 10), nil
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			if v.IsNil() {
				return nil, nil
			}
			return v.Bytes(), nil
		}
	}
	return nil, fmt.Errorf("no parameter encoding for %s", v.Type())
}

// officeOf returns the unit row's body in r and the areas it covers (none when the unit is unknown).
func officeOf(r *pgconn.Result, unit string) ([]byte, []string, error) {
	if len(r.Rows) != 1 || len(r.Rows[0]) != 1 {
		return nil, nil, nil
	}
	body := r.Rows[0][0]
	areas, err := unitAreas(unitRow{ID: unit, Body: body})
	return body, areas, err
}

// headOf decodes an audit head row read in the binary format.
func headOf(r *pgconn.Result, shard int) (auditHeadRow, error) {
	if len(r.Rows) != 1 || len(r.Rows[0]) != 2 || len(r.Rows[0][0]) != 8 {
		return auditHeadRow{}, &CorruptError{Table: "audit_head", Key: strconv.Itoa(shard), Err: errors.New("head row missing or malformed")}
	}
	return auditHeadRow{ID: shard, Seq: int64(binary.BigEndian.Uint64(r.Rows[0][0])), Hash: r.Rows[0][1]}, nil
}
