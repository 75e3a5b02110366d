package ticket

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/hotline12345/hotline/deadline"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every guard is a column of the table: each is used by a row, cites its article, and is drawn in the
// diagram.
func TestGuardsAreTableColumns(t *testing.T) {
	used := map[Guard]bool{}
	for _, r := range Lifecycle().Rows() {
		for _, g := range r.Guards {
			require.True(t, g.Valid(), "%s × %s: guard %q", r.From, r.Action, g)
			used[g] = true
		}
	}
	mmd := Lifecycle().Mermaid()
	for _, g := range Guards() {
		assert.True(t, used[g], "guard %s is used by a row", g)
		assert.NotEmpty(t, g.Source(), "guard %s cites its article", g)
		assert.Contains(t, mmd, "["+g.String(), "guard %s is drawn", g)
		assert.NotContains(t, g.Label(), "未知")
	}
	// Rows returns copies: changing one does not change the table.
	rows := Lifecycle().Rows()
	for i := range rows {
		if len(rows[i].Guards) > 0 {
			rows[i].Guards[0] = "tampered"
		}
	}
	for _, r := range Lifecycle().Rows() {
		assert.NotContains(t, r.Guards, Guard("tampered"))
	}
	raw, err := json.Marshal(GuardQualityCheck)
	require.NoError(t, err)
	assert.Equal(t, `"quality_check"`, string(raw))
}

