package assess

import (
	"fmt"

	"github.com/hotline12345/hotline/internal/enum"
)

// Rate is a ratio kept with its numerator and denominator, so that every published rate shows what
// it was computed from. A Rate with Den == 0 is undefined ("no data"), which is not the same as 0%.
type Rate struct {
	Num int64 `json:"num"`
	Den int64 `json:"den"`
}

// check reports whether r is a proper fraction, 0 ≤ Num ≤ Den: a rate with a denominator never
// exceeds 100%, and "no data" (Den = 0) has no numerator. where names the rate in the error, which
// wraps [ErrInvalidInput]: the only way to break the rule is input that contradicts itself.
func (r Rate) check(where string) error {
	if r.Num < 0 || r.Den < 0 || r.Num > r.Den {
		return fieldErr(ErrInvalidInput, where, "rate", fmt.Sprintf("%d/%d", r.Num, r.Den), "is not a fraction 0 ≤ num ≤ den")
	}
	return nil
}

// Defined reports whether r has a non-zero denominator.
func (r Rate) Defined() bool { return r.Den != 0 }

// Value returns Num/Den rounded half away from zero to six decimals, or 0 when undefined.
func (r Rate) Value() Fixed { return RatioOf(r.Num, r.Den) }

// String formats r as a percentage with its numerator and denominator, "33.33% (1/3)", or
// "n/a (0/0)" when undefined.
func (r Rate) String() string {
	if !r.Defined() {
		return fmt.Sprintf("n/a (%d/%d)", r.Num, r.Den)
	}
	return fmt.Sprintf("%s (%d/%d)", r.Value().Percent(), r.Num, r.Den)
}

// IndicatorID names an indicator a [Scheme] can weight or break ties on.
type IndicatorID string

// The indicators. Each one's formula is in the doc comment of the matching field of [Indicators].
const (
	FirstContactRate   IndicatorID = "first_contact_rate"       // 先行联系率
	OnTimeRate         IndicatorID = "on_time_rate"             // 按期办结率
	ResolutionRate     IndicatorID = "resolution_rate"          // 实际解决率
	SatisfactionRate   IndicatorID = "satisfaction_rate"        // 满意率 (callbacks)
	CallbackCoverage   IndicatorID = "callback_coverage"        // 回访率
	ContactedRate      IndicatorID = "contacted_rate"           // 回访联系情况
	AttitudeRate       IndicatorID = "attitude_rate"            // 服务态度满意率 (callbacks)
	ReportRate         IndicatorID = "report_rate"              // 办结报告合格率
	ComplaintRate      IndicatorID = "complaint_rate"           // 被投诉率 (lower is better)
	RectificationRate  IndicatorID = "rectification_rate"       // 差评整改率
	ReviewSatisfaction IndicatorID = "review_satisfaction_rate" // 好差评满意率
	OverdueCount       IndicatorID = "overdue_count"            // 逾期办件量 (lower is better)
	ReturnCount        IndicatorID = "returns"                  // 退单数 (lower is better)
	RepeatCount        IndicatorID = "repeats"                  // 重复投诉数 (lower is better)
	ReopenCount        IndicatorID = "reopens"                  // 不满退回数 (lower is better)
	SupervisionCount   IndicatorID = "supervisions"             // 督办次数 (lower is better)
	BadReviewCount     IndicatorID = "bad_reviews"              // 差评数 (lower is better)
	ReceivedCount      IndicatorID = "received"                 // 受理量 (higher is "better" only for tie-breaks)

	ReviewCount IndicatorID = "reviews" // 评价数 (higher is "better" only for tie-breaks; the sample of a review ranking)
)

type indicatorInfo struct {
	label       string
	rate        bool // a Rate; otherwise a count
	lowerBetter bool
}

var indicatorTable = map[IndicatorID]indicatorInfo{
	FirstContactRate:   {"先行联系率", true, false},
	OnTimeRate:         {"按期办结率", true, false},
	ResolutionRate:     {"实际解决率", true, false},
	SatisfactionRate:   {"满意率", true, false},
	CallbackCoverage:   {"回访率", true, false},
	ContactedRate:      {"联系率", true, false},
	AttitudeRate:       {"服务态度满意率", true, false},
	ReportRate:         {"办结报告合格率", true, false},
	ComplaintRate:      {"被投诉率", true, true},
	RectificationRate:  {"差评整改率", true, false},
	ReviewSatisfaction: {"好差评满意率", true, false},
	OverdueCount:       {"逾期办件量", false, true},
	ReturnCount:        {"退单数", false, true},
	RepeatCount:        {"重复投诉数", false, true},
	ReopenCount:        {"不满退回数", false, true},
	SupervisionCount:   {"督办次数", false, true},
	BadReviewCount:     {"差评数", false, true},
	ReceivedCount:      {"受理量", false, false},
	ReviewCount:        {"评价数", false, false},
}

