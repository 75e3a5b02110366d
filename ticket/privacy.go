package ticket

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// ErrInvalidMaskPolicy is wrapped by every error [MaskPolicy.Validate] returns.
var ErrInvalidMaskPolicy = errors.New("ticket: invalid mask policy")

// Audience is who is looking at a ticket's personal data (000 第十条; 002 第十一条; 004 第十六条: the
// content may not be shown to anyone but the staff handling it).
type Audience string

// The audiences.
const (
	// AudienceHandler is the staff handling the ticket: they see everything.
	AudienceHandler Audience = "handler"
	// AudienceStaff is any other staff member (another unit, a supervisor, an auditor).
	AudienceStaff Audience = "staff"
	// AudiencePublic is public output: bulletins, case libraries, open data.
	AudiencePublic Audience = "public"
)

// Label returns the audience's Chinese label.
func (a Audience) Label() string {
	switch a {
	case AudienceHandler:
		return "承办人员"
	case AudienceStaff:
		return "其他工作人员"
	case AudiencePublic:
		return "公开发布"
	}
	return string(a)
}

// NameMask is how a name is shown.
type NameMask string

// The name masks.
const (
	NameSurname NameMask = "surname" // the surname (compound surnames included) and one * per other character: 张*, 欧阳**
	NameHidden  NameMask = "hidden"  // ***
)

// AddressMask is how an address is shown.
type AddressMask string

// The address masks; see [MaskAddress].
const (
	AddressStreet   AddressMask = "street"   // up to the street, town or road: 上海市宝山区友谊路街道***
	AddressDistrict AddressMask = "district" // up to the district or county: 上海市宝山区***
	AddressHidden   AddressMask = "hidden"   // ***
)

// MaskView is what one audience sees. A view with Full set shows everything; otherwise mobile numbers
// keep PhoneHead leading and PhoneTail trailing digits, ID numbers IDHead and IDTail characters, and
// names and addresses follow Name and Address.
type MaskView struct {
	Audience  Audience    `json:"audience"`
	Full      bool        `json:"full,omitempty"`
	PhoneHead int         `json:"phone_head"`
	PhoneTail int         `json:"phone_tail"`
	IDHead    int         `json:"id_head"`
	IDTail    int         `json:"id_tail"`
	Name      NameMask    `json:"name"`
	Address   AddressMask `json:"address"`
	Source    string      `json:"source,omitempty"`
}

// MaskPolicy says, per audience, how personal data is shown. It is plain data; start from
// [DefaultMaskPolicy]. An audience the policy has no view for sees nothing ("***").
type MaskPolicy struct {
	Name   string     `json:"name"`
	Source string     `json:"source,omitempty"`
	Views  []MaskView `json:"views"`
}

// DefaultMaskPolicy returns the masking of 000 第十条, 002 第十一条 and 004 第十六条: the staff handling a
// ticket see everything; other staff see 138****5678, the ID number's first 6 and last 4 characters,
// 张* and the address to street level; public output shows the ID number's first and last character
// only and the address to district level.
func DefaultMaskPolicy() MaskPolicy {
	const src = "000 §10; 002 §11; 004 §16"
	return MaskPolicy{
		Name:   "default",
		Source: src,
		Views: []MaskView{
			{Audience: AudienceHandler, Full: true, Source: src},
			{Audience: AudienceStaff, PhoneHead: 3, PhoneTail: 4, IDHead: 6, IDTail: 4, Name: NameSurname, Address: AddressStreet, Source: src},
			{Audience: AudiencePublic, PhoneHead: 3, PhoneTail: 4, IDHead: 1, IDTail: 1, Name: NameSurname, Address: AddressDistrict, Source: src},
		},
	}
}

