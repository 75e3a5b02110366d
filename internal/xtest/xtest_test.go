package xtest_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/internal/xtest"
)

func TestStream(t *testing.T) {
	head := []byte("%PDF-1.7\n")
	cases := []struct {
		name string
		s    xtest.Stream
		buf  int
	}{
		{name: "empty", s: xtest.Stream{Head: head}, buf: 7},
		{name: "shorter than its head", s: xtest.Stream{Head: head, N: 4}, buf: 3},
		{name: "one byte reads", s: xtest.Stream{Head: head, N: 100}, buf: 1},
		{name: "large reads", s: xtest.Stream{Head: head, N: 1 << 20, Seed: 3}, buf: 64 << 10},
		{name: "no head", s: xtest.Stream{N: 1000}, buf: 333},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			same := c.s
			got, err := io.ReadAll(io.LimitReader(struct{ io.Reader }{&c.s}, c.s.N+1))
			require.NoError(t, err)
			assert.Len(t, got, int(c.s.N))
			assert.Equal(t, c.s.N, c.s.Consumed())
			n := min(int(c.s.N), len(head))
			if len(c.s.Head) > 0 {
				assert.Equal(t, head[:n], got[:n], "the head comes first")
			}
			// The same stream read in other chunks gives the same bytes.
			again := bytes.NewBuffer(nil)
			chunk := make([]byte, c.buf)
			for {
				k, err := same.Read(chunk)
				again.Write(chunk[:k])
				if err == io.EOF {
					break
				}
				require.NoError(t, err)
			}
			assert.Equal(t, string(got), again.String())
		})
	}
	a, err := io.ReadAll(&xtest.Stream{N: 64, Seed: 1})
	require.NoError(t, err)
	b, err := io.ReadAll(&xtest.Stream{N: 64, Seed: 2})
	require.NoError(t, err)
	assert.NotEqual(t, a, b, "another seed, other bytes")
}

var sink []byte

func TestPeakHeap(t *testing.T) {
	const size = 8 << 20
	grown := xtest.PeakHeap(func() { sink = make([]byte, size); sink[size-1] = 1 })
	assert.GreaterOrEqual(t, grown, uint64(size), "an 8 MiB allocation held across the sample")
	sink = nil
	idle := xtest.PeakHeap(func() {})
	assert.Less(t, idle, uint64(size), "nothing allocated, nothing like 8 MiB")
}
