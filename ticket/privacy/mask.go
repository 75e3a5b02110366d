package privacy

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Every masker has the same shape: a method of [Policy] that takes the value and the [Audience]
// looking at it and returns what that audience may see. The audience's view decides (see
// [Policy.View]); an audience without one sees nothing.

// MaskPhone returns the phone number s as audience a may see it. A mobile number (its digits in any
// script, with any separators and an optional 86 or 0086 country code) is written as 11 ASCII
// digits keeping the view's PhoneHead and PhoneTail (138****5678); a landline with area code keeps
// the area code, when the view shows a head, and the last 4 digits (021-****5678); anything else
// has every numeral replaced by * but the last 4 digits (at most the view's PhoneTail) when it has
// at least 7, in place. At least [MinPhoneHidden] digits are always hidden (5678123 → ****123).
func (p Policy) MaskPhone(s string, a Audience) string { return p.View(a).maskPhone(s) }

// MaskID returns the ID number (or any identifier) id as audience a may see it: the view's IDHead
// leading and IDTail trailing characters, every other one replaced by *; at least [MinIDHidden]
// characters are always hidden, so a short identifier shows fewer (the head gives way first).
func (p Policy) MaskID(id string, a Audience) string { return p.View(a).maskID(id) }

// MaskName returns name as audience a may see it: under [NameSurname] the surname followed by one *
// for each other character (张三 → 张*, 欧阳娜娜 → 欧阳**: two-character surnames are kept whole
// when the name has at least three characters; spaces and the middle dot of transcribed names are
// kept, 阿卜杜·热合曼 → 阿**·***; a one-character name becomes *), under [NameHidden] ***.
func (p Policy) MaskName(name string, a Audience) string { return p.View(a).maskName(name) }

// MaskAddress returns addr as audience a may see it. Under [AddressStreet] it is cut to street level
// followed by ***: everything up to and including the first 街道, 镇 or 乡, or the first road name
// (…路, …街, …大道, …巷), whichever comes first, and nothing after it (house, lane and room numbers);
// a 街道 named after its road (友谊路街道) is kept whole. A marker only counts when a name precedes
// it within the current administrative segment, so 长宁区镇宁路 is cut after 镇宁路, not after 镇.
// When there is no marker, or the kept part would contain a numeral, the address is cut as under
// [AddressDistrict]: after the district or county (…区, …县, …旗, else …市; the 区 of 小区 and 社区
// does not count); failing that, and under [AddressHidden], it is ***.
func (p Policy) MaskAddress(addr string, a Audience) string { return p.View(a).maskAddress(addr) }

// Scrub returns text as audience a may see it: under [TextScrubbed] with every phone number, ID
// number and other long digit run masked, under [TextHidden] as *** (and "" as ""). Only the masked
// numerals change; everything else, separators included, stays as written.
//
// The scanner folds every numeral to its value — any Unicode decimal digit (full-width １, Arabic-
// Indic ١, mathematical 𝟏, …) and the circled, parenthesised and other digit forms (①, ⑴, ❶, ¹) —
// and reads digit groups joined by short separator runs as one number: anything but a letter or a
// numeral (space, tab, newline, . , / _ -, every dash and hyphen, full-width punctuation, zero-width
// space, soft hyphen), at most three visible characters between two groups (white space and
// invisible characters do not count). An X right after the last group is an ID number's check
// character. In each such number it masks
//
//   - a mobile number (1[3-9] and 9 more digits, after an optional 86 or 0086 country code, which
//     stays): as a phone, keeping the view's PhoneHead and PhoneTail;
//   - 17 digits and an X, 18 digits, or 15 digits: as an ID number, keeping IDHead and IDTail;
//   - any other stretch of 7 or more digits (landlines, bank cards, other identifiers): every digit
//     but the last 4 (at most PhoneTail, at least [MinPhoneHidden] hidden).
//
// A number starts and ends at group boundaries, so 2024-05-17 13812345678 keeps its date. Dates
// (year 1900–2099, month, day: 2024-05-17, 2024.5.7) and times of day (22:00, 22:00-06:00) stay as
// written, as do shorter runs (3号楼502室, 1,500元). Scrub knows no one's identity: to also mask the
// citizen's name and address where the text repeats them, use [Policy.Mask] or [Policy.MaskTicket].
func (p Policy) Scrub(text string, a Audience) string { return p.View(a).text(text, nil) }