// indicatorOrder is the display order of the indicators.
var indicatorOrder = []IndicatorID{FirstContactRate, OnTimeRate, ResolutionRate, SatisfactionRate,
	CallbackCoverage, ContactedRate, AttitudeRate, ReportRate, ComplaintRate, RectificationRate,
	ReviewSatisfaction, OverdueCount, ReturnCount, RepeatCount, ReopenCount, SupervisionCount,
	BadReviewCount, ReceivedCount, ReviewCount}

var indicatorSet = func() enum.Set[IndicatorID] {
	vs := make([]enum.Value[IndicatorID], len(indicatorOrder))
	for i, id := range indicatorOrder {
		vs[i] = enum.Value[IndicatorID]{V: id, Label: indicatorTable[id].label}
	}
	return enum.New("assess.IndicatorID", ErrInvalidEnum, vs...)
}()

// IndicatorIDs returns every indicator in display order.
func IndicatorIDs() []IndicatorID { return indicatorSet.All() }

// ParseIndicatorID returns the indicator whose wire value or Chinese label is s.
func ParseIndicatorID(s string) (IndicatorID, error) { return indicatorSet.Parse(s) }

// Valid reports whether id names an indicator.
func (id IndicatorID) Valid() bool { _, ok := indicatorTable[id]; return ok }

// String returns the wire value.
func (id IndicatorID) String() string { return string(id) }

// Label returns the Chinese name of the indicator ("未知(x)" if unknown).
func (id IndicatorID) Label() string { return indicatorSet.Label(id) }

// UnmarshalText accepts the wire value or the Chinese label.
func (id *IndicatorID) UnmarshalText(b []byte) error {
	v, err := indicatorSet.Unmarshal(b)
	if err == nil {
		*id = v
	}
	return err
}

// IsRate reports whether the indicator is a [Rate] (otherwise it is a count).
func (id IndicatorID) IsRate() bool { return indicatorTable[id].rate }

// LowerIsBetter reports whether a smaller value of the indicator is the better one (complaint rate,
// overdue count, returns, repeats, reopens, supervisions, bad reviews).
func (id IndicatorID) LowerIsBetter() bool { return indicatorTable[id].lowerBetter }

