package screen

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/hotline12345/hotline/internal/strictjson/strictjsontest"
	"github.com/hotline12345/hotline/ticket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzScreen screens arbitrary text: screening never panics, the outcome is valid and agrees with
// the reasons, and every reported hit points at original text that normalises to the word.
func FuzzScreen(f *testing.F) {
	for _, s := range []string{
		"有人要 顛覆 國家 政權！", "混蛋混蛋混蛋", "", "\xff\xfe", "ＡＢＣ信访事项", "我的信访事项一直没有结果",
		"路灯坏了，希望尽快修复", "颠\u200b覆国家政权", "𠀀𠀁混蛋",
		// Inputs that once got through or broke things (issue 9): radical twins, separators, digit
		// scripts.
		"有人在搞⺠族分裂活动", "⼈⺠", "138.1234.5678 混\u00ad蛋", "١٣٨ 𝟏𝟑𝟖 混　蛋", "\u2e80\u2fdf\u2fd5",
	} {
		f.Add(s, uint8(1), false)
	}
	h, err := New(Hebi())
	require.NoError(f, err)
	sh, err := New(Shanghai())
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, text string, channel uint8, noContact bool) {
		in := okItem()
		in.Text = text
		in.Channel = fuzzChannels[int(channel)%len(fuzzChannels)]
		if noContact {
			in.Contact = ""
		}
		for _, s := range []*Screener{h, sh} {
			r := must(s.Screen(in))
			require.True(t, r.Outcome.Valid())
			require.Equal(t, r.Outcome == Accept, len(r.Reasons) == 0)
			require.NotEmpty(t, r.Explanation)
			for _, reason := range append(r.Reasons, r.Flags...) {
				for _, hit := range reason.Hits {
					require.True(t, 0 <= hit.Start && hit.Start < hit.End && hit.End <= len(text), "%+v", hit)
					require.Equal(t, hit.Word, Normalize(text[hit.Start:hit.End]))
					require.GreaterOrEqual(t, hit.Count, 1)
				}
			}
			// Screening decides on the normalised text: the folded text gives the same outcome.
			in2 := in
			in2.Text = Normalize(text)
			require.Equal(t, r.Outcome, must(s.Screen(in2)).Outcome)
		}
	})
}

// FuzzParsePolicy loads arbitrary JSON: it either fails with ErrInvalidPolicy or yields a
// policy that compiles and screens.
func FuzzParsePolicy(f *testing.F) {
	good, err := json.Marshal(Hebi())
	require.NoError(f, err)
	f.Add(string(good))
	f.Add(`{"name":"x","version":"1","missing_message":"m","outside_remit_message":"o","rules":[{"name":"all"}],` +
		`"categories":[{"code":"a","label":"l","message":"m","source":"s","action":"refuse","words":["甲乙"]}]}`)
	f.Add(`{}`)
	f.Add(`[]`)
	// Huge counts (issue 9) and the shared malformed inputs.
	f.Add(`{"name":"x","version":"1","missing_message":"m","outside_remit_message":"o","rules":[{"name":"all"}],` +
		`"categories":[{"code":"a","label":"l","message":"m","source":"s","action":"refuse","min_runes":9223372036854775807}]}`)
	f.Add(`{"name":"x","version":"1","missing_message":"m","outside_remit_message":"o","rules":[{"name":"all"}],` +
		`"categories":[{"code":"a","label":"l","message":"m","source":"s","action":"refuse","max_contacts":-9223372036854775808}]}`)
	for _, c := range strictjsontest.Cases(good, 0) {
		f.Add(string(c.Input))
	}
	f.Fuzz(func(t *testing.T, data string) {
		p, err := ParsePolicy([]byte(data))
		if err != nil {
			require.ErrorIs(t, err, ErrInvalidPolicy)
			return
		}
		s, err := New(p)
		require.NoError(t, err)
		r := must(s.Screen(Input{Text: strings.Repeat("甲乙", 3)}))
		require.True(t, r.Outcome.Valid())
	})
}

// fuzzChannels are the channels FuzzScreen picks from, the unset channel included.
var fuzzChannels = []ticket.Channel{
	*new(ticket.Channel), ticket.ChannelPhone, ticket.ChannelStateCouncil, ticket.ChannelGovWebsite,
	ticket.ChannelBadReview, ticket.ChannelOneNetPortal, ticket.ChannelSuishenban, ticket.ChannelWeb,
}

// Every loader runs the module's shared table of malformed inputs.
func TestParsePolicyRefusesMalformed(t *testing.T) {
	good, err := json.Marshal(Shanghai())
	require.NoError(t, err)
	_, err = ParsePolicy(good)
	require.NoError(t, err)
	for _, c := range strictjsontest.Cases(good, MaxPolicyBytes) {
		t.Run(c.Name, func(t *testing.T) {
			_, err := ParsePolicy(c.Input)
			require.ErrorIs(t, err, ErrInvalidPolicy)
			assert.ErrorIs(t, err, ErrMalformed)
			_, err = ReadPolicy(bytes.NewReader(c.Input))
			require.ErrorIs(t, err, ErrInvalidPolicy)
			assert.ErrorIs(t, err, ErrMalformed)
		})
	}
}
