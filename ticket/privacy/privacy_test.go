package privacy

import (
	"bytes"
	"math"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/hotline12345/hotline/internal/strictjson/strictjsontest"
	"github.com/hotline12345/hotline/ticket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const gbID = "11010519491231002X" // the worked example of GB 11643-1999

// 000 第十条, 002 第十一条, 004 第十六条: personal data is shown masked to anyone not handling the ticket.
func TestMaskPhone(t *testing.T) {
	p := Shanghai()
	tests := []struct{ in, want string }{
		{"13812345678", "138****5678"},
		{"+86 138-1234-5678", "138****5678"},
		{"021-12345678", "021-****5678"},       // Shanghai: 3-digit area code
		{"010 87654321", "010-****4321"},       // Beijing
		{"0571-87654321", "0571-****4321"},     // 4-digit area code
		{"05718765432", "0571-****432"},        // 7 local digits: at least 4 stay hidden
		{"56781234", "****1234"},               // local landline
		{"5678123", "****123"},                 // 7 digits: at least 4 stay hidden
		{"12345", "*****"},                     // too short to keep any digit
		{"电话:12345678转801", "电话:*******8转801"}, // not a recognised format: all digits but the last 4
		{"", ""},
		// issue 9: digits of any script are numerals.
		{"𝟏𝟑𝟖𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖", "138****5678"},   // mathematical bold
		{"١٣٨١٢٣٤٥٦٧٨", "138****5678"},   // Arabic-Indic
		{"①③⑧①②③④⑤⑥⑦⑧", "138****5678"},   // circled
		{"１３８．１２３４．５６７８", "138****5678"}, // full-width, with full-width full stops
		{"⑬⑧⑫③④⑤⑥⑦⑧", "138****5678"},     // circled numbers above 9 stand for their digits
		{"138\u200b1234\u00ad5678", "138****5678"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			assert.Equal(t, tt.want, p.MaskPhone(tt.in, AudienceStaff))
		})
	}
	assert.Equal(t, "13812345678", p.MaskPhone("13812345678", AudienceHandler))
	assert.Equal(t, "***********", p.MaskPhone("13812345678", Audience("press")), "no view: nothing")
}

// 004 第十六条: ID numbers show 6+4 characters to other staff, 1+1 in public output; issue 9: at
// least 8 characters stay hidden whatever the value's length.
func TestMaskID(t *testing.T) {
	p := Shanghai()
	tests := []struct {
		a    Audience
		want string
	}{
		{AudienceHandler, gbID},
		{AudienceStaff, "110105********002X"},
		{AudiencePublic, "1****************X"},
		{Audience("stranger"), strings.Repeat("*", 18)},
	}
	for _, tt := range tests {
		t.Run(string(tt.a), func(t *testing.T) { assert.Equal(t, tt.want, p.MaskID(gbID, tt.a)) })
	}
	short := []struct{ in, want string }{
		{"310101900307123", "310********7123"}, // 15-digit first-generation number: the head gives way
		{"12345678901", "********901"},         // issue 9: was 123456*8901, one character hidden
		{"123456789012", "********9012"},       // issue 9: was 123456**9012
		{"1234567", "*******"},
		{"", ""},
	}
	for _, tt := range short {
		t.Run(tt.in, func(t *testing.T) {
			got := p.MaskID(tt.in, AudienceStaff)
			assert.Equal(t, tt.want, got)
			if tt.in != "" {
				assert.GreaterOrEqual(t, strings.Count(got, "*"), min(MinIDHidden, len(tt.in)))
			}
		})
	}
}

func TestMaskName(t *testing.T) {
	p := Shanghai()
	tests := []struct{ in, want string }{
		{"张三", "张*"},
		{"张三丰", "张**"},
		{"欧阳娜娜", "欧阳**"},
		{"司马光", "司马*"},
		{"诸葛亮", "诸葛*"},
		{"欧阳", "欧*"}, // a two-character name is surname + given name
		{"王", "*"},
		{"阿卜杜·热合曼", "阿**·***"},
		{"John Smith", "J*** *****"},
		{"  李四 ", "李*"},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) { assert.Equal(t, tt.want, p.MaskName(tt.in, AudienceStaff)) })
	}
	assert.Equal(t, "***", p.MaskName("张三", "press"))
}

