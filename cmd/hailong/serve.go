package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"hailong/survey"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"hailong/admin"
	"hailong/analytics"
	"hailong/cases"
	"hailong/demo"
	"hailong/kiosk"
	"hailong/notify"
	"hailong/publish"
	"hailong/static"
	"hailong/web"
	"hailong/web/openapi"
)

// Main is a running server: tests start it on 127.0.0.1:0 with a temporary
// data folder, use Addr, then Close it.
type Main struct {
	Config Config
	Log    *slog.Logger
	DB     survey.Store
	App    *fiber.App
	Addr   string // the address actually listened on
	ln     net.Listener
	conns  *connListener
	done   chan error
	closed bool
	backup *backupSchedule
	chores *maintenance
	Sender *notify.Sender // empties the outbox: webhooks, mail, alerts, digests
	smtp   *notify.SMTP   // where mail goes (--smtp-url); nil: mail waits
	jobs   survey.JobLock
	wait   *storeWait // while a PostgreSQL store is being reached
	mu     sync.Mutex // App and wait, which the waiting server switches
}

// Run opens the store, fills the demo if asked, and starts serving in the
// background. It returns once the listener is up. A PostgreSQL database that
// cannot be reached does not stop it: the server then answers 503 (and
// /healthz says why) while it keeps trying to connect in the background
// (serve_wait.go), and serves fully from the first success.
func (m *Main) Run() error {
	c := &m.Config
	if m.Log == nil {
		m.Log = slog.Default()
	}
	proxies, err := web.ParseProxies(splitList(c.TrustedProxies))
	if err != nil {
		return fmt.Errorf("--trusted-proxies: %w", err)
	}
	if c.SMTPURL != "" { // checked before anything starts
		if m.smtp, err = notify.ParseSMTPURL(c.SMTPURL); err != nil {
			return usageError(err.Error())
		}
	}
	m.done = make(chan error, 1)
	ctx, cancel := context.WithTimeout(context.Background(), openTimeout)
	db, err := openStore(ctx, c, m.Log, false)
	cancel()
	if err != nil && !retryable(c, err) {
		return err
	}
	ln, scheme, lerr := m.listen()
	if lerr != nil {
		if db != nil {
			db.Close()
		}
		return lerr
	}
	m.ln, m.Addr = ln, ln.Addr().String()
	if err != nil {
		m.waitForStore(ln, scheme, proxies, err)
		return nil
	}
	m.DB = db
	app, err := m.start(scheme, proxies)
	if err != nil {
		ln.Close()
		return err
	}
	m.App = app
	go func() { m.done <- app.Listener(ln) }()
	return nil
}

// start prepares an open store (demo, kiosk policy, chores, the public
// address) and builds the app.
func (m *Main) start(scheme string, proxies web.Proxies) (*fiber.App, error) {
	c, db := &m.Config, m.DB
	if err := m.fillDemo(); err != nil {
		return nil, err
	}
	if err := m.applyKioskSettings(); err != nil {
		return nil, err
	}
	if err := m.startChores(); err != nil {
		return nil, err
	}
	public := strings.TrimRight(c.PublicURL, "/")
	if public == "" {
		public = scheme + "://" + m.Addr
	}
	if set := db.Settings(); set.PublicURL != public {
		set.PublicURL = public
		if err := db.SaveSettings(set); err != nil {
			return nil, err
		}
	}
	clients, err := web.NewClientKeys(db)
	if err != nil {
		return nil, err
	}
	deps := &web.Deps{Services: survey.ServicesOf(db), Log: m.Log, Metrics: web.NewMetrics(db), PublicURL: public,
		Secure: scheme == "https" || strings.HasPrefix(public, "https://"), Clients: clients, TrustedProxies: proxies,
		Limits: survey.LimitsOf(db), Health: healthOf(db)}
	m.startSender(deps, m.smtp)
	app := web.New(deps)
	app.Get("/static/*", static.Handler)
	app.Get("/", web.Home)
	web.AccountRoutes(app, deps)
	web.UnsubscribeRoutes(app, deps)
	admin.Routes(app, deps)
	kiosk.Routes(app, deps)
	analytics.Routes(app, deps)
	publish.Routes(app, deps)
	cases.Routes(app, deps)
	openapi.Routes(app)
	app.Use(web.NotFound)
	m.Log.Info("serving", "addr", m.Addr, "public_url", public, "store", db.Location(), "tz", db.Loc().String(), "responses", db.ResponseCount())
	return app, nil
}

