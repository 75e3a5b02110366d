package privacy

import (
	"strings"
	"testing"

	"github.com/hotline12345/hotline/ticket"
	"github.com/stretchr/testify/assert"
)

// 000 第十条, 004 第十六条: the citizen's recorded phone and address below street level are masked
// wherever a text repeats them — also when the text writes the digits as Chinese characters
// (一三八…, 幺三八…, 壹叁捌…, 三〇一室), the commonest digit script of Chinese text after the full-width
// one. (Scrub, which knows no identity, leaves such runs: see the package doc.)
func TestIdentityInChineseNumerals(t *testing.T) {
	p := Shanghai()
	citizen := ticket.Person{Name: "张三丰", Phone: "13812345678", Address: "上海市宝山区宝钢五村12号楼301室"}
	for _, tc := range []struct{ text, leak string }{
		{"回电一三八一二三四五六七八", "一二三四"},
		{"回电幺三八幺二三四五六七八", "幺二三四"},
		{"回电壹叁捌壹贰叁肆伍陆柒捌", "壹贰叁肆"},
		{"回电一三八 一二三四 五六七八", "一二三四"},
		{"回电138一二三四5678", "一二三四"},
		{"住宝钢五村一二号楼三〇一室", "三〇一"},
		{"住宝钢五村12号楼三〇一室", "三〇一"},
		{"住宝钢五村十二号楼三〇一室", "三〇一"},
	} {
		for _, a := range []Audience{AudiencePublic, AudienceStaff} {
			tk := &ticket.Ticket{Title: tc.text, Content: tc.text, Citizen: citizen}
			m := p.MaskTicket(tk, a)
			assert.NotContains(t, m.Title, tc.leak, "%s %q → %q", a, tc.text, m.Title)
			assert.NotContains(t, m.Content, tc.leak, "%s %q → %q", a, tc.text, m.Content)
			got := p.Mask(Personal{Phone: citizen.Phone, Address: citizen.Address, Text: tc.text}, a).Text
			assert.NotContains(t, got, tc.leak, "Mask %s %q → %q", a, tc.text, got)
		}
	}
	// What the view keeps of a phone stays readable in the script it was written in.
	tk := &ticket.Ticket{Title: "回电一三八一二三四五六七八", Citizen: citizen}
	assert.Equal(t, "回电一三八****五六七八", p.MaskTicket(tk, AudiencePublic).Title)
	// Chinese numerals that repeat nothing of the identity are left alone.
	tk = &ticket.Ticket{Title: "一二三四五六七八九十", Citizen: citizen}
	assert.True(t, strings.HasPrefix(p.MaskTicket(tk, AudiencePublic).Title, "一二三四五六七八九十"))
}
