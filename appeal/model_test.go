package appeal

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Model-based tests: random action sequences by random actors, on tickets received around 国庆,
// 春节 and 元旦. Each step is checked against an independent model of the procedure (the oracles
// below: transitions written out by hand from 000 §6, §7 and 002 §6 (二) 3, the windows taken from
// the hand-worked days of window_test.go, not from the deadline package): the machine must accept
// exactly what the model accepts, reach the state it predicts, and refuse the rest with the error
// it predicts. The machines also never reach a state or take a step outside their table, leave the
// machine unchanged when refused, and replay to the same machine. An upheld appeal yields exactly
// one VoidReview (000 §6 (二)); the review counts in scores unless the appeal is upheld.

var modelActors = []Actor{unitU1, unitU2, unitU3, staffS1, staffS2, staffX, deptD1, deptD2, hotline, citizenC1, citizenC2,
	{Role: "mayor", Unit: "M"}, {}}

// procedure is what the model test drives: the methods the concrete procedures share. It exists only
// in this test, so that one model runs over *Appeal, *Objection and *Reconsideration.
type procedure interface {
	Name() string
	State() State
	History() []Event
	Table() []Transition
	Apply(a Action, by Actor, now time.Time) ([]Effect, error)
	Final() bool
	Allowed(by Actor) []ActionKind
}

var (
	_ procedure = (*Appeal)(nil)
	_ procedure = (*Objection)(nil)
	_ procedure = (*Reconsideration)(nil)
)

func randomAction(rng *rand.Rand) Action {
	kinds := append(ActionKinds(), "escalate", "")
	a := Action{Kind: kinds[rng.IntN(len(kinds))]}
	if rng.IntN(4) > 0 {
		a.Reason = "理由"
	}
	switch rng.IntN(10) {
	case 0, 1, 2, 3, 4:
		a.Basis = Bases()[rng.IntN(3)]
	case 5:
		a.Basis = "bogus" // refused on every action: a history must decode again
	}
	return a
}

// randomFiler prefers plausible filers so that most sequences get past filing.
func randomFiler(rng *rand.Rand, plausible ...Actor) Actor {
	if rng.IntN(5) == 0 {
		return modelActors[rng.IntN(len(modelActors))]
	}
	return plausible[rng.IntN(len(plausible))]
}

// randomStep returns the next instant: mostly forwards by up to three days, sometimes backwards.
func randomStep(rng *rand.Rand, now time.Time) time.Time {
	if rng.IntN(15) == 0 {
		return now.Add(-time.Duration(rng.IntN(48)+1) * time.Hour)
	}
	return now.Add(time.Duration(rng.IntN(72*60)) * time.Minute)
}