// Each guard, with its article: the action it guards is refused when the guard fails and allowed when
// it holds, for the same row.
func TestGuards(t *testing.T) {
	street := lcMachine(t, deadline.StreetHotline())
	qcPol := deadline.StreetHotline()
	qcPol.Name, qcPol.QualityCheck = "street-hotline-qc", true
	qc := lcMachine(t, qcPol)
	shanghai, err := NewMachine(lcCal, deadline.StreetHotline(), Shanghai())
	require.NoError(t, err)
	sc := lcMachine(t, deadline.StateCouncilForwarded())

	accept := func(in Intake) lcStep { return lcStep{lcAccept(in), lcAt("2026-11-23 09:00")} }
	phone := accept(lcIntake(ChannelPhone))
	dispatch := lcStep{lcDispatch("居委会A", noMode, ComplexityGeneral), lcAt("2026-11-23 10:00")}
	contact := lcStep{lcFirstContact(), lcAt("2026-11-23 11:00")}
	reply := func(o ReplyOutcome) lcStep { return lcStep{lcReply(o), lcAt("2026-11-25 11:00")} }
	callback := func(ok bool) lcStep { return lcStep{lcCallback(ok), lcAt("2026-11-26 10:00")} }
	scIn := lcIntake(ChannelStateCouncil)
	scIn.Urgency = UrgencyGeneral
	replied := []lcStep{phone, dispatch, contact, reply(OutcomeResolved)}
	extension := []lcStep{phone, dispatch, contact, {lcExtension(10, ""), lcAt("2026-11-25 09:00")}}
	later := lcAt("2026-11-27 10:00")

	type attempt struct {
		m     *Machine
		steps []lcStep
		req   Request
		at    time.Time
		want  error // nil: allowed
	}
	for _, tc := range []struct {
		guard     Guard
		name      string
		refused   attempt
		allowed   attempt
		wantCause any
	}{
		{GuardQualityCheck, "002 §6 (一) 2: a quality check only where the policy has one",
			attempt{street, replied, lcReq(RoleHotlineOffice, ActionPassQualityCheck), later, ErrNotApplicable},
			attempt{qc, replied, lcReq(RoleHotlineOffice, ActionPassQualityCheck), later, nil}, nil},
		{GuardNoQualityCheck, "002 §6 (一) 2: where replies are checked, the callback waits for the check",
			attempt{qc, replied, lcCallback(true), later, ErrNotApplicable},
			attempt{street, replied, lcCallback(true), later, nil}, nil},
		{GuardNotStateCouncil, "000 §4 (一): a 国办 item is returned upstream, never archived",
			attempt{sc, []lcStep{accept(scIn)}, lcRefusal(ActionArchive), later, ErrNotApplicable},
			attempt{sc, []lcStep{phone}, lcRefusal(ActionArchive), later, nil}, nil},
		{GuardReview, "000 §6 (二): only a review is closed as unfounded",
			attempt{street, []lcStep{phone, dispatch, contact}, lcCloseUnfounded(), later, ErrWrongKind},
			attempt{street, []lcStep{accept(lcReviewIntake()), dispatch, contact}, lcCloseUnfounded(), later, nil}, new(*KindError)},
		{GuardOfficeFirstContact, "004 §8 (一): the office contacts first before dispatch only where first contact is its own",
			attempt{shanghai, []lcStep{phone}, lcReq(RoleHotlineOffice, ActionFirstContact), later, ErrNotApplicable},
			attempt{street, []lcStep{phone}, lcReq(RoleHotlineOffice, ActionFirstContact), lcAt("2026-11-23 12:00"), nil}, nil},
		{GuardOfficeFirstContact, "004 §8 (一): and only once",
			attempt{street, []lcStep{phone, {lcReq(RoleHotlineOffice, ActionFirstContact), lcAt("2026-11-23 12:00")}},
				lcReq(RoleHotlineOffice, ActionFirstContact), later, ErrNotApplicable},
			attempt{street, []lcStep{phone}, lcReq(RoleHotlineOffice, ActionFirstContact), later, nil}, nil},
		{GuardApproverStep, "004 §4 (三), §9: 街道热线办 approves as the hotline office, not as a leader",
			attempt{street, extension, lcApproval(ActionApproveExtension, RoleLeader, "街道热线办"), later, ErrForbiddenRole},
			attempt{street, extension, lcApproval(ActionApproveExtension, RoleHotlineOffice, "街道热线办"), later, nil}, nil},
		{GuardReopenable, "004 §11: only a dissatisfied or unresolved callback is reopened",
			attempt{street, append(slices.Clone(replied), callback(true)), lcReq(RoleHotlineOffice, ActionReopen), later, ErrNotApplicable},
			attempt{street, append(slices.Clone(replied), callback(false)), lcReq(RoleHotlineOffice, ActionReopen), later, nil}, nil},
		{GuardNotDissatisfied, "004 §11; 000 §4 (三): a dissatisfied citizen's ticket is not simply closed",
			attempt{street, append(slices.Clone(replied), callback(false)), lcReq(RoleHotlineOffice, ActionClose), later, ErrNotApplicable},
			attempt{street, append(slices.Clone(replied), callback(true)), lcReq(RoleHotlineOffice, ActionClose), later, nil}, nil},
		{GuardStorable, "004 §8 (三); 000 §4 (三): close as stored needs a stored outcome or repeated answers",
			attempt{street, replied, lcCloseStored("区热线办"), later, ErrNotApplicable},
			attempt{street, []lcStep{phone, dispatch, contact, reply(OutcomeSettled)}, lcCloseStored("区热线办"), later, nil}, nil},
		{GuardOverdue, "002 §6 (二) 1 (6): urging is for tickets past a deadline",
			attempt{street, []lcStep{phone, dispatch, contact}, lcReq(RoleSupervisor, ActionUrge), lcAt("2026-11-24 10:00"), ErrNotApplicable},
			attempt{street, []lcStep{phone, dispatch, contact}, lcReq(RoleSupervisor, ActionUrge), lcAt("2026-12-02 10:00"), nil}, nil},
	} {
		t.Run(string(tc.guard)+" "+tc.name, func(t *testing.T) {
			for _, a := range []attempt{tc.refused, tc.allowed} {
				tk := lcRun(t, a.m, a.steps...)
				row, ok := Lifecycle().Lookup(tk.State, a.req.Action)
				require.True(t, ok)
				require.Contains(t, row.Guards, tc.guard, "the row carries the guard")
				before, _ := json.Marshal(tk)
				_, err := a.m.Apply(tk, a.req, a.at)
				if a.want == nil {
					require.NoError(t, err)
					continue
				}
				require.ErrorIs(t, err, a.want)
				var te *TransitionError
				require.ErrorAs(t, err, &te)
				assert.Contains(t, te.Reason, tc.guard.Source()[:len("000 §")], "the refusal cites the article")
				if tc.wantCause != nil {
					require.ErrorAs(t, err, tc.wantCause)
				}
				after, _ := json.Marshal(tk)
				assert.JSONEq(t, string(before), string(after), "a refused action leaves the ticket unchanged")
			}
		})
	}
}

