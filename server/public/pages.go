package public

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"time"

	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/server/store"
)

//go:embed templates/*.html
var files embed.FS

var funcs = template.FuncMap{
	"when": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(deadline.Location()).Format("2006-01-02 15:04")
	},
	"rating":    func(r assess.Rating) string { return r.Label() },
	"bad":       func(r assess.Rating) bool { return r.Bad() },
	"dimension": func(d assess.Dimension) string { return d.Label() },
	"channel": func(c assess.Channel) string {
		if c == "" {
			return ""
		}
		return c.Label()
	},
	"fixed": func(f assess.Fixed) string { return f.Text(2) },
	"short": func(s string) string {
		if len(s) > 16 {
			return s[:16] + "…"
		}
		return s
	},
	"say": func(texts map[string]string, s string) string {
		if t := texts[s]; t != "" {
			return t
		}
		return s
	},
	"name": func(names map[string]string, id string) string {
		if n := names[id]; n != "" {
			return n
		}
		return id
	},
}

// Percent writes num ÷ den as a percentage with two decimals (四舍五入), "—" when den is zero.
func Percent(num, den int64) string {
	if den == 0 {
		return "—"
	}
	return assess.RatioOf(num, den).Percent()
}

func parse(names ...string) *template.Template {
	paths := make([]string, len(names))
	for i, n := range names {
		paths[i] = "templates/" + n
	}
	return template.Must(template.New(names[len(names)-1]).Funcs(funcs).ParseFS(files, paths...))
}

var (
	rankingPage = parse("layout.html", "ranking.html")
	sheetPage   = parse("sheet.html")
)

// ContentTypeHTML is the media type of the pages.
const ContentTypeHTML = "text/html; charset=utf-8"

// RankingView is one published ranking with what it takes to check it.
type RankingView struct {
	Pub   store.Publication
	Names map[string]string
	// Reasons says each standing's reason (assess.Standing.Reason) in Chinese; a reason it lacks is
	// shown as it is.
	Reasons           map[string]string
	JSONURL, InputURL string
}

// SheetCard is one window's card on a hall's printable sheet.
type SheetCard struct {
	Window   store.Window
	UnitName string
	Staff    *store.WindowStaff
	URL      string
	// SVG is the window's QR code drawn by package qr (modules only: no text from any input).
	SVG template.HTML
}

// SheetView is a hall's printable sheet of QR codes.
type SheetView struct {
	Hall  string
	Cards []SheetCard
}

// Render writes the page of view v (one of the …View types) to w.
func Render(w io.Writer, v any) error {
	var t *template.Template
	switch v.(type) {
	case RankingView:
		t = rankingPage
	case SheetView:
		t = sheetPage
	default:
		return fmt.Errorf("public: no page for %T", v)
	}
	return t.Execute(w, v)
}
