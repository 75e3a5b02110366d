package store

// This file holds what a ticket change announces through the outbox and when the deadline sweeper
// must look at the ticket next. writeChange calls changeNotices once per change; the sweeper
// (sweep.go) writes the notices no change causes — due soon, overdue, callback due — under ids
// derived from what they announce, so that a notice written twice (by two instances, or after a
// crash) is stored once.

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/server/notify"
	"github.com/hotline12345/hotline/ticket"
)

// noticeRow is an outbox row with the delivery columns (migration 20261130000004).
type noticeRow struct {
	bun.BaseModel `bun:"table:outbox"`
	ID            string  `bun:"id,pk"`
	Topic         string  `bun:"topic"`
	Subject       string  `bun:"subject"`
	Payload       []byte  `bun:"payload"`
	CreatedUS     int64   `bun:"created_us"`
	SentUS        *int64  `bun:"sent_us"`
	Attempts      int     `bun:"attempts"`
	DueUS         *int64  `bun:"due_us"`
	Claim         *string `bun:"claim"`
	DeadUS        *int64  `bun:"dead_us"`
	LastError     *string `bun:"last_error"`
}

// noticeSpace is the UUID namespace of the notices whose ids are derived from what they announce.
var noticeSpace = uuid.MustParse("6f1c8a52-3f0e-4c55-9d55-1e2a7c3b9a01")

// noticeID is the id of the notice named by parts (ticket id, kind, clock, deadline…): the same
// parts give the same id, so the outbox's primary key keeps one.
func noticeID(parts ...string) string {
	return uuid.NewSHA1(noticeSpace, []byte(strings.Join(parts, "|"))).String()
}

// newNotice returns the outbox row of notice n about ticket id, due for delivery at now.
func newNotice(msgID string, n notify.Notice, now time.Time) *noticeRow {
	payload, _ := json.Marshal(n) // plain strings, numbers and instants: cannot fail
	due := micros(now)
	return &noticeRow{ID: msgID, Topic: n.Topic, Subject: n.Ticket, Payload: payload, CreatedUS: micros(now), DueUS: &due}
}

// baseNotice fills what every notice about t carries.
func baseNotice(id string, t *ticket.Ticket, topic string, version int64) notify.Notice {
	return notify.Notice{Ticket: id, Number: t.Number.String(), Topic: topic, State: text(t.State), Version: version,
		Lead: t.Assignment.Lead, Region: t.Place.RegionCode}
}

// handlingUnits are the lead and co-handling units of t as recipients, and with leader the lead
// unit's leader in charge; while no unit has t, the hotline office of its region.
func handlingUnits(t *ticket.Ticket, leader bool) []notify.Recipient {
	units := handlers(t)
	if len(units) == 0 {
		return hotlineOffice(t)
	}
	out := make([]notify.Recipient, 0, len(units)+1)
	for _, u := range units {
		out = append(out, notify.Recipient{Role: notify.ToHandlingUnit, Unit: u})
	}
	if leader {
		out = append(out, notify.Recipient{Role: notify.ToLeader, Unit: units[0]})
	}
	return out
}

func hotlineOffice(t *ticket.Ticket) []notify.Recipient {
	return []notify.Recipient{{Role: notify.ToHotlineOffice, Region: t.Place.RegionCode}}
}

// announced returns the topic of the notice event ev on t causes and who must hear of it, or "" when
// nobody must.
func announced(t *ticket.Ticket, ev ticket.Event) (string, []notify.Recipient) {
	switch ev.Action {
	case ticket.ActionDispatch, ticket.ActionDesignate:
		return notify.TopicDispatch, handlingUnits(t, false)
	case ticket.ActionReturn:
		return notify.TopicReturn, hotlineOffice(t)
	case ticket.ActionRequestExtension, ticket.ActionEscalateExtension:
		return notify.TopicExtension, hotlineOffice(t)
	case ticket.ActionApproveExtension, ticket.ActionRefuseExtension:
		return notify.TopicExtension, handlingUnits(t, false)
	case ticket.ActionReply, ticket.ActionAnswer:
		return notify.TopicReply, []notify.Recipient{{Role: notify.ToCitizen}}
	case ticket.ActionReopen:
		return notify.TopicReopen, handlingUnits(t, true)
	case ticket.ActionSupervise:
		return notify.TopicSupervise, handlingUnits(t, true)
	case ticket.ActionUrge:
		return notify.TopicUrge, handlingUnits(t, true)
	}
	if supervisedBy(ev) {
		// A dissatisfied callback (004 §12 (二) 4) or the repeat that reaches the policy's count (004 §12
		// (二) 2) put the ticket under supervision.
		return notify.TopicSupervise, handlingUnits(t, true)
	}
	return "", nil
}

// supervisedBy reports whether ev put the ticket under supervision as a side effect: the lifecycle
// notes every supervision it records ("supervised (督办 #n): …").
func supervisedBy(ev ticket.Event) bool {
	return slices.ContainsFunc(ev.Notes, func(n string) bool { return strings.HasPrefix(n, "supervised (") })
}

