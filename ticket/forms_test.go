package ticket

import (
	"testing"

	"github.com/hotline12345/hotline/deadline"
	"github.com/stretchr/testify/assert"
)

// 003 附件1 and 附件2: a ticket prints as the registration form and as the handling form, the latter
// with its supervision count (督办次数).
func TestForms(t *testing.T) {
	m := lcMachine(t, deadline.CouldNotGetItDone())
	in := lcIntake(ChannelWindowOffline)
	in.Kind = KindErrand
	tk := lcRun(t, m,
		lcStep{lcAccept(in), lcAt("2026-11-23 09:00")},
		lcStep{lcDispatch("区医保中心", noMode, ComplexityGeneral, "区人社局"), lcAt("2026-11-23 15:00")},
		lcStep{lcSupervise(TriggerInstruction), lcAt("2026-11-24 09:00")},
		lcStep{lcReq(RoleHandlingUnit, ActionFirstContact), lcAt("2026-11-24 10:00")},
		lcStep{lcReply(OutcomeResolved), lcAt("2026-11-25 10:00")},
		lcStep{lcCallback(true), lcAt("2026-11-26 10:00")},
	)
	reg := RegistrationForm(tk)
	assert.Equal(t, "“办不成事”事项登记表\n"+
		"工单编号："+tk.Number.String()+"\n"+
		"办理对象姓名：张三\n"+
		"联系电话：13812345678\n"+
		"受理人员：actor-hotline_office\n"+
		"受理时间：2026-11-23 09:00\n"+
		"事项类别：办事 / 市容环境 / 噪声扰民 / 施工噪声\n"+
		"“办不成事”情况记录：夜间施工噪声\n    小区旁工地夜间22点后仍在施工，噪声扰民。\n"+
		"办理对象确认：签字：            日期：\n"+
		"责任窗口(单位)回复、处理情况：已责令夜间停工\n    已约谈施工单位，夜间停工。\n"+
		"    经办人员签字：            日期：\n", reg)

	h := HandlingForm(tk)
	assert.Equal(t, "“办不成事”事项承办单\n"+
		"承办单位：区医保中心（协办：区人社局）\n"+
		"工单编号："+tk.Number.String()+"\n"+
		"处理时限：2026-11-27 00:00前（一般问题）\n"+
		"受理人员：actor-hotline_office\n"+
		"转办时间：2026-11-23 15:00\n"+
		"督办次数：1\n"+
		"承办单位处理意见：已约谈施工单位，夜间停工。\n    处理结果：已解决\n"+
		"    经办人员签字：            日期：\n"+
		"办理对象反馈意见：联系情况：已联系；办理结果：已解决；对结果满意，对效率满意，对态度满意\n", h)

	ref := lcRun(t, m, lcStep{lcAccept(in), lcHours(0)}, lcStep{lcRefusal(ActionRefuse), lcHours(1)})
	ref.Citizen = Person{Name: "李四", Enterprise: "某某有限公司"}
	r := RegistrationForm(ref)
	assert.Contains(t, r, "办理对象姓名：某某有限公司（联系人：李四）\n")
	assert.Contains(t, r, "责任窗口(单位)回复、处理情况：不予受理：不属于本级事权\n")
	// 004 §11: after a reopening the form's time limit is the redo's; the first reply's stays on the
	// ticket's Reply clock.
	redo := &Ticket{Deadlines: Deadlines{
		Reply: Clock{Key: deadline.ReplyGeneral, Label: "一般问题", Due: deadline.Deadline{At: lcAt("2026-11-27 00:00")}, Met: lcAt("2026-11-25 10:00")},
		Redo:  Clock{Key: deadline.Reopen, Label: "不满退回重办", Due: deadline.Deadline{At: lcAt("2026-12-02 00:00")}},
	}}
	assert.Contains(t, HandlingForm(redo), "处理时限：2026-12-02 00:00前（不满退回重办）\n")
	// A nil ticket prints nothing rather than panicking.
	assert.NotPanics(t, func() {
		assert.Empty(t, RegistrationForm(nil))
		assert.Empty(t, HandlingForm(nil))
	})
	empty := HandlingForm(&Ticket{})
	assert.Contains(t, empty, "督办次数：0\n")
	assert.Contains(t, empty, "处理时限：\n")
}
