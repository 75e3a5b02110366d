package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/internal/strictjson"
)

// Bounds of the offline inputs: each file is read no further than maxInputBytes + 1, and a CSV
// file may hold at most maxRows records.
const (
	maxInputBytes = 256 << 20
	maxRows       = 2_000_000
	maxField      = 4096
)

// errInput is wrapped by every refusal of an input file.
var errInput = errors.New("malformed input")

// inputError names the file, line and column of a refused value.
type inputError struct {
	File   string
	Line   int
	Column string
	Reason string
}

func (e *inputError) Error() string {
	switch {
	case e.Line == 0:
		return fmt.Sprintf("%s: %s", e.File, e.Reason)
	case e.Column == "":
		return fmt.Sprintf("%s line %d: %s", e.File, e.Line, e.Reason)
	}
	return fmt.Sprintf("%s line %d, column %s: %s", e.File, e.Line, e.Column, e.Reason)
}

func (e *inputError) Unwrap() error { return errInput }

// readInputJSON reads an assess.Input as JSON ({"cases": […], "reviews": […], "adjustments": […],
// "volumes": […], "units": […]}, the field names of package assess) through the module's strict
// loader: no unknown, duplicate or case-variant keys, no trailing data, unknown enum values refused.
func readInputJSON(name string, r io.Reader) (assess.Input, error) {
	var in assess.Input
	if err := strictjson.Read(r, &in, maxInputBytes); err != nil {
		return assess.Input{}, &inputError{File: name, Reason: err.Error()}
	}
	return in, nil
}

// column is one CSV column: its name (the assess JSON field name), whether it is required, and how
// its text sets the record.
type column[T any] struct {
	name     string
	required bool
	set      func(*T, string) error
}

// caseColumns are the columns of a cases CSV: the fields of assess.CaseRecord.
var caseColumns = []column[assess.CaseRecord]{
	{"id", true, func(c *assess.CaseRecord, s string) error { return text(&c.ID, s, true) }},
	{"unit", true, func(c *assess.CaseRecord, s string) error { return text(&c.Unit, s, true) }},
	{"complaint", false, func(c *assess.CaseRecord, s string) error { return boolean(&c.Complaint, s) }},
	{"matter", false, func(c *assess.CaseRecord, s string) error { return text(&c.Matter, s, false) }},
	{"place", false, func(c *assess.CaseRecord, s string) error { return text(&c.Place, s, false) }},
	{"received_at", true, func(c *assess.CaseRecord, s string) error { return instant(&c.ReceivedAt, s, true) }},
	{"first_contact_due", false, func(c *assess.CaseRecord, s string) error { return instant(&c.FirstContactDue, s, false) }},
	{"first_contact_at", false, func(c *assess.CaseRecord, s string) error { return instant(&c.FirstContactAt, s, false) }},
	{"reply_due", false, func(c *assess.CaseRecord, s string) error { return instant(&c.ReplyDue, s, false) }},
	{"replied_at", false, func(c *assess.CaseRecord, s string) error { return instant(&c.RepliedAt, s, false) }},
	{"callback_at", false, func(c *assess.CaseRecord, s string) error { return instant(&c.CallbackAt, s, false) }},
	{"contacted", false, func(c *assess.CaseRecord, s string) error { return answer(&c.Contacted, s) }},
	{"resolved", false, func(c *assess.CaseRecord, s string) error { return answer(&c.Resolved, s) }},
	{"satisfaction", false, func(c *assess.CaseRecord, s string) error { return rating(&c.Satisfaction, s) }},
	{"attitude", false, func(c *assess.CaseRecord, s string) error { return answer(&c.Attitude, s) }},
	{"report_accepted", false, func(c *assess.CaseRecord, s string) error { return answer(&c.ReportAccepted, s) }},
	{"repeats", false, func(c *assess.CaseRecord, s string) error { return count(&c.Repeats, s) }},
	{"returns", false, func(c *assess.CaseRecord, s string) error { return count(&c.Returns, s) }},
	{"reopens", false, func(c *assess.CaseRecord, s string) error { return count(&c.Reopens, s) }},
	{"supervisions", false, func(c *assess.CaseRecord, s string) error { return count(&c.Supervisions, s) }},
	{"unfounded", false, func(c *assess.CaseRecord, s string) error { return boolean(&c.Unfounded, s) }},
}

// reviewColumns are the columns of a reviews CSV: the fields of assess.Review but its dimensions
// (a JSON input carries those).
var reviewColumns = []column[assess.Review]{
	{"id", true, func(r *assess.Review, s string) error { return text(&r.ID, s, true) }},
	{"rating", true, func(r *assess.Review, s string) error {
		if s == "" {
			return errors.New("required")
		}
		return rating(&r.Rating, s)
	}},
	{"channel", false, func(r *assess.Review, s string) error {
		if s == "" {
			return nil
		}
		v, err := assess.ParseChannel(s)
		r.Channel = v
		return err
	}},
	{"matter", false, func(r *assess.Review, s string) error { return text(&r.Matter, s, false) }},
	{"unit", true, func(r *assess.Review, s string) error { return text(&r.Unit, s, true) }},
	{"window", false, func(r *assess.Review, s string) error { return text(&r.Window, s, false) }},
	{"staff", false, func(r *assess.Review, s string) error { return text(&r.Staff, s, false) }},
	{"rater", false, func(r *assess.Review, s string) error { return text(&r.Rater, s, false) }},
	{"device", false, func(r *assess.Review, s string) error { return text(&r.Device, s, false) }},
	{"at", true, func(r *assess.Review, s string) error { return instant(&r.At, s, true) }},
	{"unfounded", false, func(r *assess.Review, s string) error { return boolean(&r.Unfounded, s) }},
	{"appeal_pending", false, func(r *assess.Review, s string) error { return boolean(&r.AppealPending, s) }},
	{"rectified", false, func(r *assess.Review, s string) error { return boolean(&r.Rectified, s) }},
}

