package server

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/internal/strictjson"
	"github.com/hotline12345/hotline/server/loop"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/ticket"
)

// The rating forms of 001: the page a registered service window's QR code opens (001 (四): 线下实体窗口
// 配置“好差评”二维码，企业群众扫码评价), GET/POST /public/windows/:id, and the page a citizen opens
// from a one-time link to rate a replied ticket (001 (九): 网上自助评价), /rate/ticket/:token. Both
// are the one template rate.html: the five levels and the six indicators of 001 (二) and an optional
// text, which is kept whatever the level (published scrubbed, store.PublicReviews).
//
// A window's rating is written by store.RateWindow — the one write path of a window's review:
// channel service_hall (线下实体窗口) naming the window and the member of staff, the rater's address and
// device only as keyed hashes, and for a bad one a review ticket in the same transaction (001 (六)).
// The windows are the registered ones (server/windows.go: revocable, with their staff lists, the
// QR codes and the hall's printed sheet all open this page).
//
// A ticket's link is signed with HMAC-SM3 under the store's key (store.LinkMAC) and names the ticket,
// a random nonce and an expiry; it works once: the review's ID is derived from the nonce, and the
// store refuses a second review under it.
//
// Duplicate and rapid-fire submissions: every POST of both forms passes limitSubmissions (per client
// address and form, the limiter of ratelimit.go), and a device (a random cookie) rates a window once
// per fixed half-hour slot (:00–:30, :30–:00): the review's ID is derived from the device, the window
// and the slot, so the same form sent twice, or again from the same phone, within a slot is
// ErrDuplicate. Two sent a moment apart across a slot's end are both kept (and two bad ones open two
// tickets); a client that refuses the cookie is limited by its address only.

const (
	linkTicket = "rating-ticket"
	// ticketLinkTTL is how long a ticket's rating link works.
	ticketLinkTTL = 30 * 24 * time.Hour
	// windowBucket is how often a device may rate one window.
	windowBucket = 30 * time.Minute
	deviceCookie = "hotline_device"
	// maxRatingText bounds the optional text, in characters (store.MaxComment).
	maxRatingText = store.MaxComment
	// maxTokenBytes bounds a link's token.
	maxTokenBytes = 1024
)

// ratingPrincipal is who records the reviews of the forms: the platform.
var ratingPrincipal = store.Principal{Actor: "web:rating", Role: store.RoleSystem}

// ticketClaim is what a ticket's rating link names.
type ticketClaim struct {
	Ticket  string `json:"t"`
	Nonce   string `json:"n"`
	Expires int64  `json:"e"`
}

var b64 = base64.RawURLEncoding

// signToken encodes claim as base64url(JSON) "." base64url(HMAC-SM3).
func (s *server) signToken(ctx context.Context, purpose string, claim any) (string, error) {
	body, err := json.Marshal(claim)
	if err != nil {
		return "", err
	}
	mac, err := s.store.LinkMAC(purpose, body)
	if err != nil {
		return "", err
	}
	return b64.EncodeToString(body) + "." + b64.EncodeToString(mac), nil
}

// errBadLink: a rating link that is malformed, altered, expired or already used.
var errBadLink = errors.New("server: invalid or expired rating link")

// openToken checks a token's signature and decodes its claim strictly.
func (s *server) openToken(purpose, token string, claim any) error {
	if len(token) > maxTokenBytes {
		return errBadLink
	}
	body64, mac64, ok := strings.Cut(token, ".")
	if !ok {
		return errBadLink
	}
	body, err := b64.DecodeString(body64)
	if err != nil {
		return errBadLink
	}
	mac, err := b64.DecodeString(mac64)
	if err != nil {
		return errBadLink
	}
	want, err := s.store.LinkMAC(purpose, body)
	if err != nil {
		return err
	}
	if !hmac.Equal(mac, want) {
		return errBadLink
	}
	if err := strictjson.Decode(body, claim, maxTokenBytes); err != nil {
		return errBadLink
	}
	return nil
}

