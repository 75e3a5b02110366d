-- tickets.sweep_plan is what the deadline sweeper needs of a ticket besides its projection columns
-- (store/sweepplan.go): its running clocks with their deadlines and due-soon instants, counted on the
-- calendar when the ticket was written and recomputed by Reclock after a new holiday schedule, and its
-- co-handling units. A sweep then compares instants instead of decoding each due ticket's snapshot
-- and counting working days. Rows written before this migration keep NULL: the sweeper reads those
-- the slow way, from the snapshot, and stores their plan when it first takes them (a Reclock with
-- All fills every open ticket's at once). SQL cannot count working days, so there is no backfill here.
ALTER TABLE tickets ADD COLUMN {{if and (ne .Dialect "sqlite") (not .MySQL8)}}IF NOT EXISTS {{end}}sweep_plan {{.Blob}} NULL
