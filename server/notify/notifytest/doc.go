// Package notifytest is a webhook receiver for tests of code that delivers notifications through
// [notify.Webhook]: the server's outbox worker and sweeper, the command's serve, or a district's own
// notifier. [NewReceiver] starts an HTTP server that verifies every request's signature
// ([notify.VerifyRequest]), refuses a chosen share of the verified ones as a busy receiver would
// (503, which the webhook tries again), and counts what it accepted by message id — the dedupe key a
// real receiver keys on — so a test can check that every message arrived exactly once.
package notifytest
