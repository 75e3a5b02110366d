package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/server/loop"
	"github.com/hotline12345/hotline/ticket"
)

// Window is a service window (窗口): a unit's counter in a service hall, with the staff who serve at
// it. Each has a QR code that opens the rating form for it (001 (四): 在所有线下实体窗口配置政务服务“好差评”
// 二维码).
type Window struct {
	// ID names the window in URLs and QR codes: 1–64 letters, digits, '-' or '_'.
	ID string `json:"id"`
	// Unit is the unit the window serves for; its reviews rate that unit.
	Unit string `json:"unit"`
	// Hall is the service hall the window stands in, e.g. "宝山区行政服务中心"; a printed sheet
	// holds one hall's windows.
	Hall string `json:"hall"`
	// Name is the window's name at the counter, e.g. "3号综合窗口".
	Name string `json:"name"`
	// Staff serve at the window; a rating may name one of them.
	Staff []WindowStaff `json:"staff,omitempty"`
}

// WindowStaff is a member of staff at a window, named by their staff number (工号) and a display name.
// They are public servants at a public counter, not citizens.
type WindowStaff struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

var windowID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// MaxWindowStaff bounds the staff listed at a window.
const MaxWindowStaff = 50

func (w Window) validate() error {
	bad := func(field, reason string) error { return fmt.Errorf("%w: window %s: %s", ErrInvalid, field, reason) }
	switch {
	case !windowID.MatchString(w.ID):
		return bad("id", "must be 1–64 letters, digits, '-' or '_'")
	case strings.TrimSpace(w.Unit) == "" || len(w.Unit) > 64:
		return bad("unit", "must be 1–64 bytes")
	case strings.TrimSpace(w.Hall) == "" || utf8.RuneCountInString(w.Hall) > 128 || !utf8.ValidString(w.Hall):
		return bad("hall", "must be 1–128 characters")
	case strings.TrimSpace(w.Name) == "" || utf8.RuneCountInString(w.Name) > 128 || !utf8.ValidString(w.Name):
		return bad("name", "must be 1–128 characters")
	case len(w.Staff) > MaxWindowStaff:
		return bad("staff", fmt.Sprintf("at most %d", MaxWindowStaff))
	}
	seen := map[string]bool{}
	for i, st := range w.Staff {
		switch {
		case !windowID.MatchString(st.ID):
			return bad(fmt.Sprintf("staff[%d].id", i), "must be 1–64 letters, digits, '-' or '_'")
		case seen[st.ID]:
			return bad(fmt.Sprintf("staff[%d].id", i), "appears twice")
		case utf8.RuneCountInString(st.Name) > 64 || !utf8.ValidString(st.Name):
			return bad(fmt.Sprintf("staff[%d].name", i), "must be at most 64 characters")
		}
		seen[st.ID] = true
	}
	return nil
}

type windowRow struct {
	bun.BaseModel `bun:"table:service_windows,alias:w"`
	ID            string `bun:"id,pk"`
	UnitID        string `bun:"unit_id"`
	Hall          string `bun:"hall"`
	Name          string `bun:"name"`
	Body          []byte `bun:"body"`
	UpdatedUS     int64  `bun:"updated_us"`
}

func decodeWindow(r windowRow) (Window, error) {
	var w Window
	if err := json.Unmarshal(r.Body, &w); err != nil {
		return w, &CorruptError{Table: "service_windows", Key: r.ID, Err: err}
	}
	return w, nil
}

// PutWindow creates or replaces a service window (admins and hotline offices). Its unit must exist.
func (s *Store) PutWindow(ctx context.Context, p Principal, w Window, now time.Time) error {
	if err := p.validate(); err != nil {
		return err
	}
	if p.Role != RoleAdmin && p.Role != RoleHotlineOffice {
		return forbidden(p, "change service windows")
	}
	if err := w.validate(); err != nil {
		return err
	}
	body, err := json.Marshal(w)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		n, err := tx.NewSelect().Model((*unitRow)(nil)).Where("id = ?", w.Unit).Count(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("%w: window unit %q is not in the directory", ErrInvalid, w.Unit)
		}
		if _, err := tx.NewDelete().Model((*windowRow)(nil)).Where("id = ?", w.ID).Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(&windowRow{ID: w.ID, UnitID: w.Unit, Hall: w.Hall, Name: w.Name, Body: body,
			UpdatedUS: micros(now)}).Exec(ctx); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, now, p.Actor, "window.put", w.ID, "role="+string(p.Role), "unit="+w.Unit)
	})
}

