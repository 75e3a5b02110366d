package appeal

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/internal/strictjson/strictjsontest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 9: a replay checks the sequence numbers of the stored history — a gap, a reorder, a
// duplicate or a missing number is a history mismatch naming the event, not silently renumbered.
func TestReplayChecksSeq(t *testing.T) {
	r := shanghaiMachine(t)
	a, err := r.FileAppeal(appealReq(received), staffS1, at(2025, 9, 29, 9, 0))
	require.NoError(t, err)
	_, err = a.Apply(act(ActionEndorse), unitU1, at(2025, 9, 30, 9, 0))
	require.NoError(t, err)
	_, err = a.Apply(act(ActionUphold), deptD1, at(2025, 10, 9, 9, 0))
	require.NoError(t, err)
	good := a.History()
	_, err = r.ReplayAppeal(a.Request(), good)
	require.NoError(t, err)

	tests := []struct {
		name  string
		edit  func(h []Event) []Event
		event string
	}{
		{"gap", func(h []Event) []Event { h[2].Seq = 4; return h }, "event 3 (uphold)"},
		{"duplicate", func(h []Event) []Event { h[1].Seq = 1; return h }, "event 2 (endorse)"},
		{"reordered", func(h []Event) []Event { h[0].Seq, h[1].Seq = 2, 1; return h }, "event 1 (file)"},
		{"missing", func(h []Event) []Event { h[0].Seq = 0; return h }, "event 1 (file)"},
		{"starts at 2", func(h []Event) []Event {
			for i := range h {
				h[i].Seq++
			}
			return h
		}, "event 1 (file)"},
		{"negative", func(h []Event) []Event { h[2].Seq = -3; return h }, "event 3 (uphold)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := tt.edit(a.History())
			_, err := r.ReplayAppeal(a.Request(), h)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrHistoryMismatch)
			assert.ErrorContains(t, err, tt.event)
			assert.ErrorContains(t, err, "seq")
		})
	}
	// The same check guards the other two machines.
	o, err := r.FileObjection(objectionReq(received), unitU1, at(2025, 9, 28, 9, 0))
	require.NoError(t, err)
	h := o.History()
	h[0].Seq = 7
	_, err = r.ReplayObjection(o.Request(), h)
	assert.ErrorIs(t, err, ErrHistoryMismatch)
	c, err := hebiMachine(t).FileReconsideration(reconReq(received), citizenC1, at(2025, 10, 20, 9, 0))
	require.NoError(t, err)
	h = c.History()
	h[0].Seq = 0
	_, err = hebiMachine(t).ReplayReconsideration(c.Request(), h)
	assert.ErrorIs(t, err, ErrHistoryMismatch)
}

// Issue 9: the zero value of the engine, and of every procedure, is refused with an error — never a
// panic — whatever method is called.
func TestZeroValuesRefused(t *testing.T) {
	now := at(2025, 9, 29, 9, 0)
	var zero Machine
	var nilMachine *Machine
	for name, r := range map[string]*Machine{"zero": &zero, "nil": nilMachine} {
		t.Run(name, func(t *testing.T) {
			assert.NotPanics(t, func() {
				_, err := r.FileAppeal(appealReq(received), staffS1, now)
				assert.ErrorIs(t, err, ErrNotBuilt)
				_, err = r.FileObjection(objectionReq(received), unitU1, now)
				assert.ErrorIs(t, err, ErrNotBuilt)
				_, err = r.FileReconsideration(reconReq(received), citizenC1, now)
				assert.ErrorIs(t, err, ErrNotBuilt)
				_, err = r.ReplayAppeal(appealReq(received), nil)
				assert.ErrorIs(t, err, ErrNotBuilt)
				_, err = r.ReplayObjection(objectionReq(received), nil)
				assert.ErrorIs(t, err, ErrNotBuilt)
				_, err = r.ReplayReconsideration(reconReq(received), nil)
				assert.ErrorIs(t, err, ErrNotBuilt)
				_, err = r.Window(deadline.AppealClose, received, now)
				assert.ErrorIs(t, err, ErrNotBuilt)
				_ = r.Policy()
				_ = r.Limits()
			})
		})
	}
	assert.NotPanics(t, func() {
		var a Appeal
		_, err := a.Apply(act(ActionUphold), deptD1, now)
		assert.Error(t, err)
		_, ok := a.Due()
		assert.False(t, ok)
		_ = a.Request()
		_ = a.CountsInScores()
		_ = a.History()
		_ = a.Final()
		_ = a.Allowed(deptD1)
		var o Objection
		_, err = o.Apply(act(ActionUphold), deptD1, now)
		assert.Error(t, err)
		_, ok = o.Due()
		assert.False(t, ok)
		_ = o.ExcludedUnits()
		var c Reconsideration
		_, err = c.Apply(act(ActionFindImproper), deptD1, now)
		assert.Error(t, err)
	})
}

