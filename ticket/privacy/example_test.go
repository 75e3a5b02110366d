package privacy_test

import (
	"fmt"

	"github.com/hotline12345/hotline/ticket"
	"github.com/hotline12345/hotline/ticket/privacy"
)

func ExamplePolicy_MaskPhone() {
	p := privacy.Shanghai()
	fmt.Println(p.MaskPhone("13812345678", privacy.AudienceStaff))
	fmt.Println(p.MaskPhone("+86 138-1234-5678", privacy.AudienceStaff))
	fmt.Println(p.MaskPhone("①③⑧①②③④⑤⑥⑦⑧", privacy.AudiencePublic))
	fmt.Println(p.MaskPhone("021-12345678", privacy.AudienceStaff))
	// Output:
	// 138****5678
	// 138****5678
	// 138****5678
	// 021-****5678
}

func ExamplePolicy_MaskID() {
	p := privacy.Shanghai()
	id := "11010519491231002X" // the worked example of GB 11643-1999
	for _, a := range privacy.Audiences() {
		fmt.Println(a.Label(), p.MaskID(id, a))
	}
	fmt.Println(p.MaskID("12345678901", privacy.AudienceStaff)) // at least 8 characters stay hidden
	// Output:
	// 承办人员 11010519491231002X
	// 其他工作人员 110105********002X
	// 公开发布 1****************X
	// ********901
}

func ExamplePolicy_MaskName() {
	p := privacy.Shanghai()
	fmt.Println(p.MaskName("张三", privacy.AudienceStaff), p.MaskName("欧阳娜娜", privacy.AudiencePublic))
	// Output: 张* 欧阳**
}

func ExamplePolicy_MaskAddress() {
	p := privacy.Shanghai()
	addr := "上海市宝山区友谊路街道友谊路123弄4号501室"
	fmt.Println(p.MaskAddress(addr, privacy.AudienceStaff))
	fmt.Println(p.MaskAddress(addr, privacy.AudiencePublic))
	// Output:
	// 上海市宝山区友谊路街道***
	// 上海市宝山区***
}

// Free text loses its phone and ID numbers, however they are written (000 第十条); dates and times
// stay.
func ExamplePolicy_Scrub() {
	p := privacy.Shanghai()
	text := "电话138.1234.5678，身份证11010519491231002X，2024-05-17 22:00-06:00施工。"
	fmt.Println(p.Scrub(text, privacy.AudienceStaff))
	fmt.Println(p.Scrub(text, privacy.AudiencePublic))
	fmt.Println(p.Scrub(text, "press")) // no view: nothing
	// Output:
	// 电话138.****.5678，身份证110105********002X，2024-05-17 22:00-06:00施工。
	// 电话138.****.5678，身份证1****************X，2024-05-17 22:00-06:00施工。
	// ***
}

// A policy shows each audience what it may see (004 第十六条); the text loses the citizen's name and
// address wherever it repeats them.
func ExamplePolicy_Mask() {
	p := privacy.Shanghai()
	d := privacy.Personal{Name: "欧阳娜娜", Phone: "13812345678", Address: "上海市宝山区友谊路街道友谊路123弄",
		Text: "我是欧阳娜娜，住友谊路123弄"}
	for _, a := range privacy.Audiences() {
		m := p.Mask(d, a)
		fmt.Println(a.Label(), m.Name, m.Phone, m.Address, m.Text)
	}
	// Output:
	// 承办人员 欧阳娜娜 13812345678 上海市宝山区友谊路街道友谊路123弄 我是欧阳娜娜，住友谊路123弄
	// 其他工作人员 欧阳** 138****5678 上海市宝山区友谊路街道*** 我是欧阳**，住*******
	// 公开发布 欧阳** 138****5678 上海市宝山区*** 我是欧阳**，住*******
}

// A ticket for public output: the citizen's own street address, repeated in the content, is masked
// like the address field (000 第十条; 004 第十六条).
func ExamplePolicy_MaskTicket() {
	t := &ticket.Ticket{
		Title:   "宝钢五村12号楼夜间施工",
		Content: "我叫张三，住宝钢五村12号楼301室，电话138 1234 5678，工地夜里22:00后还在施工。",
		Citizen: ticket.Person{Name: "张三", Phone: "13812345678", Address: "上海市宝山区宝钢五村12号楼301室"},
	}
	shown := privacy.Shanghai().MaskTicket(t, privacy.AudiencePublic)
	fmt.Println(shown.Citizen.Name, shown.Citizen.Phone, shown.Citizen.Address)
	fmt.Println(shown.Title)
	fmt.Println(shown.Content)
	fmt.Println(privacy.Shanghai().MaskTicket(t, "press").Content)
	// Output:
	// 张* 138****5678 上海市宝山区***
	// ********夜间施工
	// 我叫张*，住************，电话138 **** 5678，工地夜里22:00后还在施工。
	// ***
}

func ExampleParsePolicy() {
	_, err := privacy.ParsePolicy([]byte(`{"name":"x","views":[{"audience":"public","phone_head":9223372036854775807,"phone_tail":0,"id_head":0,"id_tail":0,"name":"hidden","address":"hidden","text":"hidden"}]}`))
	fmt.Println(err)
	// Output: privacy: policy "x": views[0].phone_head: 9223372036854775807 is outside 0–7
}
