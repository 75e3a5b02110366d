package ticket

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// mkID appends the GB 11643 check character to 17 digits (test numbers only, no real person's).
func mkID(t testing.TB, first17 string) string {
	t.Helper()
	c, err := IDCardCheckDigit(first17)
	require.NoError(t, err)
	return first17 + string(c)
}

// Privacy (000 §10, 002 §11, 004 §16): ID-card numbers are validated at intake with the GB 11643-1999 check digit.
func TestValidateIDCard(t *testing.T) {
	// 11010519491231002X is the worked example of GB 11643-1999 itself.
	valid := mkID(t, "31010119900307123")
	require.Equal(t, "310101199003071230", valid)
	flip := valid[:17] + "1"
	tests := []struct {
		name, in string
		ok       bool
		reason   string
	}{
		{"standard's example", "11010519491231002X", true, ""},
		{"lower-case x", "11010519491231002x", true, ""},
		{"computed", valid, true, ""},
		{"leap day", mkID(t, "44030420000229001"), true, ""},
		{"wrong check", flip, false, "check character"},
		{"not a leap year", mkID(t, "44030419000229001"), false, "date of birth"},
		{"month 13", mkID(t, "44030419901301001"), false, "date of birth"},
		{"year 1899", mkID(t, "44030418991231001"), false, "date of birth"},
		{"province 99", mkID(t, "99030419901201001"), false, "province"},
		{"first generation", "310101900307123", false, "15-digit"},
		{"too short", "1234", false, "18 characters"},
		{"letter inside", "3101011990030712A0", false, "not a digit"},
		{"X not last", "X10101199003071230", false, "not a digit"},
		{"spaces", " 310101199003071230", false, "18 characters"},
		{"full-width: folded first (issue 9)", "３１０１０１１９９００３０７１２３０", true, ""},
		{"full-width, too short: counted in characters", "３１０１０１", false, "have 6 characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateIDCard(tt.in)
			if tt.ok {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrInvalidIDCard)
			var ie *IdentifierError
			require.True(t, errors.As(err, &ie))
			assert.Contains(t, ie.Reason, tt.reason)
			assert.NotContains(t, err.Error(), tt.in, "an error never carries the number itself")
		})
	}
}

func TestIDCardCheckDigitEveryRemainder(t *testing.T) {
	// Every remainder 0–10 maps to its character of "10X98765432".
	seen := map[byte]bool{}
	for seq := range 1000 {
		first := "31010119900307" + string([]byte{byte('0' + seq/100), byte('0' + seq/10%10), byte('0' + seq%10)})
		c, err := IDCardCheckDigit(first)
		require.NoError(t, err)
		seen[c] = true
		require.NoError(t, ValidateIDCard(first+string(c)))
	}
	assert.Len(t, seen, 11)
}

func FuzzValidateIDCard(f *testing.F) {
	for _, s := range []string{"11010519491231002X", "310101199003071230", "310101900307123", "", "X", "３１０"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := ValidateIDCard(s)
		if err == nil {
			// A valid number has 17 digits and its own check character.
			require.Len(t, s, 18)
			c, err := IDCardCheckDigit(s[:17])
			require.NoError(t, err)
			if s[17] == 'x' {
				require.Equal(t, byte('X'), c)
			} else {
				require.Equal(t, c, s[17])
			}
			return
		}
		require.ErrorIs(t, err, ErrInvalidIDCard)
	})
}
