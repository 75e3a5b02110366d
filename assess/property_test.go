package assess

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Scores, rankings and digests do not depend on the order of the input (001 (十): reproducible).
func TestPropertyOrderInvariance(t *testing.T) {
	for seed := range uint64(5) {
		rng := rand.New(rand.NewPCG(seed, 42))
		in := genInput(rng, 15, 1500, 400)
		in.Volumes = []Volume{{Unit: "U001", Count: 500}, {Unit: "U002", Count: 40}}
		in.Units = []string{"U999", "U000", "U999"}
		for _, s := range Presets() {
			sin := in
			if s.Name != "street-hotline" {
				sin.Adjustments = nil
			}
			want, err := Score(sin, s, marchQuery())
			require.NoError(t, err)
			for range 3 {
				got, err := Score(shuffled(rng, sin), s, marchQuery())
				require.NoError(t, err)
				require.Equal(t, want, got, "seed %d scheme %s", seed, s.Name)
			}
		}
	}
}

// Voiding one unit's review (不属实评价, 000 §6 (二)) never changes another unit's score; likewise
// voiding one unit's case.
func TestPropertyVoidingIsLocal(t *testing.T) {
	for seed := range uint64(5) {
		rng := rand.New(rand.NewPCG(seed, 7))
		in := genInput(rng, 12, 800, 300)
		s := StreetHotline()
		before, err := Score(in, s, marchQuery())
		require.NoError(t, err)
		for range 10 {
			var unit string
			mod := shuffled(rng, in) // fresh copies of the slices
			if rng.IntN(2) == 0 {
				i := rng.IntN(len(mod.Reviews))
				mod.Reviews[i].Unfounded = !mod.Reviews[i].Unfounded
				unit = mod.Reviews[i].Unit
			} else {
				i := rng.IntN(len(mod.Cases))
				mod.Cases[i].Unfounded = !mod.Cases[i].Unfounded
				unit = mod.Cases[i].Unit
			}
			after, err := Score(mod, s, marchQuery())
			require.NoError(t, err)
			require.Len(t, after.Units, len(before.Units))
			for j, u := range after.Units {
				if u.Unit != unit {
					assert.Equal(t, before.Units[j], u, "seed %d: voiding a record of %s changed %s", seed, unit, u.Unit)
				}
			}
		}
	}
}

// Every result verifies against its own input, for every preset and both algorithms.
func TestPropertyVerifyRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	in := genInput(rng, 10, 500, 100)
	in.Adjustments = nil
	for _, s := range Presets() {
		for _, alg := range []Algorithm{SM3, SHA256} {
			s.Algorithm = alg
			r, err := Score(in, s, marchQuery())
			require.NoError(t, err)
			assert.NoError(t, Verify(shuffled(rng, in), s, r), "%s %s", s.Name, alg)
		}
	}
}