// Personal is personal data to mask on its own with [Policy.Mask], e.g. from a system that does not
// use [ticket.Ticket]. A ticket is masked whole by [Policy.MaskTicket].
type Personal struct {
	Name     string `json:"name,omitempty"`
	Phone    string `json:"phone,omitempty"`
	IDNumber string `json:"id_number,omitempty"`
	Address  string `json:"address,omitempty"`
	// Text is free text (the citizen's account) masked as [Policy.Scrub] does and, in addition,
	// wherever it repeats this person's name, phone, ID number or address (below the level the view
	// shows).
	Text string `json:"text,omitempty"`
}

// Mask returns d as audience a may see it.
func (p Policy) Mask(d Personal, a Audience) Personal {
	v := p.View(a)
	if v.Full {
		return d
	}
	id := v.identity([]who{{d.Name, d.Phone, d.IDNumber, d.Address}})
	return Personal{
		Name:     v.maskName(d.Name),
		Phone:    v.maskPhone(d.Phone),
		IDNumber: v.maskID(d.IDNumber),
		Address:  v.maskAddress(d.Address),
		Text:     v.text(d.Text, &id),
	}
}

// MaxTextBytes is the longest free text the maskers scan; a longer one is hidden whole (***).
const MaxTextBytes = 1 << 30

// text masks one free text: *** when the view hides text, else scrubbed of numbers and of the
// repetitions of id (nil: none).
func (v View) text(s string, id *identity) string {
	switch {
	case v.Full || s == "":
		return s
	case v.Text != TextScrubbed, len(s) > MaxTextBytes:
		return "***"
	}
	var marks bitset
	if id != nil {
		marks = id.marks(s)
	}
	return v.scrub(s, marks)
}

func (v View) maskName(s string) string {
	switch {
	case v.Full || s == "":
		return s
	case v.Name == NameSurname:
		return maskName(s)
	}
	return "***"
}

// surnameLen returns how many leading characters of the name rs are its surname.
func surnameLen(rs []rune) int {
	if len(rs) >= 3 && compoundSurnames[string(rs[:2])] {
		return 2
	}
	return 1
}

