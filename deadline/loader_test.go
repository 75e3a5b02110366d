package deadline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/hotline12345/hotline/internal/strictjson"
	"github.com/hotline12345/hotline/internal/strictjson/strictjsontest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 9: every loader goes through the one strict loader and refuses the shared table of malformed
// inputs — trailing data, duplicate and case-variant keys, unknown fields, oversize documents — with
// its own typed error, never a panic.
func TestLoadersRefuseMalformedInput(t *testing.T) {
	street, err := os.ReadFile("testdata/policy-street.json")
	require.NoError(t, err)
	holidayCN, err := fs.ReadFile(holidayFS, "data/holiday-cn/2026.json")
	require.NoError(t, err)
	notice := []byte(`{"year": 2027, "papers": ["https://www.gov.cn/x"], "days": [{"date": "2027-01-01", "off": true, "name": "元旦"}]}`)
	overrides := []byte(`[{"date": "2027-03-15", "off": true, "name": "区运动会"}]`)

	loaders := []struct {
		name  string
		valid []byte
		max   int64
		parse func([]byte) error
		typed func(error) bool
	}{
		{"ParsePolicy", street, MaxPolicyBytes, func(b []byte) error { _, err := ParsePolicy(b); return err },
			func(err error) bool {
				var pe *PolicyError
				return errors.As(err, &pe) && errors.Is(err, ErrInvalidPolicy)
			}},
		{"ReadPolicy", street, MaxPolicyBytes, func(b []byte) error { _, err := ReadPolicy(bytes.NewReader(b)); return err },
			func(err error) bool { var pe *PolicyError; return errors.As(err, &pe) }},
		{"ParseHolidayCN", holidayCN, MaxNoticeBytes, func(b []byte) error { _, err := ParseHolidayCN("x.json", b); return err }, isSchedule},
		{"ParseNotice", notice, MaxNoticeBytes, func(b []byte) error { _, err := ParseNotice("x.json", b); return err }, isSchedule},
		{"ParseOverrides", overrides, MaxOverridesBytes, func(b []byte) error { _, err := ParseOverrides("x.json", b); return err }, isSchedule},
		{"LoadNotices", notice, MaxNoticeBytes, func(b []byte) error {
			_, err := LoadNotices(fstest.MapFS{"2027.json": {Data: b}})
			return err
		}, isSchedule},
		{"LoadHolidayCN", holidayCN, MaxNoticeBytes, func(b []byte) error {
			_, err := LoadHolidayCN(fstest.MapFS{"2026.json": {Data: b}})
			return err
		}, isSchedule},
	}
	for _, l := range loaders {
		t.Run(l.name, func(t *testing.T) {
			require.NoError(t, l.parse(l.valid), "the valid document")
			for _, c := range strictjsontest.Cases(l.valid, l.max) {
				err := l.parse(c.Input)
				if assert.Error(t, err, c.Name) {
					assert.True(t, l.typed(err), "%s: %T %v", c.Name, err, err)
					assert.Less(t, len(err.Error()), 2000, c.Name)
				}
			}
		})
	}
}

func isSchedule(err error) bool {
	var se *ScheduleError
	return errors.As(err, &se) && errors.Is(err, ErrMalformed)
}

// Issue 9: the fs loaders bound the number of files and the size of each before reading it.
func TestLoadNoticesBounds(t *testing.T) {
	notice := func(y int) []byte {
		return fmt.Appendf(nil, `{"year": %d, "days": [{"date": "%d-01-01", "off": true}]}`, y, y)
	}
	many := fstest.MapFS{}
	for i := range MaxNoticeFiles + 1 {
		many[fmt.Sprintf("%04d.json", i)] = &fstest.MapFile{Data: notice(2000)}
	}
	_, err := LoadNotices(many)
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrMalformed)
	assert.ErrorIs(t, err, strictjson.ErrTooLarge)
	assert.ErrorContains(t, err, fmt.Sprint(MaxNoticeFiles))

	// A file larger than the maximum is refused from its stated size; one whose size is not stated
	// (or lies) is refused after reading at most MaxNoticeBytes+1 bytes.
	huge := append(notice(2027), bytes.Repeat([]byte(" "), MaxNoticeBytes)...)
	_, err = LoadNotices(fstest.MapFS{"2027.json": {Data: huge}})
	assert.ErrorIs(t, err, strictjson.ErrTooLarge)
	lying := &countingFS{data: huge}
	_, err = LoadNotices(lying)
	assert.ErrorIs(t, err, strictjson.ErrTooLarge)
	assert.LessOrEqual(t, lying.read, MaxNoticeBytes+1)

	// Other files and directories are skipped; they do not count.
	got, err := LoadNotices(fstest.MapFS{"2027.json": {Data: notice(2027)}, "README": {Data: []byte("x")}, "sub/2028.json": {Data: []byte("x")}})
	require.NoError(t, err)
	assert.Len(t, got, 1)
}

// countingFS holds one file, "2027.json", that states no size and counts the bytes read from it.
type countingFS struct {
	data []byte
	read int
}

func (c *countingFS) Open(name string) (fs.File, error) {
	switch name {
	case ".":
		return &countingDir{}, nil
	case "2027.json":
		return &countingFile{fs: c}, nil
	}
	return nil, fs.ErrNotExist
}

type countingFile struct{ fs *countingFS }

func (f *countingFile) Stat() (fs.FileInfo, error) { return fstest.MapFS{"f": {}}.Stat("f") } // size 0
func (f *countingFile) Close() error               { return nil }
func (f *countingFile) Read(p []byte) (int, error) {
	n := copy(p, f.fs.data[f.fs.read:])
	f.fs.read += n
	if n == 0 {
		return 0, io.EOF
	}
	return n, nil
}

type countingDir struct{}

func (*countingDir) Stat() (fs.FileInfo, error) { return fstest.MapFS{"d/x": {}}.Stat("d") }
func (*countingDir) Close() error               { return nil }
func (*countingDir) Read([]byte) (int, error)   { return 0, errors.New("is a directory") }
func (*countingDir) ReadDir(int) ([]fs.DirEntry, error) {
	e, err := fs.ReadDir(fstest.MapFS{"2027.json": {}}, ".")
	return e, err
}

// The holiday-cn data set's own keys "$schema" and "$id" are accepted; other unknown keys are not.
func TestParseHolidayCNKeys(t *testing.T) {
	_, err := ParseHolidayCN("x.json", []byte(`{"$schema": "s", "$id": "i", "year": 2027, "days": []}`))
	require.NoError(t, err)
	_, err = ParseHolidayCN("x.json", []byte(`{"year": 2027, "days": [], "extra": 1}`))
	assert.ErrorIs(t, err, ErrMalformed)
	assert.ErrorContains(t, err, `unknown field "extra"`)
	b, _ := json.Marshal(strings.Repeat("x", 10))
	_, err = ParseHolidayCN("x.json", []byte(`{"year": 2027, "days": [], "YEAR": `+string(b)+`}`))
	assert.ErrorIs(t, err, ErrMalformed)
}
