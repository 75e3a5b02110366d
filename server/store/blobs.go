package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/uptrace/bun"

	"github.com/hotline12345/hotline/server/attach"
)

// chunkSize is the size of one stored chunk of a blob kept in the database: small enough that no
// statement comes near MariaDB's default max_allowed_packet or a MEDIUMBLOB's limit, large enough
// that a 20 MB file is 80 rows.
const chunkSize = 256 << 10

type blobRow struct {
	bun.BaseModel `bun:"table:attachment_blobs"`
	Digest        []byte `bun:"digest,pk"`
	BlobID        string `bun:"blob_id"`
	Size          int64  `bun:"size"`
	CreatedUS     int64  `bun:"created_us"`
}

type chunkRow struct {
	bun.BaseModel `bun:"table:attachment_chunks"`
	BlobID        string `bun:"blob_id,pk"`
	N             int    `bun:"n,pk"`
	Data          []byte `bun:"data"`
	CreatedUS     int64  `bun:"created_us"`
}

// dbBlobs is the blob store in the database, the default: a blob's bytes are chunks of chunkSize in
// attachment_chunks under a blob id, written as they arrive (each in its own statement, so no
// transaction is held open while a client uploads); committing maps the digest to the blob id in
// attachment_blobs, or drops the chunks when that digest is stored already.
type dbBlobs struct {
	s   *Store
	now time.Time
}

func (b dbBlobs) Name() string { return "database" }

func (b dbBlobs) Create(ctx context.Context) (attach.BlobWriter, error) {
	return &dbBlobWriter{ctx: ctx, b: b, id: newID(), buf: make([]byte, 0, chunkSize)}, nil
}

func (b dbBlobs) Open(ctx context.Context, sum attach.Sum) (io.ReadCloser, error) {
	var row blobRow
	err := b.s.db.NewSelect().Model(&row).Where("digest = ?", sum[:]).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: %s", attach.ErrNotFound, sum)
	}
	if err != nil {
		return nil, err
	}
	return &dbBlobReader{ctx: ctx, s: b.s, id: row.BlobID}, nil
}

type dbBlobWriter struct {
	ctx  context.Context
	b    dbBlobs
	id   string
	n    int
	size int64
	buf  []byte
	done bool
}

func (w *dbBlobWriter) Write(p []byte) (int, error) {
	if w.done {
		return 0, errors.New("store: blob already committed or aborted")
	}
	written := 0
	for len(p) > 0 {
		k := min(len(p), chunkSize-len(w.buf))
		w.buf = append(w.buf, p[:k]...)
		p, written = p[k:], written+k
		if len(w.buf) == chunkSize {
			if err := w.flush(); err != nil {
				return written, err
			}
		}
	}
	return written, nil
}

func (w *dbBlobWriter) flush() error {
	_, err := w.b.s.db.NewInsert().Model(&chunkRow{BlobID: w.id, N: w.n, Data: w.buf, CreatedUS: micros(w.b.now)}).Exec(w.ctx)
	if err != nil {
		return fmt.Errorf("store: writing chunk %d of a blob: %w", w.n, err)
	}
	w.n++
	w.size += int64(len(w.buf))
	w.buf = w.buf[:0]
	return nil
}

func (w *dbBlobWriter) Commit(ctx context.Context, sum attach.Sum) error {
	if w.done {
		return errors.New("store: blob already committed or aborted")
	}
	if len(w.buf) > 0 || w.n == 0 {
		if err := w.flush(); err != nil {
			_ = w.Abort()
			return err
		}
	}
	w.done = true
	_, err := w.b.s.db.NewInsert().Model(&blobRow{Digest: sum[:], BlobID: w.id, Size: w.size, CreatedUS: micros(w.b.now)}).Exec(ctx)
	if isUnique(err) {
		return w.drop() // the same bytes are stored already: keep the first copy
	}
	if err != nil {
		_ = w.drop()
		return fmt.Errorf("store: committing a blob: %w", err)
	}
	return nil
}

func (w *dbBlobWriter) Abort() error {
	if w.done {
		return nil
	}
	w.done = true
	return w.drop()
}

// drop deletes the writer's chunks, even when the request that wrote them has ended.
func (w *dbBlobWriter) drop() error {
	_, err := w.b.s.db.NewDelete().Model((*chunkRow)(nil)).Where("blob_id = ?", w.id).Exec(context.WithoutCancel(w.ctx))
	return err
}

// dbBlobReader reads a blob's chunks one at a time.
type dbBlobReader struct {
	ctx  context.Context
	s    *Store
	id   string
	n    int
	cur  *bytes.Reader
	done bool
}

func (r *dbBlobReader) Read(p []byte) (int, error) {
	for {
		if r.cur != nil && r.cur.Len() > 0 {
			return r.cur.Read(p)
		}
		if r.done {
			return 0, io.EOF
		}
		var data []byte
		err := r.s.db.NewSelect().Model((*chunkRow)(nil)).Column("data").Where("blob_id = ? AND n = ?", r.id, r.n).Scan(r.ctx, &data)
		if errors.Is(err, sql.ErrNoRows) {
			r.done = true
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("store: reading chunk %d of a blob: %w", r.n, err)
		}
		r.n++
		r.cur = bytes.NewReader(data)
	}
}

func (r *dbBlobReader) Close() error { return nil }

// PurgeStagedBlobs deletes the chunks of blobs never committed (an upload cut off by a crash) written
// before olderThan, and returns how many chunks went. When the store keeps bytes in a configured blob
// store that can purge its own staging area (as [attach.Dir.PurgeStaged] does), that store's staged
// files older than olderThan go too and count in the result. Only the system or an administrator may.
func (s *Store) PurgeStagedBlobs(ctx context.Context, p Principal, olderThan, now time.Time) (int64, error) {
	if err := p.validate(); err != nil {
		return 0, err
	}
	if p.Role != RoleSystem && p.Role != RoleAdmin {
		return 0, forbidden(p, "purge staged blobs")
	}
	var n int64
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewDelete().Model((*chunkRow)(nil)).Where("created_us < ?", micros(olderThan)).
			Where("blob_id NOT IN (SELECT b.blob_id FROM attachment_blobs AS b)").Exec(ctx)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		if n == 0 {
			return nil // nothing went: no audit row (serve purges every hour on every instance)
		}
		return s.appendAudit(ctx, tx, now, p.Actor, "attachment.purge_staged", "", fmt.Sprintf("chunks=%d", n))
	})
	if err != nil {
		return n, err
	}
	if sp, ok := s.files.blobs.(stagedPurger); ok {
		files, err := sp.PurgeStaged(olderThan)
		n += int64(files)
		if err != nil {
			return n, fmt.Errorf("store: purging the blob store's staged files: %w", err)
		}
	}
	return n, nil
}

// stagedPurger is a blob store that can remove what cut-off uploads left in its staging area.
type stagedPurger interface {
	PurgeStaged(olderThan time.Time) (int, error)
}
