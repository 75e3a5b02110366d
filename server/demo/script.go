package demo

import (
	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/ticket"
)

// who acts in a step.
type who int

const (
	office     who = iota // the street hotline office (友谊路街道热线办)
	unit                  // the ticket's lead unit
	supervisor            // the street's 党政办 (004 §13)
)

// Pseudo-actions of a script: route dispatches by the stored directory's router (server/loop), and
// screen applies the screening outcome (ticket/screen) of the intake.
const (
	actRoute  ticket.Action = "demo:route"
	actScreen ticket.Action = "demo:screen"
)

// step is one action of a script: on the working day day days before the load date, at hh:mm
// (Asia/Shanghai).
type step struct {
	day     int
	at      string
	by      who
	act     ticket.Action
	reason  string
	payload ticket.Payload
	// repeatOf names the script whose ticket repeats this one (mark_repeat carries its number).
	repeatOf int
}

// script is one demo ticket: its intake and the steps that follow.
type script struct {
	no      int // upstream number DEMO-nnn
	day     int // received day (working days before the load date)
	at      string
	channel ticket.Channel
	kind    ticket.Kind
	title   string
	content string
	citizen ticket.Person
	place   string // region code, 12 digits under 友谊路街道
	address string
	matter  string // catalogue code (its parents are added)
	complex ticket.Complexity
	steps   []step
	about   string // for a review: the unit it rates (screening's "unit" element)
	// later are the actions a later stage of the demo applies after the steps (the appeal's
	// close as unfounded): a history ending in them has not left the script.
	later []ticket.Action
}

// Payload helpers.

func reply(summary, report string, o ticket.ReplyOutcome) ticket.Payload {
	return ticket.Payload{Reply: &ticket.Reply{Summary: summary, Report: report, Outcome: o}}
}

func leaderReply(summary, report string, o ticket.ReplyOutcome, leader string) ticket.Payload {
	p := reply(summary, report, o)
	p.Reply.ReviewedBy = leader
	return p
}

func callback(s ticket.Satisfaction, resolved bool) ticket.Payload {
	return ticket.Payload{Callback: &ticket.Callback{Contacted: true, Resolved: resolved,
		Result: s, Efficiency: s, Attitude: ticket.Satisfied}}
}

func approval(by string) ticket.Payload {
	return ticket.Payload{Approval: &ticket.Approval{Approver: by}}
}

func supervision(tr ticket.SupervisionTrigger) ticket.Payload {
	return ticket.Payload{Supervision: &ticket.Supervision{Trigger: tr}}
}

// The usual loops.

// routed is a ticket the office routed on working day d at hh:mm, waiting for the unit.
func routed(d int, at string) []step { return []step{{day: d, at: at, by: office, act: actRoute}} }

// handled is how a handled ticket starts: routed by the office on working day d at hh:mm, first
// contact by the lead unit on day c at hh:mm; then the steps that follow.
func handled(d int, routedAt string, c int, contactAt string, then ...step) []step {
	return append(append(routed(d, routedAt), step{day: c, at: contactAt, by: unit, act: ticket.ActionFirstContact}), then...)
}

// closedLoop is the 1-5-15 loop of 000 §5 to a satisfied close: dispatch, first contact, reply,
// callback, close, starting on working day d.
func closedLoop(d int, summary, report string) []step {
	return handled(d, "10:00", d-1, "09:30",
		step{day: d - 3, at: "15:00", by: unit, act: ticket.ActionReply, payload: reply(summary, report, ticket.OutcomeResolved)},
		step{day: d - 4, at: "10:00", by: office, act: ticket.ActionCallback, payload: callback(ticket.Satisfied, true)},
		step{day: d - 4, at: "10:10", by: office, act: ticket.ActionClose},
	)
}

