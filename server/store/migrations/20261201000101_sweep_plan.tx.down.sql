-- Drops the sweep plan: the sweeper reads every due ticket from its snapshot again.
ALTER TABLE tickets DROP COLUMN {{if eq .Dialect "postgres"}}IF EXISTS {{else if and (eq .Dialect "mysql") (not .MySQL8)}}IF EXISTS {{end}}sweep_plan
