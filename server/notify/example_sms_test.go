package notify_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hotline12345/hotline/server/notify"
)

// gateway is a fake SMS gateway: it prints what it would send, without the number.
type gateway struct{ sent map[string]bool }

var errInvalidNumber = errors.New("gateway: invalid number")

func (g *gateway) Send(to, template, param, key string) error {
	if to == "" {
		return errInvalidNumber
	}
	if g.sent[key] {
		return nil // the gateway's own idempotency
	}
	g.sent[key] = true
	fmt.Printf("SMS %s %s\n", template, param)
	return nil
}

// smsAdapter is the adapter of the package documentation: recipients become phone numbers from the
// district's directory (units) and from the API (the citizen), outside the outbox.
func smsAdapter(g *gateway, units map[string][2]string, citizen func(ctx context.Context, ticketID string) (string, error)) notify.Notifier {
	return notify.NotifierFunc(func(ctx context.Context, m notify.Message) error {
		var n notify.Notice
		if err := json.Unmarshal(m.Payload, &n); err != nil || n.Ticket == "" {
			return nil
		}
		for _, r := range n.To {
			var phone string
			switch r.Role {
			case notify.ToCitizen:
				p, err := citizen(ctx, n.Ticket)
				if err != nil {
					return err
				}
				phone = p
			case notify.ToHandlingUnit:
				phone = units[r.Unit][0]
			case notify.ToLeader:
				phone = units[r.Unit][1]
			default:
				continue
			}
			err := g.Send(phone, n.Topic, n.Number, m.ID+"/"+r.Role+"/"+r.Unit)
			if errors.Is(err, errInvalidNumber) {
				return fmt.Errorf("%w: %s of %s has no usable number", notify.ErrPermanent, r.Role, r.Unit)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
}

func Example_smsAdapter() {
	g := &gateway{sent: map[string]bool{}}
	units := map[string][2]string{"unit-a": {"021-0000-0001", "021-0000-0002"}}
	n := smsAdapter(g, units, func(context.Context, string) (string, error) { return "13800000000", nil })

	overdue, _ := json.Marshal(notify.Notice{Ticket: "t-1", Number: "HL-20261130-000001-7", Topic: notify.TopicOverdue,
		To: []notify.Recipient{{Role: notify.ToHandlingUnit, Unit: "unit-a"}, {Role: notify.ToLeader, Unit: "unit-a"}}})
	m := notify.Message{ID: "m-1", Topic: notify.TopicOverdue, Subject: "t-1", Payload: overdue, Created: time.Now()}
	fmt.Println(n.Notify(context.Background(), m))
	fmt.Println(n.Notify(context.Background(), m)) // at least once: the gateway dedupes on the id

	unknown, _ := json.Marshal(notify.Notice{Ticket: "t-2", Number: "HL-20261130-000002-5", Topic: notify.TopicDispatch,
		To: []notify.Recipient{{Role: notify.ToHandlingUnit, Unit: "unit-z"}}})
	err := n.Notify(context.Background(), notify.Message{ID: "m-2", Topic: notify.TopicDispatch, Payload: unknown})
	fmt.Println(errors.Is(err, notify.ErrPermanent), err)
	// Output:
	// SMS ticket.overdue HL-20261130-000001-7
	// SMS ticket.overdue HL-20261130-000001-7
	// <nil>
	// <nil>
	// true notify: permanent failure: handling_unit of unit-z has no usable number
}
