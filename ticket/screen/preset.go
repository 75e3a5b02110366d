package screen

import (
	"fmt"

	"github.com/hotline12345/hotline/internal/enum"
	"github.com/hotline12345/hotline/ticket"
)

// contentFilter returns the refusal categories of 鹤壁's content filter (002 第五条), with the
// redirect for 涉嫌违纪违规的问题线索 from 002 第六条 (二) 1 (3). The word lists are a starting point
// that a district is expected to review; every hit is reported, so an operator can always see why.
func contentFilter() []Category {
	const art1, art2, art3, art4 = "002 §5 (一)", "002 §5 (二)", "002 §5 (三)", "002 §5 (四)"
	const security = "您反映的内容涉及危害国家安全、破坏民族团结、煽动非法集会、扰乱社会秩序或封建迷信等情形，依照规定不予受理。"
	return []Category{
		{
			Code: "security", Sub: "state", Label: "危害国家安全", Message: security, Source: art1, Action: ActionRefuse,
			Words: []string{"颠覆国家政权", "分裂国家", "危害国家安全", "推翻政府", "恐怖袭击", "制造爆炸"},
		},
		{
			Code: "security", Sub: "ethnic", Label: "破坏民族团结", Message: security, Source: art1, Action: ActionRefuse,
			Words: []string{"破坏民族团结", "煽动民族仇恨", "民族分裂", "煽动民族歧视"},
		},
		{
			Code: "security", Sub: "assembly", Label: "煽动非法集会", Message: security, Source: art1, Action: ActionRefuse,
			Words: []string{"煽动非法集会", "组织非法集会", "非法游行", "集体围堵", "聚众闹事"},
		},
		{
			Code: "security", Sub: "order", Label: "扰乱社会秩序", Message: security, Source: art1, Action: ActionRefuse,
			Words: []string{"扰乱社会秩序", "冲击政府机关", "打砸抢"},
		},
		{
			Code: "security", Sub: "superstition", Label: "封建迷信", Message: security, Source: art1, Action: ActionRefuse,
			Words: []string{"封建迷信", "跳大神", "驱鬼辟邪", "算命改运", "作法驱邪"},
		},
		{
			Code: "no_content", Label: "缺乏具体内容", Source: art2, Action: ActionRefuse,
			Message:  "您反映的内容缺乏具体事项，无法受理。请说明具体事情、发生地点和您的诉求后再次反映。",
			MinRunes: 5,
		},
		{
			// A text with no demand word is only a hint that the demand is unclear: a person decides.
			Code: "unclear", Label: "诉求不明", Source: art2, Action: ActionFlag,
			Message: "您的诉求不够明确，请说明希望有关部门解决的具体问题。",
			RequireAny: []string{
				"要求", "希望", "请求", "请", "建议", "咨询", "投诉", "反映", "举报", "如何", "怎么", "怎样",
				"为什么", "为何", "能否", "是否", "可否", "何时", "哪里", "多少", "帮助", "帮忙", "解决", "处理",
				"整改", "赔偿", "退还", "退款", "尽快", "问", "吗", "呢", "办理", "不能", "无法", "没有",
			},
		},
		{
			Code: "harassment", Label: "无理纠缠", Source: art2, Action: ActionRefuse,
			Message: "您已就同一事项多次来电，相关情况已作答复，请勿反复纠缠。如有新的情况，请补充说明。",
			// Contacts from the same caller within one day (the window is the caller's to count).
			MaxContacts: 10,
		},
		{
			Code: "insult", Label: "侮辱谩骂", Source: art2, Action: ActionRefuse,
			Message: "您的反映含有侮辱、谩骂内容，依照规定不予受理。请文明表述您的诉求。",
			Words:   []string{"傻逼", "煞笔", "操你", "他妈的", "王八蛋", "混蛋", "狗官", "去死吧", "滚蛋", "贱人"},
		},
		{
			Code: "repeat_answered", Label: "重复投诉", Source: art2, Action: ActionRefuse,
			Message:        "您反映的问题此前已经受理并答复，请参阅原答复；如有新的情况，请补充说明。",
			RepeatAnswered: true,
		},
		{
			Code: "out_of_scope", Sub: "petition", Label: "涉及信访事项", Source: art3, Action: ActionRefuse,
			Message:  "您反映的属于信访事项，不属于政务服务受理范围，请向信访部门（信访办）反映。",
			Redirect: "信访部门（信访办）",
			Words:    []string{"信访事项", "信访件", "信访复查", "信访复核", "我要上访", "越级上访"},
		},
		{
			Code: "out_of_scope", Sub: "discipline", Label: "涉及纪检监察", Source: art3 + "; 002 §6 (二) 1 (3)", Action: ActionRefuse,
			Message:  "您反映的属于涉嫌违纪违法的问题线索，不属于政务服务受理范围，请向纪委监委（市纪委监察委信访室）反映。",
			Redirect: "纪委监委（市纪委监察委信访室）",
			Words:    []string{"贪污", "受贿", "索贿", "行贿", "贪腐", "纪检监察", "公款吃喝", "收受红包", "收受礼金", "违纪违法"},
		},
		{
			Code: "out_of_scope", Sub: "reconsideration", Label: "涉及行政复议", Source: art3, Action: ActionRefuse,
			Message:  "您反映的属于行政复议事项，不属于政务服务受理范围，请依法向行政复议机关申请行政复议。",
			Redirect: "行政复议机关",
			Words:    []string{"行政复议", "复议申请", "复议决定"},
		},
		{
			Code: "out_of_scope", Sub: "litigation", Label: "涉法涉诉", Source: art3, Action: ActionRefuse,
			Message:  "您反映的属于涉法涉诉事项，不属于政务服务受理范围，请通过司法途径向人民法院、人民检察院等司法机关反映。",
			Redirect: "人民法院、人民检察院等司法机关",
			Words:    []string{"法院判决", "判决书", "裁定书", "民事诉讼", "行政诉讼", "刑事案件", "提起诉讼", "申请再审", "强制执行申请"},
		},
		{
			Code: "illegal", Label: "其他违反法律法规", Source: art4, Action: ActionRefuse,
			Message: "您反映的内容违反国家法律法规和有关规定，依照规定不予受理。",
			Words:   []string{"代开发票", "办假证", "出售个人信息", "赌博网站", "贩卖枪支", "贩毒", "网络赌博"},
		},
	}
}

