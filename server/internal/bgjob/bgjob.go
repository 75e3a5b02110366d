// Package bgjob holds what the server's background jobs — the outbox worker (server/outbox) and the
// deadline sweeper (server/sweep) — take from their functional options: a logger, a clock, a metrics
// registry and the system principal they act as. Each job keeps its own exported options (WithLogger,
// WithClock, WithRegistry, WithActor) as its API; their checks and defaults are written here once.
package bgjob

import (
	"errors"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hotline12345/hotline/server/store"
)

// MaxActor bounds the length in bytes of the actor a job acts as (the audit chain's actor column).
const MaxActor = 128

// Settings are a job's logger, clock, registry and principal.
type Settings struct {
	// Log receives the job's messages (default: discarded).
	Log *slog.Logger
	// Now reads the current instant (default time.Now).
	Now func() time.Time
	// Reg registers the job's metrics; nil keeps them unregistered.
	Reg prometheus.Registerer
	// Who is the system principal the job acts as.
	Who store.Principal

	pkg string
}

// Defaults returns the settings of a job of package pkg (used in error messages) acting as actor.
func Defaults(pkg, actor string) Settings {
	return Settings{Log: slog.New(slog.DiscardHandler), Now: time.Now,
		Who: store.Principal{Actor: actor, Role: store.RoleSystem}, pkg: pkg}
}

// SetLogger sets the logger; nil is refused.
func (s *Settings) SetLogger(l *slog.Logger) error {
	if l == nil {
		return errors.New(s.pkg + ": nil logger")
	}
	s.Log = l
	return nil
}

// SetClock sets the clock; nil is refused.
func (s *Settings) SetClock(now func() time.Time) error {
	if now == nil {
		return errors.New(s.pkg + ": nil clock")
	}
	s.Now = now
	return nil
}

// SetRegistry sets the metrics registry; nil is refused.
func (s *Settings) SetRegistry(reg prometheus.Registerer) error {
	if reg == nil {
		return errors.New(s.pkg + ": nil registry")
	}
	s.Reg = reg
	return nil
}

// SetActor names the system principal the job acts as; [Apply] checks its length.
func (s *Settings) SetActor(actor string) {
	s.Who = store.Principal{Actor: actor, Role: store.RoleSystem}
}

// Apply runs opts on job (a nil option is refused), then checks the settings' actor.
func Apply[T any, O ~func(*T) error](job *T, s *Settings, opts []O) error {
	for _, o := range opts {
		if o == nil {
			return errors.New(s.pkg + ": nil option")
		}
		if err := o(job); err != nil {
			return err
		}
	}
	if s.Who.Actor == "" || len(s.Who.Actor) > MaxActor {
		return errors.New(s.pkg + ": the actor must be 1–128 bytes")
	}
	return nil
}