// guided, most of the time, replaces the random action and actor by a row of the table that leaves
// the current state and an actor of a role the row allows (not necessarily the right unit), so
// that the walk reaches every state.
func guided(rng *rand.Rand, m procedure, a *Action, by *Actor) {
	if rng.IntN(10) < 3 {
		return
	}
	var rows []Transition
	for _, r := range m.Table() {
		if r.From == m.State() {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 {
		return
	}
	row := rows[rng.IntN(len(rows))]
	var actors []Actor
	for _, x := range modelActors {
		if slices.Contains(row.By, x.Role) {
			actors = append(actors, x)
		}
	}
	a.Kind, *by = row.Action, actors[rng.IntN(len(actors))]
}

var sentinels = []error{ErrIllegalTransition, ErrForbiddenRole, ErrMissingField, ErrInvalidValue, ErrLate}

type subject struct {
	m procedure
	// expect is the model: the state action a by actor by at instant now leads to from state from,
	// or the sentinel the machine must refuse it with. prev is the instant of the previous event.
	expect func(from State, a Action, by Actor, now, prev time.Time) (State, error)
	// replay rebuilds the machine from its request and history (through JSON when viaJSON).
	replay func(viaJSON bool) (procedure, error)
	// check asserts machine-specific invariants after a successful step.
	check func(t *testing.T, from State, a Action, effects []Effect)
}

// runModel runs 400 random sequences. Every state of the table must be reached, except those listed
// as unreachable, which must never be.
func runModel(t *testing.T, seed uint64, file func(rng *rand.Rand, filedAt time.Time) (subject, error), unreachable ...State) {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	filed, refusedFilings := 0, 0
	reached := map[State]int{}
	var s0 procedure
	for i := range 400 {
		tc := handWorked[rng.IntN(len(handWorked))]
		now := tc.received.Add(time.Duration(rng.IntN(25*24)) * time.Hour)
		s, err := file(rng, now)
		if s0 == nil && err == nil {
			s0 = s.m
		}
		if err != nil {
			refusedFilings++
			require.True(t, slices.ContainsFunc(sentinels, func(e error) bool { return errors.Is(err, e) }), "filing error %v", err)
			continue
		}
		filed++
		m := s.m
		reached[m.State()]++
		table := m.Table()
		states := map[State]bool{}
		for _, r := range table {
			states[r.From], states[r.To] = true, true
		}
		for range rng.IntN(16) {
			a, by := randomAction(rng), modelActors[rng.IntN(len(modelActors))]
			guided(rng, m, &a, &by)
			now = randomStep(rng, now)
			from, hist := m.State(), m.History()
			wantTo, wantErr := s.expect(from, a, by, now, hist[len(hist)-1].At)
			effects, err := m.Apply(a, by, now)
			if wantErr != nil {
				require.ErrorIs(t, err, wantErr, "seq %d: %s --%s by %v at %s", i, from, a.Kind, by, fmtTime(now))
			} else {
				require.NoError(t, err, "seq %d: %s --%s by %v at %s", i, from, a.Kind, by, fmtTime(now))
				assert.Equal(t, wantTo, m.State(), "seq %d: the model's state", i)
			}
			if err != nil {
				require.True(t, slices.ContainsFunc(sentinels, func(e error) bool { return errors.Is(err, e) }), "seq %d: %v", i, err)
				assert.Nil(t, effects)
				assert.Equal(t, from, m.State(), "refused: state unchanged")
				assert.Equal(t, hist, m.History(), "refused: history unchanged")
				var te *TransitionError
				if errors.As(err, &te) {
					assert.Equal(t, from, te.State)
					assert.Equal(t, m.Name(), te.Procedure)
				}
				continue
			}
			to := m.State()
			reached[to]++
			require.True(t, slices.ContainsFunc(table, func(r Transition) bool {
				return r.From == from && r.Action == a.Kind && r.To == to && slices.Contains(r.By, by.Role)
			}), "seq %d: %s --%s by %s--> %s is not in the table", i, from, a.Kind, by.Role, to)
			require.True(t, states[to])
			h := m.History()
			require.Len(t, h, len(hist)+1)
			last := h[len(h)-1]
			assert.Equal(t, Event{Seq: len(h), Action: a, By: by, At: now, From: from, To: to,
				Source: last.Source, Effects: effects}, last)
			if s.check != nil {
				s.check(t, from, a, effects)
			}
		}
		if m.Final() {
			for _, by := range modelActors {
				assert.Empty(t, m.Allowed(by))
			}
		}
		// Replay equals live.
		r, err := s.replay(false)
		require.NoError(t, err, "seq %d", i)
		assert.Equal(t, m.State(), r.State())
		assert.Equal(t, m.History(), r.History())
		r, err = s.replay(true)
		require.NoError(t, err, "seq %d (JSON)", i)
		assert.Equal(t, m.State(), r.State())
		assert.Len(t, r.History(), len(m.History()))
	}
	assert.Greater(t, filed, 200, "most sequences get past filing (refused %d)", refusedFilings)
	// The random walk covers the whole table: every state is reached.
	for _, r := range s0.Table() {
		if slices.Contains(unreachable, r.To) {
			assert.Zero(t, reached[r.To], "state %s reached", r.To)
		} else {
			assert.Positive(t, reached[r.To], "state %s never reached", r.To)
		}
	}
}

func TestModelAppeal(t *testing.T) {
	r := shanghaiMachine(t)
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			runModel(t, seed, func(rng *rand.Rand, now time.Time) (subject, error) {
				tc := handWorked[rng.IntN(len(handWorked))]
				q := appealReq(tc.received)
				closes := tc.close15.AddDate(0, 0, 1) // 000 §6 (二), worked by hand
				// Most filings fall within the 15 working days, some after.
				now = q.Ticket.ReceivedAt.Add(time.Duration(rng.IntN(22*24)) * time.Hour)
				filer := randomFiler(rng, staffS1, unitU1)
				wantState, wantErr := expectAppealFiling(filer, now, closes)
				a, err := r.FileAppeal(q, filer, now)
				if wantErr != nil {
					require.ErrorIs(t, err, wantErr, "filing by %v at %s", filer, fmtTime(now))
					return subject{}, err
				}
				require.NoError(t, err, "filing by %v at %s", filer, fmtTime(now))
				require.Equal(t, wantState, a.State())
				return subject{
					m:      a,
					expect: appealModel(closes, filer.Person),
					replay: func(viaJSON bool) (procedure, error) {
						if viaJSON {
							return r.ReplayAppeal(roundTrip(t, a.Request()), roundTrip(t, a.History()))
						}
						return r.ReplayAppeal(a.Request(), a.History())
					},
					check: func(t *testing.T, from State, act Action, effects []Effect) {
						voids := 0
						for _, e := range effects {
							if _, ok := e.(VoidReview); ok {
								voids++
							}
						}
						if act.Kind == ActionUphold {
							assert.Equal(t, 1, voids, "000 §6 (二): an upheld appeal voids the review once")
							assert.Len(t, effects, 2)
						} else {
							assert.Empty(t, effects)
						}
						assert.Equal(t, a.State() != StateUpheld, a.CountsInScores())
						total := 0
						for _, ev := range a.History() {
							for _, e := range ev.Effects {
								if _, ok := e.(VoidReview); ok {
									total++
								}
							}
						}
						assert.Equal(t, a.State() == StateUpheld, total == 1)
						assert.LessOrEqual(t, total, 1)
					},
				}, nil
			})
		})
	}
}