// fillDemo fills an empty database with the demo province (--demo).
func (m *Main) fillDemo() error {
	c, db := &m.Config, m.DB
	if !c.Demo {
		return nil
	}
	if len(db.Units()) > 0 {
		m.Log.Info("demo skipped: the database already has units")
		return nil
	}
	start := time.Now()
	st, err := demo.Generate(db, time.Now(), c.DemoSeed)
	if err != nil {
		return fmt.Errorf("demo data: %w", err)
	}
	m.Log.Info("demo data created", "units", st.Units, "responses", st.Responses, "dossiers", st.Dossiers, "took", time.Since(start).Round(time.Millisecond).String())
	m.Log.Warn("demo logins (for trying only: change or delete them before real use)", "users", "admin, giamdoc-sct, tiepnhan-sct, lanhdao-tinh", "password", demo.DemoPassword)
	return nil
}

// startChores starts the hourly maintenance and the scheduled backups.
func (m *Main) startChores() error {
	c, db := &m.Config, m.DB
	m.jobs = survey.JobLockOf(db)
	m.chores = &maintenance{DB: db, Jobs: m.jobs, Log: m.Log, Every: time.Hour}
	m.chores.start()
	if c.BackupEvery > 0 && isPostgres(c.storeAddr()) {
		// The database's own backups (base backups and WAL archiving,
		// docs/DEPLOY.md) cover PostgreSQL; no file copy is scheduled.
		m.Log.Info("scheduled backups are off on PostgreSQL: back the database up with its own tools", "backup_every", c.BackupEvery.String())
		return nil
	}
	if c.BackupEvery > 0 {
		dir := c.BackupDir
		if dir == "" {
			dir = filepath.Join(c.Data, "backups")
		}
		m.backup = &backupSchedule{DB: db, Jobs: m.jobs, Dir: dir, Every: c.BackupEvery, Keep: max(c.BackupKeep, 1), Log: m.Log}
		return m.backup.start()
	}
	return nil
}

// startSender starts the loop that empties the outbox (smtp: where mail
// goes, from --smtp-url; nil: mail waits) and tells the pages about it.
func (m *Main) startSender(d *web.Deps, smtp *notify.SMTP) {
	m.Sender = &notify.Sender{Services: d.Services, SMTP: smtp, PublicURL: d.PublicURL, Log: m.Log, Every: m.Config.SendEvery, Jobs: m.jobs}
	m.Sender.Start()
	d.Sender = web.SenderInfo{SMTP: smtp.String(), Wake: m.Sender.Wake}
	if smtp == nil {
		m.Log.Warn("mail is not configured (--smtp-url): e-mails wait in the outbox")
	}
}

// listen opens the listener (with TLS when a certificate is given).
func (m *Main) listen() (net.Listener, string, error) {
	c := &m.Config
	raw, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return nil, "", fmt.Errorf("listen on %s: %w", c.Addr, err)
	}
	m.conns = trackConns(raw)
	var ln net.Listener = m.conns
	scheme := "http"
	if c.TLSCert != "" || c.TLSKey != "" {
		cert, err := tls.LoadX509KeyPair(c.TLSCert, c.TLSKey)
		if err != nil {
			ln.Close()
			return nil, "", fmt.Errorf("TLS certificate: %w", err)
		}
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
		scheme = "https"
	}
	return ln, scheme, nil
}

