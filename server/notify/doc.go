// Package notify is how the reference server tells people what they must hear of: a unit that a
// ticket was dispatched to it, a unit and its leader that a ticket is due soon or overdue, was urged
// or put under supervision, the hotline office that a replied ticket awaits its callback, the
// citizen that a reply was given, and so on ([Topics]).
//
// Such messages are written to the store's outbox in the same transaction as the change they
// announce; the outbox worker (server/outbox) delivers them at least once through a [Notifier], with
// back-off, dead letters and metrics. A message's Payload is a [Notice]: ids, states, instants and
// the [Recipient] roles and units — never a name, a phone number, an address or the ticket's text.
//
// Two notifiers come with the package:
//
//   - [Webhook] POSTs each message as JSON ([Envelope]) to a URL, signed with HMAC-SM3 over a
//     timestamp and the body ([Sign]); the receiver checks it with [Verify] or [VerifyRequest], within
//     a tolerance window, and dedupes on the message id. 4xx answers are permanent
//     ([ErrPermanent]: the message becomes a dead letter), 5xx and network errors are tried again.
//   - [Log] writes one structured line per message (ids and states only).
//
// # Writing an adapter: an SMS gateway
//
// A district replaces delivery — an SMS gateway, a government messaging platform (政务微信, 浙政钉…)
// — by implementing the one-method [Notifier] interface and passing it to server.WithNotifier (and to
// the outbox worker). The adapter turns recipients into people: a unit's duty phone and its leader's
// from the district's own directory, the citizen's contact through the reference server's API with a
// system credential (GET /v1/tickets/{id}; the read is the system's, audited like any other), so
// that no identity ever sits in the outbox or passes through a queue. It returns nil only once the
// gateway accepted the message, an error wrapping [ErrPermanent] when trying again cannot help (no
// such number, the citizen opted out), and any other error to be tried again later. The message id
// is the gateway's idempotency key, where it has one.
//
//	type SMS struct {
//		Gateway  *smsgw.Client          // the district's gateway client
//		Units    map[string]Contacts     // unit id → duty and leader phones (the district's directory)
//		Citizens func(ctx context.Context, ticketID string) (phone string, err error) // via the API
//	}
//
//	func (s *SMS) Notify(ctx context.Context, m notify.Message) error {
//		var n notify.Notice
//		if err := json.Unmarshal(m.Payload, &n); err != nil || n.Ticket == "" {
//			return nil // not a ticket notice (an appeal's): not for SMS
//		}
//		for _, r := range n.To {
//			var phone string
//			switch r.Role {
//			case notify.ToCitizen:
//				p, err := s.Citizens(ctx, n.Ticket)
//				if err != nil {
//					return err // the API is down: try again later
//				}
//				phone = p
//			case notify.ToHandlingUnit:
//				phone = s.Units[r.Unit].Duty
//			case notify.ToLeader:
//				phone = s.Units[r.Unit].Leader
//			default:
//				continue // the hotline office reads its console
//			}
//			err := s.Gateway.Send(ctx, smsgw.Message{To: phone, Template: n.Topic, Params: []string{n.Number},
//				IdempotencyKey: m.ID + "/" + r.Role + "/" + r.Unit})
//			if errors.Is(err, smsgw.ErrInvalidNumber) {
//				return fmt.Errorf("%w: %v", notify.ErrPermanent, err)
//			}
//			if err != nil {
//				return err
//			}
//		}
//		return nil
//	}
//
// Errors are stored with the dead letter and logged: an adapter's error must not quote a phone
// number or a name. Example_smsAdapter runs such an adapter against a fake gateway.
package notify