func TestModelObjection(t *testing.T) {
	r := shanghaiMachine(t)
	for _, seed := range []uint64{4, 5, 6} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			runModel(t, seed, func(rng *rand.Rand, now time.Time) (subject, error) {
				tc := handWorked[rng.IntN(len(handWorked))]
				q := objectionReq(tc.received)
				closes := tc.return5.AddDate(0, 0, 1) // 000 §7 (二), worked by hand
				// Keep most filings within the 5 working days so decisions get exercised.
				now = q.Ticket.ReceivedAt.Add(time.Duration(rng.IntN(5*24)) * time.Hour)
				filer := randomFiler(rng, unitU1)
				wantErr := expectObjectionFiling(filer, now, closes)
				o, err := r.FileObjection(q, filer, now)
				if wantErr != nil {
					require.ErrorIs(t, err, wantErr, "filing by %v at %s", filer, fmtTime(now))
					return subject{}, err
				}
				require.NoError(t, err, "filing by %v at %s", filer, fmtTime(now))
				require.Equal(t, StateUnderReview, o.State())
				return subject{
					m:      o,
					expect: objectionModel(closes),
					replay: func(viaJSON bool) (procedure, error) {
						if viaJSON {
							return r.ReplayObjection(roundTrip(t, o.Request()), roundTrip(t, o.History()))
						}
						return r.ReplayObjection(o.Request(), o.History())
					},
					check: func(t *testing.T, from State, act Action, effects []Effect) {
						switch act.Kind {
						case ActionUphold:
							require.Len(t, effects, 1)
							ret := effects[0].(ReturnTicket)
							assert.Equal(t, "U1", ret.ExcludeUnit)
							assert.Equal(t, "U2", ret.SuggestedUnit)
						case ActionObject:
							require.Len(t, effects, 1)
							assert.Equal(t, CityOffice, effects[0].(Designate).Authority)
						default:
							assert.Empty(t, effects)
						}
					},
				}, nil
			})
		})
	}
}

