package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/emmansun/gmsm/sm3"
)

// The headers of a webhook request.
const (
	// HeaderID carries the message id: the dedupe key (a message may arrive more than once).
	HeaderID = "Hotline-Message-Id"
	// HeaderTopic carries the message's topic.
	HeaderTopic = "Hotline-Topic"
	// HeaderTimestamp carries the instant of signing, in seconds since the Unix epoch.
	HeaderTimestamp = "Hotline-Timestamp"
	// HeaderSignature carries "sm3=" and the hexadecimal HMAC-SM3 of the timestamp, a dot and the body.
	HeaderSignature = "Hotline-Signature"
)

// Defaults and bounds of the webhook.
const (
	// MinSecretBytes is the shortest signing secret [NewWebhook] accepts.
	MinSecretBytes = 16
	// DefaultTimeout bounds one delivery: connecting, sending and reading the answer.
	DefaultTimeout = 10 * time.Second
	// DefaultTolerance is how far a request's timestamp may be from the receiver's clock in [Verify].
	DefaultTolerance = 5 * time.Minute
	// MaxBodyBytes is the largest body [VerifyRequest] reads.
	MaxBodyBytes = 1 << 20
)

// Errors of the webhook.
var (
	// ErrInvalidWebhook: NewWebhook was given a bad URL, a short secret or a bad option.
	ErrInvalidWebhook = errors.New("notify: invalid webhook")
	// ErrUnverified: a request's signature or timestamp did not verify; a *[SignatureError] says why.
	ErrUnverified = errors.New("notify: request not verified")
)

// Envelope is the JSON body of a webhook request.
type Envelope struct {
	ID      string          `json:"id"`
	Topic   string          `json:"topic"`
	Subject string          `json:"subject"`
	Created time.Time       `json:"created"`
	Attempt int             `json:"attempt"`
	Payload json.RawMessage `json:"payload"`
}

// Webhook is a [Notifier] that POSTs each message as JSON ([Envelope]) to one URL, signed with
// HMAC-SM3 over the timestamp and the body ([Sign]); the receiver checks it with [Verify] or
// [VerifyRequest] and keys on the message id, since a message may come twice. An answer 2xx is
// delivered; 408, 425, 429, 5xx and network errors are tried again later; any other status (4xx,
// and redirects, which are not followed) is permanent: the message goes to the dead letters.
type Webhook struct {
	url    string
	secret []byte
	client *http.Client
	now    func() time.Time
}

// WebhookOption tunes [NewWebhook].
type WebhookOption func(*Webhook) error

// WithHTTPClient sends through c instead of a client of its own (whose timeout is
// [DefaultTimeout]); redirects are still not followed.
func WithHTTPClient(c *http.Client) WebhookOption {
	return func(w *Webhook) error {
		if c == nil {
			return fmt.Errorf("%w: nil HTTP client", ErrInvalidWebhook)
		}
		cc := *c
		cc.CheckRedirect = noRedirect
		w.client = &cc
		return nil
	}
}

// WithTimeout bounds one delivery to d (default [DefaultTimeout]).
func WithTimeout(d time.Duration) WebhookOption {
	return func(w *Webhook) error {
		if d <= 0 {
			return fmt.Errorf("%w: timeout %s is not positive", ErrInvalidWebhook, d)
		}
		w.client.Timeout = d
		return nil
	}
}

// WithClock makes the webhook read the signing instant from now (default time.Now).
func WithClock(now func() time.Time) WebhookOption {
	return func(w *Webhook) error {
		if now == nil {
			return fmt.Errorf("%w: nil clock", ErrInvalidWebhook)
		}
		w.now = now
		return nil
	}
}

func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// NewWebhook returns a webhook posting to rawURL (http or https) signed with secret (at least
// [MinSecretBytes] bytes).
func NewWebhook(rawURL string, secret []byte, opts ...WebhookOption) (*Webhook, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%w: URL %q is not an absolute http or https URL", ErrInvalidWebhook, redactURL(rawURL))
	}
	if len(secret) < MinSecretBytes {
		return nil, fmt.Errorf("%w: the signing secret has %d bytes, at least %d are needed", ErrInvalidWebhook, len(secret), MinSecretBytes)
	}
	w := &Webhook{url: u.String(), secret: bytes.Clone(secret), now: time.Now,
		client: &http.Client{Timeout: DefaultTimeout, CheckRedirect: noRedirect}}
	for _, o := range opts {
		if o == nil {
			return nil, fmt.Errorf("%w: nil option", ErrInvalidWebhook)
		}
		if err := o(w); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// redactURL drops the user information and the query of a URL for an error message.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparseable)"
	}
	u.User, u.RawQuery = nil, ""
	return u.String()
}

// StatusError is a webhook answer other than 2xx.
type StatusError struct {
	Code      int
	Permanent bool
}

func (e *StatusError) Error() string {
	kind := "will retry"
	if e.Permanent {
		kind = "permanent"
	}
	return fmt.Sprintf("notify: webhook answered %d %s (%s)", e.Code, http.StatusText(e.Code), kind)
}

// Unwrap returns [ErrPermanent] for a permanent failure.
func (e *StatusError) Unwrap() error {
	if e.Permanent {
		return ErrPermanent
	}
	return nil
}

