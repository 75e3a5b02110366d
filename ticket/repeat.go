package ticket

import (
	"crypto/hmac"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/emmansun/gmsm/sm3"
)

// ErrInvalidRepeatPolicy is wrapped by every error [RepeatPolicy.Validate] returns.
var ErrInvalidRepeatPolicy = errors.New("ticket: invalid repeat policy")

// ErrRepeatRecord is wrapped by the errors [RepeatIndex.Add] returns for a record it cannot take: no
// ID, an ID already indexed, or a RepeatOf naming no indexed ticket.
var ErrRepeatRecord = errors.New("ticket: bad repeat-index record")

// ErrWeakKey is returned by [NewSM3MAC] for a key shorter than 16 bytes.
var ErrWeakKey = errors.New("ticket: keyed-hash key shorter than 16 bytes")

// ErrNoCaller is returned by [CallerKeyOf] for an identifier with nothing to hash.
var ErrNoCaller = errors.New("ticket: empty caller identifier")

// RepeatScope says which earlier tickets a new one is compared with.
type RepeatScope string

// The scopes. "Place" means the same region code and the same matter code; a ticket without either
// has no place and matches nothing by place.
const (
	ScopeCaller        RepeatScope = "caller"          // the caller's own tickets, at any place
	ScopeCallerPlace   RepeatScope = "caller_place"    // the caller's own tickets at the same place and matter
	ScopePlace         RepeatScope = "place"           // any caller's tickets at the same place and matter
	ScopeCallerOrPlace RepeatScope = "caller_or_place" // the caller's own tickets, or anyone's at the same place and matter
)

// Label returns the scope's Chinese label, e.g. "同一来电人或同一地点同一事项", or "" for an unknown
// scope.
func (s RepeatScope) Label() string {
	switch s {
	case ScopeCaller:
		return "同一来电人"
	case ScopeCallerPlace:
		return "同一来电人、同一地点同一事项"
	case ScopePlace:
		return "同一地点同一事项"
	case ScopeCallerOrPlace:
		return "同一来电人或同一地点同一事项"
	}
	return ""
}

// RepeatPolicy is the plain-data description of repeat-complaint detection (重复投诉, 004 第十二条 (二)
// 2; docs/design.md, "Repeat complaints").
type RepeatPolicy struct {
	Name string `json:"name"`
	// WindowDays: only tickets received within this many calendar days before now are compared.
	WindowDays int         `json:"window_days"`
	Scope      RepeatScope `json:"scope"`
	// N is the size of the character n-grams compared (2: bigrams). Texts are normalised first.
	N int `json:"n"`
	// Threshold is the least Dice similarity (2|A∩B| / (|A|+|B|) of the n-gram sets, 0–1) at which
	// two texts state the same demand.
	Threshold float64 `json:"threshold"`
	// SupervisionAt is the repeat count from which the ticket is put under supervision (督办); 0
	// disables it. 004 第十二条 (二) 2 says 3.
	SupervisionAt int    `json:"supervision_at"`
	Source        string `json:"source,omitempty"`
}

// StreetRepeatPolicy returns the repeat detection of 友谊路街道 (004 第十二条 (二) 2: 同一工单重复投诉 3
// 次及以上的即进行督办) with the reading of docs/design.md ("Repeat complaints") — the same caller, or the same matter at the same
// place, raising the same demand. The 90-day window, bigrams and the 0.5 threshold are this SDK's
// defaults, not the document's: the document sets no window.
func StreetRepeatPolicy() RepeatPolicy {
	return RepeatPolicy{
		Name: "street", WindowDays: 90, Scope: ScopeCallerOrPlace, N: 2, Threshold: 0.5,
		SupervisionAt: 3, Source: "004 §12 (二) 2",
	}
}