func TestModelReconsideration(t *testing.T) {
	r := hebiMachine(t)
	for _, seed := range []uint64{7, 8, 9} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			runModel(t, seed, func(rng *rand.Rand, now time.Time) (subject, error) {
				q := reconReq(handWorked[rng.IntN(len(handWorked))].received)
				q.RepliedAt = q.Ticket.ReceivedAt.Add(time.Hour)
				if now.Before(q.RepliedAt) {
					now = q.RepliedAt.Add(time.Hour)
				}
				filer := randomFiler(rng, citizenC1, hotline)
				wantErr := expectReconsiderationFiling(filer)
				c, err := r.FileReconsideration(q, filer, now)
				if wantErr != nil {
					require.ErrorIs(t, err, wantErr, "filing by %v", filer)
					return subject{}, err
				}
				require.NoError(t, err, "filing by %v", filer)
				require.Equal(t, StateUnderReview, c.State())
				return subject{
					m:      c,
					expect: reconsiderationModel,
					replay: func(viaJSON bool) (procedure, error) {
						if viaJSON {
							return r.ReplayReconsideration(roundTrip(t, c.Request()), roundTrip(t, c.History()))
						}
						return r.ReplayReconsideration(c.Request(), c.History())
					},
					check: func(t *testing.T, from State, act Action, effects []Effect) {
						if act.Kind == ActionFindImproper {
							require.Len(t, effects, 1)
							assert.Equal(t, "U1", effects[0].(ReopenTicket).Unit)
						} else {
							assert.Empty(t, effects)
						}
					},
				}, nil
			}, StateLapsed) // 002 sets no window, so nothing lapses
		})
	}
}

// The models. Each is written from the articles, not from the tables: a row is the action, the one
// role that may take it and the state it leads to. The actors of the model tests are fixed: the
// ticket's unit is U1, the suggested unit U2, the reviewer D1, the complaining citizen C1.

type modelRow struct {
	role Role
	to   State
}

// modelStep applies what every machine checks first, in the order the machines check it: a second
// filing, an unknown action or one not offered in the state, a role that may not take it, an
// instant before the previous event. It returns the row, or the sentinel.
func modelStep(rows map[State]map[ActionKind][]modelRow, from State, a Action, by Actor, now, prev time.Time) (modelRow, error) {
	if a.Kind == ActionFile {
		return modelRow{}, ErrIllegalTransition // filing is not an Apply
	}
	cands, ok := rows[from][a.Kind]
	if !ok {
		return modelRow{}, ErrIllegalTransition
	}
	i := slices.IndexFunc(cands, func(r modelRow) bool { return r.role == by.Role })
	if i < 0 {
		return modelRow{}, ErrForbiddenRole
	}
	if now.Before(prev) {
		return modelRow{}, ErrInvalidValue
	}
	return cands[i], nil
}

// expectAppealFiling: 000 §6 (一): a staff member of U1 files with the unit, U1 files with D1, and
// (the Shanghai policy) not once the 15 working days of §6 (二) have run out.
func expectAppealFiling(by Actor, now, closes time.Time) (State, error) {
	switch {
	case by.Role != RoleStaff && by.Role != RoleHandlingUnit:
		return "", ErrForbiddenRole
	case by.Unit != "U1":
		return "", ErrForbiddenRole
	case !now.Before(closes):
		return "", ErrLate
	case by.Role == RoleStaff:
		return StatePendingUnit, nil
	}
	return StateUnderReview, nil
}

