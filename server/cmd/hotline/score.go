package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/internal/strictjson"
)

// defaultScheme is the scheme score uses without -scheme: the street's (004 §15).
const defaultScheme = "street-hotline"

// maxResultBytes bounds a result file read by check-result.
const maxResultBytes = 512 << 20

// files is a repeatable flag naming input files ("-" is standard input, at most once).
type files []string

func (f *files) String() string { return strings.Join(*f, ",") }

func (f *files) Set(s string) error {
	if s == "" {
		return errors.New("empty file name")
	}
	*f = append(*f, s)
	return nil
}

// inputFlags are the input flags score and check-result share.
type inputFlags struct {
	jsons, cases, reviews files
	scheme                *string
}

func (in *inputFlags) register(fs *flag.FlagSet, schemeDefault string) {
	fs.Var(&in.jsons, "input", "a JSON export: {\"cases\":[…],\"reviews\":[…],\"adjustments\":[…],\"volumes\":[…],\"units\":[…]} (repeatable)")
	fs.Var(&in.cases, "cases", "a cases CSV (repeatable; columns below)")
	fs.Var(&in.reviews, "reviews", "a reviews CSV (repeatable; columns below)")
	in.scheme = fs.String("scheme", schemeDefault, "the scoring scheme: a preset (street-hotline, hebi, beijing-3rates, shanghai-reviews) or a JSON file")
}

// read reads every input file into one assess.Input, reading standard input for "-".
func (in *inputFlags) read(stdin io.Reader) (assess.Input, []string, error) {
	var all assess.Input
	var names []string
	usedStdin := false
	open := func(name string) (io.ReadCloser, error) {
		if name == "-" {
			if usedStdin {
				return nil, errors.New("standard input (-) named twice")
			}
			usedStdin = true
			return io.NopCloser(stdin), nil
		}
		return os.Open(name)
	}
	each := func(list files, fn func(name string, r io.Reader) error) error {
		for _, name := range list {
			f, err := open(name)
			if err != nil {
				return err
			}
			err = fn(name, f)
			f.Close()
			if err != nil {
				return err
			}
			names = append(names, name)
		}
		return nil
	}
	if err := each(in.jsons, func(name string, r io.Reader) error {
		x, err := readInputJSON(name, r)
		all.Cases = append(all.Cases, x.Cases...)
		all.Reviews = append(all.Reviews, x.Reviews...)
		all.Adjustments = append(all.Adjustments, x.Adjustments...)
		all.Volumes = append(all.Volumes, x.Volumes...)
		all.Units = append(all.Units, x.Units...)
		return err
	}); err != nil {
		return all, nil, err
	}
	if err := each(in.cases, func(name string, r io.Reader) error {
		cs, err := readCasesCSV(name, r)
		all.Cases = append(all.Cases, cs...)
		return err
	}); err != nil {
		return all, nil, err
	}
	if err := each(in.reviews, func(name string, r io.Reader) error {
		rs, err := readReviewsCSV(name, r)
		all.Reviews = append(all.Reviews, rs...)
		return err
	}); err != nil {
		return all, nil, err
	}
	if len(names) == 0 {
		return all, nil, errors.New("no input: give -input, -cases or -reviews")
	}
	return all, names, nil
}

// loadScheme returns the preset named s, or the scheme in file s (strict JSON, validated).
func loadScheme(s string) (assess.Scheme, error) {
	if sc, err := assess.Preset(s); err == nil {
		return sc, nil
	}
	f, err := os.Open(s)
	if err != nil {
		return assess.Scheme{}, fmt.Errorf("scheme %q is neither a preset (street-hotline, hebi, beijing-3rates, shanghai-reviews) nor a readable file: %w", clip(s), err)
	}
	defer f.Close()
	return assess.ReadScheme(f)
}

