// Package repeat links a new ticket to the earlier ticket it repeats (重复投诉: 002 第五条 (二); 004
// 第十二条 (二) 2: 同一工单重复投诉 3 次及以上的即进行督办), without ever holding a citizen's number or
// text (000 第十条; 004 第十六条).
//
// # Callers
//
// A caller is a [CallerKey]: a keyed digest ([MAC]; [NewSM3MAC] gives HMAC-SM3, and a hardware
// security module or key service may supply its own) of the phone, ID or credit-code number in the
// canonical form of [NormalizeCaller]: every decimal digit script folded to ASCII and every
// separator dropped, so "+86 138-1234-5678", "138.1234.5678" and "１３８１２３４５６７８" are one caller.
// A MAC that gives fewer than [MinDigestBytes] bytes is refused ([ErrShortDigest]): it would give
// every caller the same key.
//
// # The index
//
// An [Index] built by [NewIndex] under a [Policy] ([StreetHotline] is the preset, listed by
// [Presets]) holds recent tickets as [Record] values ([RecordOf] builds one from a ticket): the
// caller key, region and matter codes, the receipt time and a signature of the text — the sorted set
// of hashed character n-grams of its normalised form (the same fold as package screen). [Index.Find]
// compares a new ticket only with the tickets of the policy's [Scope] (the same caller, the same
// matter at the same place, both or either) within its window, by the Dice similarity of the
// signatures, and reports the chain's Original, the most similar Matched ticket, the repeat Count
// and whether the count reaches supervision. [Index.Add] joins the new ticket to the chain of its
// RepeatOf (the Matched or the Original); [Index.Prune] drops old tickets while a chain keeps its
// original and count as long as any of its tickets remains. [Index.Contacts] counts a caller's
// recent tickets for screening's harassment test (无理纠缠).
//
// On the lifecycle side the original ticket, while open, counts each repeat
// (ticket.ActionMarkRepeat) and is supervised at the ticket policy's repeat threshold; keep it equal
// to the index's SupervisionAt.
//
// An Index is not safe for concurrent mutation: the caller serialises Add, Find and Prune (reads
// alone may run concurrently). The zero Index refuses Add with [ErrNotBuilt] and finds nothing.
// BENCHMARKS.md has the figures for 100,000 indexed tickets.
package repeat
