package strictjsontest_test

import (
	"fmt"

	"github.com/hotline12345/hotline/internal/strictjson/strictjsontest"
)

// Every loader's test derives the shared malformed variants from one valid document of its own and
// asserts that the loader refuses each of them.
func ExampleCases() {
	cases := strictjsontest.Cases([]byte(`{"name":"x","days":3}`), 1<<10)
	for _, c := range cases[:3] {
		fmt.Printf("%s: %q\n", c.Name, c.Input)
	}
	for _, c := range cases {
		if c.Name == "duplicate key" || c.Name == "case-variant key alone" {
			fmt.Printf("%s: %s\n", c.Name, c.Input)
		}
	}
	// Output:
	// empty: ""
	// whitespace only: "  \n\t"
	// null: "null"
	// duplicate key: {"name":"x","name":"x","days":3}
	// case-variant key alone: {"NAME":"x","days":3}
}
