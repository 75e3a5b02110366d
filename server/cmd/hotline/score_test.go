package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/internal/strictjson/strictjsontest"
)

func scoreRun(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var o, e bytes.Buffer
	err := score(args, strings.NewReader(stdin), &o, &e)
	return o.String(), e.String(), err
}

func checkRun(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var o, e bytes.Buffer
	err := checkResult(args, strings.NewReader(""), &o, &e)
	return o.String(), e.String(), err
}

// An auditor scores an export offline and checks the published result: verified; a changed record
// of the input is named, every change listed, exit status 1 (001 (十): 统计分析结果……不可更改).
func TestScoreAndCheckResult(t *testing.T) {
	dir := t.TempDir()
	full, public := filepath.Join(dir, "result.json"), filepath.Join(dir, "public.json")
	out, logs, err := scoreRun(t, "", "-period", "2026-11", "-cases", "testdata/cases.csv", "-reviews", "testdata/reviews.csv",
		"-out", full, "-public", public)
	require.NoError(t, err, logs)
	assert.Contains(t, out, "考核 scheme street-hotline 004")
	assert.Contains(t, out, "20 cases, 5 reviews from testdata/cases.csv, testdata/reviews.csv")
	assert.Contains(t, out, "(-: not ranked:", "yy-cgzd has 2 cases, below the scheme's minimum of 5")
	assert.Regexp(t, `result digest  [0-9a-f]{64}`, out)
	assert.Regexp(t, `\n   1  yy-jw001 `, out, "all callbacks satisfied and on time: first")

	out, _, err = checkRun(t, full, "-cases", "testdata/cases.csv", "-reviews", "testdata/reviews.csv")
	require.NoError(t, err)
	assert.Contains(t, out, "verified: street-hotline 2026-11")
	out, _, err = checkRun(t, "-cases", "testdata/cases.csv", "-reviews", "testdata/reviews.csv", public)
	require.NoError(t, err, "the flags may come first")
	assert.Contains(t, out, "verified")

	// Someone moves a late reply forward and drops a review.
	cases, err := os.ReadFile("testdata/cases.csv")
	require.NoError(t, err)
	// C-008 was replied on 11-14, after its due time 11-12: the edit makes it on time.
	edited := strings.Replace(string(cases), "2026-11-12 00:00,2026-11-14 16:00", "2026-11-12 00:00,2026-11-11 16:00", 1)
	require.NotEqual(t, string(cases), edited)
	changed := filepath.Join(dir, "cases.csv")
	require.NoError(t, os.WriteFile(changed, []byte(edited), 0o600))
	reviews, err := os.ReadFile("testdata/reviews.csv")
	require.NoError(t, err)
	lines := strings.Split(string(reviews), "\n")
	fewer := filepath.Join(dir, "reviews.csv")
	require.NoError(t, os.WriteFile(fewer, []byte(strings.Join(append(lines[:1], lines[2:]...), "\n")), 0o600))

	out, _, err = checkRun(t, full, "-cases", changed, "-reviews", fewer)
	require.Error(t, err)
	assert.Equal(t, 1, exitCode(err))
	assert.Contains(t, out, "differs: input[")
	assert.Contains(t, out, "  case:C-008 changed")
	assert.Contains(t, out, "  review:R-001 missing")
	// Published without records, the change is still caught, by the input digest.
	out, _, err = checkRun(t, public, "-cases", changed, "-reviews", fewer)
	assert.Equal(t, 1, exitCode(err))
	assert.Contains(t, out, "differs: input_digest")

	// A figure edited in the published result.
	b, err := os.ReadFile(full)
	require.NoError(t, err)
	var r assess.Result
	require.NoError(t, json.Unmarshal(b, &r))
	r.Units[0].Total += assess.One
	forged := filepath.Join(dir, "forged.json")
	fb, _ := json.Marshal(r)
	require.NoError(t, os.WriteFile(forged, fb, 0o600))
	out, _, err = checkRun(t, forged, "-cases", "testdata/cases.csv", "-reviews", "testdata/reviews.csv")
	assert.Equal(t, 1, exitCode(err))
	assert.Contains(t, out, "differs: units[")

	// Cannot check: an unreadable result, a malformed input, an unknown scheme: exit status 2.
	for _, args := range [][]string{
		{filepath.Join(dir, "nope.json"), "-cases", "testdata/cases.csv"},
		{full, "-cases", "testdata/reviews.csv"},
		{full, "-scheme", "nope", "-cases", "testdata/cases.csv"},
		{"testdata/cases.csv", "-cases", "testdata/cases.csv"},
	} {
		_, _, err := checkRun(t, args...)
		assert.Equal(t, 2, exitCode(err), "%v: %v", args, err)
	}
}

