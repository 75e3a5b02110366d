package demo_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/internal/strictjson/strictjsontest"
	"github.com/hotline12345/hotline/server"
	"github.com/hotline12345/hotline/server/demo"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/server/storetest"
	"github.com/hotline12345/hotline/ticket"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// loadAt is a fixed load instant: a Monday morning.
var loadAt = time.Date(2026, 11, 30, 8, 30, 0, 0, deadline.Location())

var (
	auditor = store.Principal{Actor: "test:auditor", Unit: demo.AuditorUnit, Role: store.RoleAuditor}
	system  = store.Principal{Actor: "test:system", Role: store.RoleSystem}
)

// The demo reaches every state of the street's lifecycle (004) but two: new is no stored state (a
// ticket is stored accepted), and checked (质检通过) needs a deadline policy with a quality check
// (002 §6 (一) 2), which 004's street-hotline policy has not.
func wantStates() []ticket.State {
	var out []ticket.State
	for _, s := range ticket.States() {
		if s != ticket.StateNew && s != ticket.StateChecked {
			out = append(out, s)
		}
	}
	return out
}

func TestLoad(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		sum, err := demo.Load(ctx, st, loadAt)
		require.NoError(t, err)
		assert.GreaterOrEqual(t, len(sum.Tickets), 30, "a few dozen tickets")
		assert.Equal(t, len(sum.Tickets), sum.Created)
		assert.Equal(t, 80, sum.Units)
		assert.Equal(t, 598, sum.Regions, "上海市's districts and all of 宝山区")
		var states []ticket.State
		for _, sc := range sum.States() {
			states = append(states, sc.State)
		}
		assert.Equal(t, wantStates(), states)
		assert.Empty(t, sum.Changed)
		assert.NotEmpty(t, sum.Appeal)

		// Every history replays to its projection, every case to its state, the audit chain checks.
		mm, err := st.VerifyTickets(ctx, auditor)
		require.NoError(t, err)
		assert.Empty(t, mm)
		mm, err = st.VerifyCases(ctx, auditor)
		require.NoError(t, err)
		assert.Empty(t, mm)
		require.NoError(t, st.VerifyAudit(ctx, auditor))

		get := func(no int) *ticket.Ticket {
			tk, ok := sum.Find(no)
			require.True(t, ok, "DEMO-%03d", no)
			rec, err := st.Get(ctx, system, tk.ID)
			require.NoError(t, err)
			return rec.Ticket
		}
		// 004 §12 (二) 2: the third repeat complaint puts the ticket under supervision.
		rep := get(33)
		assert.Equal(t, 3, rep.Counters.Repeats)
		assert.True(t, rep.Supervised)
		// 004 §11, §12 (二) 4: a dissatisfied callback reopens the ticket, under supervision.
		re := get(21)
		assert.Equal(t, ticket.StateReopened, re.State)
		assert.True(t, re.Supervised)
		// 004 §11: the redo after a reopening is signed by the leader in charge, then closed.
		redo := get(28)
		assert.Equal(t, ticket.StateClosed, redo.State)
		assert.Equal(t, 1, redo.Counters.Reopenings)
		// 000 §7, 004 §7: a returned ticket keeps its suggested unit; the other was re-dispatched.
		ret := get(11)
		assert.Equal(t, ticket.StateReturned, ret.State)
		assert.Equal(t, "yy-cgzd", ret.Assignment.SuggestedUnit)
		assert.NotEqual(t, "yy-jw007", get(12).Assignment.Lead, "000 §7: the returning unit does not get it back")
		// 000 §4 (一): screening refuses, archives, and returns a 国办 item upstream.
		assert.Equal(t, "out_of_scope.petition", get(4).Refusal.Code)
		assert.Equal(t, ticket.StateArchived, get(6).State)
		assert.Equal(t, ticket.StateReturnedUpstream, get(7).State)
		// 000 §6 (二): the upheld appeal voids the review and closes its ticket as unfounded.
		assert.Equal(t, ticket.StateClosedUnfounded, get(40).State)
		rvs, err := st.Reviews(ctx, auditor, "yy-jw012", loadAt.AddDate(0, -1, 0), loadAt)
		require.NoError(t, err)
		unfounded := 0
		for _, r := range rvs {
			if r.Unfounded {
				unfounded++
				assert.Equal(t, "DEMO-R-006", r.ID)
			}
		}
		assert.Equal(t, 1, unfounded)
		// Deadlines are live: something is overdue and something is due soon at load time.
		over, err := st.List(ctx, auditor, store.Filter{Overdue: true}, loadAt)
		require.NoError(t, err)
		assert.NotEmpty(t, over.Items)

		// Loading again adds nothing, not even an audit row.
		rows := func() int64 {
			n, err := st.DB().NewSelect().Table("audit_log").Count(ctx)
			require.NoError(t, err)
			return n
		}
		before := rows()
		again, err := demo.Load(ctx, st, loadAt.Add(time.Hour))
		require.NoError(t, err)
		assert.Zero(t, again.Created)
		assert.Zero(t, again.Events)
		assert.Zero(t, again.NewReviews)
		assert.Empty(t, again.Appeal)
		assert.Equal(t, sum.Tickets, again.Tickets)
		assert.Equal(t, before, rows(), "nothing written")
		page, err := st.List(ctx, auditor, store.Filter{Limit: 500}, loadAt)
		require.NoError(t, err)
		assert.Len(t, page.Items, len(sum.Tickets))
		require.NoError(t, st.VerifyAudit(ctx, auditor))
	})
}

