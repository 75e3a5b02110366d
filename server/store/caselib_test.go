package store

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/server/knowledge"
	"github.com/hotline12345/hotline/ticket"
)

// windowCitizen is the citizen of the 办不成事 item of the case-library tests.
var windowCitizen = ticket.Person{Name: "李四光", Phone: "13912345678", IDNumber: testID, Address: "上海市宝山区宝钢五村12号楼301室"}

// closedWindowItem runs a 办不成事 item (003) from intake to close and returns its id.
func closedWindowItem(t testing.TB, s *Store, start time.Time) string {
	t.Helper()
	ctx := context.Background()
	in := ticket.Intake{
		Channel: ticket.ChannelWindowOffline, Kind: ticket.KindErrand, Title: "李四光办理居住证被拒",
		Content: "市民李四光（电话13912345678，身份证" + testID + "）住宝钢五村12号楼301室，在社区事务受理服务中心办理居住证，窗口称缺少租赁备案，办不成。",
		Citizen: windowCitizen, Place: ticket.Place{RegionCode: "310113003", Address: "友谊路"},
		Matter: ticket.Matter{Levels: []ticket.MatterLevel{{Code: "05"}, {Code: "0502"}}},
	}
	id := intakeAs(t, s, in, start)
	steps := []struct {
		p Principal
		r ticket.Request
	}{
		{office, dispatch("unit-a", "unit-b")},
		{unitA, ticket.Request{Action: ticket.ActionFirstContact}},
		{unitA, ticket.Request{Action: ticket.ActionReply, Payload: ticket.Payload{Reply: &ticket.Reply{
			Report:  "经与房管部门沟通，租赁备案可在受理中心与居住证一并办理，已为李四光（13912345678）办结。",
			Summary: "租赁备案与居住证一并办理，已办结。", Outcome: ticket.OutcomeResolved}}}},
		{office, ticket.Request{Action: ticket.ActionCallback, Payload: ticket.Payload{Callback: &ticket.Callback{Contacted: true, Resolved: true,
			Result: ticket.Satisfied, Efficiency: ticket.Satisfied, Attitude: ticket.Satisfied}}}},
		{office, ticket.Request{Action: ticket.ActionClose}},
	}
	for i, st := range steps {
		_, err := s.Apply(ctx, st.p, id, int64(i+1), st.r, start.Add(time.Duration(i+1)*time.Hour))
		require.NoError(t, err, st.r.Action)
	}
	return id
}

