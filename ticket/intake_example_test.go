package ticket_test

import (
	"fmt"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/ticket"
	"github.com/hotline12345/hotline/ticket/privacy"
	"github.com/hotline12345/hotline/ticket/repeat"
	"github.com/hotline12345/hotline/ticket/screen"
)

// The package's parts in the order an item meets them: screening decides what the lifecycle does
// with it, the repeat index links it to earlier tickets under a keyed hash of the caller, and a
// masked copy is what anyone but its handlers sees.
func Example_intake() {
	screener, err := screen.New(screen.Hebi())
	if err != nil {
		panic(err)
	}
	m, err := ticket.NewMachine(deadline.China(), deadline.StreetHotline(), ticket.StreetHotline())
	if err != nil {
		panic(err)
	}
	mac, err := repeat.NewSM3MAC([]byte("a district secret of 16+ bytes"))
	if err != nil {
		panic(err)
	}
	repeats, err := repeat.NewIndex(repeat.StreetHotline())
	if err != nil {
		panic(err)
	}

	tickets := map[string]*ticket.Ticket{}
	for i, content := range []string{
		"我的信访事项一直没有结果，要求答复。",
		"小区旁工地夜间施工，噪声扰民，请尽快处理。我是张三，电话13812345678。",
		"小区旁工地夜间还在施工，噪声扰民，请尽快处理！",
	} {
		in := newIntake()
		in.Number.Seq = 100 + i
		in.Content = content
		in.Place = ticket.Place{RegionCode: "310113", Address: "上海市宝山区友谊路街道友谊路1号"}
		now := at("2026-11-23 09:00").AddDate(0, 0, i)

		res, err := screener.Screen(screen.InputOf(in))
		if err != nil {
			panic(err)
		}
		t, err := m.Accept(in, "operator-7", ticket.RoleHotlineOffice, now)
		if err != nil {
			panic(err)
		}
		if a, ref, ok := res.Refusal(); ok {
			_, err := m.Apply(t, ticket.Request{Actor: "operator-7", Role: ticket.RoleHotlineOffice, Action: a,
				Payload: ticket.Payload{Refusal: &ref}}, now)
			if err != nil {
				panic(err)
			}
			fmt.Println(t.Number.Seq, t.State.Label(), ref.Code, "→", ref.Redirect)
			continue
		}
		rec, err := repeat.RecordOf(t, mac)
		if err != nil {
			panic(err)
		}
		if match, ok := repeats.Find(rec, now); ok {
			rec.RepeatOf = match.Matched
			// The earlier ticket, still open, counts the repeat (004 §12 (二) 2).
			orig := tickets[match.Original]
			_, err := m.Apply(orig, ticket.Request{Actor: "system", Role: ticket.RoleSystem, Action: ticket.ActionMarkRepeat,
				Payload: ticket.Payload{Repeat: &ticket.Repeat{Of: t.Number}}}, now)
			if err != nil {
				panic(err)
			}
			fmt.Printf("%d %s repeats %s (its repeat count: %d)\n", t.Number.Seq, t.State.Label(), match.Original, orig.Counters.Repeats)
		} else {
			fmt.Println(t.Number.Seq, t.State.Label(), "new")
		}
		if err := repeats.Add(rec); err != nil {
			panic(err)
		}
		tickets[rec.ID] = t
		shown := privacy.Shanghai().MaskTicket(t, privacy.AudiencePublic)
		fmt.Println("   ", shown.Citizen.Name, shown.Citizen.Phone, shown.Place.Address, shown.Content)
	}
	// Output:
	// 100 不予受理 out_of_scope.petition → 信访部门（信访办）
	// 101 已受理 new
	//     张* 138****5678 上海市宝山区*** 小区旁工地夜间施工，噪声扰民，请尽快处理。我是张*，电话138****5678。
	// 102 已受理 repeats BSYYL-20261123-000101-1 (its repeat count: 1)
	//     张* 138****5678 上海市宝山区*** 小区旁工地夜间还在施工，噪声扰民，请尽快处理！
}
