package ticket

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/internal/strictjson/strictjsontest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Regression tests of issue 9 (hostile input must get a typed error, never a panic).

var noMode HandlingMode // the zero mode: the reply limit follows the complexity

// lcExtensionPending returns a street ticket with a complex extension pending approval by the chain
// 街道热线办 → 区热线办 → 市热线办 (004 §9 第二款).
func lcExtensionPending(t testing.TB, m *Machine) *Ticket {
	t.Helper()
	return lcRun(t, m,
		lcStep{lcAccept(lcIntake(ChannelPhone)), lcAt("2026-11-23 09:00")},
		lcStep{lcDispatch("城管中队", noMode, ComplexityComplex), lcAt("2026-11-23 10:00")},
		lcStep{lcFirstContact(), lcAt("2026-11-23 11:00")},
		lcStep{lcExtension(20, "书面报告：需协调市属单位"), lcAt("2026-11-30 09:00")},
	)
}

// Stored data is input: a ticket restored with Extension.Approved as long as its chain (a bad restore,
// hand-edited JSON) is refused with an error naming the field, not an index-out-of-range panic.
func TestApplyStoredExtensionApprovedTooLong(t *testing.T) {
	m := lcMachine(t, deadline.StreetHotline())
	for _, approved := range [][]string{
		{"街道热线办", "区热线办", "市热线办"},
		{"街道热线办", "区热线办", "市热线办", "x"},
	} {
		tk := lcExtensionPending(t, m)
		tk.Extension.Approved = approved
		var err error
		require.NotPanics(t, func() {
			_, err = m.Apply(tk, lcApproval(ActionApproveExtension, RoleUpperOffice, "市热线办"), lcAt("2026-12-01 09:00"))
		})
		require.ErrorIs(t, err, ErrInvalidTicket)
		var fe *TicketError
		require.ErrorAs(t, err, &fe)
		assert.Equal(t, "extension.approved", fe.Field)
	}
}

// 004 §4 (三), §9: at street level only the hotline office approves; the role acting must be the one
// of the chain's current step (街道热线办 → the hotline office, 区热线办 / 市热线办 → upper offices).
func TestExtensionApproverRoleMatchesStep(t *testing.T) {
	m := lcMachine(t, deadline.StreetHotline())
	tk := lcExtensionPending(t, m)
	_, err := m.Apply(tk, lcApproval(ActionEscalateExtension, RoleLeader, "街道热线办"), lcAt("2026-11-30 10:00"))
	require.ErrorIs(t, err, ErrForbiddenRole, "a leader is not 街道热线办 (004 §4 (三))")
	_, err = m.Apply(tk, lcApproval(ActionEscalateExtension, RoleUpperOffice, "街道热线办"), lcAt("2026-11-30 10:00"))
	require.ErrorIs(t, err, ErrForbiddenRole, "an upper office is not 街道热线办")
	_, err = m.Apply(tk, lcApproval(ActionEscalateExtension, RoleHotlineOffice, "街道热线办"), lcAt("2026-11-30 10:00"))
	require.NoError(t, err)
	_, err = m.Apply(tk, lcApproval(ActionEscalateExtension, RoleHotlineOffice, "区热线办"), lcAt("2026-11-30 11:00"))
	require.ErrorIs(t, err, ErrForbiddenRole, "区热线办 is an upper office")

	// 004 §9 第一款: a general extension is approved by 街道热线办 alone.
	g := lcRun(t, m,
		lcStep{lcAccept(lcIntake(ChannelPhone)), lcAt("2026-11-23 09:00")},
		lcStep{lcDispatch("居委会A", noMode, ComplexityGeneral), lcAt("2026-11-23 10:00")},
		lcStep{lcFirstContact(), lcAt("2026-11-23 11:00")},
		lcStep{lcExtension(10, ""), lcAt("2026-11-25 09:00")},
	)
	_, err = m.Apply(g, lcApproval(ActionApproveExtension, RoleLeader, "街道热线办"), lcAt("2026-11-25 10:00"))
	require.ErrorIs(t, err, ErrForbiddenRole)
}

// ParsePolicy promises to reject trailing data; every loader runs the shared malformed-input table.
func TestParsePolicyTrailingData(t *testing.T) {
	_, err := ParsePolicy([]byte(`{"name":"x"}}`))
	require.Error(t, err)
}

// Replay of nothing is not a ticket.
func TestReplayNil(t *testing.T) {
	m := lcMachine(t, deadline.StreetHotline())
	for _, h := range [][]Event{nil, {}} {
		tk, err := m.Replay(h)
		require.ErrorIs(t, err, ErrHistoryMismatch)
		assert.Nil(t, tk)
	}
}