// appealModel is 000 §6 for an appeal whose windows close at closes, filed by staff member staff
// (empty when the unit filed).
func appealModel(closes time.Time, staff string) func(State, Action, Actor, time.Time, time.Time) (State, error) {
	rows := map[State]map[ActionKind][]modelRow{
		StatePendingUnit: {
			ActionEndorse:  {{RoleHandlingUnit, StateUnderReview}},
			ActionDecline:  {{RoleHandlingUnit, StateDeclined}},
			ActionWithdraw: {{RoleStaff, StateWithdrawn}},
			ActionLapse:    {{RoleHotlineOffice, StateLapsed}},
		},
		StateUnderReview: {
			ActionUphold:   {{RoleCompetent, StateUpheld}},
			ActionReject:   {{RoleCompetent, StateRejected}},
			ActionWithdraw: {{RoleHandlingUnit, StateWithdrawn}},
			ActionLapse:    {{RoleHotlineOffice, StateLapsed}},
		},
	}
	return func(from State, a Action, by Actor, now, prev time.Time) (State, error) {
		row, err := modelStep(rows, from, a, by, now, prev)
		if err != nil {
			return "", err
		}
		inTime := now.Before(closes)
		switch a.Kind {
		case ActionEndorse, ActionDecline:
			switch {
			case by.Unit != "U1":
				return "", ErrForbiddenRole
			case a.Kind == ActionDecline && a.Reason == "":
				return "", ErrMissingField
			case a.Kind == ActionEndorse && !inTime:
				return "", ErrLate
			}
		case ActionWithdraw:
			if by.Unit != "U1" || by.Role == RoleStaff && by.Person != staff {
				return "", ErrForbiddenRole
			}
		case ActionUphold, ActionReject:
			switch {
			case by.Unit != "D1":
				return "", ErrForbiddenRole
			case a.Reason == "":
				return "", ErrMissingField
			case a.Kind == ActionUphold && !inTime:
				return "", ErrLate
			}
		case ActionLapse:
			if inTime {
				return "", ErrIllegalTransition
			}
		}
		if a.Basis != "" && !a.Basis.Valid() {
			return "", ErrInvalidValue // every action: the history must decode again
		}
		return row.to, nil
	}
}

// expectObjectionFiling: 000 §7 (一): U1 objects, within the 5 working days of §7 (二).
func expectObjectionFiling(by Actor, now, closes time.Time) error {
	switch {
	case by.Role != RoleHandlingUnit || by.Unit != "U1":
		return ErrForbiddenRole
	case !now.Before(closes):
		return ErrLate
	}
	return nil
}

// objectionModel is 000 §7 for an objection by U1 suggesting U2, whose window closes at closes.
func objectionModel(closes time.Time) func(State, Action, Actor, time.Time, time.Time) (State, error) {
	rows := map[State]map[ActionKind][]modelRow{
		StateUnderReview: {
			ActionUphold:   {{RoleCompetent, StateUpheld}},
			ActionReject:   {{RoleCompetent, StateRejected}},
			ActionWithdraw: {{RoleHandlingUnit, StateWithdrawn}},
			ActionLapse:    {{RoleHotlineOffice, StateLapsed}},
		},
		StateUpheld: {ActionObject: {{RoleHandlingUnit, StateReferred}}}, // the city office designates
	}
	return func(from State, a Action, by Actor, now, prev time.Time) (State, error) {
		row, err := modelStep(rows, from, a, by, now, prev)
		if err != nil {
			return "", err
		}
		switch a.Kind {
		case ActionUphold, ActionReject:
			switch {
			case by.Unit != "D1":
				return "", ErrForbiddenRole
			case a.Reason == "":
				return "", ErrMissingField
			case a.Kind == ActionUphold && !now.Before(closes):
				return "", ErrLate
			}
		case ActionWithdraw:
			if by.Unit != "U1" {
				return "", ErrForbiddenRole
			}
		case ActionObject:
			switch {
			case by.Unit != "U2":
				return "", ErrForbiddenRole
			case a.Basis == "":
				return "", ErrMissingField
			case !slices.Contains(Bases(), a.Basis):
				return "", ErrInvalidValue
			case a.Reason == "":
				return "", ErrMissingField
			}
		case ActionLapse:
			if now.Before(closes) {
				return "", ErrIllegalTransition
			}
		}
		if a.Basis != "" && !a.Basis.Valid() {
			return "", ErrInvalidValue // every action: the history must decode again
		}
		return row.to, nil
	}
}

// expectReconsiderationFiling: 002 §6 (二) 3: the citizen C1, or the hotline for them, asks.
func expectReconsiderationFiling(by Actor) error {
	if by.Role != RoleCitizen && by.Role != RoleHotlineOffice || by.Role == RoleCitizen && by.Person != "C1" {
		return ErrForbiddenRole
	}
	return nil
}

