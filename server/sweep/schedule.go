package sweep

import (
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"time"

	"github.com/emmansun/gmsm/sm3"

	"github.com/hotline12345/hotline/deadline"
)

// LoadHolidays reads the holiday schedule files of directory dir — the State Council's notices in the
// holiday-cn format ([deadline.LoadHolidayCN]), one file a year, e.g. a newly published 2027.json —
// and returns the national calendar ([deadline.China]) with them added, and a digest of the files
// that changes whenever one of them does.
func LoadHolidays(dir string) (*deadline.Calendar, string, error) {
	return loadHolidays(os.DirFS(dir), dir)
}

func loadHolidays(fsys fs.FS, name string) (*deadline.Calendar, string, error) {
	digest, err := scheduleDigest(fsys)
	if err != nil {
		return nil, "", fmt.Errorf("%w: %s: %w", ErrSchedule, name, err)
	}
	notices, err := deadline.LoadHolidayCN(fsys)
	if err != nil {
		return nil, "", fmt.Errorf("%w: %s: %w", ErrSchedule, name, err)
	}
	cal, err := deadline.China().WithNotices(notices...)
	if err != nil {
		return nil, "", fmt.Errorf("%w: %s: %w", ErrSchedule, name, err)
	}
	return cal, digest, nil
}

// scheduleDigest is the SM3 digest of the names and contents of the *.json files at the root of
// fsys, in name order; it reads no file larger than deadline.MaxNoticeBytes.
func scheduleDigest(fsys fs.FS) (string, error) {
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return "", err
	}
	if len(names) > deadline.MaxNoticeFiles {
		return "", fmt.Errorf("%d files, at most %d", len(names), deadline.MaxNoticeFiles)
	}
	slices.Sort(names)
	h := sm3.New()
	for _, n := range names {
		info, err := fs.Stat(fsys, n)
		if err != nil {
			return "", err
		}
		if info.Size() > deadline.MaxNoticeBytes {
			return "", fmt.Errorf("%s: %d bytes, at most %d", path.Base(n), info.Size(), deadline.MaxNoticeBytes)
		}
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Change is what a new calendar changes for the deadlines of running clocks.
type Change struct {
	// Dates counts the dates around now whose working-day status differs.
	Dates int
	// Published counts the dates that were provisional and no longer are.
	Published int
	// Revised reports that a date of an already published year changed (a corrected notice, as in
	// 2015, 2019 and 2020): every open ticket's clocks must be recomputed, not only the provisional
	// ones.
	Revised bool
}

// None reports that the calendars agree on every date compared.
func (c Change) None() bool { return c.Dates == 0 && c.Published == 0 }

// Compare returns what moving from calendar old to calendar cur changes for clocks running at now:
// the dates from a year before now to two years after it are compared (a clock is never longer).
func Compare(old, cur *deadline.Calendar, now time.Time) Change {
	var c Change
	y, m, d := now.In(deadline.Location()).Date()
	day := time.Date(y-1, m, d, 12, 0, 0, 0, deadline.Location())
	end := time.Date(y+2, m, d, 12, 0, 0, 0, deadline.Location())
	for ; day.Before(end); day = day.AddDate(0, 0, 1) {
		wasProv, isProv := old.IsProvisional(day), cur.IsProvisional(day)
		if old.IsWorkday(day) != cur.IsWorkday(day) {
			c.Dates++
			c.Revised = c.Revised || !wasProv
		}
		if wasProv && !isProv {
			c.Published++
		}
	}
	return c
}