func TestMaskAddress(t *testing.T) {
	p := Shanghai()
	tests := []struct{ in, want string }{
		{"上海市宝山区友谊路街道友谊路123弄4号501室", "上海市宝山区友谊路街道***"},
		{"上海市宝山区友谊路街道", "上海市宝山区友谊路街道"},
		{"上海市长宁区镇宁路405弄", "上海市长宁区镇宁路***"},
		{"北京市海淀区中关村大街27号", "北京市海淀区中关村大街***"},
		{"上海市浦东新区张江镇川沙路5号", "上海市浦东新区张江镇***"},
		{"河南省鹤壁市淇滨区九州路8号", "河南省鹤壁市淇滨区九州路***"},
		{"上海市普陀区长寿路街道", "上海市普陀区长寿路街道"},
		{"浙江省杭州市西湖区文三路", "浙江省杭州市西湖区文三路"},
		{"某县某乡某村3组", "某县某乡***"},
		{"上海市徐汇区某小区5号楼", "上海市徐汇区***"},
		{"某小区5号楼", "***"},
		{"上海市3号线", "上海市***"},
		{"上海市宝山区宝钢五村12号楼301室", "上海市宝山区***"},
		{"上海市①区", "***"}, // a numeral in the kept part: hidden
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) { assert.Equal(t, tt.want, p.MaskAddress(tt.in, AudienceStaff)) })
	}
	assert.Equal(t, "上海市宝山区***", p.MaskAddress("上海市宝山区友谊路街道友谊路123弄", AudiencePublic))
	assert.Equal(t, "***", p.MaskAddress("上海市宝山区友谊路街道", "press"))
}

// 000 第十条: phone and ID numbers are scrubbed from free text for public output.
func TestScrub(t *testing.T) {
	id := "310101199003071230"
	tests := []struct {
		name, in string
		a        Audience
		want     string
	}{
		{"handler sees all", "电话13812345678", AudienceHandler, "电话13812345678"},
		{"mobile", "电话13812345678，请回电", AudienceStaff, "电话138****5678，请回电"},
		{"mobile with separators", "电话 138-1234-5678。", AudiencePublic, "电话 138-****-5678。"},
		{"mobile with +86", "+86 13812345678", AudiencePublic, "+86 138****5678"},
		{"mobile with 0086", "0086-138-1234-5678", AudiencePublic, "0086-138-****-5678"},
		{"full-width mobile", "１３８１２３４５６７８", AudiencePublic, "１３８****５６７８"},
		{"ID for staff", "身份证" + id + "。", AudienceStaff, "身份证310101********1230。"},
		{"ID for public", "身份证" + id, AudiencePublic, "身份证3****************0"},
		{"ID with x", "证号11010519491231002x号", AudiencePublic, "证号1****************x号"},
		{"ID in groups", "证号 110105 19491231 002X", AudiencePublic, "证号 1***** ******** ***X"},
		{"old ID", "310101900307123", AudiencePublic, "3*************3"},
		{"landline", "座机021-12345678", AudiencePublic, "座机***-****5678"},
		{"local landline", "打56781234找我", AudiencePublic, "打****1234找我"},
		{"bank card", "卡号6222020200112233445", AudiencePublic, "卡号***************3445"},
		{"date stays", "2024-05-17下午", AudiencePublic, "2024-05-17下午"},
		{"date with spaces stays", "２０２４ ５ ７日", AudiencePublic, "２０２４ ５ ７日"},
		{"date with dots stays", "2024.5.17", AudiencePublic, "2024.5.17"},
		{"date then mobile", "2024-05-17 13812345678", AudiencePublic, "2024-05-17 138****5678"},
		{"mobile then date", "13812345678 2024-05-17", AudiencePublic, "138****5678 2024-05-17"},
		{"times stay", "施工时间22:00-06:00，", AudiencePublic, "施工时间22:00-06:00，"},
		{"local landline with a space", "打5678 1234找我", AudiencePublic, "打**** 1234找我"},
		{"not a date: month 13", "2024-13-17", AudiencePublic, "****-13-17"},
		{"not a date: 1+7 digits", "0 0000000", AudiencePublic, "* ***0000"},
		{"short numbers stay", "3号楼502室，共12户", AudiencePublic, "3号楼502室，共12户"},
		{"amount stays", "退款1,500元", AudiencePublic, "退款1,500元"},
		{"a date, a time and digits spelling a mobile", "2024-05-13 8:12 345 678", AudiencePublic, "2024-05-13 8:** **5 678"},
		{"four visible separators break", "138....1234", AudiencePublic, "138....1234"},
		{"no audience", "13812345678", Audience(""), "***"},
		{"unknown audience", "13812345678", Audience("press"), "***"},
	}
	p := Shanghai()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { assert.Equal(t, tt.want, p.Scrub(tt.in, tt.a)) })
	}
}

