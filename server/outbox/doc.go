// Package outbox is the outbox worker of the reference server: it delivers the notifications the
// store writes to its outbox, in the same transaction as the changes they announce, through a
// [notify.Notifier] — a webhook ([notify.NewWebhook]), the log ([notify.NewLog]), or a district's own
// adapter (an SMS gateway, a government messaging platform).
//
// Delivery is at least once. A [Worker] claims a batch of due messages ([store.Store.ClaimOutbox]:
// FOR UPDATE SKIP LOCKED on PostgreSQL and MariaDB, under a lease), delivers them a few at a time,
// each within [Policy].Timeout, and records the outcome:
//
//   - accepted: the message is acknowledged and never sent again;
//   - failed: it is tried again after an exponential back-off ([Policy.Delay], spread at random by up
//     to a half), up to [Policy].MaxAttempts attempts;
//   - failed for good (an error wrapping [notify.ErrPermanent], e.g. a webhook answering 4xx), or out
//     of attempts: it becomes a dead letter, kept with its last error until an operator requeues it
//     ([store.Store.RequeueOutbox]).
//
// A worker that dies mid-batch leaves its messages claimed until the lease runs out; another worker
// then delivers them again. A message may therefore arrive twice (after a crash between delivery and
// acknowledgement): its id is the dedupe key, and receivers key on it (the webhook sends it in the
// Hotline-Message-Id header and the body).
//
// Several workers — on several server instances — may run on one database: a claim is one worker's
// until its lease runs out, so no two deliver the same message at once.
//
// # Metrics
//
// With [WithRegistry] the worker registers, in namespace hotline, subsystem outbox:
// delivered_total, failed_total and dead_total by topic; errors_total (rounds that failed on the
// database); the gauges pending, dead_letters and lag_seconds (age of the oldest pending message);
// and the histograms delivery_seconds (one notifier call) and delay_seconds (write to delivery).
package outbox
