package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/makiuchi-d/gozxing"
	gozxingqr "github.com/makiuchi-d/gozxing/qrcode"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/server"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/server/storetest"
	"github.com/hotline12345/hotline/ticket"
)

// addrs hands out a fresh client address per request, so that tests other than the limiter's do not
// run into it.
var addrs atomic.Int64

func from(req *http.Request, addr string) *http.Request {
	if addr == "" {
		n := addrs.Add(1)
		addr = fmt.Sprintf("10.%d.%d.%d:4000", n>>16&0xff, n>>8&0xff, n&0xff)
	}
	req.RemoteAddr = addr
	return req
}

// publicGet reads a public route from its own address.
func (c *client) publicGet(path string, header ...string) *httptest.ResponseRecorder {
	c.t.Helper()
	req := from(httptest.NewRequest(http.MethodGet, path, nil), "")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return c.do(req)
}

// publicPage reads a page (not an operation of the API: its answer is not checked against
// openapi.yaml) from its own address.
func (c *client) publicPage(path string) *httptest.ResponseRecorder {
	c.t.Helper()
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, from(httptest.NewRequest(http.MethodGet, path, nil), ""))
	return rec
}

// rate posts the rating form of window id as a browser does (Sec-Fetch-Site: same-origin passes the
// CSRF check), from a phone with device cookie device ("" for a phone that keeps no cookie).
func (c *client) rate(id string, form url.Values, addr, ua, device string) *httptest.ResponseRecorder {
	c.t.Helper()
	req := from(httptest.NewRequest(http.MethodPost, "/public/windows/"+id, strings.NewReader(form.Encode())), addr)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("User-Agent", ua)
	if device != "" {
		req.AddCookie(&http.Cookie{Name: "hotline_device", Value: device})
	}
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, req)
	return rec
}

func putWindows(t *testing.T, f fixture, k keys) {
	t.Helper()
	for id, body := range map[string]string{
		"bs-03": `{"unit":"unit-a","hall":"宝山区行政服务中心","name":"3号综合窗口","staff":[{"id":"0301","name":"窗口一"},{"id":"0302","name":"窗口二"}]}`,
		"bs-07": `{"unit":"unit-b","hall":"宝山区行政服务中心","name":"7号房管窗口"}`,
	} {
		rec := f.send(http.MethodPut, "/v1/windows/"+id, body, "Authorization", k["office"])
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	}
}

func decodeQR(t *testing.T, pngBytes []byte) string {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(pngBytes))
	require.NoError(t, err)
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	require.NoError(t, err)
	res, err := gozxingqr.NewQRCodeReader().Decode(bmp, nil)
	require.NoError(t, err)
	return res.GetText()
}

