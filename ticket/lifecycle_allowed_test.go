package ticket

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/hotline12345/hotline/deadline"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Allowed agrees with Apply on every reachable state, role, action and payload variant: an action
// Apply takes is allowed, and one Apply refuses for the table (no row, a role outside the row or
// outside the approval step, another kind) is not.
func TestAllowedAgreesWithApply(t *testing.T) {
	samples := lcExplore(t, lcMachines(t), 1)
	checked, took := 0, 0
	for _, s := range States() {
		for _, smp := range samples[s][:min(len(samples[s]), 8)] {
			last := lcMonday
			if n := len(smp.tk.History); n > 0 {
				last = smp.tk.History[n-1].At
			}
			for _, at := range []time.Time{last.Add(time.Minute), last.AddDate(0, 0, 60)} {
				for _, role := range Roles() {
					allowed, err := smp.m.Allowed(smp.tk, role, at)
					require.NoError(t, err)
					for _, a := range Actions() {
						for _, r := range lcVariants(smp.tk, a, role) {
							cp := *smp.tk
							cp.History = slices.Clip(cp.History)
							_, err := smp.m.Apply(&cp, r, at)
							name := fmt.Sprintf("%s × %s by %s at +%s", s, a, role, at.Sub(last))
							checked++
							switch {
							case err == nil:
								took++
								assert.Contains(t, allowed, a, "%s: Apply took it, Allowed left it out", name)
							case errors.Is(err, ErrIllegalTransition), errors.Is(err, ErrForbiddenRole), errors.Is(err, ErrWrongKind):
								assert.NotContains(t, allowed, a, "%s: Apply refused it (%v), Allowed lists it", name, err)
							}
						}
					}
				}
			}
		}
	}
	t.Logf("%d requests checked, %d taken", checked, took)
	assert.Positive(t, took)
}

