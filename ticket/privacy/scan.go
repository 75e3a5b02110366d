package privacy

import (
	"strings"
	"unicode/utf8"
)

// A run is one number as written in free text: digit groups (numerals of any script, see
// [numeral]) joined by short runs of separators (see [isSeparator]; at most
// [maxVisibleSeparators] visible characters), with an optional check character X right after the
// last group.
type run struct {
	start, end int    // byte range of the run in the text
	digits     []byte // the run's digits in ASCII, then 'X' when hasX
	runeAt     []int  // for each digit, the byte offset of the rune that wrote it
	groups     []int  // the index in digits where each group starts
	colon      []bool // colon[g]: the separator before group g is a lone ':' or '：'
	nd         int    // how many digits (the X excluded)
	hasX       bool
}

// scanRun reads the run that starts with the numeral at byte i of text into r (reusing its slices).
func scanRun(text string, i int, r *run) {
	r.start, r.end = i, i
	r.digits, r.runeAt, r.groups, r.colon = r.digits[:0], r.runeAt[:0], r.groups[:0], r.colon[:0]
	r.hasX = false
	j := i
	colon := false
	for {
		// One group of numerals.
		r.groups = append(r.groups, len(r.digits))
		r.colon = append(r.colon, colon)
		for j < len(text) {
			c, size := utf8.DecodeRuneInString(text[j:])
			v, ok := numeral(c)
			if !ok {
				break
			}
			r.digits = appendDigits(r.digits, v)
			for len(r.runeAt) < len(r.digits) {
				r.runeAt = append(r.runeAt, j)
			}
			j += size
		}
		r.end = j
		// A short separator run followed by a numeral continues the number.
		k, visible, n := j, 0, 0
		lone := rune(0)
		for k < len(text) {
			c, size := utf8.DecodeRuneInString(text[k:])
			if !isSeparator(c) {
				break
			}
			if !isInvisible(c) {
				visible++
				lone = c
			}
			n++
			k += size
			if visible > maxVisibleSeparators {
				break
			}
		}
		if n == 0 || visible > maxVisibleSeparators || k >= len(text) {
			break
		}
		if c, _ := utf8.DecodeRuneInString(text[k:]); !isNumeral(c) {
			break
		}
		colon = visible == 1 && (lone == ':' || lone == '：')
		j = k
	}
	r.nd = len(r.digits)
	if c, size := utf8.DecodeRuneInString(text[r.end:]); r.end < len(text) && isCheckX(c) {
		r.digits = append(r.digits, 'X')
		r.runeAt = append(r.runeAt, r.end)
		r.end += size
		r.hasX = true
	}
}

func isNumeral(c rune) bool { _, ok := numeral(c); return ok }

// groupStart returns the index in r.digits where group g starts; len(r.groups) gives r.nd.
func (r *run) groupStart(g int) int {
	if g >= len(r.groups) {
		return r.nd
	}
	return r.groups[g]
}

// The kinds of numbers [View.classify] recognises.
const (
	kindNone = iota
	kindID
	kindMobile
)

// number returns the number that starts at group g and ends at a group boundary (or with the run's
// X): its kind, the group after it, and the digit range [lo, hi) to mask as that kind (a mobile
// number's 86 or 0086 country code is left outside). An 18-character ID number beats a mobile
// number, which beats a 15-digit (first-generation) ID number.
func (r *run) number(g int) (kind, next, lo, hi int) {
	s := r.groupStart(g)
	best := kindNone
	for gj := g + 1; gj <= len(r.groups); gj++ {
		e := r.groupStart(gj)
		d := e - s
		if d > 18 {
			break
		}
		switch {
		case d == 18 || d == 17 && gj == len(r.groups) && r.hasX:
			return kindID, gj, s, s + 18
		case best < kindMobile && d == 11 && isMobile(r.digits[s:e]):
			best, next, lo, hi = kindMobile, gj, s, e
		case best < kindMobile && d == 13 && string(r.digits[s:s+2]) == "86" && isMobile(r.digits[s+2:e]):
			best, next, lo, hi = kindMobile, gj, s+2, e
		case best < kindMobile && d == 15 && string(r.digits[s:s+4]) == "0086" && isMobile(r.digits[s+4:e]):
			best, next, lo, hi = kindMobile, gj, s+4, e
		case best == kindNone && d == 15:
			best, next, lo, hi = kindID, gj, s, e
		}
	}
	return best, next, lo, hi
}