// Each window has a QR code (PNG and SVG) that decodes to its rating form's URL, and a hall has a
// printable sheet of them (001 (四)).
func TestWindowQRCodes(t *testing.T) {
	f := newServer(t)
	k := seedTickets(t, f.store)
	putWindows(t, f, k)

	rec := f.get("/v1/windows?hall="+url.QueryEscape("宝山区行政服务中心"), "Authorization", k["unit-b"])
	require.Equal(t, http.StatusOK, rec.Code)
	var list server.WindowsResponse
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &list))
	require.Len(t, list.Items, 2)
	assert.Equal(t, "3号综合窗口", list.Items[0].Name)

	rec = f.get("/v1/windows/bs-03/qr.png?size=300", "Authorization", k["office"])
	require.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, "image/png", rec.Header().Get("Content-Type"))
	assert.Equal(t, "http://example.com/public/windows/bs-03", decodeQR(t, rec.Body.Bytes()), "the request's own site by default")

	rec = f.get("/v1/windows/bs-03/qr.png?staff=0302&base="+url.QueryEscape("https://12345.example.gov.cn/"), "Authorization", k["office"])
	require.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, "https://12345.example.gov.cn/public/windows/bs-03?staff=0302", decodeQR(t, rec.Body.Bytes()))

	rec = f.get("/v1/windows/bs-07/qr.svg", "Authorization", k["office"])
	require.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, "image/svg+xml", rec.Header().Get("Content-Type"))
	assert.True(t, strings.HasPrefix(rec.Body.String(), "<svg"))

	rec = f.get("/v1/windows/sheet?each_staff=true&hall="+url.QueryEscape("宝山区行政服务中心"), "Authorization", k["office"])
	require.Equal(t, http.StatusOK, rec.Code)
	page := rec.Body.String()
	assert.Equal(t, 3, strings.Count(page, "<svg"), "a card per member of staff at bs-03, one for bs-07")
	assert.Contains(t, page, "http://example.com/public/windows/bs-03?staff=0301")
	assert.Contains(t, page, "7号房管窗口")
	assert.Contains(t, page, "宝山区房管局")

	for _, tt := range []struct {
		path  string
		code  int
		field string
	}{
		{"/v1/windows/bs-99/qr.svg", 404, ""},
		{"/v1/windows/bs-03/qr.png?size=10", 400, "size"},
		{"/v1/windows/bs-03/qr.png?staff=9999", 400, "staff"},
		{"/v1/windows/bs-03/qr.svg?base=javascript:alert(1)", 400, "base"},
		{"/v1/windows/bs-03/qr.svg?base=" + url.QueryEscape("https://x.example/?a=1"), 400, "base"},
		{"/v1/windows/sheet", 400, "hall"},
	} {
		rec := f.get(tt.path, "Authorization", k["office"])
		assert.Equal(t, tt.code, rec.Code, tt.path)
		assert.Equal(t, tt.field, problemOf(t, rec.Body.Bytes()).Field, tt.path)
	}
	assert.Equal(t, http.StatusForbidden, f.send(http.MethodPut, "/v1/windows/x", `{"unit":"unit-a","hall":"h","name":"n"}`, "Authorization", k["unit-a"]).Code)
	assert.Equal(t, http.StatusBadRequest, f.send(http.MethodPut, "/v1/windows/x", `{"unit":"nobody","hall":"h","name":"n"}`, "Authorization", k["office"]).Code)
	assert.Equal(t, http.StatusBadRequest, f.send(http.MethodPut, "/v1/windows/x", `{"unit":"unit-a","hall":"h","name":"n","color":1}`, "Authorization", k["office"]).Code)
	assert.Equal(t, http.StatusUnauthorized, f.get("/v1/windows").Code)
}

// A rating through a window's QR code is a review of the offline channel with the window and staff it
// names, the rater's address and device only as keyed hashes; a bad one opens a ticket (001 (四); 000
// §2); the fraud signals see the hashes (001 (十)).
func TestRatingForm(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, st *store.Store) { ratingForm(t, st) })
}

