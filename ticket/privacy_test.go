package ticket

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// 000 §10, 002 §11, 004 §16: personal data is shown masked to anyone not handling the ticket.
func TestMaskPhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"13812345678", "138****5678"},
		{"+86 138-1234-5678", "138****5678"},
		{"021-12345678", "021-****5678"},   // Shanghai: 3-digit area code
		{"010 87654321", "010-****4321"},   // Beijing
		{"0571-87654321", "0571-****4321"}, // 4-digit area code
		{"05718765432", "0571-***5432"},
		{"56781234", "****1234"},               // local landline
		{"5678123", "***8123"},                 // 7-digit local landline
		{"12345", "*****"},                     // too short to keep any digit
		{"电话:12345678转801", "电话:*******8转801"}, // not a recognised format: all digits but the last 4
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			assert.Equal(t, tt.want, MaskPhone(tt.in))
		})
	}
}

// 004 §16; DESIGN §3: ID numbers show 6+4 characters to other staff, 1+1 in public output.
func TestMaskID(t *testing.T) {
	id := "11010519491231002X"
	tests := []struct {
		a    Audience
		want string
	}{
		{AudienceHandler, id},
		{AudienceStaff, "110105********002X"},
		{AudiencePublic, "1****************X"},
		{Audience("stranger"), strings.Repeat("*", 18)},
	}
	for _, tt := range tests {
		t.Run(string(tt.a), func(t *testing.T) {
			assert.Equal(t, tt.want, MaskID(id, tt.a))
		})
	}
	assert.Equal(t, "310101*****1234", MaskID("310101900307123"[:11]+"1234", AudienceStaff), "15-digit first-generation number")
	assert.Equal(t, "*******", MaskID("1234567", AudienceStaff), "nothing kept when too short")
}

func TestMaskName(t *testing.T) {
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
		t.Run(tt.in, func(t *testing.T) { assert.Equal(t, tt.want, MaskName(tt.in)) })
	}
}

func TestMaskAddress(t *testing.T) {
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
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) { assert.Equal(t, tt.want, MaskAddress(tt.in)) })
	}
}

// 000 §10; DESIGN §3: phone and ID numbers are scrubbed from free text for public output.
func TestScrub(t *testing.T) {
	id := mkID(t, "31010119900307123")
	tests := []struct {
		name, in string
		a        Audience
		want     string
	}{
		{"handler sees all", "电话13812345678", AudienceHandler, "电话13812345678"},
		{"mobile", "电话13812345678，请回电", AudienceStaff, "电话138****5678，请回电"},
		{"mobile with separators", "电话 138-1234-5678。", AudiencePublic, "电话 138****5678。"},
		{"mobile with +86", "+86 13812345678", AudiencePublic, "+138****5678"},
		{"full-width mobile", "１３８１２３４５６７８", AudiencePublic, "138****5678"},
		{"ID for staff", "身份证" + id + "。", AudienceStaff, "身份证310101********1230。"},
		{"ID for public", "身份证" + id, AudiencePublic, "身份证3****************0"},
		{"ID with x", "证号11010519491231002x号", AudiencePublic, "证号1****************X号"},
		{"old ID", "310101900307123", AudiencePublic, "3*************3"},
		{"landline", "座机021-12345678", AudiencePublic, "座机*******5678"},
		{"local landline", "打56781234找我", AudiencePublic, "打****1234找我"},
		{"bank card", "卡号6222020200112233445", AudiencePublic, "卡号***************3445"},
		{"date stays", "2024-05-17下午", AudiencePublic, "2024-05-17下午"},
		{"date with spaces stays", "２０２４ ５ ７日", AudiencePublic, "２０２４ ５ ７日"},
		{"local landline with a space", "打5678 1234找我", AudiencePublic, "打****1234找我"},
		{"not a date: month 13", "2024-13-17", AudiencePublic, "****1317"},
		{"not a date: 1+7 digits", "0 0000000", AudiencePublic, "****0000"},
		{"short numbers stay", "3号楼502室，共12户", AudiencePublic, "3号楼502室，共12户"},
		{"amount stays", "退款1500元", AudiencePublic, "退款1500元"},
		{"no audience", "13812345678", Audience(""), "***********"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Scrub(tt.in, tt.a))
		})
	}
}