// Windows returns the service windows, of one unit and one hall when given, ordered by hall and id.
// Any principal may list them: the windows are public (their QR codes hang at the counters).
func (s *Store) Windows(ctx context.Context, p Principal, unit, hall string) ([]Window, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	var rows []windowRow
	q := s.db.NewSelect().Model(&rows)
	if unit != "" {
		q = q.Where("unit_id = ?", unit)
	}
	if hall != "" {
		q = q.Where("hall = ?", hall)
	}
	if err := q.Order("hall ASC", "id ASC").Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]Window, 0, len(rows))
	for _, r := range rows {
		w, err := decodeWindow(r)
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, nil
}

// PublicWindow returns window id and its unit's name, for the public rating form. It takes no
// principal: the form is for anyone at the counter, and a window is public.
func (s *Store) PublicWindow(ctx context.Context, id string) (Window, string, error) {
	if !windowID.MatchString(id) {
		return Window{}, "", fmt.Errorf("%w: window %q", ErrNotFound, clipID(id))
	}
	return s.window(ctx, s.db, id)
}

func (s *Store) window(ctx context.Context, db bun.IDB, id string) (Window, string, error) {
	var r windowRow
	if err := db.NewSelect().Model(&r).Where("id = ?", id).Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return Window{}, "", fmt.Errorf("%w: window %s", ErrNotFound, id)
		}
		return Window{}, "", err
	}
	w, err := decodeWindow(r)
	if err != nil {
		return Window{}, "", err
	}
	var name string
	if err := db.NewSelect().Model((*unitRow)(nil)).Column("name").Where("id = ?", w.Unit).Scan(ctx, &name); err != nil &&
		!errors.Is(err, sql.ErrNoRows) {
		return Window{}, "", err
	}
	return w, name, nil
}

func clipID(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}

// WindowRating is a rating submitted through a window's QR code (001 (四)).
type WindowRating struct {
	// Window is the window the QR code names.
	Window string
	// Token is the rating's deduplication key (a UUID): the review is stored as "qr-<token>", so the
	// same key twice stores one review. The server's form derives it from the device, the window and
	// the half hour (server/pages_rate.go), so a phone rates a window once per half hour.
	Token  string
	Rating assess.Rating
	// Dimensions are the optional ratings of the six indicators of 001 (二).
	Dimensions map[assess.Dimension]assess.Rating
	// Staff is the member of staff the rating names, one of the window's; "" for none.
	Staff string
	// Comment is the citizen's own words, at most [MaxComment] characters. It is published scrubbed of
	// numbers and of the identity the linked ticket holds (001 (八), ticket/privacy).
	Comment string
	// IP and UserAgent identify the rater's device for the fraud signals of 001 (十) (刷好评, 恶意差评):
	// they are stored only as keyed HMAC-SM3 digests (the store's index key), never as they are.
	IP, UserAgent string
}

// MaxComment bounds a rating's comment, in characters.
const MaxComment = 500

// WindowRatingResult is what a rating stored.
type WindowRatingResult struct {
	Review string
	// Ticket and Number name the ticket a bad rating opened ("" for a good one).
	Ticket, Number string
}

// The blind-index fields of the fraud signals' hashes.
const (
	biRater  = "reviews.rater"
	biDevice = "reviews.device"
)

// RaterHash returns the keyed digest of a rater's network address or device as the fraud signals see
// it: HMAC-SM3 under the store's index key, in hexadecimal. The value itself is never stored.
func (s *Store) RaterHash(field, value string) (string, error) {
	if err := s.haveKeys(); err != nil {
		return "", err
	}
	if value == "" {
		return "", nil
	}
	return hex.EncodeToString(s.keys.Index.Sum(field, []byte(value))), nil
}