// ticketRatingToken issues a one-time rating link for ticket id, valid ticketLinkTTL from now.
func (s *server) ticketRatingToken(ctx context.Context, id string, now time.Time) (string, time.Time, error) {
	var raw [16]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", time.Time{}, err
	}
	expires := now.Add(ticketLinkTTL)
	tok, err := s.signToken(ctx, linkTicket, ticketClaim{Ticket: id, Nonce: hex.EncodeToString(raw[:]), Expires: expires.Unix()})
	return tok, expires, err
}

// rateForm is the rating form's data.
type rateForm struct {
	Ticket, Subject, Action string
	Levels, Dimensions      []option
	// Staff lists a window's staff to name one (none selected: option Value "").
	Staff []option
}

func ratingOptions() rateForm {
	f := rateForm{}
	for _, r := range assess.Ratings() {
		f.Levels = append(f.Levels, option{Value: string(r), Label: r.Label()})
	}
	for _, d := range assess.Dimensions() {
		f.Dimensions = append(f.Dimensions, option{Value: string(d), Label: d.Label()})
	}
	return f
}

func badLinkPage() error {
	return &pageError{status: http.StatusNotFound, title: "链接无效", message: "评价链接无效、已过期或已使用。"}
}

// rateWindowPage shows the form a window's QR code opens (?staff= preselects the member of staff a
// personal code names), and gives the device its cookie.
func (s *server) rateWindowPage(c echo.Context) error {
	w, unitName, err := s.store.PublicWindow(c.Request().Context(), c.Param("id"))
	if errors.Is(err, store.ErrNotFound) {
		return noWindowPage()
	}
	if err != nil {
		return err
	}
	s.deviceID(c)
	f := ratingOptions()
	f.Subject = w.Hall + " · " + w.Name
	if unitName != "" {
		f.Subject += "（" + unitName + "）"
	}
	f.Action = "/public/windows/" + url.PathEscape(w.ID)
	if len(w.Staff) > 0 {
		f.Staff = []option{{Value: "", Label: "（不指定）"}}
		for _, st := range w.Staff {
			f.Staff = append(f.Staff, option{Value: st.ID, Label: st.Name + "（工号 " + st.ID + "）", Selected: st.ID == c.QueryParam("staff")})
		}
	}
	return s.render(c, http.StatusOK, "rate", view{Title: "窗口服务评价", Data: f})
}

func noWindowPage() error {
	return &pageError{status: http.StatusNotFound, title: "未找到窗口", message: "二维码对应的窗口不存在或已撤销。"}
}

// deviceID returns the device's random identifier, setting its cookie when it has none.
func (s *server) deviceID(c echo.Context) string {
	if ck, err := c.Cookie(deviceCookie); err == nil && len(ck.Value) == 32 {
		if _, err := hex.DecodeString(ck.Value); err == nil {
			return ck.Value
		}
	}
	var raw [16]byte
	_, _ = rand.Read(raw[:])
	id := hex.EncodeToString(raw[:])
	c.SetCookie(&http.Cookie{Name: deviceCookie, Value: id, Path: "/public/windows/", MaxAge: 365 * 24 * 3600, HttpOnly: true,
		Secure: s.secure(c), SameSite: http.SameSiteLaxMode})
	return id
}

