package ledger

import (
	"strings"
	"time"

	"github.com/hotline12345/hotline/ticket"
)

// Names gives a unit's display name for its ID; nil (or an unknown ID) shows the ID.
type Names func(id string) string

func (n Names) of(id string) string {
	if id == "" {
		return ""
	}
	if n != nil {
		if s := n(id); s != "" {
			return s
		}
	}
	return id
}

func (n Names) list(ids []string) string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if id != "" {
			out = append(out, n.of(id))
		}
	}
	return strings.Join(out, "、")
}

// TicketSheet is the layout of the ticket ledger (工单台账): one row per ticket with what it is, who
// raised it, where and about what, who handles it, its stage deadlines and when they were met, its
// counters (督办, 催办, 退单, 重复, 不满退回, 延期; 003 承办单, 004 §12) and the callback.
func TicketSheet() Sheet {
	return Sheet{Name: "工单台账", Columns: []Column{
		{Header: "工单编号", Width: 22},
		{Header: "受理时间", Kind: Time},
		{Header: "渠道", Width: 22},
		{Header: "类型", Width: 8},
		{Header: "紧急程度", Width: 10},
		{Header: "标题", Width: 30},
		{Header: "诉求内容", Width: 50},
		{Header: "诉求人", Width: 14},
		{Header: "联系电话", Width: 15},
		{Header: "区划代码", Width: 14},
		{Header: "事项", Width: 28},
		{Header: "承办单位", Width: 20},
		{Header: "协办单位", Width: 20},
		{Header: "派单时间", Kind: Time},
		{Header: "先行联系时限", Kind: Date},
		{Header: "先行联系时间", Kind: Time},
		{Header: "办结时限", Kind: Date},
		{Header: "办结时间", Kind: Time},
		{Header: "是否超期", Width: 9},
		{Header: "状态", Width: 12},
		{Header: "督办次数", Kind: Int},
		{Header: "催办次数", Kind: Int},
		{Header: "退单次数", Kind: Int},
		{Header: "重复投诉次数", Kind: Int, Width: 13},
		{Header: "不满退回次数", Kind: Int, Width: 13},
		{Header: "延期次数", Kind: Int},
		{Header: "回访时间", Kind: Time},
		{Header: "回访满意度", Width: 12},
		{Header: "答复要点", Width: 40},
	}}
}

// TicketRow is t's row of the ticket ledger as of now (whether it is overdue). Units are shown by
// names. The personal data print as t holds them.
func TicketRow(t *ticket.Ticket, names Names, now time.Time) Row {
	d := t.Deadlines
	reply := d.Reply
	var cbAt time.Time
	cbResult := ""
	if c := t.Callback; c != nil {
		cbAt, cbResult = c.At, c.Result.Label()
	}
	summary := ""
	if t.Reply != nil {
		summary = t.Reply.Summary
	}
	c := t.Counters
	return Row{
		t.Number.String(), t.Received, t.Channel.Label(), t.Kind.Label(), label(t.Urgency),
		t.Title, t.Content, personName(t.Citizen), t.Citizen.Phone, t.Place.RegionCode, t.Matter.Label(),
		names.of(t.Assignment.Lead), names.list(t.Assignment.CoHandling), t.Assignment.Dispatched,
		dueDay(d.FirstContact), d.FirstContact.Met, dueDay(reply), reply.Met, yesNo(Overdue(t, now)), t.State.Label(),
		c.Supervisions, c.Urgings, c.Returns, c.Repeats, c.Reopenings, c.Extensions,
		cbAt, cbResult, summary,
	}
}

