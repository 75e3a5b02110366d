package demo

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/ticket"
)

// Call is one request of the walk-through: what it shows (in Chinese and English), the method and
// path under the server's base URL, the environment variable holding the key it sends (none for a
// public endpoint), its headers and JSON body, and the status it answers.
type Call struct {
	Chinese, English string
	Method, Path     string
	KeyVar           string
	Headers          [][2]string
	Body             string
	Status           int
}

// keyVar names the shell variable of each role's key in the walk-through.
var keyVar = map[store.Role]string{
	store.RoleHotlineOffice: "OFFICE_KEY",
	store.RoleHandlingUnit:  "UNIT_KEY",
	store.RoleSupervisor:    "SUPERVISOR_KEY",
	store.RoleAuditor:       "AUDITOR_KEY",
	store.RoleAdmin:         "ADMIN_KEY",
}

// KeyVar returns the shell variable the walk-through uses for role's key.
func KeyVar(role store.Role) string { return keyVar[role] }

// walkTicket picks the ticket the walk-through handles: a ticket dispatched to [HandlingUnit],
// DEMO-037 unless it was handled already.
func walkTicket(sum Summary) (Ticket, bool) {
	if t, ok := sum.Find(37); ok && t.State == ticket.StateDispatched && t.Lead == HandlingUnit {
		return t, true
	}
	for _, t := range sum.Tickets {
		if t.State == ticket.StateDispatched && t.Lead == HandlingUnit {
			return t, true
		}
	}
	return Ticket{}, false
}

// Calls returns the walk-through for the demo as loaded: the handling unit lists its tickets, makes
// first contact on one and replies, the hotline office calls back and closes it (000 §5: 1-5-15),
// then accepts a new ticket; the auditor sees the same ticket masked. When no ticket of the
// handling unit is waiting for first contact any more, the calls that need one are left out.
func Calls(sum Summary) []Call {
	json := [][2]string{{"Content-Type", "application/json"}}
	with := func(h ...[2]string) [][2]string { return append(append([][2]string{}, json...), h...) }
	calls := []Call{
		{Chinese: "服务是否就绪", English: "is the server ready", Method: "GET", Path: "/readyz", Status: 200},
		{Chinese: "承办单位（友谊路房管办）查看待处理工单", English: "the handling unit lists its dispatched tickets",
			Method: "GET", Path: "/v1/tickets?state=dispatched", KeyVar: "UNIT_KEY", Status: 200},
	}
	t, ok := walkTicket(sum)
	if ok {
		path := "/v1/tickets/" + t.ID
		// Each action moves the ticket on by one version: If-Match carries the version it acts on.
		etag := func(n int64) [2]string {
			return [2]string{"If-Match", strconv.Quote(strconv.FormatInt(t.Version+n, 10))}
		}
		calls = append(calls,
			Call{Chinese: "查看工单 " + t.Upstream + "：流转记录、各环节期限、本角色可做的操作", English: "one ticket: its history, stage clocks and the actions open to the caller",
				Method: "GET", Path: path, KeyVar: "UNIT_KEY", Status: 200},
			Call{Chinese: "先行联系（If-Match 为工单当前版本，即 ETag）", English: "first contact (If-Match: the ticket's current version, its ETag)",
				Method: "POST", Path: path + "/actions", KeyVar: "UNIT_KEY", Headers: with(etag(0)),
				Body: `{"action":"first_contact"}`, Status: 200},
			Call{Chinese: "办结答复", English: "reply",
				Method: "POST", Path: path + "/actions", KeyVar: "UNIT_KEY", Headers: with(etag(1)),
				Body: `{"action":"reply","payload":{"reply":{"summary":"已公示维修资金使用明细","report":"已在小区公告栏公示大修工程维修资金使用明细，并电话告知来电人查看方式。","outcome":"resolved"}}}`, Status: 200},
			Call{Chinese: "热线办回访", English: "the hotline office calls back",
				Method: "POST", Path: path + "/actions", KeyVar: "OFFICE_KEY", Headers: with(etag(2)),
				Body: `{"action":"callback","payload":{"callback":{"contacted":true,"resolved":true,"result":"satisfied","efficiency":"satisfied","attitude":"satisfied"}}}`, Status: 200},
			Call{Chinese: "热线办结案", English: "and closes the ticket",
				Method: "POST", Path: path + "/actions", KeyVar: "OFFICE_KEY", Headers: with(etag(3)),
				Body: `{"action":"close"}`, Status: 200},
			Call{Chinese: "审计人员查看同一工单：个人信息已脱敏", English: "the auditor sees the same ticket with the citizen's identity masked",
				Method: "GET", Path: path, KeyVar: "AUDITOR_KEY", Status: 200},
		)
	}
	calls = append(calls,
		Call{Chinese: "热线办受理一张新工单（Idempotency-Key 使重试不重复建单）", English: "the hotline office accepts a new ticket (an Idempotency-Key makes a retry store it once)",
			Method: "POST", Path: "/v1/tickets", KeyVar: "OFFICE_KEY", Headers: with([2]string{"Idempotency-Key", "walkthrough-1"}),
			Body:   `{"channel":"phone","kind":"help_request","title":"路灯不亮","content":"宝钢一村3号楼前路灯不亮已有三天。","citizen":{"name":"钱先生","phone":"13900000001"},"place":{"region_code":"310113003001","address":"宝钢一村3号楼"}}`,
			Status: 201},
		Call{Chinese: "派单预览：按目录与派单原则给出承办单位及依据", English: "routing preview: the handling unit the directory and the dispatch principles give, with the trail",
			Method: "POST", Path: "/v1/routing/preview", KeyVar: "OFFICE_KEY", Headers: with(),
			Body: `{"place":"310113003001","matters":["0703"],"kind":"help_request"}`, Status: 200},
		Call{Chinese: "督办部门查看已超期工单", English: "the supervisor lists the overdue tickets",
			Method: "GET", Path: "/v1/tickets?overdue=true", KeyVar: "SUPERVISOR_KEY", Status: 200},
	)
	return calls
}

