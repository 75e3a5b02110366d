package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server/loop"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/ticket"
	"github.com/hotline12345/hotline/ticket/screen"
)

// The intake form of the hotline office and the 办不成事 window's 登记表 (003 附件1): a preview shows
// the screening outcome (002 §5, 000 §4 (一)), the caller's earlier tickets (repeat links, 004 §12
// (二) 2) and the routing decision before anything is stored; saving goes through store.Intake with an
// idempotency key, as POST /v1/tickets does, so a form sent twice stores one ticket.

type intakeForm struct {
	Channel, Kind, Title, Content, Name, Phone, IDNumber, Enterprise, CreditCode string
	Region, Address, Matter, Complexity, Key                                     string
	// suggestions are the knowledge base's answers to the text so far (pages_kb.go), asked whether
	// they were looked for.
	suggestions []Suggestion
	asked       bool
}

type repeatView struct {
	ID, Number, Title, State string
	Received                 time.Time
}

type intakePreview struct {
	Accept                        bool
	Outcome, Explanation, Citizen string
	Reasons, Similar              []string
	Repeats                       []repeatView
	Routing                       string
}

type createdView struct{ ID, Number, Outcome string }

func (s *server) intakePage(c echo.Context) error {
	return s.renderIntake(c, http.StatusOK, false, intakeForm{Channel: string(ticket.ChannelPhone), Kind: string(ticket.KindComplaint),
		Complexity: string(ticket.ComplexityGeneral)}, nil, nil, "")
}

func (s *server) windowPage(c echo.Context) error {
	return s.renderIntake(c, http.StatusOK, true, intakeForm{Channel: string(ticket.ChannelWindowOffline), Kind: string(ticket.KindErrand),
		Complexity: string(ticket.ComplexityGeneral)}, nil, nil, "")
}

func (s *server) intakeSubmit(c echo.Context) error { return s.submitIntake(c, false) }
func (s *server) windowSubmit(c echo.Context) error { return s.submitIntake(c, true) }

// windowKinds are the categories of the 办不成事 window (003 四: 咨询、办事、投诉、建议).
var windowKinds = []ticket.Kind{ticket.KindConsultation, ticket.KindErrand, ticket.KindComplaint, ticket.KindSuggestion}

func (s *server) renderIntake(c echo.Context, status int, window bool, f intakeForm, pv *intakePreview, created *createdView, errMsg string) error {
	ctx := c.Request().Context()
	dir, err := s.directory(ctx)
	if err != nil {
		return err
	}
	if f.Key == "" || created != nil {
		// A fresh form (or the next one after a save) gets a new idempotency key; a preview or a
		// refused form keeps its key, so saving it twice stores one ticket.
		f = intakeForm{Channel: f.Channel, Kind: f.Kind, Complexity: f.Complexity, Region: f.Region}
		var raw [16]byte
		_, _ = rand.Read(raw[:])
		f.Key = "web-" + hex.EncodeToString(raw[:])
	}
	kinds := ticket.Kinds()
	if window {
		kinds = windowKinds
	}
	var kindOpts []option
	for _, k := range kinds {
		if k == ticket.KindReview {
			continue
		}
		kindOpts = append(kindOpts, option{Value: string(k), Label: k.Label(), Selected: string(k) == f.Kind})
	}
	var regions, matters []option
	u := staffOf(c)
	for r := range dir.Tree().All() {
		// The places of the office's jurisdiction, streets and communities (the store refuses others).
		if (r.Level != routing.LevelTown && r.Level != routing.LevelVillage) || !dir.Covers(u.Unit, r.Code) {
			continue
		}
		regions = append(regions, option{Value: string(r.Code), Label: r.Name + "（" + string(r.Code) + "）", Selected: string(r.Code) == f.Region})
	}
	matters = append(matters, option{Value: "", Label: "未分类", Selected: f.Matter == ""})
	for m := range dir.Matters() {
		label := m.Name
		if p := m.Code.Parent(); p != "" {
			if pm, ok := dir.Matter(p); ok {
				label = pm.Name + " / " + m.Name
			}
		}
		matters = append(matters, option{Value: string(m.Code), Label: label, Selected: string(m.Code) == f.Matter})
	}
	title, nav := "受理工单", "intake"
	if window {
		title, nav = "“办不成事”事项登记", "window"
	}
	data := map[string]any{"Window": window, "Form": f, "Kinds": kindOpts, "Regions": regions, "Matters": matters,
		"Channels":     options(ticket.Channels(), ticket.Channel.Label, f.Channel, ""),
		"Complexities": options(ticket.Complexities(), ticket.Complexity.Label, f.Complexity, ""),
		"Preview":      pv, "Created": created, "ReceivedBy": u.Name, "Now": s.now(), "Key": f.Key,
		"Suggestions": f.suggestions, "Asked": f.asked}
	return s.render(c, status, "intake", view{Title: title, Nav: nav, Error: errMsg, Data: data})
}

