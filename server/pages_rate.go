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
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/internal/strictjson"
	"github.com/hotline12345/hotline/server/loop"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/ticket"
)

// The rating forms of 001: the page a window's QR code opens (001 (四): 线下实体窗口配置“好差评”二维码，
// 企业群众扫码评价) and the page a citizen opens from a one-time link to rate a replied ticket (001 (九):
// 网上自助评价). Both take the five levels and the six indicators of 001 (二) and an optional text, and
// record the review through store.IntakeReview as the platform (a principal of role system), the
// same path as POST /v1/reviews: a bad review opens its review ticket (001 (六)).
//
// Links are signed with HMAC-SM3 under the store's key (store.LinkMAC): a window's QR code names the
// unit and window; a ticket's link names the ticket, a random nonce and an expiry. A ticket's link
// works once: the review's ID is derived from the nonce, and the store refuses a second review
// under it. Rapid-fire submissions are limited per client address (limitSubmissions), and a device
// (a random cookie) rates a window once per half hour: the review's ID is derived from the device,
// the window and the half hour.

const (
	linkWindow = "rating-window"
	linkTicket = "rating-ticket"
	// ticketLinkTTL is how long a ticket's rating link works.
	ticketLinkTTL = 30 * 24 * time.Hour
	// windowBucket is how often a device may rate one window.
	windowBucket = 30 * time.Minute
	deviceCookie = "hotline_device"
	// maxRatingText bounds the optional text, in characters.
	maxRatingText = 500
	// maxTokenBytes bounds a link's token.
	maxTokenBytes = 1024
)

// ratingPrincipal is who records the reviews of the forms: the platform.
var ratingPrincipal = store.Principal{Actor: "web:rating", Role: store.RoleSystem}

// windowClaim is what a window's QR code names.
type windowClaim struct {
	Unit   string `json:"u"`
	Window string `json:"w"`
	Staff  string `json:"s,omitempty"`
}

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

// WindowRatingURL is the path a window's QR code opens (001 (四)): the rating form for that unit's
// window (and, if given, staff member), signed so that it cannot be altered.
func (s *server) windowRatingPath(ctx context.Context, unit, window, staff string) (string, error) {
	tok, err := s.signToken(ctx, linkWindow, windowClaim{Unit: unit, Window: window, Staff: staff})
	if err != nil {
		return "", err
	}
	return "/rate/window/" + tok, nil
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

// rateWindowPage shows the form a window's QR code opens, and gives the device its cookie.
func (s *server) rateWindowPage(c echo.Context) error {
	var wc windowClaim
	if err := s.openToken(linkWindow, c.Param("token"), &wc); err != nil {
		if errors.Is(err, errBadLink) {
			return badLinkPage()
		}
		return err
	}
	s.deviceID(c)
	f := ratingOptions()
	f.Subject = s.unitName(c.Request().Context(), wc.Unit) + " · " + wc.Window
	f.Action = "/rate/window/" + c.Param("token")
	return s.render(c, http.StatusOK, "rate", view{Title: "服务评价", Data: f})
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
	c.SetCookie(&http.Cookie{Name: deviceCookie, Value: id, Path: "/rate/", MaxAge: 365 * 24 * 3600, HttpOnly: true,
		Secure: s.secure(c), SameSite: http.SameSiteLaxMode})
	return id
}

// readRating reads the form's rating, dimensions and text.
func readRating(c echo.Context) (assess.Rating, map[assess.Dimension]assess.Rating, string, error) {
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

// rateWindow records a window's rating: channel window_offline, the window and staff the QR code
// names, the device's hashed identifiers.
func (s *server) rateWindow(c echo.Context) error {
	var wc windowClaim
	if err := s.openToken(linkWindow, c.Param("token"), &wc); err != nil {
		if errors.Is(err, errBadLink) {
			return badLinkPage()
		}
		return err
	}
	rating, dims, text, err := readRating(c)
	if err != nil {
		return err
	}
	now := s.now()
	device := s.deviceID(c)
	bucket := now.Unix() / int64(windowBucket/time.Second)
	id, err := s.hashID("rating-window-id", fmt.Sprintf("%s|%s|%s|%d", wc.Unit, wc.Window, device, bucket))
	if err != nil {
		return err
	}
	rater, err := s.hashID("rater", "device:"+device)
	if err != nil {
		return err
	}
	dev, err := s.hashID("device", c.RealIP()+"|"+c.Request().UserAgent())
	if err != nil {
		return err
	}
	// 001 (四): the QR code at a service window is the channel of 线下实体窗口.
	rv := assess.Review{ID: "qr-" + id, Rating: rating, Dimensions: dims, Channel: assess.ChannelServiceHall,
		Unit: wc.Unit, Window: wc.Window, Staff: wc.Staff, Rater: rater, Device: dev, At: now}
	if err := s.recordRating(c.Request().Context(), rv, "", text, nil); err != nil {
		if errors.Is(err, store.ErrDuplicate) {
			return s.render(c, http.StatusConflict, "rate_done", view{Title: "已评价", Data: map[string]any{
				"Message": "您刚才已经评价过本窗口，感谢您的参与。"}})
		}
		return err
	}
	return s.rated(c, rating)
}

func (s *server) rated(c echo.Context, r assess.Rating) error {
	msg := "感谢您的评价！您的意见将用于改进政务服务。"
	if r.Bad() {
		msg = "感谢您的评价。您的差评已转 12345 热线办理，承办单位将在 1 个工作日内先行联系，按“1、5、15”时限整改反馈（001（六））。"
	}
	return s.render(c, http.StatusCreated, "rate_done", view{Title: "感谢您的评价", Data: map[string]any{"Message": msg}})
}

// recordRating records rv as the platform, through the checks of POST /v1/reviews (checkReview) and,
// for a bad review, with the review ticket server/loop.ReviewIntake builds: the citizen's text as its
// content, and the rated ticket's citizen and place when there is one. A good review about a ticket
// is linked to it.
func (s *server) recordRating(ctx context.Context, rv assess.Review, ticketID, text string, rated *ticket.Ticket) error {
	if err := checkReview(rv); err != nil {
		return err
	}
	now := s.now()
	if !rv.Rating.Bad() {
		if ticketID != "" {
			return s.store.PutReview(ctx, ratingPrincipal, rv, ticketID, now)
		}
		res, err := s.store.IntakeReview(ctx, ratingPrincipal, store.ReviewIntakeRequest{Review: rv}, now)
		if err == nil && res.Replayed {
			return fmt.Errorf("%w: review %s", store.ErrDuplicate, rv.ID)
		}
		return err
	}
	in := ticket.Intake{Content: text}
	if rated != nil {
		in.Citizen, in.Place, in.Matter = rated.Citizen, rated.Place, rated.Matter
		in.Title = "对工单 " + rated.Number.String() + " 的差评"
		if in.Content == "" {
			in.Content = "市民通过评价链接对工单 " + rated.Number.String() + " 的办理给予差评。"
		}
	}
	in, err := loop.ReviewIntake(rv, in)
	if err != nil {
		return err
	}
	res, err := s.store.IntakeReview(ctx, ratingPrincipal, store.ReviewIntakeRequest{Review: rv, Ticket: &in}, now)
	if err == nil && res.Replayed {
		return fmt.Errorf("%w: review %s", store.ErrDuplicate, rv.ID)
	}
	return err
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
	if err := s.recordRating(c.Request().Context(), rv, tc.Ticket, text, t); err != nil {
		if errors.Is(err, store.ErrDuplicate) {
			return badLinkPage()
		}
		return err
	}
	return s.rated(c, rating)
}