// WindowSheet is the layout of the 办不成事 ledger (003 六 (五), 七 (二)): the fields of the 登记表
// (003 附件1: 工单编号, 办理对象姓名, 联系电话, 受理人员, 受理时间, 情况记录, 回复处理情况) and of the
// 承办单 (003 附件2: 承办单位, 处理时限, 转办时间, 督办次数, 办理对象反馈意见), with the same-day cause
// analysis (003 六 (二)).
func WindowSheet() Sheet {
	return Sheet{Name: "办不成事台账", Columns: []Column{
		{Header: "工单编号", Width: 22},
		{Header: "受理时间", Kind: Time},
		{Header: "反映渠道", Width: 26},
		{Header: "事项类别", Width: 8},
		{Header: "办理对象姓名", Width: 16},
		{Header: "联系电话", Width: 15},
		{Header: "受理人员", Width: 12},
		{Header: "“办不成事”情况记录", Width: 50},
		{Header: "原因分析时限", Kind: Date},
		{Header: "原因分析完成时间", Kind: Time},
		{Header: "承办单位", Width: 20},
		{Header: "转办时间", Kind: Time},
		{Header: "处理时限", Kind: Date},
		{Header: "督办次数", Kind: Int},
		{Header: "办结时间", Kind: Time},
		{Header: "回复、处理情况", Width: 40},
		{Header: "办理对象反馈意见", Width: 16},
		{Header: "是否超期", Width: 9},
		{Header: "状态", Width: 12},
	}}
}

// WindowRow is t's row of the 办不成事 ledger as of now. The time limit is the one the next reply
// meets: the redo's after a reopening (004 §11), otherwise the reply's.
func WindowRow(t *ticket.Ticket, names Names, now time.Time) Row {
	d := t.Deadlines
	limit := d.Reply
	if d.Redo.Key != "" {
		limit = d.Redo
	}
	record := joinNonEmpty("\n", t.Title, t.Content)
	handled := ""
	switch {
	case t.Reply != nil:
		handled = joinNonEmpty("\n", t.Reply.Summary, t.Reply.Report)
	case t.Refusal != nil:
		handled = "不予受理：" + joinNonEmpty("；", t.Refusal.Explanation, t.Refusal.Redirect)
	}
	feedback := ""
	if c := t.Callback; c != nil {
		feedback = c.Result.Label()
	}
	return Row{
		t.Number.String(), t.Received, t.Channel.Label(), t.Kind.Label(), personName(t.Citizen), t.Citizen.Phone,
		t.ReceivedBy, record, dueDay(d.Analysis), d.Analysis.Met, names.of(t.Assignment.Lead), t.Assignment.Dispatched,
		dueDay(limit), t.Counters.Supervisions, d.Reply.Met, handled, feedback, yesNo(Overdue(t, now)), t.State.Label(),
	}
}

// Overdue reports whether any stage clock of t is overdue at now: still running at or past its due
// instant, or met late.
func Overdue(t *ticket.Ticket, now time.Time) bool {
	d := t.Deadlines
	for _, c := range []ticket.Clock{d.Upstream, d.Analysis, d.RefusalReply, d.FirstContact, d.Reply, d.Redo, d.Cap, d.AppealClose} {
		if c.Overdue(now) {
			return true
		}
	}
	return false
}

// IsWindowCase reports whether t belongs in the 办不成事 ledger: it came through the 办不成事 window,
// online or offline (003 二).
func IsWindowCase(t *ticket.Ticket) bool {
	return t.Channel == ticket.ChannelWindowOnline || t.Channel == ticket.ChannelWindowOffline
}

// WindowChannels are the channels of the 办不成事 window (003 二), for filtering a store's tickets.
func WindowChannels() []ticket.Channel {
	return []ticket.Channel{ticket.ChannelWindowOnline, ticket.ChannelWindowOffline}
}

func personName(p ticket.Person) string {
	switch {
	case p.Enterprise != "" && p.Name != "":
		return p.Enterprise + "（" + p.Name + "）"
	case p.Enterprise != "":
		return p.Enterprise
	}
	return p.Name
}

// dueDay is the last day of a clock's period (its due instant is the end of that day), zero for an
// unset clock.
func dueDay(c ticket.Clock) time.Time {
	if c.Key == "" {
		return time.Time{}
	}
	return c.Due.LastDay
}

func label(u ticket.Urgency) string {
	if u == "" {
		return ""
	}
	return u.Label()
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

func joinNonEmpty(sep string, parts ...string) string {
	var keep []string
	for _, p := range parts {
		if strings.TrimSpace(p) != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, sep)
}