// A 好差评 item is a review: intake refuses one of another kind, so the channel and the kind cannot
// disagree about whether a ticket is a bad review (000 §6 (二), §7 (二)).
func TestBadReviewChannelIsAReview(t *testing.T) {
	m := lcMachine(t, deadline.ShanghaiOneNet())
	in := lcIntake(ChannelBadReview)
	in.Kind = KindComplaint
	_, err := m.Accept(in, "op", RoleHotlineOffice, lcMonday)
	require.ErrorIs(t, err, ErrInvalidPayload)
	_, err = m.Accept(lcReviewIntake(), "op", RoleHotlineOffice, lcMonday)
	require.NoError(t, err)
}

// 004 §4 (三), §9; 002 §6 (二) 1 (4): under every deadline preset, each step of every approval chain
// has one role, and only that role may act at it.
func TestApproverRoleEveryPreset(t *testing.T) {
	for _, p := range deadline.Presets() {
		for _, l := range p.Limits {
			for i, name := range l.Approvals {
				r := approverRole(name, i)
				require.True(t, r.Valid())
				switch {
				case name == "市政府领导":
					assert.Equal(t, RoleLeader, r, "%s %s", p.Name, name)
				case i == 0:
					assert.Equal(t, RoleHotlineOffice, r, "%s %s: the first step is the office of the ticket's level", p.Name, name)
				default:
					assert.Equal(t, RoleUpperOffice, r, "%s %s", p.Name, name)
				}
			}
		}
	}
	assert.Equal(t, RoleHotlineOffice, approverRole("", 0), "no chain: the hotline office approves")
}

// Notes flag a deadline that rests on dates beyond the published holiday schedule (the deadline
// package's provisional dates): "reply due … (provisional)"; one inside it is not flagged.
func TestNotesFlagProvisionalDates(t *testing.T) {
	m := lcMachine(t, deadline.StreetHotline())
	last := lcCal.PublishedYears()[len(lcCal.PublishedYears())-1]
	at := func(y int, mo time.Month, d, h int) time.Time {
		return time.Date(y, mo, d, h, 0, 0, 0, deadline.Location())
	}
	tk := lcRun(t, m, lcStep{lcAccept(lcIntake(ChannelPhone)), at(last, time.December, 28, 9)})
	ev, err := m.Apply(tk, lcDispatch("居委会A", noMode, ComplexityGeneral), at(last, time.December, 28, 10))
	require.NoError(t, err)
	require.True(t, tk.Deadlines.Reply.Due.Provisional, "the reply is due in %d, beyond the published %d", last+1, last)
	assert.Contains(t, ev.Notes[len(ev.Notes)-1], "(provisional)")
	assert.Contains(t, ev.Notes[len(ev.Notes)-1], fmtTime(tk.Deadlines.Reply.Due.At)+" (provisional)")

	tk2 := lcRun(t, m, lcStep{lcAccept(lcIntake(ChannelPhone)), lcAt("2026-11-23 09:00")})
	ev, err = m.Apply(tk2, lcDispatch("居委会A", noMode, ComplexityGeneral), lcAt("2026-11-23 10:00"))
	require.NoError(t, err)
	for _, n := range ev.Notes {
		assert.NotContains(t, n, "provisional")
	}
}
