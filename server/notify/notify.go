package notify

import (
	"context"
	"errors"
	"time"
)

// Message is one notification taken from the outbox. Payload is JSON with ids and states only:
// never a citizen's identity.
type Message struct {
	// ID is the outbox row's id. It is the dedupe key: a message may be delivered more than once (after
	// a crash between delivery and marking), so a receiver that must act once keys on it.
	ID string
	// Topic names what happened, e.g. "ticket.dispatch", "ticket.overdue", "appeal.uphold".
	Topic string
	// Subject is the ticket's or case's id.
	Subject string
	// Payload is the JSON body of the message.
	Payload []byte
	// Created is when the change it announces was stored.
	Created time.Time
	// Attempt counts deliveries tried before this one (0 on the first).
	Attempt int
}

// A Notifier delivers one message. It returns nil only once the message was accepted by the
// receiver; an error makes the worker try again later with back-off, and an error wrapping
// [ErrPermanent] sends the message straight to the dead letters.
type Notifier interface {
	Notify(ctx context.Context, m Message) error
}

// NotifierFunc adapts a function to a [Notifier].
type NotifierFunc func(ctx context.Context, m Message) error

// Notify calls f(ctx, m).
func (f NotifierFunc) Notify(ctx context.Context, m Message) error { return f(ctx, m) }

// ErrPermanent, wrapped by a Notifier's error, says that trying again cannot help (the receiver
// refused the message itself, not the moment).
var ErrPermanent = errors.New("notify: permanent failure")