// issue 9: a mobile number whose groups are separated by any of these is still one number.
var separators = []string{".", "–", "—", "\u2010", "\u2212", ",", "/", "_", "．", "\t", "\n", "\u200b", "\u00ad",
	" ", "-", "－", "\u3000", "\u00a0", " - ", "，", "\r\n", "\u200b\u200b\u200b\u200b\u200b"}

// issue 9: the digit scripts a number may be written in; each maps 0–9 to its numerals.
var scripts = map[string]func(int) rune{
	"ascii":          func(d int) rune { return rune('0' + d) },
	"full-width":     func(d int) rune { return rune('０' + d) },
	"arabic-indic":   func(d int) rune { return rune(0x0660 + d) },
	"devanagari":     func(d int) rune { return rune(0x0966 + d) },
	"math bold":      func(d int) rune { return rune(0x1d7ce + d) },
	"math monospace": func(d int) rune { return rune(0x1d7f6 + d) },
	"circled": func(d int) rune {
		if d == 0 {
			return '⓪'
		}
		return rune(0x2460 + d - 1)
	},
	"negative circled": func(d int) rune {
		if d == 0 {
			return '⓿'
		}
		return rune(0x2776 + d - 1)
	},
	"superscript": func(d int) rune { return []rune("⁰¹²³⁴⁵⁶⁷⁸⁹")[d] },
}

func write(digits string, script func(int) rune) string {
	var b strings.Builder
	for _, c := range digits {
		b.WriteRune(script(int(c - '0')))
	}
	return b.String()
}

func TestScrubSeparatorsAndScripts(t *testing.T) {
	p := Shanghai()
	for name, script := range scripts {
		for _, sep := range separators {
			in := "电话" + write("138", script) + sep + write("1234", script) + sep + write("5678", script) + "，谢谢"
			for _, a := range []Audience{AudienceStaff, AudiencePublic} {
				out := p.Scrub(in, a)
				assert.NotContains(t, foldDigits(out), "13812345678", "%s %q: %q", name, sep, out)
				assert.NotContains(t, foldDigits(out), "1234", "%s %q: %q", name, sep, out)
				assert.True(t, strings.HasSuffix(out, "，谢谢"), out)
				// The same scanner serves Mask and MaskTicket, with no identity recorded.
				m := p.Mask(Personal{Text: in}, a).Text
				assert.NotContains(t, foldDigits(m), "1234", "Mask: %s %q: %q", name, sep, m)
				tk := p.MaskTicket(&ticket.Ticket{Content: in, History: []ticket.Event{{Reason: in}}}, a)
				assert.NotContains(t, foldDigits(tk.Content+tk.History[0].Reason), "1234", "MaskTicket: %s %q", name, sep)
			}
		}
	}
}

// Scrubbing masked text again changes nothing: the *s of a masked number never join the digits
// around them (at least 4 hidden, at most 3 visible separators).
func TestScrubIdempotent(t *testing.T) {
	p := Shanghai()
	for _, in := range []string{"电话138-1234-5678，身份证110105 19491231 002X", "打56781234", "+86 13812345678 2024-05-17", "卡号6222020200112233445"} {
		for _, a := range []Audience{AudienceStaff, AudiencePublic} {
			once := p.Scrub(in, a)
			assert.Equal(t, once, p.Scrub(once, a), in)
		}
	}
}

// foldDigits returns the numerals of s as ASCII digits, everything else dropped.
func foldDigits(s string) string { return string(digitsOf(s)) }

