package main

import (
	"hailong/survey"
	"log/slog"
	"time"
)

// maintenance runs the server's housekeeping once soon after start and then
// every Every: expired sessions are deleted, and comments older than the
// retention setting (Quản trị → Cài đặt) are removed from the responses.
type maintenance struct {
	DB    survey.Store
	Jobs  survey.JobLock // one server at a time
	Log   *slog.Logger
	Every time.Duration
	stop  chan struct{}
	done  chan struct{}
}

func (m *maintenance) start() {
	m.stop, m.done = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(m.done)
		wait := time.NewTimer(10 * time.Second)
		defer wait.Stop()
		for {
			select {
			case <-m.stop:
				return
			case <-wait.C:
				m.once(time.Now())
				wait.Reset(m.Every)
			}
		}
	}()
}

func (m *maintenance) once(now time.Time) {
	set := m.DB.Settings()
	runLocked(m.Jobs, m.Log, "sessions", func() {
		if n, err := m.DB.PruneSessions(set.Sessions); err != nil {
			m.Log.Error("pruning sessions", "err", err)
		} else if n > 0 {
			m.Log.Info("expired sessions deleted", "count", n)
		}
	})
	if days := set.Retention.CommentDays; days > 0 {
		runLocked(m.Jobs, m.Log, "comments", func() {
			n, err := m.DB.PurgeComments(now.AddDate(0, 0, -days))
			if err != nil {
				m.Log.Error("removing old comments", "err", err)
			} else if n > 0 {
				m.Log.Info("old comments removed", "count", n, "retention_days", days)
			}
		})
	}
}

func (m *maintenance) close() {
	if m != nil && m.stop != nil {
		close(m.stop)
		<-m.done
	}
}
