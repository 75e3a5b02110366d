package demo_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/server/demo"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/server/storetest"
)

func ExampleLoad() {
	dir, err := os.MkdirTemp("", "demo")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, "hotline.db"), store.Options{Keys: storetest.TestKeys()})
	if err != nil {
		panic(err)
	}
	defer st.Close()
	sum, err := demo.Load(ctx, st, time.Date(2026, 11, 30, 8, 30, 0, 0, deadline.Location()))
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d units, %d tickets, %d reviews\n", sum.Units, len(sum.Tickets), sum.Reviews)
	for _, sc := range sum.States() {
		fmt.Printf("%s (%s): %d\n", sc.State.Label(), sc.State, sc.Count)
	}
	again, _ := demo.Load(ctx, st, time.Date(2026, 11, 30, 9, 0, 0, 0, deadline.Location()))
	fmt.Println("loaded again:", again.Created, "tickets created")
	// Output:
	// 80 units, 39 tickets, 7 reviews
	// 已受理 (received): 6
	// 不予受理 (refused): 1
	// 已归档 (archived): 1
	// 已退回上级 (returned_upstream): 1
	// 已派单 (dispatched): 5
	// 已退单 (returned): 1
	// 办理中 (handling): 7
	// 延期申请中 (extension_requested): 1
	// 已办结 (replied): 2
	// 已回访 (called_back): 1
	// 不满退回 (reopened): 1
	// 已结案 (closed): 10
	// 存电办结 (closed_stored): 1
	// 不属实办结 (closed_unfounded): 1
	// loaded again: 0 tickets created
}