// Curl returns c as a curl command line against the base URL in $HOTLINE.
func (c Call) Curl() string {
	var b strings.Builder
	b.WriteString("curl -s")
	if c.Method != "GET" {
		b.WriteString(" -X " + c.Method)
	}
	if c.KeyVar != "" {
		b.WriteString(` -H "Authorization: Bearer $` + c.KeyVar + `"`)
	}
	for _, h := range c.Headers {
		b.WriteString(" -H '" + h[0] + ": " + h[1] + "'")
	}
	if c.Body != "" {
		b.WriteString(" -d '" + c.Body + "'")
	}
	b.WriteString(` "$HOTLINE` + c.Path + `"`)
	return b.String()
}

// Walkthrough prints the demo's keys and the walk-through for a server at base (e.g.
// http://127.0.0.1:8080), in Chinese and English.
func Walkthrough(w io.Writer, base string, keys []Key, sum Summary) error {
	p := func(format string, a ...any) { fmt.Fprintf(w, format, a...) }
	p("\n== API 密钥 · API keys ==  (演示专用，切勿用于生产 · demo only, never for production)\n")
	for _, kr := range KeyRoles() {
		for _, k := range keys {
			if k.Role == kr.Role && k.Unit == kr.Unit {
				p("  %-16s %-15s %-11s %s\n", kr.English, string(kr.Role), kr.Unit, k.Secret)
				p("  %s\n", kr.Label)
			}
		}
	}
	p("\n== 试一试 · Try it ==\n")
	p("export HOTLINE=%s\n", base)
	var vars []string
	for _, kr := range KeyRoles() {
		for _, k := range keys {
			if k.Role == kr.Role && k.Unit == kr.Unit {
				vars = append(vars, keyVar[k.Role]+"="+k.Secret)
			}
		}
	}
	p("export %s\n", strings.Join(vars, " \\\n       "))
	calls := Calls(sum)
	for i, c := range calls {
		p("\n# %d. %s\n#    %s\n%s\n", i+1, c.Chinese, c.English, c.Curl())
	}
	if _, ok := walkTicket(sum); !ok {
		p("\n# 演示工单已处理完毕：可用上面的新工单继续派单、办理（GET 工单可见其 ETag）。\n")
		p("# The demo's ticket was handled already: carry on with the new ticket above (GET shows its ETag).\n")
	}
	p("\n# 更多：接口文档 $HOTLINE/openapi.yaml，指标 $HOTLINE/metrics · More: the API at $HOTLINE/openapi.yaml, metrics at $HOTLINE/metrics\n")
	return nil
}
