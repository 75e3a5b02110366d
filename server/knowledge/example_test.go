package knowledge_test

import (
	"fmt"
	"strings"

	"github.com/hotline12345/hotline/server/knowledge"
	"github.com/hotline12345/hotline/ticket"
)

// A query's text is cut into character bigrams; the store looks the rarest of them up first.
func ExampleTerms() {
	fmt.Println(strings.Join(knowledge.Terms("居住证怎么办理？Ａ类"), " "))
	// Output:
	// 居住 住证 证怎 怎么 么办 办理 a 类
}

func ExamplePlan() {
	stats := []knowledge.TermStat{{Term: "办理", DF: 15000}, {Term: "居住", DF: 300}, {Term: "住证", DF: 250}}
	for _, w := range knowledge.Plan(stats, 100000) {
		fmt.Println(w.Term, w.Weight)
	}
	// Output:
	// 住证 5994
	// 居住 5812
	// 办理 2037
}

// A closed 办不成事 item becomes a draft case with nothing of the citizen in it (003 五 (四)).
func ExampleFromTicket() {
	t := &ticket.Ticket{Channel: ticket.ChannelWindowOffline, State: ticket.StateClosed,
		Title:   "居住证办不成",
		Content: "张三丰（13812345678）反映：窗口称缺少租赁备案，无法办理居住证。",
		Citizen: ticket.Person{Name: "张三丰", Phone: "13812345678"},
		Reply:   &ticket.Reply{Summary: "租赁备案与居住证可一并办理。"}}
	c, err := knowledge.FromTicket(t, knowledge.CasePrivacy())
	fmt.Println(c.Problem, err)
	fmt.Println(knowledge.Leaks(c, t.Citizen, knowledge.CasePrivacy()))
	// Output:
	// ***（***********）反映：窗口称缺少租赁备案，无法办理居住证。 <nil>
	// <nil>
}
