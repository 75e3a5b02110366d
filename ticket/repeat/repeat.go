package repeat

import (
	"crypto/hmac"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/emmansun/gmsm/sm3"
	"github.com/hotline12345/hotline/internal/enum"
	"github.com/hotline12345/hotline/internal/strictjson"
	"github.com/hotline12345/hotline/ticket/internal/textnorm"
)

// Policy is the plain-data description of repeat-complaint detection (重复投诉: 002 第五条 (二),
// 004 第十二条 (二) 2). Which earlier tickets count as the same complaint is this SDK's reading, set
// by Scope: the documents name repeat complaints without defining them.
type Policy struct {
	Name string `json:"name"`
	// Version names this edition of the policy (e.g. "1", "2026-03"); a ticket records the name and
	// version it was handled under.
	Version string `json:"version"`
	// WindowDays: only tickets received within this many calendar days before now are compared.
	WindowDays int   `json:"window_days"`
	Scope      Scope `json:"scope"`
	// N is the size of the character n-grams compared (2: bigrams). Texts are normalised first.
	N int `json:"n"`
	// Threshold is the least Dice similarity (2|A∩B| / (|A|+|B|) of the n-gram sets, 0–1) at which
	// two texts state the same demand.
	Threshold float64 `json:"threshold"`
	// SupervisionAt is the repeat count from which the ticket is put under supervision (督办); 0
	// disables it. 004 第十二条 (二) 2 says 3 (同一工单重复投诉 3 次及以上): the third repeat, i.e. the
	// fourth complaint, is supervised; a district that counts the original as one of the three sets 2.
	SupervisionAt int    `json:"supervision_at"`
	Source        string `json:"source,omitempty"`
}

// StreetHotline returns the repeat detection of 友谊路街道 (004 第十二条 (二) 2: 同一工单重复投诉 3
// 次及以上的即进行督办), read as: the same caller, or the same matter at the same place, raising the
// same demand. That reading, the 90-day window, bigrams and the 0.5 threshold are this SDK's
// defaults, not the document's: the document defines no scope and sets no window.
func StreetHotline() Policy {
	return Policy{
		Name: "street", Version: "1", WindowDays: 90, Scope: ScopeCallerOrPlace, N: 2, Threshold: 0.5,
		SupervisionAt: 3, Source: "004 §12 (二) 2",
	}
}

// Validate reports the first thing wrong with p as a [*PolicyError].
func (p Policy) Validate() error {
	bad := func(field, format string, args ...any) error {
		return &PolicyError{Policy: enum.Clip(p.Name), Field: field, Reason: fmt.Sprintf(format, args...)}
	}
	switch {
	case strings.TrimSpace(p.Name) == "":
		return bad("name", "is empty")
	case strings.TrimSpace(p.Version) == "":
		return bad("version", "is empty")
	case p.WindowDays < 1 || p.WindowDays > MaxWindowDays:
		return bad("window_days", "%d is outside 1–%d days", p.WindowDays, MaxWindowDays)
	case !p.Scope.Valid():
		return bad("scope", "%q is not one of %s", enum.Clip(string(p.Scope)), strings.Join(scopeWire(), ", "))
	case p.N < 1 || p.N > 4:
		return bad("n", "%d is outside 1–4", p.N)
	case !(p.Threshold > 0 && p.Threshold <= 1):
		return bad("threshold", "%v is outside (0, 1]", p.Threshold)
	case p.SupervisionAt < 0 || p.SupervisionAt > MaxSupervisionAt:
		return bad("supervision_at", "%d is outside 0–%d", p.SupervisionAt, MaxSupervisionAt)
	}
	return nil
}

// MaxWindowDays is the longest window a policy may set: ten years.
const MaxWindowDays = 3653

// MaxSupervisionAt bounds [Policy].SupervisionAt: a larger count would never be reached.
const MaxSupervisionAt = 1000

// MinDigestBytes is the shortest digest [CallerKeyOf] accepts from a [MAC].
const MinDigestBytes = 16

// MaxPolicyBytes is the largest policy document [ParsePolicy] and [ReadPolicy] accept.
const MaxPolicyBytes = 64 << 10