// Validate reports the first thing wrong with p as a [*PolicyError].
func (p RepeatPolicy) Validate() error {
	bad := func(field, format string, args ...any) error {
		return &PolicyError{Policy: p.Name, Field: field, Reason: fmt.Sprintf(format, args...), err: ErrInvalidRepeatPolicy}
	}
	switch {
	case strings.TrimSpace(p.Name) == "":
		return bad("name", "is empty")
	case p.WindowDays < 1:
		return bad("window_days", "%d is not a positive number of days", p.WindowDays)
	case p.Scope != ScopeCaller && p.Scope != ScopeCallerPlace && p.Scope != ScopePlace && p.Scope != ScopeCallerOrPlace:
		return bad("scope", "%q is not one of caller, caller_place, place, caller_or_place", p.Scope)
	case p.N < 1 || p.N > 4:
		return bad("n", "%d is outside 1–4", p.N)
	case !(p.Threshold > 0 && p.Threshold <= 1):
		return bad("threshold", "%v is outside (0, 1]", p.Threshold)
	case p.SupervisionAt < 0:
		return bad("supervision_at", "%d is negative", p.SupervisionAt)
	}
	return nil
}

// ParseRepeatPolicy decodes a repeat policy from JSON, rejecting unknown fields, and validates it.
func ParseRepeatPolicy(data []byte) (RepeatPolicy, error) {
	return loadJSON[RepeatPolicy](data, ErrInvalidRepeatPolicy, "policy")
}

// CallerKey identifies a caller by a keyed hash of their phone or ID number, so that the index never
// holds the number itself (000 第十条; 004 第十六条). The zero CallerKey means "unknown caller".
type CallerKey [32]byte

// IsZero reports whether k is the zero key.
func (k CallerKey) IsZero() bool { return k == CallerKey{} }

// String returns k in hexadecimal.
func (k CallerKey) String() string { return hex.EncodeToString(k[:]) }

// MAC computes a keyed digest. [NewSM3MAC] gives HMAC-SM3 in software; a hardware security module or
// a key-management service can provide its own implementation (密评; docs/design.md, "Reliability and security").
type MAC interface {
	MAC(msg []byte) []byte
}

type hmacSM3 struct{ key []byte }

func (h hmacSM3) MAC(msg []byte) []byte {
	m := hmac.New(sm3.New, h.key)
	m.Write(msg)
	return m.Sum(nil)
}

// NewSM3MAC returns HMAC-SM3 (GB/T 32905) under key, which must be at least 16 bytes; the key is
// copied.
func NewSM3MAC(key []byte) (MAC, error) {
	if len(key) < 16 {
		return nil, fmt.Errorf("%w: have %d", ErrWeakKey, len(key))
	}
	return hmacSM3{key: slices.Clone(key)}, nil
}

// NormalizeCaller returns the canonical form of a phone or ID number before hashing: full-width
// characters folded, spaces, hyphens and brackets removed, an 86/0086 prefix dropped from a mobile
// number and a trailing x of an ID number upper-cased.
func NormalizeCaller(id string) string {
	var b strings.Builder
	for _, r := range id {
		if r >= 0xFF01 && r <= 0xFF5E { // full-width ASCII, as in [Normalize]
			r -= 0xFEE0
		}
		switch {
		case r == 'x' || r == 'X':
			b.WriteByte('X')
		case r == ' ' || r == '-' || r == '(' || r == ')' || r == '+' || r == '\u3000':
		default:
			b.WriteRune(r)
		}
	}
	return stripCountryCode(b.String())
}

// CallerKeyOf returns the caller key of a phone or ID number: m's digest of the
// [NormalizeCaller] form, domain-separated so the same MAC key can serve other purposes.
func CallerKeyOf(m MAC, identifier string) (CallerKey, error) {
	n := NormalizeCaller(identifier)
	if n == "" {
		return CallerKey{}, ErrNoCaller
	}
	sum := m.MAC([]byte("hotline/ticket/caller/v1\x00" + n))
	var k CallerKey
	if len(sum) >= len(k) {
		copy(k[:], sum)
	} else {
		k = sm3.Sum(sum) // a shorter digest is stretched, never zero-padded
	}
	return k, nil
}

