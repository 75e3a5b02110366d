package ticket

import (
	"fmt"
	"strings"
	"time"
)

// RegistrationForm renders t as the registration form (《“办不成事”事项登记表》, 003 附件1; 003 六 (一)) in
// plain text: ticket number, the person's name and phone, who accepted it and when, the record of the
// matter, the confirmation line, and the responsible unit's reply.
//
// The form prints the personal data as the ticket holds it: it is for the people handling the ticket.
// For anyone else, print the copy ticket/privacy's Policy.MaskTicket gives (000 §10, 004 §16). A nil ticket
// gives "".
func RegistrationForm(t *Ticket) string {
	if t == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString("“办不成事”事项登记表\n")
	formLine(&b, "工单编号", t.Number.String())
	formLine(&b, "办理对象姓名", formName(t.Citizen))
	formLine(&b, "联系电话", t.Citizen.Phone)
	formLine(&b, "受理人员", t.ReceivedBy)
	formLine(&b, "受理时间", formTime(t.Received))
	formLine(&b, "事项类别", formJoin(" / ", t.Kind.Label(), t.Matter.Label()))
	formLine(&b, "“办不成事”情况记录", formJoin("\n", t.Title, t.Content))
	formLine(&b, "办理对象确认", "签字：            日期：")
	reply := ""
	if t.Reply != nil {
		reply = formJoin("\n", t.Reply.Summary, t.Reply.Report)
	} else if t.Refusal != nil {
		reply = formJoin("：", "不予受理", formJoin("；", t.Refusal.Explanation, t.Refusal.Redirect))
	}
	formLine(&b, "责任窗口(单位)回复、处理情况", reply)
	formLine(&b, "", "经办人员签字：            日期：")
	return b.String()
}

// HandlingForm renders t as the handling form (《“办不成事”事项承办单》, 003 附件2; 003 六 (二), (三)) in
// plain text: handling unit, ticket number, time limit (the redo's after a reopening, 004 第十一条),
// who accepted it, when it was dispatched, the supervision count (督办次数), the unit's handling
// opinion and the person's feedback from the callback. The personal-data caveat of
// [RegistrationForm] applies. A nil ticket gives "".
func HandlingForm(t *Ticket) string {
	if t == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString("“办不成事”事项承办单\n")
	unit := t.Assignment.Lead
	if len(t.Assignment.CoHandling) > 0 {
		unit += "（协办：" + strings.Join(t.Assignment.CoHandling, "、") + "）"
	}
	formLine(&b, "承办单位", unit)
	formLine(&b, "工单编号", t.Number.String())
	limit := ""
	if c := *t.Deadlines.replying(); c.Key != "" {
		limit = fmt.Sprintf("%s前（%s）", formTime(c.Due.At), c.Label)
	}
	formLine(&b, "处理时限", limit)
	formLine(&b, "受理人员", t.ReceivedBy)
	formLine(&b, "转办时间", formTime(t.Assignment.Dispatched))
	formLine(&b, "督办次数", fmt.Sprint(t.Counters.Supervisions))
	opinion := ""
	if t.Reply != nil {
		opinion = formJoin("\n", t.Reply.Report, "处理结果："+t.Reply.Outcome.Label())
	}
	formLine(&b, "承办单位处理意见", opinion)
	formLine(&b, "", "经办人员签字：            日期：")
	feedback := ""
	if c := t.Callback; c != nil {
		feedback = fmt.Sprintf("联系情况：%s；办理结果：%s；对结果%s，对效率%s，对态度%s",
			yesNo(c.Contacted, "已联系", "未联系"), yesNo(c.Resolved, "已解决", "未解决"),
			c.Result.Label(), c.Efficiency.Label(), c.Attitude.Label())
	}
	formLine(&b, "办理对象反馈意见", feedback)
	return b.String()
}

func formLine(b *strings.Builder, label, value string) {
	if label != "" {
		b.WriteString(label)
		b.WriteString("：")
	} else {
		b.WriteString("    ")
	}
	b.WriteString(strings.ReplaceAll(value, "\n", "\n    "))
	b.WriteString("\n")
}

func formName(p Person) string {
	switch {
	case p.Enterprise != "" && p.Name != "":
		return p.Enterprise + "（联系人：" + p.Name + "）"
	case p.Enterprise != "":
		return p.Enterprise
	}
	return p.Name
}

func formTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return fmtTime(t)
}

func formJoin(sep string, parts ...string) string {
	var keep []string
	for _, p := range parts {
		if strings.TrimSpace(p) != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, sep)
}

func yesNo(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}
