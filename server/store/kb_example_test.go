package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server/attach"
	"github.com/hotline12345/hotline/server/knowledge"
	"github.com/hotline12345/hotline/server/secure"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/ticket"
)

// A street office keeps a knowledge entry; an operator finds it for the text being typed and answers
// a consultation at once (即办), citing it. A 国办 item's reply waits for its stamped report.
func Example_knowledgeAndAttachments() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "hotline")
	defer os.RemoveAll(dir)
	keys, _ := secure.NewKeys(bytes.Repeat([]byte{7}, secure.MasterKeySize))
	s, err := store.Open(ctx, filepath.Join(dir, "hotline.db"), store.Options{Keys: keys})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, deadline.Location())
	admin := store.Principal{Actor: "admin", Role: store.RoleAdmin}
	_ = s.PutUnit(ctx, admin, routing.Unit{ID: "office", Name: "宝山区热线办", Kind: routing.UnitDistrictGovernment,
		Areas: []routing.RegionCode{"310113"}}, now)
	_ = s.PutUnit(ctx, admin, routing.Unit{ID: "street", Name: "友谊路街道", Kind: routing.UnitStreet}, now)
	office := store.Principal{Actor: "operator-7", Unit: "office", Role: store.RoleHotlineOffice}
	street := store.Principal{Actor: "clerk-3", Unit: "street", Role: store.RoleHandlingUnit}

	e, _ := s.PutKnowledge(ctx, street, knowledge.Entry{Question: "居住证怎么办理？", Answer: "到社区事务受理服务中心申办。",
		Source: knowledge.Source{Document: "上海市居住证管理办法", Article: "第八条"}}, 0, now)
	hits, _ := s.SearchKnowledge(ctx, office, knowledge.Query{Text: "请问居住证在哪里办理"}, now)
	fmt.Println(len(hits), hits[0].Entry.ID == e.ID)

	in := ticket.Intake{Channel: ticket.ChannelPhone, Kind: ticket.KindConsultation, Content: "居住证怎么办？",
		Citizen: ticket.Person{Name: "张三", Phone: "13812345678"}, Place: ticket.Place{RegionCode: "310113003"}}
	t1, _ := s.Intake(ctx, office, store.IntakeRequest{Intake: in}, now)
	res, _, err := s.AnswerFromKnowledge(ctx, office, t1.ID, 1, e.ID, "", now.Add(time.Minute))
	fmt.Println(res.Event.To.Label(), strings.Contains(res.Event.Reason, e.ID), err)

	in.Channel, in.Kind, in.Upstream = ticket.ChannelStateCouncil, ticket.KindComplaint, "GB-1"
	t2, _ := s.Intake(ctx, office, store.IntakeRequest{Intake: in}, now)
	_, _ = s.Apply(ctx, office, t2.ID, 1, ticket.Request{Action: ticket.ActionDispatch, Payload: ticket.Payload{
		Dispatch: &ticket.Dispatch{Lead: "street", DispatchMode: ticket.DispatchStatutory}}}, now)
	_, _ = s.Apply(ctx, street, t2.ID, 2, ticket.Request{Action: ticket.ActionFirstContact}, now)
	reply := ticket.Request{Action: ticket.ActionReply, Payload: ticket.Payload{Reply: &ticket.Reply{
		Report: "已办结。", Summary: "已办结。", Outcome: ticket.OutcomeResolved, ReviewedBy: "分管副主任"}}}
	_, err = s.Apply(ctx, street, t2.ID, 3, reply, now.Add(time.Hour))
	fmt.Println(errors.Is(err, attach.ErrMissing))
	_, _ = s.Attach(ctx, street, store.AttachRequest{SubjectKind: store.SubjectTicket, SubjectID: t2.ID,
		Purpose: attach.PurposeStampedReport, Name: "报告.pdf", Body: strings.NewReader("%PDF-1.7 盖章")}, now.Add(time.Hour))
	_, err = s.Apply(ctx, street, t2.ID, 3, reply, now.Add(time.Hour))
	fmt.Println(err)
	// Output:
	// 1 true
	// 已办结 true <nil>
	// true
	// <nil>
}
