package attach_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/hotline12345/hotline/server/attach"
)

// A unit uploads its stamped conclusion report; an executable renamed to .pdf is refused.
func Example() {
	dir, _ := os.MkdirTemp("", "blobs")
	defer os.RemoveAll(dir)
	blobs, _ := attach.NewDir(dir)
	p := attach.Shanghai()

	report := []byte("%PDF-1.7\n…盖章的办结报告…")
	b, err := p.Ingest(context.Background(), bytes.NewReader(report), blobs, nil)
	fmt.Println(b.Type, b.Size == int64(len(report)), err, attach.NameFor("办结报告", b.Type))

	_, err = p.Ingest(context.Background(), bytes.NewReader([]byte("\x7fELF\x02\x01\x01")), blobs, nil)
	fmt.Println(errors.Is(err, attach.ErrExecutable))
	// Output:
	// application/pdf true <nil> 办结报告.pdf
	// true
}

// The reply to a 国办 item is refused until its stamped report is attached (000 §4 (三)).
func ExamplePolicy_Check() {
	p := attach.Shanghai()
	facts := attach.Facts{Subject: attach.SubjectTicket, Action: "reply", Traits: []attach.Trait{attach.TraitStateCouncil}}
	fmt.Println(p.Check(facts))
	facts.Present = []attach.Purpose{attach.PurposeStampedReport}
	fmt.Println(p.Check(facts))
	// Output:
	// attach: ticket reply needs an attachment stamped_report (审核盖章的办结报告) first (000 §4 (三))
	// <nil>
}

func ExampleCleanName() {
	fmt.Println(attach.CleanName("..\\..\\张三的身份证\u202egpj.exe"))
	fmt.Println(attach.NameFor("report.exe", attach.TypePDF))
	// Output:
	// 张三的身份证gpj.exe
	// report.exe.pdf
}
