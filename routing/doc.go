// Package routing decides which unit handles a citizen's request (派单): a
// directory of units over the 行政区划 tree and a dispatch catalogue, the
// dispatch principles 指定 / 法定 / 商定 / 托底 / 争议, returns (退单) with a
// suggested unit, designation and the counting of buck-passing.
//
// # Data
//
// A [RegionTree] holds 统计用区划代码 divisions ([RegionCode]: 2, 4, 6, 9 or 12
// digits for province, city, county, town and village). [ReadRegions] reads
// the CSV format `code,name,parent_code,level` (optionally gzip-compressed)
// of the 2023 national file in testdata/, merging several files into one tree.
//
// The dispatch catalogue is a list of [Matter] entries with [MatterCode]s of
// two digits per level ("02" → "0201" → "020101"), each a sector-line matter
// (条线事项) or a territorial one (属地事项); children inherit kind and line.
//
// A [Unit] is a city department, district government, street or town,
// residents' committee, functional department or public utility ([UnitKind]),
// with its parent, level, sector line (条线; empty for a territorial body, 块),
// the areas it covers, the matters it is legally responsible for, whether it
// is the territorial government of its areas, and its designating authority:
// the unit that designates a handling unit when its cases are disputed.
//
// [NewDirectory] validates the lot (unknown parents, unknown codes, duplicate
// IDs, cycles, conflicting entries) with [*RowError]s that name the row, and
// indexes it. [ReadDirectory] reads and builds a directory from JSON; lists
// also come from CSV ([ReadUnitsCSV], [ReadMattersCSV]; list fields separated
// by ';' or '|') and, one list at a time, from JSON ([ReadRegionsJSON],
// [ReadMattersJSON], [ReadUnitsJSON]), with the same checks.
//
// # Hostile input
//
// Every loader and [Router.Route] takes input a server receives from the
// network, so every size that decides an allocation is bounded before the
// allocation (the Max… constants): a CSV record, the decompressed bytes of a
// gzip source, row counts, names, the JSON documents (through the module's
// strict loader: no trailing data, no duplicate, case-variant or unknown
// keys), the directory's index, a request's lists. Bad input gets a typed
// error naming what is wrong ([*RowError], [*CodeError], [*PolicyError],
// [*EnumError]), never a panic; a zero [Router] is refused with
// [ErrNotBuilt].
//
// # Routing
//
// A [Router] applies a [Policy] to a [Directory]. [Router.Route] takes a plain
// [Request] (place, matters, [Kind], designation, exclusions, return history)
// and returns a [Decision]: a [DispatchMode] (法定, 商定, 指定, 托底) or
// NeedsDesignation, the lead unit, co-handling units, and the trail of [Step]s
// naming each [Rule] and its article. The rules, in this order (the dispatch
// principles of 000 §4 (二) and 004 §6, the returns of 000 §7 (二), the
// escalation of 004 §12):
//
//  1. Returns. A return (退单) whose objection was upheld excludes its unit
//     from re-dispatch (000 §7 (二)); one not upheld does not. Returns between
//     the same two units are counted ([CountBounces]); at the policy's
//     threshold the decision sets Supervise, buck-passing to be supervised
//     (004 §12 (二) 1) and deducted in assessment (004 §15 (一) 3; 000 §8 (二)).
//  2. 指定 designated: a [Designation] decides (000 §4 (二) 指定谁、谁办理),
//     with co-handling units if a joint meeting named them (004 §12 (一)).
//  3. Escalation: when the suggested unit of an upheld return objects in
//     turn, the designating authority decides (000 §7 (二) "建议承办单位"如提出
//     异议，由市政府办公厅指定办理): the policy's ObjectionAuthority (the
//     directory's 市政府办公厅 under 000), else the lowest authority the two
//     units share; so it does after the policy's maximum number of returns
//     (004 §12 (一)).
//  4. Re-dispatch to the suggested unit of the last upheld return
//     (000 §7 (二) 由"12345"市民服务热线另行转送), if the policy says so.
//  5. 法定 statutory (000 §4 (二) 谁主管、谁负责): the units responsible for the
//     matter whose areas contain the place. The exact matter code is tried
//     first, then, if the policy's MatterFallback is set, its parents (a
//     level-3 matter nobody answers for falls back to level 2, then 1), each
//     fallback in the trail. Among the units found,
//     for a sector-line matter the units of its line come first and for a
//     territorial matter the territorial bodies (条块结合、以条为主, 000 §4 (二));
//     then the unit whose area most narrowly contains the place wins
//     (属地管理优先, 002 §6). A policy may put the narrowest area before the
//     line (Hebi, 002 §6).
//  6. 商定 negotiated: several units equally competent at the narrowest area
//     handle it jointly under a lead: the unit of the matter's line for a
//     line matter, the territorial government (or the single territorial
//     body) for a territorial matter (004 §6 经多方商定后进行联合处置;
//     002 §6 (二) 协办). A request with several matters handled by different
//     units is a joint case led by the unit of its first (main) matter.
//  7. 托底 fallback: nobody is competent; the territorial government of the
//     place at the policy's level takes it (000 §4 (二) 各区托底; a street
//     under 004 §15).
//  8. 争议: when the rules cannot pick one unit, the decision
//     NeedsDesignation, never a guess (000 §4 (二) 对争议事项，由热线管理
//     办公室指定转送; 004 §6 由分管领导指定). Its Authority is the lowest
//     designating authority the disputed units share, else the policy's
//     default (e.g. 市政府办公厅).
//
// Documents: 000 = 沪府办〔2020〕49号, 002 = 鹤壁市政务服务平台咨询投诉建议处理暂行办法,
// 004 = 友谊路街道"12345"市民服务热线管理实施办法.
//
// # Policies
//
// [Shanghai] (000), [Hebi] (002) and [StreetHotline] (004) are the presets,
// listed by [Presets] and found by name with [Preset]; a [Policy] is plain
// data with a Name and Version, JSON tags and [Policy.Validate], read from a
// district's JSON with [ParsePolicy] or [ReadPolicy]. The presets cannot
// know a directory's unit IDs: set ObjectionAuthority (and DefaultAuthority)
// to the IDs of the bodies that designate, e.g. 市政府办公厅 under 000 §7 (二).
//
// # Use
//
//	tree, err := routing.ReadRegions(countiesCSV, districtCSV)
//	dir, err := routing.ReadDirectory(directoryJSON, tree)
//	router, err := routing.NewRouter(dir, routing.Shanghai())
//	dec, err := router.Route(routing.Request{Place: "310113003001", Matters: []routing.MatterCode{"020101"}})
//	// dec.Mode or dec.NeedsDesignation, dec.Lead, dec.CoHandling, dec.Trail
//
// Directories, trees and routers are immutable and safe for concurrent use.
// A decision costs one hash lookup for the place and, per level of the place
// and of the matter, a binary search in that area's short posting list:
// independent of the number of units (see BENCHMARKS.md). The region tree
// keeps its codes and names in one string, so a national tree (665,276
// divisions) holds no pointers for the garbage collector to scan.
//
// # Data sources
//
// testdata/ holds the 2023 统计用区划代码 (国家统计局, via
// github.com/modood/Administrative-divisions-of-China, WTFPL): the national
// file, 宝山区 (310113) and the Shanghai counties; see testdata/SOURCE.md.
package routing
