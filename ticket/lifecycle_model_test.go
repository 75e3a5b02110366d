package ticket

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Model-based property test: random action sequences by random roles at random times never leave the
// table, a refused action leaves the ticket unchanged, the state is the last event's, counters never
// go down, and replaying the history gives the live ticket back. Tickets are of every kind, so that
// closing as unfounded, which only a review may be (000 §6 (二)), is both taken and refused.
func TestModelRandomSequences(t *testing.T) {
	ms := lcMachines(t)
	tab := Lifecycle()
	roles, actions := Roles(), Actions()
	var unfoundedClosed, wrongKind int
	for seed := range uint64(40) {
		rng := rand.New(rand.NewPCG(seed, 0x1234))
		m := ms[seed%uint64(len(ms))]
		tk := &Ticket{}
		now := lcMonday
		in := lcIntake(Channels()[rng.IntN(len(Channels()))])
		in.Kind = Kinds()[rng.IntN(len(Kinds()))]
		if in.Channel == ChannelBadReview {
			in.Kind = KindReview // intake refuses a 好差评 item of another kind
		}
		_, err := m.Apply(tk, lcAccept(in), now)
		require.NoError(t, err)
		for step := range 60 {
			now = now.Add(time.Duration(rng.IntN(3*24*60)) * time.Minute)
			var a Action
			if allowed := tab.Allowed(tk.State); len(allowed) > 0 && rng.IntN(4) > 0 {
				a = allowed[rng.IntN(len(allowed))]
			} else {
				a = actions[rng.IntN(len(actions))]
			}
			role := roles[rng.IntN(len(roles))]
			vs := lcVariants(tk, a, role)
			r := vs[rng.IntN(len(vs))]
			if rng.IntN(20) == 0 {
				r.Payload = Payload{} // sometimes drop the payload
			}
			before, _ := json.Marshal(tk)
			prev := *tk
			ev, err := m.Apply(tk, r, now)
			row, inTable := tab.Lookup(prev.State, a)
			if err != nil {
				var te *TransitionError
				require.ErrorAs(t, err, &te, "seed %d step %d", seed, step)
				assert.Equal(t, prev.State, te.State)
				assert.Equal(t, a, te.Action)
				if !inTable {
					require.ErrorIs(t, err, ErrIllegalTransition)
				} else if !row.Roles.Has(role) {
					require.ErrorIs(t, err, ErrForbiddenRole)
				} else if a == ActionCloseUnfounded && tk.Kind != KindReview && r.Payload.AppealReview != nil {
					require.ErrorIs(t, err, ErrWrongKind, "000 §6 (二): only a review is closed as unfounded")
					wrongKind++
					var ke *KindError
					require.ErrorAs(t, err, &ke)
					assert.Equal(t, tk.Kind, ke.Kind)
				}
				after, _ := json.Marshal(tk)
				require.JSONEq(t, string(before), string(after), "seed %d step %d: refused %s changed the ticket", seed, step, a)
				continue
			}
			require.True(t, inTable, "seed %d step %d: %s × %s is not in the table", seed, step, prev.State, a)
			require.True(t, row.Roles.Has(role))
			require.Equal(t, row.To, tk.State)
			require.Len(t, tk.History, len(prev.History)+1)
			require.Equal(t, ev, tk.History[len(tk.History)-1])
			require.Equal(t, tk.State, ev.To)
			switch a {
			case ActionFirstContact:
				if prev.State == StateReceived {
					// 004 §8 (一): only the office's own first contact comes before dispatch.
					require.True(t, m.Policy().FirstContactByOffice, "seed %d step %d", seed, step)
					require.Equal(t, RoleHotlineOffice, role)
					require.Equal(t, now.Round(0), tk.Deadlines.FirstContact.Met)
				}
			case ActionReopen:
				// 004 §11: the redo runs on its own clock; the first reply's record stays.
				require.Equal(t, prev.Deadlines.Reply, tk.Deadlines.Reply, "seed %d step %d: reopen changed the reply clock", seed, step)
				require.NotEmpty(t, tk.Deadlines.Redo.Key)
				require.True(t, tk.Deadlines.Redo.Running())
			case ActionReply:
				if prev.State == StateReopened {
					require.Equal(t, prev.Deadlines.Reply, tk.Deadlines.Reply, "seed %d step %d: the redo changed the reply clock", seed, step)
					require.Equal(t, now.Round(0), tk.Deadlines.Redo.Met)
				}
			case ActionCallback:
				require.Equal(t, now.Round(0), tk.Callback.At, "the callback records its instant")
			case ActionCloseUnfounded:
				require.Equal(t, KindReview, tk.Kind)
				require.Equal(t, StateClosedUnfounded, tk.State)
				require.Equal(t, r.Payload.AppealReview, tk.Closure.Unfounded)
				unfoundedClosed++
			}
			c0, c1 := prev.Counters, tk.Counters
			for _, d := range []int{c1.Supervisions - c0.Supervisions, c1.Urgings - c0.Urgings, c1.Returns - c0.Returns,
				c1.Reopenings - c0.Reopenings, c1.Repeats - c0.Repeats, c1.Replies - c0.Replies, c1.Extensions - c0.Extensions} {
				require.GreaterOrEqual(t, d, 0)
			}
		}
		got, err := m.Replay(tk.History)
		require.NoError(t, err, "seed %d", seed)
		assert.Equal(t, tk, got, "seed %d: replay equals live", seed)

		// Any edit of any caller-supplied field of any event is detected (the chained digest).
		edited := tk.Clone().History
		i := rng.IntN(len(edited))
		switch rng.IntN(3) {
		case 0:
			edited[i].Actor += "x"
		case 1:
			edited[i].Reason += "x"
		default:
			edited[i].At = edited[i].At.Add(time.Nanosecond)
		}
		_, err = m.Replay(edited)
		require.ErrorIs(t, err, ErrHistoryMismatch, "seed %d: edit of event %d", seed, i+1)
	}
	t.Logf("closed as unfounded %d times, refused for the kind %d times", unfoundedClosed, wrongKind)
	assert.Positive(t, unfoundedClosed, "some review is closed as unfounded")
	assert.Positive(t, wrongKind, "some other kind is refused")
}