// TestAllowedByRule: what each role may do now, rule by rule, each from its article.
func TestAllowedByRule(t *testing.T) {
	street := lcMachine(t, deadline.StreetHotline())
	qc := deadline.StreetHotline()
	qc.Name, qc.QualityCheck = "street-hotline-qc", true
	checked := lcMachine(t, qc)

	received := lcRun(t, street, lcStep{lcAccept(lcIntake(ChannelPhone)), lcMonday})
	stateCouncil := func() *Ticket {
		in := lcIntake(ChannelStateCouncil)
		in.Urgency = UrgencyGeneral
		return lcRun(t, street, lcStep{lcAccept(in), lcMonday})
	}()
	dispatched := lcRun(t, street, lcStep{lcAccept(lcIntake(ChannelPhone)), lcMonday},
		lcStep{lcDispatch("居委会A", noMode, ComplexityGeneral), lcHours(1)})
	handling := lcRun(t, street, lcStep{lcAccept(lcIntake(ChannelPhone)), lcMonday},
		lcStep{lcDispatch("居委会A", noMode, ComplexityGeneral), lcHours(1)},
		lcStep{lcReq(RoleHandlingUnit, ActionFirstContact), lcHours(2)})
	extension := lcRun(t, street, lcStep{lcAccept(lcIntake(ChannelPhone)), lcMonday},
		lcStep{lcDispatch("居委会A", noMode, ComplexityGeneral), lcHours(1)},
		lcStep{lcReq(RoleHandlingUnit, ActionFirstContact), lcHours(2)},
		lcStep{lcExtension(10, ""), lcHours(3)})
	replied := func(m *Machine) *Ticket {
		return lcRun(t, m, lcStep{lcAccept(lcIntake(ChannelPhone)), lcMonday},
			lcStep{lcDispatch("居委会A", noMode, ComplexityGeneral), lcHours(1)},
			lcStep{lcReq(RoleHandlingUnit, ActionFirstContact), lcHours(2)},
			lcStep{lcReply(OutcomeResolved), lcHours(3)})
	}
	calledBack := func(satisfied bool) *Ticket {
		tk := replied(street)
		_, err := street.Apply(tk, lcCallback(satisfied), lcHours(4))
		require.NoError(t, err)
		return tk
	}
	tests := []struct {
		name    string
		m       *Machine
		tk      *Ticket
		role    Role
		at      time.Time
		has     []Action
		hasNot  []Action
		article string
	}{
		{"a new ticket is accepted by the office or the system", street, &Ticket{}, RoleHotlineOffice, lcMonday,
			[]Action{ActionAccept}, []Action{ActionDispatch}, "004 §6"},
		{"a unit may not accept", street, &Ticket{}, RoleHandlingUnit, lcMonday, nil, []Action{ActionAccept}, "004 §6"},
		{"the street office contacts first before dispatch", street, received, RoleHotlineOffice, lcHours(1),
			[]Action{ActionRefuse, ActionArchive, ActionReturnUpstream, ActionAnswer, ActionDispatch, ActionFirstContact, ActionSupervise, ActionMarkRepeat},
			[]Action{ActionUrge, ActionDesignate}, "004 §8 (一)"},
		{"urging waits for an overdue clock", street, received, RoleHotlineOffice, lcMonday.AddDate(0, 0, 10),
			[]Action{ActionUrge}, nil, "002 §6 (二) 1 (6)"},
		{"a 国办 item is not archived", street, stateCouncil, RoleHotlineOffice, lcHours(1),
			[]Action{ActionReturnUpstream}, []Action{ActionArchive}, "000 §4 (一)"},
		{"a leader designates", street, received, RoleLeader, lcHours(1), []Action{ActionDesignate, ActionSupervise},
			[]Action{ActionDispatch}, "004 §6"},
		{"the dispatched unit contacts first or returns", street, dispatched, RoleHandlingUnit, lcHours(2),
			[]Action{ActionFirstContact, ActionReturn}, []Action{ActionReply, ActionSupervise}, "000 §5; 000 §7 (二)"},
		{"the handling unit replies or asks for more time", street, handling, RoleHandlingUnit, lcHours(3),
			[]Action{ActionReply, ActionRequestExtension, ActionReturn}, []Action{ActionApproveExtension}, "004 §9"},
		{"the street office decides the extension's first step", street, extension, RoleHotlineOffice, lcHours(4),
			[]Action{ActionApproveExtension, ActionRefuseExtension}, nil, "004 §9"},
		{"the upper office is not the first step", street, extension, RoleUpperOffice, lcHours(4),
			nil, []Action{ActionApproveExtension, ActionRefuseExtension, ActionEscalateExtension}, "004 §4 (三); 004 §9"},
		{"without a quality check the callback follows the reply", street, replied(street), RoleHotlineOffice, lcHours(4),
			[]Action{ActionCallback}, []Action{ActionPassQualityCheck, ActionFailQualityCheck}, "002 §6 (一) 2"},
		{"with a quality check it comes first", checked, replied(checked), RoleHotlineOffice, lcHours(4),
			[]Action{ActionPassQualityCheck, ActionFailQualityCheck}, []Action{ActionCallback}, "002 §6 (一) 2"},
		{"a satisfied callback is closed, not reopened", street, calledBack(true), RoleHotlineOffice, lcHours(5),
			[]Action{ActionClose}, []Action{ActionReopen}, "004 §11"},
		{"a dissatisfied callback is reopened, not closed", street, calledBack(false), RoleHotlineOffice, lcHours(5),
			[]Action{ActionReopen}, []Action{ActionClose}, "004 §11"},
		{"a supervisor supervises and urges an open ticket", street, handling, RoleSupervisor, lcMonday.AddDate(0, 0, 20),
			[]Action{ActionSupervise, ActionUrge}, []Action{ActionReply}, "004 §12; 002 §6 (二) 1 (6)"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" ("+tt.article+")", func(t *testing.T) {
			got, err := tt.m.Allowed(tt.tk, tt.role, tt.at)
			require.NoError(t, err)
			for _, a := range tt.has {
				assert.Contains(t, got, a)
			}
			for _, a := range tt.hasNot {
				assert.NotContains(t, got, a)
			}
		})
	}
	t.Run("in the table's order", func(t *testing.T) {
		got, err := street.Allowed(received, RoleHotlineOffice, lcHours(1))
		require.NoError(t, err)
		order := Lifecycle().Allowed(StateReceived)
		assert.True(t, slices.IsSortedFunc(got, func(a, b Action) int {
			return slices.Index(order, a) - slices.Index(order, b)
		}), "%v", got)
	})
	t.Run("an unknown role may take nothing", func(t *testing.T) {
		got, err := street.Allowed(received, "citizen", lcHours(1))
		require.NoError(t, err)
		assert.Empty(t, got)
	})
}