// A demo ticket someone acted on (following the walk-through, say) is left as it is by a later
// Load, and reported.
func TestLoadLeavesChangedTickets(t *testing.T) {
	st := storetest.SQLite(t)
	ctx := context.Background()
	sum, err := demo.Load(ctx, st, loadAt)
	require.NoError(t, err)
	tk, ok := sum.Find(37)
	require.True(t, ok)
	require.Equal(t, ticket.StateDispatched, tk.State)
	clerk := store.Principal{Actor: "test:clerk", Unit: demo.HandlingUnit, Role: store.RoleHandlingUnit}
	_, err = st.Apply(ctx, clerk, tk.ID, tk.Version, ticket.Request{Action: ticket.ActionFirstContact}, loadAt.Add(time.Minute))
	require.NoError(t, err)

	again, err := demo.Load(ctx, st, loadAt.Add(time.Hour))
	require.NoError(t, err)
	assert.Equal(t, []string{"DEMO-037"}, again.Changed)
	assert.Zero(t, again.Events)
	got, _ := again.Find(37)
	assert.Equal(t, ticket.StateHandling, got.State)
}

func TestCredentials(t *testing.T) {
	st := storetest.SQLite(t)
	ctx := context.Background()
	keys, fresh, err := demo.Credentials(ctx, st, nil, loadAt)
	require.NoError(t, err)
	assert.True(t, fresh)
	require.Len(t, keys, len(demo.KeyRoles()))
	for i, kr := range demo.KeyRoles() {
		p, err := st.Authenticate(ctx, keys[i].Secret, loadAt)
		require.NoError(t, err)
		assert.Equal(t, kr.Role, p.Role)
		assert.Equal(t, kr.Unit, p.Unit)
	}

	// Known keys that still work are kept; a revoked one is replaced.
	again, fresh, err := demo.Credentials(ctx, st, keys, loadAt)
	require.NoError(t, err)
	assert.False(t, fresh)
	assert.Equal(t, keys, again)
	admin := store.Principal{Actor: "test:admin", Unit: demo.AdminUnit, Role: store.RoleAdmin}
	require.NoError(t, st.RevokeCredential(ctx, admin, keys[1].ID, loadAt))
	third, fresh, err := demo.Credentials(ctx, st, keys, loadAt)
	require.NoError(t, err)
	assert.True(t, fresh)
	assert.NotEqual(t, keys[1].Secret, third[1].Secret)
	assert.Equal(t, keys[0], third[0])
	assert.Equal(t, keys[2:], third[2:])
}

func TestKeysFileRoundTrip(t *testing.T) {
	keys := []demo.Key{{Role: store.RoleAuditor, Unit: "bs-hotline", ID: "c-1", Secret: "hlk_" + strings.Repeat("ab", 32)}}
	var b bytes.Buffer
	require.NoError(t, demo.WriteKeys(&b, keys))
	got, err := demo.ReadKeys(bytes.NewReader(b.Bytes()))
	require.NoError(t, err)
	assert.Equal(t, keys, got)
}

func TestReadKeysRefuses(t *testing.T) {
	valid := `{"note":"x","keys":[{"role":"auditor","unit":"bs-hotline","id":"c-1","secret":"hlk_` + strings.Repeat("ab", 32) + `"}]}`
	for _, c := range strictjsontest.Cases([]byte(valid), demo.MaxKeysBytes) {
		t.Run(c.Name, func(t *testing.T) {
			_, err := demo.ReadKeys(bytes.NewReader(c.Input))
			assert.Error(t, err)
		})
	}
	for name, doc := range map[string]string{
		"unknown role":   strings.Replace(valid, `"auditor"`, `"mayor"`, 1),
		"no unit":        strings.Replace(valid, `"bs-hotline"`, `""`, 1),
		"short secret":   strings.Replace(valid, strings.Repeat("ab", 32), "ab", 1),
		"foreign secret": strings.Replace(valid, "hlk_", "sk__", 1),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := demo.ReadKeys(strings.NewReader(doc))
			assert.Error(t, err)
		})
	}
}

