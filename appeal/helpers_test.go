package appeal

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/hotline12345/hotline/deadline"
	"github.com/stretchr/testify/require"
)

// at returns h:m on the given day in Asia/Shanghai.
func at(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, deadline.Location())
}

// day returns midnight of the given day in Asia/Shanghai.
func day(y int, m time.Month, d int) time.Time { return at(y, m, d, 0, 0) }

var (
	unitU1    = Actor{Role: RoleHandlingUnit, Unit: "U1"}
	unitU2    = Actor{Role: RoleHandlingUnit, Unit: "U2"} // the suggested unit in objection tests
	unitU3    = Actor{Role: RoleHandlingUnit, Unit: "U3"}
	staffS1   = Actor{Role: RoleStaff, Unit: "U1", Person: "S1"}
	staffS2   = Actor{Role: RoleStaff, Unit: "U1", Person: "S2"}
	staffX    = Actor{Role: RoleStaff, Unit: "U9", Person: "S1"}
	deptD1    = Actor{Role: RoleCompetent, Unit: "D1"}
	deptD2    = Actor{Role: RoleCompetent, Unit: "D2"}
	hotline   = Actor{Role: RoleHotlineOffice, Unit: "H"}
	citizenC1 = Actor{Role: RoleCitizen, Person: "C1"}
	citizenC2 = Actor{Role: RoleCitizen, Person: "C2"}
)

func shanghaiMachine(t testing.TB) *Machine {
	t.Helper()
	r, err := NewMachine(deadline.China(), deadline.ShanghaiOneNet(), Shanghai())
	require.NoError(t, err)
	return r
}

func hebiMachine(t testing.TB) *Machine {
	t.Helper()
	r, err := NewMachine(deadline.China(), deadline.Hebi12345(), Hebi())
	require.NoError(t, err)
	return r
}

func ticket(received time.Time) TicketRef {
	return TicketRef{ID: "T1", UnitID: "U1", ReceivedAt: received}
}

func appealReq(received time.Time) Request {
	return Request{
		Ticket:   ticket(received),
		ReviewID: "R1",
		Ground:   GroundMistaken,
		Defence:  "评价人所述事项由其他窗口办理",
		Evidence: []string{"sm3:5f2c…", "监控录像 2025-09-26 10:12"},
		Reviewer: Reviewer{Unit: "D1", Level: ReviewerDistrict},
	}
}

func objectionReq(received time.Time) ObjectionRequest {
	return ObjectionRequest{
		Ticket:        ticket(received),
		ReviewID:      "R1",
		Basis:         BasisDepartment,
		BasisText:     "该事项属于区市场监管局职责（三定方案）",
		SuggestedUnit: "U2",
		Reviewer:      Reviewer{Unit: "D1", Level: ReviewerDistrict},
	}
}

func reconReq(received time.Time) ReconsiderationRequest {
	return ReconsiderationRequest{
		Ticket:    ticket(received),
		CitizenID: "C1",
		RepliedAt: received.AddDate(0, 0, 10),
		Reason:    "问题没有解决",
	}
}

func act(k ActionKind) Action { return Action{Kind: k, Reason: "经核查"} }

// roundTrip returns v after encoding it to JSON and back.
func roundTrip[T any](t testing.TB, v T) T {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var out T
	require.NoError(t, json.Unmarshal(b, &out))
	return out
}