// Fuzz the lifecycle with arbitrary action sequences: Apply never panics, and replay equals live.
func FuzzLifecycle(f *testing.F) {
	f.Add([]byte{6, 1, 9, 2, 14, 2, 17, 1, 23, 1})
	f.Add([]byte{6, 1, 9, 2, 10, 2, 12, 1, 14, 2, 17, 1, 18, 1, 14, 2, 17, 1, 22, 1})
	f.Add([]byte{2, 1, 23, 1})
	f.Add([]byte{255, 0, 19, 3, 21, 6, 21, 6, 21, 6})
	// An odd length accepts a review: dispatch, first contact, close as unfounded (000 §6 (二)).
	f.Add([]byte{6, 1, 9, 2, 24, 2, 0})
	ms := lcMachines(f)
	f.Fuzz(func(t *testing.T, ops []byte) {
		if len(ops) > 200 {
			ops = ops[:200]
		}
		m := ms[len(ops)%2]
		tk := &Ticket{}
		now := lcMonday
		in := lcIntake(ChannelPhone)
		if len(ops)%2 == 1 {
			in = lcReviewIntake()
		}
		_, err := m.Apply(tk, lcAccept(in), now)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i+1 < len(ops); i += 2 {
			acts, roles := append(Actions(), "", "bogus"), append(Roles(), "", "bogus")
			a := acts[int(ops[i])%len(acts)]
			role := roles[int(ops[i+1])%len(roles)]
			now = now.Add(time.Duration(ops[i+1]) * 17 * time.Minute)
			vs := lcVariants(tk, a, role)
			_, err := m.Apply(tk, vs[int(ops[i])%len(vs)], now)
			if err != nil && !errors.As(err, new(*TransitionError)) {
				t.Fatalf("untyped error %v", err)
			}
		}
		got, err := m.Replay(tk.History)
		if err != nil {
			t.Fatal(err)
		}
		if !assert.ObjectsAreEqual(tk, got) {
			t.Fatal("replay differs from live")
		}
	})
}