func maskName(name string) string {
	rs := []rune(strings.TrimSpace(name))
	switch len(rs) {
	case 0:
		return ""
	case 1:
		return "*"
	}
	keep := surnameLen(rs)
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

// compoundSurnames are the common two-character surnames (复姓) kept whole by [Policy.MaskName].
var compoundSurnames = map[string]bool{
	"欧阳": true, "司马": true, "诸葛": true, "上官": true, "东方": true, "皇甫": true, "尉迟": true,
	"公孙": true, "慕容": true, "长孙": true, "宇文": true, "司徒": true, "夏侯": true, "轩辕": true,
	"令狐": true, "端木": true, "独孤": true, "南宫": true, "西门": true, "司空": true, "闻人": true,
	"澹台": true, "公冶": true, "宗政": true, "濮阳": true, "淳于": true, "单于": true, "太叔": true,
	"申屠": true, "钟离": true, "赫连": true, "万俟": true, "百里": true, "呼延": true, "东郭": true,
	"第五": true, "拓跋": true, "公羊": true, "谷梁": true, "左丘": true, "梁丘": true, "乐正": true,
}

func (v View) maskID(s string) string {
	if v.Full || s == "" {
		return s
	}
	return maskEnds(s, v.IDHead, v.IDTail, MinIDHidden)
}

// maskEnds keeps head leading and tail trailing characters of s, at least minHidden hidden (see
// [shown]), and replaces each of the others with *.
func maskEnds(s string, head, tail, minHidden int) string {
	n := utf8.RuneCountInString(s)
	h, t := shown(n, head, tail, minHidden)
	var b strings.Builder
	b.Grow(len(s))
	i := 0
	for _, r := range s {
		if i < h || i >= n-t {
			b.WriteRune(r)
		} else {
			b.WriteByte('*')
		}
		i++
	}
	return b.String()
}

func (v View) maskPhone(s string) string {
	if v.Full || s == "" {
		return s
	}
	var d []byte
	letters := false
	for _, r := range s {
		if n, ok := numeral(r); ok {
			d = appendDigits(d, n)
		} else if !isSeparator(r) {
			letters = true
		}
	}
	if !letters {
		if m := stripCountryCode(d); isMobile(m) {
			return maskEnds(string(m), v.PhoneHead, v.PhoneTail, MinPhoneHidden)
		}
		if len(d) >= 10 && len(d) <= 12 && d[0] == '0' {
			area := 4
			if d[1] == '1' || d[1] == '2' {
				area = 3
			}
			local := maskEnds(string(d[area:]), 0, min(v.PhoneTail, 4), MinPhoneHidden)
			if v.PhoneHead > 0 {
				return string(d[:area]) + "-" + local
			}
			return strings.Repeat("*", area) + "-" + local
		}
	}
	// Anything else: every numeral but the last few becomes *, in place.
	tail := min(v.PhoneTail, 4)
	if len(d) < 7 {
		tail = 0
	}
	_, tail = shown(len(d), 0, tail, MinPhoneHidden)
	keepFrom := len(d) - tail
	var b strings.Builder
	i := 0
	for _, r := range s {
		n, ok := numeral(r)
		if !ok {
			b.WriteRune(r)
			continue
		}
		k := 1
		if n >= 10 {
			k = 2
		}
		if i >= keepFrom {
			b.WriteRune(r)
		} else {
			b.WriteString(strings.Repeat("*", k))
		}
		i += k
	}
	return b.String()
}

// stripCountryCode returns the mobile number in d without its 86 or 0086 country code; d unchanged
// when it is not a mobile number with such a prefix.
func stripCountryCode(d []byte) []byte {
	switch {
	case len(d) == 13 && string(d[:2]) == "86" && isMobile(d[2:]):
		return d[2:]
	case len(d) == 15 && string(d[:4]) == "0086" && isMobile(d[4:]):
		return d[4:]
	}
	return d
}

func (v View) maskAddress(s string) string {
	switch {
	case v.Full || s == "":
		return s
	case v.Address == AddressStreet:
		return maskAddressStreet(s)
	case v.Address == AddressDistrict:
		return maskAddressDistrict([]rune(strings.TrimSpace(s)))
	}
	return "***"
}

// maskAddressStreet cuts addr to street level; see [Policy.MaskAddress].
func maskAddressStreet(addr string) string {
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
	if cut == 0 || hasNumeral(rs[:cut]) {
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
	if len(rs) == 0 {
		return ""
	}
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
	if cut == 0 || hasNumeral(rs[:cut]) {
		return "***"
	}
	if cut == len(rs) {
		return string(rs)
	}
	return string(rs[:cut]) + "***"
}

func hasNumeral(rs []rune) bool {
	for _, r := range rs {
		if isNumeral(r) {
			return true
		}
	}
	return false
}

// foldLetter returns the form of a letter that identity matching compares: full-width Latin letters
// as ASCII, lower case.
func foldLetter(r rune) rune {
	switch {
	case r >= 0x4e00 && r <= 0x9fff:
		return r
	case r >= 0xff01 && r <= 0xff5e:
		r -= 0xfee0
	}
	return unicode.ToLower(r)
}