var (
	wang  = ticket.Person{Name: "王建国", Phone: "13900001111", Address: "宝山区友谊路街道宝林二村"}
	li    = ticket.Person{Name: "李秀英", Phone: "13900002222", Address: "宝山区友谊路街道宝钢三村"}
	zhang = ticket.Person{Name: "张伟", Phone: "13900003333", Address: "宝山区友谊路街道临江新村"}
	liu   = ticket.Person{Name: "刘芳", Phone: "13900004444", Address: "宝山区友谊路街道宝山八村"}
	chen  = ticket.Person{Name: "陈明", Phone: "13900005555", Address: "宝山区友谊路街道密山二村"}
	zhao  = ticket.Person{Name: "赵丽", Phone: "13900006666", Address: "宝山区友谊路街道同济公寓"}
	sun   = ticket.Person{Name: "孙强", Phone: "13900007777", Address: "宝山区友谊路街道盛东苑"}
	zhou  = ticket.Person{Name: "周敏", Phone: "13900008888", Address: "宝山区友谊路街道华能城市花园"}
	shop  = ticket.Person{Name: "吴经理", Phone: "13900009999", Enterprise: "上海友谊路示范餐饮有限公司"}
)

// scripts are the demo tickets, in load order (a ticket repeated by later ones comes after them).
// Days count working days back from the load date; a script's steps run on or after its intake.
var scripts = []script{
	// ── 已受理 received: waiting for dispatch ─────────────────────────────────────────────────
	{no: 1, day: 1, at: "16:20", channel: ticket.ChannelPhone, kind: ticket.KindHelpRequest, title: "楼道灯不亮",
		content: "宝钢三村12号楼道灯坏了一周，老人夜里上下楼不安全，请尽快维修。", citizen: li,
		place: "310113003003", address: "宝钢三村12号", matter: "0703"},
	{no: 2, day: 1, at: "17:05", channel: ticket.ChannelSuishenban, kind: ticket.KindConsultation, title: "社区食堂开放时间",
		content: "想咨询宝林二村附近社区长者食堂的开放时间和用餐登记方式。", citizen: wang,
		place: "310113003014", address: "宝林二村", matter: "0703",
		steps: []step{{day: 1, at: "17:30", by: office, act: ticket.ActionFirstContact}}},
	{no: 3, day: 2, at: "11:40", channel: ticket.ChannelWeb, kind: ticket.KindSuggestion, title: "增设非机动车充电桩",
		content: "建议在宝山八村增设非机动车集中充电桩，减少楼道飞线充电的安全隐患。", citizen: liu,
		place: "310113003038", address: "宝山八村", matter: "0703",
		steps: []step{{day: 1, at: "09:10", by: office, act: ticket.ActionFirstContact}}},

	// ── 不予受理 refused, 已归档 archived, 已退回上级 returned upstream: screening (000 §4 (一), 002 §5) ──
	{no: 4, day: 3, at: "09:15", channel: ticket.ChannelPhone, kind: ticket.KindComplaint, title: "信访事项",
		content: "我要上访，反映多年前的动迁安置信访事项，要求重新处理。", citizen: zhang,
		place: "310113003026", address: "临江新村", matter: "0901",
		steps: []step{{day: 3, at: "09:20", by: office, act: actScreen}}},
	{no: 5, day: 6, at: "14:00", channel: ticket.ChannelPhone, kind: ticket.KindComplaint, title: "法院判决执行",
		content: "对法院判决书的执行结果不满，要求热线督促强制执行申请。", citizen: chen,
		place: "310113003025", address: "密山二村", matter: "0901",
		steps: []step{
			{day: 6, at: "14:05", by: office, act: actScreen},
			{day: 5, at: "10:00", by: office, act: ticket.ActionClose},
		}},
	{no: 6, day: 4, at: "10:30", channel: ticket.ChannelWeb, kind: ticket.KindSuggestion, title: "建议多种树",
		content: "建议街道多种点树。", citizen: ticket.Person{Name: "网友"}, place: "310113003", matter: "0401",
		steps: []step{{day: 4, at: "10:35", by: office, act: actScreen}}},
	{no: 7, day: 2, at: "15:00", channel: ticket.ChannelStateCouncil, kind: ticket.KindComplaint, title: "噪声扰民（地址不详）",
		content: "国办转办件：反映宝山区友谊路一带夜间噪声扰民，未说明具体地点。", citizen: sun,
		place: "310113003", matter: "0502",
		steps: []step{{day: 2, at: "15:30", by: office, act: actScreen}}},

	// ── 已派单 dispatched: due soon and overdue ────────────────────────────────────────────
	{no: 8, day: 1, at: "09:05", channel: ticket.ChannelPhone, kind: ticket.KindComplaint, title: "邻居装修噪声",
		content: "宝钢一村5号楼邻居装修，早上七点就开始电钻施工，影响休息。", citizen: zhao,
		place: "310113003001", address: "宝钢一村5号", matter: "0702",
		steps: routed(1, "09:40")},
	{no: 9, day: 1, at: "10:20", channel: ticket.ChannelOneNetPortal, kind: ticket.KindComplaint, title: "小区垃圾分类点满溢",
		content: "宝林一村垃圾分类投放点周末无人清运，垃圾满溢有异味。", citizen: wang,
		place: "310113003012", address: "宝林一村", matter: "0402",
		steps: routed(1, "10:45")},
	{no: 10, day: 4, at: "13:30", channel: ticket.ChannelPhone, kind: ticket.KindHelpRequest, title: "公共绿地积水",
		content: "宝山五村中心绿地雨后积水多日，蚊虫滋生，请处理。", citizen: liu,
		place: "310113003037", address: "宝山五村", matter: "0703",
		steps: routed(4, "14:00")},

	// ── 已退单 returned, and a return re-dispatched (000 §7, 004 §7) ─────────────────────────────
	{no: 11, day: 3, at: "09:00", channel: ticket.ChannelPhone, kind: ticket.KindComplaint, title: "沿街商铺违法搭建",
		content: "友谊路沿街商铺在人行道上违法搭建雨棚，影响通行。", citizen: chen,
		place: "310113003034", address: "友谊路宝山一村段", matter: "0403",
		steps: []step{
			{day: 3, at: "09:30", by: office, act: ticket.ActionDispatch, payload: ticket.Payload{Dispatch: &ticket.Dispatch{
				Lead: "yy-jw034", DispatchMode: ticket.DispatchStatutory}}},
			{day: 2, at: "10:00", by: unit, act: ticket.ActionReturn, payload: ticket.Payload{Return: &ticket.Return{
				SuggestedUnit: "yy-cgzd", Basis: "违法搭建的查处属城管执法职责，不属居委会职责。"}}},
		}},
	{no: 12, day: 5, at: "09:00", channel: ticket.ChannelPhone, kind: ticket.KindComplaint, title: "群租扰民",
		content: "宝钢七村某室疑似群租，人员进出频繁，夜间喧哗。", citizen: zhou,
		place: "310113003007", address: "宝钢七村", matter: "0302",
		steps: []step{
			{day: 5, at: "09:20", by: office, act: ticket.ActionDispatch, payload: ticket.Payload{Dispatch: &ticket.Dispatch{
				Lead: "yy-jw007", DispatchMode: ticket.DispatchStatutory}}},
			{day: 4, at: "11:00", by: unit, act: ticket.ActionReturn, payload: ticket.Payload{Return: &ticket.Return{
				SuggestedUnit: "yy-fgb", Basis: "群租整治属房管办职责。"}}},
			{day: 4, at: "14:00", by: office, act: actRoute},
			{day: 3, at: "09:30", by: unit, act: ticket.ActionFirstContact},
		}},

	// ── 办理中 handling, overdue, supervised and urged (004 §12, 002 §6 (二) 1 (6)) ─────────────────
	{no: 13, day: 2, at: "09:00", channel: ticket.ChannelPhone, kind: ticket.KindHelpRequest, title: "单元门禁损坏",
		content: "宝钢四村8号单元门禁损坏，陌生人随意进出。", citizen: li,
		place: "310113003004", address: "宝钢四村8号", matter: "0703",
		steps: handled(2, "09:30", 1, "10:00")},
	{no: 14, day: 9, at: "09:00", channel: ticket.ChannelPhone, kind: ticket.KindComplaint, title: "餐饮油烟扰民",
		content: "友谊路一家餐馆油烟直排，楼上住户窗户无法打开。", citizen: sun,
		place: "310113003035", address: "宝山二村沿街", matter: "020101",
		steps: handled(9, "09:30", 8, "11:00",
			step{day: 2, at: "09:00", by: supervisor, act: ticket.ActionUrge},
			step{day: 2, at: "09:10", by: supervisor, act: ticket.ActionSupervise, payload: supervision(ticket.TriggerUnresolved)},
		)},

	// ── 延期申请中, approved, refused (004 §9) ───────────────────────────────────────────────
	{no: 15, day: 3, at: "09:00", channel: ticket.ChannelPhone, kind: ticket.KindHelpRequest, title: "屋面渗水",
		content: "宝钢九村顶楼屋面渗水，需维修资金审批后施工。", citizen: zhao,
		place: "310113003009", address: "宝钢九村", matter: "030102",
		steps: handled(3, "09:30", 2, "09:00",
			step{day: 1, at: "14:00", by: unit, act: ticket.ActionRequestExtension, payload: ticket.Payload{Extension: &ticket.Extension{
				Days: 10, Explanation: "维修资金使用需业主大会表决，预计需要两周。"}}},
		)},
	{no: 16, day: 6, at: "09:00", channel: ticket.ChannelPhone, kind: ticket.KindHelpRequest, title: "外墙空鼓",
		content: "宝钢十村外墙瓷砖空鼓有坠落风险。", citizen: chen,
		place: "310113003010", address: "宝钢十村", matter: "030102",
		steps: handled(6, "09:30", 5, "09:00",
			step{day: 4, at: "15:00", by: unit, act: ticket.ActionRequestExtension, payload: ticket.Payload{Extension: &ticket.Extension{
				Days: 10, Explanation: "需委托检测单位出具外墙安全鉴定。"}}},
			step{day: 3, at: "10:00", by: office, act: ticket.ActionApproveExtension, payload: approval("街道热线办")},
		)},
	{no: 17, day: 5, at: "09:00", channel: ticket.ChannelPhone, kind: ticket.KindComplaint, title: "电梯维保不到位",
		content: "宝林三村电梯频繁故障，物业维保不到位。", citizen: zhou,
		place: "310113003016", address: "宝林三村", matter: "030101",
		steps: handled(5, "09:30", 4, "09:00",
			step{day: 3, at: "15:00", by: unit, act: ticket.ActionRequestExtension, payload: ticket.Payload{Extension: &ticket.Extension{
				Days: 10, Explanation: "物业公司需更换主板，配件到货时间不确定。"}}},
			step{day: 2, at: "10:00", by: office, act: ticket.ActionRefuseExtension, reason: "督促物业先行恢复运行，无需延期。",
				payload: approval("街道热线办")},
		)},

	// ── 已办结 replied, waiting for the callback ─────────────────────────────────────────────
	{no: 18, day: 3, at: "10:00", channel: ticket.ChannelPhone, kind: ticket.KindHelpRequest, title: "消防通道被占",
		content: "宝山九村消防通道长期停放车辆。", citizen: zhang,
		place: "310113003040", address: "宝山九村", matter: "0703",
		steps: handled(3, "10:30", 2, "09:00",
			step{day: 1, at: "16:00", by: unit, act: ticket.ActionReply, payload: reply("已张贴告知并联系车主挪车",
				"居委会会同物业张贴告知书，逐一联系车主挪车，消防通道已清理。", ticket.OutcomeResolved)},
		)},
	{no: 19, day: 4, at: "10:00", channel: ticket.ChannelWeb, kind: ticket.KindConsultation, title: "居住证办理材料",
		content: "咨询在友谊路街道办理居住证需要哪些材料。", citizen: liu,
		place: "310113003", address: "友谊路街道社区事务受理服务中心", matter: "0101",
		steps: handled(4, "10:20", 3, "09:00",
			step{day: 3, at: "11:00", by: unit, act: ticket.ActionReply, payload: reply("已告知所需材料和办理地址",
				"电话告知居住证办理材料清单、受理地点和“随申办”预约方式。", ticket.OutcomeGuided)},
		)},

	// ── 已回访 called back, not yet closed ─────────────────────────────────────────────────
	{no: 20, day: 5, at: "09:00", channel: ticket.ChannelPhone, kind: ticket.KindHelpRequest, title: "路面坑洼",
		content: "宝钢八村小区内道路坑洼，雨天积水。", citizen: wang,
		place: "310113003008", address: "宝钢八村", matter: "0703",
		steps: handled(5, "09:30", 4, "09:00",
			step{day: 2, at: "15:00", by: unit, act: ticket.ActionReply, payload: reply("路面已修补",
				"协调物业对小区内3处坑洼路面进行修补。", ticket.OutcomeResolved)},
			step{day: 1, at: "10:00", by: office, act: ticket.ActionCallback, payload: callback(ticket.FairlySatisfied, true)},
		)},

	// ── 不满退回 reopened after a dissatisfied callback, supervised (004 §11, §12 (二) 4) ───────────
	{no: 21, day: 7, at: "09:00", channel: ticket.ChannelPhone, kind: ticket.KindComplaint, title: "楼上漏水",
		content: "宝林五村楼上卫生间漏水到我家，多次协商无果。", citizen: li,
		place: "310113003018", address: "宝林五村", matter: "0702",
		steps: handled(7, "09:30", 6, "09:00",
			step{day: 4, at: "16:00", by: unit, act: ticket.ActionReply, payload: reply("已上门调解",
				"居委会上门调解，楼上住户同意自行维修。", ticket.OutcomeResolved)},
			step{day: 2, at: "10:00", by: office, act: ticket.ActionCallback, payload: callback(ticket.Dissatisfied, false)},
			step{day: 2, at: "10:10", by: office, act: ticket.ActionReopen},
		)},

	// ── 已结案 closed: the 1-5-15 loop (000 §5) ────────────────────────────────────────────
	{no: 22, day: 12, at: "09:10", channel: ticket.ChannelPhone, kind: ticket.KindHelpRequest, title: "健身器材损坏",
		content: "宝钢二村健身苑点的漫步机损坏。", citizen: zhou,
		place: "310113003002", address: "宝钢二村", matter: "0703",
		steps: closedLoop(12, "器材已报修更换", "联系体育部门更换损坏的漫步机，已恢复使用。")},
	{no: 23, day: 11, at: "14:00", channel: ticket.ChannelSuishenban, kind: ticket.KindComplaint, title: "宠物扰民",
		content: "宝山三村邻居养狗夜间吠叫。", citizen: zhang,
		place: "310113003036", address: "宝山三村", matter: "0702",
		steps: closedLoop(11, "已调解", "居委会约谈犬主，签订文明养犬承诺书。")},
	{no: 24, day: 10, at: "10:00", channel: ticket.ChannelPhone, kind: ticket.KindComplaint, title: "垃圾箱房异味",
		content: "华能城市花园垃圾箱房清洗不及时，异味大。", citizen: zhou,
		place: "310113003044", address: "华能城市花园", matter: "0402",
		steps: closedLoop(10, "已增加清洗频次", "督促保洁公司每日清洗垃圾箱房并喷洒除臭剂。")},
	{no: 25, day: 12, at: "11:00", channel: ticket.ChannelOneNetPortal, kind: ticket.KindComplaint, title: "预付卡退费",
		content: "友谊路一家健身房关门，预付卡无法退费。", citizen: zhao,
		place: "310113003029", address: "宝城新村沿街", matter: "020202",
		steps: closedLoop(12, "已立案调查并协调退费", "市场监管所约谈经营者，已为投诉人办理退费。")},
	{no: 26, day: 9, at: "09:00", channel: ticket.ChannelWindowOffline, kind: ticket.KindErrand, title: "办不成事：老年综合津贴",
		content: "在受理中心办理老年综合津贴时材料不全被退回，希望一次办成。", citizen: wang,
		place: "310113003", address: "友谊路街道社区事务受理服务中心", matter: "010102",
		steps: closedLoop(9, "已协调一次办结", "受理中心主任牵头协调，容缺受理并当日办结。")},
	{no: 27, day: 3, at: "09:00", channel: ticket.ChannelPhone, kind: ticket.KindConsultation, title: "垃圾分类时间",
		content: "咨询宝林七村湿垃圾定时投放的时间段。", citizen: liu,
		place: "310113003021", address: "宝林七村", matter: "0402",
		steps: []step{
			{day: 3, at: "09:05", by: office, act: ticket.ActionAnswer, payload: reply("即时答复投放时间",
				"湿垃圾定时投放时间为每日7:00-9:00和18:00-20:00。", ticket.OutcomeExplained)},
			{day: 2, at: "10:00", by: office, act: ticket.ActionCallback, payload: callback(ticket.Satisfied, true)},
			{day: 2, at: "10:05", by: office, act: ticket.ActionClose},
		}},
	// Reopened, redone with the leader's signature, closed (004 §11).
	{no: 28, day: 14, at: "09:00", channel: ticket.ChannelPhone, kind: ticket.KindComplaint, title: "小区违规停车",
		content: "盛东苑小区内车辆乱停，救护车进不来。", citizen: sun,
		place: "310113003050", address: "盛东苑", matter: "0703",
		steps: handled(14, "09:20", 13, "09:00",
			step{day: 11, at: "15:00", by: unit, act: ticket.ActionReply, payload: reply("已张贴告示", "张贴规范停车告示。", ticket.OutcomeResolved)},
			step{day: 10, at: "10:00", by: office, act: ticket.ActionCallback, payload: callback(ticket.Dissatisfied, false)},
			step{day: 10, at: "10:05", by: office, act: ticket.ActionReopen},
			step{day: 8, at: "16:00", by: unit, act: ticket.ActionReply, payload: leaderReply("已施划停车位并设专人管理",
				"会同物业施划停车位、设置消防通道隔离桩并安排专人夜间巡查。", ticket.OutcomeResolved, "友谊路街道分管领导")},
			step{day: 7, at: "10:00", by: office, act: ticket.ActionCallback, payload: callback(ticket.Satisfied, true)},
			step{day: 7, at: "10:05", by: office, act: ticket.ActionClose},
		)},

	// ── 存电办结 closed as stored (004 §8 (三), 000 §4 (三)) ─────────────────────────────────────
	{no: 29, day: 10, at: "09:00", channel: ticket.ChannelPhone, kind: ticket.KindComplaint, title: "历史动迁补偿",
		content: "反映二十年前宝山九村动迁补偿标准偏低。", citizen: chen,
		place: "310113003040", address: "宝山九村", matter: "0701",
		steps: handled(10, "09:30", 9, "09:00",
			step{day: 7, at: "15:00", by: unit, act: ticket.ActionReply, payload: reply("历史遗留问题已有定论",
				"经核查，该动迁安置已按当时政策执行完毕并经信访复核终结。", ticket.OutcomeSettled)},
			step{day: 6, at: "10:00", by: office, act: ticket.ActionCallback, payload: callback(ticket.Dissatisfied, true)},
			step{day: 6, at: "10:30", by: office, act: ticket.ActionCloseStored, reason: "信访或历史已有定论，按存电办结处理。",
				payload: ticket.Payload{Closure: &ticket.Closure{Approver: "友谊路街道热线办"}}},
		)},

	// ── 重复投诉 repeats: three later calls about one ticket put it under supervision (004 §12 (二) 2) ──
	{no: 30, day: 4, at: "09:00", channel: ticket.ChannelPhone, kind: ticket.KindComplaint, title: "夜间施工噪声（重复）",
		content: "宝山七村旁工地又在夜间施工，之前反映过。", citizen: zhang,
		place: "310113003043", address: "宝山七村", matter: "0502"},
	{no: 31, day: 3, at: "22:40", channel: ticket.ChannelPhone, kind: ticket.KindComplaint, title: "夜间施工噪声（重复）",
		content: "宝山七村旁工地夜间施工还在继续。", citizen: zhang,
		place: "310113003043", address: "宝山七村", matter: "0502"},
	{no: 32, day: 2, at: "23:10", channel: ticket.ChannelWeb, kind: ticket.KindComplaint, title: "夜间施工噪声（重复）",
		content: "工地夜间施工噪声仍未解决，第三次反映。", citizen: zhang,
		place: "310113003043", address: "宝山七村", matter: "0502"},
	{no: 33, day: 6, at: "22:30", channel: ticket.ChannelPhone, kind: ticket.KindComplaint, title: "工地夜间施工噪声",
		content: "宝山七村旁建筑工地夜间施工到凌晨，噪声扰民。", citizen: zhang,
		place: "310113003043", address: "宝山七村", matter: "0502",
		steps: handled(5, "09:00", 4, "09:30",
			step{day: 4, at: "09:40", by: office, act: ticket.ActionMarkRepeat, repeatOf: 30},
			step{day: 3, at: "23:00", by: office, act: ticket.ActionMarkRepeat, repeatOf: 31},
			step{day: 2, at: "23:20", by: office, act: ticket.ActionMarkRepeat, repeatOf: 32},
		)},
	{no: 34, day: 8, at: "09:00", channel: ticket.ChannelPhone, kind: ticket.KindComplaint, title: "无证摊贩",
		content: "宝钢六村门口早市无证摊贩占道经营。", citizen: li,
		place: "310113003006", address: "宝钢六村", matter: "0403",
		steps: closedLoop(8, "已清理占道摊贩", "城管中队联合居委会清理占道摊贩，设置便民疏导点。")},
	{no: 35, day: 2, at: "08:40", channel: ticket.ChannelPhone, kind: ticket.KindHelpRequest, title: "停水",
		content: "宝钢五村今天早上突然停水，没有提前通知。", citizen: zhao,
		place: "310113003005", address: "宝钢五村", matter: "080102",
		steps: routed(2, "09:00")},
	{no: 36, day: 7, at: "15:00", channel: ticket.ChannelPhone, kind: ticket.KindComplaint, title: "餐厅卫生",
		content: "在友谊路一家餐厅就餐后腹泻，怀疑食品不卫生。", citizen: shop,
		place: "310113003046", address: "宝山六村沿街", matter: "020101",
		steps: closedLoop(7, "已现场检查并责令整改", "市场监管所现场检查，责令餐厅整改并抽检食品。")},
	// Dispatched to the unit of the demo's handling-unit key: the walk-through handles it.
	{no: 37, day: 1, at: "11:00", channel: ticket.ChannelPhone, kind: ticket.KindHelpRequest, title: "维修资金使用公示",
		content: "宝林四村大修工程使用了维修资金，想查看使用明细公示。", citizen: zhao,
		place: "310113003017", address: "宝林四村", matter: "030102",
		steps: routed(1, "11:20")},
}

