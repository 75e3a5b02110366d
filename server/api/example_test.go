package api_test

import (
	"bytes"
	"fmt"

	"github.com/hotline12345/hotline/server/api"
)

// The document is OpenAPI 3; the server serves it at /openapi.yaml.
func ExampleSpec() {
	first, _, _ := bytes.Cut(api.Spec(), []byte("\n"))
	fmt.Println(string(first))
	// Output: openapi: 3.0.3
}
