package assess

import (
	"fmt"
	"strings"
)

// defaultSatisfied are the satisfied ratings of the presets: all but the two bad-review ratings.
func defaultSatisfied() []Rating { return []Rating{VerySatisfied, Satisfied, FairlySatisfied} }

// StreetHotline returns the scheme of 004 §15 (友谊路街道 12345 hotline), version "004" (the document is undated).
//
// 004 §15 (一) 1 names four contents of the assessment — 实际解决率, 市民满意率, 先行联系与态度,
// 办理时效与办结报告 — but sets no weights: this preset weights them equally, 25 points each, and a
// street sets its own. The two combined contents average two indicators each: first-contact rate with
// the callback attitude rate, on-time rate with the conclusion-report pass rate.
//
// The bonus items are the three of 004 §15 (一) 2 and the deductions the four of §15 (一) 3. The
// document sets no points either; following its "奖优罚劣、真奖重罚" (004 §14) this preset makes
// deductions heavier than bonuses: a bonus is 1 point (at most 2 per item, 5 in all), a deduction 2
// points (at most 10 per item, 20 in all).
//
// The document sets no minimum sample: this preset ranks units with at least 5 received cases in the
// period. Ties are broken by resolution rate, then satisfaction rate, then shared.
func StreetHotline() Scheme {
	rate := Scoring{Kind: ScoreRate}
	return Scheme{
		Name:    "street-hotline",
		Version: "004",
		Label:   "友谊路街道12345热线考核",
		Source:  "004 §14–§15",
		Items: []Item{
			{ID: "resolution", Label: "实际解决率", Weight: Int(25), Indicators: []IndicatorID{ResolutionRate}, Scoring: rate, Source: "004 §15 (一) 1"},
			{ID: "satisfaction", Label: "市民满意率", Weight: Int(25), Indicators: []IndicatorID{SatisfactionRate}, Scoring: rate, Source: "004 §15 (一) 1"},
			{ID: "contact_attitude", Label: "先行联系与态度", Weight: Int(25), Indicators: []IndicatorID{FirstContactRate, AttitudeRate}, Scoring: rate, Source: "004 §15 (一) 1; §8, §11 (一)(三)"},
			{ID: "timeliness_report", Label: "办理时效与办结报告", Weight: Int(25), Indicators: []IndicatorID{OnTimeRate, ReportRate}, Scoring: rate, Source: "004 §15 (一) 1; §8 (二)"},
		},
		Adjustments: []AdjustmentItem{
			{ID: "lead_hard_cases", Label: "主动牵头解决疑难事项及积极受理托底事项", Kind: Bonus, Points: Int(1), Cap: Int(2), Source: "004 §15 (一) 2 一是"},
			{ID: "repeat_governance", Label: "重复工单治理取得明显成效", Kind: Bonus, Points: Int(1), Cap: Int(2), Source: "004 §15 (一) 2 二是"},
			{ID: "efficiency_gain", Label: "处置效能明显提升，按时办结、报告标准严谨", Kind: Bonus, Points: Int(1), Cap: Int(2), Source: "004 §15 (一) 2 三是"},
			{ID: "false_report", Label: "办结报告虚报、谎报、瞒报", Kind: Deduction, Points: Int(2), Cap: Int(10), Source: "004 §15 (一) 3 一是"},
			{ID: "media_exposure", Label: "被媒体曝光或产生不良社会影响（经查证属实）", Kind: Deduction, Points: Int(2), Cap: Int(10), Source: "004 §15 (一) 3 二是"},
			{ID: "buck_passing", Label: "推诿扯皮、工作怠慢、处置效能低", Kind: Deduction, Points: Int(2), Cap: Int(10), Source: "004 §15 (一) 3 三是"},
			{ID: "cold_attitude", Label: "态度冷漠、语气生硬、漫不经心、故意刁难", Kind: Deduction, Points: Int(2), Cap: Int(10), Source: "004 §15 (一) 3 四是"},
		},
		BonusCap:         Int(5),
		DeductionCap:     Int(20),
		SatisfiedRatings: defaultSatisfied(),
		Missing:          MissingReweight,
		MinSample:        5,
		TieBreak:         []IndicatorID{ResolutionRate, SatisfactionRate},
		Ties:             TieShared,
	}
}

// Hebi returns the scheme of 002 §9 (鹤壁市), version "002-2020": 被投诉率 (complaint rate, lower is
// better, scored 1 − rate), 咨询投诉建议按期办结率 (on-time rate) and 抽查回访满意率 (satisfaction rate
// of the callbacks made).
//
// 002 §9 sets no weights. Equal thirds cannot be written exactly in points, so the first indicator the
// article lists, the complaint rate, gets 34 points and the others 33. The article also singles out
// units with many overdue cases (逾期办件量较高), so ties are broken by overdue count (fewer first),
// then on-time rate, then shared. No minimum sample is set in the document: this preset uses 10.
func Hebi() Scheme {
	return Scheme{
		Name:    "hebi",
		Version: "002-2020",
		Label:   "鹤壁市政务服务咨询投诉建议考核",
		Source:  "002 §9",
		Items: []Item{
			{ID: "complaint", Label: "被投诉率", Weight: Int(34), Indicators: []IndicatorID{ComplaintRate}, Scoring: Scoring{Kind: ScoreInverse}, Source: "002 §9"},
			{ID: "on_time", Label: "按期办结率", Weight: Int(33), Indicators: []IndicatorID{OnTimeRate}, Scoring: Scoring{Kind: ScoreRate}, Source: "002 §9"},
			{ID: "satisfaction", Label: "抽查回访满意率", Weight: Int(33), Indicators: []IndicatorID{SatisfactionRate}, Scoring: Scoring{Kind: ScoreRate}, Source: "002 §9"},
		},
		SatisfiedRatings: defaultSatisfied(),
		Missing:          MissingReweight,
		MinSample:        10,
		TieBreak:         []IndicatorID{OverdueCount, OnTimeRate},
		Ties:             TieShared,
	}
}

