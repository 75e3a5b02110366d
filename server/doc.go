// Package server is the reference HTTP API of hotline: a thin echo layer over the domain packages and
// server/store. Each handler decodes, calls the domain or the store, and encodes; no rule is written
// twice.
//
// [New] takes every dependency explicitly ([Deps]: the store, the working-day calendar, the deadline
// policies, the logger and the clock) and returns an [http.Handler]. routes.go lists the whole API
// surface; errors.go holds the one table that maps domain and store errors to an HTTP status and a
// stable problem code (RFC 9457 application/problem+json). The OpenAPI document that describes the
// surface is server/api/openapi.yaml, served at /openapi.yaml.
//
// Tickets go through the closed loop (intake.go, tickets.go): an intake is checked for repeats among
// the caller's earlier tickets, screened, stored and then refused, archived, returned upstream,
// counted by the original it repeats or routed and dispatched, as server/loop decides; one ticket is
// read with its stage clocks and the actions the caller's role may take now; every lifecycle action
// is applied with If-Match, the decisions of a leader or an upper office recorded on their behalf;
// POST /v1/tickets/:id/dispatch routes a ticket again (re-dispatch, designation).
//
// Every request passes, outermost first: a request id (X-Request-ID), the Prometheus metrics, a JSON
// log line (log/slog; method, route template, status, duration, problem code — never a query string,
// a body or an identity), the problem writer, panic recovery, the body limit and the request timeout.
package server
