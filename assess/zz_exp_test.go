package assess

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// streamDirect: encode each case straight into the hash in canonical order.
func digestCasesDirect(in *Input, alg Algorithm) string {
	h, _ := newHash(alg)
	e := newEncoder(h, "x")
	idx, _ := canonicalOrder(len(in.Cases), func(i int) string { return in.Cases[i].ID })
	e.i64(int64(len(idx)))
	for _, i := range idx {
		e.buf = appendCase(e.buf, &in.Cases[i])
		e.flushIfFull()
	}
	return e.sum()
}

func digestCasesBuffered(in *Input, alg Algorithm) string {
	h, _ := newHash(alg)
	e := newEncoder(h, "x")
	idx, _ := canonicalOrder(len(in.Cases), func(i int) string { return in.Cases[i].ID })
	size := 0
	for i := range in.Cases {
		c := &in.Cases[i]
		size += 96 + len(c.ID) + len(c.Unit) + len(c.Matter) + len(c.Place)
	}
	enc := make([]byte, 0, size)
	offs := make([]int, len(in.Cases)+1)
	for i := range in.Cases {
		offs[i] = len(enc)
		enc = appendCase(enc, &in.Cases[i])
	}
	offs[len(in.Cases)] = len(enc)
	e.i64(int64(len(idx)))
	for _, i := range idx {
		e.buf = append(e.buf, enc[offs[i]:offs[i+1]]...)
		e.flushIfFull()
	}
	return e.sum()
}

// passes: L passes over the input; pass k encodes (in input order) the records whose canonical rank is
// in the k-th block, then emits the block in canonical order.
func digestCasesPasses(in *Input, alg Algorithm, block int) string {
	h, _ := newHash(alg)
	e := newEncoder(h, "x")
	idx, _ := canonicalOrder(len(in.Cases), func(i int) string { return in.Cases[i].ID })
	n := len(idx)
	rank := make([]int32, n)
	for r, i := range idx {
		rank[i] = int32(r)
	}
	e.i64(int64(n))
	var enc []byte
	offs := make([]int32, min(block, n)+1)
	lens := make([]int32, min(block, n))
	for lo := 0; lo < n; lo += block {
		hi := min(lo+block, n)
		enc = enc[:0]
		for i, r := range rank {
			if int(r) >= lo && int(r) < hi {
				s := len(enc)
				enc = appendCase(enc, &in.Cases[i])
				offs[int(r)-lo] = int32(s)
				lens[int(r)-lo] = int32(len(enc) - s)
			}
		}
		for j := range hi - lo {
			e.buf = append(e.buf, enc[offs[j]:offs[j]+lens[j]]...)
			e.flushIfFull()
		}
	}
	return e.sum()
}

func TestExpSame(t *testing.T) {
	in := genInput(newRng(), 20, 5000, 10)
	a := digestCasesBuffered(&in, SM3)
	if b := digestCasesDirect(&in, SM3); a != b {
		t.Fatal("direct")
	}
	for _, bl := range []int{1, 7, 1000, 5000, 9000} {
		if b := digestCasesPasses(&in, SM3, bl); a != b {
			t.Fatal("passes", bl)
		}
	}
}

func BenchmarkExpBuffered(b *testing.B) {
	in := benchInput(b)
	b.ReportAllocs()
	b.ResetTimer()
	defer reportCPU(b, processCPU())
	for b.Loop() {
		digestCasesBuffered(&in, SM3)
	}
}
func BenchmarkExpDirect(b *testing.B) {
	in := benchInput(b)
	b.ReportAllocs()
	b.ResetTimer()
	defer reportCPU(b, processCPU())
	for b.Loop() {
		digestCasesDirect(&in, SM3)
	}
}
func benchmarkExpPassesOff(b *testing.B) {
	in := benchInputScattered(b)
	for _, bl := range []int{65536, 131072, 262144} {
		b.Run(itoa(bl), func(b *testing.B) {
			b.ReportAllocs()
			defer reportCPU(b, processCPU())
			for b.Loop() {
				digestCasesPasses(&in, SM3, bl)
			}
		})
	}
}

func itoa(n int) string { return fmtSprint(n) }
func fmtSprint(n int) string { return fmt.Sprint(n) }
func newRng() *rand.Rand   { return rand.New(rand.NewPCG(1, 2)) }

func BenchmarkExpScatBuffered(b *testing.B) {
	in := benchInputScattered(b)
	b.ReportAllocs()
	b.ResetTimer()
	defer reportCPU(b, processCPU())
	for b.Loop() {
		digestCasesBuffered(&in, SM3)
	}
}
func BenchmarkExpScatDirect(b *testing.B) {
	in := benchInputScattered(b)
	b.ReportAllocs()
	b.ResetTimer()
	defer reportCPU(b, processCPU())
	for b.Loop() {
		digestCasesDirect(&in, SM3)
	}
}
