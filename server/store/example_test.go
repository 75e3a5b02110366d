package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server/secure"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/ticket"
)

// A hotline office accepts a ticket (idempotently), dispatches it under its version, and an auditor
// verifies the chain. The embedded SQLite default is migrated at Open.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "hotline")
	defer os.RemoveAll(dir)
	keys, _ := secure.NewKeys(bytes.Repeat([]byte{7}, secure.MasterKeySize)) // from HOTLINE_KEY in the command
	s, err := store.Open(ctx, filepath.Join(dir, "hotline.db"), store.Options{Keys: keys})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, deadline.Location())

	admin := store.Principal{Actor: "admin", Role: store.RoleAdmin}
	_ = s.PutUnit(ctx, admin, routing.Unit{ID: "office", Name: "宝山区热线办", Kind: routing.UnitDistrictGovernment,
		Areas: []routing.RegionCode{"310113"}}, now)
	office := store.Principal{Actor: "operator-7", Unit: "office", Role: store.RoleHotlineOffice}

	req := store.IntakeRequest{Key: "upstream-42", Intake: ticket.Intake{
		Channel: ticket.ChannelPhone, Kind: ticket.KindComplaint, Title: "夜间施工噪声",
		Content: "小区旁工地夜间施工，噪声扰民。", Citizen: ticket.Person{Name: "张三", Phone: "13812345678"},
		Place: ticket.Place{RegionCode: "310113001"},
	}}
	first, _ := s.Intake(ctx, office, req, now)
	again, _ := s.Intake(ctx, office, req, now.Add(time.Minute)) // the sender retried
	fmt.Println(first.Number, first.ID == again.ID, again.Replayed)

	dispatch := ticket.Request{Action: ticket.ActionDispatch, Payload: ticket.Payload{
		Dispatch: &ticket.Dispatch{Lead: "unit-a", DispatchMode: ticket.DispatchStatutory}}}
	res, err := s.Apply(ctx, office, first.ID, 1, dispatch, now.Add(30*time.Minute))
	fmt.Println(res.Version, res.Event.To.Label(), err)
	_, err = s.Apply(ctx, office, first.ID, 1, dispatch, now.Add(40*time.Minute)) // a stale version
	var stale *store.VersionError
	fmt.Println(errors.As(err, &stale), stale.Current)

	auditor := store.Principal{Actor: "auditor", Role: store.RoleAuditor}
	fmt.Println(s.VerifyAudit(ctx, auditor))
	// Output:
	// HL-20261123-000001-A true true
	// 2 已派单 <nil>
	// true 2
	// <nil>
}
