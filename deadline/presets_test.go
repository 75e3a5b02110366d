package deadline

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every limit the documents set (000 §4–§8, 001 (六), 002 §6, 003 四 (四) and 六 (二), 004 §8–§11), each against the document and article it comes from.
func TestPresetRows(t *testing.T) {
	c := China()
	received := sh(2025, 3, 3, 9, 0) // Monday; no holiday until 清明 (2025-04-04)
	// Tuesday before National Day 2025 (off 10-01 … 10-08, make-up Saturday 10-11): working day 1 is
	// 10-09, then 10-10, 10-11, 10-13, 10-14 (5), 10-16 (7), 10-21 (10), 10-28 (15), 11-11 (25).
	holiday := sh(2025, 9, 30, 10, 0)
	tests := []struct {
		cite    string // document and article
		policy  Policy
		key     Key
		period  Period
		lastDay string // hand-worked from received
		holiday string // hand-worked from holiday, across National Day 2025
		check   func(t *testing.T, l Limit)
	}{
		// 先行联系 within 1 working day.
		{"000 §5", ShanghaiOneNet(), FirstContact, wd(1), "2025-03-04", "2025-10-09", nil},
		{"001 (六)", ShanghaiOneNet(), FirstContact, wd(1), "2025-03-04", "2025-10-09", nil},
		{"000 §5", StateCouncilForwarded(), FirstContact, wd(1), "2025-03-04", "2025-10-09", nil},
		{"002 §6 (一) 1", HebiProvincial(), FirstContact, wd(1), "2025-03-04", "2025-10-09", nil},
		{"004 §8 (一)", StreetHotline(), FirstContact, wd(1), "2025-03-04", "2025-10-09", nil},

		// 确实存在问题的，5 个工作日内完成整改和反馈.
		{"000 §5", ShanghaiOneNet(), ReplyGeneral, wd(5), "2025-03-10", "2025-10-14", nil},
		{"001 (六)", ShanghaiOneNet(), ReplyGeneral, wd(5), "2025-03-10", "2025-10-14", nil},
		{"000 §5", StateCouncilForwarded(), ReplyGeneral, wd(5), "2025-03-10", "2025-10-14", nil},
		{"002 §6 (一) 1", HebiProvincial(), ReplyGeneral, wd(5), "2025-03-10", "2025-10-14", nil},

		// 较为复杂的，15 个工作日内办结; 000 §5: 特别疑难的事项可申请延期.
		{"000 §5", ShanghaiOneNet(), ReplyComplex, wd(15), "2025-03-24", "2025-10-28", func(t *testing.T, l Limit) {
			assert.True(t, l.Extendable)
			assert.Zero(t, l.ExtendTo)
		}},
		{"002 §6 (一) 1", HebiProvincial(), ReplyComplex, wd(15), "2025-03-24", "2025-10-28", nil},

		// 004 §8 (二): 1 / 5 / 10.
		{"004 §8 (二)", StreetHotline(), ReplyQuick, wd(1), "2025-03-04", "2025-10-09", nil},
		{"004 §8 (二)", StreetHotline(), ReplyGeneral, wd(5), "2025-03-10", "2025-10-14", func(t *testing.T, l Limit) {
			// 004 §9 第一款: extension to at most 10, requested within the ExtensionGeneral window.
			assert.True(t, l.Extendable)
			assert.Equal(t, 10, l.ExtendTo)
			assert.Equal(t, ExtensionGeneral, l.ExtensionWindow)
		}},
		{"004 §8 (二)", StreetHotline(), ReplyComplex, wd(10), "2025-03-17", "2025-10-21", func(t *testing.T, l Limit) {
			assert.True(t, l.Extendable)
			assert.Equal(t, ExtensionComplex, l.ExtensionWindow)
		}},
		// 004 §9 第一款: apply within 3 working days of receipt, extended to at most 10.
		{"004 §9 第一款", StreetHotline(), ExtensionGeneral, wd(3), "2025-03-06", "2025-10-11", func(t *testing.T, l Limit) {
			assert.Equal(t, 10, l.ExtendTo)
			assert.Equal(t, []string{"街道热线办"}, l.Approvals)
		}},
		// 004 §9 第二款: apply within 5 working days with a written report; street → district → city.
		{"004 §9 第二款", StreetHotline(), ExtensionComplex, wd(5), "2025-03-10", "2025-10-14", func(t *testing.T, l Limit) {
			assert.True(t, l.WrittenReport)
			assert.Equal(t, []string{"街道热线办", "区热线办", "市热线办"}, l.Approvals)
		}},
		// 004 §11: 不满退回, redone within 3 working days.
		{"004 §11", StreetHotline(), Reopen, wd(3), "2025-03-06", "2025-10-11", nil},

		// 000 §5: 国办 "一般" category at most 25 working days.
		{"000 §5", StateCouncilForwarded(), ReplyCap, wd(25), "2025-04-08", "2025-11-11", nil},
		{"000 §5", StateCouncilForwarded(), ReplyComplex, wd(15), "2025-03-24", "2025-10-28", func(t *testing.T, l Limit) {
			assert.Equal(t, 25, l.ExtendTo)
		}},
		// 000 §4 (一): out of scope or missing elements → back to the State Council within 5 working days.
		{"000 §4 (一)", StateCouncilForwarded(), ReturnUpstream, wd(5), "2025-03-10", "2025-10-14", nil},

		// 000 §6 (二): unfounded review closed within 15 working days of receiving the ticket.
		{"000 §6 (二)", Appeals(), AppealClose, wd(15), "2025-03-24", "2025-10-28", nil},
		{"000 §6 (二)", ShanghaiOneNet(), AppealClose, wd(15), "2025-03-24", "2025-10-28", nil},
		// 000 §7 (二): upheld objection returned within 5 working days of receiving the ticket.
		{"000 §7 (二)", Appeals(), ObjectionReturn, wd(5), "2025-03-10", "2025-10-14", nil},
		{"000 §7 (二)", ShanghaiOneNet(), ObjectionReturn, wd(5), "2025-03-10", "2025-10-14", nil},

		// 002 §6 (二) 1: 即办 at once, 转办 10, 协办 15 extendable with the city leaders' approval.
		{"002 §6 (二) 1 (1)", Hebi12345(), ReplyQuick, sameDay, "2025-03-03", "2025-09-30", nil},
		{"002 §6 (二) 1 (3)", Hebi12345(), ReplyTransfer, wd(10), "2025-03-17", "2025-10-21", nil},
		{"002 §6 (二) 1 (4)", Hebi12345(), ReplyJoint, wd(15), "2025-03-24", "2025-10-28", func(t *testing.T, l Limit) {
			assert.True(t, l.Extendable)
			assert.Equal(t, []string{"市政府领导"}, l.Approvals)
		}},
		// 002 §6 (三) 2: service-hall complaints 5, suggestions told whether adopted in 5.
		{"002 §6 (三) 2 (1)", HebiServiceHall(), ServiceHallComplaint, wd(5), "2025-03-10", "2025-10-14", nil},
		{"002 §6 (三) 2 (2)", HebiServiceHall(), SuggestionFeedback, wd(5), "2025-03-10", "2025-10-14", nil},

		// 003 四 (四): same day / 3 / 7, special ≤ 10, refusal reply 3; 六 (二): cause analysis same day.
		{"003 四 (四) 1", CouldNotGetItDone(), ReplyQuick, sameDay, "2025-03-03", "2025-09-30", nil},
		{"003 四 (四) 2", CouldNotGetItDone(), ReplyGeneral, wd(3), "2025-03-06", "2025-10-11", func(t *testing.T, l Limit) {
			assert.Equal(t, 10, l.ExtendTo, "003 四 (四) 4: special cases at most 10")
		}},
		{"003 四 (四) 3", CouldNotGetItDone(), ReplyComplex, wd(7), "2025-03-12", "2025-10-16", func(t *testing.T, l Limit) {
			assert.Equal(t, 10, l.ExtendTo, "003 四 (四) 4: special cases at most 10")
		}},
		{"003 四 (四) 4", CouldNotGetItDone(), ReplySpecial, wd(10), "2025-03-17", "2025-10-21", nil},
		{"003 四 (四) 5", CouldNotGetItDone(), ReplyRefusal, wd(3), "2025-03-06", "2025-10-11", nil},
		{"003 六 (二)", CouldNotGetItDone(), CauseAnalysis, sameDay, "2025-03-03", "2025-09-30", nil},
	}
	for _, tt := range tests {
		t.Run(tt.cite+"/"+tt.policy.Name+"/"+string(tt.key), func(t *testing.T) {
			l, err := tt.policy.limit(tt.key)
			require.NoError(t, err)
			assert.Equal(t, tt.period, l.Period)
			assert.NotEmpty(t, l.Label)
			assert.Contains(t, l.Source, tt.cite, "the limit cites its document and article")
			d := c.Due(received, l.Period, tt.policy.Counting)
			assert.Equal(t, tt.lastDay, d.LastDay.Format(time.DateOnly), d.Explanation)
			d = c.Due(holiday, l.Period, tt.policy.Counting)
			assert.Equal(t, tt.holiday, d.LastDay.Format(time.DateOnly), d.Explanation)
			assert.False(t, d.Provisional)
			if tt.check != nil {
				tt.check(t, l)
			}
		})
	}
	// Every limit of every preset is checked above.
	covered := map[string]bool{}
	for _, tt := range tests {
		covered[tt.policy.Name+"/"+string(tt.key)] = true
	}
	for _, p := range Presets() {
		for _, l := range p.Limits {
			assert.True(t, covered[p.Name+"/"+string(l.Key)], "%s/%s has no row", p.Name, l.Key)
		}
	}
}

