-- Drops the service windows, review comments and published rankings (the triggers go with their
-- tables).
DROP TABLE IF EXISTS published_rankings
--bun:split
DROP TABLE IF EXISTS review_notes
--bun:split
DROP TABLE IF EXISTS service_windows
