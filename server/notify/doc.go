// Package notify is how the reference server tells people what they must hear of: a unit that a
// ticket was dispatched to it, a unit and its leader that a ticket is due soon or overdue, the
// citizen that a reply was given, and so on.
//
// Such messages are written to the store's outbox in the same transaction as the change they
// announce; a worker delivers them at least once through a [Notifier]. A district replaces the
// notifier (an SMS gateway, a government messaging platform) by implementing the one-method
// interface; [NotifierFunc] adapts a function.
package notify