// RateWindow stores a rating given through window r.Window's QR code as a review of channel
// service_hall (线下实体窗口, 001 (一), (四)) of the window's unit, naming the window and the staff
// member, with the rater's and device's keyed hashes. A bad rating (不满意, 非常不满意; 001 (二))
// opens a ticket like any other — the intake server/loop.ReviewIntake gives every bad review (kind
// review by the 好差评 channel, 000 §2), placed in the unit's area — and the review is linked to it,
// as [Store.IntakeReview] links them; the review, its comment, the ticket, its event, outbox row and
// audit rows are written in one transaction (IntakeReview has no place for the comment, which must
// not be lost). It takes no principal: the rater is an anonymous
// citizen at the counter; the store acts as the system, and the audit rows name the window. The same
// token again is ErrDuplicate.
func (s *Store) RateWindow(ctx context.Context, r WindowRating, now time.Time) (WindowRatingResult, error) {
	if err := r.validate(); err != nil {
		return WindowRatingResult{}, err
	}
	rater, err := s.RaterHash(biRater, r.IP)
	if err != nil {
		return WindowRatingResult{}, err
	}
	device, err := s.RaterHash(biDevice, r.UserAgent)
	if err != nil {
		return WindowRatingResult{}, err
	}
	p := Principal{Actor: "window:" + r.Window, Role: RoleSystem}
	w, unitName, err := s.window(ctx, s.db, r.Window)
	if err != nil {
		return WindowRatingResult{}, err
	}
	if r.Staff != "" && !slices.ContainsFunc(w.Staff, func(st WindowStaff) bool { return st.ID == r.Staff }) {
		return WindowRatingResult{}, fmt.Errorf("%w: staff %q does not serve at window %s", ErrInvalid, clipID(r.Staff), w.ID)
	}
	rv := assess.Review{ID: "qr-" + r.Token, Rating: r.Rating, Dimensions: r.Dimensions, Channel: assess.ChannelServiceHall,
		Unit: w.Unit, Window: w.ID, Staff: r.Staff, Rater: rater, Device: device, At: now}
	res := WindowRatingResult{Review: rv.ID}
	bad := r.Rating.Bad()
	var region string
	var preSeq int64
	if bad {
		if region, err = s.regionOf(ctx, s.db, w.Unit); err != nil {
			return WindowRatingResult{}, err
		}
		if s.dialect != SQLite { // as Intake: the number is issued outside the transaction
			if preSeq, err = s.issueSeq(ctx, now); err != nil {
				return WindowRatingResult{}, err
			}
		}
	}
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var batch []query
		subject := rv.ID
		if bad {
			seq := preSeq
			if s.dialect == SQLite {
				n, err := s.nextSeq(ctx, tx, now)
				if err != nil {
					return err
				}
				seq = n
			}
			number, err := newNumber(s.prefix, now, seq)
			if err != nil {
				return err
			}
			// The review ticket is built as every bad review's is (server/loop: kind review, channel
			// bad_review), with the window's words.
			in, err := loop.ReviewIntake(rv, ticket.Intake{Title: truncate("窗口差评："+w.Hall+" "+w.Name, 100),
				Content: badReviewContent(w, unitName, r), Place: ticket.Place{RegionCode: region}, Received: now})
			if err != nil {
				return fmt.Errorf("%w: %w", ErrInvalid, err)
			}
			in.Number = number
			t, err := s.machine.Accept(in, p.Actor, ticket.RoleSystem, now)
			if err != nil {
				return err
			}
			id := newID()
			row := ticketRow{ID: id, Version: 1, CreatedUS: micros(now), UpdatedUS: micros(now)}
			if err := s.fillRow(&row, t, now); err != nil {
				return err
			}
			res.Ticket, res.Number, subject = id, number.String(), id
			rrow, err := encodeReview(rv, id)
			if err != nil {
				return err
			}
			batch = append(batch, tx.NewInsert().Model(&row), tx.NewInsert().Model(&rrow))
			if r.Comment != "" {
				batch = append(batch, tx.NewInsert().Model(&reviewNoteRow{ReviewID: rv.ID, Comment: r.Comment, AtUS: micros(now)}))
			}
			// The ticket's audit row and the review's share the ticket's shard (one head lock).
			if err := s.writeChange(ctx, tx, p, id, t, t.History[0], now, batch...); err != nil {
				return err
			}
		} else {
			rrow, err := encodeReview(rv, "")
			if err != nil {
				return err
			}
			batch = append(batch, tx.NewInsert().Model(&rrow))
			if r.Comment != "" {
				batch = append(batch, tx.NewInsert().Model(&reviewNoteRow{ReviewID: rv.ID, Comment: r.Comment, AtUS: micros(now)}))
			}
			if err := execBatch(ctx, tx, batch...); err != nil {
				return err
			}
		}
		return s.appendAudit(ctx, tx, now, p.Actor, "review.put", subject, "role="+string(p.Role), "review="+rv.ID,
			"unit="+rv.Unit, "window="+w.ID, "rating="+string(rv.Rating), "channel="+string(rv.Channel))
	})
	if isUnique(err) {
		return WindowRatingResult{}, fmt.Errorf("%w: review %s", ErrDuplicate, rv.ID)
	}
	if err != nil {
		return WindowRatingResult{}, err
	}
	return res, nil
}

