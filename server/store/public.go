package store

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/uptrace/bun"

	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/ticket"
	"github.com/hotline12345/hotline/ticket/privacy"
)

// The Public… methods serve the unauthenticated disclosure of 001 (八) (评价内容……公开; 定期公开各区、
// 各部门“好差评”综合排名情况) and take no principal: they return only what may be published — ratings,
// indicators, counts, the units' replies and the citizens' comments masked for the public (ticket/privacy,
// the public view: numbers scrubbed, the linked ticket's citizen's name, phone, ID number and address
// masked wherever the text repeats them) — never a rater's or device's hash, a staff number or a
// citizen's identity.

// PublicReview is a review as it is published.
type PublicReview struct {
	ID         string                             `json:"id"`
	Unit       string                             `json:"unit"`
	UnitName   string                             `json:"unit_name,omitempty"`
	Window     string                             `json:"window,omitempty"`
	WindowName string                             `json:"window_name,omitempty"`
	Channel    assess.Channel                     `json:"channel,omitempty"`
	Rating     assess.Rating                      `json:"rating"`
	Dimensions map[assess.Dimension]assess.Rating `json:"dimensions,omitempty"`
	At         time.Time                          `json:"at"`
	// Comment is the citizen's comment, masked for the public.
	Comment string `json:"comment,omitempty"`
	// Reply is the unit's reply (答复要点 of the ticket the review opened), masked for the public.
	Reply string `json:"reply,omitempty"`
	// Rectified reports a bad review whose ticket has been replied (整改反馈, 001 (六)).
	Rectified bool `json:"rectified"`
}

// PublicReviewFilter selects published reviews. Zero fields do not filter.
type PublicReviewFilter struct {
	Unit     string
	From, To time.Time // To exclusive
	Limit    int       // zero means 20, at most 100
	Cursor   string
}

// PublicReviewPage is a page of reviews, newest first; Next is the cursor of the next page.
type PublicReviewPage struct {
	Items []PublicReview `json:"items"`
	Next  string         `json:"next,omitempty"`
}

type publicReviewRow struct {
	reviewRow `bun:",extend"`
	Comment   *string `bun:"comment"`
	Identity  []byte  `bun:"identity"`
	Snapshot  []byte  `bun:"snapshot"`
	Replies   *int    `bun:"replies"`
	UnitName  *string `bun:"unit_name"`
}

// publicView is the masking of public output: 000 第十条 as ticket/privacy's preset has it.
var publicView = privacy.Shanghai()

// PublicReviews returns a page of the reviews that count (voided ones, 不属实评价, are not published),
// newest first.
func (s *Store) PublicReviews(ctx context.Context, f PublicReviewFilter) (PublicReviewPage, error) {
	limit := f.Limit
	switch {
	case limit == 0:
		limit = 20
	case limit < 0 || limit > 100:
		return PublicReviewPage{}, fmt.Errorf("%w: page size %d outside 1–100", ErrInvalid, limit)
	}
	if len(f.Unit) > 64 || strings.ContainsFunc(f.Unit, unicode.IsControl) {
		return PublicReviewPage{}, fmt.Errorf("%w: unit must be at most 64 bytes without control characters", ErrInvalid)
	}
	cur, err := decodeReviewCursor(f.Cursor)
	if err != nil {
		return PublicReviewPage{}, err
	}
	var rows []publicReviewRow
	q := s.db.NewSelect().Model(&rows).ColumnExpr("r.*").
		ColumnExpr("n.comment AS comment").ColumnExpr("t.identity AS identity").ColumnExpr("t.snapshot AS snapshot").
		ColumnExpr("t.replies AS replies").ColumnExpr("u.name AS unit_name").
		Join("LEFT JOIN review_notes AS n ON n.review_id = r.id").
		Join("LEFT JOIN tickets AS t ON t.id = r.ticket_id").
		Join("LEFT JOIN units AS u ON u.id = r.unit_id").
		Where("NOT EXISTS (SELECT 1 FROM review_voids AS v WHERE v.review_id = r.id)")
	if f.Unit != "" {
		q = q.Where("r.unit_id = ?", f.Unit)
	}
	if !f.From.IsZero() {
		q = q.Where("r.at_us >= ?", micros(f.From))
	}
	if !f.To.IsZero() {
		q = q.Where("r.at_us < ?", micros(f.To))
	}
	if cur.ok {
		q = q.Where("(r.at_us < ? OR (r.at_us = ? AND r.id < ?))", cur.at, cur.at, cur.id)
	}
	if err := q.Order("r.at_us DESC", "r.id DESC").Limit(int64(limit + 1)).Scan(ctx); err != nil {
		return PublicReviewPage{}, err
	}
	page := PublicReviewPage{Items: []PublicReview{}}
	if len(rows) > limit {
		rows = rows[:limit]
		last := rows[len(rows)-1]
		page.Next = encodeReviewCursor(last.AtUS, last.ID)
	}
	windows := map[string]string{}
	for _, r := range rows {
		rv, err := decodeReview(r.reviewRow, false)
		if err != nil {
			return PublicReviewPage{}, err
		}
		pr := PublicReview{ID: rv.ID, Unit: rv.Unit, Window: rv.Window, Channel: rv.Channel, Rating: rv.Rating,
			Dimensions: rv.Dimensions, At: rv.At, Rectified: rv.Rectified || (r.Replies != nil && *r.Replies > 0)}
		if r.UnitName != nil {
			pr.UnitName = *r.UnitName
		}
		if rv.Window != "" {
			name, ok := windows[rv.Window]
			if !ok {
				if err := s.db.NewSelect().Model((*windowRow)(nil)).Column("name").Where("id = ?", rv.Window).Scan(ctx, &name); err != nil &&
					!errors.Is(err, sql.ErrNoRows) {
					return PublicReviewPage{}, err
				}
				windows[rv.Window] = name
			}
			pr.WindowName = name
		}
		var who ticket.Person
		var reply string
		if r.TicketID != nil && r.Snapshot != nil {
			if who, err = s.openIdentity(*r.TicketID, r.Identity); err != nil {
				return PublicReviewPage{}, err
			}
			var t ticket.Ticket
			if err := json.Unmarshal(r.Snapshot, &t); err != nil {
				return PublicReviewPage{}, &CorruptError{Table: "tickets", Key: *r.TicketID + " snapshot", Err: err}
			}
			if t.Reply != nil {
				reply = t.Reply.Summary
			}
		}
		mask := func(text string) string {
			return publicView.Mask(privacy.Personal{Name: who.Name, Phone: who.Phone, IDNumber: who.IDNumber,
				Address: who.Address, Text: text}, privacy.AudiencePublic).Text
		}
		if r.Comment != nil {
			pr.Comment = mask(*r.Comment)
		}
		pr.Reply = mask(reply)
		page.Items = append(page.Items, pr)
	}
	return page, nil
}

