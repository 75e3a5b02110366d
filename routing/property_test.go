package routing

import (
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// randomRequest draws a request over dir: any place in the tree, one to three
// matters, a kind, some exclusions and a return history.
func randomRequest(rng *rand.Rand, dir *Directory, places []RegionCode) Request {
	req := Request{Place: places[rng.IntN(len(places))], Kind: randomKind(rng)}
	for range 1 + rng.IntN(3) {
		m := dir.matters[rng.IntN(len(dir.matters))].Code
		if !slices.Contains(req.Matters, m) {
			req.Matters = append(req.Matters, m)
		}
	}
	unit := func() string { return dir.units[rng.IntN(len(dir.units))].ID }
	for range rng.IntN(3) {
		req.Exclude = append(req.Exclude, unit())
	}
	for range rng.IntN(4) {
		ret := Return{Unit: unit(), Upheld: rng.IntN(3) > 0}
		if rng.IntN(2) == 0 {
			ret.SuggestedUnit = unit()
		}
		req.Returns = append(req.Returns, ret)
	}
	return req
}

// randomKind draws a kind or none.
func randomKind(rng *rand.Rand) Kind {
	all := Kinds()
	if i := rng.IntN(len(all) + 1); i < len(all) {
		return all[i]
	}
	return ""
}

// needsDesignation stands in the tests for "no mode: needs designation".
const needsDesignation DispatchMode = "(needs designation)"

// modeOf returns the decision's mode, or needsDesignation.
func modeOf(d Decision) DispatchMode {
	if d.NeedsDesignation {
		return needsDesignation
	}
	return d.Mode
}

// excludedBy lists the units a request excludes: the caller's and those
// whose returns were upheld.
func excludedBy(req Request) []string {
	ex := slices.Clone(req.Exclude)
	for _, r := range req.Returns {
		if r.Upheld {
			ex = append(ex, r.Unit)
		}
	}
	return ex
}

// checkInvariants asserts what must hold for every decision without a
// designation.
func checkInvariants(t *testing.T, dir *Directory, req Request, d Decision) {
	t.Helper()
	ex := excludedBy(req)
	for _, id := range append(d.Units(), d.Candidates...) {
		_, ok := dir.Unit(id)
		require.True(t, ok, "decision names unknown unit %q", id)
	}
	if d.Authority != "" {
		_, ok := dir.Unit(d.Authority)
		require.True(t, ok, "decision names unknown authority %q", d.Authority)
	}
	for _, id := range d.Units() {
		require.NotContains(t, ex, id, "excluded unit chosen: %+v", d)
	}
	require.NotEmpty(t, d.Trail)
	for _, st := range d.Trail {
		// Every rule from the documents cites its article; only the caller's
		// exclusions and the catalogue's level fallback are not rules of a
		// document.
		if st.Rule != RuleExcluded && st.Rule != RuleMatterFallback {
			require.NotEmpty(t, st.Article, "step %s cites no article: %+v", st.Rule, st)
		}
	}
	require.Equal(t, d.NeedsDesignation, d.Mode == "", "a decision has a mode or needs designation: %+v", d)
	switch modeOf(d) {
	case DispatchStatutory, DispatchNegotiated:
		for _, id := range d.Units() {
			if hasRule(d, RuleSuggestedUnit, "") && id == req.Returns[len(req.Returns)-1].SuggestedUnit {
				continue // re-dispatched to the suggested unit (000 §7 (二))
			}
			if dir.Covers(id, req.Place) {
				continue
			}
			require.Failf(t, "unit does not cover the place", "%s does not cover %s: %+v", id, req.Place, d)
		}
	case DispatchFallback:
		u, _ := dir.Unit(d.Lead)
		require.True(t, u.Territorial, "fallback to a territorial government: %+v", d)
		require.True(t, dir.Covers(d.Lead, req.Place))
		require.Empty(t, d.CoHandling)
	case needsDesignation:
		require.Empty(t, d.Lead)
		require.Empty(t, d.CoHandling)
	default:
		require.Failf(t, "unexpected mode", "%v without a designation", d.Mode)
	}
	require.NotContains(t, d.CoHandling, d.Lead)
	require.Equal(t, len(req.Returns), d.Returns)
}

func fixturePlaces(dir *Directory) []RegionCode {
	var places []RegionCode
	for r := range dir.Tree().All() {
		places = append(places, r.Code)
	}
	return places
}

// Property: a decision's units exist and cover the place (or are the fallback
// or the suggested unit); excluded units are never chosen; decisions are
// deterministic.
func TestRouteProperties(t *testing.T) {
	dir := loadDirectory(t)
	places := fixturePlaces(dir)
	for _, p := range []Policy{Shanghai(), Hebi(), StreetHotline()} {
		t.Run(p.Name, func(t *testing.T) {
			r := newRouter(t, dir, p)
			rng := rand.New(rand.NewPCG(1, 2))
			modes := map[DispatchMode]int{}
			for range 3000 {
				req := randomRequest(rng, dir, places)
				d, err := r.Route(req)
				require.NoError(t, err, "%+v", req)
				checkInvariants(t, dir, req, d)
				again, err := r.Route(req)
				require.NoError(t, err)
				require.Equal(t, d, again, "deterministic")
				modes[modeOf(d)]++
			}
			// The generator reaches every rule-based mode.
			for _, m := range []DispatchMode{DispatchStatutory, DispatchNegotiated, DispatchFallback, needsDesignation} {
				assert.Positive(t, modes[m], "mode %s never reached", m)
			}
		})
	}
}

// Property: the index finds exactly what a linear scan over all units finds,
// so routing with either gives the same decision.
func TestIndexMatchesLinearScan(t *testing.T) {
	dir := loadDirectory(t)
	places := fixturePlaces(dir)
	for _, p := range []Policy{Shanghai(), Hebi()} {
		r := newRouter(t, dir, p)
		rng := rand.New(rand.NewPCG(3, 4))
		for range 2000 {
			req := randomRequest(rng, dir, places)
			want, err := r.route(req, linearFind)
			require.NoError(t, err)
			got, err := r.Route(req)
			require.NoError(t, err)
			require.Equal(t, want, got, "%+v", req)
		}
	}
}

// Property: a designation is followed unless its lead is excluded, and its
// excluded co-handlers are dropped.
func TestDesignationProperties(t *testing.T) {
	dir := loadDirectory(t)
	places := fixturePlaces(dir)
	r := newRouter(t, dir, Shanghai())
	rng := rand.New(rand.NewPCG(5, 6))
	for range 1000 {
		req := randomRequest(rng, dir, places)
		des := &Designation{Lead: dir.units[rng.IntN(len(dir.units))].ID}
		for range rng.IntN(3) {
			des.CoHandling = append(des.CoHandling, dir.units[rng.IntN(len(dir.units))].ID)
		}
		req.Designation = des
		d, err := r.Route(req)
		require.NoError(t, err)
		ex := excludedBy(req)
		if slices.Contains(ex, des.Lead) {
			require.True(t, d.NeedsDesignation)
			continue
		}
		require.Equal(t, DispatchDesignated, d.Mode)
		require.Equal(t, des.Lead, d.Lead)
		for _, id := range d.CoHandling {
			require.NotContains(t, ex, id)
			require.Contains(t, des.CoHandling, id)
		}
	}
}

// A router is safe for concurrent use (run with -race).
func TestRouteConcurrent(t *testing.T) {
	dir := loadDirectory(t)
	r := newRouter(t, dir, Shanghai())
	places := fixturePlaces(dir)
	rng := rand.New(rand.NewPCG(7, 8))
	reqs := make([]Request, 200)
	want := make([]Decision, len(reqs))
	for i := range reqs {
		reqs[i] = randomRequest(rng, dir, places)
		var err error
		want[i], err = r.Route(reqs[i])
		require.NoError(t, err)
	}
	var wg sync.WaitGroup
	got := make([][]Decision, 4)
	for g := range got {
		wg.Go(func() {
			for _, req := range reqs {
				d, _ := r.Route(req)
				got[g] = append(got[g], d)
			}
		})
	}
	wg.Wait()
	for g := range got {
		assert.Equal(t, want, got[g])
	}
}