func TestAllowedAndClocksRefuseBadInput(t *testing.T) {
	street := lcMachine(t, deadline.StreetHotline())
	tk := lcRun(t, street, lcStep{lcAccept(lcIntake(ChannelPhone)), lcMonday})
	other := lcMachine(t, deadline.ShanghaiOneNet())
	bad := tk.Clone()
	bad.State = StateClosed
	tests := []struct {
		name string
		m    *Machine
		tk   *Ticket
		want error
	}{
		{"nil machine", nil, tk, ErrNotBuilt},
		{"zero machine", &Machine{}, tk, ErrNotBuilt},
		{"nil ticket", street, nil, ErrInvalidTicket},
		{"state and history disagree", street, bad, ErrInvalidTicket},
		{"another deadline policy", other, tk, ErrPolicyMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.m.Allowed(tt.tk, RoleHotlineOffice, lcHours(1))
			assert.ErrorIs(t, err, tt.want)
			_, err = tt.m.Clocks(tt.tk, lcHours(1))
			assert.ErrorIs(t, err, tt.want)
		})
	}
}

// TestClocks: each set clock with its name, due instant, due-soon instant, state and remaining working
// days — 004 §8 (一) first contact within 1 working day of intake, 004 §8 (二) the reply within 5.
func TestClocks(t *testing.T) {
	street := lcMachine(t, deadline.StreetHotline())
	tk := lcRun(t, street, lcStep{lcAccept(lcIntake(ChannelPhone)), lcMonday},
		lcStep{lcDispatch("居委会A", noMode, ComplexityGeneral), lcHours(1)})

	cs, err := street.Clocks(tk, lcHours(2))
	require.NoError(t, err)
	require.Len(t, cs, 2)
	fc, reply := cs[0], cs[1]
	assert.Equal(t, "first_contact", fc.Stage)
	assert.Equal(t, deadline.FirstContact, fc.Key)
	assert.True(t, fc.Running)
	assert.Equal(t, lcAt("2026-11-25 00:00"), fc.Due.At, "1 working day after Monday: through Tuesday")
	assert.Equal(t, deadline.Pending, fc.State)
	assert.Equal(t, 1, fc.Remaining)
	assert.Equal(t, "reply", reply.Stage)
	assert.Equal(t, deadline.ReplyGeneral, reply.Key)
	assert.Equal(t, lcAt("2026-12-01 00:00"), reply.Due.At, "5 working days after Monday: through next Monday")
	assert.Equal(t, tk.Deadlines.Reply.Label, reply.Label)

	// Wednesday: first contact is overdue, the reply has three working days left.
	cs, err = street.Clocks(tk, lcAt("2026-11-25 10:00"))
	require.NoError(t, err)
	assert.Equal(t, deadline.Overdue, cs[0].State)
	assert.Negative(t, cs[0].Remaining)
	assert.Equal(t, 3, cs[1].Remaining)

	// Met late: done, not running, late.
	_, err = street.Apply(tk, lcReq(RoleHandlingUnit, ActionFirstContact), lcAt("2026-11-25 10:00"))
	require.NoError(t, err)
	cs, err = street.Clocks(tk, lcAt("2026-11-26 10:00"))
	require.NoError(t, err)
	assert.False(t, cs[0].Running)
	assert.True(t, cs[0].Late)
	assert.Equal(t, deadline.DoneLate, cs[0].State)

	// The status agrees with Machine.Status, clock for clock.
	st, err := street.Status(tk, lcAt("2026-11-26 10:00"))
	require.NoError(t, err)
	require.Len(t, st, len(cs))
	for i := range st {
		assert.Equal(t, st[i], cs[i].StageStatus)
	}

	none, err := street.Clocks(&Ticket{}, lcMonday)
	require.NoError(t, err)
	assert.Empty(t, none, "a new ticket has no clock")
}
