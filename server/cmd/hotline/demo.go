package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hotline12345/hotline/server/demo"
	"github.com/hotline12345/hotline/server/secure"
	"github.com/hotline12345/hotline/server/store"
)

// defaultDemoKeys is where the demo keeps its API keys when the database is not a SQLite file.
const defaultDemoKeys = "hotline-demo-keys.json"

const demoUsage = `Usage: hotline demo [flags]

Loads the demo district — 上海市宝山区友谊路街道 with its residents' committees and departments on
the real region codes, a dispatch catalogue, a few dozen tickets in every state the street's
lifecycle reaches, 好差评 reviews and an upheld appeal — into the database (migrating it first), and
prints an API key for each role with a curl walk-through. Running it again adds nothing and prints
the same keys. "hotline serve -demo" does the same and then serves.

Without HOTLINE_KEY or HOTLINE_KEY_FILE, a demo on a SQLite file generates a demo identity key in
DB.key (mode 0600) and uses it from then on. For the demo only.

Flags:
`

// demoCmd is "hotline demo": load the demo district and print its keys and a walk-through.
func demoCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, db := newFlags("demo", demoUsage, getenv, stderr)
	addr := fs.String("addr", envOr(getenv, "HOTLINE_ADDR", defaultAddr), "the address the walk-through sends requests to (HOTLINE_ADDR)")
	keysFile := fs.String("demo-keys", "", "keep the demo's API keys in this file (default: next to a SQLite database, else "+defaultDemoKeys+")")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	getenv, err := demoIdentity(getenv, *db, stdout, log)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	keys, err := secure.LoadKeys(getenv)
	if err != nil {
		return fmt.Errorf("demo: the identity key: %w", err)
	}
	st, err := store.Open(ctx, *db, store.Options{Keys: keys, NoAutoMigrate: true})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if err := loadDemo(ctx, st, *db, *keysFile, "http://"+*addr, stdout); err != nil {
		return err
	}
	if getenv(secure.EnvKey) == "" && getenv(secure.EnvKeyFile) != "" {
		fmt.Fprintf(stdout, "\n启动服务 · Start the server:  HOTLINE_KEY_FILE=%s hotline serve -db %s   (或 or: hotline serve -demo)\n",
			getenv(secure.EnvKeyFile), *db)
	}
	return nil
}

