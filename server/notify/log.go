package notify

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
)

// Log is a [Notifier] that writes one structured line per message and accepts it: the reference
// server's default until a webhook or a district's adapter is configured, and a trace beside one.
// It logs the message's id, topic, subject, attempt, and from a [Notice] payload the state, the
// clock and its deadline and the recipients' roles and units — ids and states only, as the payload
// itself (no identity ever reaches the outbox).
type Log struct {
	log *slog.Logger
}

// NewLog returns a notifier logging to l at level Info; a nil l discards.
func NewLog(l *slog.Logger) *Log {
	if l == nil {
		l = slog.New(slog.DiscardHandler)
	}
	return &Log{log: l}
}

// Notify logs m and returns nil.
func (l *Log) Notify(ctx context.Context, m Message) error {
	attrs := []slog.Attr{slog.String("id", m.ID), slog.String("topic", m.Topic), slog.String("subject", m.Subject),
		slog.Int("attempt", m.Attempt), slog.Time("created", m.Created)}
	var n Notice
	if json.Unmarshal(m.Payload, &n) == nil && n.Ticket != "" {
		attrs = append(attrs, slog.String("number", n.Number), slog.String("state", n.State), slog.Int64("version", n.Version))
		if n.Clock != "" {
			attrs = append(attrs, slog.String("clock", n.Clock), slog.Time("due", n.Due))
		}
		to := make([]string, 0, len(n.To))
		for _, r := range n.To {
			to = append(to, r.Role+":"+r.Unit+r.Region)
		}
		attrs = append(attrs, slog.String("to", strings.Join(to, ",")))
	}
	if l == nil || l.log == nil {
		return nil
	}
	l.log.LogAttrs(ctx, slog.LevelInfo, "notification", attrs...)
	return nil
}