func readIntakeForm(c echo.Context, window bool) intakeForm {
	f := func(name string) string { return strings.TrimSpace(c.FormValue(name)) }
	form := intakeForm{Channel: f("channel"), Kind: f("kind"), Title: f("title"), Content: f("content"), Name: f("name"),
		Phone: f("phone"), IDNumber: strings.ToUpper(f("id_number")), Enterprise: f("enterprise"), CreditCode: strings.ToUpper(f("credit_code")),
		Region: f("region"), Address: f("address"), Matter: f("matter"), Complexity: f("complexity"), Key: f("key")}
	if window {
		form.Channel = string(ticket.ChannelWindowOffline)
	}
	return form
}

// intakeOf builds the ticket.Intake of a form, with the matter's levels from the catalogue.
func intakeOf(f intakeForm, dir *routing.Directory) (ticket.Intake, error) {
	ch, err := ticket.ParseChannel(f.Channel)
	if err != nil {
		return ticket.Intake{}, &paramError{Name: "channel", Reason: "unknown channel", Err: ticket.ErrInvalidEnum}
	}
	kind, err := ticket.ParseKind(f.Kind)
	if err != nil {
		return ticket.Intake{}, &paramError{Name: "kind", Reason: "unknown kind", Err: ticket.ErrInvalidEnum}
	}
	cx, err := ticket.ParseComplexity(f.Complexity)
	if err != nil && f.Complexity != "" {
		return ticket.Intake{}, &paramError{Name: "complexity", Reason: "unknown complexity", Err: ticket.ErrInvalidEnum}
	}
	in := ticket.Intake{Channel: ch, Kind: kind, Complexity: cx, Title: f.Title, Content: f.Content,
		Citizen: ticket.Person{Name: f.Name, Phone: f.Phone, IDNumber: f.IDNumber, Enterprise: f.Enterprise, CreditCode: f.CreditCode},
		Place:   ticket.Place{RegionCode: f.Region, Address: f.Address}}
	if f.Matter != "" {
		code := routing.MatterCode(f.Matter)
		if _, ok := dir.Matter(code); !ok {
			return ticket.Intake{}, &paramError{Name: "matter", Reason: "not in the catalogue", Err: routing.ErrUnknownMatter}
		}
		var chain []routing.Matter
		for c := code; c != ""; c = c.Parent() {
			m, ok := dir.Matter(c)
			if !ok {
				break
			}
			chain = append([]routing.Matter{m}, chain...)
		}
		for _, m := range chain {
			in.Matter.Levels = append(in.Matter.Levels, ticket.MatterLevel{Code: string(m.Code), Label: m.Name})
		}
	}
	return in, nil
}

func (s *server) submitIntake(c echo.Context, window bool) error {
	ctx := c.Request().Context()
	dir, err := s.directory(ctx)
	if err != nil {
		return err
	}
	form := readIntakeForm(c, window)
	if c.FormValue("step") == "suggest" {
		// "查找知识库" without the script: the form again with the knowledge base's suggestions.
		form.asked = true
		if form.suggestions, err = s.intakeSuggestions(c, suggestionQuery(form.Title, form.Content, form.Matter, form.Region)); err != nil {
			return err
		}
		return s.renderIntake(c, http.StatusOK, window, form, nil, nil, "")
	}
	in, err := intakeOf(form, dir)
	if err != nil {
		return s.renderIntake(c, http.StatusUnprocessableEntity, window, form, nil, nil, problemText(err))
	}
	if take := strings.TrimSpace(c.FormValue("take")); take != "" {
		// A suggestion taken: saved and answered at once (即办), citing the entry.
		return s.answerFromKnowledgeAtIntake(c, window, form, in, take)
	}
	u := staffOf(c)
	if c.FormValue("step") != "save" {
		pv, err := s.previewIntake(ctx, u, in)
		if err != nil {
			return err
		}
		return s.renderIntake(c, http.StatusOK, window, form, pv, nil, "")
	}
	if len(form.Key) > maxIdempotencyKey || !printableASCII(form.Key) {
		form.Key = ""
	}
	created, missing, err := s.saveIntake(ctx, u, form.Key, in)
	if err != nil {
		p, _ := problemOf(err)
		if p.Status >= 500 {
			return err
		}
		return s.renderIntake(c, p.Status, window, form, nil, nil, problemText(err))
	}
	if missing != nil {
		return s.renderIntake(c, http.StatusUnprocessableEntity, window, form, missing, nil, "要素不全，未受理：请向来电人补充后再提交。")
	}
	return s.renderIntake(c, http.StatusCreated, window, form, nil, created, "")
}

// problemText says a refused input in a sentence for the form.
func problemText(err error) string {
	p, _ := problemOf(err)
	_, msg := pageMessage(p)
	if p.Field != "" {
		msg += "（" + p.Field + "）"
	}
	return msg
}

