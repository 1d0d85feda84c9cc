package notify

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"hailong/survey"
)

// Mail goes out through github.com/wneessen/go-mail rather than net/smtp:
// net/smtp is frozen, offers only PLAIN and CRAM-MD5 (the LOGIN mechanism
// many hosted servers require is missing), has no implicit-TLS client and
// leaves the MIME encoding of a Vietnamese subject and body to us; go-mail
// discovers the server's mechanisms, does STARTTLS or implicit TLS, writes
// RFC 2047 subjects and quoted-printable UTF-8 bodies, and needs nothing
// outside the standard library and golang.org/x (pinned at v0.8.1, which
// builds with our Go).

// SMTPTimeout bounds one SMTP conversation.
const SMTPTimeout = 30 * time.Second

// SMTP is where mail goes: --smtp-url smtp://user:pass@host:port?from=…&tls=…
type SMTP struct {
	Host     string
	Port     int
	User     string
	Password string
	From     string // the sender address (From:)
	TLS      string // "starttls" (required), "tls" (implicit, port 465) or "none"
}

// ParseSMTPURL reads an --smtp-url. The default port is 587 for starttls,
// 465 for tls and 25 for none; from is required.
func ParseSMTPURL(raw string) (*SMTP, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
		return nil, errors.New("--smtp-url: use smtp://user:password@host:port?from=address&tls=starttls|tls|none")
	}
	q := u.Query()
	c := &SMTP{Host: u.Hostname(), From: q.Get("from"), TLS: strings.ToLower(q.Get("tls"))}
	if c.TLS == "" {
		c.TLS = map[string]string{"smtp": "starttls", "smtps": "tls"}[u.Scheme]
	}
	ports := map[string]int{"starttls": 587, "tls": 465, "none": 25}
	if _, ok := ports[c.TLS]; !ok {
		return nil, fmt.Errorf("--smtp-url: tls=%q: use starttls, tls or none", c.TLS)
	}
	c.Port = ports[c.TLS]
	if p := u.Port(); p != "" {
		if c.Port, err = strconv.Atoi(p); err != nil || c.Port < 1 || c.Port > 65535 {
			return nil, fmt.Errorf("--smtp-url: bad port %q", p)
		}
	}
	if u.User != nil {
		c.User = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	if err := (&survey.Mail{To: c.From, Subject: "x"}).Validate(); c.From == "" || err != nil {
		return nil, errors.New("--smtp-url: add the sender address, e.g. ?from=hailong@example.gov.vn")
	}
	return c, nil
}

// String describes the configuration with the password masked.
func (c *SMTP) String() string {
	if c == nil {
		return ""
	}
	user := ""
	if c.User != "" {
		user = url.User(c.User).String() + ":xxxxx@"
	}
	return "smtp://" + user + net.JoinHostPort(c.Host, strconv.Itoa(c.Port)) + "?from=" + c.From + "&tls=" + c.TLS
}

// send delivers one mail, id being its delivery id (the Message-ID is
// derived from it, so that a mail sent twice after a lost answer shows as
// the same message). It returns the SMTP reply code when there was one.
func (c *SMTP) send(ctx context.Context, id string, m *survey.Mail) (int, error) {
	msg := gomail.NewMsg()
	if err := msg.From(c.From); err != nil {
		return 0, err
	}
	if err := msg.To(m.To); err != nil {
		return 0, err
	}
	msg.Subject(m.Subject)
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	msg.SetMessageIDWithValue(messageID(id) + "@hailong")
	msg.SetDate()
	if m.Unsubscribe != "" {
		msg.SetListUnsubscribe(m.Unsubscribe)
		if strings.HasPrefix(m.Unsubscribe, "https://") { // RFC 8058 one-click needs https
			msg.SetListUnsubscribePost()
		}
	}
	client, err := gomail.NewClient(c.Host, c.options()...)
	if err != nil {
		return 0, err
	}
	ctx, cancel := context.WithTimeout(ctx, SMTPTimeout)
	defer cancel()
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		var se *gomail.SendError
		if errors.As(err, &se) {
			return se.ErrorCode(), err
		}
		return 0, err
	}
	return 250, nil
}

func (c *SMTP) options() []gomail.Option {
	opts := []gomail.Option{gomail.WithPort(c.Port), gomail.WithTimeout(SMTPTimeout)}
	switch c.TLS {
	case "tls":
		opts = append(opts, gomail.WithSSL())
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if c.User != "" {
		// The strongest mechanism the server offers; over an unencrypted
		// connection (tls=none, the administrator's choice for a local
		// relay) go-mail offers none, so PLAIN is named explicitly.
		auth := gomail.SMTPAuthAutoDiscover
		if c.TLS == "none" {
			auth = gomail.SMTPAuthPlainNoEnc
		}
		opts = append(opts, gomail.WithSMTPAuth(auth), gomail.WithUsername(c.User), gomail.WithPassword(c.Password))
	}
	return opts
}

// messageID keeps the characters of id a Message-ID may carry.
func messageID(id string) string {
	return strings.Map(func(r rune) rune {
		if r < 128 && (r == '-' || r == '.' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return r
		}
		return '_'
	}, id)
}