func TestMaskPolicy(t *testing.T) {
	p := DefaultMaskPolicy()
	require.NoError(t, p.Validate())
	d := Personal{Name: "欧阳娜娜", Phone: "13812345678", IDNumber: "11010519491231002X",
		Address: "上海市宝山区友谊路街道友谊路123弄4号", Text: "我是欧阳娜娜，电话13812345678"}
	assert.Equal(t, d, p.Mask(d, AudienceHandler))
	assert.Equal(t, Personal{Name: "欧阳**", Phone: "138****5678", IDNumber: "110105********002X",
		Address: "上海市宝山区友谊路街道***", Text: "我是欧阳娜娜，电话138****5678"}, p.Mask(d, AudienceStaff))
	assert.Equal(t, Personal{Name: "欧阳**", Phone: "138****5678", IDNumber: "1****************X",
		Address: "上海市宝山区***", Text: "我是欧阳娜娜，电话138****5678"}, p.Mask(d, AudiencePublic))
	assert.Equal(t, Personal{Name: "***", Phone: "***********", IDNumber: strings.Repeat("*", 18),
		Address: "***", Text: "我是欧阳娜娜，电话***********"}, p.Mask(d, Audience("unknown")))
}

func TestMaskPolicyValidate(t *testing.T) {
	base := DefaultMaskPolicy()
	tests := []struct {
		name   string
		mutate func(*MaskPolicy)
		want   string
	}{
		{"no name", func(p *MaskPolicy) { p.Name = "" }, "name"},
		{"empty audience", func(p *MaskPolicy) { p.Views[1].Audience = "" }, "views[1].audience"},
		{"duplicate audience", func(p *MaskPolicy) { p.Views[2].Audience = AudienceStaff }, "repeats views[1]"},
		{"phone too open", func(p *MaskPolicy) { p.Views[1].PhoneHead = 5 }, "phone_head"},
		{"ID too open", func(p *MaskPolicy) { p.Views[2].IDHead = 10 }, "id_head"},
		{"negative", func(p *MaskPolicy) { p.Views[2].IDTail = -1 }, "negative"},
		{"name mask", func(p *MaskPolicy) { p.Views[1].Name = "initials" }, "views[1].name"},
		{"address mask", func(p *MaskPolicy) { p.Views[1].Address = "room" }, "views[1].address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := DefaultMaskPolicy()
			p.Views = append([]MaskView(nil), base.Views...)
			tt.mutate(&p)
			err := p.Validate()
			require.ErrorIs(t, err, ErrInvalidMaskPolicy)
			assert.Contains(t, err.Error(), tt.want)
			var pe *PolicyError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, p.Name, pe.Policy)
		})
	}
}

func TestParseMaskPolicy(t *testing.T) {
	p, err := ParseMaskPolicy([]byte(`{"name":"x","views":[{"audience":"public","phone_head":0,"phone_tail":4,"id_head":0,"id_tail":0,"name":"hidden","address":"hidden"}]}`))
	require.NoError(t, err)
	assert.Equal(t, "***", p.Mask(Personal{Name: "张三"}, AudiencePublic).Name)
	assert.Equal(t, "*******5678", p.Mask(Personal{Phone: "13812345678"}, AudiencePublic).Phone)
	_, err = ParseMaskPolicy([]byte(`{"name":"x","views":[],"extra":1}`))
	assert.ErrorIs(t, err, ErrInvalidMaskPolicy)
	_, err = ParseMaskPolicy([]byte(`{"name":"x","views":[]} {}`))
	assert.ErrorIs(t, err, ErrInvalidMaskPolicy)
}

// digitRuns returns the maximal runs of ASCII or full-width digits in s, as ASCII.
func digitRuns(s string) []string {
	var runs []string
	var cur []byte
	for _, r := range s {
		if c, ok := asciiDigit(r); ok {
			cur = append(cur, c)
			continue
		}
		if len(cur) > 0 {
			runs = append(runs, string(cur))
			cur = nil
		}
	}
	if len(cur) > 0 {
		runs = append(runs, string(cur))
	}
	return runs
}

