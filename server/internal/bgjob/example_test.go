package bgjob_test

import (
	"fmt"

	"github.com/hotline12345/hotline/server/internal/bgjob"
)

// A job keeps its settings in a field and writes its exported options with them.
func Example() {
	type worker struct{ job bgjob.Settings }
	withActor := func(a string) func(*worker) error {
		return func(w *worker) error { w.job.SetActor(a); return nil }
	}
	w := &worker{job: bgjob.Defaults("example", "worker")}
	fmt.Println(bgjob.Apply(w, &w.job, []func(*worker) error{withActor("worker@hall-1")}), w.job.Who.Actor)
	fmt.Println(bgjob.Apply(w, &w.job, []func(*worker) error{withActor("")}))
	// Output:
	// <nil> worker@hall-1
	// example: the actor must be 1–128 bytes
}
