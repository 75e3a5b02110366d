package screen_test

import (
	"fmt"
	"time"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/ticket"
	"github.com/hotline12345/hotline/ticket/screen"
)

// Screening refuses a petition matter (002 第五条 (三)) and tells the citizen where to go instead.
func ExampleScreener_Screen() {
	s, err := screen.New(screen.Hebi())
	if err != nil {
		panic(err)
	}
	r, err := s.Screen(screen.Input{
		Channel: ticket.ChannelPhone,
		Kind:    ticket.KindComplaint,
		Text:    "我的“信访事项”一直没有结果，要求答复。",
		Contact: "13812345678",
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Outcome, r.Outcome.Label())
	for _, reason := range r.Reasons {
		fmt.Println(reason.Code, reason.Source, reason.Redirect)
		fmt.Println(reason.Why)
	}
	fmt.Println(r.Message)
	// Output:
	// refuse 不予受理
	// out_of_scope.petition 002 §5 (三) 信访部门（信访办）
	// matched "信访事项"×1
	// 您反映的属于信访事项，不属于政务服务受理范围，请向信访部门（信访办）反映。
}

// A State Council item outside Shanghai's remit goes back upstream within 5 working days
// (000 第四条 (一)).
func ExampleResult_Due() {
	s, err := screen.New(screen.Shanghai())
	if err != nil {
		panic(err)
	}
	r, err := s.Screen(screen.Input{
		Channel:    ticket.ChannelStateCouncil,
		Kind:       ticket.KindComplaint,
		Text:       "某市不动产登记中心办理登记时要求提供不必要的证明材料，希望规范。",
		Place:      "北京市东城区",
		RegionCode: "110101",
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Outcome.Label(), r.Reasons[0].Code, r.Source)
	received := time.Date(2026, 3, 2, 10, 0, 0, 0, deadline.Location())
	d, err := r.Due(deadline.China(), deadline.StateCouncilForwarded(), received)
	if err != nil {
		panic(err)
	}
	fmt.Println(d.LastDay.Format("2006-01-02"))
	// Output:
	// 退回国办 outside_remit 000 §4 (一)
	// 2026-03-09
}

// Missing elements are listed by name (要素不全).
func ExampleScreener_Screen_missingElements() {
	s, _ := screen.New(screen.Hebi())
	r, err := s.Screen(screen.Input{Channel: ticket.ChannelWeb, Kind: ticket.KindHelpRequest})
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Outcome.Label())
	for _, e := range r.Missing {
		fmt.Println(e, e.Label())
	}
	// Output:
	// 要素不全
	// content 诉求内容
	// contact 诉求人联系方式
}

// Text is normalised before matching: width, spaces, punctuation and traditional characters fold
// away.
func ExampleNormalize() {
	fmt.Println(screen.Normalize("顛覆　國家，ＡＢＣ １２３"))
	// Output: 颠覆国家abc123
}

// The presets are listed and found by name.
func ExamplePreset() {
	for _, p := range screen.Presets() {
		fmt.Println(p.Name, p.Version, p.Source, p.Label)
	}
	p, err := screen.Preset("hebi")
	fmt.Println(len(p.Categories), err)
	_, err = screen.Preset("atlantis")
	fmt.Println(err)
	// Output:
	// shanghai 1 000 §4 (一) 上海市“一网通办”政务服务投诉建议受理
	// hebi 1 002 §5 鹤壁市政务服务平台内容过滤
	// 15 <nil>
	// screen: unknown preset: "atlantis" (have: shanghai, hebi)
}

// A received item becomes screening's input: the title and content joined as the text, the
// citizen's name and phone, the place and the most specific matter code.
func ExampleInputOf() {
	in := screen.InputOf(ticket.Intake{
		Channel: ticket.ChannelPhone, Kind: ticket.KindComplaint,
		Title: "路灯不亮", Content: "友谊路1号门口路灯坏了两周，请尽快修复。",
		Citizen: ticket.Person{Name: "张三", Phone: "13812345678"},
		Place:   ticket.Place{RegionCode: "310113", Address: "友谊路1号"},
		Matter:  ticket.Matter{Levels: []ticket.MatterLevel{{Code: "05", Label: "城市管理"}, {Code: "0507", Label: "路灯"}}},
	})
	fmt.Printf("%q %s %s %s\n", in.Text, in.Name, in.RegionCode, in.Matter)
	// Output:
	// "路灯不亮\n友谊路1号门口路灯坏了两周，请尽快修复。" 张三 310113 0507
}

// A radical twin does not hide a listed word (002 第五条 (一)).
func ExampleScreener_Screen_radicals() {
	s, err := screen.New(screen.Hebi())
	if err != nil {
		panic(err)
	}
	r, err := s.Screen(screen.Input{Channel: ticket.ChannelPhone, Kind: ticket.KindComplaint,
		Text: "有人在搞⺠族分裂活动，请处理", Contact: "13812345678"})
	if err != nil {
		panic(err)
	}
	h := r.Reasons[0].Hits[0]
	fmt.Println(r.Outcome, r.Reasons[0].Code, h.Word, "←", "有人在搞⺠族分裂活动，请处理"[h.Start:h.End])
	// Output:
	// refuse security.ethnic 民族分裂 ← ⺠族分裂
}
