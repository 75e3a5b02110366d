package privacy

import (
	"sort"
	"unicode"
)

// numeral returns the value of a rune that writes a number: an ASCII digit, any other Unicode
// decimal digit (unicode.Nd: full-width, Arabic-Indic, Devanagari, mathematical bold 𝟏, …) and the
// digit forms of unicode.No and the CJK enclosed numerals (superscripts, subscripts, circled ①,
// parenthesised ⑴, with full stop ⒈, negative circled ❶, ㊀, up to ㊿). Values run from 0 to 50; a
// value of 10 or more stands for its decimal digits (⑬ is 1, 3).
func numeral(r rune) (int, bool) {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0'), true
	case r < 0xb2, r >= 0x4e00 && r < 0xa000: // ASCII, Latin-1 up to ², CJK ideographs: no numerals
		return 0, false
	case r >= '０' && r <= '９':
		return int(r - '０'), true
	case r >= 0x2000 && r < 0x2070, r >= 0x3000 && r < 0x3040, r >= 0xff00 && r < 0xfff0:
		// General, CJK and full-width punctuation, the commonest non-letters of Chinese text.
		return 0, false
	}
	if unicode.Is(unicode.Nd, r) {
		return ndValue(r), true
	}
	i := sort.Search(len(numeralForms), func(i int) bool { return numeralForms[i].hi >= r })
	if i < len(numeralForms) && numeralForms[i].lo <= r {
		f := numeralForms[i]
		return f.first + int(r-f.lo), true
	}
	return 0, false
}

// ndValue returns the value of a decimal digit r: Unicode encodes every decimal digit in a
// contiguous run from 0 to 9, so each range of unicode.Nd starts at a zero and its length is a
// multiple of ten (TestNdRanges checks this against the table Go ships).
func ndValue(r rune) int {
	if r <= 0xffff {
		t := unicode.Nd.R16
		i := sort.Search(len(t), func(i int) bool { return rune(t[i].Hi) >= r })
		if i < len(t) && rune(t[i].Lo) <= r {
			return int(r-rune(t[i].Lo)) % 10
		}
		return 0
	}
	t := unicode.Nd.R32
	i := sort.Search(len(t), func(i int) bool { return rune(t[i].Hi) >= r })
	if i < len(t) && rune(t[i].Lo) <= r {
		return int(r-rune(t[i].Lo)) % 10
	}
	return 0
}

// numeralForms are the numerals outside unicode.Nd that write a whole number, in code-point order:
// each range's first code point has the value first and the others count up by one.
var numeralForms = []struct {
	lo, hi rune
	first  int
}{
	{0x00b2, 0x00b3, 2},   // ² ³
	{0x00b9, 0x00b9, 1},   // ¹
	{0x2070, 0x2070, 0},   // ⁰
	{0x2074, 0x2079, 4},   // ⁴–⁹
	{0x2080, 0x2089, 0},   // ₀–₉
	{0x2460, 0x2473, 1},   // ①–⑳
	{0x2474, 0x2487, 1},   // ⑴–⒇
	{0x2488, 0x249b, 1},   // ⒈–⒛
	{0x24ea, 0x24ea, 0},   // ⓪
	{0x24eb, 0x24f4, 11},  // ⓫–⓴
	{0x24f5, 0x24fe, 1},   // ⓵–⓾
	{0x24ff, 0x24ff, 0},   // ⓿
	{0x2776, 0x277f, 1},   // ❶–❿
	{0x2780, 0x2789, 1},   // ➀–➉
	{0x278a, 0x2793, 1},   // ➊–➓
	{0x3220, 0x3229, 1},   // ㈠–㈩
	{0x3251, 0x325f, 21},  // ㉑–㉟
	{0x3280, 0x3289, 1},   // ㊀–㊉
	{0x32b1, 0x32bf, 36},  // ㊱–㊿
	{0x1f100, 0x1f100, 0}, // 🄀 digit zero full stop
	{0x1f101, 0x1f10a, 0}, // 🄁–🄊 digit zero comma … digit nine comma
	{0x1f10b, 0x1f10c, 0}, // 🄋 🄌 circled sans-serif zero
}

// appendDigits appends the decimal digits of v (0–50) to b as ASCII.
func appendDigits(b []byte, v int) []byte {
	if v >= 10 {
		b = append(b, byte('0'+v/10))
	}
	return append(b, byte('0'+v%10))
}

// isCheckX reports whether r is the check character X of an ID number, in either case or width.
func isCheckX(r rune) bool { return r == 'X' || r == 'x' || r == 'Ｘ' || r == 'ｘ' }

// isSeparator reports whether r may stand between the digit groups of one number: anything that is
// neither a letter nor a numeral (spaces, tabs, newlines, dots, commas, slashes, underscores, every
// dash and hyphen, invisible format characters such as the zero-width space and the soft hyphen).
func isSeparator(r rune) bool {
	if r < 0x80 {
		return !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}
	if isLetter(r) {
		return false
	}
	_, num := numeral(r)
	return !num
}

// isLetter is unicode.IsLetter with a fast path for the CJK ideographs most text is made of.
func isLetter(r rune) bool {
	if r >= 0x4e00 && r <= 0x9fff {
		return true
	}
	return unicode.IsLetter(r)
}

// isInvisible reports whether a separator does not count towards the length of a separator run:
// white space and format characters (zero-width space, soft hyphen, …).
func isInvisible(r rune) bool {
	return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r)
}

// maxVisibleSeparators is how many visible characters may stand between two digit groups of one
// number (" - " has three). It is below MinPhoneHidden, so that the *s of a masked number never
// join the digits around them when masked text is scrubbed again.
const maxVisibleSeparators = 3