// readCasesCSV reads a cases CSV (see [readCSV]).
func readCasesCSV(name string, r io.Reader) ([]assess.CaseRecord, error) {
	return readCSV(name, r, caseColumns)
}

// readReviewsCSV reads a reviews CSV (see [readCSV]).
func readReviewsCSV(name string, r io.Reader) ([]assess.Review, error) {
	return readCSV(name, r, reviewColumns)
}

// readCSV reads RFC 4180 CSV, UTF-8 with an optional byte-order mark, whose first record names the
// columns: each at most once, every required one present, no unknown name (a typo would otherwise
// drop a column's data without a word). Every record has as many fields as the header; a field
// holds at most maxField bytes; the file at most maxInputBytes and maxRows records. Errors name the
// file, the line and the column.
func readCSV[T any](name string, r io.Reader, cols []column[T]) ([]T, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxInputBytes+1))
	if err != nil {
		return nil, &inputError{File: name, Reason: err.Error()}
	}
	if len(data) > maxInputBytes {
		return nil, &inputError{File: name, Reason: fmt.Sprintf("larger than %d bytes", maxInputBytes)}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	cr := csv.NewReader(bytes.NewReader(data))
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &inputError{File: name, Reason: "empty: want a header line"}
	}
	if err != nil {
		return nil, &inputError{File: name, Line: 1, Reason: err.Error()}
	}
	index := make([]int, len(header)) // header position → column
	seen := map[string]bool{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		found := -1
		for j, c := range cols {
			if c.name == h {
				found = j
			}
		}
		switch {
		case found < 0:
			return nil, &inputError{File: name, Line: 1, Reason: fmt.Sprintf("unknown column %q (known: %s)", clip(h), columnNames(cols))}
		case seen[h]:
			return nil, &inputError{File: name, Line: 1, Reason: fmt.Sprintf("column %q given twice", h)}
		}
		seen[h] = true
		index[i] = found
	}
	for _, c := range cols {
		if c.required && !seen[c.name] {
			return nil, &inputError{File: name, Line: 1, Reason: fmt.Sprintf("required column %q is missing", c.name)}
		}
	}
	var out []T
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &inputError{File: name, Line: pe.Line, Reason: pe.Err.Error()}
			}
			return nil, &inputError{File: name, Reason: err.Error()}
		}
		line, _ := cr.FieldPos(0)
		if len(out) == maxRows {
			return nil, &inputError{File: name, Line: line, Reason: fmt.Sprintf("more than %d records", maxRows)}
		}
		var v T
		for i, f := range rec {
			c := cols[index[i]]
			if len(f) > maxField {
				return nil, &inputError{File: name, Line: line, Column: c.name, Reason: fmt.Sprintf("longer than %d bytes", maxField)}
			}
			if err := c.set(&v, strings.TrimSpace(f)); err != nil {
				return nil, &inputError{File: name, Line: line, Column: c.name, Reason: err.Error()}
			}
		}
		out = append(out, v)
	}
}

func columnNames[T any](cols []column[T]) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
	}
	return strings.Join(names, ", ")
}

// clip shortens s for an error message.
func clip(s string) string {
	if len(s) > 40 {
		return strings.ToValidUTF8(s[:40], "") + "…"
	}
	return s
}

func text(dst *string, s string, required bool) error {
	if required && s == "" {
		return errors.New("required")
	}
	*dst = s
	return nil
}

// boolean accepts true/false, 1/0 and 是/否; empty is false.
func boolean(dst *bool, s string) error {
	switch strings.ToLower(s) {
	case "", "false", "0", "否":
		*dst = false
	case "true", "1", "是":
		*dst = true
	default:
		return fmt.Errorf("%q is not a boolean (true/false, 1/0, 是/否)", clip(s))
	}
	return nil
}

func count(dst *int, s string) error {
	if s == "" {
		*dst = 0
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return fmt.Errorf("%q is not a count (a whole number, 0 or more)", clip(s))
	}
	*dst = n
	return nil
}

func answer(dst *assess.Answer, s string) error {
	if s == "" {
		*dst = assess.NoAnswer
		return nil
	}
	a, err := assess.ParseAnswer(s)
	if err != nil {
		return err
	}
	*dst = a
	return nil
}

func rating(dst *assess.Rating, s string) error {
	if s == "" {
		*dst = ""
		return nil
	}
	v, err := assess.ParseRating(s)
	if err != nil {
		return err
	}
	*dst = v
	return nil
}

// Time layouts a CSV field may use: RFC 3339 with its offset, or a local time in Asia/Shanghai.
var localLayouts = []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02T15:04"}

// instant parses RFC 3339 (2026-11-03T09:30:00+08:00) or a Beijing-time "2026-11-03 09:30[:00]";
// empty is the zero time ("did not happen").
func instant(dst *time.Time, s string, required bool) error {
	if s == "" {
		if required {
			return errors.New("required")
		}
		*dst = time.Time{}
		return nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		*dst = t
		return nil
	}
	for _, l := range localLayouts {
		if t, err := time.ParseInLocation(l, s, deadline.Location()); err == nil {
			*dst = t
			return nil
		}
	}
	return fmt.Errorf("%q is not a time (RFC 3339, or \"2006-01-02 15:04[:05]\" in Beijing time)", clip(s))
}
