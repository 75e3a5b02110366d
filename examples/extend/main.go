// Command extend shows how a district extends the hotline reference server without forking it: it
// builds the same server (server.New) with one route of its own and a notifier of its own.
//
//   - The added route, GET /v1/district/stats, publishes how many of the district's tickets are in each
//     state and how many are overdue — counts only, never a ticket or a citizen — for a big screen
//     or the district's website (004 §14 asks for regular bulletins). It is added with
//     server.WithRoutes, so it passes the server's own middleware (request ids, metrics, JSON
//     logs, body limits, timeouts) and its errors go through the server's one error table as
//     problem+json.
//   - The notifier, given with server.WithNotifier, turns the outbox's dispatch messages into the
//     text messages a district's SMS gateway sends to the handling unit's duty phone, and keys on
//     each message's id, since the outbox delivers at least once.
//
// Run it like "hotline serve" (the identity key in HOTLINE_KEY or HOTLINE_KEY_FILE), with -demo to
// load the demo district first:
//
//	HOTLINE_KEY=$(openssl rand -hex 32) go run ./examples/extend -demo -db /tmp/extend.db
//	curl -s http://127.0.0.1:8081/v1/district/stats
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/server"
	"github.com/hotline12345/hotline/server/demo"
	"github.com/hotline12345/hotline/server/notify"
	"github.com/hotline12345/hotline/server/secure"
	"github.com/hotline12345/hotline/server/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "extend:", err)
		os.Exit(1)
	}
}

// newHandler builds the reference server over st with the district's route and notifier. sms
// receives the text messages the notifier sends (a real district hands them to its gateway).
func newHandler(st *store.Store, log *slog.Logger, sms io.Writer, now func() time.Time) (http.Handler, error) {
	return server.New(server.Deps{Store: st, Calendar: deadline.China(), Logger: log, Now: now},
		server.WithRoutes(func(e *echo.Echo) {
			e.GET("/v1/district/stats", districtStats(st, now))
		}),
		server.WithNotifier(&smsNotifier{out: sms, sent: map[string]bool{}}),
	)
}

// Stats is the body of GET /v1/district/stats: counts only.
type Stats struct {
	AsOf    time.Time      `json:"as_of"`
	Total   int            `json:"total"`
	Overdue int            `json:"overdue"`
	States  map[string]int `json:"states"`
}

// statsReader is the principal the route reads with: an auditor sees every ticket, masked, and
// changes nothing.
var statsReader = store.Principal{Actor: "district:stats", Role: store.RoleAuditor}

// districtStats counts the tickets by state, a page of summaries at a time.
func districtStats(st *store.Store, now func() time.Time) echo.HandlerFunc {
	return func(c echo.Context) error {
		at := now()
		out := Stats{AsOf: at, States: map[string]int{}}
		f := store.Filter{Limit: 500}
		for {
			page, err := st.List(c.Request().Context(), statsReader, f, at)
			if err != nil {
				return err // written as a problem by the server's error table
			}
			for _, s := range page.Items {
				out.Total++
				out.States[s.State]++
				if s.Overdue {
					out.Overdue++
				}
			}
			if page.Next == "" {
				break
			}
			f.Cursor = page.Next
		}
		return c.JSON(http.StatusOK, out)
	}
}

// smsNotifier sends the handling unit a text message for each dispatch. Messages carry ids and
// states only (never a citizen's identity), so the text says which ticket, not whose.
type smsNotifier struct {
	mu   sync.Mutex
	out  io.Writer
	sent map[string]bool // outbox ids already sent: delivery is at least once
}

// dispatchPayload is what the store's outbox says of a ticket change.
type dispatchPayload struct {
	Number string `json:"number"`
	Action string `json:"action"`
	Lead   string `json:"lead"`
}

// Notify sends the text of a dispatch and acknowledges every other message without sending
// anything. A payload that does not decode cannot be sent later either: notify.ErrPermanent.
func (n *smsNotifier) Notify(_ context.Context, m notify.Message) error {
	if m.Topic != "ticket.dispatch" {
		return nil
	}
	var p dispatchPayload
	if err := json.Unmarshal(m.Payload, &p); err != nil || p.Lead == "" || p.Number == "" {
		return fmt.Errorf("%w: message %s: payload without a number and a lead unit", notify.ErrPermanent, m.ID)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.sent[m.ID] {
		return nil
	}
	if _, err := fmt.Fprintf(n.out, "【12345】致%s：工单%s已派至贵单位，请于1个工作日内先行联系诉求人。\n", p.Lead, p.Number); err != nil {
		return err // the gateway did not take it: try again later
	}
	n.sent[m.ID] = true
	return nil
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("extend", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "extend.db", "the database: a SQLite path, postgres://… or mysql://…")
	addr := fs.String("addr", "127.0.0.1:8081", "listen on this address")
	withDemo := fs.Bool("demo", false, "load the demo district first")
	if err := fs.Parse(args); err != nil {
		return err
	}
	keys, err := secure.LoadKeys(getenv)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, *db, store.Options{Keys: keys})
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		return err
	}
	if *withDemo {
		if _, err := demo.Load(ctx, st, time.Now()); err != nil {
			return err
		}
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	h, err := newHandler(st, log, stdout, time.Now)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "extend: serving on http://%s (GET /v1/district/stats)\n", ln.Addr())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
