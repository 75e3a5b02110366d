package main

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// A PostgreSQL wire-protocol counter for the load benchmark: a TCP proxy between the server and the
// database that reads the protocol (v3) as it passes and counts, without changing a byte,
//
//   - round trips: the client's Query messages (the store sends every statement, or a batch of
//     statements, as one simple-protocol Query) and Sync messages (the end of an extended-protocol
//     exchange, in case a driver uses one);
//   - transactions ended: a ReadyForQuery back to idle after at least one statement — the COMMIT of
//     a BEGIN…COMMIT block or a statement run outside one (its own transaction); ROLLBACKs apart;
//   - of those, write commits: the transactions that inserted, updated or deleted a row (by the
//     CommandComplete tags), each a WAL flush (fsync) on a default PostgreSQL.
//
// It sees what the built server sends, batches included, which a bun query hook in the server's
// process would not (the store sends its batches through database/sql directly).

// wireCounts are the counters of a pgProxy.
type wireCounts struct {
	RoundTrips, Commits, WriteCommits, Rollbacks int64
}

func (a wireCounts) minus(b wireCounts) wireCounts {
	return wireCounts{a.RoundTrips - b.RoundTrips, a.Commits - b.Commits, a.WriteCommits - b.WriteCommits, a.Rollbacks - b.Rollbacks}
}

type pgProxy struct {
	ln                                           net.Listener
	target                                       string
	roundTrips, commits, writeCommits, rollbacks atomic.Int64
	mu                                           sync.Mutex
	conns                                        []net.Conn
	failed                                       atomic.Value // the first protocol error, a string
}

// startPGProxy listens on loopback and forwards every connection to target (host:port).
func startPGProxy(tb testing.TB, target string) *pgProxy {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	p := &pgProxy{ln: ln, target: target}
	go p.serve()
	tb.Cleanup(func() {
		_ = ln.Close()
		p.mu.Lock()
		for _, c := range p.conns {
			_ = c.Close()
		}
		p.mu.Unlock()
		if v, ok := p.failed.Load().(string); ok && v != "" {
			tb.Errorf("pg proxy: %s", v)
		}
	})
	return p
}

// dsn returns dsn (a postgres:// URL) pointed at the proxy.
func (p *pgProxy) dsn(dsn string) (string, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", err
	}
	u.Host = p.ln.Addr().String()
	return u.String(), nil
}

// counts returns the counters so far.
func (p *pgProxy) counts() wireCounts {
	return wireCounts{p.roundTrips.Load(), p.commits.Load(), p.writeCommits.Load(), p.rollbacks.Load()}
}

func (p *pgProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		go p.handle(c)
	}
}

func (p *pgProxy) fail(err error) {
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
		p.failed.CompareAndSwap(nil, err.Error())
	}
}

func (p *pgProxy) handle(client net.Conn) {
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		p.fail(err)
		_ = client.Close()
		return
	}
	p.mu.Lock()
	p.conns = append(p.conns, client, server)
	p.mu.Unlock()
	go func() {
		p.fail(p.frontend(bufio.NewReader(client), server))
		_ = server.Close()
	}()
	p.fail(p.backend(bufio.NewReader(server), client))
	_ = client.Close()
}

// readMsg reads one message: a type byte (typed) and a length-prefixed body; it returns the raw
// bytes to forward and the body.
func readMsg(r *bufio.Reader, typed bool) (raw, body []byte, err error) {
	n := 4
	if typed {
		n = 5
	}
	head := make([]byte, n)
	if _, err := io.ReadFull(r, head); err != nil {
		return nil, nil, err
	}
	size := binary.BigEndian.Uint32(head[n-4:])
	if size < 4 || size > 1<<30 {
		return nil, nil, fmt.Errorf("message length %d", size)
	}
	raw = make([]byte, n+int(size)-4)
	copy(raw, head)
	if _, err := io.ReadFull(r, raw[n:]); err != nil {
		return nil, nil, err
	}
	return raw, raw[n:], nil
}

// frontend forwards the client's messages, counting round trips.
func (p *pgProxy) frontend(r *bufio.Reader, w io.Writer) error {
	raw, body, err := readMsg(r, false) // the startup message has no type byte
	if err != nil {
		return err
	}
	if len(body) >= 4 {
		if code := binary.BigEndian.Uint32(body); code == 80877103 || code == 80877104 {
			return fmt.Errorf("the client asked for SSL or GSS encryption: use sslmode=disable behind the counting proxy")
		}
	}
	if _, err := w.Write(raw); err != nil {
		return err
	}
	for {
		raw, _, err := readMsg(r, true)
		if err != nil {
			return err
		}
		switch raw[0] {
		case 'Q', 'S':
			p.roundTrips.Add(1)
		}
		if _, err := w.Write(raw); err != nil {
			return err
		}
	}
}

// backend forwards the server's messages, counting the transactions that end.
func (p *pgProxy) backend(r *bufio.Reader, w io.Writer) error {
	statements, wrote, rolledBack, failed := 0, false, false, false
	for {
		raw, body, err := readMsg(r, true)
		if err != nil {
			return err
		}
		switch raw[0] {
		case 'C': // CommandComplete: the tag
			statements++
			tag := strings.TrimRight(string(body), "\x00")
			switch {
			case strings.HasPrefix(tag, "INSERT"), strings.HasPrefix(tag, "UPDATE"), strings.HasPrefix(tag, "DELETE"), strings.HasPrefix(tag, "MERGE"):
				wrote = true
			case tag == "ROLLBACK":
				rolledBack = true
			}
		case 'E': // ErrorResponse: the statement's transaction fails
			statements++
			failed = true
		case 'Z': // ReadyForQuery: the transaction status
			if len(body) == 1 && body[0] == 'I' && statements > 0 {
				switch {
				case rolledBack || failed:
					p.rollbacks.Add(1)
				default:
					p.commits.Add(1)
					if wrote {
						p.writeCommits.Add(1)
					}
				}
				statements, wrote, rolledBack, failed = 0, false, false, false
			}
		}
		if _, err := w.Write(raw); err != nil {
			return err
		}
	}
}