// The bad review appealed under 000 §6 and its review ticket, and the other reviews.
const (
	appealedReview = "DEMO-R-006"
	reviewTicketNo = 40
)

// reviewScript is the review ticket a bad review opens: channel 好差评, kind review (000 §5).
var reviewScript = script{no: reviewTicketNo, day: 9, at: "11:00", channel: ticket.ChannelBadReview, kind: ticket.KindReview,
	title: "差评：居委会开具证明", content: "非常不满意：去居委会开具居住证明，工作人员说要等一周。", citizen: liu,
	place: "310113003012", address: "宝林一村", matter: "0703", about: "yy-jw012",
	steps: handled(9, "11:30", 8, "09:00"),
	later: []ticket.Action{ticket.ActionCloseUnfounded}}

// A second bad review opens a review ticket that is still being handled.
var openReviewScript = script{no: reviewTicketNo + 1, day: 2, at: "16:00", channel: ticket.ChannelBadReview, kind: ticket.KindReview,
	title: "差评：窗口等候时间长", content: "不满意：在社区事务受理服务中心排队一个多小时。", citizen: zhou,
	place: "310113003", address: "友谊路街道社区事务受理服务中心", matter: "010101", about: "yy-sqsw",
	steps: handled(2, "16:30", 1, "09:30")}

