package outbox_test

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/server/notify"
	"github.com/hotline12345/hotline/server/outbox"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/server/storetest"
	"github.com/hotline12345/hotline/ticket"
)

// A dispatch is announced to its unit: the store writes the notice with the change, the worker
// delivers it.
func Example() {
	ctx := context.Background()
	st, cleanup, err := storetest.New(ctx, storetest.LegSQLite, storetest.DefaultOptions())
	if err != nil {
		panic(err)
	}
	defer func() { _ = cleanup() }()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, deadline.Location())
	gateway := store.Principal{Actor: "gateway", Role: store.RoleSystem}
	res, err := st.Intake(ctx, gateway, store.IntakeRequest{Intake: ticket.Intake{Channel: ticket.ChannelPhone, Kind: ticket.KindComplaint,
		Content: "路灯不亮", Place: ticket.Place{RegionCode: "310113001"}}}, now)
	if err != nil {
		panic(err)
	}
	_, err = st.Apply(ctx, gateway, res.ID, 1, ticket.Request{Action: ticket.ActionDispatch, Payload: ticket.Payload{
		Dispatch: &ticket.Dispatch{Lead: "unit-a", DispatchMode: ticket.DispatchStatutory}}}, now)
	if err != nil {
		panic(err)
	}

	n := notify.NotifierFunc(func(_ context.Context, m notify.Message) error {
		var nt notify.Notice
		_ = json.Unmarshal(m.Payload, &nt)
		fmt.Println(m.Topic, nt.State, nt.To[0].Role, nt.To[0].Unit)
		return nil
	})
	w, err := outbox.New(st, n, outbox.Default(), outbox.WithClock(func() time.Time { return now.Add(time.Second) }))
	if err != nil {
		panic(err)
	}
	rep, err := w.Round(ctx)
	fmt.Printf("%+v %v\n", rep, err)
	// Output:
	// ticket.dispatch dispatched handling_unit unit-a
	// {Claimed:1 Delivered:1 Failed:0 Dead:0 Purged:0} <nil>
}
