-- Drops the staff accounts and sessions.
DROP TABLE IF EXISTS staff_sessions
--bun:split
DROP TABLE IF EXISTS staff_users
