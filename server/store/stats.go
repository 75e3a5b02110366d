package store

import (
	"context"
	"time"
)

// Stats are the figures the server's /metrics reports about the stored data, counted over every
// ticket (no scope: they are aggregates, with no ticket's data in them).
type Stats struct {
	// ByState counts the tickets in each state (the state's text form).
	ByState map[string]int64
	// DueSoon counts the tickets with a running stage in its due-soon window (预警) at the time asked.
	DueSoon int64
	// Overdue counts the tickets with a running stage past its due instant (超期) at the time asked.
	Overdue int64
	// AuditSizes is the number of rows in each audit shard (index = shard).
	AuditSizes []int64
}

// Stats counts the tickets by state, those due soon and those overdue at now, and the audit chain's
// rows per shard: aggregate queries over the projection's indexes and the head rows (the server
// caches them between scrapes; BENCHMARKS.md has their cost). Supervisors, auditors, admins and the
// system may read them.
func (s *Store) Stats(ctx context.Context, p Principal, now time.Time) (Stats, error) {
	if err := p.validate(); err != nil {
		return Stats{}, err
	}
	switch p.Role {
	case RoleSupervisor, RoleAuditor, RoleAdmin, RoleSystem:
	default:
		return Stats{}, forbidden(p, "read the statistics")
	}
	st := Stats{ByState: map[string]int64{}}
	var states []struct {
		State string `bun:"state"`
		N     int64  `bun:"n"`
	}
	if err := s.db.NewSelect().Table("tickets").ColumnExpr("state, COUNT(*) AS n").Group("state").Scan(ctx, &states); err != nil {
		return Stats{}, err
	}
	for _, r := range states {
		st.ByState[r.State] = r.N
	}
	// Two counts over the index on next_due_us (closed tickets have none and are not in its range).
	at := micros(now)
	overdue, err := s.db.NewSelect().Table("tickets").Where("next_due_us <= ?", at).Count(ctx)
	if err != nil {
		return Stats{}, err
	}
	dueSoon, err := s.db.NewSelect().Table("tickets").Where("next_due_us > ? AND due_soon_us <= ?", at, at).Count(ctx)
	if err != nil {
		return Stats{}, err
	}
	st.Overdue, st.DueSoon = int64(overdue), int64(dueSoon)
	heads, err := s.auditHeads(ctx, s.db.NewSelect())
	if err != nil {
		return Stats{}, err
	}
	st.AuditSizes = make([]int64, len(heads))
	for i, h := range heads {
		st.AuditSizes[i] = h.Size
	}
	return st, nil
}
