package notifytest_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hotline12345/hotline/server/notify"
	"github.com/hotline12345/hotline/server/notify/notifytest"
)

// A webhook delivers two messages, one of them twice (as after a crash between delivery and
// marking): the receiver counts each id.
func Example() {
	t := &testing.T{} // in a test, the test's own t
	secret := []byte("example-webhook-secret")
	rcv := notifytest.NewReceiver(t, secret, 0)
	hook, err := notify.NewWebhook(rcv.URL, secret)
	if err != nil {
		panic(err)
	}
	for _, id := range []string{"m-1", "m-2", "m-1"} {
		m := notify.Message{ID: id, Topic: "ticket.dispatch", Subject: "t-1", Payload: []byte(`{}`), Created: time.Now()}
		if err := hook.Notify(context.Background(), m); err != nil {
			panic(err)
		}
	}
	fmt.Println(rcv.Accepted(), rcv.Topics(), rcv.Unverified())
	// Output: map[m-1:2 m-2:1] [ticket.dispatch ticket.dispatch ticket.dispatch] 0
}