// A stored history whose actor or citizen phone was edited does not replay.
func TestReplayDetectsEditedActorAndPhone(t *testing.T) {
	m := lcMachine(t, deadline.StreetHotline())
	tk := lcRun(t, m,
		lcStep{lcAccept(lcIntake(ChannelPhone)), lcAt("2026-11-23 09:00")},
		lcStep{lcDispatch("居委会A", noMode, ComplexityGeneral), lcAt("2026-11-23 10:00")},
	)
	data, err := json.Marshal(tk.History)
	require.NoError(t, err)
	for name, edit := range map[string]func(h []Event){
		"actor": func(h []Event) { h[1].Actor = "someone-else" },
		"phone": func(h []Event) { h[0].Payload.Intake.Citizen.Phone = "13900000000" },
	} {
		var h []Event
		require.NoError(t, json.Unmarshal(data, &h))
		_, err := m.Replay(h)
		require.NoError(t, err, "unedited")
		edit(h)
		_, err = m.Replay(h)
		require.ErrorIs(t, err, ErrHistoryMismatch, name)
	}
}

// A full-width ID number is folded before it is checked, and errors count characters.
func TestValidateIDCardFullWidth(t *testing.T) {
	const ascii = "11010519491231002X"
	require.NoError(t, ValidateIDCard(ascii))
	fw := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r == 'X' {
			return r - '0' + '０'
		}
		return r
	}, ascii)
	require.NoError(t, ValidateIDCard(fw))
	err := ValidateIDCard("１２３")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "bytes")
	assert.Contains(t, err.Error(), "3 characters")
}

// Mobile numbers in any decimal digit script, with any run of separators between groups.
func TestParseMobileFolds(t *testing.T) {
	for _, in := range []string{
		"138.1234.5678", "138–1234–5678", "138 - 1234 - 5678", "１３８１２３４５６７８", "138\u200b1234\u200b5678",
		"𝟏𝟑𝟖𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖", "١٣٨١٢٣٤٥٦٧٨", "+86 138/1234/5678",
	} {
		got, err := ParseMobile(in)
		require.NoError(t, err, in)
		assert.Equal(t, "13812345678", got, in)
	}
	for _, in := range []string{"138a12345678", "1381234567", "23812345678", ".13812345678"} {
		_, err := ParseMobile(in)
		assert.True(t, errors.Is(err, ErrInvalidMobile), in)
	}
}

// ParsePolicy is the module's strict loader: every shared malformed input is refused with an error
// wrapping ErrInvalidPolicy, and a valid document loads.
func TestParsePolicyStrict(t *testing.T) {
	valid, err := json.Marshal(StreetHotline())
	require.NoError(t, err)
	p, err := ParsePolicy(valid)
	require.NoError(t, err)
	assert.Equal(t, StreetHotline(), p)
	for _, c := range strictjsontest.Cases(valid, MaxPolicyBytes) {
		t.Run(c.Name, func(t *testing.T) {
			var err error
			require.NotPanics(t, func() { _, err = ParsePolicy(c.Input) })
			require.ErrorIs(t, err, ErrInvalidPolicy)
			assert.ErrorIs(t, err, ErrMalformed)
		})
	}
}

// Presets are valid, named, and found by name; an unknown name is a policy error.
func TestPolicyPresets(t *testing.T) {
	names := map[string]bool{}
	for _, p := range Presets() {
		require.NoError(t, p.Validate(), p.Name)
		assert.False(t, names[p.Name], "unique name %s", p.Name)
		names[p.Name] = true
		got, err := Preset(p.Name)
		require.NoError(t, err)
		assert.Equal(t, p, got)
	}
	assert.Equal(t, "street-hotline", StreetHotline().Name, "the name of deadline.StreetHotline, its limits")
	assert.True(t, StreetHotline().FirstContactByOffice, "004 §8 (一)")
	assert.False(t, Shanghai().FirstContactByOffice, "000 §5")
	_, err := Preset("nowhere")
	require.ErrorIs(t, err, ErrInvalidPolicy)
	var pe *PolicyError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "name", pe.Field)
	assert.Contains(t, err.Error(), `ticket: policy "nowhere": name:`)
}