// Validate reports the first thing wrong with p, as a [*PolicyError]: an empty name, an audience
// without a name or seen twice, negative counts, or counts that would leave fewer than 4 digits of a
// mobile number or 8 characters of an ID number hidden.
func (p MaskPolicy) Validate() error {
	bad := func(field, format string, args ...any) error {
		return &PolicyError{Policy: p.Name, Field: field, Reason: fmt.Sprintf(format, args...), err: ErrInvalidMaskPolicy}
	}
	if strings.TrimSpace(p.Name) == "" {
		return bad("name", "is empty")
	}
	seen := map[Audience]int{}
	for i, v := range p.Views {
		f := fmt.Sprintf("views[%d]", i)
		if v.Audience == "" {
			return bad(f+".audience", "is empty")
		}
		if j, dup := seen[v.Audience]; dup {
			return bad(f+".audience", "%q repeats views[%d]", v.Audience, j)
		}
		seen[v.Audience] = i
		if field, reason := v.check(); reason != "" {
			return bad(f+field, "%s", reason)
		}
	}
	return nil
}

// check returns "" for a usable view, or the offending field (".phone_head"; "" for the view
// itself) and the reason.
func (v MaskView) check() (field, reason string) {
	if v.Full {
		return "", ""
	}
	switch {
	case v.PhoneHead < 0 || v.PhoneTail < 0 || v.IDHead < 0 || v.IDTail < 0:
		return "", "negative digit counts"
	case v.PhoneHead+v.PhoneTail > 7:
		return ".phone_head", fmt.Sprintf("%d+%d digits shown leave fewer than 4 of 11 hidden", v.PhoneHead, v.PhoneTail)
	case v.IDHead+v.IDTail > 10:
		return ".id_head", fmt.Sprintf("%d+%d characters shown leave fewer than 8 of 18 hidden", v.IDHead, v.IDTail)
	case v.Name != NameSurname && v.Name != NameHidden:
		return ".name", fmt.Sprintf("%q is not a name mask", v.Name)
	case v.Address != AddressStreet && v.Address != AddressDistrict && v.Address != AddressHidden:
		return ".address", fmt.Sprintf("%q is not an address mask", v.Address)
	}
	return "", ""
}

// ParseMaskPolicy decodes a mask policy from JSON, rejecting unknown fields, and validates it.
func ParseMaskPolicy(data []byte) (MaskPolicy, error) {
	return loadJSON[MaskPolicy](data, ErrInvalidMaskPolicy, "policy")
}

// hiddenView is what an audience without a view sees.
var hiddenView = MaskView{Name: NameHidden, Address: AddressHidden}

// View returns the view for audience a, or a view that hides everything when p has none or the one
// it has is invalid (see [MaskPolicy.Validate]), so that an unvalidated policy never shows more.
func (p MaskPolicy) View(a Audience) MaskView {
	for _, v := range p.Views {
		if _, reason := v.check(); v.Audience == a && reason == "" {
			return v
		}
	}
	h := hiddenView
	h.Audience = a
	return h
}

// Personal is personal data to mask on its own with [MaskPolicy.Mask], e.g. from a system that does
// not use [Ticket]. A ticket's [Person] is masked with the rest of the ticket by
// [MaskPolicy.MaskTicket].
type Personal struct {
	Name     string `json:"name,omitempty"`
	Phone    string `json:"phone,omitempty"`
	IDNumber string `json:"id_number,omitempty"`
	Address  string `json:"address,omitempty"`
	// Text is free text (the citizen's account) scrubbed with [MaskPolicy.Scrub].
	Text string `json:"text,omitempty"`
}

// Mask returns d as audience a may see it.
func (p MaskPolicy) Mask(d Personal, a Audience) Personal {
	v := p.View(a)
	if v.Full {
		return d
	}
	return Personal{
		Name:     v.maskName(d.Name),
		Phone:    v.maskPhone(d.Phone),
		IDNumber: maskEnds(d.IDNumber, v.IDHead, v.IDTail),
		Address:  v.maskAddress(d.Address),
		Text:     v.scrub(d.Text),
	}
}

