package assess

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/emmansun/gmsm/sm3"
)

// Hash is a 32-byte SM3 or SHA-256 digest. It marshals as lower-case hexadecimal.
type Hash [32]byte

// String returns h in lower-case hexadecimal.
func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// MarshalText encodes h in lower-case hexadecimal.
func (h Hash) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// UnmarshalText decodes 64 hexadecimal digits.
func (h *Hash) UnmarshalText(b []byte) error {
	v, err := ParseHash(string(b))
	if err == nil {
		*h = v
	}
	return err
}

// ParseHash decodes 64 hexadecimal digits; anything else is an error wrapping [ErrInvalidInput].
func ParseHash(s string) (Hash, error) {
	var h Hash
	if len(s) != 2*len(h) {
		return Hash{}, fieldErr(ErrInvalidInput, "hash", "", clip(s), fmt.Sprintf("is %d characters, not 64 hexadecimal digits", len(s)))
	}
	if _, err := hex.Decode(h[:], []byte(s)); err != nil {
		return Hash{}, fieldErr(ErrInvalidInput, "hash", "", clip(s), "is not hexadecimal")
	}
	return h, nil
}

func newHash(alg Algorithm) (hash.Hash, error) {
	switch alg {
	case SM3, "":
		return sm3.New(), nil
	case SHA256:
		return sha256.New(), nil
	}
	return nil, &PolicyError{Field: "algorithm", Reason: fmt.Sprintf("%q is not sm3 or sha256", clip(string(alg)))}
}

// The RFC 6962 (§2.1) Merkle tree hash, with SM3 or SHA-256 as the hash H:
//
//	MTH({})        = H()
//	MTH({d0})      = H(0x00 ‖ d0)                      (leaf hash)
//	MTH(D[0:n])    = H(0x01 ‖ MTH(D[0:k]) ‖ MTH(D[k:n])) (node hash)
//
// where k is the largest power of two smaller than n.

// hasher computes leaf and node hashes with one reusable hash state (not safe for concurrent use).
type hasher struct {
	h   hash.Hash
	buf []byte // node input
	sum []byte // Sum's output, copied into a Hash: passing a Hash's own bytes would move it to the heap
}

func newHasher(alg Algorithm) (*hasher, error) {
	h, err := newHash(alg)
	if err != nil {
		return nil, err
	}
	return &hasher{h: h, buf: make([]byte, 0, 65), sum: make([]byte, 0, 32)}, nil
}

// leaf returns H(0x00 ‖ data).
func (x *hasher) leaf(data []byte) Hash {
	x.h.Reset()
	x.h.Write([]byte{0})
	x.h.Write(data)
	return x.result()
}

// leafPrefixed returns H(b) where b already starts with the leaf prefix 0x00.
func (x *hasher) leafPrefixed(b []byte) Hash {
	x.h.Reset()
	x.h.Write(b)
	return x.result()
}

// node returns H(0x01 ‖ l ‖ r).
func (x *hasher) node(l, r *Hash) Hash {
	x.buf = append(x.buf[:0], 1)
	x.buf = append(x.buf, l[:]...)
	x.buf = append(x.buf, r[:]...)
	x.h.Reset()
	x.h.Write(x.buf)
	return x.result()
}

// empty returns MTH({}) = H().
func (x *hasher) empty() Hash {
	x.h.Reset()
	return x.result()
}

func (x *hasher) result() (out Hash) {
	x.sum = x.h.Sum(x.sum[:0])
	copy(out[:], x.sum)
	return out
}

// split returns the largest power of two smaller than n (n ≥ 2).
func split(n int) int {
	k := 1
	for k<<1 < n {
		k <<= 1
	}
	return k
}

// treeChunk is the number of leaves (a power of two) of the subtrees the workers of [listRoot] hash:
// 4,096 leaves of 64-byte records are 256 KiB, which stay in a core's cache while their subtree is
// hashed.
const treeChunk = 1 << 12

// leafList is a list of leaf hashes: []Hash, or the records of an input tree.
type leafList interface {
	leafAt(i int) *Hash
}

type hashList []Hash

func (l hashList) leafAt(i int) *Hash { return &l[i] }

type recordList []RecordDigest

func (l recordList) leafAt(i int) *Hash { return &l[i].Hash }

// treeRoot returns MTH over the given leaf hashes.
func treeRoot(alg Algorithm, leaves []Hash) (Hash, error) {
	return listRoot(alg, hashList(leaves), len(leaves))
}

