package ticket

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mkCredit(t testing.TB, first17 string) string {
	t.Helper()
	c, err := CreditCodeCheckChar(first17)
	require.NoError(t, err)
	return first17 + string(c)
}

// Privacy (000 §10, 002 §11, 004 §16): unified social credit codes are validated with the GB 32100-2015 check
// character.
func TestValidateCreditCode(t *testing.T) {
	valid := mkCredit(t, "91310113MA1GKXXX0")
	tests := []struct {
		name, in string
		ok       bool
		reason   string
	}{
		{"published example", "91350100M000100Y43", true, ""},
		{"computed", valid, true, ""},
		{"check 0 from 31", mkCredit(t, find31(t)), true, ""},
		{"wrong check", valid[:17] + other(valid[17]), false, "check character"},
		{"lower case", "91350100m000100y43", false, "not one of"},
		{"letter O", "91350100O000100Y43", false, "not one of"},
		{"letter in region", "9135A100M000100Y43", false, "region code"},
		{"short", "9135", false, "18 characters"},
		{"bad 18th", "91350100M000100Y4I", false, "character 18"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateCreditCode(tt.in)
			if tt.ok {
				assert.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrInvalidCreditCode)
			assert.Contains(t, err.Error(), tt.reason)
		})
	}
}

// find31 returns 17 characters whose weighted sum is a multiple of 31, so that the check value 31 is
// written as 0.
func find31(t testing.TB) string {
	t.Helper()
	for n := range 100000 {
		s := []byte("9131011300000" + "0000")
		for i, k := 16, n; k > 0; i, k = i-1, k/10 {
			s[i] = byte('0' + k%10)
		}
		sum := 0
		for i, c := range s {
			sum += int(c-'0') * creditWeights[i]
		}
		if sum%31 == 0 {
			return string(s)
		}
	}
	t.Fatal("no code found")
	return ""
}

func other(c byte) string {
	if c == '0' {
		return "1"
	}
	return "0"
}

func FuzzValidateCreditCode(f *testing.F) {
	for _, s := range []string{"91350100M000100Y43", "", "9135", "91350100m000100y43"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := ValidateCreditCode(s)
		if err != nil {
			require.ErrorIs(t, err, ErrInvalidCreditCode)
			return
		}
		c, err := CreditCodeCheckChar(s[:17])
		require.NoError(t, err)
		require.Equal(t, c, s[17])
	})
}