// previewIntake runs the first steps of the intake loop of POST /v1/tickets (intake.go) — the
// caller's earlier tickets, the repeat they give, screening — and routes the item with the stored
// directory, storing nothing.
func (s *server) previewIntake(ctx context.Context, u store.Staff, in ticket.Intake) (*intakePreview, error) {
	p, now := u.Principal(), s.now()
	earlier, err := s.callerHistory(ctx, p, in.Citizen, "", now)
	if err != nil {
		return nil, err
	}
	ans, _, err := s.screenIntake(in, earlier, now)
	if err != nil {
		return nil, err
	}
	pv := screeningView(ans.Screening)
	if r := ans.Repeat; r != nil {
		pv.Similar = append(pv.Similar, fmt.Sprintf("疑似重复投诉：与工单 %s 相似（相似度 %.2f，第 %d 次），原工单%s", r.Original, r.Similarity, r.Count,
			r.OriginalState.Label()))
	}
	for _, e := range earlier.tickets {
		pv.Repeats = append(pv.Repeats, repeatView{ID: e.id, Number: e.t.Number.String(), Title: e.t.Title,
			State: e.t.State.Label(), Received: e.t.Received})
	}
	if pv.Accept && in.Place.RegionCode != "" {
		t := &ticket.Ticket{Kind: in.Kind, Place: in.Place, Matter: in.Matter, State: ticket.StateReceived}
		rv, _, _ := s.routingView(ctx, u, t)
		pv.Routing = rv.Summary
	}
	return pv, nil
}

// screeningView says a screening result on the page.
func screeningView(res screen.Result) *intakePreview {
	pv := &intakePreview{Accept: res.Outcome == screen.Accept, Outcome: res.Outcome.Label(), Explanation: res.Explanation,
		Citizen: res.Message}
	for _, r := range res.Reasons {
		line := r.Label
		if r.Redirect != "" {
			line += "：" + r.Redirect
		}
		if r.Source != "" {
			line += "（" + r.Source + "）"
		}
		pv.Reasons = append(pv.Reasons, line)
	}
	for _, m := range res.Missing {
		pv.Reasons = append(pv.Reasons, "缺少要素："+m.Label())
	}
	return pv
}

// saveIntake is the intake loop of POST /v1/tickets for a form: screening and repeat as in the
// preview, then store.Intake with the form's idempotency key and what follows the accept
// (completeIntake: refusal, archive, repeat count or the router's dispatch). An item with missing
// elements is not stored (loop.Stored).
func (s *server) saveIntake(ctx context.Context, u store.Staff, key string, in ticket.Intake) (*createdView, *intakePreview, error) {
	p, now := u.Principal(), s.now()
	body, err := json.Marshal(in)
	if err != nil {
		return nil, nil, err
	}
	earlier, err := s.callerHistory(ctx, p, in.Citizen, "", now)
	if err != nil {
		return nil, nil, err
	}
	ans, rep, err := s.screenIntake(in, earlier, now)
	if err != nil {
		return nil, nil, err
	}
	if !ans.Stored {
		return nil, screeningView(ans.Screening), nil
	}
	res, err := s.store.Intake(ctx, p, store.IntakeRequest{Key: key, Body: body, Intake: in}, now)
	if err != nil {
		return nil, nil, err
	}
	created := &createdView{ID: res.ID, Number: res.Number}
	if res.Replayed { // the same form sent twice: the ticket it stored
		created.Outcome = "（此前已受理）"
		return created, nil, nil
	}
	ans.ID, ans.Number, ans.Version = res.ID, res.Number, res.Version
	// The form keeps no answer with its key: a form sent twice is found by the key (res.Replayed).
	if _, err := s.completeIntake(ctx, p, "", &ans, rep, earlier, now); err != nil {
		return nil, nil, err
	}
	created.Outcome = "筛查结果：" + ans.Screening.Outcome.Label() + "。"
	if d := ans.Dispatch; d != nil {
		switch {
		case d.Status == loop.StatusDispatched && d.Decision != nil:
			created.Outcome += "已按派单规则派往 " + s.unitName(ctx, d.Decision.Lead) + "。"
		case d.Reason != "":
			created.Outcome += "未自动派单：" + d.Reason
		}
	}
	if r := ans.Repeat; r != nil && r.Counted {
		created.Outcome += "已关联重复投诉：" + r.Original + "。"
	}
	return created, nil, nil
}

// ratingLinkPage issues a one-time rating link for a replied ticket (001 (九): 网上自助评价), signed
// with HMAC-SM3; the page shows it to send to the citizen.
func (s *server) ratingLinkPage(c echo.Context) error {
	id := c.Param("id")
	u := staffOf(c)
	if _, err := s.store.Get(c.Request().Context(), u.Principal(), id); err != nil {
		return err
	}
	tok, expires, err := s.ticketRatingToken(c.Request().Context(), id, s.now())
	if err != nil {
		return err
	}
	v, err := s.ticketView(c, id)
	if err != nil {
		return err
	}
	v.RatingLink = baseURL(c) + "/rate/ticket/" + url.PathEscape(tok)
	v.RatingLinkExpires = expires
	return s.render(c, http.StatusOK, "ticket", view{Title: "工单 " + v.Number, Nav: "tickets", Notice: "已生成评价链接。", Data: v})
}

// baseURL is the scheme and host the request came to.
func baseURL(c echo.Context) string {
	return c.Scheme() + "://" + c.Request().Host
}
