package privacy

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/hotline12345/hotline/ticket"
	"github.com/stretchr/testify/require"
)

// Seeds: the inputs that once broke the maskers (issue 9) — separators, digit scripts — and the
// ordinary ones.
var fuzzSeeds = []string{
	"0 0000000", "13812345678", "回电一三八一二三四五六七八", "幺三八幺二三四五六七八", "住宝钢五村十二号楼三〇一室", "电话138-1234-5678", "身份证11010519491231002X", "138 1234 5678", "+86-138-1234-5678",
	"２０２４－０５－１７", "1381234567813812345678", "021-12345678", "欧阳娜娜", "上海市宝山区友谊路123号",
	"138.1234.5678", "138–1234–5678", "138—1234—5678", "138\u20101234\u20105678", "138\u22121234\u22125678",
	"138,1234,5678", "138/1234/5678", "138_1234_5678", "138．1234．5678", "138\t1234\t5678", "138\n1234\n5678",
	"138\u200b1234\u200b5678", "138\u00ad1234\u00ad5678", "𝟏𝟑𝟖𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖", "١٣٨١٢٣٤٥٦٧٨", "①③⑧①②③④⑤⑥⑦⑧",
	"⑬⑧⑫③④⑤⑥⑦⑧", "22:00-06:00", "2024-05-17 13812345678", "宝钢五村12号楼301室", "\xff\xfe138", "",
}

// mobileRuns returns every mobile number spelt by the numerals of s within one number as a reader
// would put it together: numerals of any script, joined across separator runs of at most three
// visible characters (white space and format characters do not count), broken by letters, by *s
// and by longer separator runs.
func mobileRuns(s string) []string {
	var out []string
	var d []byte
	visible := 0
	end := func() {
		for i := 0; i+11 <= len(d); i++ {
			if isMobile(d[i : i+11]) {
				out = append(out, string(d[i:i+11]))
			}
		}
		d, visible = d[:0], 0
	}
	for _, r := range s {
		if v, ok := numeral(r); ok {
			if visible > 3 {
				end()
			}
			d = appendDigits(d, v)
			visible = 0
			continue
		}
		switch {
		case r == '*' || unicode.IsLetter(r):
			end()
		case unicode.IsSpace(r) || unicode.Is(unicode.Cf, r):
		default:
			visible++
		}
	}
	end()
	return out
}

// FuzzScrub: no mobile number the input spells within one number survives scrubbing, whatever the
// scripts, separators, dates and times around it; scrubbing again reveals nothing new; the handler
// sees the input unchanged, and an audience without a view sees *** (000 第十条).
func FuzzScrub(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	p := Shanghai()
	f.Fuzz(func(t *testing.T, s string) {
		for _, a := range []Audience{AudienceStaff, AudiencePublic} {
			out := p.Scrub(s, a)
			require.Empty(t, mobileRuns(out), "Scrub(%q, %s) = %q", s, a, out)
			again := p.Scrub(out, a)
			require.Empty(t, mobileRuns(again), "Scrub(%q, %s) = %q", out, a, again)
		}
		require.Equal(t, s, p.Scrub(s, AudienceHandler))
		if s != "" {
			require.Equal(t, "***", p.Scrub(s, "press"))
		}
	})
}

// pieces returns the numerals of s, folded to ASCII, in the pieces that letters and *s separate,
// joined by "|": what a reader could put together across separators of any length.
func pieces(s string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == '*' || unicode.IsLetter(r) }) {
		b.WriteString(foldDigits(part))
		b.WriteByte('|')
	}
	return b.String()
}

