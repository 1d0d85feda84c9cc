package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"hailong/survey"
)

// WebhookTimeout bounds one webhook call, connection to last byte.
const WebhookTimeout = 10 * time.Second

// Sign returns the X-Hailong-Signature value of body sent at ts (Unix
// seconds) with secret: "t=<ts>,v1=<hex HMAC-SHA256 of "<ts>.<body>">".
func Sign(secret string, ts int64, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "%d.", ts)
	mac.Write(body)
	return "t=" + strconv.FormatInt(ts, 10) + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}

// Verify checks a signature header against body and secret, and that its
// time lies within tolerance of now (what a receiver does; docs/INTEGRATION.md).
func Verify(secret, header string, body []byte, now time.Time, tolerance time.Duration) error {
	var ts int64 = -1
	var sigs []string
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts, _ = strconv.ParseInt(v, 10, 64)
		case "v1":
			sigs = append(sigs, v)
		}
	}
	if ts < 0 || len(sigs) == 0 {
		return errors.New("malformed signature header")
	}
	if d := now.Sub(time.Unix(ts, 0)); d > tolerance || d < -tolerance {
		return errors.New("signature timestamp out of tolerance")
	}
	_, want, _ := strings.Cut(Sign(secret, ts, body), ",v1=")
	for _, s := range sigs {
		if hmac.Equal([]byte(s), []byte(want)) {
			return nil
		}
	}
	return errors.New("signature mismatch")
}

// newClient returns the HTTP client of webhook calls: no proxy (the
// address check is on the address dialled), no redirects (a 3xx is a
// failure: the receiver must give its final URL), a timeout per call, and,
// unless private is true, a dialer that refuses non-public addresses.
func newClient(private bool) *http.Client {
	d := &net.Dialer{Timeout: WebhookTimeout}
	if !private {
		d.Control = guard
	}
	tr := &http.Transport{DialContext: d.DialContext, TLSHandshakeTimeout: WebhookTimeout,
		ResponseHeaderTimeout: WebhookTimeout, MaxIdleConnsPerHost: 2, IdleConnTimeout: 90 * time.Second}
	return &http.Client{Transport: tr, Timeout: WebhookTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// postEvent sends one webhook delivery and returns the HTTP status (0 when
// none came back); delivered means a 2xx.
func (s *Sender) postEvent(ctx context.Context, w *survey.Webhook, ev *survey.Event) (int, error) {
	if w.Disabled {
		return 0, errors.New("webhook disabled")
	}
	if err := survey.CheckWebhookURL(w.URL); err != nil {
		return 0, err
	}
	body, err := json.Marshal(ev)
	if err != nil {
		return 0, err
	}
	ctx, cancel := context.WithTimeout(ctx, WebhookTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	ts := s.now().Unix()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "hailong-webhook/1")
	req.Header.Set("X-Hailong-Event", ev.Type)
	req.Header.Set("X-Hailong-Delivery", ev.ID)
	req.Header.Set("X-Hailong-Timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("X-Hailong-Signature", Sign(w.Secret, ts, body))
	client := s.strict
	if w.AllowPrivate {
		client = s.private
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return resp.StatusCode, nil
}