func ratingForm(t *testing.T, st *store.Store) {
	f := newServerOn(t, st)
	f.client = &client{t: t, h: f.h}
	k := seedTickets(t, st)
	putWindows(t, f, k)
	ctx := context.Background()
	super := store.Principal{Actor: "inspector", Unit: "dcj", Role: store.RoleSupervisor}

	rec := f.publicPage("/public/windows/bs-03?staff=0302")
	require.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
	assert.Contains(t, rec.Body.String(), "3号综合窗口")
	assert.Contains(t, rec.Body.String(), `value="0302" selected`)
	assert.Empty(t, rec.Header().Get("X-Cache"), "the form is never cached")
	assert.Contains(t, strings.Join(rec.Header().Values("Set-Cookie"), "\n"), "hotline_device=", "the phone gets its device cookie")

	const phone = "0123456789abcdef0123456789abcdef"
	good := url.Values{"rating": {"very_satisfied"}, "staff": {"0301"}, "dim_attitude": {"satisfied"}, "text": {"办事很快"}}
	rec = f.rate("bs-03", good, "203.0.113.9:5000", "Mozilla/5.0 (iPhone) 随申办", phone)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	assert.Contains(t, rec.Body.String(), "感谢您的评价")

	bad := url.Values{"rating": {"very_dissatisfied"}, "text": {"等了两个小时"}}
	rec = f.rate("bs-07", bad, "203.0.113.9:5001", "Mozilla/5.0 (iPhone) 随申办", phone)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	m := regexp.MustCompile(`工单编号：(HL-[0-9A-Z-]+)`).FindStringSubmatch(rec.Body.String())
	require.NotNil(t, m, "a bad rating opens a ticket and says its number")

	t.Run("the reviews", func(t *testing.T) {
		rs, err := st.Reviews(ctx, super, "unit-a", nov(1, 0), nov(30, 23))
		require.NoError(t, err)
		require.Len(t, rs, 1)
		r := rs[0]
		assert.Equal(t, assess.ChannelServiceHall, r.Channel)
		assert.Equal(t, "bs-03", r.Window)
		assert.Equal(t, "0301", r.Staff)
		assert.Equal(t, map[assess.Dimension]assess.Rating{assess.DimAttitude: assess.Satisfied}, r.Dimensions)
		assert.Len(t, r.Rater, 64)
		assert.Len(t, r.Device, 64)
		h, err := st.RaterHash("reviews.rater", "203.0.113.9")
		require.NoError(t, err)
		assert.Equal(t, h, r.Rater, "the connection's address, keyed")
	})
	t.Run("the bad rating's ticket", func(t *testing.T) {
		recs, err := st.ReviewRecords(ctx, super, nov(1, 0), nov(30, 23))
		require.NoError(t, err)
		var ticketID string
		for _, r := range recs {
			if r.Review.Unit == "unit-b" {
				ticketID = r.Ticket
			}
		}
		require.NotEmpty(t, ticketID)
		rec, err := st.Get(ctx, super, ticketID)
		require.NoError(t, err)
		assert.Equal(t, m[1], rec.Ticket.Number.String())
		assert.Equal(t, ticket.KindReview, rec.Ticket.Kind)
		assert.Equal(t, ticket.ChannelBadReview, rec.Ticket.Channel)
		assert.Contains(t, rec.Ticket.Content, "等了两个小时")
	})
	t.Run("refusals are pages", func(t *testing.T) {
		for _, tt := range []struct {
			id     string
			form   url.Values
			code   int
			device string
		}{
			{"bs-07", bad, http.StatusConflict, phone}, // the same phone again within the half hour
			{"bs-03", url.Values{"rating": {"great"}}, http.StatusUnprocessableEntity, ""},
			{"bs-03", url.Values{"rating": {"satisfied"}, "staff": {"9999"}}, http.StatusUnprocessableEntity, ""},
			{"bs-03", url.Values{"rating": {"satisfied"}, "dim_attitude": {"meh"}}, http.StatusUnprocessableEntity, ""},
			{"bs-03", url.Values{"rating": {"satisfied"}, "text": {strings.Repeat("长", 501)}}, http.StatusUnprocessableEntity, ""},
			{"bs-99", url.Values{"rating": {"satisfied"}}, http.StatusNotFound, ""},
		} {
			rec := f.rate(tt.id, tt.form, "", "ua", tt.device)
			assert.Equal(t, tt.code, rec.Code, "%s %v: %s", tt.id, tt.form, rec.Body.String())
			assert.Contains(t, rec.Header().Get("Content-Type"), "text/html")
		}
		req := from(httptest.NewRequest(http.MethodPost, "/public/windows/bs-03", strings.NewReader(`{"rating":"satisfied"}`)), "")
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		rec := httptest.NewRecorder()
		f.h.ServeHTTP(rec, req)
		assert.Equal(t, http.StatusUnsupportedMediaType, rec.Code)
		assert.Equal(t, http.StatusNotFound, f.publicPage("/public/windows/bs-99").Code)
	})
	t.Run("five quick praises from one phone are a fake-praise signal", func(t *testing.T) {
		for range 5 {
			// A phone that drops its cookie each time: the device's hash still names it.
			rec := f.rate("bs-03", url.Values{"rating": {"very_satisfied"}}, "198.51.100.7:6000", "same phone", "")
			require.Equal(t, http.StatusCreated, rec.Code)
		}
		rs, err := st.Reviews(ctx, super, "unit-a", nov(1, 0), nov(30, 23))
		require.NoError(t, err)
		sig, err := assess.FakePraise(rs, assess.DefaultFakePraise())
		require.NoError(t, err)
		require.NotEmpty(t, sig)
		dev, err := st.RaterHash("reviews.device", "same phone")
		require.NoError(t, err)
		var kinds []string
		for _, s := range sig {
			kinds = append(kinds, s.By)
		}
		assert.Contains(t, kinds, "device:"+dev)
	})
}

