// Package public holds what the reference server's public disclosure (001 (八): 评价结果公开, 定期公开
// 各区、各部门“好差评”综合排名; 001 (十)) and the windows' QR codes (001 (四)) need besides the store: a
// short server-side [Cache] that also answers conditional requests (ETag, Cache-Control), and the
// Chinese HTML pages of the disclosure API's group — a published ranking with its digests and chain
// head — and a hall's printable sheet of QR codes (html/template, embedded: government networks reach
// no CDN). The pages of the public reviews, ratings and rankings and the rating form a window's QR
// code opens are the server's pages' (server/web); they read the same store functions as the
// disclosure API. The public group's per-address rate limit is the server's (its token buckets and
// configured address rate, keyed by the configured IP extractor), applied as the group's own
// middleware.
//
// Nothing here reads a citizen's identity: the pages show what the store publishes.
package public
