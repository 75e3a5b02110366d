package privacy

import (
	"strings"
	"unicode/utf8"
)

// who is one recorded identity: the citizen of a ticket or of a [Personal].
type who struct{ name, phone, id, address string }

// identity is what free text must not repeat for one view: the recorded names, phone and ID
// numbers as sequences of folded characters (each with what the view keeps of it), and the 4-grams
// of the addresses below the level the view shows. Separators between the characters do not
// matter; letters do, so 138号1234 is not 1381234.
type identity struct {
	patterns []pattern
	grams    map[[4]rune]struct{}
	// inGram has bit r&0xffff set for every character r of a gram: a cheap first test, so that the
	// gram table is consulted only where four characters in a row might be one.
	inGram *[1024]uint64
	buf    []entry // scratch for marks; an identity belongs to one call
}

type pattern struct {
	keys                  []rune
	head, tail, minHidden int
}

// Bounds on what is matched in text, so that matching stays linear in the text whatever the
// recorded values: a longer "name", phone or ID number is not one (the field itself is still
// masked), an address's hidden part gives its 4-grams from its first maxAddressRunes characters,
// and a ticket naming more than maxPeople different people has its texts hidden (see MaskTicket).
const (
	maxNameRunes    = 32
	maxPhoneDigits  = 20
	maxIDRunes      = 24
	maxAddressRunes = 128
	maxPeople       = 8
)

// identity prepares the recorded identities ws for matching under v.
func (v View) identity(ws []who) identity {
	var id identity
	add := func(keys []rune, head, tail, minHidden int) {
		for _, p := range id.patterns {
			if string(p.keys) == string(keys) {
				return
			}
		}
		id.patterns = append(id.patterns, pattern{keys, head, tail, minHidden})
	}
	for _, w := range ws {
		if keys := keysOf(w.name); len(keys) >= 2 && len(keys) <= maxNameRunes {
			keep := 0
			if v.Name == NameSurname {
				keep = surnameLen([]rune(strings.TrimSpace(w.name)))
			}
			add(keys, keep, 0, 1)
		}
		if d := digitsOf(w.phone); len(d) > maxPhoneDigits {
			// not a phone number
		} else if isMobile(stripCountryCode(d)) {
			add(runesOf(stripCountryCode(d)), v.PhoneHead, v.PhoneTail, MinPhoneHidden)
		} else if len(d) >= 7 {
			tail := min(v.PhoneTail, 4)
			add(runesOf(d), 0, tail, MinPhoneHidden)
			if len(d) >= 10 && d[0] == '0' { // the local number of a landline, without its area code
				area := 4
				if d[1] == '1' || d[1] == '2' {
					area = 3
				}
				if len(d)-area >= 7 {
					add(runesOf(d[area:]), 0, tail, MinPhoneHidden)
				}
			}
		}
		if keys := keysOf(w.id); len(keys) >= 7 && len(keys) <= maxIDRunes {
			add(keys, v.IDHead, v.IDTail, MinIDHidden)
		}
		rest := v.hiddenAddress(w.address)
		rest = rest[:min(len(rest), maxAddressRunes)]
		if len(rest) >= 4 {
			if id.grams == nil {
				id.grams, id.inGram = map[[4]rune]struct{}{}, new([1024]uint64)
			}
			for i := 0; i+4 <= len(rest); i++ {
				id.grams[[4]rune(rest[i:i+4])] = struct{}{}
			}
			for _, r := range rest {
				id.inGram[r>>6&1023] |= 1 << (r & 63)
			}
		} else if len(rest) == 3 {
			add(rest, 0, 0, 1)
		}
	}
	return id
}

// hiddenAddress returns the folded characters of the part of addr the view does not show.
func (v View) hiddenAddress(addr string) []rune {
	addr = strings.TrimSpace(addr)
	shown := v.maskAddress(addr)
	kept, cut := strings.CutSuffix(shown, "***")
	if !cut {
		return nil // shown whole
	}
	if !strings.HasPrefix(addr, kept) {
		kept = ""
	}
	return keysOf(addr[len(kept):])
}