// RepeatRecord is a ticket as the repeat index sees it: no plaintext caller, only its key.
type RepeatRecord struct {
	ID       string
	Caller   CallerKey // zero when the caller is unknown
	Region   string    // region code of the place
	Matter   string    // matter code
	Received time.Time
	Text     string
	// RepeatOf is the ticket this one was linked to as a repeat (the Original of a [RepeatMatch]),
	// or "" for a ticket that is not a repeat.
	RepeatOf string
}

// RepeatMatch is an earlier ticket that a new one repeats.
type RepeatMatch struct {
	// Original is the first ticket of the chain the new one joins.
	Original string `json:"original"`
	// Matched is the earlier ticket most similar to the new one (the Original or one of its repeats).
	Matched string `json:"matched"`
	// Count is how many tickets the chain already has, the Original included: the new ticket is
	// repeat number Count.
	Count int `json:"count"`
	// Similarity is the Dice similarity of the new text and Matched's.
	Similarity float64 `json:"similarity"`
	// UnderSupervision reports whether Count reaches the policy's SupervisionAt (004 第十二条 (二) 2).
	UnderSupervision bool   `json:"under_supervision"`
	Why              string `json:"why"`
	Source           string `json:"source,omitempty"`
}

type placeKey struct{ region, matter string }

// repeatEntry is one indexed ticket. It refers to its chain and place by index, and holds its n-gram
// signature as a string of packed 3-byte hashes (see [ngrams]), so that an entry costs little more
// than its signature.
type repeatEntry struct {
	id       string
	caller   CallerKey
	received int64  // Unix seconds
	chain    int32  // index in RepeatIndex.chains
	place    int32  // index in RepeatIndex.places, or -1 without a region and matter code
	grams    string // sorted distinct 24-bit n-gram hashes, 3 bytes each, big-endian
}

// repeatChain is an original ticket and its repeats: how many were ever added (total) and how many
// are still indexed (live).
type repeatChain struct {
	root        string // ID of the chain's original
	total, live int32
}

// RepeatIndex holds recent tickets for repeat detection, bucketed by caller key and by (region,
// matter), so a lookup compares only the tickets that could match. It keeps each text's n-gram
// signature, never the text or the caller's number. It is not safe for concurrent use: the caller
// serialises Add, Find and Prune (reads alone may run concurrently).
type RepeatIndex struct {
	policy   RepeatPolicy
	entries  []repeatEntry
	byID     map[string]int32
	byCaller map[CallerKey][]int32
	placeOf  map[placeKey]int32 // (region, matter) → index in places
	places   [][]int32          // the entries at each place
	chains   []repeatChain
}

// NewRepeatIndex returns an empty index under p.
func NewRepeatIndex(p RepeatPolicy) (*RepeatIndex, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &RepeatIndex{
		policy:   p,
		byID:     map[string]int32{},
		byCaller: map[CallerKey][]int32{},
		placeOf:  map[placeKey]int32{},
	}, nil
}

// Policy returns the index's policy.
func (x *RepeatIndex) Policy() RepeatPolicy { return x.policy }

// Len returns the number of tickets in the index.
func (x *RepeatIndex) Len() int { return len(x.entries) }

// Add indexes r. A record with RepeatOf joins that ticket's chain.
func (x *RepeatIndex) Add(r RepeatRecord) error {
	if r.ID == "" {
		return fmt.Errorf("%w: empty ID", ErrRepeatRecord)
	}
	if _, dup := x.byID[r.ID]; dup {
		return fmt.Errorf("%w: ticket %s is already indexed", ErrRepeatRecord, r.ID)
	}
	chain := int32(len(x.chains))
	if r.RepeatOf != "" {
		i, ok := x.byID[r.RepeatOf]
		if !ok {
			return fmt.Errorf("%w: ticket %s repeats %s, which is not indexed", ErrRepeatRecord, r.ID, r.RepeatOf)
		}
		chain = x.entries[i].chain
	} else {
		x.chains = append(x.chains, repeatChain{root: r.ID})
	}
	place := int32(-1)
	if r.Region != "" && r.Matter != "" {
		k := placeKey{r.Region, r.Matter}
		p, ok := x.placeOf[k]
		if !ok {
			p = int32(len(x.places))
			x.placeOf[k] = p
			x.places = append(x.places, nil)
		}
		place = p
	}
	x.insert(repeatEntry{id: r.ID, caller: r.Caller, received: r.Received.Unix(), chain: chain, place: place,
		grams: ngrams(r.Text, x.policy.N)})
	x.chains[chain].total++
	x.chains[chain].live++
	return nil
}

