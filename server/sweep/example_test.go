package sweep_test

import (
	"context"
	"fmt"
	"time"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/server/storetest"
	"github.com/hotline12345/hotline/server/sweep"
	"github.com/hotline12345/hotline/ticket"
)

// A ticket received on Monday 2026-11-23 must have its first contact by the end of Tuesday (1
// working day, 004 §8 (一)): the sweeper flags it due soon on Tuesday, overdue and urged on Wednesday.
func Example() {
	ctx := context.Background()
	st, cleanup, err := storetest.New(ctx, storetest.LegSQLite, storetest.DefaultOptions())
	if err != nil {
		panic(err)
	}
	defer func() { _ = cleanup() }()
	sh := deadline.Location()
	_, err = st.Intake(ctx, store.Principal{Actor: "gateway", Role: store.RoleSystem}, store.IntakeRequest{Intake: ticket.Intake{
		Channel: ticket.ChannelPhone, Kind: ticket.KindComplaint, Content: "路灯不亮", Place: ticket.Place{RegionCode: "310113001"}}},
		time.Date(2026, 11, 23, 9, 0, 0, 0, sh))
	if err != nil {
		panic(err)
	}
	now := time.Date(2026, 11, 24, 8, 0, 0, 0, sh)
	s, err := sweep.New(st, sweep.Default(), sweep.WithClock(func() time.Time { return now }))
	if err != nil {
		panic(err)
	}
	for _, at := range []time.Time{now, now.Add(24 * time.Hour)} {
		now = at
		rep, err := s.Round(ctx)
		fmt.Printf("%s: tickets %d, due soon %d, overdue %d, urged %d %v\n", at.Format("01-02 15:04"),
			rep.Tickets, rep.DueSoon, rep.Overdue, rep.Urged, err)
	}
	// Output:
	// 11-24 08:00: tickets 1, due soon 1, overdue 0, urged 0 <nil>
	// 11-25 08:00: tickets 1, due soon 0, overdue 1, urged 1 <nil>
}