// MaskTicket returns a copy of t as audience a may see it: the citizen's name, phone, ID number and
// address and the place's address masked, and every free text — title, content, reasons,
// explanations, conclusion reports and reply summaries, in the ticket and in each event of its
// history — scrubbed of phone and ID numbers (see [Scrub]) and of the citizen's name. An enterprise's name and credit code, which are public
// registration data, are kept. For an audience that sees everything the copy is unchanged. t itself
// is never modified; the copy shares nothing with it that a change to one could reach through the
// other, but it is for display: it no longer replays (see [Machine.Replay]).
func (p MaskPolicy) MaskTicket(t *Ticket, a Audience) *Ticket {
	if t == nil {
		return nil
	}
	v := p.View(a)
	c := *t
	c.Matter.Levels = slices.Clone(t.Matter.Levels)
	c.Assignment.CoHandling = slices.Clone(t.Assignment.CoHandling)
	c.Assignment.Returned = slices.Clone(t.Assignment.Returned)
	q := Payload{Refusal: t.Refusal, Extension: t.Extension, Reply: t.Reply, Callback: t.Callback, Closure: t.Closure}.clone()
	c.Refusal, c.Extension, c.Reply, c.Callback, c.Closure = q.Refusal, q.Extension, q.Reply, q.Callback, q.Closure
	c.History = make([]Event, len(t.History))
	for i, e := range t.History {
		e.Payload = e.Payload.clone()
		e.Notes = slices.Clone(e.Notes)
		c.History[i] = e
	}
	if v.Full {
		return &c
	}
	m := ticketMasker{v: v}
	if name := strings.TrimSpace(t.Citizen.Name); utf8.RuneCountInString(name) >= 2 {
		m.name, m.masked = name, v.maskName(name)
	}
	c.Title, c.Content = m.text(c.Title), m.text(c.Content)
	c.Citizen = v.maskPerson(c.Citizen)
	c.Place.Address = v.maskAddress(c.Place.Address)
	m.payload(&Payload{Refusal: c.Refusal, Extension: c.Extension, Reply: c.Reply})
	for i := range c.History {
		e := &c.History[i]
		e.Reason = m.text(e.Reason)
		m.payload(&e.Payload)
	}
	return &c
}

// ticketMasker masks the texts of one ticket for one view: numbers are scrubbed, and the citizen's
// name, when it has at least two characters, is replaced by its masked form wherever it occurs.
type ticketMasker struct {
	v            MaskView
	name, masked string
}

func (m ticketMasker) text(s string) string {
	if m.name != "" {
		s = strings.ReplaceAll(s, m.name, m.masked)
	}
	return m.v.scrub(s)
}

// payload masks, in place, the personal data and free texts the fields of q point to; q's pointers
// must not be shared with anything that has to stay unmasked.
func (m ticketMasker) payload(q *Payload) {
	if in := q.Intake; in != nil {
		in.Title, in.Content = m.text(in.Title), m.text(in.Content)
		in.Citizen = m.v.maskPerson(in.Citizen)
		in.Place.Address = m.v.maskAddress(in.Place.Address)
	}
	if r := q.Refusal; r != nil {
		r.Explanation = m.text(r.Explanation)
	}
	if r := q.Return; r != nil {
		r.Basis = m.text(r.Basis)
	}
	if x := q.Extension; x != nil {
		x.Explanation, x.WrittenReport = m.text(x.Explanation), m.text(x.WrittenReport)
	}
	if r := q.Reply; r != nil {
		r.Report, r.Summary = m.text(r.Report), m.text(r.Summary)
	}
}

// maskPerson masks the personal fields of p; an enterprise's name and credit code are kept.
func (v MaskView) maskPerson(p Person) Person {
	p.Name = v.maskName(p.Name)
	p.Phone = v.maskPhone(p.Phone)
	p.IDNumber = maskEnds(p.IDNumber, v.IDHead, v.IDTail)
	p.Address = v.maskAddress(p.Address)
	return p
}

// Scrub returns text with every phone number, ID number and other long digit run masked as audience
// a may see it; see [Scrub].
func (p MaskPolicy) Scrub(text string, a Audience) string { return p.View(a).scrub(text) }

func (v MaskView) maskName(s string) string {
	if s == "" {
		return ""
	}
	if v.Name == NameSurname {
		return MaskName(s)
	}
	return "***"
}

