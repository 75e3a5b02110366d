package privacy

// The implementation before issue 9, kept for the benchmarks' "before" figures (BENCHMARKS.md): the
// scrubber of ticket/privacy.go at e757795 and its MaskTicket, with the ticket's unexported payload
// clone written out. Not used by any test of behaviour.

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/hotline12345/hotline/ticket"
)

type oldView struct {
	Full                                 bool
	PhoneHead, PhoneTail, IDHead, IDTail int
	Name                                 NameMask
	Address                              AddressMask
}

type oldPolicy struct{ view oldView }

func (p oldPolicy) View(Audience) oldView { return p.view }

func oldStaff() oldPolicy {
	return oldPolicy{oldView{PhoneHead: 3, PhoneTail: 4, IDHead: 6, IDTail: 4, Name: NameSurname, Address: AddressStreet}}
}

func oldClone(p ticket.Payload) ticket.Payload {
	q := p
	q.Intake = oldClonePtr(p.Intake)
	if q.Intake != nil {
		q.Intake.Matter.Levels = slices.Clone(p.Intake.Matter.Levels)
	}
	q.Refusal = oldClonePtr(p.Refusal)
	q.Dispatch = oldClonePtr(p.Dispatch)
	if q.Dispatch != nil {
		q.Dispatch.CoHandling = slices.Clone(p.Dispatch.CoHandling)
	}
	q.Return = oldClonePtr(p.Return)
	q.Extension = oldClonePtr(p.Extension)
	if q.Extension != nil {
		q.Extension.Approvals = slices.Clone(p.Extension.Approvals)
		q.Extension.Approved = slices.Clone(p.Extension.Approved)
	}
	q.Approval = oldClonePtr(p.Approval)
	q.Reply = oldClonePtr(p.Reply)
	q.Callback = oldClonePtr(p.Callback)
	q.Supervision = oldClonePtr(p.Supervision)
	q.Repeat = oldClonePtr(p.Repeat)
	q.Closure = oldClonePtr(p.Closure)
	if q.Closure != nil {
		q.Closure.Unfounded = oldClonePtr(p.Closure.Unfounded)
	}
	q.AppealReview = oldClonePtr(p.AppealReview)
	return q
}

func oldClonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func (v oldView) scrub(text string) string {
	if v.Full || text == "" {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if _, ok := oldASCIIDigit(r); !ok {
			b.WriteString(text[i : i+size])
			i += size
			continue
		}
		end, digits, seps := oldScanNumber(text, i)
		b.WriteString(v.maskNumber(text[i:end], digits, seps))
		i = end
	}
	return b.String()
}