// parsePeriod reads "2026-11" (a month), "2026-Q4" (a quarter) or "2026" (assessment year 2026:
// 2025-11-01 to 2026-10-31, 000 §8 (三)).
func parsePeriod(s string) (assess.Period, error) {
	bad := fmt.Errorf("period %q: want 2026-11 (a month), 2026-Q4 (a quarter) or 2026 (an assessment year)", clip(s))
	y, rest, _ := strings.Cut(s, "-")
	year, err := strconv.Atoi(y)
	if err != nil || len(y) != 4 {
		return assess.Period{}, bad
	}
	switch {
	case rest == "" && !strings.Contains(s, "-"):
		return assess.Year(deadline.AssessmentYear(), year)
	case len(rest) == 2 && (rest[0] == 'Q' || rest[0] == 'q'):
		q, err := strconv.Atoi(rest[1:])
		if err != nil {
			return assess.Period{}, bad
		}
		return assess.Quarter(year, q)
	case len(rest) == 2:
		m, err := strconv.Atoi(rest)
		if err != nil {
			return assess.Period{}, bad
		}
		return assess.Month(year, time.Month(m))
	}
	return assess.Period{}, bad
}

const inputHelp = `
Inputs — any system's export, as JSON or CSV:

  -input FILE.json  the JSON of package assess's Input: "cases" (CaseRecord), "reviews" (Review,
                    with per-dimension ratings), "adjustments" (bonus and deduction items of the
                    scheme), "volumes" (service volumes) and "units" (units to list even without
                    data). Strict: an unknown, duplicate or case-variant key is refused.
  -cases FILE.csv   one case per line under a header naming the columns, in any order:
                      id, unit, received_at                       required
                      complaint, unfounded                        true/false, 1/0 or 是/否 (empty: false)
                      matter, place                               text
                      first_contact_due, first_contact_at,
                      reply_due, replied_at, callback_at          RFC 3339 (2026-11-03T09:30:00+08:00)
                                                                  or Beijing time "2026-11-03 09:30[:00]";
                                                                  empty: did not happen / no such stage
                      contacted, resolved, attitude,
                      report_accepted                             yes/no or 是/否 (empty: no answer)
                      satisfaction                                a rating (below; empty: no answer)
                      repeats, returns, reopens, supervisions     whole numbers (empty: 0)
  -reviews FILE.csv id, rating, unit, at (required); channel, matter, window, staff, rater, device;
                    unfounded, appeal_pending, rectified. Ratings: very_satisfied satisfied
                    fairly_satisfied dissatisfied very_dissatisfied, or 非常满意 满意 基本满意 不满意 非常不满意.
  An unknown or repeated column, a missing required one, a line with too many or too few fields
  or a value that does not parse is refused with the file, line and column. UTF-8, optional BOM.
  Each flag repeats; "-" reads standard input.
`

// scoreCmd is "hotline score".
func scoreCmd(_ context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return score(args, os.Stdin, stdout, stderr)
}

