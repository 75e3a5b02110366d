package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun/schema"
)

// intakePostgres writes an intake on PostgreSQL in two round trips and one commit. It drives a pool
// connection through pgx's extended protocol directly: database/sql would spend a round trip on BEGIN
// and one on COMMIT, and the store's bun queries are sent in the simple protocol, each parsed and
// planned anew with every value spelled out as a literal. Here each statement is prepared once per
// connection and then bound with its values (bytea in binary), and the statements of a round trip
// go out as one pipeline:
//
//  1. BEGIN, the office's unit row (its jurisdiction), the intake's rows (idempotency key,
//     projection, event, outbox), and the audit shard's head read under its row lock;
//  2. the chained audit row, the head's update, and COMMIT.
//
// The head lock is taken last and held for one round trip and the commit. Any error rolls back;
// a jurisdiction that does not cover the ticket is reported first, before a taken key.
func (s *Store) intakePostgres(ctx context.Context, p Principal, jurisdiction func([]string) error, build func() (intakeWrite, error), now time.Time) (IntakeResult, error) {
	w, err := build()
	if err != nil {
		return IntakeResult{}, err
	}
	subject := w.res.ID
	shard := auditShard(subject)
	shardParam := []byte(strconv.Itoa(shard))
	for attempt := 0; ; attempt++ {
		err = s.onPgConn(ctx, func(c *pgx.Conn) error {
			first := pgBatch{s: s, ctx: ctx, c: c}
			first.exec("BEGIN", nil, nil)
			if jurisdiction != nil {
				first.exec("SELECT body FROM units WHERE id = $1", [][]byte{[]byte(p.Unit)}, binaryResults)
			}
			for _, r := range w.rows {
				first.insert(r)
			}
			first.exec("SELECT seq, hash FROM audit_head WHERE id = $1 FOR UPDATE", [][]byte{shardParam}, binaryResults)
			results, err := first.send()
			if jurisdiction != nil && len(results) > 1 {
				// Checked before anything else is reported (a taken key, a duplicate); what was
				// written is rolled back.
				if jerr := checkJurisdiction(results[1], p.Unit, jurisdiction); jerr != nil {
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
			row, err := auditNext(shard, head, now, p.Actor, w.action, subject, w.fields)
			if err != nil {
				return err
			}
			second := pgBatch{s: s, ctx: ctx, c: c}
			second.insert(&row)
			second.exec("UPDATE audit_head SET seq = $2, hash = $3 WHERE id = $1",
				[][]byte{shardParam, []byte(strconv.FormatInt(row.Seq, 10)), row.Hash}, nil)
			second.exec("COMMIT", nil, nil)
			results, err = second.send()
			if err != nil {
				return fmt.Errorf("store: appending audit row %d/%d: %w", shard, row.Seq, err)
			}
			if tag := results[len(results)-1].CommandTag; tag.String() != "COMMIT" {
				return fmt.Errorf("store: intake %s: the transaction ended in %q, not COMMIT", subject, tag)
			}
			return nil
		})
		if err == nil || !isRetryable(err) || ctx.Err() != nil || attempt == 4 {
			break
		}
		time.Sleep(time.Duration(attempt+1) * 3 * time.Millisecond)
	}
	if err != nil {
		return IntakeResult{}, err
	}
	return w.res, nil
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

func (pb *pgBatch) insertRow(v reflect.Value) {
	ins, err := pb.s.pgInsertOf(v.Type())
	if err != nil {
		pb.err = err
		return
	}
	params := make([][]byte, len(ins.fields))
	for i, f := range ins.fields {
		p, err := pgParam(f.Value(v))
		if err != nil {
			pb.err = fmt.Errorf("store: %s.%s: %w", ins.table, f.Name, err)
			return
		}
		params[i] = p
	}
	pb.exec(ins.sql, params, nil)
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
	table  string
	sql    string
	fields []*schema.Field
}

// pgInsertOf returns the INSERT of row struct typ, built once per Store.
func (s *Store) pgInsertOf(typ reflect.Type) (*pgInsert, error) {
	if v, ok := s.pgInserts.Load(typ); ok {
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
	b.WriteString(") VALUES (")
	for i := range t.Fields {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "$%d", i+1)
	}
	b.WriteString(")")
	ins := &pgInsert{table: t.Name, sql: b.String(), fields: t.Fields}
	v, _ := s.pgInserts.LoadOrStore(typ, ins)
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

// checkJurisdiction runs check on the areas of the unit row in r (none when the unit is unknown).
func checkJurisdiction(r *pgconn.Result, unit string, check func([]string) error) error {
	var areas []string
	if len(r.Rows) == 1 && len(r.Rows[0]) == 1 {
		var err error
		if areas, err = unitAreas(unitRow{ID: unit, Body: r.Rows[0][0]}); err != nil {
			return err
		}
	}
	return check(areas)
}

// headOf decodes an audit head row read in the binary format.
func headOf(r *pgconn.Result, shard int) (auditHeadRow, error) {
	if len(r.Rows) != 1 || len(r.Rows[0]) != 2 || len(r.Rows[0][0]) != 8 {
		return auditHeadRow{}, &CorruptError{Table: "audit_head", Key: strconv.Itoa(shard), Err: errors.New("head row missing or malformed")}
	}
	return auditHeadRow{ID: shard, Seq: int64(binary.BigEndian.Uint64(r.Rows[0][0])), Hash: r.Rows[0][1]}, nil
}