func (x *RepeatIndex) insert(e repeatEntry) {
	i := int32(len(x.entries))
	x.entries = append(x.entries, e)
	x.byID[e.id] = i
	if !e.caller.IsZero() {
		x.byCaller[e.caller] = append(x.byCaller[e.caller], i)
	}
	if e.place >= 0 {
		x.places[e.place] = append(x.places[e.place], i)
	}
}

// placeIndex returns the index of c's place, and whether c has a place that is indexed.
func (x *RepeatIndex) placeIndex(c RepeatRecord) (int32, bool) {
	if c.Region == "" || c.Matter == "" {
		return -1, false
	}
	p, ok := x.placeOf[placeKey{c.Region, c.Matter}]
	return p, ok
}

// Find returns the earlier ticket that c repeats, if any: among the tickets of the policy's scope
// received within the window before now (c's own ID excluded), the one whose text is most similar to
// c's, provided the similarity reaches the threshold (ties go to the most recent). c.RepeatOf is
// ignored.
func (x *RepeatIndex) Find(c RepeatRecord, now time.Time) (RepeatMatch, bool) {
	grams := ngrams(c.Text, x.policy.N)
	if len(grams) == 0 {
		return RepeatMatch{}, false
	}
	since := now.AddDate(0, 0, -x.policy.WindowDays).Unix()
	until := now.Unix()
	best, bestSim := int32(-1), 0.0
	var via string
	place, hasPlace := x.placeIndex(c)
	consider := func(idxs []int32, how string, needPlace bool) {
		for _, i := range idxs {
			e := &x.entries[i]
			if e.received < since || e.received > until || e.id == c.ID {
				continue
			}
			if needPlace && e.place != place {
				continue
			}
			sim, ok := dice(grams, e.grams, x.policy.Threshold)
			if !ok {
				continue
			}
			if best < 0 || sim > bestSim || (sim == bestSim && e.received > x.entries[best].received) {
				best, bestSim, via = i, sim, how
			}
		}
	}
	scope := x.policy.Scope
	if !c.Caller.IsZero() && (scope == ScopeCaller || scope == ScopeCallerOrPlace || (scope == ScopeCallerPlace && hasPlace)) {
		consider(x.byCaller[c.Caller], "the same caller", scope == ScopeCallerPlace)
	}
	if hasPlace && (scope == ScopePlace || scope == ScopeCallerOrPlace) {
		consider(x.places[place], "the same matter at the same place", false)
	}
	if best < 0 {
		return RepeatMatch{}, false
	}
	e := &x.entries[best]
	chain := x.chains[e.chain]
	count := int(chain.total)
	m := RepeatMatch{
		Original:   chain.root,
		Matched:    e.id,
		Count:      count,
		Similarity: bestSim,
		Source:     x.policy.Source,
	}
	m.UnderSupervision = x.policy.SupervisionAt > 0 && count >= x.policy.SupervisionAt
	m.Why = fmt.Sprintf("%s as ticket %s, text similarity %.2f ≥ %.2f (%d-grams); chain of %s has %d tickets, so this is repeat %d",
		via, e.id, bestSim, x.policy.Threshold, x.policy.N, chain.root, count, count)
	if m.UnderSupervision {
		m.Why += fmt.Sprintf("; %d or more repeats are supervised", x.policy.SupervisionAt)
	}
	return m, true
}

