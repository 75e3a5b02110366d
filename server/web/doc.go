// Package web holds the templates and static assets of the pages people use — the staff console,
// the big screen of 004 §14, the public pages of 001 (八) and the rating forms of 001 (三)(四) — and
// the helpers that parse and render them. The handlers live in package server (pages*.go), beside
// the JSON handlers whose logic they share; this package knows nothing of the store.
//
// Everything is embedded in the binary: government networks (政务外网) reach no CDN, and there is no
// JavaScript build step. The pages are plain server-rendered HTML with one style sheet; charts are
// inline SVG drawn from figures computed on the server. Each page template defines "title" and
// "content" and is rendered inside the layout, or defines "document" to be a whole document of its
// own (the big screen, the printable forms).
package web