// Indicators are one unit's indicators over one period, computed by [Score] (or [Compute]).
//
// Which records enter which figure. Let [Start, End) be the period and AsOf the instant the figures are
// computed at; the horizon H is the earlier of End and AsOf (a month computed mid-month is computed up
// to AsOf). Facts dated after AsOf are unknown and ignored. Four cohorts of a unit's cases are used:
//
//   - received: ReceivedAt in [Start, H);
//   - first-contact due: FirstContactDue non-zero and the instant just before it in [Start, H);
//   - replied: RepliedAt non-zero and in [Start, H);
//   - open overdue: ReceivedAt before H, not replied before H, ReplyDue non-zero and not after H — however
//     long ago it fell due, so an overdue ticket left open counts against every period until it is
//     replied: 002 §9 按期办结率 and 逾期办件量 judge whether cases were done on time, and a case left
//     open past its due time is not (a rate over replied cases only would reward leaving late cases open).
//
// Due times are exclusive ends, as the At of a deadline.Deadline gives them: "within N working days" ends at
// 24:00 of the last day, which is midnight of the next day, so a step done strictly before the due
// time is in time and a step at or after it is late — the same rule as deadline.Deadline.InTime and
// the ticket package. A due of 2026-11-01 00:00 is therefore an October duty.
//
// Callback answers belong to the replied cohort: a reply in the period is judged by the callback made
// on it, even one made after End (but not after AsOf). Reviews enter by At in [Start, H). Unfounded
// reviews (不属实评价, 000 §6 (二)) are excluded everywhere; reviews with a pending appeal count.
type Indicators struct {
	Unit string `json:"unit"`

	// Received is the number of cases in the received cohort: the unit's sample size.
	Received int64 `json:"received"`
	// FirstContact (先行联系率, 004 §8 / 001 (六) "1": contact within 1 working day) =
	// cases of the first-contact due cohort with FirstContactAt non-zero and before FirstContactDue
	// ÷ cases of the first-contact due cohort.
	FirstContact Rate `json:"first_contact"`
	// OnTime (按期办结率, 002 §9) = replied-cohort cases with ReplyDue non-zero and RepliedAt before ReplyDue
	// ÷ (replied-cohort cases with ReplyDue non-zero + open overdue cases).
	// Cases without a ReplyDue have no deadline to meet and are left out.
	OnTime Rate `json:"on_time"`
	// Overdue (逾期办件量, 002 §9) = replied-cohort cases with RepliedAt at or after ReplyDue + open overdue cases;
	// that is OnTime.Den − OnTime.Num.
	Overdue int64 `json:"overdue"`
	// Resolution (实际解决率, 004 §11 (二), §15 (一) 1) = replied-cohort cases whose callback (known by
	// AsOf) answered Resolved = yes ÷ those answering yes or no. Unfounded cases are left out.
	Resolution Rate `json:"resolution"`
	// Satisfaction (满意率 / 市民满意率, 004 §11 (三), §15 (一) 1; 抽查回访满意率, 002 §9) = replied-cohort
	// cases whose callback (known by AsOf) gave a Satisfaction rating in the scheme's satisfied ratings ÷
	// those giving any rating. Unfounded cases are left out.
	Satisfaction Rate `json:"satisfaction"`
	// CallbackCoverage (回访率; 000 §4 (四) and 004 §11 require 100%) = replied-cohort cases with
	// CallbackAt non-zero and ≤ AsOf ÷ replied-cohort cases.
	CallbackCoverage Rate `json:"callback_coverage"`
	// Contacted (联系情况, 004 §11 (一)) = replied-cohort callbacks answering Contacted = yes ÷ those
	// answering yes or no.
	Contacted Rate `json:"contacted"`
	// Attitude (服务态度, 004 §11 (三), §15 (一) 1 "先行联系与态度") = replied-cohort callbacks answering
	// Attitude = yes ÷ those answering yes or no. Unfounded cases are left out.
	Attitude Rate `json:"attitude"`
	// Report (办结报告, 004 §15 (一) 1 "办理时效与办结报告") = replied-cohort cases with ReportAccepted =
	// yes ÷ those with yes or no.
	Report Rate `json:"report"`
	// Complaints is the number of received-cohort cases that are complaints against the unit
	// (Complaint set, not Unfounded).
	Complaints int64 `json:"complaints"`
	// Complaint (被投诉率, 002 §9) = Complaints ÷ the unit's service volume ([Volume]) when one is given,
	// otherwise ÷ Received. 002 gives no formula; this is the usual reading "complaints per service".
	Complaint Rate `json:"complaint"`
	// Returns, Repeats, Reopens and Supervisions sum the matching counts of the received cohort
	// (退单; 重复投诉, 004 §12 (二) 2; 不满退回, 004 §11; 督办次数, 003 承办单).
	Returns      int64 `json:"returns"`
	Repeats      int64 `json:"repeats"`
	Reopens      int64 `json:"reopens"`
	Supervisions int64 `json:"supervisions"`

	// Ratings is the five-rating distribution of the unit's counted reviews: Ratings[0] is 非常满意 …
	// Ratings[4] is 非常不满意 (index [Rating.Rank] − 1). Reviews is their sum.
	Ratings [5]int64 `json:"ratings"`
	Reviews int64    `json:"reviews"`
	// BadReviews = Ratings[3] + Ratings[4] (差评: 不满意 and 非常不满意).
	BadReviews int64 `json:"bad_reviews"`
	// Rectification (差评整改率, 001 (六)(九)) = counted bad reviews with Rectified ÷ counted bad reviews.
	Rectification Rate `json:"rectification"`
	// ReviewSatisfaction (好差评满意率, 001 (八)) = counted reviews whose Rating is a satisfied rating of
	// the scheme ÷ counted reviews.
	ReviewSatisfaction Rate `json:"review_satisfaction"`
	// DimensionSatisfaction[i] is the same ratio for dimension [Dimensions]()[i] (001 (二)), over the
	// counted reviews that rate that dimension.
	DimensionSatisfaction [6]Rate `json:"dimension_satisfaction"`
}

// Value returns the value of indicator id and whether it is defined. Counts are returned as whole
// numbers ([Int]) and are always defined; a rate with a zero denominator is undefined.
func (x *Indicators) Value(id IndicatorID) (v Fixed, defined bool) {
	rate := func(r Rate) (Fixed, bool) { return r.Value(), r.Defined() }
	switch id {
	case FirstContactRate:
		return rate(x.FirstContact)
	case OnTimeRate:
		return rate(x.OnTime)
	case ResolutionRate:
		return rate(x.Resolution)
	case SatisfactionRate:
		return rate(x.Satisfaction)
	case CallbackCoverage:
		return rate(x.CallbackCoverage)
	case ContactedRate:
		return rate(x.Contacted)
	case AttitudeRate:
		return rate(x.Attitude)
	case ReportRate:
		return rate(x.Report)
	case ComplaintRate:
		return rate(x.Complaint)
	case RectificationRate:
		return rate(x.Rectification)
	case ReviewSatisfaction:
		return rate(x.ReviewSatisfaction)
	case OverdueCount:
		return Int(x.Overdue), true
	case ReturnCount:
		return Int(x.Returns), true
	case RepeatCount:
		return Int(x.Repeats), true
	case ReopenCount:
		return Int(x.Reopens), true
	case SupervisionCount:
		return Int(x.Supervisions), true
	case BadReviewCount:
		return Int(x.BadReviews), true
	case ReceivedCount:
		return Int(x.Received), true
	case ReviewCount:
		return Int(x.Reviews), true
	}
	return 0, false
}
