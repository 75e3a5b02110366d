package screen

import (
	"math/bits"
	"slices"
	"unicode/utf8"

	"github.com/hotline12345/hotline/ticket/internal/textnorm"
)

// matcher is an Aho–Corasick automaton over normalised runes: it finds every occurrence of every
// pattern in one pass over the text, however many patterns there are. It is immutable once built
// and safe for concurrent use.
//
// Normalisation is folded into the scan ([matcher.scanText]): a table over the Basic Multilingual
// Plane maps each rune of the raw text straight to its symbol — the alphabet index of the rune it
// normalises to — or marks it as dropped by the fold (spaces, punctuation …) or as kept but found in
// no pattern. So the text is decoded once, each rune costs one table load, and the byte offsets of
// a hit come from the raw text itself.
//
// Transitions: the root has a dense row; every other state's goto edges are in one open-addressing
// hash table keyed by (state, symbol), so a step is one probe, plus one per failure link followed on
// a miss (amortised O(1) per rune, as in any Aho–Corasick automaton). A 64-bit signature per state
// (a bit per symbol modulo 64) answers most misses without touching the table.
type matcher struct {
	bmp   []int32        // normalised rune → symbol+1 for runes below len(bmp); 0 means not in the alphabet
	astro map[rune]int32 // normalised rune → symbol for runes outside bmp
	root  []int32        // root transitions per symbol (0 = stay at root)

	// class maps every rune of the Basic Multilingual Plane of the raw text to its symbol, or to
	// classDropped or classOther.
	class []int32

	sig   []uint64 // state → bit (symbol mod 64) set for each of its goto edges: most misses stop here
	keys  []uint64 // hash table of goto edges: state<<32 | symbol, 0 = empty slot
	vals  []int32  // the state reached
	shift uint     // 64 - log2(len(keys))

	fail   []int32 // state → failure link
	pat    []int32 // state → pattern ending here, or -1
	dict   []int32 // state → nearest proper suffix state with a pattern, or -1
	out    []int32 // state → the state itself when a pattern ends there, else dict; -1: no output
	patLen []int32 // pattern → length in runes
	maxLen int     // longest pattern, in runes
}

const (
	classDropped = -2 // the fold drops the rune: it is not part of the normalised text
	classOther   = -1 // the rune is kept but occurs in no pattern: back to the root
)

