package ticket

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Privacy (000 §10, 002 §11, 004 §16): mobile numbers are validated by format, 1[3-9]\d{9}.
func TestParseMobile(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"13812345678", "13812345678", true},
		{"+8613812345678", "13812345678", true},
		{"+86 138-1234-5678", "13812345678", true},
		{"0086 13812345678", "13812345678", true},
		{"8613812345678", "13812345678", true},
		{" 19912345678 ", "19912345678", true},
		{"12812345678", "", false},
		{"1381234567", "", false},
		{"138123456789", "", false},
		{"138--12345678", "13812345678", true}, // a run of separators (issue 9)
		{"138----12345678", "", false},
		{"-13812345678", "", false},
		{"138 1234 567a", "", false},
		{"021-12345678", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseMobile(tt.in)
			if !tt.ok {
				require.ErrorIs(t, err, ErrInvalidMobile)
				assert.ErrorIs(t, ValidateMobile(tt.in), ErrInvalidMobile)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			assert.NoError(t, ValidateMobile(tt.in))
		})
	}
}

func FuzzParseMobile(f *testing.F) {
	for _, s := range []string{"13812345678", "+86 138-1234-5678", "0086", "", "--", "１３８"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseMobile(s)
		if err != nil {
			require.ErrorIs(t, err, ErrInvalidMobile)
			return
		}
		require.True(t, isMobile(d), "%q", d)
	})
}
