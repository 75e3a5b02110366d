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
	received := time.Date(2026, 3, 2, 10, 0, 0, 0, deadline.Shanghai())
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
