package screen

import (
	"slices"
)

// matcher is an Aho–Corasick automaton over runes: it finds every occurrence of every pattern in
// one pass over the text, however many patterns there are. It is immutable once built and safe for
// concurrent use.
//
// Runes are first mapped to a dense alphabet of the runes that occur in patterns (a table for the
// Basic Multilingual Plane, a map above it); a rune outside the alphabet sends the automaton back to
// the root. The root has a dense transition row; every other node keeps its edges sorted by symbol in
// one flat array.
type matcher struct {
	bmp   []int32        // rune → symbol+1 for runes below len(bmp); 0 means not in the alphabet
	astro map[rune]int32 // rune → symbol for runes outside the table
	root  []int32        // root transitions per symbol (0 = stay at root)

	edgeStart []int32 // node → first edge; len = nodes+1
	edgeSym   []int32
	edgeDst   []int32
	fail      []int32 // node → failure link
	pat       []int32 // node → pattern ending here, or -1
	dict      []int32 // node → nearest proper suffix node with a pattern, or -1
	patLen    []int32 // pattern → length in runes
}

// newMatcher builds the automaton for patterns, which must be distinct and non-empty. Pattern i is
// reported as i.
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
	}
	// Flatten the edges, sorted by node then symbol.
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
	m.edgeStart = make([]int32, nodes+1)
	m.edgeSym = make([]int32, len(keys))
	m.edgeDst = make([]int32, len(keys))
	for i, k := range keys {
		m.edgeStart[k.node+1]++
		m.edgeSym[i] = k.sym
		m.edgeDst[i] = child[k]
	}
	for i := range nodes {
		m.edgeStart[i+1] += m.edgeStart[i]
	}
	m.root = make([]int32, nsym)
	for e := m.edgeStart[0]; e < m.edgeStart[1]; e++ {
		m.root[m.edgeSym[e]] = m.edgeDst[e]
	}
	// Failure and dictionary links, breadth first.
	m.fail = make([]int32, nodes)
	m.dict = make([]int32, nodes)
	m.dict[0] = -1
	queue := make([]int32, 0, nodes)
	for e := m.edgeStart[0]; e < m.edgeStart[1]; e++ {
		d := m.edgeDst[e]
		m.fail[d] = 0
		m.dict[d] = -1
		queue = append(queue, d)
	}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for e := m.edgeStart[n]; e < m.edgeStart[n+1]; e++ {
			s, d := m.edgeSym[e], m.edgeDst[e]
			f := m.step(m.fail[n], s)
			m.fail[d] = f
			if m.pat[f] >= 0 {
				m.dict[d] = f
			} else {
				m.dict[d] = m.dict[f]
			}
			queue = append(queue, d)
		}
	}
	return m
}

// symbol returns the alphabet symbol of r, or -1 when no pattern contains r.
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

// edge returns the child of node n under symbol s, or -1.
func (m *matcher) edge(n, s int32) int32 {
	lo, hi := m.edgeStart[n], m.edgeStart[n+1]
	if hi-lo <= 8 {
		for e := lo; e < hi; e++ {
			if m.edgeSym[e] == s {
				return m.edgeDst[e]
			}
		}
		return -1
	}
	for lo < hi {
		mid := int32(uint32(lo+hi) >> 1)
		switch v := m.edgeSym[mid]; {
		case v == s:
			return m.edgeDst[mid]
		case v < s:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return -1
}

// step returns the state after reading symbol s in state n.
func (m *matcher) step(n, s int32) int32 {
	for n != 0 {
		if d := m.edge(n, s); d >= 0 {
			return d
		}
		n = m.fail[n]
	}
	return m.root[s]
}

// scan calls found for every occurrence of every pattern in text, with the pattern's index and the
// index in text one past the occurrence's last rune.
func (m *matcher) scan(text []rune, found func(pat int, end int)) {
	n := int32(0)
	for i, r := range text {
		s := m.symbol(r)
		if s < 0 {
			n = 0
			continue
		}
		n = m.step(n, s)
		for o := n; o > 0; o = m.dict[o] {
			if p := m.pat[o]; p >= 0 {
				found(int(p), i+1)
			}
		}
	}
}
