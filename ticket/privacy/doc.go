// Package privacy masks a citizen's personal data for everyone outside the case. 000 第十条
// (沪府办〔2020〕49号), 002 第十一条 and 004 第十六条 forbid showing the content of a complaint, or the
// citizen's name, phone, ID number and address, to anyone but the staff handling it; this package
// decides what each [Audience] sees.
//
// A [Policy] is plain data: per audience a [View] with how many leading and trailing digits of a
// phone or ID number it shows, how names, addresses and free text are shown ([NameMask],
// [AddressMask], [TextMask]). [Shanghai] is the preset of 000 第十条 as 004 第十六条 applies it;
// [Presets] lists the presets and [Preset] finds one by name; [ParsePolicy] and [ReadPolicy] load a
// district's own through the module's strict JSON loader, and [Policy.Validate] refuses a policy that
// would show too much ([*PolicyError], wrapping [ErrInvalidPolicy]).
//
// Every masker has one shape: a method of [Policy] taking the value and the audience —
// [Policy.MaskPhone], [Policy.MaskID], [Policy.MaskName], [Policy.MaskAddress], [Policy.Scrub] for
// free text, [Policy.Mask] for a [Personal] record and [Policy.MaskTicket] for a whole
// [ticket.Ticket], history included. The policy is always explicit: there is no package-level default.
//
// Masking fails closed. An audience the policy has no valid view for sees nothing (***). Whatever a
// view says, at least [MinPhoneHidden] digits of a phone number and [MinIDHidden] characters of an
// identifier stay hidden, for values of any length. Free text is scanned for numbers written in any
// script and with any separators (138.1234.5678, １３８–１２３４–５６７８, ①③⑧…), see [Policy.Scrub];
// where the citizen's recorded identity is known ([Policy.Mask], [Policy.MaskTicket]) every repetition
// of their name, phone, ID number and address below the level the view shows is masked too, its
// digits written in any of those scripts or as Chinese characters (一三八…, 三〇一室).
// [Policy.MaskTicket] walks every field of the ticket, so a text field the ticket gains later is
// masked without a change here.
//
// The identity validators (ticket.ValidateIDCard, ticket.ValidateCreditCode, ticket.ParseMobile)
// belong to package ticket, which checks identities at intake. This package imports ticket; ticket
// does not import it.
//
// The package holds no mutable state; policies are values, safe for concurrent use.
package privacy
