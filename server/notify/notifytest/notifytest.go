package notifytest

import (
	"maps"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hotline12345/hotline/server/notify"
)

// Receiver is a signed-webhook endpoint for tests. Its methods may be called while it serves.
type Receiver struct {
	// URL is where to deliver ([notify.NewWebhook]).
	URL string

	secret []byte
	refuse float64
	srv    *httptest.Server

	mu         sync.Mutex
	accepted   map[string]int
	topics     []string
	refused    int
	unverified int
}

// NewReceiver starts a receiver that verifies signatures made with secret (a minute's tolerance)
// and answers a share refuse (0 to 1) of the verified requests 503 Service Unavailable at random,
// the others 204 No Content. It is closed when tb's test ends.
func NewReceiver(tb testing.TB, secret []byte, refuse float64) *Receiver {
	tb.Helper()
	if refuse < 0 || refuse >= 1 {
		tb.Fatalf("notifytest: refuse %v is not in [0, 1)", refuse)
	}
	r := &Receiver{secret: secret, refuse: refuse, accepted: map[string]int{}}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	r.URL = r.srv.URL
	tb.Cleanup(r.srv.Close)
	return r
}

func (r *Receiver) serve(w http.ResponseWriter, req *http.Request) {
	env, err := notify.VerifyRequest(req, r.secret, time.Now(), time.Minute)
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case err != nil:
		r.unverified++
		http.Error(w, "unverified", http.StatusUnauthorized)
	case r.refuse > 0 && rand.Float64() < r.refuse:
		r.refused++
		http.Error(w, "busy", http.StatusServiceUnavailable)
	default:
		r.accepted[env.ID]++
		r.topics = append(r.topics, env.Topic)
		w.WriteHeader(http.StatusNoContent)
	}
}

// Accepted returns how many times each message id was accepted.
func (r *Receiver) Accepted() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return maps.Clone(r.accepted)
}

// Topics returns the topics of the accepted messages, in the order they were accepted.
func (r *Receiver) Topics() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.topics)
}

// Refused returns how many verified requests were answered 503 on purpose.
func (r *Receiver) Refused() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.refused
}

// Unverified returns how many requests failed the signature check.
func (r *Receiver) Unverified() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.unverified
}