// Issue 9: the policy loader goes through the module's strict loader and refuses the shared table of
// malformed inputs with a *PolicyError.
func TestParsePolicyMalformed(t *testing.T) {
	valid := []byte(`{"name":"d","version":"000","appeal":{"filing":"appeal_close"},"reviewer_levels":["district"]}`)
	_, err := ParsePolicy(valid)
	require.NoError(t, err)
	_, err = ReadPolicy(bytes.NewReader(valid))
	require.NoError(t, err)
	for _, c := range strictjsontest.Cases(valid, MaxPolicyBytes) {
		_, err := ParsePolicy(c.Input)
		_, rerr := ReadPolicy(bytes.NewReader(c.Input))
		for _, err := range []error{err, rerr} {
			if assert.Error(t, err, c.Name) {
				var pe *PolicyError
				assert.True(t, errors.As(err, &pe), "%s: %T", c.Name, err)
				assert.ErrorIs(t, err, ErrInvalidPolicy, c.Name)
				assert.Less(t, len(err.Error()), 2000, c.Name)
			}
		}
	}
}

// Issue 9: errors never echo a huge input whole.
func TestErrorsClipHugeInput(t *testing.T) {
	huge := strings.Repeat("x", 64<<10)
	r := shanghaiMachine(t)
	errs := map[string]error{}
	var role Role
	errs["Role.UnmarshalText"] = json.Unmarshal([]byte(`"`+huge+`"`), &role)
	if errs["Role.UnmarshalText"] == nil {
		errs["Role.UnmarshalText"] = errors.New(huge)
	}
	_, errs["ParsePolicy"] = ParsePolicy([]byte(`{"name":"` + huge + `","reviewer_levels":["` + huge + `"]}`))
	q := appealReq(received)
	q.Ground = Ground(huge)
	_, errs["FileAppeal ground"] = r.FileAppeal(q, unitU1, at(2025, 9, 29, 9, 0))
	q = appealReq(received)
	_, errs["FileAppeal unit"] = r.FileAppeal(q, Actor{Role: RoleHandlingUnit, Unit: huge}, at(2025, 9, 29, 9, 0))
	_, errs["Apply action"] = mustAppeal(t, r).Apply(Action{Kind: ActionKind(huge)}, deptD1, at(2025, 9, 30, 9, 0))
	_, errs["Apply role"] = mustAppeal(t, r).Apply(act(ActionUphold), Actor{Role: Role(huge)}, at(2025, 9, 30, 9, 0))
	for name, err := range errs {
		require.Error(t, err, name)
		assert.Less(t, len(err.Error()), 2000, "%s: %.200s…", name, err.Error())
	}
}

func mustAppeal(t *testing.T, r *Machine) *Appeal {
	a, err := r.FileAppeal(appealReq(received), unitU1, at(2025, 9, 29, 9, 0))
	require.NoError(t, err)
	return a
}

// FuzzFileAndApply files each procedure from an arbitrary request, actor and instant, then applies an
// arbitrary action: nothing panics, and every refusal is one of the package's typed errors.
func FuzzFileAndApply(f *testing.F) {
	req, _ := json.Marshal(appealReq(received))
	f.Add(req, []byte(`{"role":"handling_unit","unit":"U1"}`), int64(1759200000), []byte(`{"kind":"uphold","reason":"r"}`), []byte(`{"role":"competent","unit":"D1"}`), int64(1759300000))
	f.Add([]byte(`{"ticket":{"id":"T","unit_id":"U1","received_at":"0001-01-01T00:00:00Z"},"evidence":[""]}`), []byte(`{"role":"staff"}`), int64(math.MinInt64), []byte(`{}`), []byte(`{}`), int64(math.MaxInt64))
	f.Add([]byte(`{"ticket":{"id":"T","unit_id":"U1","received_at":"9999-12-31T23:59:59Z"},"ground":"untrue","defence":"d","evidence":["e"],"reviewer":{"unit":"D1","level":"city"}}`),
		[]byte(`{"role":"handling_unit","unit":"U1"}`), int64(253402300799), []byte(`{"kind":"lapse"}`), []byte(`{"role":"hotline_office"}`), int64(253402300799))
	m := shanghaiMachine(f)
	typed := func(t *testing.T, err error) {
		var te *TransitionError
		var le *LateError
		if !errors.As(err, &te) && !errors.As(err, &le) {
			t.Fatalf("untyped error %T: %v", err, err)
		}
	}
	f.Fuzz(func(t *testing.T, reqJSON, byJSON []byte, at1 int64, actJSON, by2JSON []byte, at2 int64) {
		var q Request
		var oq ObjectionRequest
		var rq ReconsiderationRequest
		var by, by2 Actor
		var a Action
		if json.Unmarshal(byJSON, &by) != nil || json.Unmarshal(by2JSON, &by2) != nil || json.Unmarshal(actJSON, &a) != nil {
			return
		}
		t1, t2 := time.Unix(at1, 0), time.Unix(at2, 0)
		if json.Unmarshal(reqJSON, &q) == nil {
			if p, err := m.FileAppeal(q, by, t1); err != nil {
				typed(t, err)
			} else if _, err := p.Apply(a, by2, t2); err != nil {
				typed(t, err)
			}
		}
		if json.Unmarshal(reqJSON, &oq) == nil {
			if p, err := m.FileObjection(oq, by, t1); err != nil {
				typed(t, err)
			} else if _, err := p.Apply(a, by2, t2); err != nil {
				typed(t, err)
			}
		}
		if json.Unmarshal(reqJSON, &rq) == nil {
			if p, err := m.FileReconsideration(rq, by, t1); err != nil {
				typed(t, err)
			} else if _, err := p.Apply(a, by2, t2); err != nil {
				typed(t, err)
			}
		}
	})
}
