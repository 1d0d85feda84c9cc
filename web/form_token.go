package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// Form tokens let a browser that sends none of Sec-Fetch-Site, Origin and
// Referer (an old or header-stripping one, no JavaScript needed) post a
// public form without a session: the token is the time the form was shown
// and an HMAC of it, the form's purpose and the client's keyed address
// hash. It proves the post follows a form this server showed to the same
// address within maxAge; a cross-site page cannot read one for its
// visitor's address.

// FormToken returns the token of a form for purpose shown to client (its
// keyed address hash, Deps.ClientKey) at now.
func (ck *ClientKeys) FormToken(client, purpose string, now time.Time) string {
	ts := strconv.FormatInt(now.Unix(), 10)
	return ts + "." + ck.formMAC(client, purpose, ts)
}

// CheckFormToken reports whether tok is a token of purpose for client, made at
// most maxAge before now (and not after it, beyond a minute of skew).
func (ck *ClientKeys) CheckFormToken(client, purpose, tok string, now time.Time, maxAge time.Duration) bool {
	ts, mac, ok := strings.Cut(tok, ".")
	if !ok || len(ts) > 12 {
		return false
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	age := now.Sub(time.Unix(sec, 0))
	if age > maxAge || age < -time.Minute {
		return false
	}
	return hmac.Equal([]byte(mac), []byte(ck.formMAC(client, purpose, ts)))
}

func (ck *ClientKeys) formMAC(client, purpose, ts string) string {
	m := hmac.New(sha256.New, ck.key)
	m.Write([]byte("form-token\x00" + purpose + "\x00" + client + "\x00" + ts))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}