// reconsiderationModel is 002 §6 (二) 3 under the Hebi policy: no window, no named reviewer.
func reconsiderationModel(from State, a Action, by Actor, now, prev time.Time) (State, error) {
	rows := map[State]map[ActionKind][]modelRow{
		StateUnderReview: {
			ActionFindImproper: {{RoleCompetent, StateImproper}},
			ActionFindProper:   {{RoleCompetent, StateProper}},
			ActionWithdraw:     {{RoleCitizen, StateWithdrawn}, {RoleHotlineOffice, StateWithdrawn}},
			ActionLapse:        {{RoleHotlineOffice, StateLapsed}},
		},
	}
	row, err := modelStep(rows, from, a, by, now, prev)
	if err != nil {
		return "", err
	}
	switch a.Kind {
	case ActionFindImproper, ActionFindProper:
		if a.Reason == "" {
			return "", ErrMissingField
		}
	case ActionWithdraw:
		if by.Role == RoleCitizen && by.Person != "C1" {
			return "", ErrForbiddenRole
		}
	case ActionLapse:
		return "", ErrIllegalTransition // 002 sets no window: nothing lapses
	}
	if a.Basis != "" && !a.Basis.Valid() {
		return "", ErrInvalidValue // every action: the history must decode again
	}
	return row.to, nil
}

// FuzzReplayAppeal: a history decoded from arbitrary JSON replays or is refused; it never panics,
// and what replays has a state in the table.
func FuzzReplayAppeal(f *testing.F) {
	r := shanghaiMachine(f)
	a, err := r.FileAppeal(appealReq(received), staffS1, at(2025, 9, 29, 9, 0))
	require.NoError(f, err)
	_, _ = a.Apply(act(ActionEndorse), unitU1, at(2025, 9, 30, 9, 0))
	_, _ = a.Apply(act(ActionUphold), deptD1, at(2025, 10, 9, 9, 0))
	req, _ := json.Marshal(a.Request())
	hist, _ := json.Marshal(a.History())
	f.Add(req, hist)
	f.Add(req, []byte(`[{"seq":1,"action":{"kind":"file"},"by":{"role":"handling_unit","unit":"U1"},"at":"2025-09-29T09:00:00+08:00"}]`))
	// Issue 9: stored histories out of sequence, with the old role wire values, huge numbers.
	f.Add(req, []byte(`[{"seq":1,"action":{"kind":"file"},"by":{"role":"handling_unit","unit":"U1"},"at":"2025-09-29T09:00:00+08:00"},`+
		`{"seq":3,"action":{"kind":"uphold","reason":"r"},"by":{"role":"competent","unit":"D1"},"at":"2025-09-30T09:00:00+08:00"}]`))
	f.Add(req, []byte(`[{"seq":1,"action":{"kind":"file"},"by":{"role":"handling_unit","unit":"U1"},"at":"2025-09-29T09:00:00+08:00"},`+
		`{"seq":1,"action":{"kind":"uphold","reason":"r"},"by":{"role":"competent","unit":"D1"},"at":"2025-09-30T09:00:00+08:00"}]`))
	f.Add(req, []byte(`[{"seq":9223372036854775807,"action":{"kind":"file"},"by":{"role":"unit","unit":"U1"},"at":"2025-09-29T09:00:00+08:00"}]`))
	f.Add(req, []byte(`[{"seq":1,"action":{"kind":"file"},"by":{"role":"hotline"},"at":"9999-12-31T23:59:59Z"}]`))
	f.Add([]byte(`{}`), []byte(`[]`))
	f.Add([]byte(`{"ticket":{"id":"T","unit_id":"U1","received_at":"0001-01-01T00:00:00Z"}}`), []byte(`null`))
	f.Fuzz(func(t *testing.T, reqJSON, histJSON []byte) {
		var q Request
		var h []Event
		if json.Unmarshal(reqJSON, &q) != nil || json.Unmarshal(histJSON, &h) != nil {
			return
		}
		m, err := r.ReplayAppeal(q, h)
		if err != nil {
			require.ErrorIs(t, err, ErrHistoryMismatch)
			return
		}
		assert.True(t, slices.ContainsFunc(m.Table(), func(tr Transition) bool { return tr.To == m.State() }))
		assert.Len(t, m.History(), len(h))
	})
}

