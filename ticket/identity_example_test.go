package ticket_test

import (
	"fmt"

	"github.com/hotline12345/hotline/ticket"
)

func ExampleValidateIDCard() {
	fmt.Println(ticket.ValidateIDCard("11010519491231002X"))
	fmt.Println(ticket.ValidateIDCard("110105194912310021"))
	// Output:
	// <nil>
	// ticket: invalid ID-card number: check character does not match digits 1–17
}

func ExampleValidateCreditCode() {
	fmt.Println(ticket.ValidateCreditCode("91350100M000100Y43"))
	fmt.Println(ticket.ValidateCreditCode("91350100M000100Y44"))
	// Output:
	// <nil>
	// ticket: invalid unified social credit code: check character does not match characters 1–17
}

func ExampleParseMobile() {
	fmt.Println(ticket.ParseMobile("+86 138-1234-5678"))
	// Output: 13812345678 <nil>
}