const (
	missingMessage      = "您反映的事项要素不全，请补充以下信息"
	outsideRemitMessage = "您反映的事项超出本级事权范围，无法受理。"
)

// Hebi returns the screening of 鹤壁's government-service platforms (002 第五条): the
// content filter refuses threats to national security, ethnic unity and public order and
// superstition (一); content that is empty, unclear, harassing, insulting or a repeat already answered
// (二); matters outside government service — 信访, 纪检监察, 行政复议, 涉法涉诉 — each with where to
// go instead (三); and other illegal content (四). Every item needs its content and a contact.
func Hebi() Policy {
	return Policy{
		Name:                "hebi",
		Version:             "1",
		Label:               "鹤壁市政务服务平台内容过滤",
		Source:              "002 §5",
		Categories:          contentFilter(),
		MissingMessage:      missingMessage,
		OutsideRemitMessage: outsideRemitMessage,
		Rules: []Rule{
			{Name: "all", Required: []Element{ElementContent, ElementContact}, Source: "002 §5"},
		},
	}
}

// Shanghai returns the intake of 上海's 12345 system for “一网通办” items (000 第四条 (一)),
// with 002's content filter: State Council items (国办转办, 中国政府网留言) that are outside the city's
// remit (region codes outside "31") or miss elements go back upstream; a city item that does not meet
// the conditions for dispatch — missing elements, no content, outside the remit — is archived as a
// general suggestion; the other refusal reasons refuse it.
func Shanghai() Policy {
	return Policy{
		Name:                "shanghai",
		Version:             "1",
		Label:               "上海市“一网通办”政务服务投诉建议受理",
		Source:              "000 §4 (一)",
		Categories:          contentFilter(),
		Remit:               []string{"31"},
		MissingMessage:      missingMessage,
		OutsideRemitMessage: "您反映的事项超出本市事权范围，已按规定退回或归档。",
		Rules: []Rule{
			{
				Name: "state-council", Channels: []ticket.Channel{ticket.ChannelStateCouncil, ticket.ChannelGovWebsite},
				Required: []Element{ElementContent, ElementPlace}, ReturnUpstream: true, Source: "000 §4 (一)",
			},
			{
				Name: "bad-review", Channels: []ticket.Channel{ticket.ChannelBadReview},
				Required: []Element{ElementContent, ElementUnit}, Source: "000 §4 (一)",
			},
			{
				Name: "city", Required: []Element{ElementContent, ElementContact},
				Archive: []string{ReasonMissingElements, ReasonOutsideRemit, "no_content"}, Source: "000 §4 (一)",
			},
		},
	}
}

// Presets returns the screening policies this package ships, in a stable order: [Shanghai] and
// [Hebi].
func Presets() []Policy { return []Policy{Shanghai(), Hebi()} }

// Preset returns the shipped policy named name ("shanghai", "hebi"), or an error wrapping
// [ErrUnknownPreset].
func Preset(name string) (Policy, error) {
	for _, p := range Presets() {
		if p.Name == name {
			return p, nil
		}
	}
	return Policy{}, fmt.Errorf("%w: %q (have: shanghai, hebi)", ErrUnknownPreset, enum.Clip(name))
}