// FuzzMask: whatever the input, each masked field hides at least the policy's minimum and the text
// does not repeat the recorded phone (004 第十六条).
func FuzzMask(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, "13812345678")
	}
	p := Shanghai()
	f.Fuzz(func(t *testing.T, s, phone string) {
		for _, a := range []Audience{AudienceStaff, AudiencePublic, "other"} {
			m := p.Mask(Personal{Name: s, Phone: phone, IDNumber: s, Address: s, Text: s + phone}, a)
			if n := utf8.RuneCountInString(s); n > 0 {
				require.GreaterOrEqual(t, strings.Count(m.IDNumber, "*"), min(n, MinIDHidden), "MaskID(%q)", s)
			}
			if d := string(stripCountryCode(digitsOf(phone))); isMobile([]byte(d)) {
				require.NotContains(t, pieces(m.Phone), d, "%q → %q", phone, m.Phone)
				require.NotContains(t, pieces(m.Text), d, "%q → %q", s+phone, m.Text)
			}
		}
	})
}

// FuzzParsePolicy: the loader never panics, refuses with ErrInvalidPolicy, and whatever a valid
// policy says, a masked view hides at least 4 digits of a mobile and 8 characters of an ID number.
func FuzzParsePolicy(f *testing.F) {
	f.Add(validPolicy)
	f.Add(`{"name":"x","views":[{"audience":"handler","full":true}]}`)
	f.Add(`{"name":"x","views":[{"audience":"public","phone_head":9223372036854775807,"phone_tail":9223372036854775807,"id_head":0,"id_tail":0,"name":"hidden","address":"hidden","text":"scrubbed"}]}`)
	f.Add(`{"name":"x","views":[{"audience":"public","phone_head":-9223372036854775808,"phone_tail":3,"id_head":10,"id_tail":1e30,"name":"surname","address":"street","text":"hidden"}]}`)
	f.Add(`{}`)
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePolicy([]byte(s))
		if err != nil {
			require.ErrorIs(t, err, ErrInvalidPolicy)
			return
		}
		for _, v := range p.Views {
			m := p.Mask(Personal{Phone: "13812345678", IDNumber: "11010519491231002X", Text: "13812345678"}, v.Audience)
			if !v.Full {
				require.GreaterOrEqual(t, strings.Count(m.Phone, "*"), MinPhoneHidden)
				require.GreaterOrEqual(t, strings.Count(m.IDNumber, "*"), MinIDHidden)
				require.NotContains(t, m.Text, "13812345678")
			}
		}
	})
}

// FuzzMaskTicket: no text of a masked ticket, its history included, repeats the citizen's recorded
// phone or ID number, for any text and any recorded values (000 第十条; 004 第十六条).
func FuzzMaskTicket(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, "13812345678", "11010519491231002X")
	}
	p := Shanghai()
	f.Fuzz(func(t *testing.T, s, phone, id string) {
		who := ticket.Person{Name: s, Phone: phone, IDNumber: id, Address: s}
		in := ticket.Intake{Title: s, Content: s + phone + id, Citizen: who, Place: ticket.Place{Address: s}}
		tk := &ticket.Ticket{Title: s, Content: phone + s + id, Citizen: who, Place: ticket.Place{Address: s},
			Refusal: &ticket.Refusal{Code: "x", Explanation: s}, Reply: &ticket.Reply{Report: s + phone, Summary: s},
			History: []ticket.Event{{Seq: 1, Reason: id + s, Payload: ticket.Payload{Intake: &in}, Notes: []string{s}}}}
		d := stripCountryCode(digitsOf(phone))
		idKeys := string(keysOf(id))
		for _, a := range []Audience{AudienceStaff, AudiencePublic, "other"} {
			m := p.MaskTicket(tk, a)
			for _, v := range allStrings(reflect.ValueOf(m)) {
				if isMobile(d) {
					require.NotContains(t, pieces(v), string(d), "%s: %q", a, v)
				}
				if len(idKeys) >= 17 {
					require.NotContains(t, string(keysOf(v)), idKeys, "%s: %q", a, v)
				}
			}
		}
		require.Equal(t, s+phone+id, tk.History[0].Payload.Intake.Content, "the ticket itself is unchanged")
	})
}