// listRoot returns MTH over the n leaves of l, on up to GOMAXPROCS goroutines (see chunkedRoot).
func listRoot(alg Algorithm, l leafList, n int) (Hash, error) {
	return chunkedRoot(alg, l, n, treeChunk, runtime.GOMAXPROCS(0))
}

// chunkedRoot returns MTH over the n leaves of l. The leaves are cut into chunks of c leaves (c a power
// of two), the last one possibly shorter, and MTH is the tree over the chunks' roots built by the same
// rule: for n > c the split k of RFC 6962 (the largest power of two below n) is a multiple of c and k/c
// is the largest power of two below ⌈n/c⌉, so the left subtree is made of whole chunks and the right
// one starts at a chunk's first leaf. The chunks' roots depend only on their leaves, so up to procs
// workers take chunks in any order and the root is the same whatever the schedule; the RFC's own
// split would leave one core idle for most of the tree whenever n is just above a power of two.
func chunkedRoot(alg Algorithm, l leafList, n, c, procs int) (Hash, error) {
	x, err := newHasher(alg)
	if err != nil {
		return Hash{}, err
	}
	if n == 0 {
		return x.empty(), nil
	}
	chunks := (n + c - 1) / c
	workers := min(procs, chunks)
	if workers <= 1 {
		return serialRoot(x, l, 0, n), nil
	}
	roots := make([]Hash, chunks)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		y := x
		if w > 0 {
			y, _ = newHasher(alg) // alg was checked above
		}
		wg.Go(func() {
			for {
				t := int(next.Add(1) - 1)
				if t >= chunks {
					return
				}
				roots[t] = serialRoot(y, l, t*c, min((t+1)*c, n))
			}
		})
	}
	wg.Wait()
	return serialRoot(x, hashList(roots), 0, chunks), nil
}

// serialRoot is MTH over the leaves [lo, hi) of l on one goroutine.
func serialRoot(x *hasher, l leafList, lo, hi int) Hash {
	n := hi - lo
	if n == 1 {
		return *l.leafAt(lo)
	}
	k := lo + split(n)
	left := serialRoot(x, l, lo, k)
	r := serialRoot(x, l, k, hi)
	return x.node(&left, &r)
}

// MerkleRoot returns the RFC 6962 Merkle tree hash of the leaf data (each leaf hashed as H(0x00 ‖
// leaf)) with alg ("": SM3). It is the construction [Result.InputDigest] uses over the canonical
// records, exported so that an auditor can check it against RFC 6962's own test vectors.
func MerkleRoot(alg Algorithm, leaves [][]byte) (Hash, error) {
	x, err := newHasher(alg)
	if err != nil {
		return Hash{}, err
	}
	hs := make([]Hash, len(leaves))
	for i, l := range leaves {
		hs[i] = x.leaf(l)
	}
	return treeRoot(alg, hs)
}

// treeLevels returns every level of the tree over leaves, leaves first and the root last. A level's
// last node without a sibling moves up unchanged, which gives the same tree as RFC 6962's split.
func treeLevels(x *hasher, leaves []Hash) [][]Hash {
	levels := [][]Hash{leaves}
	for cur := leaves; len(cur) > 1; {
		next := make([]Hash, 0, (len(cur)+1)/2)
		for i := 0; i+1 < len(cur); i += 2 {
			next = append(next, x.node(&cur[i], &cur[i+1]))
		}
		if len(cur)%2 == 1 {
			next = append(next, cur[len(cur)-1])
		}
		levels = append(levels, next)
		cur = next
	}
	return levels
}

// auditPath returns the RFC 6962 audit path of leaf m in the tree whose levels are given.
func auditPath(levels [][]Hash, m int) []Hash {
	var path []Hash
	for _, level := range levels[:len(levels)-1] {
		if sib := m ^ 1; sib < len(level) {
			path = append(path, level[sib])
		}
		m >>= 1
	}
	return path
}

// verifyPath reports whether path proves that leaf hash leaf is entry index of a tree of size
// entries with root root: the verification algorithm of RFC 9162 §2.1.3.2.
func verifyPath(x *hasher, index, size int64, leaf Hash, path []Hash, root Hash) bool {
	if index < 0 || index >= size {
		return false
	}
	fn, sn := index, size-1
	r := leaf
	for i := range path {
		p := &path[i]
		if sn == 0 {
			return false
		}
		if fn&1 == 1 || fn == sn {
			r = x.node(p, &r)
			if fn&1 == 0 {
				for fn&1 == 0 && fn != 0 {
					fn >>= 1
					sn >>= 1
				}
			}
		} else {
			r = x.node(&r, p)
		}
		fn >>= 1
		sn >>= 1
	}
	return sn == 0 && r == root
}
