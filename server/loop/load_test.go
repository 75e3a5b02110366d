package loop_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/hotline12345/hotline/internal/strictjson/strictjsontest"
	"github.com/hotline12345/hotline/server/loop"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestParsePolicy: every preset survives JSON; a district's override is read and validated.
func TestParsePolicy(t *testing.T) {
	for _, p := range loop.Presets() {
		b, err := json.Marshal(p)
		require.NoError(t, err)
		got, err := loop.ParsePolicy(b)
		require.NoError(t, err, string(b))
		assert.Equal(t, p, got)
		got, err = loop.ReadPolicy(bytes.NewReader(b))
		require.NoError(t, err)
		assert.Equal(t, p, got)
	}
	p, err := loop.ParsePolicy([]byte(`{"name":"strict","ratings":{"satisfied":"very_satisfied","fairly_satisfied":"满意","dissatisfied":"very_dissatisfied"},"attitude_satisfied":["satisfied"]}`))
	require.NoError(t, err)
	assert.Equal(t, "strict", p.Name)
	for _, bad := range []string{
		`{"name":"x","ratings":{"satisfied":"great","fairly_satisfied":"satisfied","dissatisfied":"dissatisfied"},"attitude_satisfied":["satisfied"]}`,
		`{"name":"x","ratings":{"satisfied":"satisfied","fairly_satisfied":"satisfied","dissatisfied":"satisfied"},"attitude_satisfied":["satisfied"]}`,
		`{"name":"x","ratings":{"satisfied":"satisfied","fairly_satisfied":"satisfied","dissatisfied":"dissatisfied"},"attitude_satisfied":["satisfied"],"complaint_kinds":["petition"]}`,
	} {
		_, err := loop.ParsePolicy([]byte(bad))
		assert.ErrorIs(t, err, loop.ErrInvalidPolicy, bad)
	}
}

// TestPolicyLoadersRefuseMalformed runs the module's shared malformed-input table (issue 9).
func TestPolicyLoadersRefuseMalformed(t *testing.T) {
	valid, err := json.Marshal(loop.StreetHotline())
	require.NoError(t, err)
	for _, c := range strictjsontest.Cases(valid, loop.MaxPolicyBytes) {
		t.Run(c.Name, func(t *testing.T) {
			assert.NotPanics(t, func() {
				_, err := loop.ParsePolicy(c.Input)
				assert.ErrorIs(t, err, loop.ErrInvalidPolicy)
				_, err = loop.ReadPolicy(bytes.NewReader(c.Input))
				assert.ErrorIs(t, err, loop.ErrInvalidPolicy)
			})
		})
	}
}

// FuzzParsePolicy: no input panics the loader; what it accepts validates and round-trips.
func FuzzParsePolicy(f *testing.F) {
	for _, p := range loop.Presets() {
		b, _ := json.Marshal(p)
		f.Add(b)
	}
	f.Add([]byte(`{"name":"x","Name":"y"}`))
	f.Add([]byte(`{"name":"x","ratings":{"satisfied":"\u0000"}}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := loop.ParsePolicy(data)
		if err != nil {
			assert.ErrorIs(t, err, loop.ErrInvalidPolicy)
			return
		}
		require.NoError(t, p.Validate())
		b, err := json.Marshal(p)
		require.NoError(t, err)
		q, err := loop.ParsePolicy(b)
		require.NoError(t, err)
		assert.Equal(t, p, q)
	})
}