// The same records as CSV and as JSON give the same result, digest and all.
func TestScoreCSVAndJSONAgree(t *testing.T) {
	f, err := os.Open("testdata/cases.csv")
	require.NoError(t, err)
	cases, err := readCasesCSV("cases.csv", f)
	f.Close()
	require.NoError(t, err)
	f, err = os.Open("testdata/reviews.csv")
	require.NoError(t, err)
	reviews, err := readReviewsCSV("reviews.csv", f)
	f.Close()
	require.NoError(t, err)
	doc, err := json.Marshal(assess.Input{Cases: cases, Reviews: reviews})
	require.NoError(t, err)

	fromCSV, _, err := scoreRun(t, "", "-period", "2026-11", "-json", "-cases", "testdata/cases.csv", "-reviews", "testdata/reviews.csv")
	require.NoError(t, err)
	fromJSON, _, err := scoreRun(t, string(doc), "-period", "2026-11", "-json", "-input", "-")
	require.NoError(t, err)
	var a, b assess.Result
	require.NoError(t, json.Unmarshal([]byte(fromCSV), &a))
	require.NoError(t, json.Unmarshal([]byte(fromJSON), &b))
	assert.Equal(t, a.Digest, b.Digest)
	assert.Equal(t, a.InputDigest, b.InputDigest)
}