// applyKioskSettings stores the kiosk policy flags that were given.
func (m *Main) applyKioskSettings() error {
	c := &m.Config
	if c.KioskIdle == "" && c.KioskThanks == "" && c.KioskPartial == "" {
		return nil
	}
	s := m.DB.Settings()
	for _, f := range []struct {
		val  string
		dst  *time.Duration
		flag string
	}{{c.KioskIdle, &s.Kiosk.Idle, "--kiosk-idle"}, {c.KioskThanks, &s.Kiosk.Thanks, "--kiosk-thanks"}} {
		if f.val == "" {
			continue
		}
		d, err := time.ParseDuration(f.val)
		if err != nil {
			return usageError(fmt.Sprintf("%s %q: use a duration such as 30s", f.flag, f.val))
		}
		*f.dst = d
	}
	if c.KioskPartial != "" {
		s.Kiosk.Partial = c.KioskPartial
	}
	return m.DB.SaveSettings(s)
}

// Close stops accepting connections, lets in-flight requests finish (up to
// ShutdownIn), then closes the store after its queued writes.
func (m *Main) Close() error {
	var err error
	if m.closed {
		return nil
	}
	m.closed = true
	m.stopWaiting()
	m.backup.close()
	m.chores.close()
	m.Sender.Close()
	if app := m.app(); app != nil {
		wait := m.Config.ShutdownIn
		if wait == 0 {
			wait = 10 * time.Second
		}
		err = app.ShutdownWithTimeout(wait)
		if m.conns != nil {
			if n := m.conns.closeAll(); n > 0 && m.Log != nil {
				m.Log.Warn("connections closed at the shutdown deadline", "open", n, "waited", wait)
			}
		}
	}
	if m.DB != nil {
		if cerr := m.DB.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

func cmdServe(ctx context.Context, args []string, stderr io.Writer) error {
	m := &Main{}
	c := &m.Config
	f := newFlags("serve")
	f.common(c)
	f.str(&c.Addr, "addr", "127.0.0.1:8080", "listen address")
	f.str(&c.PublicURL, "public-url", "", "address printed in QR codes and pairing links (default http://<addr>)")
	f.boolean(&c.Demo, "demo", "fill an empty database with a demo province and two years of responses")
	f.str(&c.TLSCert, "tls-cert", "", "TLS certificate file (PEM)")
	f.str(&c.TLSKey, "tls-key", "", "TLS key file (PEM)")
	f.str(&c.TrustedProxies, "trusted-proxies", "", "comma-separated reverse-proxy addresses or CIDRs allowed to set X-Forwarded-For")
	f.str(&c.BackupDir, "backup-dir", "", "folder for scheduled backups (default <data>/backups)")
	f.duration(&c.BackupEvery, "backup-every", 24*time.Hour, "how often to back up while serving (0 = never)")
	f.integer(&c.BackupKeep, "backup-keep", 14, "how many scheduled backups to keep")
	f.str(&c.LogLevel, "log-level", "info", "debug, info, warn or error")
	f.str(&c.SMTPURL, "smtp-url", "", "where e-mail goes: smtp://user:password@host:587?from=address&tls=starttls|tls|none (without it mail waits in the outbox)")
	f.str(&c.KioskIdle, "kiosk-idle", "", "idle time before a half-answered kiosk survey resets, e.g. 30s (stored)")
	f.str(&c.KioskThanks, "kiosk-thanks", "", "how long the kiosk's thanks screen stays, e.g. 6s (stored)")
	f.str(&c.KioskPartial, "kiosk-partial", "", "keep or discard the answers of a survey left idle (stored)")
	if err := f.parse(args); err != nil {
		return err
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return usageError(fmt.Sprintf("bad --log-level %q", c.LogLevel))
	}
	m.Log = slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: level}))
	if err := m.Run(); err != nil {
		if m.DB != nil {
			m.DB.Close()
		}
		return err
	}
	select {
	case <-ctx.Done():
		m.Log.Info("shutting down: finishing in-flight requests")
	case err := <-m.done:
		m.Log.Error("server stopped", "err", err)
	}
	return m.Close()
}

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