// issue 9: Unicode encodes each decimal digit set as ten contiguous code points from zero; ndValue
// relies on every range of unicode.Nd starting at a zero and spanning whole sets.
func TestNdRanges(t *testing.T) {
	for _, r := range unicode.Nd.R16 {
		assert.EqualValues(t, 1, r.Stride, "%U", r.Lo)
		assert.Zero(t, (int(r.Hi)-int(r.Lo)+1)%10, "%U–%U", r.Lo, r.Hi)
	}
	for _, r := range unicode.Nd.R32 {
		assert.EqualValues(t, 1, r.Stride, "%U", r.Lo)
		assert.Zero(t, (int(r.Hi)-int(r.Lo)+1)%10, "%U–%U", r.Lo, r.Hi)
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if unicode.Is(unicode.Nd, r) {
			v, ok := numeral(r)
			require.True(t, ok, "%U", r)
			require.Equal(t, v, ndValue(r), "%U", r)
		}
	}
	assert.True(t, slices.IsSortedFunc(numeralForms, func(a, b struct {
		lo, hi rune
		first  int
	}) int {
		return int(a.lo - b.lo)
	}))
}

func TestNumeral(t *testing.T) {
	tests := []struct {
		r rune
		v int
	}{
		{'7', 7}, {'７', 7}, {'٧', 7}, {'७', 7}, {'𝟕', 7}, {'𝟩', 7}, {'⑦', 7}, {'⑺', 7}, {'⒎', 7},
		{'❼', 7}, {'➆', 7}, {'➐', 7}, {'⁷', 7}, {'₇', 7}, {'²', 2}, {'¹', 1}, {'⓪', 0}, {'⓿', 0},
		{'⑳', 20}, {'⓴', 20}, {'㊿', 50}, {'㉑', 21}, {'㈦', 7}, {'㊆', 7}, {'🄈', 7}, {'৭', 7},
	}
	for _, tt := range tests {
		v, ok := numeral(tt.r)
		assert.True(t, ok, "%c", tt.r)
		assert.Equal(t, tt.v, v, "%c %U", tt.r, tt.r)
	}
	for _, r := range "aX张三号½Ⅶ*-" {
		_, ok := numeral(r)
		assert.False(t, ok, "%c", r)
	}
}

// 000 第十条: the preset and what each audience sees of one record.
func TestMask(t *testing.T) {
	p := Shanghai()
	require.NoError(t, p.Validate())
	d := Personal{Name: "欧阳娜娜", Phone: "13812345678", IDNumber: gbID,
		Address: "上海市宝山区友谊路街道友谊路123弄4号", Text: "我是欧阳娜娜，电话13812345678，住友谊路123弄4号"}
	assert.Equal(t, d, p.Mask(d, AudienceHandler))
	assert.Equal(t, Personal{Name: "欧阳**", Phone: "138****5678", IDNumber: "110105********002X",
		Address: "上海市宝山区友谊路街道***", Text: "我是欧阳**，电话138****5678，住*********"}, p.Mask(d, AudienceStaff))
	assert.Equal(t, Personal{Name: "欧阳**", Phone: "138****5678", IDNumber: "1****************X",
		Address: "上海市宝山区***", Text: "我是欧阳**，电话138****5678，住*********"}, p.Mask(d, AudiencePublic))
	assert.Equal(t, Personal{Name: "***", Phone: "***********", IDNumber: strings.Repeat("*", 18),
		Address: "***", Text: "***"}, p.Mask(d, Audience("unknown")))
}

// issue 9: the citizen's phone written with long separator runs, which the scanner alone does not
// join, is still found because it is their recorded phone; so is the local part of a landline.
func TestMaskRecordedIdentity(t *testing.T) {
	p := Shanghai()
	d := Personal{Name: "张三", Phone: "13812345678", IDNumber: gbID, Text: "张 三说：号码是 138 ……… 1234 ……… 5678；身份证 110105——1949——1231——002x"}
	out := p.Mask(d, AudiencePublic).Text
	assert.Equal(t, "张 *说：号码是 138 ……… **** ……… 5678；身份证 1*****——****——****——***x", out)
	d = Personal{Phone: "021-12345678", Text: "打12345678或者1234 5678"}
	assert.Equal(t, "打****5678或者**** 5678", p.Mask(d, AudiencePublic).Text)
}

