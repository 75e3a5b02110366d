package ticket

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNumberRoundTrip(t *testing.T) {
	n, err := NewNumber("SH12345", lcAt("2026-11-23 23:30"), 123)
	require.NoError(t, err)
	s := n.String()
	assert.True(t, strings.HasPrefix(s, "SH12345-20261123-000123-"), s)
	back, err := ParseNumber(s)
	require.NoError(t, err)
	assert.Equal(t, n, back)
	low, err := ParseNumber("  " + strings.ToLower(s) + "\n")
	require.NoError(t, err)
	assert.Equal(t, n, low)
	assert.Equal(t, lcAt("2026-11-23 00:00"), n.Date())

	// The date is read in Asia/Shanghai: 2026-11-23 17:00 UTC is already the 24th there.
	n2, err := NewNumber("SH12345", time.Date(2026, 11, 23, 17, 0, 0, 0, time.UTC), 1)
	require.NoError(t, err)
	assert.Equal(t, 24, n2.Day)

	big := Number{Prefix: "A", Year: 2026, Month: 1, Day: 31, Seq: 123456789}
	p, err := ParseNumber(big.String())
	require.NoError(t, err)
	assert.Equal(t, big, p)

	raw, err := json.Marshal(struct{ N Number }{n})
	require.NoError(t, err)
	assert.Equal(t, `{"N":"`+s+`"}`, string(raw))
	var got struct{ N Number }
	require.NoError(t, json.Unmarshal(raw, &got))
	assert.Equal(t, n, got.N)
	require.NoError(t, json.Unmarshal([]byte(`{"N":""}`), &got))
	assert.True(t, got.N.IsZero())
	assert.Error(t, json.Unmarshal([]byte(`{"N":"SH-1"}`), &got))
	_, err = json.Marshal(struct{ N Number }{Number{Prefix: "x"}})
	assert.ErrorIs(t, err, ErrInvalidNumber)
	assert.Equal(t, "", Number{}.String())
	assert.True(t, strings.HasSuffix(Number{Prefix: "x", Year: 2026, Month: 1, Day: 1, Seq: 1}.String(), "-?"))
}

func TestParseNumberErrors(t *testing.T) {
	good := Number{Prefix: "SH12345", Year: 2026, Month: 11, Day: 23, Seq: 123}.String()
	swapped := []byte(good)
	swapped[21], swapped[22] = swapped[22], swapped[21] // "000123" → "000132"
	wrongCheck := good[:len(good)-1] + string(rune(good[len(good)-1])^1)
	cases := []struct {
		in, field string
	}{
		{"", "format"},
		{"SH12345-20261123-000123", "format"},
		{"SH12345-20261123-000123-K-1", "format"},
		{strings.Repeat("A", 100), "format"},
		{"-20261123-000123-K", "prefix"},
		{"1SH-20261123-000123-K", "prefix"},
		{"SH_1-20261123-000123-K", "prefix"},
		{"SHANGHAI12345ABCDE-20261123-000123-K", "prefix"},
		{"SH-2026112-000123-K", "date"},
		{"SH-2026113X-000123-K", "date"},
		{"SH-20261323-000123-K", "date"},
		{"SH-20260230-000123-K", "date"},
		{"SH-18991231-000123-K", "date"},
		{"SH-20261123-00012-K", "sequence"},
		{"SH-20261123-1234567890-K", "sequence"},
		{"SH-20261123-000000-0", "sequence"},
		{"SH-20261123-0000001-0", "sequence"},
		{"ſH-20261123-000123-K", "format"},
		{"SH-20261123-000123-KK", "check"},
		{"SH-20261123-000123-*", "check"},
		{string(swapped), "check"},
		{wrongCheck, "check"},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			_, err := ParseNumber(c.in)
			require.ErrorIs(t, err, ErrInvalidNumber)
			var ne *NumberError
			require.ErrorAs(t, err, &ne)
			assert.Equal(t, c.field, ne.Field, err.Error())
			assert.Equal(t, clipText(c.in), ne.Input, "the input, at most 64 bytes of it")
		})
	}
}

// The check character catches every single-character change and every adjacent swap.
func TestCheckCharDetectsTypos(t *testing.T) {
	body := "SH1234520261123000123"
	want, ok := checkChar(body)
	require.True(t, ok)
	for i := range len(body) {
		for _, c := range []byte(checkAlphabet) {
			if c == body[i] {
				continue
			}
			b := []byte(body)
			b[i] = c
			got, _ := checkChar(string(b))
			assert.NotEqual(t, want, got, "substitution at %d by %c", i, c)
		}
		if i+1 < len(body) && body[i] != body[i+1] {
			b := []byte(body)
			b[i], b[i+1] = b[i+1], b[i]
			got, _ := checkChar(string(b))
			assert.NotEqual(t, want, got, "swap at %d", i)
		}
	}
	_, ok = checkChar("a")
	assert.False(t, ok)
}

func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{
		Number{Prefix: "SH12345", Year: 2026, Month: 11, Day: 23, Seq: 123}.String(),
		"bsyyl-20260101-999999999-0", "SH-20261123-000123-K", "", "----", "SH-20240229-000001-X",
		"ＳＨ-20261123-000123-K", "SH-+0261123-000123-K", "SH-20261123--00123-K",
		// hostile inputs of issue 9: huge, digit scripts, separators, overflowing numbers
		strings.Repeat("A", 1<<16), "SH-２０２６１１２３-000123-K", "SH-20261123-9223372036854775807-K",
		"SH-20261123-000123-K\x00", "SH\u200b-20261123-000123-K", "SH-99991399-000001-0",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseNumber(s)
		if err != nil {
			if n != (Number{}) {
				t.Fatalf("error with non-zero number %#v", n)
			}
			return
		}
		if err := n.Validate(); err != nil {
			t.Fatalf("parsed %q into invalid %#v: %v", s, n, err)
		}
		c := n.String()
		if c != strings.ToUpper(strings.TrimSpace(s)) {
			t.Fatalf("canonical form %q of %q", c, s)
		}
		back, err := ParseNumber(c)
		if err != nil || back != n {
			t.Fatalf("round trip of %q: %#v, %v", c, back, err)
		}
	})
}