// FuzzReplayObjection: like FuzzReplayAppeal, for objections, whose actions carry a basis.
func FuzzReplayObjection(f *testing.F) {
	r := shanghaiMachine(f)
	o, err := r.FileObjection(objectionReq(received), unitU1, at(2025, 9, 28, 9, 0))
	require.NoError(f, err)
	_, _ = o.Apply(act(ActionUphold), deptD1, at(2025, 9, 29, 9, 0))
	_, _ = o.Apply(Action{Kind: ActionObject, Basis: BasisLevel, Reason: "属市级事权"}, unitU2, at(2025, 10, 9, 9, 0))
	req, _ := json.Marshal(o.Request())
	hist, _ := json.Marshal(o.History())
	f.Add(req, hist)
	f.Add(req, []byte(`[{"seq":1,"action":{"kind":"file"},"by":{"role":"handling_unit","unit":"U1"},"at":"2025-09-28T09:00:00+08:00"},`+
		`{"seq":2,"action":{"kind":"object","basis":"not_mine","reason":"x"},"by":{"role":"handling_unit","unit":"U2"},"at":"2025-09-29T09:00:00+08:00"}]`))
	f.Add(req, []byte(`[{"seq":2,"action":{"kind":"file"},"by":{"role":"handling_unit","unit":"U1"},"at":"2025-09-28T09:00:00+08:00"},`+
		`{"seq":1,"action":{"kind":"uphold","reason":"x"},"by":{"role":"competent","unit":"D1"},"at":"2025-09-29T09:00:00+08:00"}]`))
	f.Add([]byte(`{"suggested_unit":"U1"}`), []byte(`[{}]`))
	f.Fuzz(func(t *testing.T, reqJSON, histJSON []byte) {
		var q ObjectionRequest
		var h []Event
		if json.Unmarshal(reqJSON, &q) != nil || json.Unmarshal(histJSON, &h) != nil {
			return
		}
		m, err := r.ReplayObjection(q, h)
		if err != nil {
			require.ErrorIs(t, err, ErrHistoryMismatch)
			return
		}
		assert.True(t, slices.ContainsFunc(m.Table(), func(tr Transition) bool { return tr.To == m.State() }))
		assert.Len(t, m.History(), len(h))
	})
}

// FuzzReplayReconsideration: like FuzzReplayAppeal, for a citizen's reconsideration.
func FuzzReplayReconsideration(f *testing.F) {
	r := hebiMachine(f)
	c, err := r.FileReconsideration(reconReq(received), citizenC1, at(2025, 10, 20, 9, 0))
	require.NoError(f, err)
	_, _ = c.Apply(act(ActionFindImproper), deptD1, at(2025, 10, 21, 9, 0))
	req, _ := json.Marshal(c.Request())
	hist, _ := json.Marshal(c.History())
	f.Add(req, hist)
	f.Add([]byte(`{"ticket":{"id":"T","unit_id":"U","received_at":"2025-09-26T10:00:00+08:00"},"replied_at":"2025-09-25T00:00:00Z","reason":"r"}`),
		[]byte(`[{"seq":1,"action":{"kind":"file"},"by":{"role":"hotline_office"},"at":"2025-10-20T09:00:00+08:00"}]`))
	f.Add(req, []byte(`[{"seq":0,"action":{"kind":"file"},"by":{"role":"citizen","person":"C1"},"at":"2025-10-20T09:00:00+08:00"}]`))
	f.Fuzz(func(t *testing.T, reqJSON, histJSON []byte) {
		var q ReconsiderationRequest
		var h []Event
		if json.Unmarshal(reqJSON, &q) != nil || json.Unmarshal(histJSON, &h) != nil {
			return
		}
		m, err := r.ReplayReconsideration(q, h)
		if err != nil {
			require.ErrorIs(t, err, ErrHistoryMismatch)
			return
		}
		assert.True(t, slices.ContainsFunc(m.Table(), func(tr Transition) bool { return tr.To == m.State() }))
		assert.Len(t, m.History(), len(h))
	})
}
