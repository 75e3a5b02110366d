package bgjob_test

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/server/internal/bgjob"
	"github.com/hotline12345/hotline/server/store"
)

type job struct{ s bgjob.Settings }

type option = func(*job) error

func TestApply(t *testing.T) {
	fixed := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		opts    []option
		wantErr string
		check   func(t *testing.T, s bgjob.Settings)
	}{
		{"defaults", nil, "", func(t *testing.T, s bgjob.Settings) {
			assert.Equal(t, store.Principal{Actor: "worker", Role: store.RoleSystem}, s.Who)
			assert.NotNil(t, s.Log)
			assert.NotNil(t, s.Now)
			assert.Nil(t, s.Reg)
		}},
		{"every setting", []option{
			func(j *job) error { return j.s.SetLogger(slog.Default()) },
			func(j *job) error { return j.s.SetClock(func() time.Time { return fixed }) },
			func(j *job) error { return j.s.SetRegistry(prometheus.NewRegistry()) },
			func(j *job) error { j.s.SetActor("worker@a"); return nil },
		}, "", func(t *testing.T, s bgjob.Settings) {
			assert.Equal(t, fixed, s.Now())
			assert.NotNil(t, s.Reg)
			assert.Equal(t, "worker@a", s.Who.Actor)
		}},
		{"nil option", []option{nil}, "pkg: nil option", nil},
		{"nil logger", []option{func(j *job) error { return j.s.SetLogger(nil) }}, "pkg: nil logger", nil},
		{"nil clock", []option{func(j *job) error { return j.s.SetClock(nil) }}, "pkg: nil clock", nil},
		{"nil registry", []option{func(j *job) error { return j.s.SetRegistry(nil) }}, "pkg: nil registry", nil},
		{"empty actor", []option{func(j *job) error { j.s.SetActor(""); return nil }}, "pkg: the actor must be 1–128 bytes", nil},
		{"long actor", []option{func(j *job) error { j.s.SetActor(strings.Repeat("a", 129)); return nil }}, "pkg: the actor must be 1–128 bytes", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := &job{s: bgjob.Defaults("pkg", "worker")}
			err := bgjob.Apply(j, &j.s, tt.opts)
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			tt.check(t, j.s)
		})
	}
}
