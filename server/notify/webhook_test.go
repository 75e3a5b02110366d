package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	secret = []byte("0123456789abcdef-test-secret")
	t0     = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
)

func message() Message {
	n := Notice{Ticket: "t-1", Number: "HL-20261130-000001-7", Topic: TopicOverdue, State: "handling", Version: 3,
		Clock: "reply_general", Due: t0, To: []Recipient{{Role: ToHandlingUnit, Unit: "unit-a"}, {Role: ToLeader, Unit: "unit-a"}}}
	payload, _ := json.Marshal(n)
	return Message{ID: "m-1", Topic: TopicOverdue, Subject: "t-1", Payload: payload, Created: t0, Attempt: 2}
}

// The receiver verifies what the webhook signed, and reads back the message with its dedupe key.
func TestWebhookSignedDelivery(t *testing.T) {
	var got Envelope
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		env, err := VerifyRequest(r, secret, t0.Add(3*time.Second), 0)
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		assert.Equal(t, "m-1", r.Header.Get(HeaderID))
		assert.Equal(t, TopicOverdue, r.Header.Get(HeaderTopic))
		got = env
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	w, err := NewWebhook(srv.URL+"/hook", secret, WithClock(func() time.Time { return t0 }))
	require.NoError(t, err)
	require.NoError(t, w.Notify(context.Background(), message()))
	assert.Equal(t, "m-1", got.ID)
	assert.Equal(t, TopicOverdue, got.Topic)
	assert.Equal(t, "t-1", got.Subject)
	assert.Equal(t, 2, got.Attempt)
	assert.True(t, got.Created.Equal(t0))
	var n Notice
	require.NoError(t, json.Unmarshal(got.Payload, &n))
	assert.Equal(t, "reply_general", n.Clock)
	assert.Equal(t, []Recipient{{Role: ToHandlingUnit, Unit: "unit-a"}, {Role: ToLeader, Unit: "unit-a"}}, n.To)

	// Signed under another secret: refused by the receiver, a 401, which is permanent.
	other, err := NewWebhook(srv.URL, []byte("another-secret-of-16+"), WithClock(func() time.Time { return t0 }))
	require.NoError(t, err)
	err = other.Notify(context.Background(), message())
	var se *StatusError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, http.StatusUnauthorized, se.Code)
	assert.ErrorIs(t, err, ErrPermanent)
}

// 2xx is delivered; 408, 425, 429, 5xx and network failures are tried again; any other answer
// (4xx, a redirect, which is not followed) is permanent.
func TestWebhookOutcomes(t *testing.T) {
	for _, tc := range []struct {
		code      int
		ok        bool
		permanent bool
	}{
		{200, true, false}, {202, true, false}, {204, true, false},
		{301, false, true}, {302, false, true},
		{400, false, true}, {401, false, true}, {403, false, true}, {404, false, true}, {410, false, true}, {422, false, true},
		{408, false, false}, {425, false, false}, {429, false, false},
		{500, false, false}, {502, false, false}, {503, false, false}, {504, false, false},
	} {
		t.Run(strconv.Itoa(tc.code), func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tc.code/100 == 3 {
					w.Header().Set("Location", "/elsewhere")
				}
				w.WriteHeader(tc.code)
			}))
			defer srv.Close()
			w, err := NewWebhook(srv.URL, secret)
			require.NoError(t, err)
			err = w.Notify(context.Background(), message())
			if tc.ok {
				assert.NoError(t, err)
				return
			}
			var se *StatusError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, tc.code, se.Code)
			assert.Equal(t, tc.permanent, errors.Is(err, ErrPermanent))
		})
	}
	t.Run("network", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		url := srv.URL
		srv.Close()
		w, err := NewWebhook(url+"/hook?token=s3cr3t", secret)
		require.NoError(t, err)
		err = w.Notify(context.Background(), message())
		require.Error(t, err)
		assert.NotErrorIs(t, err, ErrPermanent)
		assert.NotContains(t, err.Error(), "s3cr3t", "the URL, which may hold a token, is not in the error")
	})
	t.Run("timeout", func(t *testing.T) {
		release := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-release }))
		defer srv.Close()
		defer close(release)
		w, err := NewWebhook(srv.URL, secret, WithTimeout(50*time.Millisecond))
		require.NoError(t, err)
		start := time.Now()
		err = w.Notify(context.Background(), message())
		require.Error(t, err)
		assert.NotErrorIs(t, err, ErrPermanent)
		assert.Less(t, time.Since(start), 5*time.Second)
	})
	t.Run("payload not JSON", func(t *testing.T) {
		w, err := NewWebhook("http://127.0.0.1:1/", secret)
		require.NoError(t, err)
		m := message()
		m.Payload = []byte("{not json")
		assert.ErrorIs(t, w.Notify(context.Background(), m), ErrPermanent)
	})
}