var (
	mobileRE = regexp.MustCompile(`1[3-9][0-9]{9}`)
	idRE     = regexp.MustCompile(`[0-9]{17}[0-9Xx]`)
)

// No public response shows a citizen's identity: every public route is read, JSON and pages, and
// scanned for the phone and ID numbers and names of the seeded citizens and for any mobile or ID
// number at all (000 第十条; 001 (八), (十)).
func TestPublicShowsNoPII(t *testing.T) {
	f := newServer(t)
	k := seedTickets(t, f.store)
	putWindows(t, f, k)
	ctx := context.Background()
	const id2 = "11010519491231002X"
	// Citizens through the API.
	rec := f.send(http.MethodPost, "/v1/tickets", intakeBody, "Authorization", k["office"])
	require.Equal(t, http.StatusCreated, rec.Code)
	var zhang server.IntakeResponse
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &zhang))
	body := strings.NewReplacer(`"phone":"13812345678"`, `"id_number":"`+id2+`","phone":"13900001111"`, "张三", "李四").Replace(intakeBody)
	rec = f.send(http.MethodPost, "/v1/tickets", body, "Authorization", k["office"])
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	// 张三's ticket came from a review; the unit replies naming him and his number.
	require.NoError(t, f.store.PutReview(ctx, pSystem, assess.Review{ID: "rv-zhang", Rating: assess.Dissatisfied, Unit: "unit-a",
		Channel: assess.ChannelPhone, At: nov(29, 10)}, zhang.ID, nov(29, 10)))
	ua := store.Principal{Actor: "clerk", Unit: "unit-a", Role: store.RoleHandlingUnit}
	_, err := f.store.Apply(ctx, pOffice, zhang.ID, 1, ticket.Request{Action: ticket.ActionDispatch,
		Payload: ticket.Payload{Dispatch: &ticket.Dispatch{Lead: "unit-a", DispatchMode: ticket.DispatchStatutory}}}, fixedNow)
	require.NoError(t, err)
	_, err = f.store.Apply(ctx, ua, zhang.ID, 2, ticket.Request{Action: ticket.ActionFirstContact}, fixedNow)
	require.NoError(t, err)
	_, err = f.store.Apply(ctx, ua, zhang.ID, 3, ticket.Request{Action: ticket.ActionReply, Payload: ticket.Payload{Reply: &ticket.Reply{
		Report: "已整改", Summary: "张三先生您好，已致电13812345678说明整改情况，地址宝山区友谊路1号", Outcome: ticket.OutcomeResolved}}}, fixedNow)
	require.NoError(t, err)
	// A rater writes numbers into a comment. (A name an anonymous rater types is not known to be
	// anyone's and is published as written: ticket/privacy masks names only where the identity is
	// known, as in the reply below.)
	rec = f.rate("bs-03", url.Values{"rating": {"dissatisfied"},
		"text": {"办了三次没办成，电话 139-0000-1111，身份证" + id2}}, "", "ua", "")
	require.Equal(t, http.StatusCreated, rec.Code)
	// A ranking is published.
	rec = f.send(http.MethodPost, "/v1/rankings", `{"month":"2026-11"}`, "Authorization", k["office"])
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	var pub store.Publication
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &pub))

	paths := []string{
		"/public/v1/reviews", "/public/v1/reviews?unit=unit-a", "/public/v1/reviews?month=2026-11&limit=1",
		"/public/v1/ratings", "/public/v1/ratings?month=2026-11", "/public/v1/rankings",
		"/public/v1/rankings/" + pub.ID, "/public/v1/rankings/" + pub.ID + "/input",
		"/public/rankings/" + pub.ID,
	}
	var replies int
	for _, p := range paths {
		rec := f.publicGet(p)
		require.Equal(t, http.StatusOK, rec.Code, "%s: %s", p, rec.Body.String())
		b := rec.Body.String()
		for _, s := range []string{"13812345678", "13900001111", "139-0000-1111", id2, "张三", "李四", "友谊路1号"} {
			assert.NotContains(t, b, s, p)
		}
		assert.Empty(t, mobileRE.FindAllString(b, -1), p)
		assert.Empty(t, idRE.FindAllString(b, -1), p)
		if strings.Contains(b, "已致电") {
			replies++
			assert.Contains(t, b, "张*先生您好", "the reply is published with the name masked: %s", p)
		}
	}
	assert.Positive(t, replies, "the unit's reply is published")
	// The pages of the public reviews, ratings and rankings and the windows' rating forms (pages.go,
	// not in the API's spec) are scanned too, through the handler itself, whatever they answer
	// without a stored directory.
	for _, p := range []string{"/public/reviews", "/public/reviews?unit=unit-a", "/public/ratings", "/public/rankings", "/public/",
		"/public/rankings/result", "/public/rankings/result?period=2026-11", "/public/reviews?period=2026-11",
		"/public/windows/bs-03", "/public/windows/bs-07?staff=x"} {
		rec := httptest.NewRecorder()
		f.h.ServeHTTP(rec, from(httptest.NewRequest(http.MethodGet, p, nil), ""))
		require.Less(t, rec.Code, 500, "%s: %s", p, rec.Body.String())
		b := rec.Body.String()
		for _, s := range []string{"13812345678", "13900001111", "139-0000-1111", id2, "张三", "李四", "友谊路1号"} {
			assert.NotContains(t, b, s, p)
		}
		assert.Empty(t, mobileRE.FindAllString(b, -1), p)
		assert.Empty(t, idRE.FindAllString(b, -1), p)
	}
	assert.Contains(t, f.publicGet("/public/v1/reviews").Body.String(), "rv-zhang")
}