func FuzzReadKeys(f *testing.F) {
	f.Add([]byte(`{"note":"x","keys":[{"role":"auditor","unit":"bs-hotline","id":"c-1","secret":"hlk_` + strings.Repeat("ab", 32) + `"}]}`))
	f.Add([]byte(`{"keys":[]}`))
	f.Add([]byte(`{"keys":[{"role":"admin"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		keys, err := demo.ReadKeys(bytes.NewReader(data))
		if err != nil {
			return
		}
		// What is accepted writes back and reads again to the same keys.
		var b bytes.Buffer
		require.NoError(t, demo.WriteKeys(&b, keys))
		again, err := demo.ReadKeys(&b)
		require.NoError(t, err)
		assert.Equal(t, keys, again)
	})
}

// The walk-through the demo prints works: every call, made over HTTP against the reference server
// on the loaded demo, answers the status it promises (000 §5: first contact, reply, callback, close).
func TestWalkthroughCallsAnswer(t *testing.T) {
	st := storetest.SQLite(t)
	ctx := context.Background()
	sum, err := demo.Load(ctx, st, loadAt)
	require.NoError(t, err)
	keys, _, err := demo.Credentials(ctx, st, nil, loadAt)
	require.NoError(t, err)
	h, err := server.New(server.Deps{Store: st, Calendar: deadline.China(), Now: func() time.Time { return loadAt.Add(time.Hour) }})
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	defer srv.Close()
	env := map[string]string{}
	for _, k := range keys {
		env[demo.KeyVar(k.Role)] = k.Secret
	}
	calls := demo.Calls(sum)
	require.GreaterOrEqual(t, len(calls), 10)
	for i, c := range calls {
		req, err := http.NewRequest(c.Method, srv.URL+c.Path, strings.NewReader(c.Body))
		require.NoError(t, err)
		if c.KeyVar != "" {
			require.Contains(t, env, c.KeyVar)
			req.Header.Set("Authorization", "Bearer "+env[c.KeyVar])
		}
		for _, hd := range c.Headers {
			req.Header.Set(hd[0], hd[1])
		}
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		var body bytes.Buffer
		_, _ = body.ReadFrom(resp.Body)
		resp.Body.Close()
		require.Equal(t, c.Status, resp.StatusCode, "call %d (%s %s): %s", i+1, c.Method, c.Path, body.String())
		if c.KeyVar == "AUDITOR_KEY" {
			assert.NotContains(t, body.String(), "13900006666", "the auditor sees the phone masked")
		}
	}
	// The walk-through closed its ticket.
	tk, _ := sum.Find(37)
	rec, err := st.Get(ctx, system, tk.ID)
	require.NoError(t, err)
	assert.Equal(t, ticket.StateClosed, rec.Ticket.State)

	var out bytes.Buffer
	require.NoError(t, demo.Walkthrough(&out, "http://127.0.0.1:8080", keys, sum))
	for _, k := range keys {
		assert.Contains(t, out.String(), k.Secret)
	}
	assert.Contains(t, out.String(), "export HOTLINE=http://127.0.0.1:8080")
	assert.Contains(t, out.String(), `-H 'If-Match: "2"' -d '{"action":"first_contact"}'`)
}

// The copied region files are those of routing/testdata (see data/SOURCE.md).
func TestDataChecksums(t *testing.T) {
	for name, want := range map[string]string{
		"data/shanghai-counties.csv": "c6e2829e19dc6a44d7d4d87318cebb7eb02842f98dee862403838dda9b08ffc7",
		"data/shanghai-310113.csv":   "0dc8927c097c9d42ab1d5e807c687e47ab1f0dbbf956c33f85c69e98049c2322",
	} {
		b, err := os.ReadFile(name)
		require.NoError(t, err)
		sum := sha256.Sum256(b)
		assert.Equal(t, want, hex.EncodeToString(sum[:]), name)
	}
}

// Every residents' and villagers' committee of 友谊路街道 is a unit on its real code.
func TestDirectoryHasEveryCommittee(t *testing.T) {
	d, err := demo.Directory()
	require.NoError(t, err)
	var committees []string
	for r := range d.Tree().Children(demo.Street) {
		committees = append(committees, string(r.Code))
	}
	require.Len(t, committees, 41)
	var units []string
	for u := range d.Units() {
		if u.Kind == "residents_committee" {
			units = append(units, string(u.Areas[0]))
		}
	}
	slices.Sort(units)
	assert.Equal(t, committees, units)
}

// The scripts count working days back from the load instant, so the demo loads whenever it is run:
// on a holiday, a make-up working Saturday, a Sunday night or just after midnight.
func TestLoadAtAnyTime(t *testing.T) {
	for _, at := range []time.Time{
		time.Date(2026, 10, 3, 10, 0, 0, 0, deadline.Location()), // 国庆节
		time.Date(2026, 10, 10, 9, 0, 0, 0, deadline.Location()), // make-up working Saturday
		time.Date(2027, 2, 7, 23, 59, 0, 0, deadline.Location()), // a Sunday night
		time.Date(2026, 12, 1, 0, 1, 0, 0, deadline.Location()),  // just after midnight
	} {
		t.Run(at.Format("2006-01-02T15:04"), func(t *testing.T) {
			st := storetest.SQLite(t)
			sum, err := demo.Load(context.Background(), st, at)
			require.NoError(t, err)
			var states []ticket.State
			for _, sc := range sum.States() {
				states = append(states, sc.State)
			}
			assert.Equal(t, wantStates(), states)
			for _, tk := range sum.Tickets {
				rec, err := st.Get(context.Background(), system, tk.ID)
				require.NoError(t, err)
				for _, e := range rec.Ticket.History {
					assert.False(t, e.At.After(at), "%s: no event after the load instant", tk.Upstream)
				}
			}
		})
	}
}
