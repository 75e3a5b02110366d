package deadline

import (
	"fmt"
	"slices"
	"strings"
)

func wd(n int) Period { return Period{Days: n, Unit: WorkingDays} }

var sameDay = Period{Unit: SameDay}

// ShanghaiOneNet returns the "1、5、15" limits of Shanghai's 一网通办 complaints and 好差评 bad
// reviews (000 第五条, 001 (六)), with the appeal and objection limits of 000 第六条 and 第七条.
func ShanghaiOneNet() Policy {
	return Policy{
		Name:    "shanghai-one-net",
		Version: "000+001",
		Label:   "上海市“一网通办”政务服务投诉建议",
		Source:  "沪府办〔2020〕49号 (000); 沪府办发〔2019〕20号 (001)",
		DueSoon: wd(1),
		Limits: []Limit{
			{Key: FirstContact, Label: "先行联系", Period: wd(1), Source: "000 §5; 001 (六)"},
			{Key: ReplyGeneral, Label: "确有问题的整改反馈", Period: wd(5), Source: "000 §5; 001 (六)"},
			{Key: ReplyComplex, Label: "较为复杂的办结", Period: wd(15), Extendable: true, Source: "000 §5; 001 (六)"},
			{Key: AppealClose, Label: "差评申诉：按不属实评价办结", Period: wd(15), Source: "000 §6 (二)"},
			{Key: ObjectionReturn, Label: "差评确责：作退单处理", Period: wd(5), Source: "000 §7 (二)"},
		},
	}
}

// StateCouncilForwarded returns the limits for complaints and suggestions the State Council General
// Office forwards (国办转办, 000 第四条, 第五条): return upstream within 5 working days when out of
// scope or missing elements, and at most 25 working days for the "一般" category. The "特殊/紧急"
// category follows the deadline the upstream system gives, so it has no preset limit.
func StateCouncilForwarded() Policy {
	return Policy{
		Name:    "state-council-forwarded",
		Version: "000",
		Label:   "国办转办投诉建议",
		Source:  "沪府办〔2020〕49号 (000)",
		DueSoon: wd(1),
		Limits: []Limit{
			{Key: FirstContact, Label: "先行联系", Period: wd(1), Source: "000 §5"},
			{Key: ReplyGeneral, Label: "确有问题的整改反馈", Period: wd(5), Source: "000 §5"},
			{Key: ReplyComplex, Label: "较为复杂的办结", Period: wd(15), Extendable: true, ExtendTo: 25, Source: "000 §5"},
			{Key: ReplyCap, Label: "“一般”类留言办理期限上限", Period: wd(25), Source: "000 §5"},
			{Key: ReturnUpstream, Label: "退回国办", Period: wd(5), Source: "000 §4 (一)"},
		},
	}
}

// StreetHotline returns the limits of 友谊路街道's 12345 hotline rules (004): first contact in 1
// working day, replies in 1 / 5 / 10 working days, extensions (apply within 3 days, to at most 10;
// complex matters within 5 days with a written report, approved up to the city), and the 3-day redo
// after a dissatisfied callback.
func StreetHotline() Policy {
	return Policy{
		Name:    "street-hotline",
		Version: "004",
		Label:   "友谊路街道“12345”市民服务热线",
		Source:  "友谊路街道“12345”市民服务热线管理实施办法 (004)",
		DueSoon: wd(1),
		Limits: []Limit{
			{Key: FirstContact, Label: "先行联系", Period: wd(1), Source: "004 §8 (一)"},
			{Key: ReplyQuick, Label: "能及时办理的事项", Period: wd(1), Source: "004 §8 (二)"},
			{Key: ReplyGeneral, Label: "一般事项", Period: wd(5), Extendable: true, ExtendTo: 10,
				ExtensionWindow: ExtensionGeneral, Source: "004 §8 (二); 004 §9 第一款"},
			{Key: ReplyComplex, Label: "复杂、疑难事项", Period: wd(10), Extendable: true,
				Approvals: []string{"街道热线办", "区热线办", "市热线办"}, ExtensionWindow: ExtensionComplex,
				Source: "004 §8 (二); 004 §9 第二款"},
			{Key: ExtensionGeneral, Label: "一般事项延期申请", Period: wd(3), ExtendTo: 10,
				Approvals: []string{"街道热线办"}, Source: "004 §9 第一款"},
			{Key: ExtensionComplex, Label: "复杂事项市级延期申请", Period: wd(5), WrittenReport: true,
				Approvals: []string{"街道热线办", "区热线办", "市热线办"}, Source: "004 §9 第二款"},
			{Key: Reopen, Label: "不满退回重办", Period: wd(3), Source: "004 §11"},
		},
	}
}

// HebiProvincial returns the "1、5、15" limits and the quality check of Hebi's provincial online
// platform (002 第六条 (一)).
func HebiProvincial() Policy {
	return Policy{
		Name:         "hebi-provincial",
		Version:      "002",
		Label:        "鹤壁市 省一体化在线政务服务平台咨询投诉建议",
		Source:       "鹤壁市政务服务平台咨询投诉建议处理暂行办法 (002)",
		DueSoon:      wd(1),
		QualityCheck: true,
		Limits: []Limit{
			{Key: FirstContact, Label: "先行联系", Period: wd(1), Source: "002 §6 (一) 1"},
			{Key: ReplyGeneral, Label: "确实存在问题的调查处理", Period: wd(5), Source: "002 §6 (一) 1"},
			{Key: ReplyComplex, Label: "较为复杂的办结", Period: wd(15), Source: "002 §6 (一) 1"},
		},
	}
}

