package attach_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/emmansun/gmsm/sm3"

	"github.com/hotline12345/hotline/internal/xtest"
	"github.com/hotline12345/hotline/server/attach"
)

// BenchmarkIngest streams a 20 MB PDF into a directory blob store (sniff, SM3, size limit, no-op
// scanner, temporary file, fsync, rename); the baselines copy the same stream to a file (with fsync)
// and hash it with SM3 alone, so the figures say what each part costs.
func BenchmarkIngest(b *testing.B) {
	const size = 20 << 20
	ctx := context.Background()
	p := attach.Shanghai()
	b.Run("ingest_dir", func(b *testing.B) {
		bs, err := attach.NewDir(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(size)
		b.ReportAllocs()
		i := uint64(0)
		for b.Loop() {
			i++
			s := &xtest.Stream{Head: pdf, N: size, Seed: i} // different bytes each time: no deduplication
			if _, err := p.Ingest(ctx, s, bs, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("baseline_copy_fsync", func(b *testing.B) {
		dir := b.TempDir()
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			f, err := os.CreateTemp(dir, "copy-*")
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.CopyBuffer(f, &xtest.Stream{Head: pdf, N: size}, make([]byte, 64<<10)); err != nil {
				b.Fatal(err)
			}
			if err := f.Sync(); err != nil {
				b.Fatal(err)
			}
			f.Close()
			os.Remove(filepath.Join(dir, filepath.Base(f.Name())))
		}
	})
	b.Run("baseline_sm3_only", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			h := sm3.New()
			if _, err := io.CopyBuffer(h, &xtest.Stream{Head: pdf, N: size}, make([]byte, 64<<10)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