func TestNewWebhookRefuses(t *testing.T) {
	for name, tc := range map[string]struct {
		url    string
		secret []byte
		opts   []WebhookOption
	}{
		"relative URL":   {url: "/hook", secret: secret},
		"ftp":            {url: "ftp://example.org/x", secret: secret},
		"no host":        {url: "https:///x", secret: secret},
		"garbage":        {url: "http://[::1", secret: secret},
		"short secret":   {url: "https://example.org", secret: []byte("short")},
		"nil option":     {url: "https://example.org", secret: secret, opts: []WebhookOption{nil}},
		"nil client":     {url: "https://example.org", secret: secret, opts: []WebhookOption{WithHTTPClient(nil)}},
		"zero timeout":   {url: "https://example.org", secret: secret, opts: []WebhookOption{WithTimeout(0)}},
		"nil clock":      {url: "https://example.org", secret: secret, opts: []WebhookOption{WithClock(nil)}},
		"userinfo shown": {url: "ftp://user:pw@example.org/x", secret: secret},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := NewWebhook(tc.url, tc.secret, tc.opts...)
			require.ErrorIs(t, err, ErrInvalidWebhook)
			assert.NotContains(t, err.Error(), "pw@", "credentials in a URL are not repeated")
		})
	}
	var w *Webhook
	assert.ErrorIs(t, w.Notify(context.Background(), message()), ErrInvalidWebhook)
}

// Verify on the receiving side: the timestamp must be within the tolerance, the signature must be the
// HMAC-SM3 of the timestamp and this body under this secret.
func TestVerify(t *testing.T) {
	body := []byte(`{"id":"m-1"}`)
	ts := t0.Unix()
	good := http.Header{}
	good.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	good.Set(HeaderSignature, Sign(secret, ts, body))
	require.NoError(t, Verify(secret, good, body, t0, time.Minute))
	require.NoError(t, Verify(secret, good, body, t0.Add(-time.Minute), time.Minute), "a receiver clock behind by the tolerance")
	with := func(k, v string) http.Header {
		h := good.Clone()
		if v == "" {
			h.Del(k)
		} else {
			h.Set(k, v)
		}
		return h
	}
	for name, tc := range map[string]struct {
		h      http.Header
		body   []byte
		secret []byte
		now    time.Time
		reason string
	}{
		"stale":            {h: good, body: body, secret: secret, now: t0.Add(6 * time.Minute), reason: "away from now"},
		"from the future":  {h: good, body: body, secret: secret, now: t0.Add(-6 * time.Minute), reason: "away from now"},
		"other body":       {h: good, body: []byte(`{"id":"m-2"}`), secret: secret, now: t0, reason: "does not match"},
		"other secret":     {h: good, body: body, secret: []byte("another-secret-of-16+"), now: t0, reason: "does not match"},
		"no secret":        {h: good, body: body, now: t0, reason: "no secret"},
		"no timestamp":     {h: with(HeaderTimestamp, ""), body: body, secret: secret, now: t0, reason: "no Hotline-Timestamp"},
		"signed timestamp": {h: with(HeaderTimestamp, "-1"), body: body, secret: secret, now: t0, reason: "not a number"},
		"long timestamp":   {h: with(HeaderTimestamp, "99999999999999999999"), body: body, secret: secret, now: t0, reason: "not a number"},
		"padded timestamp": {h: with(HeaderTimestamp, "0"+strconv.FormatInt(ts, 10)), body: body, secret: secret, now: t0, reason: "not a number"},
		"moved timestamp":  {h: with(HeaderTimestamp, strconv.FormatInt(ts+1, 10)), body: body, secret: secret, now: t0, reason: "does not match"},
		"no signature":     {h: with(HeaderSignature, ""), body: body, secret: secret, now: t0, reason: "sm3=<hex>"},
		"other scheme":     {h: with(HeaderSignature, "sha256="+strings.Repeat("0", 64)), body: body, secret: secret, now: t0, reason: "sm3=<hex>"},
		"short signature":  {h: with(HeaderSignature, "sm3=abcd"), body: body, secret: secret, now: t0, reason: "hexadecimal"},
		"not hex":          {h: with(HeaderSignature, "sm3="+strings.Repeat("zz", 32)), body: body, secret: secret, now: t0, reason: "hexadecimal"},
	} {
		t.Run(name, func(t *testing.T) {
			err := Verify(tc.secret, tc.h, tc.body, tc.now, 5*time.Minute)
			var se *SignatureError
			require.ErrorAs(t, err, &se)
			assert.ErrorIs(t, err, ErrUnverified)
			assert.Contains(t, se.Reason, tc.reason)
		})
	}
}

