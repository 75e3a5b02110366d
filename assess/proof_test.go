package assess

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// 001 (十) 不可更改, made checkable for one unit: a unit shows that its cases are in a published result
// without anybody seeing the other units' records.
func TestInclusionProof(t *testing.T) {
	in := genInput(rand.New(rand.NewPCG(11, 1)), 12, 2000, 300)
	in.Adjustments = nil
	for _, alg := range []Algorithm{SM3, SHA256} {
		t.Run(string(alg), func(t *testing.T) {
			s := StreetHotline()
			s.Algorithm = alg
			r, err := Score(in, s, marchQuery())
			require.NoError(t, err)
			pub := r.Public()

			p, err := ProveUnit(in, s, "U003")
			require.NoError(t, err)
			require.NoError(t, VerifyInclusion(p, pub))
			var want int
			for _, c := range in.Cases {
				if c.Unit == "U003" {
					want++
				}
			}
			assert.Len(t, p.Cases, want, "every case of the unit is proven")
			assert.Equal(t, int64(len(r.Records)), p.TreeSize)

			// The proof carries the unit's own cases and hashes only: no other unit's record or ID.
			b, err := json.Marshal(p)
			require.NoError(t, err)
			var back InclusionProof
			require.NoError(t, json.Unmarshal(b, &back))
			require.NoError(t, VerifyInclusion(back, pub), "survives a JSON round trip")
			for _, c := range in.Cases {
				if c.Unit != "U003" {
					assert.NotContains(t, string(b), `"`+c.ID+`"`)
				}
			}

			tamper := []struct {
				name string
				f    func(*InclusionProof)
				path string
			}{
				{"a changed case", func(p *InclusionProof) { p.Cases[0].Case.Repeats++ }, "proof.cases[case:" + p.Cases[0].Case.ID + "]"},
				{"a changed sibling", func(p *InclusionProof) { p.Cases[1].Path[0][3] ^= 0x40 }, "proof.cases[case:" + p.Cases[1].Case.ID + "]"},
				{"a moved index", func(p *InclusionProof) { p.Cases[2].Index++ }, "proof.cases[case:" + p.Cases[2].Case.ID + "]"},
				{"another unit's case", func(p *InclusionProof) { p.Cases[0].Case.Unit = "U004" }, "proof.cases[case:" + p.Cases[0].Case.ID + "].unit"},
				{"another root", func(p *InclusionProof) { p.Root[0] ^= 1 }, "proof.root"},
				{"another algorithm", func(p *InclusionProof) { p.Algorithm = map[Algorithm]Algorithm{SM3: SHA256, SHA256: SM3}[p.Algorithm] }, "proof.algorithm"},
				{"no cases", func(p *InclusionProof) { p.Cases = nil }, "proof.cases"},
			}
			for _, tt := range tamper {
				t.Run(tt.name, func(t *testing.T) {
					var q InclusionProof
					require.NoError(t, json.Unmarshal(b, &q)) // a deep copy
					tt.f(&q)
					err := VerifyInclusion(q, pub)
					require.ErrorIs(t, err, ErrMismatch)
					var me *MismatchError
					require.True(t, errors.As(err, &me))
					assert.Equal(t, tt.path, me.Path)
				})
			}

			// A result over other data does not accept the proof.
			other := in
			other.Cases = append([]CaseRecord(nil), in.Cases[1:]...)
			r2, err := Score(other, s, marchQuery())
			require.NoError(t, err)
			assert.ErrorIs(t, VerifyInclusion(p, r2), ErrMismatch)
		})
	}
	_, err := ProveUnit(in, StreetHotline(), "nobody")
	assert.ErrorIs(t, err, ErrInvalidInput)
}

// DiffRecords lists every difference, in canonical order; Verify names the first.
func TestDiffRecords(t *testing.T) {
	in := fixtureInput()
	r, err := Score(in, StreetHotline(), marchQuery())
	require.NoError(t, err)
	changed := fixtureInput()
	changed.Cases[1].Repeats = 9                                                                  // A2 changed
	changed.Cases = append(changed.Cases[:4], changed.Cases[5:]...)                               // A5 removed
	changed.Cases = append(changed.Cases, CaseRecord{ID: "N1", Unit: "A", ReceivedAt: mar(9, 9)}) // N1 added
	r2, err := Score(changed, StreetHotline(), marchQuery())
	require.NoError(t, err)
	got := map[string]string{}
	for _, c := range DiffRecords(r.Records, r2.Records) {
		got[c.Key] = c.Change
	}
	assert.Equal(t, map[string]string{"case:A2": "changed", "case:A5": "missing", "case:N1": "added"}, got)
	var me *MismatchError
	require.True(t, errors.As(Verify(changed, StreetHotline(), r), &me))
	assert.Contains(t, []string{"input[case:A2]", "input[case:A5]", "input[case:N1]"}, me.Path)
}