func score(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("score", flag.ContinueOnError)
	var in inputFlags
	in.register(fs, defaultScheme)
	period := fs.String("period", "", "the period: 2026-11 (month), 2026-Q4 (quarter) or 2026 (assessment year 2025-11-01 to 2026-10-31) (required)")
	asOf := fs.String("as-of", "", "the instant of computation, RFC 3339 (default: the end of the period); later facts are unknown")
	out := fs.String("out", "", "write the full result (with its records, for check-result) as JSON to this file")
	public := fs.String("public", "", "write the result to publish (without the records) as JSON to this file")
	asJSON := fs.Bool("json", false, "print the full result as JSON instead of the ranking")
	fs.Usage = func() {
		fmt.Fprint(stderr, `Usage: hotline score -period P [-scheme S] (-input F | -cases F | -reviews F)… [flags]

Scores units offline with package assess: every unit's indicators, its score under the scheme,
the ranking (units below the scheme's minimum sample listed apart), and the digests — the Merkle
root of the input, the scheme's and the result's (SM3 unless the scheme says SHA-256) — that
anyone can recompute with "hotline check-result". Reads no database and no clock: the same input,
scheme, period and -as-of give the same bytes on every machine.

Flags:
`)
		fs.PrintDefaults()
		fmt.Fprint(stderr, inputHelp)
	}
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	if *period == "" {
		fmt.Fprintln(stderr, "hotline score: -period is required")
		fs.Usage()
		return errUsage
	}
	p, err := parsePeriod(*period)
	if err != nil {
		return fmt.Errorf("score: %w", err)
	}
	at := p.End
	if *asOf != "" {
		if at, err = time.Parse(time.RFC3339Nano, *asOf); err != nil {
			return fmt.Errorf("score: -as-of %q: want RFC 3339, e.g. 2026-12-01T00:00:00+08:00", clip(*asOf))
		}
	}
	scheme, err := loadScheme(*in.scheme)
	if err != nil {
		return fmt.Errorf("score: %w", err)
	}
	input, names, err := in.read(stdin)
	if err != nil {
		return fmt.Errorf("score: %w", err)
	}
	r, err := assess.Score(input, scheme, assess.Query{Period: p, AsOf: at})
	if err != nil {
		return fmt.Errorf("score: %w", err)
	}
	for _, w := range []struct {
		file string
		r    assess.Result
	}{{*out, r}, {*public, r.Public()}} {
		if w.file == "" {
			continue
		}
		b, err := json.MarshalIndent(w.r, "", " ")
		if err != nil {
			return fmt.Errorf("score: %w", err)
		}
		if err := os.WriteFile(w.file, append(b, '\n'), 0o644); err != nil {
			return fmt.Errorf("score: %w", err)
		}
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", " ")
		return enc.Encode(r)
	}
	printResult(stdout, r, len(input.Cases), len(input.Reviews), names)
	return nil
}

// printResult prints a result as a bulletin: the ranking with the main indicators, and the digests.
func printResult(w io.Writer, r assess.Result, cases, reviews int, names []string) {
	version := ""
	if r.SchemeVersion != "" {
		version = " " + r.SchemeVersion
	}
	fmt.Fprintf(w, "考核 scheme %s%s · %s (%s to %s) · as of %s\n", r.Scheme, version, r.Period.Label,
		r.Period.Start.In(deadline.Location()).Format("2006-01-02"), r.Period.End.Add(-time.Nanosecond).In(deadline.Location()).Format("2006-01-02"),
		r.AsOf.In(deadline.Location()).Format(time.RFC3339))
	fmt.Fprintf(w, "%d cases, %d reviews from %s\n\n", cases, reviews, strings.Join(names, ", "))
	fmt.Fprintf(w, "%4s  %-14s %12s  %-14s %-14s %-14s %-14s %s\n", "排名", "unit", "total", "先行联系 first", "按期 on time", "解决 resolved", "满意 satisfied", "差评 bad")
	row := func(rank string, s assess.Standing) {
		u, _ := r.Unit(s.Unit)
		fmt.Fprintf(w, "%4s  %-14s %12s  %-14s %-14s %-14s %-14s %d\n", rank, s.Unit, s.Total.Text(2),
			u.Indicators.FirstContact, u.Indicators.OnTime, u.Indicators.Resolution, u.Indicators.Satisfaction, u.Indicators.BadReviews)
	}
	for _, s := range r.Ranking.Ranked {
		row(strconv.Itoa(s.Rank), s)
	}
	for _, s := range r.Ranking.NotRanked {
		row("-", s)
	}
	if len(r.Ranking.NotRanked) > 0 {
		fmt.Fprintf(w, "(-: %s)\n", r.Ranking.NotRanked[0].Reason)
	}
	fmt.Fprintf(w, "\nalgorithm      %s\ninput digest   %s\nscheme digest  %s\nresult digest  %s\n",
		r.Algorithm, r.InputDigest, r.SchemeDigest, r.Digest)
}