// isMobile reports whether d, 11 ASCII digits, is a mainland mobile number: 1[3-9] and 9 more.
func isMobile(d []byte) bool { return len(d) == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9' }

// exception returns how many groups from g on are a date or a time of day, which stay as written:
// a date is year (1900–2099, four digits), month and day (one or two digits each) with any
// separators (2024-05-17, 2024.5.7, 2024 5 7); a time is hour and minute joined by a colon, alone or
// as a range (22:00, 22:00-06:00).
func (r *run) exception(g int) int {
	if g+3 <= len(r.groups) {
		y, yn := r.value(g)
		m, mn := r.value(g + 1)
		d, dn := r.value(g + 2)
		if yn == 4 && y >= 1900 && y <= 2099 && mn <= 2 && m >= 1 && m <= 12 && dn <= 2 && d >= 1 && d <= 31 {
			return 3
		}
	}
	if r.time(g) {
		if r.time(g + 2) {
			return 4
		}
		return 2
	}
	return 0
}

// time reports whether groups g and g+1 are hh:mm.
func (r *run) time(g int) bool {
	if g+2 > len(r.groups) || !r.colon[g+1] {
		return false
	}
	h, hn := r.value(g)
	m, mn := r.value(g + 1)
	return hn <= 2 && h <= 24 && mn == 2 && m <= 59
}

// value returns the value of group g and its number of digits (values of more than 4 digits are
// not needed and not computed).
func (r *run) value(g int) (v, n int) {
	s, e := r.groupStart(g), r.groupStart(g+1)
	if e-s > 4 {
		return 0, e - s
	}
	for _, c := range r.digits[s:e] {
		v = v*10 + int(c-'0')
	}
	return v, e - s
}

// classify sets star[i] for every digit i of r that the view hides: the middle of mobile and ID
// numbers (see [run.number]) and, outside dates and times, every digit but the last few of any other
// stretch of 7 or more digits (landlines, bank cards, other identifiers).
func (v View) classify(r *run, star []bool) {
	pending := -1
	flush := func(end int) {
		if pending >= 0 && end-pending >= 7 {
			maskRange(star, pending, end, 0, min(v.PhoneTail, 4), MinPhoneHidden)
		}
		pending = -1
	}
	for g := 0; g < len(r.groups); {
		if kind, next, lo, hi := r.number(g); kind != kindNone {
			flush(r.groupStart(g))
			if kind == kindMobile {
				maskRange(star, lo, hi, v.PhoneHead, v.PhoneTail, MinPhoneHidden)
			} else {
				maskRange(star, lo, hi, v.IDHead, v.IDTail, MinIDHidden)
			}
			g = next
			continue
		}
		if k := r.exception(g); k > 0 {
			flush(r.groupStart(g))
			g += k
			continue
		}
		if pending < 0 {
			pending = r.groupStart(g)
		}
		g++
	}
	flush(r.nd)
	v.noHiddenMobiles(r, star)
}

// noHiddenMobiles masks, as a phone, any 11 digits left visible in a row that spell a mobile number.
// Numbers are found at group boundaries, so a date, a time and a short stretch may stand next to
// one another (2024-05-13 8:12 3456 78) and together spell one; whatever the grouping, no mobile
// number stays readable in a run.
func (v View) noHiddenMobiles(r *run, star []bool) {
	visible := 0
	for i := 0; i < r.nd; i++ {
		if star[i] {
			visible = 0
			continue
		}
		visible++
		if j := i - 10; visible >= 11 && isMobile(r.digits[j:i+1]) {
			maskRange(star, j, i+1, v.PhoneHead, v.PhoneTail, MinPhoneHidden)
			visible = 0
			for k := j; k <= i; k++ {
				if star[k] {
					visible = 0
				} else {
					visible++
				}
			}
		}
	}
}

// shown returns how many leading and trailing characters of n to show when a view asks for head and
// tail, so that at least minHidden stay hidden: the head gives way first, then the tail. Counts
// outside 0..n are treated as 0..n, so no caller value can index out of range.
func shown(n, head, tail, minHidden int) (int, int) {
	head, tail = max(0, min(head, n)), max(0, min(tail, n))
	room := max(0, n-minHidden)
	tail = min(tail, room)
	head = min(head, room-tail)
	return head, tail
}

// maskRange sets star for the characters of [lo, hi) that are neither among the first head nor the
// last tail (see [shown]).
func maskRange(star []bool, lo, hi, head, tail, minHidden int) {
	h, t := shown(hi-lo, head, tail, minHidden)
	for i := lo + h; i < hi-t; i++ {
		star[i] = true
	}
}

// scrub writes text with the view's masks applied to b: the numbers the scanner finds, and every
// rune whose byte offset marks holds (the citizen's recorded identity; nil for none).
func (v View) scrub(text string, marks bitset) string {
	var b strings.Builder
	var r run
	var star []bool
	last := 0 // text[last:i] is still to be copied
	for i := 0; i < len(text); {
		c, size := utf8.DecodeRuneInString(text[i:])
		if !isNumeral(c) {
			if marks.has(i) {
				if b.Len() == 0 {
					b.Grow(len(text))
				}
				b.WriteString(text[last:i])
				b.WriteByte('*')
				last = i + size
			}
			i += size
			continue
		}
		scanRun(text, i, &r)
		if n := len(r.digits); cap(star) < n {
			star = make([]bool, n)
		} else {
			star = star[:n]
			clear(star)
		}
		v.classify(&r, star)
		if !r.touched(star, marks) {
			i = r.end
			continue
		}
		if b.Len() == 0 {
			b.Grow(len(text))
		}
		b.WriteString(text[last:i])
		r.render(&b, text, star, marks)
		i, last = r.end, r.end
	}
	if last == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

// touched reports whether any rune of r is to be hidden.
func (r *run) touched(star []bool, marks bitset) bool {
	for i, s := range star {
		if s || marks.has(r.runeAt[i]) {
			return true
		}
	}
	return false
}

// render writes r with its hidden digits as *: a rune whose digits are all shown is written as it
// was, one whose digits are all hidden as one * per digit, a numeral of two digits (⑬) with one
// shown as that digit in ASCII and a *. Separators are written as they were.
func (r *run) render(b *strings.Builder, text string, star []bool, marks bitset) {
	di := 0
	for off := r.start; off < r.end; {
		_, size := utf8.DecodeRuneInString(text[off:])
		if di < len(r.runeAt) && r.runeAt[di] == off {
			k := di
			for k < len(r.runeAt) && r.runeAt[k] == off {
				k++
			}
			marked := marks.has(off)
			hidden, all := 0, k-di
			for x := di; x < k; x++ {
				if star[x] || marked {
					hidden++
				}
			}
			switch hidden {
			case 0:
				b.WriteString(text[off : off+size])
			case all:
				for range all {
					b.WriteByte('*')
				}
			default:
				for x := di; x < k; x++ {
					if star[x] || marked {
						b.WriteByte('*')
					} else {
						b.WriteByte(r.digits[x])
					}
				}
			}
			di = k
		} else if marks.has(off) {
			b.WriteByte('*')
		} else {
			b.WriteString(text[off : off+size])
		}
		off += size
	}
}

// bitset holds one bit per byte offset of a text; the nil bitset holds none.
type bitset []uint64

func (s bitset) has(i int) bool {
	return i>>6 < len(s) && s[i>>6]&(1<<(uint(i)&63)) != 0
}

func (s *bitset) set(i, n int) {
	if *s == nil {
		*s = make(bitset, n>>6+1)
	}
	(*s)[i>>6] |= 1 << (uint(i) & 63)
}
