package server

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/hotline12345/hotline/server/public"
	"github.com/hotline12345/hotline/server/qr"
	"github.com/hotline12345/hotline/server/store"
)

// WindowBody is a service window as a PUT carries it (its id is the path's).
type WindowBody struct {
	Unit  string              `json:"unit"`
	Hall  string              `json:"hall"`
	Name  string              `json:"name"`
	Staff []store.WindowStaff `json:"staff,omitempty"`
}

// WindowsResponse lists service windows.
type WindowsResponse struct {
	Items []store.Window `json:"items"`
}

// listWindows lists the service windows, of one unit or hall when asked.
func (s *server) listWindows(c echo.Context) error {
	unit, err := textQuery(c, "unit", 64)
	if err != nil {
		return err
	}
	hall, err := textQuery(c, "hall", 512)
	if err != nil {
		return err
	}
	ws, err := s.store.Windows(c.Request().Context(), principal(c), unit, hall)
	if err != nil {
		return err
	}
	if ws == nil {
		ws = []store.Window{}
	}
	return c.JSON(http.StatusOK, WindowsResponse{Items: ws})
}

// putWindow creates or replaces a service window (admins and hotline offices).
func (s *server) putWindow(c echo.Context) error {
	var body WindowBody
	if _, err := s.decode(c, &body); err != nil {
		return err
	}
	w := store.Window{ID: c.Param("id"), Unit: body.Unit, Hall: body.Hall, Name: body.Name, Staff: body.Staff}
	if err := s.store.PutWindow(c.Request().Context(), principal(c), w, s.now()); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, w)
}

// windowFormURL is the address a window's QR code opens: the rating form on the public site, with the
// staff member when the code is one person's. The site is the request's own (scheme and host, as the
// staff console is reached) unless base names the public site.
func windowFormURL(c echo.Context, id, staff string) (string, error) {
	base := c.QueryParam("base")
	if base == "" {
		base = c.Scheme() + "://" + c.Request().Host
	} else {
		u, err := url.Parse(base)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" ||
			u.User != nil || len(base) > 200 {
			return "", &paramError{Name: "base", Reason: "an absolute http(s) URL of at most 200 bytes without query or fragment"}
		}
		base = strings.TrimSuffix(base, "/")
	}
	u := base + "/public/windows/" + url.PathEscape(id)
	if staff != "" {
		u += "?staff=" + url.QueryEscape(staff)
	}
	return u, nil
}

// qrWindow finds window id and checks the staff parameter names one of its staff.
func (s *server) qrWindow(c echo.Context) (store.Window, string, error) {
	ws, err := s.store.Windows(c.Request().Context(), principal(c), "", "")
	if err != nil {
		return store.Window{}, "", err
	}
	for _, w := range ws {
		if w.ID != c.Param("id") {
			continue
		}
		staff := c.QueryParam("staff")
		if staff != "" && !windowHasStaff(w, staff) {
			return store.Window{}, "", &paramError{Name: "staff", Reason: "not a staff number of the window"}
		}
		return w, staff, nil
	}
	return store.Window{}, "", store.ErrNotFound
}

func windowHasStaff(w store.Window, id string) bool {
	for _, st := range w.Staff {
		if st.ID == id {
			return true
		}
	}
	return false
}

// windowQRPNG draws a window's QR code as PNG (size pixels square, default 512).
func (s *server) windowQRPNG(c echo.Context) error {
	size := 512
	if v := c.QueryParam("size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < qr.MinSize || n > qr.MaxSize {
			return &paramError{Name: "size", Reason: "an integer from 64 to 2048"}
		}
		size = n
	}
	w, staff, err := s.qrWindow(c)
	if err != nil {
		return err
	}
	u, err := windowFormURL(c, w.ID, staff)
	if err != nil {
		return err
	}
	png, err := qr.PNG(u, size)
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "image/png", png)
}

// windowQRSVG draws a window's QR code as SVG.
func (s *server) windowQRSVG(c echo.Context) error {
	w, staff, err := s.qrWindow(c)
	if err != nil {
		return err
	}
	u, err := windowFormURL(c, w.ID, staff)
	if err != nil {
		return err
	}
	svg, err := qr.SVG(u)
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "image/svg+xml", svg)
}

// windowSheet prints a hall's QR codes on A4 (001 (四)): one card per window, and with staff=each one
// card per member of staff.
func (s *server) windowSheet(c echo.Context) error {
	hall, err := textQuery(c, "hall", 512)
	if err != nil {
		return err
	}
	if strings.TrimSpace(hall) == "" {
		return &paramError{Name: "hall", Reason: "required: the hall's name"}
	}
	each, err := boolParam(c.QueryParams(), "each_staff")
	if err != nil {
		return err
	}
	p := principal(c)
	ws, err := s.store.Windows(c.Request().Context(), p, "", hall)
	if err != nil {
		return err
	}
	names, err := s.unitNames(c, p)
	if err != nil {
		return err
	}
	view := public.SheetView{Hall: hall}
	add := func(w store.Window, st *store.WindowStaff) error {
		staff := ""
		if st != nil {
			staff = st.ID
		}
		u, err := windowFormURL(c, w.ID, staff)
		if err != nil {
			return err
		}
		svg, err := qr.SVG(u)
		if err != nil {
			return err
		}
		// The SVG is drawn by package qr from the code's modules: rectangles and numbers only.
		view.Cards = append(view.Cards, public.SheetCard{Window: w, UnitName: names[w.Unit], Staff: st, URL: u, SVG: template.HTML(svg)})
		return nil
	}
	for _, w := range ws {
		if each && len(w.Staff) > 0 {
			for i := range w.Staff {
				if err := add(w, &w.Staff[i]); err != nil {
					return err
				}
			}
			continue
		}
		if err := add(w, nil); err != nil {
			return err
		}
	}
	var buf bytes.Buffer
	if err := public.Render(&buf, view); err != nil {
		return err
	}
	return c.Blob(http.StatusOK, public.ContentTypeHTML, buf.Bytes())
}
