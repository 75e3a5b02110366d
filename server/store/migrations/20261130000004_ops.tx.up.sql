-- The deadline sweeper and the outbox worker (running several server instances on one database).
--
-- tickets.sweep_at_us is the next instant the sweeper has work on a ticket: a stage clock entering its
-- due-soon window (预警) or running out (超期), or a replied ticket whose callback (回访) is to be
-- scheduled. Every write sets it; the sweeper reads only the rows whose instant has passed, through
-- its index, so a sweep costs the tickets that changed, not the tickets that are open.
-- tickets.provisional marks a ticket with a running clock counted over dates beyond the published
-- holiday schedule; when a new schedule is loaded those are recomputed and the mark cleared.
--
-- outbox.due_us is when a pending message is next tried (NULL once sent or dead): the worker claims
-- messages whose instant has passed and moves it on by a lease (claim names the claimer), so two
-- instances never deliver the same message at once; failures move it on by the back-off; dead_us and
-- last_error record a message given up on (the dead letters).
ALTER TABLE tickets ADD COLUMN {{if and (ne .Dialect "sqlite") (not .MySQL8)}}IF NOT EXISTS {{end}}sweep_at_us BIGINT NULL
--bun:split
ALTER TABLE tickets ADD COLUMN {{if and (ne .Dialect "sqlite") (not .MySQL8)}}IF NOT EXISTS {{end}}provisional SMALLINT NOT NULL DEFAULT 0
--bun:split
CREATE INDEX {{.IndexIfNotExists}}tickets_sweep_at ON tickets (sweep_at_us)
--bun:split
CREATE INDEX {{.IndexIfNotExists}}tickets_provisional ON tickets (provisional, id)
--bun:split
UPDATE tickets SET sweep_at_us = COALESCE(due_soon_us, next_due_us), provisional = 1 WHERE next_due_us IS NOT NULL
--bun:split
UPDATE tickets SET sweep_at_us = 0 WHERE state IN ('replied', 'checked')
--bun:split
ALTER TABLE outbox ADD COLUMN {{if and (ne .Dialect "sqlite") (not .MySQL8)}}IF NOT EXISTS {{end}}due_us BIGINT NULL DEFAULT 0
--bun:split
ALTER TABLE outbox ADD COLUMN {{if and (ne .Dialect "sqlite") (not .MySQL8)}}IF NOT EXISTS {{end}}claim {{.V 36}} NULL
--bun:split
ALTER TABLE outbox ADD COLUMN {{if and (ne .Dialect "sqlite") (not .MySQL8)}}IF NOT EXISTS {{end}}dead_us BIGINT NULL
--bun:split
ALTER TABLE outbox ADD COLUMN {{if and (ne .Dialect "sqlite") (not .MySQL8)}}IF NOT EXISTS {{end}}last_error {{.V 500}} NULL
--bun:split
UPDATE outbox SET due_us = CASE WHEN sent_us IS NULL THEN created_us ELSE NULL END
--bun:split
CREATE INDEX {{.IndexIfNotExists}}outbox_due ON outbox (due_us)
--bun:split
CREATE INDEX {{.IndexIfNotExists}}outbox_dead ON outbox (dead_us)
