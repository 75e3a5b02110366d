package ticket_test

import (
	"fmt"

	"github.com/hotline12345/hotline/ticket"
)

func ExampleMaskPhone() {
	fmt.Println(ticket.MaskPhone("13812345678"))
	fmt.Println(ticket.MaskPhone("+86 138-1234-5678"))
	fmt.Println(ticket.MaskPhone("021-12345678"))
	// Output:
	// 138****5678
	// 138****5678
	// 021-****5678
}

func ExampleMaskID() {
	id := "11010519491231002X" // the worked example of GB 11643-1999
	fmt.Println(ticket.MaskID(id, ticket.AudienceHandler))
	fmt.Println(ticket.MaskID(id, ticket.AudienceStaff))
	fmt.Println(ticket.MaskID(id, ticket.AudiencePublic))
	// Output:
	// 11010519491231002X
	// 110105********002X
	// 1****************X
}

func ExampleMaskName() {
	fmt.Println(ticket.MaskName("张三"), ticket.MaskName("欧阳娜娜"))
	// Output: 张* 欧阳**
}

func ExampleMaskAddress() {
	fmt.Println(ticket.MaskAddress("上海市宝山区友谊路街道友谊路123弄4号501室"))
	fmt.Println(ticket.MaskAddress("上海市长宁区镇宁路405弄"))
	// Output:
	// 上海市宝山区友谊路街道***
	// 上海市长宁区镇宁路***
}

// Free text loses its phone and ID numbers in public output (000 第十条).
func ExampleScrub() {
	text := "我叫张三，电话138-1234-5678，身份证11010519491231002X，2024-05-17来过。"
	fmt.Println(ticket.Scrub(text, ticket.AudienceStaff))
	fmt.Println(ticket.Scrub(text, ticket.AudiencePublic))
	// Output:
	// 我叫张三，电话138****5678，身份证110105********002X，2024-05-17来过。
	// 我叫张三，电话138****5678，身份证1****************X，2024-05-17来过。
}

// A mask policy shows each audience what it may see (004 第十六条).
func ExampleMaskPolicy_Mask() {
	p := ticket.DefaultMaskPolicy()
	d := ticket.Personal{Name: "欧阳娜娜", Phone: "13812345678", Address: "上海市宝山区友谊路街道友谊路123弄"}
	for _, a := range []ticket.Audience{ticket.AudienceHandler, ticket.AudienceStaff, ticket.AudiencePublic} {
		m := p.Mask(d, a)
		fmt.Println(a.Label(), m.Name, m.Phone, m.Address)
	}
	// Output:
	// 承办人员 欧阳娜娜 13812345678 上海市宝山区友谊路街道友谊路123弄
	// 其他工作人员 欧阳** 138****5678 上海市宝山区友谊路街道***
	// 公开发布 欧阳** 138****5678 上海市宝山区***
}

func ExampleValidateIDCard() {
	fmt.Println(ticket.ValidateIDCard("11010519491231002X"))
	fmt.Println(ticket.ValidateIDCard("110105194912310021"))
	// Output:
	// <nil>
	// ticket: invalid ID-card number: check character does not match digits 1–17
}

func ExampleValidateCreditCode() {
	fmt.Println(ticket.ValidateCreditCode("91350100M000100Y43"))
	fmt.Println(ticket.ValidateCreditCode("91350100M000100Y44"))
	// Output:
	// <nil>
	// ticket: invalid unified social credit code: check character does not match characters 1–17
}

func ExampleParseMobile() {
	fmt.Println(ticket.ParseMobile("+86 138-1234-5678"))
	// Output: 13812345678 <nil>
}