type reviewCursor struct {
	ok bool
	at int64
	id string
}

func encodeReviewCursor(at int64, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(at, 10) + "." + id))
}

func decodeReviewCursor(s string) (reviewCursor, error) {
	if s == "" {
		return reviewCursor{}, nil
	}
	bad := fmt.Errorf("%w: malformed page cursor", ErrInvalid)
	if len(s) > 128 {
		return reviewCursor{}, bad
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return reviewCursor{}, bad
	}
	at, id, ok := strings.Cut(string(b), ".")
	n, err := strconv.ParseInt(at, 10, 64)
	if !ok || err != nil || n < 0 || id == "" || len(id) > 64 || !printable(id) {
		return reviewCursor{}, bad
	}
	return reviewCursor{ok: true, at: n, id: id}, nil
}

// printable reports whether s is printable ASCII, as review ids are.
func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// RatingCount is the distribution of one unit's (or one district's) counted reviews.
type RatingCount struct {
	Unit string           `json:"unit"`
	Name string           `json:"name,omitempty"`
	Kind routing.UnitKind `json:"kind,omitempty"`
	// Ratings[0] is 非常满意 … Ratings[4] 非常不满意 (assess.Rating.Rank − 1).
	Ratings [5]int64 `json:"ratings"`
	Reviews int64    `json:"reviews"`
	// Bad counts 不满意 and 非常不满意; Rectified the bad ones rectified (001 (六)).
	Bad       int64 `json:"bad"`
	Rectified int64 `json:"rectified"`
}

func (c *RatingCount) add(o RatingCount) {
	for i := range c.Ratings {
		c.Ratings[i] += o.Ratings[i]
	}
	c.Reviews += o.Reviews
	c.Bad += o.Bad
	c.Rectified += o.Rectified
}

// Ratings are the published ratings of a period: per unit, per district (a district government's
// units, its own included, over the unit tree) and in all.
type Ratings struct {
	Units     []RatingCount `json:"units"`
	Districts []RatingCount `json:"districts"`
	Total     RatingCount   `json:"total"`
}

