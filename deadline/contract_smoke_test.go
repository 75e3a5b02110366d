package deadline

import (
	"testing"
	"time"
)

func TestContractSmoke(t *testing.T) {
	c := China()
	d := time.Date(2026, 9, 30, 10, 0, 0, 0, Shanghai())
	if got := c.AddWorkdays(d, 1).Format(time.DateOnly); got != "2026-10-08" {
		t.Fatalf("AddWorkdays = %s", got)
	}
	for _, p := range Presets() {
		if err := p.Validate(); err != nil {
			t.Fatal(err)
		}
	}
	if y := AssessmentYear().YearOf(time.Date(2025, 11, 1, 0, 0, 0, 0, Shanghai())); y != 2026 {
		t.Fatal(y)
	}
}