// Contacts returns how many indexed tickets from caller were received in [since, until]: the count
// a harassment test (无理纠缠, [ScreenCategory.MaxContacts]) needs.
func (x *RepeatIndex) Contacts(caller CallerKey, since, until time.Time) int {
	if caller.IsZero() {
		return 0
	}
	a, b := since.Unix(), until.Unix()
	n := 0
	for _, i := range x.byCaller[caller] {
		if r := x.entries[i].received; r >= a && r <= b {
			n++
		}
	}
	return n
}

// Prune drops the tickets received before cutoff and returns how many it dropped. A chain keeps its
// count while any of its tickets remains.
func (x *RepeatIndex) Prune(cutoff time.Time) int {
	c := cutoff.Unix()
	old, oldChains, oldPlaces := x.entries, x.chains, make([]placeKey, len(x.places))
	for k, p := range x.placeOf {
		oldPlaces[p] = k
	}
	x.entries = make([]repeatEntry, 0, len(old))
	x.byID = make(map[string]int32, len(old))
	x.byCaller = map[CallerKey][]int32{}
	x.placeOf, x.places, x.chains = map[placeKey]int32{}, nil, nil
	chainTo := make([]int32, len(oldChains)) // old chain → new chain + 1; 0 = not yet kept
	dropped := 0
	for _, e := range old {
		if e.received < c {
			dropped++
			continue
		}
		if chainTo[e.chain] == 0 {
			ch := oldChains[e.chain]
			ch.live = 0
			x.chains = append(x.chains, ch)
			chainTo[e.chain] = int32(len(x.chains))
		}
		e.chain = chainTo[e.chain] - 1
		x.chains[e.chain].live++
		if e.place >= 0 {
			k := oldPlaces[e.place]
			p, ok := x.placeOf[k]
			if !ok {
				p = int32(len(x.places))
				x.placeOf[k] = p
				x.places = append(x.places, nil)
			}
			e.place = p
		}
		x.insert(e)
	}
	return dropped
}

// ngrams returns the signature of the normalised text: the sorted, distinct 24-bit hashes of its
// n-rune grams, packed as 3 big-endian bytes each. A text shorter than n yields one gram of the whole
// text. 24 bits keep the signature small while two unrelated texts of even a few thousand grams
// share a hash by chance well under once, so the similarity is that of the gram sets.
func ngrams(text string, n int) string {
	rs := []rune(Normalize(text))
	if len(rs) == 0 {
		return ""
	}
	if len(rs) < n {
		n = len(rs)
	}
	hs := make([]uint32, 0, len(rs)-n+1)
	for i := 0; i+n <= len(rs); i++ {
		h := uint32(2166136261)
		for _, r := range rs[i : i+n] {
			h ^= uint32(r)
			h *= 16777619
			h ^= h >> 15
		}
		hs = append(hs, h>>8)
	}
	slices.Sort(hs)
	hs = slices.Compact(hs)
	var b strings.Builder
	b.Grow(3 * len(hs))
	for _, h := range hs {
		b.WriteByte(byte(h >> 16))
		b.WriteByte(byte(h >> 8))
		b.WriteByte(byte(h))
	}
	return b.String()
}

// dice returns the Dice similarity of the signatures a and b (see [ngrams]), and whether it reaches
// threshold. It skips the merge when the sizes alone rule the threshold out.
func dice(a, b string, threshold float64) (float64, bool) {
	na, nb := len(a)/3, len(b)/3
	total := na + nb
	if total == 0 || float64(2*min(na, nb))/float64(total) < threshold {
		return 0, false
	}
	common := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch ga, gb := a[i:i+3], b[j:j+3]; {
		case ga == gb:
			common++
			i += 3
			j += 3
		case ga < gb:
			i += 3
		default:
			j += 3
		}
	}
	sim := float64(2*common) / float64(total)
	return sim, sim >= threshold
}