// ParsePolicy decodes a repeat policy from JSON through the module's strict loader (no unknown,
// duplicate or case-variant keys, no trailing data, at most [MaxPolicyBytes]) and validates it. A
// malformed document gives an error wrapping both [ErrInvalidPolicy] and strictjson's ErrMalformed;
// an invalid policy a *[PolicyError].
func ParsePolicy(data []byte) (Policy, error) {
	var p Policy
	return strictjson.Valid(&p, strictjson.Decode(data, &p, MaxPolicyBytes), invalidPolicy)
}

// ReadPolicy reads at most [MaxPolicyBytes] from r and parses them as [ParsePolicy] does.
func ReadPolicy(r io.Reader) (Policy, error) {
	var p Policy
	return strictjson.Valid(&p, strictjson.Read(r, &p, MaxPolicyBytes), invalidPolicy)
}

// CallerKey identifies a caller by a keyed hash of their phone or ID number, so that the index never
// holds the number itself (000 第十条; 004 第十六条). The zero CallerKey means "unknown caller".
type CallerKey [32]byte

// IsZero reports whether k is the zero key.
func (k CallerKey) IsZero() bool { return k == CallerKey{} }

// String returns k in hexadecimal.
func (k CallerKey) String() string { return hex.EncodeToString(k[:]) }

// MAC computes a keyed digest. [NewSM3MAC] gives HMAC-SM3 in software; a hardware security module or
// a key-management service can provide its own implementation, as a system assessed for its use of
// commercial cryptography (密评, GB/T 39786-2021) may require.
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