// newMatcher builds the automaton for patterns, which must be distinct, non-empty and normalised.
// Pattern i is reported as i.
func newMatcher(patterns [][]rune) *matcher {
	m := &matcher{astro: map[rune]int32{}}
	// Alphabet.
	var maxBMP rune = -1
	for _, p := range patterns {
		for _, r := range p {
			if r < 0x10000 {
				maxBMP = max(maxBMP, r)
			}
		}
	}
	m.bmp = make([]int32, maxBMP+1)
	nsym := int32(0)
	for _, p := range patterns {
		for _, r := range p {
			if r >= 0 && r <= maxBMP {
				if m.bmp[r] == 0 {
					m.bmp[r] = nsym + 1
					nsym++
				}
			} else if _, ok := m.astro[r]; !ok {
				m.astro[r] = nsym
				nsym++
			}
		}
	}

	// Trie with temporary map-based children.
	type key struct{ node, sym int32 }
	child := map[key]int32{}
	m.pat = []int32{-1}
	m.patLen = make([]int32, len(patterns))
	nodes := int32(1)
	for i, p := range patterns {
		n := int32(0)
		for _, r := range p {
			s := m.symbol(r)
			k := key{n, s}
			next, ok := child[k]
			if !ok {
				next = nodes
				nodes++
				child[k] = next
				m.pat = append(m.pat, -1)
			}
			n = next
		}
		m.pat[n] = int32(i)
		m.patLen[i] = int32(len(p))
		m.maxLen = max(m.maxLen, len(p))
	}
	// Edges per node, sorted by symbol.
	keys := make([]key, 0, len(child))
	for k := range child {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b key) int {
		if a.node != b.node {
			return int(a.node - b.node)
		}
		return int(a.sym - b.sym)
	})
	edgeStart := make([]int32, nodes+1)
	edgeSym := make([]int32, len(keys))
	edgeDst := make([]int32, len(keys))
	for i, k := range keys {
		edgeStart[k.node+1]++
		edgeSym[i] = k.sym
		edgeDst[i] = child[k]
	}
	for i := range nodes {
		edgeStart[i+1] += edgeStart[i]
	}
	m.root = make([]int32, nsym)
	for e := edgeStart[0]; e < edgeStart[1]; e++ {
		m.root[edgeSym[e]] = edgeDst[e]
	}

	// Failure and dictionary links, breadth first.
	m.fail = make([]int32, nodes)
	m.dict = make([]int32, nodes)
	m.dict[0] = -1
	queue := make([]int32, 0, nodes)
	for e := edgeStart[0]; e < edgeStart[1]; e++ {
		d := edgeDst[e]
		m.fail[d], m.dict[d] = 0, -1
		queue = append(queue, d)
	}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for e := edgeStart[n]; e < edgeStart[n+1]; e++ {
			s, d := edgeSym[e], edgeDst[e]
			f := m.next(m.fail[n], s, edgeStart, edgeSym, edgeDst)
			m.fail[d] = f
			if m.pat[f] >= 0 {
				m.dict[d] = f
			} else {
				m.dict[d] = m.dict[f]
			}
			queue = append(queue, d)
		}
	}
	m.out = make([]int32, nodes)
	for n := range nodes {
		if m.pat[n] >= 0 {
			m.out[n] = n
		} else {
			m.out[n] = m.dict[n]
		}
	}

	// The goto edges below the root in the hash table, at most half full, and the signatures.
	m.sig = make([]uint64, nodes)
	for _, k := range keys {
		m.sig[k.node] |= 1 << (uint(k.sym) & 63)
	}
	below := len(keys) - int(edgeStart[1])
	size := 1 << max(4, bits.Len(uint(2*below)))
	m.keys = make([]uint64, size)
	m.vals = make([]int32, size)
	m.shift = uint(64 - bits.TrailingZeros(uint(size)))
	for e := int(edgeStart[1]); e < len(keys); e++ {
		k := uint64(keys[e].node)<<32 | uint64(uint32(keys[e].sym))
		i := m.slot(k)
		for m.keys[i] != 0 {
			i = (i + 1) & (len(m.keys) - 1)
		}
		m.keys[i], m.vals[i] = k, edgeDst[e]
	}

	// The fold and the alphabet in one table over the Basic Multilingual Plane.
	m.class = make([]int32, 0x10000)
	for r := range rune(0x10000) {
		m.class[r] = m.classOf(r)
	}
	return m
}

// classOf returns the symbol of the rune r of a raw text normalises to, or classDropped or
// classOther.
func (m *matcher) classOf(r rune) int32 {
	f := textnorm.Fold(r)
	if f < 0 {
		return classDropped
	}
	if s := m.symbol(f); s >= 0 {
		return s
	}
	return classOther
}

func (m *matcher) slot(k uint64) int {
	return int((k * 0x9E3779B97F4A7C15) >> m.shift)
}

// symbol returns the alphabet symbol of the normalised rune r, or -1 when no pattern contains r.
func (m *matcher) symbol(r rune) int32 {
	if r >= 0 && int(r) < len(m.bmp) {
		return m.bmp[r] - 1
	}
	if r < 0x10000 {
		return -1
	}
	if s, ok := m.astro[r]; ok {
		return s
	}
	return -1
}

// next is the goto-and-failure step used while building, on the sorted edge arrays.
func (m *matcher) next(n, s int32, edgeStart, edgeSym, edgeDst []int32) int32 {
	for n != 0 {
		lo, hi := edgeStart[n], edgeStart[n+1]
		if i, ok := slices.BinarySearch(edgeSym[lo:hi], s); ok {
			return edgeDst[lo+int32(i)]
		}
		n = m.fail[n]
	}
	return m.root[s]
}