// awaitingCallback reports whether the hotline office's callback is the next step of t under
// deadline policy pol: the lifecycle has a callback from t's state whose guards hold (a reply goes
// to the callback directly only where the policy has no quality check, 002 §6 (一) 2).
func awaitingCallback(t *ticket.Ticket, pol deadline.Policy) bool {
	tr, ok := ticket.Lifecycle().Lookup(t.State, ticket.ActionCallback)
	if !ok {
		return false
	}
	for _, g := range tr.Guards {
		if (g == ticket.GuardNoQualityCheck && pol.QualityCheck) || (g == ticket.GuardQualityCheck && !pol.QualityCheck) {
			return false
		}
	}
	return true
}

// callbackNotice is the notice scheduling the callback (回访, 100% of replied tickets: 000 §4 (四),
// 004 §11) of t's latest reply, under the id both the write path and the sweeper give it.
func callbackNotice(id string, t *ticket.Ticket, version int64, now time.Time) *noticeRow {
	n := baseNotice(id, t, notify.TopicCallbackDue, version)
	n.To = hotlineOffice(t)
	return newNotice(noticeID(id, "callback_due", strconv.Itoa(t.Counters.Replies)), n, now)
}

// changeNotices returns what a change of ticket id to t by ev writes besides the event, in the same
// transaction: its notice, if anyone must hear of it; the callback's, when ev leaves t awaiting
// it; and the ticket's next sweep instant and provisional mark.
func (s *Store) changeNotices(tx bun.Tx, id string, t *ticket.Ticket, ev ticket.Event, now time.Time) []query {
	m := s.machine.load()
	at, prov := sweepState(t, m, now, true)
	return append(noticeQueries(tx, m, id, t, ev, now),
		tx.NewUpdate().Table("tickets").Set("sweep_at_us = ?", at).Set("provisional = ?", prov).Where("id = ?", id))
}

// noticeQueries returns the inserts of changeNoticeRows' notices (the once ones ignored if there).
func noticeQueries(tx bun.Tx, m *ticket.Machine, id string, t *ticket.Ticket, ev ticket.Event, now time.Time) []query {
	var out []query
	notices, once := changeNoticeRows(m, id, t, ev, now)
	for _, n := range notices {
		out = append(out, tx.NewInsert().Model(n))
	}
	for _, n := range once {
		out = append(out, tx.NewInsert().Model(n).Ignore())
	}
	return out
}

// changeNoticeRows returns the notices of changeNotices: its own notice, if anyone must hear of
// the change, and (once) the callback's, written only if not there yet (its id is derived).
func changeNoticeRows(m *ticket.Machine, id string, t *ticket.Ticket, ev ticket.Event, now time.Time) (notices, once []*noticeRow) {
	version := int64(ev.Seq)
	if topic, to := announced(t, ev); topic != "" {
		n := baseNotice(id, t, topic, version)
		n.Action, n.To = text(ev.Action), to
		notices = append(notices, newNotice(newID(), n, now))
	}
	if ev.From != ev.To && awaitingCallback(t, m.DeadlinePolicy()) {
		once = append(once, callbackNotice(id, t, version, now))
	}
	return notices, once
}

// clockPtrs lists t's stage clocks in the lifecycle's order.
func clockPtrs(d *ticket.Deadlines) []*ticket.Clock {
	return []*ticket.Clock{&d.Analysis, &d.Upstream, &d.RefusalReply, &d.FirstContact, &d.Reply, &d.Redo, &d.Cap, &d.AppealClose}
}

// dueSoonFrom maps each set clock of t to the instant it is due soon from (zero: never), as the
// machine's calendar and policy say.
func dueSoonFrom(t *ticket.Ticket, m clockStatus, now time.Time) map[deadline.Key]time.Time {
	out := map[deadline.Key]time.Time{}
	st, err := m.Status(t, now)
	if err != nil {
		return out // a clock the policy cannot time has no due-soon window (as in project)
	}
	for _, s := range st {
		out[s.Key] = s.DueSoonFrom
	}
	return out
}

// sweepState returns when the sweeper must next look at t — the earliest instant a running clock
// is due soon or due; with past, instants already passed count too (a change may come between an
// instant and the sweep that acts on it) — and whether a running clock rests on provisional
// calendar dates.
func sweepState(t *ticket.Ticket, m clockStatus, now time.Time, past bool) (*int64, int16) {
	soon := dueSoonFrom(t, m, now)
	var next time.Time
	prov := false
	for _, c := range clockPtrs(&t.Deadlines) {
		if !c.Running() {
			continue
		}
		prov = prov || c.Due.Provisional
		for _, at := range []time.Time{soon[c.Key], c.Due.At} {
			if at.IsZero() || (!past && !at.After(now)) {
				continue
			}
			if next.IsZero() || at.Before(next) {
				next = at
			}
		}
	}
	return nullMicros(next), boolInt(prov)
}