func oldScanNumber(text string, i int) (end int, digits []byte, seps bool) {
	end = i
	j := i
	for j < len(text) {
		r, size := utf8.DecodeRuneInString(text[j:])
		if c, ok := oldASCIIDigit(r); ok {
			digits = append(digits, c)
			j += size
			end = j
			continue
		}
		if oldIsNumberSeparator(r) {
			k := j + size
			for k < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[k:])
				if !oldIsNumberSeparator(r2) {
					break
				}
				k += s2
			}
			if r2, _ := utf8.DecodeRuneInString(text[k:]); k < len(text) {
				if _, ok := oldASCIIDigit(r2); ok {
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

func (v oldView) maskNumber(raw string, d []byte, seps bool) string {
	s := string(d)
	n := len(d)
	switch {
	case oldIsMobile(oldStripCountryCode(s)):
		return oldMaskEnds(oldStripCountryCode(s), v.PhoneHead, v.PhoneTail)
	case n == 18 || n == 15:
		return oldMaskEnds(s, v.IDHead, v.IDTail)
	case n >= 9, n >= 7 && !(seps && oldIsDate(raw)):
		return oldMaskEnds(s, 0, 4)
	}
	return raw
}

func oldIsDate(raw string) bool {
	var groups []int
	n, digits := 0, 0
	for _, r := range raw {
		if c, ok := oldASCIIDigit(r); ok {
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

func oldMaskEnds(s string, head, tail int) string {
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

func oldASCIIDigit(r rune) (byte, bool) {
	switch {
	case r >= '0' && r <= '9':
		return byte(r), true
	case r >= '０' && r <= '９':
		return byte(r - '０' + '0'), true
	}
	return 0, false
}

func oldIsNumberSeparator(r rune) bool {
	return r == ' ' || r == '-' || r == '\u3000' || r == '－' || r == '\u00a0'
}

func (v oldView) maskName(s string) string {
	if s == "" {
		return ""
	}
	if v.Name == NameSurname {
		return oldMaskName(s)
	}
	return "***"
}

func (v oldView) maskAddress(s string) string {
	switch {
	case s == "":
		return ""
	case v.Address == AddressStreet:
		return oldMaskAddress(s)
	case v.Address == AddressDistrict:
		return oldMaskAddressDistrict([]rune(s))
	}
	return "***"
}

func (v oldView) maskPhone(s string) string {
	if s == "" {
		return ""
	}
	if d, err := ticket.ParseMobile(s); err == nil {
		return oldMaskEnds(d, v.PhoneHead, v.PhoneTail)
	}
	return oldMaskDigitsKeepTail(s, min(v.PhoneTail, 4), v.PhoneHead > 0)
}

func oldMaskDigitsKeepTail(s string, tail int, keepArea bool) string {
	var d []byte
	for _, r := range s {
		if c, ok := oldASCIIDigit(r); ok {
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
			return string(d[:area]) + "-" + oldMaskEnds(local, 0, tail)
		}
		return strings.Repeat("*", area) + "-" + oldMaskEnds(local, 0, tail)
	}
	if len(d) < 7 {
		tail = 0
	}
	// Replace digits, keeping the last tail of them.
	keepFrom := len(d) - tail
	var b strings.Builder
	i := 0
	for _, r := range s {
		if _, ok := oldASCIIDigit(r); ok {
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

func (v oldView) maskPerson(p ticket.Person) ticket.Person {
	p.Name = v.maskName(p.Name)
	p.Phone = v.maskPhone(p.Phone)
	p.IDNumber = oldMaskEnds(p.IDNumber, v.IDHead, v.IDTail)
	p.Address = v.maskAddress(p.Address)
	return p
}

func oldMaskAddress(addr string) string {
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
	if cut == 0 || oldHasDigit(rs[:cut]) {
		return oldMaskAddressDistrict(rs)
	}
	if cut == len(rs) {
		return string(rs)
	}
	return string(rs[:cut]) + "***"
}

func oldMaskAddressDistrict(rs []rune) string {
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
	if cut == 0 || oldHasDigit(rs[:cut]) {
		return "***"
	}
	if cut == len(rs) {
		return string(rs)
	}
	return string(rs[:cut]) + "***"
}

func oldHasDigit(rs []rune) bool {
	for _, r := range rs {
		if _, ok := oldASCIIDigit(r); ok {
			return true
		}
	}
	return false
}

func oldMaskName(name string) string {
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

func (m oldTicketMasker) text(s string) string {
	if m.name != "" {
		s = strings.ReplaceAll(s, m.name, m.masked)
	}
	return m.v.scrub(s)
}

func (m oldTicketMasker) payload(q *ticket.Payload) {
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

func (p oldPolicy) MaskTicket(t *ticket.Ticket, a Audience) *ticket.Ticket {
	if t == nil {
		return nil
	}
	v := p.View(a)
	c := *t
	c.Matter.Levels = slices.Clone(t.Matter.Levels)
	c.Assignment.CoHandling = slices.Clone(t.Assignment.CoHandling)
	c.Assignment.Returned = slices.Clone(t.Assignment.Returned)
	q := oldClone(ticket.Payload{Refusal: t.Refusal, Extension: t.Extension, Reply: t.Reply, Callback: t.Callback, Closure: t.Closure})
	c.Refusal, c.Extension, c.Reply, c.Callback, c.Closure = q.Refusal, q.Extension, q.Reply, q.Callback, q.Closure
	c.History = make([]ticket.Event, len(t.History))
	for i, e := range t.History {
		e.Payload = oldClone(e.Payload)
		e.Notes = slices.Clone(e.Notes)
		c.History[i] = e
	}
	if v.Full {
		return &c
	}
	m := oldTicketMasker{v: v}
	if name := strings.TrimSpace(t.Citizen.Name); utf8.RuneCountInString(name) >= 2 {
		m.name, m.masked = name, v.maskName(name)
	}
	c.Title, c.Content = m.text(c.Title), m.text(c.Content)
	c.Citizen = v.maskPerson(c.Citizen)
	c.Place.Address = v.maskAddress(c.Place.Address)
	m.payload(&ticket.Payload{Refusal: c.Refusal, Extension: c.Extension, Reply: c.Reply})
	for i := range c.History {
		e := &c.History[i]
		e.Reason = m.text(e.Reason)
		m.payload(&e.Payload)
	}
	return &c
}

func oldIsMobile(d string) bool {
	return len(d) == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9' && strings.Trim(d, "0123456789") == ""
}

func oldStripCountryCode(d string) string {
	switch {
	case len(d) == 13 && strings.HasPrefix(d, "86") && oldIsMobile(d[2:]):
		return d[2:]
	case len(d) == 15 && strings.HasPrefix(d, "0086") && oldIsMobile(d[4:]):
		return d[4:]
	}
	return d
}

type oldTicketMasker struct {
	v            oldView
	name, masked string
}
