// Package notify sends what the outbox holds: webhook calls (signed, to
// public addresses unless allowed), e-mail through SMTP, the managers'
// alerts of new and escalated cases and their weekly digest. Delivery is at
// least once: a delivery is marked delivered only after the receiver
// accepted it, so a crash in between sends it again (receivers
// de-duplicate by event id; mails carry a Message-ID derived from the
// delivery id).
package notify

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"hailong/analytics/engine"
	"hailong/survey"
)

// Sender is the loop that empties the outbox.
type Sender struct {
	*survey.Services
	SMTP      *SMTP  // nil: mail is not configured and waits in the outbox
	PublicURL string // base of the links in mails (case pages, unsubscribe)
	Log       *slog.Logger
	Every     time.Duration // how often the outbox is polled (default 2 s)
	Workers   int           // deliveries sent at once (default 4)
	// Jobs, when set, makes one server at a time empty the outbox (several
	// servers on one database would otherwise send the same due deliveries
	// together); a server finding the lock held skips its turn.
	Jobs survey.JobLock

	strict, private *http.Client
	wake            chan struct{}
	stop            chan struct{}
	wg              sync.WaitGroup
	once            sync.Once
	ctx             context.Context
	cancel          context.CancelFunc
	digested        engine.Period // the week whose digests were queued by this process
	pruned          time.Time     // when old deliveries were last pruned
}

// batch is how many due deliveries one pass takes.
const batch = 256

// Start starts the loop in the background.
func (s *Sender) Start() {
	if s.Every <= 0 {
		s.Every = 2 * time.Second
	}
	if s.Workers <= 0 {
		s.Workers = 4
	}
	if s.Log == nil {
		s.Log = slog.Default()
	}
	s.strict, s.private = newClient(false), newClient(true)
	s.wake, s.stop = make(chan struct{}, 1), make(chan struct{})
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.wg.Add(1)
	go s.loop()
}

// Wake makes the loop look at the outbox now (after an enqueue).
func (s *Sender) Wake() {
	if s == nil || s.wake == nil {
		return
	}
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Close stops the loop: sends in flight are cancelled (they stay pending
// and are sent again at the next start), and Close returns once the loop
// has stopped, before the store is closed.
func (s *Sender) Close() {
	if s == nil || s.stop == nil {
		return
	}
	s.once.Do(func() {
		close(s.stop)
		s.cancel()
		s.wg.Wait()
	})
}

func (s *Sender) loop() {
	defer s.wg.Done()
	t := time.NewTicker(s.Every)
	defer t.Stop()
	for {
		s.turn()
		select {
		case <-s.stop:
			return
		case <-t.C:
		case <-s.wake:
		}
	}
}

// turn queues the week's digests, sends what is due and prunes, under the
// job lock when there is one.
func (s *Sender) turn() {
	if s.Jobs != nil {
		unlock, ok, err := s.Jobs.TryLock("outbox")
		if err != nil || !ok {
			return
		}
		defer unlock()
	}
	s.Digest(s.ctx)
	s.Pass(s.ctx)
	s.prune()
}

func (s *Sender) now() time.Time { return s.Clock.Now() }

// prune deletes, every hour, the deliveries finished more than
// survey.DeliveryKeep ago, so that the outbox does not grow without end.
func (s *Sender) prune() {
	now := s.now()
	if now.Sub(s.pruned) < time.Hour {
		return
	}
	s.pruned = now
	n, err := s.Outbox.PruneDeliveries(now.Add(-survey.DeliveryKeep))
	if err != nil {
		s.Log.Error("outbox: prune", "err", err)
	} else if n > 0 {
		s.Log.Info("outbox: old deliveries pruned", "deliveries", n)
	}
}

// Pass sends every delivery due now, Workers at a time, records each
// attempt, and returns how many it attempted. Mail waits (no attempt is
// recorded) while SMTP is not configured.
func (s *Sender) Pass(ctx context.Context) int {
	limit := batch
	if s.SMTP == nil {
		limit += s.Outbox.PendingCount()[survey.DeliverMail] // waiting mails must not hide the rest
	}
	ds, err := s.Outbox.Due(s.now(), limit)
	if err != nil {
		s.Log.Error("outbox", "err", err)
		return 0
	}
	sem := make(chan struct{}, s.Workers)
	var wg sync.WaitGroup
	n := 0
	for i := range ds {
		d := &ds[i]
		if d.Kind == survey.DeliverMail && s.SMTP == nil {
			continue
		}
		if ctx.Err() != nil {
			break
		}
		n++
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			s.deliver(ctx, d)
		}()
	}
	wg.Wait()
	return n
}

// deliver makes one attempt at d and records it, unless the sender is
// stopping (a cancelled attempt is not the receiver's failure).
func (s *Sender) deliver(ctx context.Context, d *survey.Delivery) {
	start := time.Now()
	status, err := s.send(ctx, d)
	if ctx.Err() != nil {
		return
	}
	a := survey.Attempt{At: s.now(), Status: status, Duration: time.Since(start).Round(time.Millisecond)}
	if err != nil {
		a.Error = clip(err.Error(), 500)
		s.Log.Warn("delivery failed", "id", d.ID, "kind", d.Kind, "status", status, "err", a.Error)
	}
	if err := s.Outbox.Attempted(d.ID, a, err == nil); err != nil {
		s.Log.Error("outbox: record attempt", "id", d.ID, "err", err)
	}
}

func (s *Sender) send(ctx context.Context, d *survey.Delivery) (int, error) {
	switch d.Kind {
	case survey.DeliverWebhook:
		w, err := s.Outbox.Webhook(d.Webhook)
		if err != nil {
			return 0, err
		}
		return s.postEvent(ctx, w, d.Event)
	case survey.DeliverMail:
		return s.SMTP.send(ctx, d.ID, d.Mail)
	case survey.DeliverAlert:
		return 0, s.alert(d)
	}
	return 0, survey.Errorf(survey.EINVALID, "unknown delivery kind %q", d.Kind)
}

// clip shortens s to at most n bytes on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}
