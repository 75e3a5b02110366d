package ticket_test

import (
	"fmt"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/ticket"
)

// What each role may do with a dispatched ticket, and where its clocks stand two days later.
func ExampleMachine_Allowed() {
	m, err := ticket.NewMachine(deadline.China(), deadline.StreetHotline(), ticket.StreetHotline())
	if err != nil {
		panic(err)
	}
	t, err := m.Accept(newIntake(), "operator-7", ticket.RoleHotlineOffice, at("2026-11-23 09:00"))
	if err != nil {
		panic(err)
	}
	if _, err := m.Apply(t, ticket.Request{Actor: "operator-7", Role: ticket.RoleHotlineOffice, Action: ticket.ActionDispatch,
		Payload: ticket.Payload{Dispatch: &ticket.Dispatch{Lead: "居委会A", DispatchMode: ticket.DispatchStatutory,
			Complexity: ticket.ComplexityGeneral}}}, at("2026-11-23 10:00")); err != nil {
		panic(err)
	}
	now := at("2026-11-25 10:00")
	for _, role := range []ticket.Role{ticket.RoleHotlineOffice, ticket.RoleHandlingUnit, ticket.RoleSupervisor} {
		actions, err := m.Allowed(t, role, now)
		if err != nil {
			panic(err)
		}
		fmt.Println(role.Label(), actions)
	}
	clocks, err := m.Clocks(t, now)
	if err != nil {
		panic(err)
	}
	for _, c := range clocks {
		fmt.Println(c.Stage, c.Due.At.Format("2006-01-02 15:04"), c.State, c.Remaining)
	}
	// Output:
	// 热线办 [first_contact supervise urge mark_repeat]
	// 承办单位 [return first_contact]
	// 督办部门 [supervise urge]
	// first_contact 2026-11-25 00:00 overdue -1
	// reply 2026-12-01 00:00 pending 3
}
