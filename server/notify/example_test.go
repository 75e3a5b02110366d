package notify_test

import (
	"context"
	"fmt"
	"time"

	"github.com/hotline12345/hotline/server/notify"
)

func ExampleNotifierFunc() {
	var n notify.Notifier = notify.NotifierFunc(func(_ context.Context, m notify.Message) error {
		fmt.Println(m.Topic, m.Subject)
		return nil
	})
	_ = n.Notify(context.Background(), notify.Message{ID: "1", Topic: "ticket.dispatch", Subject: "t-1",
		Created: time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)})
	// Output: ticket.dispatch t-1
}