// readRating reads the form's rating, dimensions and text.
func readRating(c echo.Context) (assess.Rating, map[assess.Dimension]assess.Rating, string, error) {
	if mt, _, err := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType)); err != nil || mt != echo.MIMEApplicationForm {
		return "", nil, "", &pageError{status: http.StatusUnsupportedMediaType, title: "评价未提交", message: "请通过评价页面提交。"}
	}
	r, err := assess.ParseRating(c.FormValue("rating"))
	if err != nil || r == "" {
		return "", nil, "", &pageError{status: http.StatusUnprocessableEntity, title: "请选择评价", message: "请选择总体评价（五个等级之一）。"}
	}
	dims := map[assess.Dimension]assess.Rating{}
	for _, d := range assess.Dimensions() {
		v := c.FormValue("dim_" + string(d))
		if v == "" {
			continue
		}
		dr, err := assess.ParseRating(v)
		if err != nil {
			return "", nil, "", &pageError{status: http.StatusUnprocessableEntity, title: "评价有误", message: "分项评价“" + d.Label() + "”的取值无效。"}
		}
		dims[d] = dr
	}
	text := strings.TrimSpace(c.FormValue("text"))
	if utf8.RuneCountInString(text) > maxRatingText {
		return "", nil, "", &pageError{status: http.StatusUnprocessableEntity, title: "内容过长", message: fmt.Sprintf("意见建议请不超过 %d 字。", maxRatingText)}
	}
	if len(dims) == 0 {
		dims = nil
	}
	return r, dims, text, nil
}

// hashID is a short keyed hash, so that a rater or device is recognisable to the fraud signals
// (assess.FakePraise, MaliciousBad) without being identifiable.
func (s *server) hashID(purpose, v string) (string, error) {
	mac, err := s.store.LinkMAC(purpose, []byte(v))
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(mac[:16]), nil
}

// rateWindow records a window's rating through store.RateWindow (see the top of this file).
func (s *server) rateWindow(c echo.Context) error {
	rating, dims, text, err := readRating(c)
	if err != nil {
		return err
	}
	id := c.Param("id")
	now := s.now()
	device := s.deviceID(c)
	// The review's ID: one per device, window and fixed half-hour slot (a UUID, as store.WindowRating wants).
	key, err := s.hashID("rating-window-id", fmt.Sprintf("%s|%s|%d", id, device, now.Unix()/int64(windowBucket/time.Second)))
	if err != nil {
		return err
	}
	res, err := s.store.RateWindow(c.Request().Context(), store.WindowRating{Window: id, Token: uuid.NewSHA1(uuid.NameSpaceURL, []byte(key)).String(),
		Rating: rating, Dimensions: dims, Staff: c.FormValue("staff"), Comment: text, IP: c.RealIP(), UserAgent: c.Request().UserAgent()}, now)
	switch {
	case errors.Is(err, store.ErrDuplicate):
		return s.render(c, http.StatusConflict, "rate_done", view{Title: "已评价", Data: rateDone{
			Message: "您刚才已经评价过本窗口，感谢您的参与。"}})
	case errors.Is(err, store.ErrNotFound):
		return noWindowPage()
	case errors.Is(err, store.ErrInvalid):
		return &pageError{status: http.StatusUnprocessableEntity, title: "评价未提交", message: "所选服务人员不是本窗口人员，请返回重新选择。"}
	case err != nil:
		return err
	}
	return s.rated(c, rating, res.Number)
}

// rateDone is the page after a rating: thanks, and the number of the ticket a bad one opened.
type rateDone struct {
	Message, Number string
}

func (s *server) rated(c echo.Context, r assess.Rating, number string) error {
	msg := "感谢您的评价！您的意见将用于改进政务服务。"
	if r.Bad() {
		msg = "感谢您的评价。您的差评已转 12345 热线办理，承办单位将在 1 个工作日内先行联系，按“1、5、15”时限整改反馈（001（六））。"
	}
	return s.render(c, http.StatusCreated, "rate_done", view{Title: "感谢您的评价", Data: rateDone{Message: msg, Number: number}})
}

