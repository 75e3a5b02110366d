// Package loop joins the domain packages where they meet, so that the reference server and every
// adopter who embeds the packages take the same joining decisions:
//
//   - ticket → routing request ([RoutingRequest]): the request kind from the ticket's kind (the
//     same wire values, checked), the place, the ticket's matter (its most specific level; the
//     router's matter fallback walks the parents, and the ticket's levels must be that chain), the
//     return history with the units whose objection was upheld (000 §7 (二)) and the bounces that
//     reveal buck-passing (004 §12 (二) 1), and the designation when the ticket was designated;
//   - routing decision → ticket requests ([DispatchRequests]): dispatch or designation with the
//     lead, co-handling units, [ticket.DispatchMode] and the caller's complexity, followed by a
//     supervision when the router found buck-passing; a decision that needs designation is a
//     [*DesignationError] naming who must designate (000 §4 (二), §7 (二); 004 §6);
//   - an item arriving ([FindRepeat], [ScreenInput], [Stored], [PlanIntake]): repeat detection over
//     the caller's earlier tickets with the chains their originals recorded (004 §12 (二) 2), what
//     screening needs from it (a repeat of an answered ticket is refused, 002 §5 (二)), whether the
//     outcome is stored, and what follows the accept: the refusal, archive or return upstream of a
//     screened-out item, the original counting a repeat, or the dispatch ([PlanDispatch]: the
//     decision's requests, or why the hotline office or the designating authority decides);
//   - ticket → appeal reference ([TicketRef]): the unit and its receipt are the ticket's own
//     Assignment.Dispatched, never re-derived (000 §6 (二), §7 (二) count from it);
//   - appeal effects → a [Plan] ([PlanEffects]): the ticket requests to apply in order, the reviews
//     to void and the units routing must leave out, for every effect type of package appeal;
//   - bad review → ticket intake ([ReviewIntake]): a 差评 (001 (二)) opens a ticket of kind review
//     by channel bad_review, for the 1-5-15 clock of 001 (六); a review that is not bad opens none;
//   - ticket → assess case record ([CaseRecord]) under a [Policy] that states the scoring
//     decisions a district may change: the callback's three satisfaction levels mapped to the five
//     好差评 ratings, which callback attitudes count as satisfied, and which kinds of ticket are
//     complaints against the handling unit itself (002 §9 被投诉). A district loads its own with
//     [ParsePolicy] or [ReadPolicy].
//
// The package is pure: it imports only the domain packages, the standard library and the module's
// strict JSON loader (no HTTP, no storage), reads no clock and holds no mutable state. Every refusal is a typed error wrapping one
// of the package's sentinels.
package loop
