package attach

import "slices"

// Facts are what the caller knows of an act it is about to perform: what it is, the traits of the
// record it is on, and the purposes of the attachments present for it (the caller decides which
// count: for a reply, those uploaded since the previous reply).
type Facts struct {
	Subject Subject
	Action  string
	Traits  []Trait
	Present []Purpose
}

// Check returns nil when the act described by f has every attachment the policy requires, and
// otherwise a [*MissingError] (wrapping [ErrMissing]) naming the first one missing, its purpose and
// the article. It is pure: the store calls it inside the transaction of the act.
func (p Policy) Check(f Facts) error {
	for _, r := range p.Required {
		if r.Subject != f.Subject || r.Action != f.Action {
			continue
		}
		applies := true
		for _, t := range r.When {
			if !slices.Contains(f.Traits, t) {
				applies = false
				break
			}
		}
		if applies && !slices.Contains(f.Present, r.Purpose) {
			return &MissingError{Purpose: r.Purpose, Subject: r.Subject, Action: r.Action, Source: r.Source}
		}
	}
	return nil
}

// Requires reports whether any requirement of the policy concerns action on subject, whatever its
// traits: a caller can skip gathering the facts of acts that need nothing.
func (p Policy) Requires(subject Subject, action string) bool {
	for _, r := range p.Required {
		if r.Subject == subject && r.Action == action {
			return true
		}
	}
	return false
}