// issue 9: an audience the policy has no view for sees nothing, whatever the policy's views.
func TestUnknownAudienceSeesNothing(t *testing.T) {
	p := Shanghai()
	for _, a := range []Audience{"", "press", "Public", "handler ", AudienceHandler + "x"} {
		assert.Equal(t, "***", p.Scrub("我家在宝钢五村，夜里施工", a), "%q", a)
		v := p.View(a)
		assert.False(t, v.Full)
		assert.Equal(t, TextHidden, v.Text)
	}
	// A view for an audience outside the set is never used, even in an unvalidated policy.
	q := Policy{Name: "x", Views: []View{{Audience: "press", Full: true}}}
	require.Error(t, q.Validate())
	assert.Equal(t, "***", q.Scrub("13812345678", "press"))
	// Nor is a view that shows the public everything (000 第十条).
	open := Shanghai()
	open.Views[2].Full = true
	require.Error(t, open.Validate())
	assert.Equal(t, "***", open.Scrub("13812345678", AudiencePublic))
	assert.Equal(t, "***", open.MaskTicket(&ticket.Ticket{Content: "x", Citizen: ticket.Person{Name: "张三"}}, AudiencePublic).Citizen.Name)
}

func TestPolicyValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Policy)
		want   string
	}{
		{"no name", func(p *Policy) { p.Name = "" }, "name: is empty"},
		{"spaced version", func(p *Policy) { p.Version = " 1" }, "version"},
		{"empty audience", func(p *Policy) { p.Views[1].Audience = "" }, "views[1].audience"},
		{"unknown audience", func(p *Policy) { p.Views[1].Audience = "press" }, "views[1].audience"},
		{"duplicate audience", func(p *Policy) { p.Views[2].Audience = AudienceStaff }, "repeats views[1]"},
		{"phone too open", func(p *Policy) { p.Views[1].PhoneHead = 5 }, "views[1].phone_head"},
		{"ID too open", func(p *Policy) { p.Views[2].IDHead = 10 }, "views[2].id_head"},
		{"negative", func(p *Policy) { p.Views[2].IDTail = -1 }, "views[2].id_tail: -1 is outside 0–10"},
		// issue 9: the sum of two MaxInt counts overflowed past the check.
		{"MaxInt phone counts", func(p *Policy) { p.Views[1].PhoneHead, p.Views[1].PhoneTail = math.MaxInt, math.MaxInt }, "views[1].phone_head: 9223372036854775807 is outside 0–7"},
		{"MaxInt ID counts", func(p *Policy) { p.Views[2].IDHead, p.Views[2].IDTail = math.MaxInt, math.MaxInt }, "views[2].id_head"},
		{"MinInt tail", func(p *Policy) { p.Views[2].PhoneTail = math.MinInt }, "views[2].phone_tail"},
		{"name mask", func(p *Policy) { p.Views[1].Name = "initials" }, "views[1].name"},
		{"address mask", func(p *Policy) { p.Views[1].Address = "room" }, "views[1].address"},
		{"text mask", func(p *Policy) { p.Views[1].Text = "" }, "views[1].text"},
		// 000 第十条, 004 第十六条: only the staff handling a ticket see its content.
		{"public sees everything", func(p *Policy) { p.Views[2].Full = true }, "views[2].full"},
		{"staff see everything", func(p *Policy) { p.Views[1].Full = true }, "views[1].full"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Shanghai()
			tt.mutate(&p)
			err := p.Validate()
			require.ErrorIs(t, err, ErrInvalidPolicy)
			assert.Contains(t, err.Error(), tt.want)
			assert.True(t, strings.HasPrefix(err.Error(), `privacy: policy "`), err.Error())
			var pe *PolicyError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, p.Name, pe.Policy)
			// Whatever is wrong, the invalid view hides and nothing panics.
			for _, v := range p.Views {
				assert.NotPanics(t, func() {
					p.Scrub("13812345678 "+gbID, v.Audience)
					p.Mask(Personal{Phone: "13812345678", IDNumber: gbID, Text: "13812345678"}, v.Audience)
				})
			}
		})
	}
}

// issue 9: counts of MaxInt in a document are refused with a typed error, and an unvalidated
// policy holding them neither panics nor shows more.
func TestHugeCounts(t *testing.T) {
	doc := `{"name":"x","views":[{"audience":"public","phone_head":9223372036854775807,"phone_tail":9223372036854775807,"id_head":0,"id_tail":0,"name":"hidden","address":"hidden","text":"scrubbed"}]}`
	_, err := ParsePolicy([]byte(doc))
	var pe *PolicyError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "views[0].phone_head", pe.Field)
	p := Policy{Name: "x", Views: []View{{Audience: AudiencePublic, PhoneHead: math.MaxInt, PhoneTail: math.MaxInt, IDHead: math.MaxInt, IDTail: math.MaxInt, Name: NameSurname, Address: AddressStreet, Text: TextScrubbed}}}
	assert.Equal(t, "***", p.Scrub("13812345678", AudiencePublic))
	assert.Equal(t, Personal{Phone: "***********", Text: "***"}, p.Mask(Personal{Phone: "13812345678", Text: "x"}, AudiencePublic))
	assert.Equal(t, "12345", maskEnds("12345", math.MaxInt, math.MaxInt, 0), "minHidden 0: everything may show")
	h, tl := shown(5, math.MinInt, math.MaxInt, 4)
	assert.Equal(t, [2]int{0, 1}, [2]int{h, tl})
}