// PublicRatings counts the reviews received in [from, to) that count (not voided), per unit of the
// directory (units without reviews included), per district and in all.
func (s *Store) PublicRatings(ctx context.Context, from, to time.Time) (Ratings, error) {
	if !from.Before(to) {
		return Ratings{}, fmt.Errorf("%w: from must be before to", ErrInvalid)
	}
	recs, err := s.reviewRecords(ctx, nil, "", from, to)
	if err != nil {
		return Ratings{}, err
	}
	var urows []unitRow
	if err := s.db.NewSelect().Model(&urows).Order("id ASC").Scan(ctx); err != nil {
		return Ratings{}, err
	}
	byUnit := map[string]*RatingCount{}
	out := Ratings{Units: make([]RatingCount, 0, len(urows)), Districts: []RatingCount{}, Total: RatingCount{Unit: "total", Name: "合计"}}
	units := make([]routing.Unit, 0, len(urows))
	for _, r := range urows {
		u, err := decodeUnit(r)
		if err != nil {
			return Ratings{}, err
		}
		units = append(units, u)
		out.Units = append(out.Units, RatingCount{Unit: u.ID, Name: u.Name, Kind: u.Kind})
	}
	for i := range out.Units {
		byUnit[out.Units[i].Unit] = &out.Units[i]
	}
	for _, rec := range recs {
		rv := rec.Review
		if !rv.Counts() || !rv.Rating.Valid() {
			continue
		}
		c, ok := byUnit[rv.Unit]
		if !ok { // a unit since removed from the directory
			out.Units = append(out.Units, RatingCount{Unit: rv.Unit})
			for i := range out.Units {
				byUnit[out.Units[i].Unit] = &out.Units[i]
			}
			c = byUnit[rv.Unit]
		}
		one := RatingCount{Reviews: 1}
		one.Ratings[rv.Rating.Rank()-1] = 1
		if rv.Rating.Bad() {
			one.Bad = 1
			if rv.Rectified {
				one.Rectified = 1
			}
		}
		c.add(one)
		out.Total.add(one)
	}
	children := map[string][]string{}
	for _, u := range units {
		if u.Parent != "" {
			children[u.Parent] = append(children[u.Parent], u.ID)
		}
	}
	for _, u := range units {
		if u.Kind != routing.UnitDistrictGovernment {
			continue
		}
		d := RatingCount{Unit: u.ID, Name: u.Name, Kind: u.Kind}
		seen := map[string]bool{u.ID: true}
		for queue := []string{u.ID}; len(queue) > 0; queue = queue[1:] {
			d.add(*byUnit[queue[0]])
			for _, c := range children[queue[0]] {
				if !seen[c] {
					seen[c] = true
					queue = append(queue, c)
				}
			}
		}
		out.Districts = append(out.Districts, d)
	}
	return out, nil
}

// Publication is a published ranking (001 (八) 定期公开……综合排名; 004 §14 月通报): the result of
// assess.Score in its public form, the scheme it was scored under, and the audit chain's head when it
// was published, so that anyone can recompute it from its input ([Store.PublicationInput]) with
// assess.Verify (001 (十): 统计分析结果自动生成、不可更改).
type Publication struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	// Scope is the unit whose jurisdiction the ranking covers ("" for all).
	Scope     string        `json:"scope,omitempty"`
	Scheme    assess.Scheme `json:"scheme"`
	Result    assess.Result `json:"result"`
	Chain     ChainHead     `json:"chain"`
	Published time.Time     `json:"published"`
}

type publicationRow struct {
	bun.BaseModel `bun:"table:published_rankings,alias:pr"`
	ID            string `bun:"id,pk"`
	Label         string `bun:"label"`
	Period        string `bun:"period"`
	Scheme        string `bun:"scheme"`
	SchemeVersion string `bun:"scheme_version"`
	Scope         string `bun:"scope"`
	Digest        string `bun:"digest"`
	ChainSize     int64  `bun:"chain_size"`
	ChainHead     string `bun:"chain_head"`
	Result        []byte `bun:"result"`
	SchemeJSON    []byte `bun:"scheme_json"`
	Input         []byte `bun:"input"`
	CreatedUS     int64  `bun:"created_us"`
}