// A zero Machine, a nil *Machine and a Machine of a bad policy are refused with errors, never a panic.
func TestZeroMachineRefused(t *testing.T) {
	for name, m := range map[string]*Machine{"zero": {}, "nil": nil} {
		t.Run(name, func(t *testing.T) {
			require.NotPanics(t, func() {
				_, err := m.Apply(&Ticket{}, lcAccept(lcIntake(ChannelPhone)), lcMonday)
				require.ErrorIs(t, err, ErrNotBuilt)
				_, err = m.Accept(lcIntake(ChannelPhone), "op", RoleHotlineOffice, lcMonday)
				require.ErrorIs(t, err, ErrNotBuilt)
				_, err = m.Replay([]Event{{Seq: 1}})
				require.ErrorIs(t, err, ErrNotBuilt)
				_, err = m.Status(&Ticket{}, lcMonday)
				require.ErrorIs(t, err, ErrNotBuilt)
				assert.Nil(t, m.Calendar())
				assert.Equal(t, Policy{}, m.Policy())
			})
		})
	}
	_, err := NewMachine(lcCal, deadline.StreetHotline(), Policy{})
	require.ErrorIs(t, err, ErrInvalidPolicy)
}

// lcStoredTicketJSON returns a street ticket with a pending complex extension, as JSON.
func lcStoredTicketJSON(t testing.TB) []byte {
	m := lcMachine(t, deadline.StreetHotline())
	tk := lcExtensionPending(t, m)
	raw, err := json.Marshal(tk)
	require.NoError(t, err)
	return raw
}

// Every field of a stored ticket that Apply reads is checked first: a hand-edited field is an
// ErrInvalidTicket naming it, never a panic, and the ticket is left as it was.
func TestApplyChecksStoredTicket(t *testing.T) {
	m := lcMachine(t, deadline.StreetHotline())
	raw := lcStoredTicketJSON(t)
	for _, tc := range []struct {
		field string
		edit  func(tk *Ticket)
	}{
		{"extension", func(tk *Ticket) { tk.Extension = nil }},
		{"extension.approved", func(tk *Ticket) { tk.Extension.Approvals, tk.Extension.Approved = nil, []string{"街道热线办"} }},
		{"extension.approved[0]", func(tk *Ticket) { tk.Extension.Approved = []string{"市热线办"} }},
		{"extension.decision", func(tk *Ticket) { tk.Extension.Decision = DecisionApproved }},
		{"extension.days", func(tk *Ticket) { tk.Extension.Days = -1 }},
		{"state", func(tk *Ticket) { tk.State = "limbo" }},
		{"state", func(tk *Ticket) { tk.State = StateReplied }},
		{"history", func(tk *Ticket) { tk.History = nil }},
		{"history[3].seq", func(tk *Ticket) { tk.History[3].Seq = 9 }},
		{"under", func(tk *Ticket) { tk.Under = Under{} }},
		{"under.policy", func(tk *Ticket) { tk.Under.Policy.StoreAfterReplies = -1 }},
		{"channel", func(tk *Ticket) { tk.Channel = "fax" }},
		{"mode", func(tk *Ticket) { tk.Mode = "x" }},
		{"counters.replies", func(tk *Ticket) { tk.Counters.Replies = -1 }},
		{"reply.outcome", func(tk *Ticket) { tk.Reply = &Reply{Outcome: "x"} }},
		{"callback", func(tk *Ticket) { tk.Callback = &Callback{} }},
	} {
		t.Run(tc.field, func(t *testing.T) {
			var tk Ticket
			require.NoError(t, json.Unmarshal(raw, &tk))
			tc.edit(&tk)
			before := tk.Clone()
			var err error
			require.NotPanics(t, func() {
				_, err = m.Apply(&tk, lcApproval(ActionEscalateExtension, RoleHotlineOffice, "街道热线办"), lcAt("2026-11-30 10:00"))
			})
			require.ErrorIs(t, err, ErrInvalidTicket)
			var te *TicketError
			require.ErrorAs(t, err, &te)
			assert.Equal(t, tc.field, te.Field)
			assert.Equal(t, before, &tk)
		})
	}
}

