package xtest

import (
	"io"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"
)

// Stream is a reader of N bytes: Head, then pseudo-random bytes (xorshift64, from a fixed start
// moved by Seed), made as they are read, so that a test can send a file of any size without holding
// it. The same Head, N and Seed give the same bytes.
type Stream struct {
	Head []byte
	N    int64
	Seed uint64
	off  int64
	x    uint64
}

// streamStart is where the pseudo-random bytes start, before Seed moves it.
const streamStart = 0x9e3779b97f4a7c15

// Read fills p with the stream's next bytes; io.EOF after N.
func (s *Stream) Read(p []byte) (int, error) {
	if s.off >= s.N {
		return 0, io.EOF
	}
	if int64(len(p)) > s.N-s.off {
		p = p[:s.N-s.off]
	}
	if s.x == 0 {
		s.x = streamStart + s.Seed
	}
	for i := range p {
		if o := s.off + int64(i); o < int64(len(s.Head)) {
			p[i] = s.Head[o]
			continue
		}
		s.x ^= s.x << 13
		s.x ^= s.x >> 7
		s.x ^= s.x << 17
		p[i] = byte(s.x)
	}
	s.off += int64(len(p))
	return len(p), nil
}

// Consumed is how many bytes have been read.
func (s *Stream) Consumed() int64 { return s.off }

// PeakHeap samples the heap (the bytes of live and not yet swept objects, runtime/metrics
// "/memory/classes/heap/objects:bytes") every 2 ms while fn runs and returns the most it held above
// where it started, after a collection: what fn itself held at its worst.
func PeakHeap(fn func()) uint64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	base := read()
	var top atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			if v := read(); v > top.Load() {
				top.Store(v)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	})
	fn()
	close(stop)
	wg.Wait()
	if v := read(); v > top.Load() {
		top.Store(v)
	}
	if top.Load() < base {
		return 0
	}
	return top.Load() - base
}
