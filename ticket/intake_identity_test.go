package ticket

import (
	"testing"

	"github.com/hotline12345/hotline/deadline"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Privacy (000 §10, 002 §11, 004 §16): ID-card numbers (GB 11643) and unified social credit codes (GB 32100) are
// validated at intake; a bad one refuses the intake with an error naming the field, never the value.
func TestAcceptValidatesIdentity(t *testing.T) {
	m := lcMachine(t, deadline.StreetHotline())
	goodID := mkID(t, "31011319900307123")
	goodCredit := mkCredit(t, "91310113MA1GKXXX0")
	badID := goodID[:17] + map[bool]string{true: "1", false: "2"}[goodID[17] != '1']
	badCredit := goodCredit[:17] + map[bool]string{true: "0", false: "1"}[goodCredit[17] != '0']
	tests := []struct {
		name      string
		id, code  string
		wantField string // empty: accepted
		secret    string
	}{
		{"no identity given", "", "", "", ""},
		{"valid ID number", goodID, "", "", ""},
		{"valid credit code", "", goodCredit, "", ""},
		{"ID check digit wrong", badID, "", "intake.citizen.id_number", badID},
		{"credit code check character wrong", "", badCredit, "intake.citizen.credit_code", badCredit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := lcIntake(ChannelPhone)
			in.Citizen.IDNumber, in.Citizen.CreditCode = tt.id, tt.code
			tk, err := m.Accept(in, "op-1", RoleHotlineOffice, lcMonday)
			if tt.wantField == "" {
				require.NoError(t, err)
				assert.Equal(t, StateReceived, tk.State)
				return
			}
			require.ErrorIs(t, err, ErrInvalidPayload)
			assert.Contains(t, err.Error(), tt.wantField)
			assert.NotContains(t, err.Error(), tt.secret, "the error must not repeat the number")
			assert.Nil(t, tk)
		})
	}
}
