package xtest_test

import (
	"fmt"
	"io"

	"github.com/hotline12345/hotline/internal/xtest"
)

// A 20 MiB "PDF" sent through a handler under test, never held whole.
func ExampleStream() {
	s := &xtest.Stream{Head: []byte("%PDF-1.7\n"), N: 20 << 20}
	head := make([]byte, 8)
	_, _ = io.ReadFull(s, head)
	n, _ := io.Copy(io.Discard, s)
	fmt.Printf("%q then %d more bytes, %d read\n", head, n, s.Consumed())
	// Output: "%PDF-1.7" then 20971512 more bytes, 20971520 read
}

// How much a piece of code held at its worst.
func ExamplePeakHeap() {
	var keep []byte
	grown := xtest.PeakHeap(func() { keep = make([]byte, 16<<20) })
	fmt.Println(grown >= 16<<20, len(keep))
	// Output: true 16777216
}
