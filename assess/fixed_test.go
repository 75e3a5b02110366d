package assess

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseFixed(t *testing.T) {
	good := []struct {
		in   string
		want Fixed
		str  string
	}{
		{"25", Int(25), "25"},
		{"0.5", 500_000, "0.5"},
		{"-0.25", -250_000, "-0.25"},
		{"+1.000001", 1_000_001, "1.000001"},
		{".5", 500_000, "0.5"},
		{"007", Int(7), "7"},
		{"9223372036854.775807", Fixed(9223372036854775807), "9223372036854.775807"},
		{"-9223372036854.775808", Fixed(-9223372036854775808), "-9223372036854.775808"},
	}
	for _, tt := range good {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseFixed(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.str, got.String())
		})
	}
	for _, in := range []string{"", "-", "1.", "1.0000001", "1e3", "NaN", " 1", "1,5", "9223372036855", "9223372036854.775808", "9223372036854.999999", "-9223372036854.775809", "--1", "0x10"} {
		t.Run("bad "+in, func(t *testing.T) {
			_, err := ParseFixed(in)
			assert.ErrorIs(t, err, ErrInvalidNumber)
		})
	}
}

func TestFixedArithmetic(t *testing.T) {
	assert.Equal(t, Fixed(333_333), RatioOf(1, 3))
	assert.Equal(t, Fixed(666_667), RatioOf(2, 3), "half away from zero")
	assert.Equal(t, Fixed(0), RatioOf(1, 0))
	assert.Equal(t, Fixed(-666_667), RatioOf(-2, 3))
	assert.Equal(t, Fixed(16_666_675), Int(25).Mul(666_667))
	assert.Equal(t, Fixed(3_333_333), Int(10).Div(Int(3)))
	assert.Equal(t, Fixed(0), Int(10).Div(0))
	assert.Equal(t, "33.33%", RatioOf(1, 3).Percent())
	assert.Equal(t, "-50.00%", Fixed(-500_000).Percent())
	assert.Equal(t, "100.00%", One.Percent())
}

func TestFixedJSON(t *testing.T) {
	var v struct{ A, B, C Fixed }
	require.NoError(t, json.Unmarshal([]byte(`{"A":12.5,"B":"0.25","C":null}`), &v))
	assert.Equal(t, Fixed(12_500_000), v.A)
	assert.Equal(t, Fixed(250_000), v.B)
	b, err := json.Marshal(v)
	require.NoError(t, err)
	assert.JSONEq(t, `{"A":12.5,"B":0.25,"C":0}`, string(b))
	assert.Error(t, json.Unmarshal([]byte(`{"A":1e2}`), &v))
}

func FuzzParseFixed(f *testing.F) {
	for _, s := range []string{"0", "1", "-1.5", "99.999999", "1e5", "", ".", "-.1", "9223372036854.775807", "-9223372036854.775808",
		"9223372036854.775808", "NaN", "0.1234567", "１２", "+", "--1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseFixed(s)
		if err != nil {
			return
		}
		back, err := ParseFixed(v.String())
		if err != nil || back != v {
			t.Fatalf("%q → %d → %q → %d, %v", s, v, v.String(), back, err)
		}
	})
}

func TestFixedSaturates(t *testing.T) {
	assert.Equal(t, Fixed(math.MaxInt64), Fixed(math.MaxInt64).Mul(Int(2)))
	assert.Equal(t, Fixed(math.MinInt64), Fixed(math.MaxInt64).Mul(Int(-2)))
	assert.Equal(t, Fixed(-1_500_000), Int(-3).Div(Int(2)))
	assert.Equal(t, Fixed(1_000_000_000_000_000_000), Int(1_000_000_000_000).Mul(One))
}

func TestAddSat(t *testing.T) {
	assert.Equal(t, Fixed(3), addSat(1, 2))
	assert.Equal(t, Fixed(math.MaxInt64), addSat(math.MaxInt64-1, 5))
	assert.Equal(t, Fixed(math.MinInt64), addSat(math.MinInt64+1, -5))
	assert.Equal(t, Fixed(-1), addSat(math.MaxInt64, math.MinInt64))
}

// Bulletin figures are rounded half away from zero (四舍五入) to the decimals the bulletin prints.
func TestFixedRoundAndText(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
		text string
	}{
		{"2.345", 2, "2.35", "2.35"},
		{"-2.345", 2, "-2.35", "-2.35"},
		{"2.344999", 2, "2.34", "2.34"},
		{"95", 1, "95", "95.0"},
		{"0.666667", 2, "0.67", "0.67"},
		{"99.995", 2, "100", "100.00"},
		{"0.5", 0, "1", "1"},
		{"-0.5", 0, "-1", "-1"},
		{"0.4", 0, "0", "0"},
		{"1.234567", 6, "1.234567", "1.234567"},
		{"1.234567", 9, "1.234567", "1.234567"},
		{"1.25", -3, "1", "1"},
		{"9223372036854.775807", 0, "9223372036854", "9223372036854"},
		{"-9223372036854.775808", 2, "-9223372036854.77", "-9223372036854.77"},
	}
	for _, tt := range tests {
		f, err := ParseFixed(tt.in)
		require.NoError(t, err)
		assert.Equal(t, tt.want, f.Round(tt.n).String(), "%s to %d", tt.in, tt.n)
		assert.Equal(t, tt.text, f.Text(tt.n), "%s to %d", tt.in, tt.n)
	}
}