// leaksOf scans stored text (a case as JSON, audit fields) for anything of the citizen: the name, the
// phone and ID number, the address below the district, and any run of seven digits or more — after
// the ids and ticket numbers, which are no one's, are taken out.
func leaksOf(text string, who ticket.Person) []string {
	var out []string
	text = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|HL-[0-9]{8}-[0-9]{6}-[0-9A-Z]`).ReplaceAllString(text, "")
	digits := regexp.MustCompile(`[0-9０-９]{7,}`)
	if digits.MatchString(text) {
		out = append(out, "a long number")
	}
	for _, s := range []string{who.Name, who.Phone, who.IDNumber, who.Phone[3:7], "宝钢五村", "12号楼", "301室"} {
		if strings.Contains(text, s) {
			out = append(out, s)
		}
	}
	return out
}

// 003 五 (四), 六 (二), 七 (二): a closed 办不成事 item is drafted as a case, its cause written, reviewed by
// someone else and published — and nothing of the citizen is in it.
func TestCaseLibrary(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		id := closedWindowItem(t, s, at("2026-11-23 09:00"))

		open := handledBy(t, s, "unit-a", at("2026-11-23 09:30"))
		_, err := s.DraftCase(ctx, office, open, at("2026-11-24 09:00"))
		assert.ErrorIs(t, err, knowledge.ErrIneligible, "an open ordinary ticket is no case")
		_, err = s.DraftCase(ctx, office2, id, at("2026-11-24 09:00"))
		assert.ErrorIs(t, err, ErrNotFound, "another district's office does not see the ticket")
		_, err = s.DraftCase(ctx, superv, id, at("2026-11-24 09:00"))
		assert.ErrorIs(t, err, ErrForbidden)

		c, err := s.DraftCase(ctx, unitA, id, at("2026-11-24 09:00"))
		require.NoError(t, err)
		assert.Equal(t, knowledge.CaseDraft, c.State)
		assert.Equal(t, []string{"unit-a", "unit-b"}, c.Units)
		assert.Empty(t, leaksOf(c.Title+c.Problem+c.Solution, windowCitizen))
		_, err = s.DraftCase(ctx, office, id, at("2026-11-24 09:00"))
		assert.ErrorIs(t, err, ErrDuplicate)

		// Drafts are read by the office, supervisors and the drafting unit only.
		_, err = s.GetLibraryCase(ctx, unitB, c.ID)
		assert.ErrorIs(t, err, ErrNotFound)
		_, err = s.GetLibraryCase(ctx, superv, c.ID)
		require.NoError(t, err)

		// The author writes the cause found (003 六 (二)), repeating the citizen: it is masked.
		text := c.CaseText
		text.Cause = "李四光的租赁合同未备案（联系电话13912345678），受理中心与房管部门信息不共享，窗口无法核验。"
		c, err = s.ActOnCase(ctx, unitA, c.ID, 1, knowledge.CaseEdit, text, at("2026-11-24 10:00"))
		require.NoError(t, err)
		assert.Empty(t, leaksOf(c.Cause, windowCitizen), c.Cause)
		assert.Contains(t, c.Cause, "信息不共享")

		_, err = s.ActOnCase(ctx, office, c.ID, 2, knowledge.CasePublish, knowledge.CaseText{}, at("2026-11-24 11:00"))
		assert.ErrorIs(t, err, knowledge.ErrIllegalTransition, "only a reviewed case is published")
		_, err = s.ActOnCase(ctx, unitA, c.ID, 2, knowledge.CaseReview, knowledge.CaseText{}, at("2026-11-24 11:00"))
		assert.ErrorIs(t, err, ErrForbidden)
		c, err = s.ActOnCase(ctx, superv, c.ID, 2, knowledge.CaseReview, knowledge.CaseText{}, at("2026-11-24 11:00"))
		require.NoError(t, err)
		assert.Equal(t, "inspector", c.ReviewedBy)
		_, err = s.ActOnCase(ctx, office, c.ID, 2, knowledge.CasePublish, knowledge.CaseText{}, at("2026-11-24 12:00"))
		var ve *VersionError
		require.ErrorAs(t, err, &ve)
		c, err = s.ActOnCase(ctx, office, c.ID, 3, knowledge.CasePublish, knowledge.CaseText{}, at("2026-11-24 12:00"))
		require.NoError(t, err)
		assert.Equal(t, knowledge.CasePublished, c.State)

		// Published: everyone reads it, the library finds it, and a scan finds nothing of the citizen.
		got, err := s.GetLibraryCase(ctx, unitB, c.ID)
		require.NoError(t, err)
		js, err := json.Marshal(got)
		require.NoError(t, err)
		assert.Empty(t, leaksOf(string(js), windowCitizen), string(js))
		hits, err := s.SearchCases(ctx, unitB, knowledge.Query{Text: "居住证缺少租赁备案", Place: "310113001"}, at("2026-11-25 09:00"))
		require.NoError(t, err)
		require.Len(t, hits, 1)
		assert.Equal(t, c.ID, hits[0].Case.ID)
		list, err := s.ListLibraryCases(ctx, unitB, "", 0)
		require.NoError(t, err)
		require.Len(t, list, 1)
		drafts, err := s.ListLibraryCases(ctx, unitB, knowledge.CaseDraft, 0)
		require.NoError(t, err)
		assert.Empty(t, drafts)

		// Every stored row and the audit chain are free of the citizen too.
		var bodies []string
		require.NoError(t, s.db.NewSelect().Table("library_case_events").Column("body").Scan(ctx, &bodies))
		var fields []string
		require.NoError(t, s.db.NewSelect().Table("audit_log").Column("fields").Where("action LIKE 'case_library.%'").Scan(ctx, &fields))
		for _, b := range append(bodies, fields...) {
			assert.Empty(t, leaksOf(b, windowCitizen), b)
		}

		c, err = s.ActOnCase(ctx, office, c.ID, 4, knowledge.CaseWithdraw, knowledge.CaseText{}, at("2026-11-26 09:00"))
		require.NoError(t, err)
		hits, err = s.SearchCases(ctx, unitB, knowledge.Query{Text: "居住证缺少租赁备案"}, at("2026-11-27 09:00"))
		require.NoError(t, err)
		assert.Empty(t, hits, "a withdrawn case leaves the index")
		_, err = s.GetLibraryCase(ctx, unitB, c.ID)
		assert.ErrorIs(t, err, ErrNotFound)
		require.NoError(t, s.VerifyAudit(ctx, auditor))
	})
}