func (v MaskView) maskAddress(s string) string {
	switch {
	case s == "":
		return ""
	case v.Address == AddressStreet:
		return MaskAddress(s)
	case v.Address == AddressDistrict:
		return maskAddressDistrict([]rune(s))
	}
	return "***"
}

func (v MaskView) maskPhone(s string) string {
	if s == "" {
		return ""
	}
	if d, err := ParseMobile(s); err == nil {
		return maskEnds(d, v.PhoneHead, v.PhoneTail)
	}
	return maskDigitsKeepTail(s, min(v.PhoneTail, 4), v.PhoneHead > 0)
}

// MaskPhone returns s masked for anyone but the staff handling the ticket: a mobile number keeps its
// first 3 and last 4 digits (13812345678 → 138****5678, a +86 prefix dropped); a landline keeps its
// area code and last 4 digits (021-12345678 → 021-****5678; 56781234 → ****1234); anything else has
// every digit but the last 4 replaced by *, and all of them when it has fewer than 7.
func MaskPhone(s string) string { return DefaultMaskPolicy().View(AudienceStaff).maskPhone(s) }

// maskDigitsKeepTail masks a phone number that is not a mobile number: a landline with area code
// keeps the area code when keepArea is set, and tail trailing digits; other strings keep tail
// trailing digits only when they have at least 7.
func maskDigitsKeepTail(s string, tail int, keepArea bool) string {
	var d []byte
	for _, r := range s {
		if c, ok := asciiDigit(r); ok {
			d = append(d, c)
		}
	}
	if len(d) >= 10 && len(d) <= 12 && d[0] == '0' {
		area := 4
		if d[1] == '1' || d[1] == '2' {
			area = 3
		}
		local := string(d[area:])
		if keepArea {
			return string(d[:area]) + "-" + maskEnds(local, 0, tail)
		}
		return strings.Repeat("*", area) + "-" + maskEnds(local, 0, tail)
	}
	if len(d) < 7 {
		tail = 0
	}
	// Replace digits, keeping the last tail of them.
	keepFrom := len(d) - tail
	var b strings.Builder
	i := 0
	for _, r := range s {
		if _, ok := asciiDigit(r); ok {
			if i >= keepFrom {
				b.WriteRune(r)
			} else {
				b.WriteByte('*')
			}
			i++
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// maskEnds keeps head leading and tail trailing characters of s and replaces each of the others with
// *; when s has no more than head+tail characters, all of them are replaced.
func maskEnds(s string, head, tail int) string {
	if s == "" {
		return ""
	}
	n := utf8.RuneCountInString(s)
	if n <= head+tail {
		return strings.Repeat("*", n)
	}
	rs := []rune(s)
	return string(rs[:head]) + strings.Repeat("*", n-head-tail) + string(rs[n-tail:])
}

// MaskID returns the ID number (or any identifier) id as audience a sees it under
// [DefaultMaskPolicy]: in full for the handler, the first 6 and last 4 characters for other staff
// (310101********1234) and the first and last character in public output (3****************4). An
// identifier no longer than the characters kept is replaced entirely.
func MaskID(id string, a Audience) string {
	v := DefaultMaskPolicy().View(a)
	if v.Full {
		return id
	}
	return maskEnds(id, v.IDHead, v.IDTail)
}

// compoundSurnames are the common two-character surnames (复姓) kept whole by [MaskName].
var compoundSurnames = map[string]bool{
	"欧阳": true, "司马": true, "诸葛": true, "上官": true, "东方": true, "皇甫": true, "尉迟": true,
	"公孙": true, "慕容": true, "长孙": true, "宇文": true, "司徒": true, "夏侯": true, "轩辕": true,
	"令狐": true, "端木": true, "独孤": true, "南宫": true, "西门": true, "司空": true, "闻人": true,
	"澹台": true, "公冶": true, "宗政": true, "濮阳": true, "淳于": true, "单于": true, "太叔": true,
	"申屠": true, "钟离": true, "赫连": true, "万俟": true, "百里": true, "呼延": true, "东郭": true,
	"第五": true, "拓跋": true, "公羊": true, "谷梁": true, "左丘": true, "梁丘": true, "乐正": true,
}

// MaskName returns the surname of name followed by one * for each other character: 张三 → 张*,
// 欧阳娜娜 → 欧阳** (two-character surnames are kept whole when the name has at least three
// characters). Spaces and the middle dot of transcribed names (阿卜杜·热合曼) are kept; a
// one-character name becomes *.
func MaskName(name string) string {
	rs := []rune(strings.TrimSpace(name))
	if len(rs) == 0 {
		return ""
	}
	if len(rs) == 1 {
		return "*"
	}
	keep := 1
	if len(rs) >= 3 && compoundSurnames[string(rs[:2])] {
		keep = 2
	}
	var b strings.Builder
	b.WriteString(string(rs[:keep]))
	for _, r := range rs[keep:] {
		switch r {
		case '·', '•', '・', ' ', '\u3000':
			b.WriteRune(r)
		default:
			b.WriteByte('*')
		}
	}
	return b.String()
}

// MaskAddress returns addr cut to street level followed by ***: everything up to and including the
// first 街道, 镇 or 乡, or the first road name (…路, …街, …大道, …巷), whichever comes first, and
// nothing after it (house, lane and room numbers); a 街道 named after its road (友谊路街道) is kept
// whole. A marker only counts when a name precedes it within the current administrative segment, so
// 长宁区镇宁路 is cut after 镇宁路, not after 镇. When there is no marker, or the kept part would
// contain a digit, the address is cut after the district or county (…区, …县, …旗, else …市; the 区
// of 小区 and 社区 does not count); failing that it is hidden entirely.
func MaskAddress(addr string) string {
	rs := []rune(strings.TrimSpace(addr))
	if len(rs) == 0 {
		return ""
	}
	cut, seg := 0, 0
	for i := 0; i < len(rs) && cut == 0; i++ {
		next := rune(0)
		if i+1 < len(rs) {
			next = rs[i+1]
		}
		named := i > seg
		switch r := rs[i]; {
		case named && r == '街' && next == '道', named && r == '大' && next == '道':
			cut = i + 2
		case named && (r == '镇' || r == '乡' || r == '路' || r == '街' || r == '巷'):
			cut = i + 1
		case r == '省' || r == '市' || r == '区' || r == '县' || r == '旗' || r == '盟':
			seg = i + 1
		}
	}
	if cut > 0 && cut+1 < len(rs) && rs[cut] == '街' && rs[cut+1] == '道' {
		cut += 2 // 友谊路街道: the sub-district is named after the road
	}
	if cut == 0 || hasDigit(rs[:cut]) {
		return maskAddressDistrict(rs)
	}
	if cut == len(rs) {
		return string(rs)
	}
	return string(rs[:cut]) + "***"
}

// maskAddressDistrict cuts rs after the first 区, 县 or 旗 (not the 区 of 小区 or 社区), else after the
// first 市.
func maskAddressDistrict(rs []rune) string {
	cut := 0
	for i, r := range rs {
		if (r == '区' && (i == 0 || (rs[i-1] != '小' && rs[i-1] != '社'))) || r == '县' || r == '旗' {
			cut = i + 1
			break
		}
	}
	if cut == 0 {
		for i, r := range rs {
			if r == '市' {
				cut = i + 1
				break
			}
		}
	}
	if cut == 0 || hasDigit(rs[:cut]) {
		return "***"
	}
	if cut == len(rs) {
		return string(rs)
	}
	return string(rs[:cut]) + "***"
}

func hasDigit(rs []rune) bool {
	for _, r := range rs {
		if _, ok := asciiDigit(r); ok {
			return true
		}
	}
	return false
}

// asciiDigit returns the ASCII form of a half- or full-width digit.
func asciiDigit(r rune) (byte, bool) {
	switch {
	case r >= '0' && r <= '9':
		return byte(r), true
	case r >= '０' && r <= '９':
		return byte(r - '０' + '0'), true
	}
	return 0, false
}

// isNumberSeparator reports whether r may stand between the digit groups of a phone or ID number
// written in free text: spaces and hyphens, half or full width.
func isNumberSeparator(r rune) bool {
	return r == ' ' || r == '-' || r == '\u3000' || r == '－' || r == '\u00a0'
}

// Scrub returns text with personal numbers masked for audience a under [DefaultMaskPolicy]; see
// [MaskPolicy.Scrub]. It finds digit runs (half- or full-width digits, with spaces or hyphens
// between groups, and a final X for an ID number) and masks:
//
//   - a mobile number (1[3-9] and 9 more digits, with or without an 86 or 0086 prefix): as a phone;
//   - a run of 15 digits or 17 digits and a check character: as an ID number;
//   - a landline with area code (0 and 9–11 more digits), any other run of 9 or more digits (bank
//     cards, other identifiers) and a 7- or 8-digit run that is not a date written with separators
//     (a local landline, 5678 1234): every digit but the last 4 becomes *.
//
// Shorter runs, and dates such as 2024-05-17 or 2024 5 7, are left alone.
// For the handler the text is returned unchanged.
func Scrub(text string, a Audience) string { return DefaultMaskPolicy().Scrub(text, a) }

func (v MaskView) scrub(text string) string {
	if v.Full || text == "" {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if _, ok := asciiDigit(r); !ok {
			b.WriteString(text[i : i+size])
			i += size
			continue
		}
		end, digits, seps := scanNumber(text, i)
		b.WriteString(v.maskNumber(text[i:end], digits, seps))
		i = end
	}
	return b.String()
}

// scanNumber returns the end of the digit run starting at byte i of text, its digits in ASCII (with
// a final 'X' for an ID number) and whether separators occur in it. Separators join digit groups
// only when a digit follows them.
func scanNumber(text string, i int) (end int, digits []byte, seps bool) {
	end = i
	j := i
	for j < len(text) {
		r, size := utf8.DecodeRuneInString(text[j:])
		if c, ok := asciiDigit(r); ok {
			digits = append(digits, c)
			j += size
			end = j
			continue
		}
		if isNumberSeparator(r) {
			k := j + size
			for k < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[k:])
				if !isNumberSeparator(r2) {
					break
				}
				k += s2
			}
			if r2, _ := utf8.DecodeRuneInString(text[k:]); k < len(text) {
				if _, ok := asciiDigit(r2); ok {
					seps = true
					j = k
					continue
				}
			}
		}
		break
	}
	if len(digits) == 17 {
		if r, size := utf8.DecodeRuneInString(text[end:]); r == 'X' || r == 'x' || r == 'Ｘ' || r == 'ｘ' {
			digits = append(digits, 'X')
			end += size
		}
	}
	return end, digits, seps
}

// maskNumber masks one digit run found by scanNumber; raw is the run as written.
func (v MaskView) maskNumber(raw string, d []byte, seps bool) string {
	s := string(d)
	n := len(d)
	switch {
	case isMobile(stripCountryCode(s)):
		return maskEnds(stripCountryCode(s), v.PhoneHead, v.PhoneTail)
	case n == 18 || n == 15:
		return maskEnds(s, v.IDHead, v.IDTail)
	case n >= 9, n >= 7 && !(seps && isDate(raw)):
		return maskEnds(s, 0, 4)
	}
	return raw
}

// isDate reports whether raw, a digit run with separators, is written as a date: year, month and day
// (2024-05-17, 2024 5 7), year from 1900 to 2099.
func isDate(raw string) bool {
	var groups []int
	n, digits := 0, 0
	for _, r := range raw {
		if c, ok := asciiDigit(r); ok {
			n, digits = n*10+int(c-'0'), digits+1
			continue
		}
		if digits > 0 {
			groups = append(groups, n)
			if len(groups) == 1 && digits != 4 || len(groups) > 1 && digits > 2 {
				return false
			}
		}
		n, digits = 0, 0
	}
	if digits == 0 || digits > 2 {
		return false
	}
	groups = append(groups, n)
	return len(groups) == 3 && groups[0] >= 1900 && groups[0] <= 2099 &&
		groups[1] >= 1 && groups[1] <= 12 && groups[2] >= 1 && groups[2] <= 31
}