// FuzzApplyStoredTicket decodes a stored ticket from hostile JSON and applies every action to it:
// Apply never panics, and every refusal is a *TransitionError.
func FuzzApplyStoredTicket(f *testing.F) {
	raw := lcStoredTicketJSON(f)
	f.Add(raw)
	var tk Ticket
	_ = json.Unmarshal(raw, &tk)
	for _, edit := range []func(t *Ticket){
		func(t *Ticket) { t.Extension.Approved = t.Extension.Approvals },                                // the index-out-of-range of issue 9
		func(t *Ticket) { t.Extension.Approved = append(t.Extension.Approvals, "x") },                   // longer than the chain
		func(t *Ticket) { t.History = t.History[:0] },                                                   // state without history
		func(t *Ticket) { t.Deadlines.Reply = Clock{} },                                                 // no reply clock
		func(t *Ticket) { t.Deadlines.Reply.Key = "nonexistent" },                                       // a clock of no limit
		func(t *Ticket) { t.State = StateCalledBack; t.History[len(t.History)-1].To = StateCalledBack }, // no callback
	} {
		c := *tk.Clone()
		edit(&c)
		b, _ := json.Marshal(&c)
		f.Add(b)
	}
	f.Add([]byte(`{"state":"extension_requested","history":[{"seq":1,"to":"extension_requested"}],"under":{"deadlines":{"name":"street-hotline"}}}`))
	m := lcMachine(f, deadline.StreetHotline())
	f.Fuzz(func(t *testing.T, data []byte) {
		var base Ticket
		if json.Unmarshal(data, &base) != nil {
			return
		}
		at := lcAt("2026-12-01 09:00")
		for _, a := range Actions() {
			for _, role := range Roles() {
				for _, r := range lcVariants(&base, a, role) {
					tk := base.Clone()
					_, err := m.Apply(tk, r, at)
					if err != nil && !errors.As(err, new(*TransitionError)) {
						t.Fatalf("%s by %s: untyped error %v", a, role, err)
					}
				}
			}
		}
		_, _ = m.Status(&base, at)
		_ = HandlingForm(&base)
		_ = RegistrationForm(&base)
	})
}

// FuzzReplayJSON replays hostile histories: never a panic; a history that replays re-encodes equal.
func FuzzReplayJSON(f *testing.F) {
	m := lcMachine(f, deadline.StreetHotline())
	tk := lcExtensionPending(f, m)
	raw, _ := json.Marshal(tk.History)
	f.Add(raw)
	f.Add([]byte(`[]`))
	f.Add([]byte(`null`))
	f.Add([]byte(`[{"seq":1,"action":"accept"}]`))
	f.Add([]byte(`[{"seq":1,"action":"accept","under":{"deadlines":{"name":"street-hotline"},"policy":{"name":"x","supervise_at_repeats":-5}}}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var h []Event
		if json.Unmarshal(data, &h) != nil {
			return
		}
		got, err := m.Replay(h)
		if err != nil {
			if !errors.Is(err, ErrHistoryMismatch) && !errors.As(err, new(*ReplayError)) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if len(got.History) != len(h) {
			t.Fatalf("replayed %d of %d events", len(got.History), len(h))
		}
	})
}

// A history stored with its instants in another zone (a database that keeps UTC) replays: the digest
// is over instants in UTC. And a refusal never echoes a huge stored note whole.
func TestReplayAcrossZonesAndHugeNotes(t *testing.T) {
	m := lcMachine(t, deadline.StreetHotline())
	tk := lcExtensionPending(t, m)
	h := tk.Clone().History
	for i := range h {
		h[i].At = h[i].At.UTC()
		if in := h[i].Payload.Intake; in != nil {
			in.Received = in.Received.In(time.FixedZone("X", -7*3600))
		}
	}
	_, err := m.Replay(h)
	require.NoError(t, err)

	h[2].Notes = []string{strings.Repeat("长", 30000)}
	_, err = m.Replay(h)
	require.ErrorIs(t, err, ErrHistoryMismatch)
	assert.Less(t, len(err.Error()), 2000)
}

// Apply allocates the same whatever the length of the history (the cost item of issue 9: no copy of
// the history per event). Timing is for the benchmarks; allocations are exact.
func TestApplyAllocationsIndependentOfHistory(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 16,000-event history")
	}
	if raceEnabled {
		t.Skip("the race detector's instrumentation allocates on its own; allocations are counted without -race")
	}
	m := lcMachine(t, deadline.StreetHotline())
	allocs := map[int]float64{}
	for _, n := range []int{6, 16000} {
		base := lcLongHistory(t, m, n)
		base.History = slices.Grow(base.History, 1)
		next := base.History[len(base.History)-1].At.Add(time.Minute)
		tk := new(Ticket)
		allocs[n] = testing.AllocsPerRun(50, func() {
			*tk = *base
			if _, err := m.Apply(tk, lcSupervise(TriggerInstruction), next); err != nil {
				t.Fatal(err)
			}
		})
	}
	assert.InDelta(t, allocs[6], allocs[16000], 2, "allocations per Apply at 6 and 16,000 events: %v", allocs)
}
