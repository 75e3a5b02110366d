// Package api holds the OpenAPI 3 document of the reference server, the source of truth of its HTTP
// surface. The server serves it at /openapi.yaml and the tests validate every response against it.
package api

import _ "embed"

//go:embed openapi.yaml
var spec []byte

// Spec returns a copy of the OpenAPI document (YAML).
func Spec() []byte { return append([]byte(nil), spec...) }