// review is one demo 好差评 review, given day working days back at hh:mm.
type review struct {
	id     string
	rating assess.Rating
	unit   string
	ch     assess.Channel
	matter string
	day    int
	at     string
	ticket int // the review ticket it opened (script no), 0 for none
}

var reviews = []review{
	{id: "DEMO-R-001", rating: assess.VerySatisfied, unit: "yy-sqsw", ch: assess.ChannelServiceHall, matter: "0101", day: 12, at: "10:00"},
	{id: "DEMO-R-002", rating: assess.Satisfied, unit: "yy-sqsw", ch: assess.ChannelSuishenban, matter: "0101", day: 10, at: "15:00"},
	{id: "DEMO-R-003", rating: assess.VerySatisfied, unit: "yy-scjgs", ch: assess.ChannelOneNetPortal, matter: "0201", day: 8, at: "11:00"},
	{id: "DEMO-R-004", rating: assess.FairlySatisfied, unit: "yy-jw012", ch: assess.ChannelPhone, matter: "0703", day: 7, at: "14:00"},
	{id: "DEMO-R-005", rating: assess.Satisfied, unit: "yy-jw012", ch: assess.ChannelKiosk, matter: "0703", day: 5, at: "09:30"},
	{id: appealedReview, rating: assess.VeryDissatisfied, unit: "yy-jw012", ch: assess.ChannelServiceHall, matter: "0703", day: 9, at: "10:40", ticket: reviewTicketNo},
	{id: "DEMO-R-007", rating: assess.Dissatisfied, unit: "yy-sqsw", ch: assess.ChannelServiceHall, matter: "010101", day: 2, at: "15:40", ticket: reviewTicketNo + 1},
}