// Beijing3Rates returns a scheme on Beijing's 接诉即办 "三率": 响应率 (response rate: cases first
// contacted within the limit, our first-contact rate), 解决率 (resolution rate) and 满意率 (satisfaction
// rate), version "beijing-3rates".
//
// None of the project's source documents sets these weights and we have no authoritative figure, so
// the three rates are weighted equally: 34 points for the first listed, 响应率, and 33 for the others. A
// district using Beijing's published weights sets them. Minimum sample 10; ties by resolution rate,
// then satisfaction rate, then shared.
func Beijing3Rates() Scheme {
	rate := Scoring{Kind: ScoreRate}
	return Scheme{
		Name:    "beijing-3rates",
		Version: "beijing-3rates",
		Label:   "接诉即办三率考核",
		Source:  "北京市接诉即办 三率 (响应率、解决率、满意率)",
		Items: []Item{
			{ID: "response", Label: "响应率", Weight: Int(34), Indicators: []IndicatorID{FirstContactRate}, Scoring: rate},
			{ID: "resolution", Label: "解决率", Weight: Int(33), Indicators: []IndicatorID{ResolutionRate}, Scoring: rate},
			{ID: "satisfaction", Label: "满意率", Weight: Int(33), Indicators: []IndicatorID{SatisfactionRate}, Scoring: rate},
		},
		SatisfiedRatings: defaultSatisfied(),
		Missing:          MissingReweight,
		MinSample:        10,
		TieBreak:         []IndicatorID{ResolutionRate, SatisfactionRate},
		Ties:             TieShared,
	}
}

// ShanghaiReviews returns the public 好差评 ranking of 001 (八) ("定期公开各区、各部门'好差评'综合排名
// 情况"), version "001-2019": units ranked on the reviews they received rather than on case handling.
//
// 001 names what is ranked — the reviews, and the rectification of bad ones ((六) "1、5、15", (九)
// 差评问题整改回访) — but sets no weights, so this preset chooses: 好差评满意率 (the share of counted
// reviews rated 非常满意, 满意 or 基本满意) 70 points, 差评整改率 (bad reviews rectified) 30 points; a
// unit without bad reviews is scored on its satisfaction alone (reweighted). Reviews ruled 不属实
// (000 §6 (二)) are excluded, those under appeal count. The sample is the number of counted reviews
// ([ReviewCount]); 001 sets no minimum and this preset ranks units with at least 30. Ties are broken
// by review satisfaction, then by fewer bad reviews, then shared.
func ShanghaiReviews() Scheme {
	rate := Scoring{Kind: ScoreRate}
	return Scheme{
		Name:    "shanghai-reviews",
		Version: "001-2019",
		Label:   "政务服务“好差评”综合排名",
		Source:  "001 (八)",
		Items: []Item{
			{ID: "review_satisfaction", Label: "好差评满意率", Weight: Int(70), Indicators: []IndicatorID{ReviewSatisfaction}, Scoring: rate, Source: "001 (二)(八)"},
			{ID: "rectification", Label: "差评整改率", Weight: Int(30), Indicators: []IndicatorID{RectificationRate}, Scoring: rate, Source: "001 (六)(九)"},
		},
		SatisfiedRatings: defaultSatisfied(),
		Missing:          MissingReweight,
		Sample:           ReviewCount,
		MinSample:        30,
		TieBreak:         []IndicatorID{ReviewSatisfaction, BadReviewCount},
		Ties:             TieShared,
	}
}

// Presets returns fresh copies of every preset scheme: [StreetHotline], [Hebi], [Beijing3Rates] and
// [ShanghaiReviews].
func Presets() []Scheme { return []Scheme{StreetHotline(), Hebi(), Beijing3Rates(), ShanghaiReviews()} }

// Preset returns a fresh copy of the preset scheme with the given name ("street-hotline", "hebi",
// "beijing-3rates", "shanghai-reviews"); another name is an error wrapping [ErrUnknownPreset].
func Preset(name string) (Scheme, error) {
	var names []string
	for _, s := range Presets() {
		if s.Name == name {
			return s, nil
		}
		names = append(names, s.Name)
	}
	return Scheme{}, fmt.Errorf("%w %q (presets: %s)", ErrUnknownPreset, clip(name), strings.Join(names, ", "))
}