// NormalizeCaller returns the canonical form of a phone or ID number before hashing: every decimal
// digit of any script (Unicode Nd: full-width, Arabic-Indic, mathematical …) becomes its ASCII digit,
// letters are upper-cased (the x of an ID number), and everything else — spaces, dots, dashes,
// brackets, slashes, zero-width and soft-hyphen characters, a leading + — is dropped; then an 86 or
// 0086 prefix is dropped from a mobile number. "138.1234.5678", "+86 138-1234-5678" and
// "１３８１２３４５６７８" all give "13812345678".
func NormalizeCaller(id string) string {
	var b strings.Builder
	b.Grow(len(id))
	for _, r := range id {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case unicode.IsDigit(r):
			if d, ok := digitValue(r); ok {
				b.WriteByte(byte('0' + d))
			}
		case unicode.IsLetter(r):
			if r >= 0xFF01 && r <= 0xFF5E { // full-width Latin letters
				r -= 0xFEE0
			}
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	return stripCountryCode(b.String())
}

// digitValue returns the value of the decimal digit r (Unicode Nd). Unicode encodes every decimal
// digit set as ten consecutive code points from its zero, so the value is the distance from the
// start of r's range modulo 10 (TestDigitRanges checks the table keeps that shape).
func digitValue(r rune) (int, bool) {
	for _, rg := range unicode.Nd.R16 {
		if lo, hi := rune(rg.Lo), rune(rg.Hi); r >= lo && r <= hi {
			return int(r-lo) % 10, true
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if lo, hi := rune(rg.Lo), rune(rg.Hi); r >= lo && r <= hi {
			return int(r-lo) % 10, true
		}
	}
	return 0, false
}

// CallerKeyOf returns the caller key of a phone or ID number: m's digest of the [NormalizeCaller]
// form, domain-separated so the same MAC key can serve other purposes. It returns [ErrNoCaller] for
// an identifier with no digit or letter, and an error wrapping [ErrShortDigest] when m is nil or
// gives fewer than [MinDigestBytes] bytes: an empty or short digest would give every caller (or
// many callers) the same key. A digest shorter than a key is stretched with SM3, never zero-padded.
func CallerKeyOf(m MAC, identifier string) (CallerKey, error) {
	if m == nil {
		return CallerKey{}, fmt.Errorf("%w: no MAC", ErrShortDigest)
	}
	n := NormalizeCaller(identifier)
	if n == "" {
		return CallerKey{}, ErrNoCaller
	}
	sum := m.MAC([]byte("hotline/ticket/caller/v1\x00" + n))
	if len(sum) < MinDigestBytes {
		return CallerKey{}, fmt.Errorf("%w: the MAC gave %d bytes, want at least %d", ErrShortDigest, len(sum), MinDigestBytes)
	}
	var k CallerKey
	if len(sum) >= len(k) {
		copy(k[:], sum)
	} else {
		k = sm3.Sum(sum)
	}
	return k, nil
}

// Record is a ticket as the repeat index sees it: no plaintext caller, only its key.
type Record struct {
	ID       string
	Caller   CallerKey // zero when the caller is unknown
	Region   string    // region code of the place
	Matter   string    // matter code
	Received time.Time
	Text     string
	// RepeatOf is the ticket this one was linked to as a repeat (the Original of a [Match]),
	// or "" for a ticket that is not a repeat.
	RepeatOf string
}

// Match is an earlier ticket that a new one repeats.
type Match struct {
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

// entry is one indexed ticket. It refers to its chain and place by index, and holds its n-gram
// signature as a string of packed 3-byte hashes (see [ngrams]), so that an entry costs little more
// than its signature.
type entry struct {
	id       string
	caller   CallerKey
	received int64  // Unix seconds
	chain    int32  // index in Index.chains
	place    int32  // index in Index.places, or -1 without a region and matter code
	grams    string // sorted distinct 24-bit n-gram hashes, 3 bytes each, big-endian
}

// chainInfo is an original ticket and its repeats: how many were ever added (total) and how many
// are still indexed (live).
type chainInfo struct {
	root        string // ID of the chain's original
	total, live int32
}

// Index holds recent tickets for repeat detection, bucketed by caller key and by (region,
// matter), so a lookup compares only the tickets that could match. It keeps each text's n-gram
// signature, never the text or the caller's number. It is not safe for concurrent use: the caller
// serialises Add, Find and Prune (reads alone may run concurrently).
type Index struct {
	policy   Policy
	entries  []entry
	byID     map[string]int32
	byCaller map[CallerKey][]int32
	placeOf  map[placeKey]int32 // (region, matter) → index in places
	places   [][]int32          // the entries at each place
	chains   []chainInfo
	// roots maps the original of a chain that Prune dropped while other tickets of the chain stay
	// indexed to that chain, so that a chain outlives the pruning of its original: Find keeps
	// reporting it as the Original, and Add accepts it as RepeatOf (004 §12 (二) 2 counts every
	// repeat of the same ticket). An original still indexed is found through byID.
	roots map[string]int32
}

// NewIndex returns an empty index under p.
func NewIndex(p Policy) (*Index, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &Index{
		policy:   p,
		byID:     map[string]int32{},
		byCaller: map[CallerKey][]int32{},
		placeOf:  map[placeKey]int32{},
		roots:    map[string]int32{},
	}, nil
}

// built reports whether x was built by [NewIndex].
func (x *Index) built() bool { return x != nil && x.byID != nil }

// Policy returns the index's policy.
// A nil Index has the zero Policy.
func (x *Index) Policy() Policy {
	if x == nil {
		return Policy{}
	}
	return x.policy
}

// Len returns the number of tickets in the index.
func (x *Index) Len() int {
	if x == nil {
		return 0
	}
	return len(x.entries)
}

// Add indexes r. A record with RepeatOf joins the chain of that ticket: an indexed ticket (the
// Matched of a [Match]) or the original of a chain that still has tickets indexed (the Original,
// even after [Index.Prune] dropped it). Add returns an error wrapping [ErrInvalidRecord] for a record
// without an ID, an ID already indexed or still the original of an indexed chain, or a RepeatOf the
// index does not know, and [ErrNotBuilt] on an Index that [NewIndex] did not build.
func (x *Index) Add(r Record) error {
	if !x.built() {
		return ErrNotBuilt
	}
	if r.ID == "" {
		return fmt.Errorf("%w: empty ID", ErrInvalidRecord)
	}
	if _, dup := x.byID[r.ID]; dup {
		return fmt.Errorf("%w: ticket %s is already indexed", ErrInvalidRecord, enum.Clip(r.ID))
	}
	if _, dup := x.roots[r.ID]; dup {
		return fmt.Errorf("%w: ticket %s is the original of a chain still indexed", ErrInvalidRecord, enum.Clip(r.ID))
	}
	chain := int32(len(x.chains))
	if r.RepeatOf != "" {
		if i, ok := x.byID[r.RepeatOf]; ok {
			chain = x.entries[i].chain
		} else if c, ok := x.roots[r.RepeatOf]; ok {
			chain = c
		} else {
			return fmt.Errorf("%w: ticket %s repeats %s, which is neither indexed nor the original of an indexed chain",
				ErrInvalidRecord, enum.Clip(r.ID), enum.Clip(r.RepeatOf))
		}
	} else {
		x.chains = append(x.chains, chainInfo{root: r.ID})
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
	x.insert(entry{id: r.ID, caller: r.Caller, received: r.Received.Unix(), chain: chain, place: place,
		grams: ngrams(r.Text, x.policy.N)})
	x.chains[chain].total++
	x.chains[chain].live++
	return nil
}

func (x *Index) insert(e entry) {
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
func (x *Index) placeIndex(c Record) (int32, bool) {
	if c.Region == "" || c.Matter == "" {
		return -1, false
	}
	p, ok := x.placeOf[placeKey{c.Region, c.Matter}]
	return p, ok
}

// Find returns the earlier ticket that c repeats, if any: among the tickets of the policy's scope
// received within the window before now (c's own ID excluded), the one whose text is most similar to
// c's, provided the similarity reaches the threshold (ties go to the most recent). c.RepeatOf is
// ignored. An Index that [NewIndex] did not build finds nothing.
func (x *Index) Find(c Record, now time.Time) (Match, bool) {
	if !x.built() {
		return Match{}, false
	}
	grams := ngrams(c.Text, x.policy.N)
	if len(grams) == 0 {
		return Match{}, false
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
		return Match{}, false
	}
	e := &x.entries[best]
	chain := x.chains[e.chain]
	count := int(chain.total)
	m := Match{
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
// a harassment test (无理纠缠, screen.Category.MaxContacts) needs.
func (x *Index) Contacts(caller CallerKey, since, until time.Time) int {
	if !x.built() || caller.IsZero() {
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
// original and its count while any of its tickets remains, so a later repeat still joins it and is
// counted (004 §12 (二) 2); a chain with no ticket left is forgotten.
func (x *Index) Prune(cutoff time.Time) int {
	if !x.built() {
		return 0
	}
	c := cutoff.Unix()
	old, oldChains, oldPlaces := x.entries, x.chains, make([]placeKey, len(x.places))
	for k, p := range x.placeOf {
		oldPlaces[p] = k
	}
	x.entries = make([]entry, 0, len(old))
	x.byID = make(map[string]int32, len(old))
	x.byCaller = map[CallerKey][]int32{}
	x.placeOf, x.places, x.chains, x.roots = map[placeKey]int32{}, nil, nil, map[string]int32{}
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
	for c, ch := range x.chains {
		if _, indexed := x.byID[ch.root]; !indexed {
			x.roots[ch.root] = int32(c)
		}
	}
	return dropped
}

// ngrams returns the signature of the normalised text: the sorted, distinct 24-bit hashes of its
// n-rune grams, packed as 3 big-endian bytes each. A text shorter than n yields one gram of the whole
// text. 24 bits keep the signature small while two unrelated texts of even a few thousand grams
// share a hash by chance well under once, so the similarity is that of the gram sets.
func ngrams(text string, n int) string {
	rs := []rune(textnorm.String(text))
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

// stripCountryCode returns the mobile number in d, ASCII digits, without its 86 or 0086 country
// code; d unchanged when it is not a mobile number with such a prefix.
func stripCountryCode(d string) string {
	switch {
	case len(d) == 13 && strings.HasPrefix(d, "86") && isMobile(d[2:]):
		return d[2:]
	case len(d) == 15 && strings.HasPrefix(d, "0086") && isMobile(d[4:]):
		return d[4:]
	}
	return d
}

// isMobile reports whether d matches 1[3-9]\d{9}.
func isMobile(d string) bool {
	if len(d) != 11 || d[0] != '1' || d[1] < '3' || d[1] > '9' {
		return false
	}
	for i := range len(d) {
		if d[i] < '0' || d[i] > '9' {
			return false
		}
	}
	return true
}

// Presets returns the repeat policies this package ships: [StreetHotline].
func Presets() []Policy { return []Policy{StreetHotline()} }

// Preset returns the shipped policy named name ("street"), or an error wrapping [ErrUnknownPreset].
func Preset(name string) (Policy, error) {
	for _, p := range Presets() {
		if p.Name == name {
			return p, nil
		}
	}
	return Policy{}, fmt.Errorf("%w: %q (have: street)", ErrUnknownPreset, enum.Clip(name))
}

// invalidPolicy wraps a strict loader's refusal of a policy document in [ErrInvalidPolicy] and
// [ErrMalformed].
func invalidPolicy(err error) error {
	return fmt.Errorf("%w: %w: %w", ErrInvalidPolicy, ErrMalformed, err)
}