// checkResultCmd is "hotline check-result".
func checkResultCmd(_ context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return checkResult(args, os.Stdin, stdout, stderr)
}

func checkResult(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("check-result", flag.ContinueOnError)
	var in inputFlags
	in.register(fs, "")
	fs.Usage = func() {
		fmt.Fprint(stderr, `Usage: hotline check-result [-scheme S] (-input F | -cases F | -reviews F)… RESULT.json

Recomputes a published result from its inputs with package assess (assess.Verify) and says
whether it is that result (001 (十): 统计分析结果自动生成、不可更改). RESULT.json is the result as
"hotline score -out" or "-public" (or the server) wrote it; its own period and as-of instant are
used. Without -scheme the preset the result names is used.

Exit status: 0 and "verified" when the result is the one the inputs give; 1 and the first thing
that differs — a record of the input changed, missing or added ("input[case:C-7]", every one
listed when the result carries its records), the scheme, or a figure such as
"units[U-03].total" — when it is not; 2 when the inputs or the result cannot be read or are
invalid.

Flags:
`)
		fs.PrintDefaults()
		fmt.Fprint(stderr, inputHelp)
	}
	fs.SetOutput(stderr)
	// The result file may come before or after the flags.
	var resultFile string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		resultFile, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	switch {
	case resultFile == "" && fs.NArg() == 1:
		resultFile = fs.Arg(0)
	case resultFile != "" && fs.NArg() == 0:
	default:
		fmt.Fprintln(stderr, "hotline check-result: want exactly one result file")
		fs.Usage()
		return errUsage
	}
	rb, err := os.ReadFile(resultFile)
	if err != nil {
		return trouble(fmt.Errorf("check-result: %w", err))
	}
	r, err := readResult(resultFile, rb)
	if err != nil {
		return trouble(fmt.Errorf("check-result: %w", err))
	}
	name := *in.scheme
	if name == "" {
		name = r.Scheme
	}
	scheme, err := loadScheme(name)
	if err != nil {
		return trouble(fmt.Errorf("check-result: %w", err))
	}
	input, _, err := in.read(stdin)
	if err != nil {
		return trouble(fmt.Errorf("check-result: %w", err))
	}
	err = assess.Verify(input, scheme, r)
	var me *assess.MismatchError
	switch {
	case err == nil:
		fmt.Fprintf(stdout, "verified: %s %s as of %s, digest %s\n", r.Scheme, r.Period.Label,
			r.AsOf.In(deadline.Location()).Format(time.RFC3339), r.Digest)
		return nil
	case errors.As(err, &me):
		fmt.Fprintf(stdout, "differs: %s", me.Path)
		if me.Change != "" {
			fmt.Fprintf(stdout, " %s", me.Change)
		}
		if me.Want != "" || me.Got != "" {
			fmt.Fprintf(stdout, " (recomputed %s, published %s)", me.Want, me.Got)
		}
		fmt.Fprintln(stdout)
		if len(r.Records) > 0 && strings.HasPrefix(me.Path, "input[") {
			// Every record that differs, not only the first.
			if now, err := assess.Score(input, scheme, assess.Query{Period: r.Period, AsOf: r.AsOf}); err == nil {
				for _, c := range assess.DiffRecords(r.Records, now.Records) {
					fmt.Fprintf(stdout, "  %s %s\n", c.Key, c.Change)
				}
			}
		}
		return fmt.Errorf("check-result: %w", err)
	}
	return trouble(fmt.Errorf("check-result: %w", err))
}

// readResult decodes a result: strict JSON, at most maxResultBytes.
func readResult(name string, b []byte) (assess.Result, error) {
	var r assess.Result
	if err := strictjson.Read(bytes.NewReader(b), &r, maxResultBytes); err != nil {
		return assess.Result{}, &inputError{File: name, Reason: err.Error()}
	}
	return r, nil
}
