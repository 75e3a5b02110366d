package notifytest_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/server/notify"
	"github.com/hotline12345/hotline/server/notify/notifytest"
)

func TestReceiver(t *testing.T) {
	const secret = "receiver-test-secret"
	tests := []struct {
		name       string
		refuse     float64
		hookSecret string
		sends      int
		check      func(t *testing.T, r *notifytest.Receiver, errs []error)
	}{
		{"accepts verified messages and counts them by id", 0, secret, 3, func(t *testing.T, r *notifytest.Receiver, errs []error) {
			for _, err := range errs {
				assert.NoError(t, err)
			}
			assert.Equal(t, map[string]int{"m-0": 1, "m-1": 1, "m-2": 1}, r.Accepted())
			assert.Zero(t, r.Refused())
		}},
		{"refuses a request signed with another secret", 0, "another-secret-of-16", 2, func(t *testing.T, r *notifytest.Receiver, errs []error) {
			for _, err := range errs {
				var se *notify.StatusError
				require.ErrorAs(t, err, &se)
			}
			assert.Equal(t, 2, r.Unverified())
			assert.Empty(t, r.Accepted())
		}},
		{"refuses about the share asked, with a status the webhook retries", 0.5, secret, 400, func(t *testing.T, r *notifytest.Receiver, errs []error) {
			failed := 0
			for _, err := range errs {
				if err != nil {
					failed++
					assert.False(t, errors.Is(err, notify.ErrPermanent), "503 is tried again")
				}
			}
			assert.Equal(t, failed, r.Refused())
			assert.Equal(t, 400-failed, len(r.Accepted()))
			assert.InDelta(t, 200, failed, 60)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := notifytest.NewReceiver(t, []byte(secret), tt.refuse)
			hook, err := notify.NewWebhook(r.URL, []byte(tt.hookSecret))
			require.NoError(t, err)
			var errs []error
			for i := range tt.sends {
				errs = append(errs, hook.Notify(context.Background(), notify.Message{ID: "m-" + strconv.Itoa(i),
					Topic: "ticket.overdue", Subject: "t", Payload: []byte(`{}`), Created: time.Now()}))
			}
			tt.check(t, r, errs)
		})
	}
	t.Run("a refuse share outside [0, 1) is a test bug", func(t *testing.T) {
		ft := &fatalT{T: t}
		func() {
			defer func() { _ = recover() }()
			notifytest.NewReceiver(ft, nil, 1)
		}()
		assert.True(t, ft.failed)
	})
}

// fatalT records a Fatalf instead of ending the test.
type fatalT struct {
	*testing.T
	failed bool
}

func (f *fatalT) Fatalf(string, ...any) { f.failed = true; panic("fatal") }