// entry is one folded character of a text and the byte offset of the rune it came from (texts are
// at most MaxTextBytes long, so an offset fits in 32 bits).
type entry struct {
	key rune
	off int32
}

// appendKeys appends the folded characters of s: numerals as their ASCII digits, and so the
// Chinese characters that write one digit (see [hanDigit]), letters folded (see [foldLetter]);
// separators are left out.
func appendKeys(es []entry, s string) []entry {
	for i, r := range s {
		if v, ok := numeral(r); ok {
			if v >= 10 {
				es = append(es, entry{rune('0' + v/10), int32(i)})
			}
			es = append(es, entry{rune('0' + v%10), int32(i)})
		} else if d, ok := hanDigit(r); ok {
			es = append(es, entry{rune('0' + d), int32(i)})
		} else if isLetter(r) {
			es = append(es, entry{foldLetter(r), int32(i)})
		}
	}
	return es
}

func keysOf(s string) []rune {
	es := appendKeys(nil, s)
	keys := make([]rune, len(es))
	for i, e := range es {
		keys[i] = e.key
	}
	return keys
}

func digitsOf(s string) []byte {
	var d []byte
	for _, r := range s {
		if v, ok := numeral(r); ok {
			d = appendDigits(d, v)
		}
	}
	return d
}

func runesOf(d []byte) []rune { return []rune(string(d)) }

// marks returns the byte offsets of the runes of text that repeat the identity and are to be
// hidden: the hidden part of each occurrence of a pattern, and every character of each 4-gram of a
// hidden address. It returns nil when nothing matches.
func (id *identity) marks(text string) bitset {
	if len(id.patterns) == 0 && len(id.grams) == 0 {
		return nil
	}
	if n := utf8.RuneCountInString(text); cap(id.buf) < n {
		id.buf = make([]entry, 0, n)
	}
	es := appendKeys(id.buf[:0], text)
	id.buf = es
	var m bitset
	for _, p := range id.patterns {
		n := len(p.keys)
		h, t := shown(n, p.head, p.tail, p.minHidden)
		for i := 0; i+n <= len(es); i++ {
			if !matchAt(es, i, p.keys) {
				continue
			}
			for x := i + h; x < i+n-t; x++ {
				m.set(int(es[x].off), len(text))
			}
		}
	}
	if len(id.grams) > 0 {
		run := 0 // how many characters in a row, up to es[i+3], pass the first test
		for i := -3; i+4 <= len(es); i++ {
			if r := es[i+3].key; id.inGram[r>>6&1023]&(1<<(r&63)) != 0 {
				run++
			} else {
				run = 0
			}
			if run < 4 {
				continue
			}
			g := [4]rune{es[i].key, es[i+1].key, es[i+2].key, es[i+3].key}
			if _, ok := id.grams[g]; ok {
				for x := i; x < i+4; x++ {
					m.set(int(es[x].off), len(text))
				}
			}
		}
	}
	return m
}

func matchAt(es []entry, i int, keys []rune) bool {
	for k, key := range keys {
		if es[i+k].key != key {
			return false
		}
	}
	return true
}

// hanDigit returns the value of a Chinese character that writes one decimal digit: 〇 and 零 to 九,
// 幺 and 两 (as a phone number is read aloud: 幺三八, 两), and the financial forms 壹 to 玖. Matching a
// recorded identity folds them like any other numeral, so 一三八一二三四五六七八 repeats 13812345678
// and 三〇一室 repeats 301室. Positional numerals (十, 百: 十二号楼) are not digits and stay as written.
// Scrub, which knows no identity, does not read them as numbers: in ordinary text they are words.
func hanDigit(r rune) (int, bool) {
	switch r {
	case '〇', '零':
		return 0, true
	case '一', '幺', '壹':
		return 1, true
	case '二', '两', '兩', '贰', '貳':
		return 2, true
	case '三', '叁', '參':
		return 3, true
	case '四', '肆':
		return 4, true
	case '五', '伍':
		return 5, true
	case '六', '陆', '陸':
		return 6, true
	case '七', '柒':
		return 7, true
	case '八', '捌':
		return 8, true
	case '九', '玖':
		return 9, true
	}
	return 0, false
}
