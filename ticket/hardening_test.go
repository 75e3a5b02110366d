package ticket

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/hotline12345/hotline/deadline"
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