// 000 §8 (三): the assessment year runs from 1 November of the previous year to 31 October.
func TestPresetAssessmentYearRow(t *testing.T) {
	y := AssessmentYear()
	require.NoError(t, y.Validate())
	start, end := y.Bounds(2025)
	assert.True(t, sh(2024, 11, 1, 0, 0).Equal(start))
	assert.True(t, sh(2025, 11, 1, 0, 0).Equal(end))
	assert.Equal(t, "000 §8 (三)", y.Source)
}

func TestPresets(t *testing.T) {
	names := map[string]bool{}
	for _, p := range Presets() {
		require.NoError(t, p.Validate(), p.Name)
		assert.False(t, names[p.Name], "duplicate preset name %q", p.Name)
		names[p.Name] = true
		assert.NotEmpty(t, p.Label)
		assert.NotEmpty(t, p.Source)
		assert.Equal(t, wd(1), p.DueSoon)
		for _, l := range p.Limits {
			assert.NotEmpty(t, l.Source, "%s/%s cites no source", p.Name, l.Key)
			assert.NotEmpty(t, l.Label, "%s/%s has no label", p.Name, l.Key)
		}
		got, err := Preset(p.Name)
		require.NoError(t, err)
		assert.Equal(t, p, got)
	}
	assert.Len(t, names, 8)

	_, err := Preset("nowhere")
	assert.ErrorIs(t, err, ErrInvalidPolicy)
	assert.ErrorContains(t, err, `"nowhere"`)
	assert.ErrorContains(t, err, "street-hotline")
}

// Presets are fresh values: changing one changes no later call.
func TestPresetsAreFresh(t *testing.T) {
	p := StreetHotline()
	p.Limits[0].Days = 99
	l, _ := p.Limit(ExtensionComplex)
	l.Approvals[0] = "changed"
	q := StreetHotline()
	assert.Equal(t, 1, q.Limits[0].Days)
	l, _ = q.Limit(ExtensionComplex)
	assert.Equal(t, "街道热线办", l.Approvals[0])
}

// 002 §6 (一) 2: replies on the provincial platform pass a quality check.
func TestHebiProvincialQualityCheck(t *testing.T) {
	assert.True(t, HebiProvincial().QualityCheck)
	assert.False(t, StreetHotline().QualityCheck)
}
