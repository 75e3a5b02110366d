package repeat_test

import (
	"testing"
	"time"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/ticket"
	"github.com/hotline12345/hotline/ticket/repeat"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var monday = time.Date(2026, 11, 23, 9, 0, 0, 0, deadline.Location())

func machine(t testing.TB, pol deadline.Policy) *ticket.Machine {
	t.Helper()
	m, err := ticket.NewMachine(deadline.China(), pol, ticket.StreetHotline())
	require.NoError(t, err)
	return m
}

func number(seq int) ticket.Number {
	return ticket.Number{Prefix: "BSYYL", Year: 2026, Month: time.November, Day: 23, Seq: seq}
}

func intake(ch ticket.Channel) ticket.Intake {
	return ticket.Intake{
		Number:  number(1),
		Channel: ch,
		Kind:    ticket.KindComplaint,
		Title:   "夜间施工噪声",
		Content: "小区旁工地夜间22点后仍在施工，噪声扰民。",
		Citizen: ticket.Person{Name: "张三", Phone: "13812345678", Address: "友谊路1号"},
		Place:   ticket.Place{RegionCode: "310113", Address: "友谊路1号"},
		Matter: ticket.Matter{Levels: []ticket.MatterLevel{
			{Code: "07", Label: "市容环境"}, {Code: "0703", Label: "噪声扰民"}, {Code: "070301", Label: "施工噪声"},
		}},
	}
}

// 000 第十条, 004 第十六条: a ticket is indexed under the keyed hash of its caller's phone, or
// of the ID number or credit code without one; never the number itself.
func TestTicketRepeatRecord(t *testing.T) {
	mac, err := repeat.NewSM3MAC([]byte("0123456789abcdef"))
	require.NoError(t, err)
	m := machine(t, deadline.StreetHotline())
	tk, err := m.Accept(intake(ticket.ChannelPhone), "op-1", ticket.RoleHotlineOffice, monday)
	require.NoError(t, err)

	rec := record(t, tk, mac)
	want, err := repeat.CallerKeyOf(mac, "13812345678")
	require.NoError(t, err)
	assert.Equal(t, repeat.Record{ID: "BSYYL-20261123-000001-9", Caller: want, Region: "310113", Matter: "070301",
		Received: monday, Text: "夜间施工噪声\n小区旁工地夜间22点后仍在施工，噪声扰民。"}, rec)

	id := "310113199003071234"
	tk.Citizen = ticket.Person{IDNumber: id}
	byID, _ := repeat.CallerKeyOf(mac, id)
	assert.Equal(t, byID, record(t, tk, mac).Caller, "no phone: the ID number")
	tk.Citizen = ticket.Person{}
	assert.True(t, record(t, tk, mac).Caller.IsZero(), "no identifier: unknown caller")
	assert.True(t, record(t, tk, nil).Caller.IsZero())

	// The record found as a repeat by the index links the later ticket.
	x, err := repeat.NewIndex(repeat.StreetHotline())
	require.NoError(t, err)
	require.NoError(t, x.Add(rec))
	in2 := intake(ticket.ChannelPhone)
	in2.Number = number(2)
	tk2, err := m.Accept(in2, "op-1", ticket.RoleHotlineOffice, monday.AddDate(0, 0, 1))
	require.NoError(t, err)
	match, ok := x.Find(record(t, tk2, mac), tk2.Received)
	require.True(t, ok)
	assert.Equal(t, rec.ID, match.Original)
}

func record(t testing.TB, tk *ticket.Ticket, mac repeat.MAC) repeat.Record {
	t.Helper()
	rec, err := repeat.RecordOf(tk, mac)
	require.NoError(t, err)
	return rec
}

type emptyMAC struct{}

func (emptyMAC) MAC([]byte) []byte { return nil }

// Issue 9: a MAC that gives an empty digest is reported, not silently turned into "unknown caller"
// (or one key for everyone); a nil ticket is refused.
func TestRecordOfRefusesBrokenMAC(t *testing.T) {
	m := machine(t, deadline.StreetHotline())
	tk, err := m.Accept(intake(ticket.ChannelPhone), "op-1", ticket.RoleHotlineOffice, monday)
	require.NoError(t, err)
	_, err = repeat.RecordOf(tk, emptyMAC{})
	require.ErrorIs(t, err, repeat.ErrShortDigest)
	_, err = repeat.RecordOf(nil, emptyMAC{})
	require.ErrorIs(t, err, repeat.ErrInvalidRecord)
}

// 004 §12 (二) 2 (同一工单重复投诉 3 次及以上的即进行督办), the whole path with pruning in the middle:
// A is accepted and dispatched; B repeats it; the index is pruned past A; C and D still join A's
// chain by the Original that Find reports, each counted on ticket A by ActionMarkRepeat, and the
// third repeat puts A under supervision.
func TestThreeRepeatsReachSupervisionAcrossPrune(t *testing.T) {
	mac, err := repeat.NewSM3MAC([]byte("0123456789abcdef"))
	require.NoError(t, err)
	m := machine(t, deadline.StreetHotline())
	x, err := repeat.NewIndex(repeat.StreetHotline())
	require.NoError(t, err)

	tickets := map[string]*ticket.Ticket{}
	var a *ticket.Ticket
	for i, day := range []int{0, 20, 40, 50} {
		in := intake(ticket.ChannelPhone)
		in.Number = number(10 + i)
		at := monday.AddDate(0, 0, day)
		tk, err := m.Accept(in, "op-1", ticket.RoleHotlineOffice, at)
		require.NoError(t, err)
		rec := record(t, tk, mac)
		if i == 2 {
			require.Equal(t, 1, x.Prune(monday.AddDate(0, 0, 10)), "A leaves the index")
		}
		match, found := x.Find(rec, at)
		if i == 0 {
			require.False(t, found)
			a = tk
			_, err := m.Apply(a, ticket.Request{Actor: "op-1", Role: ticket.RoleHotlineOffice, Action: ticket.ActionDispatch,
				Payload: ticket.Payload{Dispatch: &ticket.Dispatch{Lead: "居委会A", DispatchMode: ticket.DispatchStatutory}}}, at.Add(time.Hour))
			require.NoError(t, err)
		} else {
			require.True(t, found, "ticket %d", i)
			require.Equal(t, a.Number.String(), match.Original)
			require.Equal(t, i, match.Count)
			orig := tickets[match.Original]
			require.NotNil(t, orig)
			_, err := m.Apply(orig, ticket.Request{Actor: "system", Role: ticket.RoleSystem, Action: ticket.ActionMarkRepeat,
				Payload: ticket.Payload{Repeat: &ticket.Repeat{Of: tk.Number}}}, at)
			require.NoError(t, err)
			assert.Equal(t, match.UnderSupervision, orig.Supervised, "the index and the lifecycle agree at repeat %d", i)
			rec.RepeatOf = match.Original
		}
		require.NoError(t, x.Add(rec), "ticket %d", i)
		tickets[rec.ID] = tk
	}
	assert.Equal(t, 3, a.Counters.Repeats)
	assert.True(t, a.Supervised, "the third repeat is supervised")
}
