package privacy

import (
	"strings"
	"testing"
	"time"

	"github.com/hotline12345/hotline/ticket"
)

// benchText is about 2,000 characters of complaint text with phone and ID numbers, dates, times,
// amounts and house numbers, as a ticket's content and history carry them.
var benchText = strings.Repeat("市民张三来电反映：宝山区友谊路街道宝钢五村12号楼旁工地2024-05-17起每晚22:00-06:00施工，"+
	"噪声扰民，已多次拨打138-1234-5678联系施工方未果。身份证110105194912310021X，要求退款1,500元。"+
	"回电号码13812345678或021-12345678，希望尽快处理，谢谢。", 12)

func benchTicket() *ticket.Ticket {
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	who := ticket.Person{Name: "张三", Phone: "13812345678", IDNumber: "11010519491231002X",
		Address: "上海市宝山区友谊路街道宝钢五村12号楼301室"}
	in := ticket.Intake{Title: "宝钢五村12号楼旁工地夜间施工", Content: benchText, Citizen: who,
		Place: ticket.Place{RegionCode: "310113103001", Address: "上海市宝山区友谊路街道友谊路123弄"}}
	t := &ticket.Ticket{Title: in.Title, Content: in.Content, Citizen: who, Place: in.Place, Received: at,
		Reply: &ticket.Reply{Report: benchText[:600], Summary: "已联系张三，施工单位夜间停工。"}}
	t.History = append(t.History, ticket.Event{Seq: 1, At: at, Actor: "话务员07", Action: ticket.ActionAccept,
		Payload: ticket.Payload{Intake: &in}, Notes: []string{"reply due 2026-12-07"}})
	for i := 2; i <= 10; i++ {
		t.History = append(t.History, ticket.Event{Seq: i, At: at, Actor: "居委会A",
			Reason: "已致电13812345678，张三表示仍有噪声。", Notes: []string{"first contact due 2026-11-24"}})
	}
	return t
}

// BenchmarkScrub compares the scanner with the one it replaced (old_test.go), on the same text and
// view (other staff), in one run.
func BenchmarkScrub(b *testing.B) {
	b.Run("old", func(b *testing.B) {
		v := oldStaff().view
		b.SetBytes(int64(len(benchText)))
		b.ReportAllocs()
		for b.Loop() {
			v.scrub(benchText)
		}
	})
	b.Run("new", func(b *testing.B) {
		p := Shanghai()
		b.SetBytes(int64(len(benchText)))
		b.ReportAllocs()
		for b.Loop() {
			p.Scrub(benchText, AudienceStaff)
		}
	})
}

// BenchmarkMaskTicket compares MaskTicket with the one it replaced, on a ticket of ten events whose
// texts total about 8 KB, for other staff.
func BenchmarkMaskTicket(b *testing.B) {
	t := benchTicket()
	b.Run("old", func(b *testing.B) {
		p := oldStaff()
		b.ReportAllocs()
		for b.Loop() {
			p.MaskTicket(t, AudienceStaff)
		}
	})
	b.Run("new", func(b *testing.B) {
		p := Shanghai()
		b.ReportAllocs()
		for b.Loop() {
			p.MaskTicket(t, AudienceStaff)
		}
	})
}

// The benchmarks measure work that is done: both implementations mask the fixture's phone numbers.
func TestBenchFixture(t *testing.T) {
	tk := benchTicket()
	for _, s := range []string{oldStaff().MaskTicket(tk, AudienceStaff).Content, Shanghai().MaskTicket(tk, AudienceStaff).Content,
		oldStaff().view.scrub(benchText), Shanghai().Scrub(benchText, AudienceStaff)} {
		if strings.Contains(s, "13812345678") || !strings.Contains(s, "138****5678") {
			t.Fatalf("fixture not masked: %.200s", s)
		}
	}
}