// Hebi12345 returns the limits of Hebi's 12345 handling modes (002 第六条 (二)): 即办 answered at
// once, 转办 in 10 working days, 协办 in 15 working days, extendable with the city leaders' approval.
func Hebi12345() Policy {
	return Policy{
		Name:    "hebi-12345",
		Version: "002",
		Label:   "鹤壁市 12345政务热线",
		Source:  "鹤壁市政务服务平台咨询投诉建议处理暂行办法 (002)",
		DueSoon: wd(1),
		Limits: []Limit{
			{Key: ReplyQuick, Label: "即办", Period: sameDay, Source: "002 §6 (二) 1 (1)"},
			{Key: ReplyTransfer, Label: "转办", Period: wd(10), Source: "002 §6 (二) 1 (3)"},
			{Key: ReplyJoint, Label: "协办", Period: wd(15), Extendable: true,
				Approvals: []string{"市政府领导"}, Source: "002 §6 (二) 1 (4)"},
		},
	}
}

// HebiServiceHall returns the limits of complaints and suggestions made in Hebi's administrative
// service hall (002 第六条 (三)).
func HebiServiceHall() Policy {
	return Policy{
		Name:    "hebi-service-hall",
		Version: "002",
		Label:   "鹤壁市 行政服务大厅咨询投诉台",
		Source:  "鹤壁市政务服务平台咨询投诉建议处理暂行办法 (002)",
		DueSoon: wd(1),
		Limits: []Limit{
			{Key: ServiceHallComplaint, Label: "较为复杂或书面投诉答复", Period: wd(5), Source: "002 §6 (三) 2 (1)"},
			{Key: SuggestionFeedback, Label: "意见建议采纳情况反馈", Period: wd(5), Source: "002 §6 (三) 2 (2)"},
		},
	}
}

// CouldNotGetItDone returns the limits of the 办不成事 window (003 四 (四), 六 (二)): simple problems at once,
// general in 3 working days, complex in 7, special cases extended to a declared date of at most 10,
// a refusal explained within 3, and the cause analysed the same day.
//
// A special case (特殊问题, 003 四 (四) 4) is a general or complex problem whose handling is extended to a
// declared date: record it as an extension of [ReplyGeneral] or [ReplyComplex] (capped at 10 working
// days, see [Calendar.Extend]); [ReplySpecial] states the 10-day ceiling itself.
func CouldNotGetItDone() Policy {
	return Policy{
		Name:    "could-not-get-it-done",
		Version: "003",
		Label:   "“办不成事”反映窗口",
		Source:  "普政务服务办〔2023〕2号 (003)",
		DueSoon: wd(1),
		Limits: []Limit{
			{Key: ReplyQuick, Label: "简易问题", Period: sameDay, Source: "003 四 (四) 1"},
			{Key: ReplyGeneral, Label: "一般问题", Period: wd(3), Extendable: true, ExtendTo: 10, Source: "003 四 (四) 2, 4"},
			{Key: ReplyComplex, Label: "复杂问题", Period: wd(7), Extendable: true, ExtendTo: 10, Source: "003 四 (四) 3, 4"},
			{Key: ReplySpecial, Label: "特殊问题延时办理", Period: wd(10), Source: "003 四 (四) 4"},
			{Key: ReplyRefusal, Label: "不予受理问题答复", Period: wd(3), Source: "003 四 (四) 5"},
			{Key: CauseAnalysis, Label: "当天原因分析", Period: sameDay, Source: "003 六 (二)"},
		},
	}
}

// Appeals returns the limits of bad-review appeals and responsibility objections (000 第六条,
// 第七条), both counted from the ticket's receipt.
func Appeals() Policy {
	return Policy{
		Name:    "appeals",
		Version: "000",
		Label:   "差评申诉复核与确责异议",
		Source:  "沪府办〔2020〕49号 (000)",
		DueSoon: wd(1),
		Limits: []Limit{
			{Key: AppealClose, Label: "差评申诉：按不属实评价办结", Period: wd(15), Source: "000 §6 (二)"},
			{Key: ObjectionReturn, Label: "差评确责：作退单处理", Period: wd(5), Source: "000 §7 (二)"},
		},
	}
}

// Presets returns every preset policy, in a fixed order.
func Presets() []Policy {
	return []Policy{ShanghaiOneNet(), StateCouncilForwarded(), StreetHotline(), HebiProvincial(),
		Hebi12345(), HebiServiceHall(), CouldNotGetItDone(), Appeals()}
}

// Preset returns the preset policy with the given name.
func Preset(name string) (Policy, error) {
	ps := Presets()
	if i := slices.IndexFunc(ps, func(p Policy) bool { return p.Name == name }); i >= 0 {
		return ps[i], nil
	}
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	return Policy{}, &PolicyError{Policy: clip(name), Field: "name", Reason: fmt.Sprintf("no preset of that name (have %s)", strings.Join(names, ", "))}
}
