package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"
)

//go:embed templates/*.html static/*
var files embed.FS

// Pages are the parsed page templates, each with the layout. Safe for concurrent use.
type Pages struct {
	pages map[string]*template.Template
}

// ErrNoPage: Render was asked for a page that does not exist.
var ErrNoPage = errors.New("web: no such page")

// New parses every page template with the layout and the helper functions.
func New() (*Pages, error) {
	layout, err := template.New("layout.html").Funcs(Funcs()).ParseFS(files, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("web: layout: %w", err)
	}
	names, err := fs.Glob(files, "templates/*.html")
	if err != nil {
		return nil, err
	}
	p := &Pages{pages: map[string]*template.Template{}}
	for _, n := range names {
		base := path.Base(n)
		if base == "layout.html" {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(files, n)
		if err != nil {
			return nil, fmt.Errorf("web: %s: %w", base, err)
		}
		p.pages[strings.TrimSuffix(base, ".html")] = t
	}
	return p, nil
}

// Names lists the pages, sorted.
func (p *Pages) Names() []string {
	out := make([]string, 0, len(p.pages))
	for n := range p.pages {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Render writes page name with data: inside the layout, or as the page's own "document". The page
// is rendered into a buffer first, so a template error writes nothing.
func (p *Pages) Render(w io.Writer, name string, data any) error {
	t, ok := p.pages[name]
	if !ok {
		return fmt.Errorf("%w: %s", ErrNoPage, name)
	}
	entry := "layout"
	if t.Lookup("document") != nil {
		entry = "document"
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, entry, data); err != nil {
		return fmt.Errorf("web: rendering %s: %w", name, err)
	}
	_, err := buf.WriteTo(w)
	return err
}

// Static is the tree of static assets (style sheet, icons), served under /static/.
func Static() fs.FS {
	sub, err := fs.Sub(files, "static")
	if err != nil {
		panic(err) // the embedded directory exists at build time
	}
	return sub
}

// shanghai is the time zone every page shows instants in.
var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}()

// Funcs are the helpers the templates use.
func Funcs() template.FuncMap {
	return template.FuncMap{
		"when":     When,
		"date":     Date,
		"workdays": Workdays,
		"percent":  Percent,
		"add":      func(a, b int) int { return a + b },
		"join":     strings.Join,
		"dict":     dict,
	}
}

// When formats an instant as the pages show it: "2026-11-30 09:00" in Asia/Shanghai; "—" for the
// zero time.
func When(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(shanghai).Format("2006-01-02 15:04")
}

// Date formats an instant's date in Asia/Shanghai; "—" for the zero time.
func Date(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(shanghai).Format("2006-01-02")
}

// Workdays says how many working days remain (n ≥ 0) or have passed since the last day (n < 0).
func Workdays(n int) string {
	switch {
	case n > 0:
		return fmt.Sprintf("剩 %d 个工作日", n)
	case n == 0:
		return "今日到期"
	}
	return fmt.Sprintf("超期 %d 个工作日", -n)
}

// Percent formats num/den as a percentage with one decimal; "—" when den is zero.
func Percent(num, den int64) string {
	if den == 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", float64(num)*100/float64(den))
}

// dict builds a map from key, value pairs, to pass several values to a sub-template.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, errors.New("web: dict needs key, value pairs")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, errors.New("web: dict keys are strings")
		}
		m[k] = kv[i+1]
	}
	return m, nil
}
