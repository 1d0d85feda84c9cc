package survey

import (
	"time"
)

// Session is a logged-in browser. It is stored under the hash of its id, so a
// copy of the database does not hold usable session cookies.
type Session struct {
	Username  string    `json:"username"`
	CSRF      string    `json:"csrf"` // synchronizer token for the session's forms
	CreatedAt time.Time `json:"created_at"`
	LastSeen  time.Time `json:"last_seen"`
}

// SessionPolicy bounds a session's life: Idle since the last request,
// Max since login.
type SessionPolicy struct {
	Idle time.Duration
	Max  time.Duration
}

// DefaultSessionPolicy suits an office day: an hour idle, twelve hours at most.
var DefaultSessionPolicy = SessionPolicy{Idle: time.Hour, Max: 12 * time.Hour}

// Expired reports whether the session is over at now.
func (s *Session) Expired(p SessionPolicy, now time.Time) bool {
	return now.Sub(s.LastSeen) >= p.Idle || now.Sub(s.CreatedAt) >= p.Max
}

// AuditEntry records an administrative action: who, what, when.
type AuditEntry struct {
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`  // username, "token:<name>" or "cli"
	Action string    `json:"action"` // e.g. "user.add", "response.flag"
	Target string    `json:"target,omitempty"`
	Detail string    `json:"detail,omitempty"`
}
