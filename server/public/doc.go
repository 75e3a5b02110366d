// Package public holds what the reference server's public disclosure (001 (八): 评价结果公开, 定期公开
// 各区、各部门“好差评”综合排名; 001 (十)) and the rating form at the windows' QR codes (001 (四)) need
// besides the store: a short server-side [Cache] that also answers conditional requests (ETag,
// Cache-Control), a per-address rate [Limiter] for the unauthenticated routes, and the Chinese HTML
// pages (html/template, embedded: government networks reach no CDN).
//
// The limiter and the cache are separate echo middleware on the public group, so that per-key limits
// of the authenticated API stay apart. A client's address is [ClientIP]: the echo instance's
// IPExtractor when a deployment behind a proxy sets one (echo.ExtractIPFromXFFHeader with the trusted
// proxies), the connection's address otherwise — never a forwarding header a client can forge.
//
// Nothing here reads a citizen's identity: the pages show what the store publishes.
package public