var validPolicy = `{"name":"x","version":"1","views":[{"audience":"public","phone_head":0,"phone_tail":4,"id_head":0,"id_tail":0,"name":"hidden","address":"hidden","text":"scrubbed"}]}`

func TestParsePolicy(t *testing.T) {
	p, err := ParsePolicy([]byte(validPolicy))
	require.NoError(t, err)
	assert.Equal(t, "***", p.MaskName("张三", AudiencePublic))
	assert.Equal(t, "*******5678", p.MaskPhone("13812345678", AudiencePublic))
	q, err := ReadPolicy(strings.NewReader(validPolicy))
	require.NoError(t, err)
	assert.Equal(t, p, q)
	for _, in := range []string{
		`{"name":"x","views":[],"extra":1}`,
		`{"name":"x","views":[]} {}`,
		`{"name":"x","views":[]}}`,
		`{"name":"x","Name":"y","views":[]}`,
		`{"name":"x","views":[{"audience":"press","full":true}]}`,
		`{"name":"x","views":[{"audience":"public","name":"initials"}]}`,
	} {
		_, err := ParsePolicy([]byte(in))
		assert.ErrorIs(t, err, ErrInvalidPolicy, in)
	}
	_, err = ReadPolicy(bytes.NewReader(append([]byte(validPolicy), bytes.Repeat([]byte(" "), MaxPolicyBytes)...)))
	assert.ErrorIs(t, err, ErrInvalidPolicy)
}

// The module's shared malformed-input table (issue 9: one strict loader for every package).
func TestParsePolicyMalformed(t *testing.T) {
	for _, c := range strictjsontest.Cases([]byte(validPolicy), MaxPolicyBytes) {
		t.Run(c.Name, func(t *testing.T) {
			_, err := ParsePolicy(c.Input)
			assert.ErrorIs(t, err, ErrInvalidPolicy)
			_, err = ReadPolicy(bytes.NewReader(c.Input))
			assert.ErrorIs(t, err, ErrInvalidPolicy)
		})
	}
}

func TestPresets(t *testing.T) {
	for _, p := range Presets() {
		require.NoError(t, p.Validate(), p.Name)
		q, err := Preset(p.Name)
		require.NoError(t, err)
		assert.Equal(t, p, q)
		for _, v := range p.Views {
			assert.NotEmpty(t, v.Source, "%s: every view cites its article", p.Name)
		}
	}
	_, err := Preset("nowhere")
	require.ErrorIs(t, err, ErrInvalidPolicy)
	assert.Contains(t, err.Error(), "shanghai")
}

func TestEnums(t *testing.T) {
	assert.Equal(t, []Audience{AudienceHandler, AudienceStaff, AudiencePublic}, Audiences())
	assert.Equal(t, "公开发布", AudiencePublic.Label())
	assert.Equal(t, "未知(press)", Audience("press").Label())
	a, err := ParseAudience("其他工作人员")
	require.NoError(t, err)
	assert.Equal(t, AudienceStaff, a)
	_, err = ParseAudience("press")
	require.ErrorIs(t, err, ErrInvalidEnum)
	var ee *EnumError
	require.ErrorAs(t, err, &ee)
	var m NameMask
	require.ErrorIs(t, m.UnmarshalText([]byte("initials")), ErrInvalidEnum)
	for _, n := range NameMasks() {
		assert.True(t, n.Valid())
		assert.NotContains(t, n.Label(), "未知")
	}
	for _, n := range AddressMasks() {
		v, err := ParseAddressMask(n.Label())
		require.NoError(t, err)
		assert.Equal(t, n, v)
	}
	for _, n := range TextMasks() {
		v, err := ParseTextMask(n.String())
		require.NoError(t, err)
		assert.Equal(t, n, v)
	}
	_, err = ParseNameMask("x")
	assert.ErrorIs(t, err, ErrInvalidEnum)
}
