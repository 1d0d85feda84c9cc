package survey

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// The outbox: everything that leaves the installation — webhook calls and
// e-mails — is first written as a Delivery in the database, in the same
// transaction as the change it reports, then sent by the sender (package
// notify) with retries and backoff. A restart loses nothing; delivery is at
// least once (receivers de-duplicate by Event.ID).

// Event types a webhook may subscribe to.
const (
	EventResponseCreated = "response.created" // a response stored (data: id, unit, channel, counted/excluded)
	EventCaseOpened      = "case.opened"      // a case opened (data: the case without its contact)
	EventCaseUpdated     = "case.updated"     // a case's status, assignee, reply, escalation or rating changed
	EventDossierFinished = "dossier.finished" // a dossier's result returned (data: code, unit, finished_at, on_time)
)

// EventTypes are the event types, in the order the admin page lists them.
var EventTypes = []string{EventResponseCreated, EventCaseOpened, EventCaseUpdated, EventDossierFinished}

// Event is one thing that happened, as webhooks receive it (the body of a
// webhook delivery is its JSON).
type Event struct {
	ID   string          `json:"id"` // UUID, for de-duplication by receivers
	Type string          `json:"type"`
	At   time.Time       `json:"at"`
	Data json.RawMessage `json:"data"`
}