// The public group answers from a short cache with ETags, and limits each address (429 with
// Retry-After beyond its burst) with a limiter of its own: a caller with a key, whom the server limits
// by key elsewhere, is limited by address on the public group.
func TestPublicCacheAndLimit(t *testing.T) {
	f := newServer(t, server.WithRateLimits(server.RateLimits{KeyRate: 1000, KeyBurst: 1000, AddressRate: 1, AddressBurst: 5}))
	k := seedTickets(t, f.store)
	first := f.publicGet("/public/v1/ratings?month=2026-11")
	require.Equal(t, http.StatusOK, first.Code)
	assert.Equal(t, "miss", first.Header().Get("X-Cache"))
	etag := first.Header().Get("ETag")
	require.NotEmpty(t, etag)
	assert.Contains(t, first.Header().Get("Cache-Control"), "public, max-age=")
	second := f.publicGet("/public/v1/ratings?month=2026-11")
	assert.Equal(t, "hit", second.Header().Get("X-Cache"))
	assert.Equal(t, first.Body.String(), second.Body.String())
	notModified := f.publicGet("/public/v1/ratings?month=2026-11", "If-None-Match", etag)
	assert.Equal(t, http.StatusNotModified, notModified.Code)
	other := f.publicGet("/public/v1/ratings?month=2026-10")
	assert.Equal(t, "miss", other.Header().Get("X-Cache"), "another query is another entry")

	count := func(path string, key string) (limited int) {
		for range 12 {
			req := from(httptest.NewRequest(http.MethodGet, path, nil), "192.0.2.99:7000")
			if key != "" {
				req.Header.Set("Authorization", key)
			}
			rec := f.do(req)
			if rec.Code == http.StatusTooManyRequests {
				limited++
				assert.Equal(t, "rate_limited", problemOf(t, rec.Body.Bytes()).Code)
				assert.NotEmpty(t, rec.Header().Get("Retry-After"))
			}
		}
		return limited
	}
	assert.Zero(t, count("/v1/windows", k["office"]), "a key's requests elsewhere are limited by key")
	assert.Positive(t, count("/public/v1/ratings?month=2026-11", k["office"]), "on the public group, by address, key or not")
	assert.Equal(t, http.StatusOK, f.publicGet("/public/v1/ratings?month=2026-11").Code, "another address is not limited")

	for _, tt := range []struct{ path, field string }{
		{"/public/v1/ratings?month=26-11", "month"}, {"/public/v1/reviews?limit=0", "limit"}, {"/public/v1/reviews?cursor=%21", ""},
	} {
		rec := f.publicGet(tt.path)
		assert.Equal(t, http.StatusBadRequest, rec.Code, tt.path)
		assert.Equal(t, tt.field, problemOf(t, rec.Body.Bytes()).Field, tt.path)
	}
}