// edge returns the goto edge of state n (not the root) under symbol s, or -1.
func (m *matcher) edge(n, s int32) int32 {
	if m.sig[n]&(1<<(uint(s)&63)) == 0 {
		return -1
	}
	k := uint64(n)<<32 | uint64(uint32(s))
	for i := m.slot(k); ; i = (i + 1) & (len(m.keys) - 1) {
		switch m.keys[i] {
		case k:
			return m.vals[i]
		case 0:
			return -1
		}
	}
}

// step returns the state after reading symbol s (≥ 0) in state n.
func (m *matcher) step(n, s int32) int32 {
	for n != 0 {
		if d := m.edge(n, s); d >= 0 {
			return d
		}
		n = m.fail[n]
	}
	return m.root[s]
}

// scan calls found for every occurrence of every pattern in the normalised text, with the pattern's
// index and the index in text one past the occurrence's last rune. It is the two-pass form, kept for
// the tests that compare the automaton with a naive search.
func (m *matcher) scan(text []rune, found func(pat int, end int)) {
	n := int32(0)
	for i, r := range text {
		s := m.symbol(r)
		if s < 0 {
			n = 0
			continue
		}
		n = m.step(n, s)
		for o := m.out[n]; o > 0; o = m.dict[o] {
			found(int(m.pat[o]), i+1)
		}
	}
}

// scanText normalises the raw text rune by rune as [Normalize] does and runs the automaton on the
// result in the same pass. It calls found for every occurrence of every pattern with the pattern's
// index and the byte range [start, end) of the occurrence in text — from the first byte of the raw
// rune that gave its first normalised rune to the end of the raw rune that gave its last — and
// returns the number of runes of the normalised text.
func (m *matcher) scanText(text string, found func(pat, start, end int)) int {
	// ring holds the byte offsets of the last len(ring) kept runes: enough to find where the longest
	// pattern starts.
	var small [16]int
	ring := small[:]
	if m.maxLen > len(ring) {
		ring = make([]int, 1<<bits.Len(uint(m.maxLen)))
	}
	mask := len(ring) - 1
	n, kept := int32(0), 0
	for i := 0; i < len(text); {
		var s int32
		size := 1
		switch c := text[i]; {
		case c < utf8.RuneSelf:
			s = m.class[c]
		case c >= 0xE0 && c < 0xF0 && i+2 < len(text) && valid3(c, text[i+1], text[i+2]):
			// Three bytes — every CJK character: decoded here, the rest by the standard library.
			s, size = m.class[rune(c&0x0F)<<12|rune(text[i+1]&0x3F)<<6|rune(text[i+2]&0x3F)], 3
		default:
			var r rune
			r, size = utf8.DecodeRuneInString(text[i:])
			if r < 0x10000 {
				s = m.class[r]
			} else {
				s = m.classOf(r)
			}
		}
		if s == classDropped {
			i += size
			continue
		}
		ring[kept&mask] = i
		kept++
		if s < 0 {
			n = 0
		} else if n == 0 {
			n = m.root[s]
		} else {
			n = m.step(n, s)
		}
		for o := m.out[n]; o > 0; o = m.dict[o] {
			p := m.pat[o]
			found(int(p), ring[(kept-int(m.patLen[p]))&mask], i+size)
		}
		i += size
	}
	return kept
}

// valid3 reports whether c0 c1 c2 (c0 in 0xE0–0xEF) is a well-formed three-byte UTF-8 sequence: no
// overlong form (E0 needs A0–BF next) and no surrogate (ED needs 80–9F next), as utf8 decides.
func valid3(c0, c1, c2 byte) bool {
	lo, hi := byte(0x80), byte(0xBF)
	switch c0 {
	case 0xE0:
		lo = 0xA0
	case 0xED:
		hi = 0x9F
	}
	return lo <= c1 && c1 <= hi && 0x80 <= c2 && c2 <= 0xBF
}