// Webhook is an endpoint an administrator registered.
type Webhook struct {
	ID     string   `json:"id"`
	Name   string   `json:"name"`
	URL    string   `json:"url"`
	Events []string `json:"events"`
	// Secret signs each delivery (HMAC-SHA256, see docs/INTEGRATION.md).
	// Shown once at creation.
	Secret string `json:"secret"`
	// AllowPrivate lets the URL resolve to a loopback, link-local or private
	// address (an administrator's explicit choice, for an on-site gateway).
	AllowPrivate bool      `json:"allow_private,omitempty"`
	Disabled     bool      `json:"disabled,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
}

// Wants reports whether the webhook is enabled and subscribes to typ.
func (w *Webhook) Wants(typ string) bool {
	if w.Disabled {
		return false
	}
	for _, e := range w.Events {
		if e == typ {
			return true
		}
	}
	return false
}

// Delivery kinds.
const (
	DeliverWebhook = "webhook" // POST Event JSON to Webhook.URL
	DeliverMail    = "mail"    // send Mail through SMTP
	// DeliverAlert is internal: the sender turns a case event into one mail
	// per manager who wants alerts (deliveries of kind mail with IDs derived
	// from the alert's, so a retry never sends twice).
	DeliverAlert = "alert"
)

// Delivery states.
const (
	DeliveryPending   = "pending"   // waiting for its next attempt (NextAt)
	DeliveryDelivered = "delivered" // the receiver accepted it
	DeliveryFailed    = "failed"    // gave up after MaxAttempts; "send again" requeues it
)

// MaxAttempts is how many attempts a delivery gets before it is failed.
const MaxAttempts = 10

// DeliveryKeep is how long delivered and failed deliveries are kept (the
// sender prunes older ones every hour).
const DeliveryKeep = 30 * 24 * time.Hour

// Mail is an e-mail waiting in the outbox.
type Mail struct {
	To      string `json:"to"`
	Subject string `json:"subject"`
	Text    string `json:"text"` // plain text body (UTF-8)
	// Unsubscribe is the one-click unsubscribe URL (List-Unsubscribe), if any.
	Unsubscribe string `json:"unsubscribe,omitempty"`
}

// Delivery is one message in the outbox, with its attempts.
type Delivery struct {
	ID        string    `json:"id"`
	Kind      string    `json:"kind"`              // Deliver*
	Webhook   string    `json:"webhook,omitempty"` // webhook id (kind webhook)
	Event     *Event    `json:"event,omitempty"`   // kinds webhook and alert
	Mail      *Mail     `json:"mail,omitempty"`    // kind mail
	State     string    `json:"state"`
	CreatedAt time.Time `json:"created_at"`
	NextAt    time.Time `json:"next_at"`
	Attempts  []Attempt `json:"attempts,omitempty"`
	// RequeuedAt is when "send again" last put it back: the backoff and
	// MaxAttempts count the attempts since then.
	RequeuedAt time.Time `json:"requeued_at,omitzero"`
}

// Tries returns the number of attempts since the delivery was last requeued.
func (d *Delivery) Tries() int {
	n := 0
	for _, a := range d.Attempts {
		if !a.At.Before(d.RequeuedAt) {
			n++
		}
	}
	return n
}

// Attempt is one try at a delivery.
type Attempt struct {
	At       time.Time     `json:"at"`
	Status   int           `json:"status,omitempty"` // HTTP status, or SMTP reply code
	Error    string        `json:"error,omitempty"`
	Duration time.Duration `json:"duration"`
}

// Backoff is the wait after the n-th failed attempt (1-based): 30 s, 1 min,
// 2 min … doubling, at most 6 h.
func Backoff(n int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < n && d < 6*time.Hour; i++ {
		d *= 2
	}
	return min(d, 6*time.Hour)
}

// DeliveryQuery selects deliveries for the admin page.
type DeliveryQuery struct {
	Kind    string // "" = any
	State   string // "" = any
	Webhook string // "" = any
	Limit   int    // 0 = 200
}

// MaxWebhookURL is the longest webhook URL accepted.
const MaxWebhookURL = 2000

// Validate checks the webhook's own fields: a name, an absolute http(s) URL
// with a host and no credentials, and at least one known event type. The
// addresses the URL resolves to are the sender's check (package notify).
func (w *Webhook) Validate() error {
	if err := CheckName("name", w.Name, 100); err != nil {
		return err
	}
	if err := CheckWebhookURL(w.URL); err != nil {
		return err
	}
	if len(w.Events) == 0 {
		return FieldError("events", "Chọn ít nhất một sự kiện. / Choose at least one event.")
	}
	for _, e := range w.Events {
		if !slices.Contains(EventTypes, e) {
			return FieldError("events", "Sự kiện %q không tồn tại. / Unknown event %q.", e, e)
		}
	}
	return nil
}

// CheckWebhookURL checks that s is an absolute http or https URL with a
// host and without user information (field "url").
func CheckWebhookURL(s string) error {
	if s == "" {
		return FieldError("url", "Thiếu địa chỉ URL. / The URL is required.")
	}
	u, err := url.Parse(s)
	if err != nil || len(s) > MaxWebhookURL || !utf8.ValidString(s) || strings.ContainsAny(s, " \t\r\n") {
		return FieldError("url", "Địa chỉ URL không hợp lệ. / The URL is not valid.")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return FieldError("url", "Chỉ nhận địa chỉ http:// hoặc https://. / Only http:// and https:// URLs are accepted.")
	}
	if u.Hostname() == "" || u.User != nil || u.Opaque != "" {
		return FieldError("url", "Địa chỉ URL phải có tên máy chủ và không chứa mật khẩu. / The URL needs a host name and no password.")
	}
	return nil
}

// MaxMailText bounds a queued mail's body (runes).
const MaxMailText = 100000

// Validate checks a delivery before it is queued: a known kind with what
// that kind sends (a mail with one recipient and a subject; an event).
func (d *Delivery) Validate() error {
	switch d.Kind {
	case DeliverMail:
		if d.Mail == nil {
			return FieldError("mail", "Thiếu thư. / The mail is missing.")
		}
		return d.Mail.Validate()
	case DeliverAlert, DeliverWebhook:
		if d.Event == nil || d.Event.ID == "" || d.Event.Type == "" {
			return FieldError("event", "Thiếu sự kiện. / The event is missing.")
		}
		if d.Kind == DeliverWebhook && d.Webhook == "" {
			return FieldError("webhook", "Thiếu webhook. / The webhook is missing.")
		}
		return nil
	}
	return FieldError("kind", "Loại gửi %q không tồn tại. / Unknown delivery kind %q.", d.Kind, d.Kind)
}

// Validate checks a mail: one address, a one-line subject, a body of at
// most MaxMailText characters, all valid UTF-8.
func (m *Mail) Validate() error {
	if !ValidEmail(m.To) {
		return FieldError("to", "Địa chỉ e-mail không hợp lệ. / The e-mail address is not valid.")
	}
	if strings.TrimSpace(m.Subject) == "" || strings.ContainsAny(m.Subject, "\r\n") || utf8.RuneCountInString(m.Subject) > 300 || !utf8.ValidString(m.Subject) {
		return FieldError("subject", "Tiêu đề thư phải là một dòng, tối đa 300 ký tự. / The subject must be one line of at most 300 characters.")
	}
	if !utf8.ValidString(m.Text) || utf8.RuneCountInString(m.Text) > MaxMailText {
		return FieldError("text", "Nội dung thư không hợp lệ hoặc quá dài. / The mail body is not valid or too long.")
	}
	return nil
}