func TestVerifyRequestRefuses(t *testing.T) {
	body := []byte(`{"id":"m-1","topic":"x","subject":"s","created":"2026-11-30T09:00:00Z","attempt":0,"payload":null}`)
	req := func(b []byte, id string) *http.Request {
		r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(b))
		r.Header.Set(HeaderTimestamp, strconv.FormatInt(t0.Unix(), 10))
		r.Header.Set(HeaderSignature, Sign(secret, t0.Unix(), b))
		r.Header.Set(HeaderID, id)
		return r
	}
	_, err := VerifyRequest(req(body, "m-1"), secret, t0, 0)
	require.NoError(t, err)
	_, err = VerifyRequest(req(body, "m-2"), secret, t0, 0)
	assert.ErrorIs(t, err, ErrUnverified, "the header's id must be the body's")
	_, err = VerifyRequest(req([]byte(`[1]`), "m-1"), secret, t0, 0)
	assert.ErrorIs(t, err, ErrUnverified)
	big := bytes.Repeat([]byte{' '}, MaxBodyBytes+1)
	_, err = VerifyRequest(req(big, "m-1"), secret, t0, 0)
	assert.ErrorIs(t, err, ErrUnverified)
	r := req(body, "m-1")
	r.Body = nil
	_, err = VerifyRequest(r, secret, t0, 0)
	assert.ErrorIs(t, err, ErrUnverified)
}

// The log notifier writes ids and states, and accepts every message.
func TestLogNotifier(t *testing.T) {
	var buf bytes.Buffer
	l := NewLog(slog.New(slog.NewJSONHandler(&buf, nil)))
	require.NoError(t, l.Notify(context.Background(), message()))
	line := buf.String()
	for _, want := range []string{`"id":"m-1"`, `"topic":"ticket.overdue"`, `"clock":"reply_general"`, `"to":"handling_unit:unit-a,leader:unit-a"`} {
		assert.Contains(t, line, want)
	}
	require.NoError(t, l.Notify(context.Background(), Message{ID: "m-2", Topic: "appeal.file", Payload: []byte(`{"case":"c-1"}`)}))
	require.NoError(t, NewLog(nil).Notify(context.Background(), message()))
	var nilLog *Log
	require.NoError(t, nilLog.Notify(context.Background(), message()))
	assert.Len(t, Topics(), 10)
	_ = io.Discard
}

// FuzzVerify: Verify never panics, and accepts exactly what Sign produced for the same timestamp and
// body.
func FuzzVerify(f *testing.F) {
	f.Add("1796029200", "sm3="+strings.Repeat("0", 64), []byte(`{}`))
	f.Add("", "", []byte{})
	f.Add("00001796029200", "sm3=", []byte("x"))
	f.Add("1796029200", Sign(secret, 1796029200, []byte(`{"id":"m"}`)), []byte(`{"id":"m"}`))
	f.Fuzz(func(t *testing.T, ts, sig string, body []byte) {
		h := http.Header{}
		h.Set(HeaderTimestamp, ts)
		h.Set(HeaderSignature, sig)
		now := time.Unix(1796029200, 0)
		err := Verify(secret, h, body, now, time.Hour)
		if err == nil {
			n, perr := strconv.ParseInt(ts, 10, 64)
			require.NoError(t, perr)
			require.True(t, strings.EqualFold(Sign(secret, n, body), h.Get(HeaderSignature)))
		} else {
			require.ErrorIs(t, err, ErrUnverified)
		}
	})
}