// leaks reports whether out shows a valid mobile or ID number: some digit run, with the spaces and
// hyphens between groups removed, containing a mobile number or a check-valid ID number.
func leaks(out string) bool {
	joined := strings.Map(func(r rune) rune {
		if isNumberSeparator(r) {
			return -1
		}
		return r
	}, out)
	for _, run := range digitRuns(strings.Map(func(r rune) rune {
		if r == 'x' || r == 'X' || r == 'ｘ' || r == 'Ｘ' {
			return 'x'
		}
		return r
	}, joined)) {
		for i := 0; i+11 <= len(run); i++ {
			if isMobile(run[i : i+11]) {
				return true
			}
		}
		for i := 0; i+17 <= len(run); i++ {
			if i+18 <= len(run) && ValidateIDCard(run[i:i+18]) == nil {
				return true
			}
		}
	}
	for i := 0; i+18 <= len(joined); i++ {
		if ValidateIDCard(strings.ToUpper(joined[i:i+18])) == nil {
			return true
		}
	}
	return false
}

// FuzzMask checks the masking property: a masked value never contains the original's longest run of
// digits when that run has 7 or more digits (000 §10; 004 §16).
func FuzzMask(f *testing.F) {
	for _, s := range []string{"13812345678", "021-12345678", "11010519491231002X", "欧阳娜娜", "上海市宝山区友谊路123号", "1234567", "０２１１２３４５６７８"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		longest := ""
		for _, r := range digitRuns(s) {
			if len(r) > len(longest) {
				longest = r
			}
		}
		p := DefaultMaskPolicy()
		for _, a := range []Audience{AudienceStaff, AudiencePublic, "other"} {
			m := p.Mask(Personal{Name: s, Phone: s, IDNumber: s, Address: s, Text: s}, a)
			for _, v := range []string{m.Name, m.Phone, m.IDNumber, m.Address, m.Text, MaskPhone(s), MaskID(s, a)} {
				if len(longest) >= 7 {
					for _, run := range digitRuns(v) {
						require.NotContains(t, run, longest, "audience %s masked %q as %q", a, s, v)
					}
				}
			}
			require.False(t, leaks(m.Text), "Scrub(%q, %s) = %q leaks a number", s, a, m.Text)
		}
	})
}

// FuzzScrub checks that scrubbed text never shows a valid mobile or ID number (000 §10).
func FuzzScrub(f *testing.F) {
	for _, s := range []string{"电话13812345678", "身份证11010519491231002X", "138 1234 5678", "+86-138-1234-5678", "２０２４－０５－１７", "1381234567813812345678"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, a := range []Audience{AudienceStaff, AudiencePublic} {
			out := Scrub(s, a)
			require.False(t, leaks(out), "Scrub(%q, %s) = %q", s, a, out)
		}
		require.Equal(t, s, Scrub(s, AudienceHandler))
	})
}

func FuzzParseMaskPolicy(f *testing.F) {
	f.Add(`{"name":"x","views":[{"audience":"public","phone_head":3,"phone_tail":4,"id_head":1,"id_tail":1,"name":"surname","address":"street"}]}`)
	f.Add(`{"name":"x","views":[{"audience":"handler","full":true}]}`)
	f.Add(`{}`)
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseMaskPolicy([]byte(s))
		if err != nil {
			require.ErrorIs(t, err, ErrInvalidMaskPolicy)
			return
		}
		// Whatever a valid policy says, a masked view hides at least 4 digits of a mobile number.
		for _, v := range p.Views {
			m := p.Mask(Personal{Phone: "13812345678", IDNumber: "11010519491231002X"}, v.Audience)
			if !v.Full {
				require.GreaterOrEqual(t, strings.Count(m.Phone, "*"), 4)
				require.GreaterOrEqual(t, strings.Count(m.IDNumber, "*"), 8)
			}
		}
	})
}

// An unvalidated policy that would show too much falls back to hiding everything.
func TestMaskInvalidViewHides(t *testing.T) {
	p := MaskPolicy{Name: "bad", Views: []MaskView{{Audience: AudienceStaff, PhoneHead: 11, Name: NameSurname, Address: AddressStreet}}}
	require.Error(t, p.Validate())
	m := p.Mask(Personal{Phone: "13812345678", Name: "张三"}, AudienceStaff)
	assert.Equal(t, Personal{Phone: "***********", Name: "***"}, m)
}
