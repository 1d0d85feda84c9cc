package main

import (
	"context"
	"errors"
	"net"
	"net/url"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// A server whose PostgreSQL database cannot be reached at start still
// starts: a load balancer sees /healthz answer 503 and sends its traffic to
// the other servers, kiosks keep their answers queued, and the server
// connects by itself once the database is back (after a failover, or when
// the database machine finishes booting). bbolt never waits: its file is
// local, and an error opening it is final.

// retryable reports whether a failed open is worth retrying: a PostgreSQL
// address, and not a mistake in the command line or the settings.
func retryable(c *Config, err error) bool {
	var ue usageError
	var se *survey.Error
	return isPostgres(c.storeAddr()) && !errors.As(err, &ue) && !errors.As(err, &se)
}

// storeWait is the waiting server: a small app answering 503 on the
// listener until the store opens, and the loop that opens it.
type storeWait struct {
	stop chan struct{}
	done chan struct{}
	hand *handoff
}

// waitForStore serves 503s on ln and retries opening the store every
// retryEvery (growing to a minute), then starts the full app on ln.
func (m *Main) waitForStore(ln net.Listener, scheme string, proxies web.Proxies, first error) {
	w := &storeWait{stop: make(chan struct{}), done: make(chan struct{}), hand: newHandoff(ln)}
	m.mu.Lock()
	m.wait = w
	m.App = waitingApp()
	waiting, stage := m.App, w.hand.stage()
	m.mu.Unlock()
	go func() { _ = waiting.Listener(stage) }()
	m.Log.Error("database unreachable: answering 503 and retrying", "store", redacted(m.Config.storeAddr()), "err", first)
	go func() {
		defer close(w.done)
		db := m.retryOpen(w.stop)
		if db == nil {
			return
		}
		m.DB = db
		app, err := m.start(scheme, proxies)
		if err != nil {
			m.Log.Error("starting after the database came back", "err", err)
			m.done <- err
			return
		}
		m.mu.Lock()
		m.App = app
		m.mu.Unlock()
		_ = waiting.ShutdownWithTimeout(5 * time.Second)
		go func() { m.done <- app.Listener(w.hand.final()) }()
	}()
}

// retryOpen opens the store, waiting between failures, until it succeeds
// (the store) or stop is closed (nil).
func (m *Main) retryOpen(stop chan struct{}) survey.Store {
	pause := retryEvery
	for {
		select {
		case <-stop:
			return nil
		case <-time.After(pause):
		}
		ctx, cancel := context.WithTimeout(context.Background(), openTimeout)
		db, err := openStore(ctx, &m.Config, m.Log, false)
		cancel()
		if err == nil {
			m.Log.Info("database reached", "store", db.Location())
			return db
		}
		m.Log.Warn("database still unreachable", "err", err, "next_try", pause.String())
		pause = min(pause*2, time.Minute)
	}
}

// retryEvery is the first pause between attempts to open the store.
var retryEvery = time.Second

// openTimeout bounds one attempt to reach a database server (an address
// that drops packets would otherwise hold it for the system's TCP timeout).
const openTimeout = 15 * time.Second

// stopWaiting ends the retry loop (Close while waiting).
func (m *Main) stopWaiting() {
	m.mu.Lock()
	w := m.wait
	m.mu.Unlock()
	if w == nil {
		return
	}
	close(w.stop)
	<-w.done
	w.hand.close()
}

// app is the app serving now (the waiting one, then the full one).
func (m *Main) app() *fiber.App {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.App
}

// waitingApp answers every request 503 with a reason, JSON for /healthz
// and the API, a short bilingual text otherwise; Retry-After asks clients
// (kiosks, the reception system) to come back shortly.
func waitingApp() *fiber.App {
	app := fiber.New(fiber.Config{DisableStartupMessage: true, ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second, IdleTimeout: 5 * time.Second})
	app.Use(func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderRetryAfter, "5")
		c.Set(fiber.HeaderCacheControl, "no-store")
		c.Status(fiber.StatusServiceUnavailable)
		msg := "Hệ thống tạm thời không kết nối được cơ sở dữ liệu, xin thử lại sau ít phút. / The database cannot be reached for the moment: please try again in a few minutes."
		switch p := c.Path(); {
		case p == "/healthz":
			return c.JSON(fiber.Map{"status": "unavailable", "reason": "database unreachable"})
		case len(p) >= 5 && p[:5] == "/api/":
			return c.JSON(fiber.Map{"error": fiber.Map{"code": survey.EUNAVAILABLE, "message": msg}})
		}
		return c.SendString(msg)
	})
	return app
}

// handoff passes one listener's connections to a succession of servers:
// the waiting app's stage first, then the full app's, with no connection
// refused or lost in between (one accepted during the switch waits for the
// next stage).
type handoff struct {
	ln    net.Listener
	conns chan net.Conn
	quit  chan struct{}
	once  sync.Once
}

func newHandoff(ln net.Listener) *handoff {
	h := &handoff{ln: ln, conns: make(chan net.Conn), quit: make(chan struct{})}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				h.close()
				return
			}
			select {
			case h.conns <- c:
			case <-h.quit:
				c.Close()
				return
			}
		}
	}()
	return h
}

// stage is a listener that takes connections until it is closed.
func (h *handoff) stage() net.Listener {
	return &stageListener{h: h, done: make(chan struct{})}
}

// final is the last stage: closing it closes the real listener.
func (h *handoff) final() net.Listener {
	return &stageListener{h: h, done: make(chan struct{}), last: true}
}

func (h *handoff) close() {
	h.once.Do(func() {
		close(h.quit)
		h.ln.Close()
	})
}

type stageListener struct {
	h    *handoff
	done chan struct{}
	once sync.Once
	last bool
}

func (s *stageListener) Accept() (net.Conn, error) {
	select {
	case c := <-s.h.conns:
		return c, nil
	case <-s.done:
		return nil, net.ErrClosed
	case <-s.h.quit:
		return nil, net.ErrClosed
	}
}

func (s *stageListener) Close() error {
	s.once.Do(func() {
		close(s.done)
		if s.last {
			s.h.close()
		}
	})
	return nil
}

func (s *stageListener) Addr() net.Addr { return s.h.ln.Addr() }

// redacted is a store address without its password, for the log.
func redacted(addr string) string {
	u, err := url.Parse(addr)
	if err != nil {
		return "(an unreadable address)"
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	q.Del("password")
	u.RawQuery = q.Encode()
	return u.String()
}
