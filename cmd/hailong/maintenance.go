package main

import (
	"hailong/survey"
	"log/slog"
	"time"
)

// maintenance runs the server's housekeeping once soon after start and then
// every Every: expired sessions are deleted, comments older than the
// retention setting (Quản trị → Cài đặt) are removed from the responses,
// overdue cases are escalated to the parent unit, and the contacts of cases
// closed longer than their retention are deleted.
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
	runLocked(m.Jobs, m.Log, "cases", func() { m.cases(now) })
}

// cases escalates overdue cases and purges expired contacts.
func (m *maintenance) cases(now time.Time) {
	if n, err := m.DB.EscalateOverdue(now); err != nil {
		m.Log.Error("escalating overdue cases", "err", err)
	} else {
		m.Log.Info("overdue cases escalated", "count", n)
	}
	if n, err := m.DB.PurgeContacts(now); err != nil {
		m.Log.Error("deleting expired case contacts", "err", err)
	} else {
		m.Log.Info("case contacts deleted", "count", n, "retention_days", m.DB.Settings().Retention.ContactDays)
	}
}

func (m *maintenance) close() {
	if m != nil && m.stop != nil {
		close(m.stop)
		<-m.done
	}
}