// loadDemo loads the demo into st, keeps its keys in keysFile (or the default next to db) and prints
// the summary, the keys and the walk-through for base.
func loadDemo(ctx context.Context, st *store.Store, db, keysFile, base string, stdout io.Writer) error {
	now := time.Now()
	sum, err := demo.Load(ctx, st, now)
	if err != nil {
		return err
	}
	if keysFile == "" {
		keysFile = defaultDemoKeys
		if path, ok := sqlitePath(db); ok {
			keysFile = path + ".demo-keys.json"
		}
	}
	var known []demo.Key
	if f, err := os.Open(keysFile); err == nil {
		known, err = demo.ReadKeys(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("demo: %s: %w (delete it to issue new keys)", keysFile, err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("demo: %w", err)
	}
	keys, fresh, err := demo.Credentials(ctx, st, known, now)
	if err != nil {
		return err
	}
	if fresh {
		var b bytes.Buffer
		if err := demo.WriteKeys(&b, keys); err != nil {
			return err
		}
		if err := writePrivate(keysFile, b.Bytes()); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	accounts, _, err := demo.StaffAccounts(ctx, st, now)
	if err != nil {
		return err
	}
	printSummary(stdout, sum)
	if err := demo.Walkthrough(stdout, base, keys, sum); err != nil {
		return err
	}
	printAccounts(stdout, base, accounts)
	fmt.Fprintf(stdout, "\n密钥保存在 · keys kept in %s (mode 0600)\n", keysFile)
	return nil
}

func printSummary(w io.Writer, sum demo.Summary) {
	fmt.Fprintf(w, "\n== 演示数据 · Demo data: 上海市宝山区友谊路街道 ==\n")
	fmt.Fprintf(w, "%d 个行政区划 regions, %d 个事项 matters, %d 个单位 units\n", sum.Regions, sum.Matters, sum.Units)
	fmt.Fprintf(w, "%d 张工单 tickets (本次新建 created now: %d)", len(sum.Tickets), sum.Created)
	if len(sum.Changed) > 0 {
		fmt.Fprintf(w, "; 已被操作、保持原样 acted on since, left as they are: %s", strings.Join(sum.Changed, " "))
	}
	fmt.Fprintln(w)
	var parts []string
	for _, sc := range sum.States() {
		parts = append(parts, fmt.Sprintf("%s %s %d", sc.State.Label(), sc.State, sc.Count))
	}
	fmt.Fprintf(w, "  %s\n", strings.Join(parts, " · "))
	fmt.Fprintf(w, "%d 条好差评 reviews; 一条差评经申诉复核认定不属实 (000 §6) · one bad review found unfounded on appeal\n", sum.Reviews)
}

// printAccounts prints the demo's staff accounts for the pages.
func printAccounts(w io.Writer, base string, accounts []demo.Account) {
	fmt.Fprintf(w, "\n== 网页登录 · Sign in to the pages: %s/login (密码 password: %s, 仅供演示 demo only) ==\n", base, demo.StaffPassword)
	for _, a := range accounts {
		fmt.Fprintf(w, "  %-8s %s\n", a.Username, a.Label)
	}
	fmt.Fprintf(w, "大屏 · big screen: %s/screen    公开页 · public pages: %s/public/\n", base, base)
}

// sqlitePath returns the file of a SQLite DSN (a path, "sqlite:PATH" or "file:PATH"), or false for a
// server database.
func sqlitePath(dsn string) (string, bool) {
	scheme, _, ok := strings.Cut(dsn, "://")
	if ok {
		switch strings.ToLower(scheme) {
		case "postgres", "postgresql", "mysql", "mariadb":
			return "", false
		}
	}
	for _, p := range []string{"sqlite://", "sqlite:", "file:"} {
		if strings.HasPrefix(dsn, p) {
			return dsn[len(p):], true
		}
	}
	return dsn, true
}

// demoIdentity returns getenv, or, when neither HOTLINE_KEY nor HOTLINE_KEY_FILE is set and the
// database is a SQLite file, a getenv whose HOTLINE_KEY_FILE is the demo's identity key DB.key,
// generated (mode 0600) on first use and announced loudly.
func demoIdentity(getenv func(string) string, db string, stdout io.Writer, log *slog.Logger) (func(string) string, error) {
	if getenv(secure.EnvKey) != "" || getenv(secure.EnvKeyFile) != "" {
		return getenv, nil
	}
	path, ok := sqlitePath(db)
	if !ok {
		return nil, errors.New("a demo on PostgreSQL or MySQL needs HOTLINE_KEY or HOTLINE_KEY_FILE: only a SQLite demo generates its own key")
	}
	keyFile := path + ".key"
	var raw [secure.MasterKeySize]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return nil, err
	}
	err := writeNew(keyFile, []byte(hex.EncodeToString(raw[:])+"\n"))
	switch {
	case err == nil:
		fmt.Fprintf(stdout, `
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
!! 演示用身份信息加密密钥已生成：%s（权限 0600）。仅供演示，切勿用于生产：
!! 生产环境请自行生成密钥并通过 HOTLINE_KEY 或 HOTLINE_KEY_FILE 提供，不要与数据库放在一起。
!! DEMO IDENTITY KEY generated in %s (mode 0600), for the demo only — never in production:
!! there, generate the key yourself, pass it in HOTLINE_KEY or HOTLINE_KEY_FILE, and keep it
!! away from the database. Losing this file makes the citizens' identities in %s unreadable.
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
`, keyFile, keyFile, path)
		log.Warn("demo identity key generated; for the demo only", slog.String("file", keyFile))
	case errors.Is(err, fs.ErrExist):
		fmt.Fprintf(stdout, "hotline: using the DEMO identity key in %s (demo only, never in production)\n", keyFile)
	default:
		return nil, err
	}
	return func(k string) string {
		if k == secure.EnvKeyFile {
			return keyFile
		}
		return getenv(k)
	}, nil
}

// writeNew creates name with data, readable by its owner only; it fails with fs.ErrExist when the
// file exists.
func writeNew(name string, data []byte) error {
	if dir := filepath.Dir(name); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(name)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(name)
		return err
	}
	return f.Close()
}

// writePrivate replaces name with data, readable by its owner only: a temporary file renamed into
// place, so a crash leaves the old file or the new one.
func writePrivate(name string, data []byte) error {
	tmp := name + ".tmp"
	_ = os.Remove(tmp)
	if err := writeNew(tmp, data); err != nil {
		return err
	}
	if err := os.Rename(tmp, name); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}
