package survey

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// What a one-click unsubscribe link stops.
const (
	UnsubAlerts = "alerts" // the alerts of new and escalated cases
	UnsubDigest = "digest" // the weekly digest
)

// UnsubscribeToken is the token of the one-click link that stops kind for
// username: the username and kind, readable, and an HMAC-SHA256 over both
// with the installation's secret key. It never expires and needs no login;
// only whoever holds the mail has it.
func UnsubscribeToken(key, username, kind string) string {
	payload := base64.RawURLEncoding.EncodeToString([]byte(kind + ":" + username))
	return payload + "." + base64.RawURLEncoding.EncodeToString(unsubMAC(key, username, kind))
}

// ParseUnsubscribeToken returns the username and kind of a token made with
// key; ok is false for anything else (forged, truncated, another key).
func ParseUnsubscribeToken(key, token string) (username, kind string, ok bool) {
	p, sig, found := strings.Cut(token, ".")
	if !found || len(token) > 300 {
		return "", "", false
	}
	raw, err1 := base64.RawURLEncoding.DecodeString(p)
	mac, err2 := base64.RawURLEncoding.DecodeString(sig)
	if err1 != nil || err2 != nil {
		return "", "", false
	}
	kind, username, found = strings.Cut(string(raw), ":")
	if !found || (kind != UnsubAlerts && kind != UnsubDigest) || !hmac.Equal(mac, unsubMAC(key, username, kind)) {
		return "", "", false
	}
	return username, kind, true
}

func unsubMAC(key, username, kind string) []byte {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte("hailong-unsubscribe\x00" + kind + "\x00" + username))
	return m.Sum(nil)
}
