package report_test

import (
	"fmt"
	"time"

	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/server/loop"
	"github.com/hotline12345/hotline/server/report"
)

// A month's report scores the tickets with assess.Score and carries the input and the result, so its
// digest can be checked with assess.Verify.
func ExampleBuild() {
	period, _ := assess.Month(2026, time.November)
	r, err := report.Build(report.Input{Title: "宝山区热线办", Period: period, AsOf: at("2026-12-01 09:00"),
		Scheme: assess.StreetHotline(), Policy: loop.StreetHotline(), Units: units, Tickets: stream(fixture(nopTB{}))})
	if err != nil {
		fmt.Println(err)
		return
	}
	a := r.Units[0]
	fmt.Println(a.Name, a.Indicators.Received, report.RateText(a.Indicators.Satisfaction))
	fmt.Println("受理", r.District.Counts.Received, "未派单", r.Undispatched)
	fmt.Println("verifies:", assess.Verify(r.Input, r.Scheme, r.Result) == nil)
	// Output:
	// 友谊路街道 4 66.67%（2/3）
	// 受理 21 未派单 2
	// verifies: true
}
