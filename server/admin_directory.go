package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/hotline12345/hotline/internal/strictjson"
	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server/store"
)

// The directory: units, the dispatch catalogue (派单目录) and the region subtree. Every authenticated
// caller reads them; the admin changes them, one unit at a time or by import in CSV (the routing
// package's headers: routing.UnitCSVHeader, routing.MatterCSVHeader, routing.RegionCSVHeader) or
// JSON ({"units": […]}, {"matters": […]}, {"regions": […]}). Each change is one transaction that
// checks the directory it leaves — regions, catalogue and units together — and every server
// instance rebuilds its router from it, swapping it in whole (store.Router).

// UnitList is the directory's units, ordered by id.
type UnitList struct {
	Items []routing.Unit `json:"items"`
}

// MatterList is the dispatch catalogue, ordered by code.
type MatterList struct {
	Items []routing.Matter `json:"items"`
}

// RegionList is the region subtree, ordered by code.
type RegionList struct {
	Items []routing.Region `json:"items"`
}

// ImportResult says how many rows an import stored.
type ImportResult struct {
	Imported int `json:"imported"`
}

func (s *server) listUnits(c echo.Context) error {
	units, err := s.store.Units(c.Request().Context(), principal(c))
	if err != nil {
		return err
	}
	if units == nil {
		units = []routing.Unit{}
	}
	return c.JSON(http.StatusOK, UnitList{Items: units})
}

func (s *server) findUnit(c echo.Context, id string) (routing.Unit, bool, error) {
	units, err := s.store.Units(c.Request().Context(), principal(c))
	if err != nil {
		return routing.Unit{}, false, err
	}
	i := slices.IndexFunc(units, func(u routing.Unit) bool { return u.ID == id })
	if i < 0 {
		return routing.Unit{}, false, nil
	}
	return units[i], true, nil
}

func (s *server) getUnit(c echo.Context) error {
	u, ok, err := s.findUnit(c, c.Param("id"))
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%w: unit", store.ErrNotFound)
	}
	return c.JSON(http.StatusOK, u)
}

// putUnit creates (201) or replaces (200) the unit named by the path. The body is a routing.Unit;
// its id, when given, must be the path's.
func (s *server) putUnit(c echo.Context) error {
	if err := requireRole(c, "change the directory", store.RoleAdmin); err != nil {
		return err
	}
	var u routing.Unit
	if _, err := s.decode(c, &u); err != nil {
		return err
	}
	id := c.Param("id")
	switch {
	case u.ID == "":
		u.ID = id
	case u.ID != id:
		return &paramError{Name: "id", Reason: "the body names another unit than the path", Err: errInvalidAdmin}
	}
	// The unit's own checks are the routing package's, as for an import of one.
	doc, err := json.Marshal(struct {
		Units []routing.Unit `json:"units"`
	}{[]routing.Unit{u}})
	if err != nil {
		return err
	}
	if _, err := routing.ReadUnitsJSON(bytes.NewReader(doc)); err != nil {
		return explain(err)
	}
	_, existed, err := s.findUnit(c, id)
	if err != nil {
		return err
	}
	if err := s.store.PutUnits(c.Request().Context(), principal(c), []routing.Unit{u}, s.now()); err != nil {
		return explain(err)
	}
	status := http.StatusCreated
	if existed {
		status = http.StatusOK
	}
	return c.JSON(status, u)
}

// readImport reads an import body: text/csv or application/json, at most the body limit.
func (s *server) readImport(c echo.Context) (csv bool, data []byte, err error) {
	mt, _, err := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	switch {
	case err != nil:
		return false, nil, errMediaTypeImport
	case mt == "text/csv":
		csv = true
	case mt == echo.MIMEApplicationJSON:
	default:
		return false, nil, errMediaTypeImport
	}
	data, err = io.ReadAll(io.LimitReader(c.Request().Body, s.cfg.bodyLimit+1))
	if err != nil {
		var he *echo.HTTPError
		if errors.As(err, &he) {
			return false, nil, he
		}
		return false, nil, fmt.Errorf("%w: reading the body", strictjson.ErrMalformed)
	}
	if int64(len(data)) > s.cfg.bodyLimit {
		return false, nil, strictjson.ErrTooLarge
	}
	return csv, data, nil
}

// importUnits creates or replaces the units of a CSV or JSON file; it deletes none.
func (s *server) importUnits(c echo.Context) error {
	if err := requireRole(c, "change the directory", store.RoleAdmin); err != nil {
		return err
	}
	csv, data, err := s.readImport(c)
	if err != nil {
		return err
	}
	var units []routing.Unit
	if csv {
		units, err = routing.ReadUnitsCSV(bytes.NewReader(data))
	} else {
		units, err = routing.ReadUnitsJSON(bytes.NewReader(data))
	}
	if err != nil {
		return explain(err)
	}
	if err := s.store.PutUnits(c.Request().Context(), principal(c), units, s.now()); err != nil {
		return explain(err)
	}
	return c.JSON(http.StatusOK, ImportResult{Imported: len(units)})
}

func (s *server) getCatalogue(c echo.Context) error {
	matters, err := s.store.Catalogue(c.Request().Context(), principal(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, MatterList{Items: matters})
}

// putCatalogue replaces the dispatch catalogue with a CSV or JSON file.
func (s *server) putCatalogue(c echo.Context) error {
	if err := requireRole(c, "change the directory", store.RoleAdmin); err != nil {
		return err
	}
	csv, data, err := s.readImport(c)
	if err != nil {
		return err
	}
	var matters []routing.Matter
	if csv {
		matters, err = routing.ReadMattersCSV(bytes.NewReader(data))
	} else {
		matters, err = routing.ReadMattersJSON(bytes.NewReader(data))
	}
	if err != nil {
		return explain(err)
	}
	if err := s.store.PutCatalogue(c.Request().Context(), principal(c), matters, s.now()); err != nil {
		return explain(err)
	}
	return c.JSON(http.StatusOK, ImportResult{Imported: len(matters)})
}

func (s *server) getRegions(c echo.Context) error {
	regions, err := s.store.Regions(c.Request().Context(), principal(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, RegionList{Items: regions})
}

// putRegions replaces the region subtree with a CSV (gzip-compressed or not) or JSON file.
func (s *server) putRegions(c echo.Context) error {
	if err := requireRole(c, "change the directory", store.RoleAdmin); err != nil {
		return err
	}
	csv, data, err := s.readImport(c)
	if err != nil {
		return err
	}
	var tree *routing.RegionTree
	if csv {
		tree, err = routing.ReadRegions(bytes.NewReader(data))
	} else {
		tree, err = routing.ReadRegionsJSON(bytes.NewReader(data))
	}
	if err != nil {
		return explain(err)
	}
	regions := slices.Collect(tree.All())
	if err := s.store.PutRegions(c.Request().Context(), principal(c), regions, s.now()); err != nil {
		return explain(err)
	}
	return c.JSON(http.StatusOK, ImportResult{Imported: len(regions)})
}
