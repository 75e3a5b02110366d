package notify_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	"github.com/hotline12345/hotline/server/notify"
)

// A webhook and its receiver: the receiver verifies the HMAC-SM3 signature and the timestamp, and
// keys on the message id (a message may come twice).
func ExampleWebhook() {
	secret := []byte("a-secret-shared-with-the-receiver")
	seen := map[string]bool{}
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		env, err := notify.VerifyRequest(r, secret, time.Now(), notify.DefaultTolerance)
		if err != nil {
			http.Error(w, "unverified", http.StatusUnauthorized)
			return
		}
		if !seen[env.ID] {
			seen[env.ID] = true
			var n notify.Notice
			_ = json.Unmarshal(env.Payload, &n)
			fmt.Println("received", env.Topic, n.Number, "for", n.To[0].Role, n.To[0].Unit)
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer receiver.Close()

	hook, err := notify.NewWebhook(receiver.URL, secret)
	if err != nil {
		panic(err)
	}
	payload, _ := json.Marshal(notify.Notice{Ticket: "t-1", Number: "HL-20261130-000001-7", Topic: notify.TopicDispatch,
		State: "dispatched", Version: 2, To: []notify.Recipient{{Role: notify.ToHandlingUnit, Unit: "unit-a"}}})
	m := notify.Message{ID: "m-1", Topic: notify.TopicDispatch, Subject: "t-1", Payload: payload, Created: time.Now()}
	fmt.Println(hook.Notify(context.Background(), m))
	fmt.Println(hook.Notify(context.Background(), m)) // delivered again: the receiver acts once
	// Output:
	// received ticket.dispatch HL-20261130-000001-7 for handling_unit unit-a
	// <nil>
	// <nil>
}

// Verify refuses a request signed too long ago.
func ExampleVerify() {
	secret := []byte("a-secret-shared-with-the-receiver")
	body := []byte(`{"id":"m-1"}`)
	signed := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	h := http.Header{}
	h.Set(notify.HeaderTimestamp, fmt.Sprint(signed.Unix()))
	h.Set(notify.HeaderSignature, notify.Sign(secret, signed.Unix(), body))
	fmt.Println(notify.Verify(secret, h, body, signed.Add(time.Minute), 5*time.Minute))
	err := notify.Verify(secret, h, body, signed.Add(time.Hour), 5*time.Minute)
	fmt.Println(errors.Is(err, notify.ErrUnverified), err)
	// Output:
	// <nil>
	// true notify: request not verified: timestamp is 1h0m0s away from now, more than the 5m0s allowed
}

// The log notifier: one line per message, ids and states only.
func ExampleNewLog() {
	h := slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey || a.Key == "created" {
			return slog.Attr{}
		}
		return a
	}})
	payload, _ := json.Marshal(notify.Notice{Ticket: "t-1", Number: "HL-20261130-000001-7", Topic: notify.TopicCallbackDue,
		State: "replied", Version: 5, To: []notify.Recipient{{Role: notify.ToHotlineOffice, Region: "310113001"}}})
	_ = notify.NewLog(slog.New(h)).Notify(context.Background(), notify.Message{ID: "m-9", Topic: notify.TopicCallbackDue, Subject: "t-1", Payload: payload})
	// Output:
	// level=INFO msg=notification id=m-9 topic=ticket.callback_due subject=t-1 attempt=0 number=HL-20261130-000001-7 state=replied version=5 to=hotline_office:310113001
}