func TestReadCasesCSV(t *testing.T) {
	header := "id,unit,received_at"
	tests := []struct {
		name, doc string
		want      string // "" for success
	}{
		{"minimal", header + "\nC-1,u,2026-11-03 09:00\n", ""},
		{"byte-order mark and CRLF", "\ufeff" + header + "\r\nC-1,u,2026-11-03T09:00:00+08:00\r\n", ""},
		{"columns in any order", "received_at,unit,id\n2026-11-03 09:00,u,C-1\n", ""},
		{"quoted field", header + ",place\nC-1,u,2026-11-03 09:00,\"宝山区, 友谊路\"\n", ""},
		{"labels", header + ",contacted,satisfaction,complaint\nC-1,u,2026-11-03 09:00,是,非常满意,是\n", ""},
		{"empty", "", "empty: want a header line"},
		{"unknown column", header + ",resolvd\nC-1,u,2026-11-03 09:00,yes\n", `line 1: unknown column "resolvd"`},
		{"column twice", header + ",unit\nC-1,u,2026-11-03 09:00,u\n", `column "unit" given twice`},
		{"missing column", "id,unit\nC-1,u\n", `required column "received_at" is missing`},
		{"missing value", header + "\nC-1,,2026-11-03 09:00\n", "line 2, column unit: required"},
		{"too few fields", header + "\nC-1,u\n", "line 2: wrong number of fields"},
		{"too many fields", header + "\nC-1,u,2026-11-03 09:00,x\n", "line 2: wrong number of fields"},
		{"bad time", header + "\nC-1,u,03/11/2026\n", `line 2, column received_at: "03/11/2026" is not a time`},
		{"bad bool", header + ",unfounded\nC-1,u,2026-11-03 09:00,maybe\n", `column unfounded: "maybe" is not a boolean`},
		{"negative count", header + ",repeats\nC-1,u,2026-11-03 09:00,-1\n", `column repeats: "-1" is not a count`},
		{"bad answer", header + ",resolved\nC-1,u,2026-11-03 09:00,sometimes\n", "column resolved"},
		{"bad rating", header + ",satisfaction\nC-1,u,2026-11-03 09:00,great\n", "column satisfaction"},
		{"bare quote", header + "\nC-1,u\"x,2026-11-03 09:00\n", "line 2"},
		{"second line", header + "\nC-1,u,2026-11-03 09:00\nC-2,u,soon\n", "line 3, column received_at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readCasesCSV("cases.csv", strings.NewReader(tt.doc))
			if tt.want == "" {
				require.NoError(t, err)
				require.Len(t, got, 1)
				assert.Equal(t, "C-1", got[0].ID)
				assert.Equal(t, "u", got[0].Unit)
				assert.True(t, got[0].ReceivedAt.Equal(time.Date(2026, 11, 3, 9, 0, 0, 0, deadline.Location())))
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, errInput)
			assert.Contains(t, err.Error(), "cases.csv")
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestReadCSVBounds(t *testing.T) {
	long := "id,unit,received_at\nC-1," + strings.Repeat("u", maxField+1) + ",2026-11-03 09:00\n"
	_, err := readCasesCSV("x.csv", strings.NewReader(long))
	assert.ErrorContains(t, err, "longer than 4096 bytes")
}

func TestReadInputJSONRefuses(t *testing.T) {
	valid := `{"cases":[{"id":"C-1","unit":"u","received_at":"2026-11-03T09:00:00+08:00"}],"reviews":[{"id":"R-1","rating":"satisfied","unit":"u","at":"2026-11-03T09:00:00+08:00"}]}`
	_, err := readInputJSON("in.json", strings.NewReader(valid))
	require.NoError(t, err)
	for _, c := range strictjsontest.Cases([]byte(valid), maxInputBytes) {
		t.Run(c.Name, func(t *testing.T) {
			_, err := readInputJSON("in.json", bytes.NewReader(c.Input))
			assert.ErrorIs(t, err, errInput)
		})
	}
	_, err = readInputJSON("in.json", strings.NewReader(strings.Replace(valid, `"satisfied"`, `"thrilled"`, 1)))
	assert.ErrorContains(t, err, "thrilled")
}

func TestParsePeriod(t *testing.T) {
	for s, label := range map[string]string{"2026-11": "2026-11", "2026-Q4": "2026-Q4", "2026-q1": "2026-Q1"} {
		p, err := parsePeriod(s)
		require.NoError(t, err, s)
		assert.Equal(t, label, p.Label, s)
	}
	// 000 §8 (三): assessment year 2026 runs from 2025-11-01 to 2026-10-31.
	y, err := parsePeriod("2026")
	require.NoError(t, err)
	assert.Equal(t, "2025-11-01", y.Start.In(deadline.Location()).Format("2006-01-02"))
	assert.Equal(t, "2026-11-01", y.End.In(deadline.Location()).Format("2006-01-02"))
	for _, s := range []string{"", "26-11", "2026-13", "2026-Q5", "2026-11-01", "2026-", "november"} {
		_, err := parsePeriod(s)
		assert.Error(t, err, s)
	}
}

func FuzzReadCasesCSV(f *testing.F) {
	seed, err := os.ReadFile("testdata/cases.csv")
	require.NoError(f, err)
	f.Add(seed)
	f.Add([]byte("id,unit,received_at\nC-1,u,2026-11-03 09:00\n"))
	f.Add([]byte("\ufeffid,unit,received_at\r\n\"C,1\",u,2026-11-03T09:00:00Z\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cs, err := readCasesCSV("f.csv", bytes.NewReader(data))
		if err != nil {
			assert.ErrorIs(t, err, errInput)
			return
		}
		for _, c := range cs {
			assert.NotEmpty(t, c.ID)
			assert.NotEmpty(t, c.Unit)
			assert.False(t, c.ReceivedAt.IsZero())
			assert.GreaterOrEqual(t, min(c.Repeats, c.Returns, c.Reopens, c.Supervisions), 0)
		}
	})
}

func FuzzReadReviewsCSV(f *testing.F) {
	seed, err := os.ReadFile("testdata/reviews.csv")
	require.NoError(f, err)
	f.Add(seed)
	f.Add([]byte("id,rating,unit,at\nR-1,满意,u,2026-11-03 09:00\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, err := readReviewsCSV("f.csv", bytes.NewReader(data))
		if err != nil {
			assert.ErrorIs(t, err, errInput)
			return
		}
		for _, r := range rs {
			assert.True(t, r.Rating.Valid())
			assert.NotEmpty(t, r.Unit)
		}
	})
}

func FuzzReadInputJSON(f *testing.F) {
	f.Add([]byte(`{"cases":[{"id":"C-1","unit":"u","received_at":"2026-11-03T09:00:00+08:00"}]}`))
	f.Add([]byte(`{"reviews":[{"id":"R-1","rating":"satisfied","unit":"u","at":"2026-11-03T09:00:00Z","dimensions":{"attitude":"dissatisfied"}}]}`))
	f.Add([]byte(`{"volumes":[{"unit":"u","count":3}],"units":["v"]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := readInputJSON("f.json", bytes.NewReader(data)); err != nil {
			assert.ErrorIs(t, err, errInput)
		}
	})
}

func FuzzReadResult(f *testing.F) {
	f.Add([]byte(`{"scheme":"street-hotline","period":{"kind":"month","start":"2026-10-31T16:00:00Z","end":"2026-11-30T16:00:00Z","label":"x"},"as_of":"2026-12-01T00:00:00Z","units":[],"ranking":{"ranked":[]},"algorithm":"sm3","input_digest":"","scheme_digest":"","digest":""}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := readResult("r.json", data); err != nil {
			assert.ErrorIs(t, err, errInput)
		}
	})
}

func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"2026-11", "2026-Q4", "2026", "0000-00", "9999-Q9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := parsePeriod(s)
		if err == nil {
			assert.NoError(t, p.Validate())
		}
	})
}

func TestTroubleExitCode(t *testing.T) {
	assert.Equal(t, 2, exitCode(errUsage))
	assert.Equal(t, 2, exitCode(trouble(errors.New("x"))))
	assert.Equal(t, 1, exitCode(errors.New("x")))
}