// recordRating records rv, a rating of ticket ticketID, as the platform, through the checks of POST
// /v1/reviews (checkReview), with the citizen's text as its comment whatever the level: a good review
// is linked to the ticket; a bad one opens the review ticket server/loop.ReviewIntake builds, with the
// text as its content and the rated ticket's citizen and place. It answers the number of the ticket a
// bad review opened.
func (s *server) recordRating(ctx context.Context, rv assess.Review, ticketID, text string, rated *ticket.Ticket) (string, error) {
	if err := checkReview(rv); err != nil {
		return "", err
	}
	now := s.now()
	if !rv.Rating.Bad() {
		return "", s.store.PutReviewWithComment(ctx, ratingPrincipal, rv, ticketID, text, now)
	}
	in := ticket.Intake{Content: text, Citizen: rated.Citizen, Place: rated.Place, Matter: rated.Matter,
		Title: "对工单 " + rated.Number.String() + " 的差评"}
	if in.Content == "" {
		in.Content = "市民通过评价链接对工单 " + rated.Number.String() + " 的办理给予差评。"
	}
	in, err := loop.ReviewIntake(rv, in)
	if err != nil {
		return "", err
	}
	res, err := s.store.IntakeReview(ctx, ratingPrincipal, store.ReviewIntakeRequest{Review: rv, Ticket: &in, Comment: text}, now)
	if err == nil && res.Replayed {
		return "", fmt.Errorf("%w: review %s", store.ErrDuplicate, rv.ID)
	}
	if err != nil {
		return "", err
	}
	if res.Ticket != nil {
		return res.Ticket.Number, nil
	}
	return "", nil
}

// ratedTicket opens a ticket's rating link: its claim and the ticket, which must have been replied.
func (s *server) ratedTicket(c echo.Context) (ticketClaim, *ticket.Ticket, error) {
	var tc ticketClaim
	if err := s.openToken(linkTicket, c.Param("token"), &tc); err != nil {
		if errors.Is(err, errBadLink) {
			return tc, nil, badLinkPage()
		}
		return tc, nil, err
	}
	if !s.now().Before(time.Unix(tc.Expires, 0)) || len(tc.Nonce) != 32 {
		return tc, nil, badLinkPage()
	}
	rec, err := s.store.Get(c.Request().Context(), ratingPrincipal, tc.Ticket)
	if errors.Is(err, store.ErrNotFound) {
		return tc, nil, badLinkPage()
	}
	if err != nil {
		return tc, nil, err
	}
	if rec.Ticket.Reply == nil || rec.Ticket.Assignment.Lead == "" {
		return tc, nil, &pageError{status: http.StatusConflict, title: "尚未办结", message: "该工单尚未办结答复，办结后再请评价。"}
	}
	if _, err := s.store.Review(c.Request().Context(), ratingPrincipal, "link-"+tc.Nonce); err == nil {
		return tc, nil, badLinkPage()
	}
	return tc, rec.Ticket, nil
}

// rateTicketPage shows the form of a ticket's rating link.
func (s *server) rateTicketPage(c echo.Context) error {
	_, t, err := s.ratedTicket(c)
	if err != nil {
		return err
	}
	f := ratingOptions()
	f.Ticket = t.Number.String()
	f.Subject = "承办单位：" + s.unitName(c.Request().Context(), t.Assignment.Lead) + "；答复要点：" + t.Reply.Summary
	f.Action = "/rate/ticket/" + c.Param("token")
	return s.render(c, http.StatusOK, "rate", view{Title: "工单评价", Data: f})
}

// rateTicket records the rating of a ticket's link, once.
func (s *server) rateTicket(c echo.Context) error {
	tc, t, err := s.ratedTicket(c)
	if err != nil {
		return err
	}
	rating, dims, text, err := readRating(c)
	if err != nil {
		return err
	}
	rater, err := s.hashID("rater", "ticket:"+tc.Ticket)
	if err != nil {
		return err
	}
	// The ticket's channel when 好差评 knows it (001 (一)), else other.
	ch, err := assess.ParseChannel(string(t.Channel))
	if err != nil {
		ch = assess.ChannelOther
	}
	rv := assess.Review{ID: "link-" + tc.Nonce, Rating: rating, Dimensions: dims, Channel: ch,
		Matter: t.Matter.Code(), Unit: t.Assignment.Lead, Rater: rater, At: s.now()}
	number, err := s.recordRating(c.Request().Context(), rv, tc.Ticket, text, t)
	if errors.Is(err, store.ErrDuplicate) {
		return badLinkPage()
	}
	if err != nil {
		return err
	}
	return s.rated(c, rating, number)
}