func (r WindowRating) validate() error {
	bad := func(field, reason string) error { return fmt.Errorf("%w: rating %s: %s", ErrInvalid, field, reason) }
	switch {
	case !windowID.MatchString(r.Window):
		return fmt.Errorf("%w: window %q", ErrNotFound, clipID(r.Window))
	case !uuidText.MatchString(r.Token):
		return bad("token", "is not the form's token")
	case !r.Rating.Valid():
		return bad("rating", "is not one of the five ratings of 001 (二)")
	case r.Staff != "" && !windowID.MatchString(r.Staff):
		return bad("staff", "is not a staff number")
	case !utf8.ValidString(r.Comment) || utf8.RuneCountInString(r.Comment) > MaxComment:
		return bad("comment", fmt.Sprintf("must be at most %d characters", MaxComment))
	case len(r.IP) > 256 || len(r.UserAgent) > 1024:
		return bad("device", "too long")
	}
	for _, d := range slices.Sorted(maps.Keys(r.Dimensions)) {
		if !d.Valid() || !r.Dimensions[d].Valid() {
			return bad("dimensions", "must rate the six indicators of 001 (二) with the five ratings")
		}
	}
	return nil
}

var uuidText = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func badReviewContent(w Window, unitName string, r WindowRating) string {
	var b strings.Builder
	fmt.Fprintf(&b, "线下窗口“好差评”差评（%s）：%s %s", r.Rating.Label(), w.Hall, w.Name)
	if unitName != "" {
		fmt.Fprintf(&b, "（%s）", unitName)
	}
	if r.Staff != "" {
		fmt.Fprintf(&b, "，工号 %s", r.Staff)
	}
	b.WriteString("。")
	if len(r.Dimensions) > 0 {
		var parts []string
		for _, d := range assess.Dimensions() {
			if l, ok := r.Dimensions[d]; ok {
				parts = append(parts, d.Label()+"："+l.Label())
			}
		}
		b.WriteString("分项评价：" + strings.Join(parts, "；") + "。")
	}
	if c := strings.TrimSpace(r.Comment); c != "" {
		b.WriteString("评价内容：" + c)
	}
	return b.String()
}

// regionOf returns the region code of unit, or of its nearest ancestor that has one ("" if none): a
// functional department stands in its government's area.
func (s *Store) regionOf(ctx context.Context, db bun.IDB, unit string) (string, error) {
	seen := map[string]bool{}
	for unit != "" && !seen[unit] {
		seen[unit] = true
		var r unitRow
		if err := db.NewSelect().Model(&r).Column("id", "parent_id", "region_code").Where("id = ?", unit).Scan(ctx); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return "", nil
			}
			return "", err
		}
		if r.RegionCode != "" {
			return r.RegionCode, nil
		}
		unit = ""
		if r.ParentID != nil {
			unit = *r.ParentID
		}
	}
	return "", nil
}

type reviewNoteRow struct {
	bun.BaseModel `bun:"table:review_notes,alias:n"`
	ReviewID      string `bun:"review_id,pk"`
	Comment       string `bun:"comment"`
	AtUS          int64  `bun:"at_us"`
}