// PublishRanking stores a ranking for publication: it checks first that res is what assess.Score
// gives for in under scheme (assess.Verify), records the audit chain's head, and appends an audit row
// ("ranking.publish") with the digest, so the publication is itself on the chain. Publications are
// append-only. Hotline offices, supervisors and the system publish.
func (s *Store) PublishRanking(ctx context.Context, p Principal, label, scope string, scheme assess.Scheme, in assess.Input,
	res assess.Result, now time.Time) (Publication, error) {
	if err := p.validate(); err != nil {
		return Publication{}, err
	}
	if p.Role != RoleHotlineOffice && p.Role != RoleSupervisor && p.Role != RoleSystem {
		return Publication{}, forbidden(p, "publish rankings")
	}
	if strings.TrimSpace(label) == "" || len([]rune(label)) > 255 || len(scope) > 64 {
		return Publication{}, fmt.Errorf("%w: a publication needs a label of at most 255 characters", ErrInvalid)
	}
	if err := assess.Verify(in, scheme, res); err != nil {
		return Publication{}, fmt.Errorf("%w: the ranking does not verify against its input: %w", ErrInvalid, err)
	}
	pub := Publication{ID: newID(), Label: label, Scope: scope, Scheme: scheme, Result: res.Public(), Published: fromMicros(micros(now))}
	resJSON, err := json.Marshal(pub.Result)
	if err != nil {
		return Publication{}, err
	}
	schemeJSON, err := json.Marshal(scheme)
	if err != nil {
		return Publication{}, err
	}
	inJSON, err := gzipJSON(in)
	if err != nil {
		return Publication{}, err
	}
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		head, err := s.auditHead(ctx, tx)
		if err != nil {
			return err
		}
		pub.Chain = head
		row := publicationRow{ID: pub.ID, Label: label, Period: res.Period.Label, Scheme: scheme.Name, SchemeVersion: scheme.Version,
			Scope: scope, Digest: res.Digest, ChainSize: head.Size, ChainHead: head.Head, Result: resJSON, SchemeJSON: schemeJSON,
			Input: inJSON, CreatedUS: micros(now)}
		if _, err := tx.NewInsert().Model(&row).Exec(ctx); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, now, p.Actor, "ranking.publish", pub.ID, "role="+string(p.Role), "unit="+p.Unit,
			"period="+res.Period.Label, "scheme="+scheme.Name+"@"+scheme.Version, "digest="+res.Digest,
			fmt.Sprintf("chain=%d:%s", head.Size, head.Head))
	})
	if err != nil {
		return Publication{}, err
	}
	return pub, nil
}

func gzipJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := json.NewEncoder(zw).Encode(v); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// MaxPublicationInput bounds the decompressed input of a publication read back.
const MaxPublicationInput = 1 << 30

// Publications returns the published rankings, newest first, without their inputs (at most limit,
// 1–100).
func (s *Store) Publications(ctx context.Context, limit int) ([]Publication, error) {
	if limit <= 0 || limit > 100 {
		return nil, fmt.Errorf("%w: limit %d outside 1–100", ErrInvalid, limit)
	}
	var rows []publicationRow
	if err := s.db.NewSelect().Model(&rows).ExcludeColumn("input").Order("created_us DESC", "id DESC").Limit(int64(limit)).Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]Publication, 0, len(rows))
	for _, r := range rows {
		p, err := decodePublication(r)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// Publication returns published ranking id.
func (s *Store) Publication(ctx context.Context, id string) (Publication, error) {
	var r publicationRow
	if err := s.db.NewSelect().Model(&r).ExcludeColumn("input").Where("id = ?", id).Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return Publication{}, fmt.Errorf("%w: ranking %s", ErrNotFound, clipID(id))
		}
		return Publication{}, err
	}
	return decodePublication(r)
}

// PublicationInput returns the input published ranking id was computed from: its cases (ticket
// numbers, units, region and matter codes, instants and callback answers — no identity) and reviews
// (ratings, channels, windows, staff numbers and the raters' and devices' keyed hashes, which reveal
// only that two reviews came from one device).
func (s *Store) PublicationInput(ctx context.Context, id string) (assess.Input, error) {
	var raw []byte
	if err := s.db.NewSelect().Model((*publicationRow)(nil)).Column("input").Where("id = ?", id).Scan(ctx, &raw); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return assess.Input{}, fmt.Errorf("%w: ranking %s", ErrNotFound, clipID(id))
		}
		return assess.Input{}, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return assess.Input{}, &CorruptError{Table: "published_rankings", Key: id + " input", Err: err}
	}
	var in assess.Input
	if err := json.NewDecoder(io.LimitReader(zr, MaxPublicationInput)).Decode(&in); err != nil {
		return assess.Input{}, &CorruptError{Table: "published_rankings", Key: id + " input", Err: err}
	}
	return in, nil
}

func decodePublication(r publicationRow) (Publication, error) {
	p := Publication{ID: r.ID, Label: r.Label, Scope: r.Scope, Chain: ChainHead{Size: r.ChainSize, Head: r.ChainHead},
		Published: fromMicros(r.CreatedUS)}
	if err := json.Unmarshal(r.Result, &p.Result); err != nil {
		return p, &CorruptError{Table: "published_rankings", Key: r.ID + " result", Err: err}
	}
	if err := json.Unmarshal(r.SchemeJSON, &p.Scheme); err != nil {
		return p, &CorruptError{Table: "published_rankings", Key: r.ID + " scheme", Err: err}
	}
	return p, nil
}

// PublicUnitNames maps every unit of the directory to its name: the names of government units are
// public, and published rankings name units by id.
func (s *Store) PublicUnitNames(ctx context.Context) (map[string]string, error) {
	var rows []unitRow
	if err := s.db.NewSelect().Model(&rows).Column("id", "name").Scan(ctx); err != nil {
		return nil, err
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, nil
}