// retryable reports whether an answer with status code may succeed later.
func retryable(code int) bool {
	switch {
	case code == http.StatusRequestTimeout, code == http.StatusTooEarly, code == http.StatusTooManyRequests:
		return true
	case code >= 500:
		return true
	}
	return false
}

// Notify posts m and returns nil once the receiver answered 2xx.
func (w *Webhook) Notify(ctx context.Context, m Message) error {
	if w == nil || w.client == nil {
		return fmt.Errorf("%w: webhook not built by NewWebhook", ErrInvalidWebhook)
	}
	payload := json.RawMessage(m.Payload)
	if len(payload) == 0 {
		payload = json.RawMessage("null")
	}
	if !json.Valid(payload) {
		return fmt.Errorf("%w: message %s has a payload that is not JSON", ErrPermanent, m.ID)
	}
	body, err := json.Marshal(Envelope{ID: m.ID, Topic: m.Topic, Subject: m.Subject, Created: m.Created.UTC(), Attempt: m.Attempt, Payload: payload})
	if err != nil {
		return fmt.Errorf("%w: encoding message %s: %v", ErrPermanent, m.ID, err)
	}
	ts := w.now().Unix()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%w: %v", ErrPermanent, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "hotline-notify")
	req.Header.Set(HeaderID, m.ID)
	req.Header.Set(HeaderTopic, m.Topic)
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(HeaderSignature, Sign(w.secret, ts, body))
	resp, err := w.client.Do(req)
	if err != nil {
		// Network errors and timeouts: try again later. The URL is left out (it may hold a token).
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("notify: webhook delivery of %s: %w", m.ID, err)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	return &StatusError{Code: resp.StatusCode, Permanent: !retryable(resp.StatusCode)}
}

// Sign returns the signature header value of body signed at ts (seconds since the Unix epoch):
// "sm3=" and the hexadecimal HMAC-SM3 under secret of the decimal timestamp, ".", and the body.
func Sign(secret []byte, ts int64, body []byte) string {
	return "sm3=" + hex.EncodeToString(mac(secret, ts, body))
}

func mac(secret []byte, ts int64, body []byte) []byte {
	h := hmac.New(sm3.New, secret)
	h.Write([]byte(strconv.FormatInt(ts, 10)))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}

// SignatureError says why a request did not verify; it wraps [ErrUnverified].
type SignatureError struct {
	Reason string
}

func (e *SignatureError) Error() string { return "notify: request not verified: " + e.Reason }

// Unwrap returns [ErrUnverified].
func (e *SignatureError) Unwrap() error { return ErrUnverified }

// Verify checks a webhook request's headers and body on the receiving side: the timestamp within
// tolerance of now (zero or negative means [DefaultTolerance]) and the HMAC-SM3 signature under
// secret. It returns nil or a *[SignatureError]. A request replayed within the tolerance verifies
// again: receivers dedupe on the message id ([HeaderID]).
func Verify(secret []byte, h http.Header, body []byte, now time.Time, tolerance time.Duration) error {
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	bad := func(format string, a ...any) error { return &SignatureError{Reason: fmt.Sprintf(format, a...)} }
	if len(secret) == 0 {
		return bad("no secret to verify with")
	}
	tsText := h.Get(HeaderTimestamp)
	if tsText == "" {
		return bad("no %s header", HeaderTimestamp)
	}
	if len(tsText) > 12 || strings.TrimLeft(tsText, "0123456789") != "" {
		return bad("%s is not a number of seconds", HeaderTimestamp)
	}
	ts, err := strconv.ParseInt(tsText, 10, 64)
	if err != nil || strconv.FormatInt(ts, 10) != tsText {
		return bad("%s is not a number of seconds", HeaderTimestamp)
	}
	if d := now.Sub(time.Unix(ts, 0)); d > tolerance || d < -tolerance {
		return bad("timestamp is %s away from now, more than the %s allowed", d.Round(time.Second).Abs(), tolerance)
	}
	sig := h.Get(HeaderSignature)
	hexSig, ok := strings.CutPrefix(sig, "sm3=")
	if !ok {
		return bad("no %s header of the form sm3=<hex>", HeaderSignature)
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil || len(got) != sm3.Size {
		return bad("%s is not %d hexadecimal bytes", HeaderSignature, sm3.Size)
	}
	if !hmac.Equal(got, mac(secret, ts, body)) {
		return bad("signature does not match the body")
	}
	return nil
}

// VerifyRequest reads r's body (at most [MaxBodyBytes]), verifies it with [Verify] and decodes the
// [Envelope]. It is the receiver's side of [Webhook] in one call.
func VerifyRequest(r *http.Request, secret []byte, now time.Time, tolerance time.Duration) (Envelope, error) {
	if r.Body == nil {
		return Envelope{}, &SignatureError{Reason: "no body"}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBodyBytes+1))
	if err != nil {
		return Envelope{}, err
	}
	if len(body) > MaxBodyBytes {
		return Envelope{}, &SignatureError{Reason: fmt.Sprintf("body larger than %d bytes", MaxBodyBytes)}
	}
	if err := Verify(secret, r.Header, body, now, tolerance); err != nil {
		return Envelope{}, err
	}
	var env Envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return Envelope{}, &SignatureError{Reason: "signed body is not an envelope: " + err.Error()}
	}
	if env.ID == "" || env.ID != r.Header.Get(HeaderID) {
		return Envelope{}, &SignatureError{Reason: "the body's id and the " + HeaderID + " header differ"}
	}
	return env, nil
}
