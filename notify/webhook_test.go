package notify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
)

// docsVerify is the Go example of docs/INTEGRATION.md, verbatim: a
// receiver's check must accept what Sign writes.
func docsVerify(secret, header string, body []byte) bool {
	var ts, sig string
	for _, p := range strings.Split(header, ",") {
		if k, v, ok := strings.Cut(p, "="); ok && k == "t" {
			ts = v
		} else if ok && k == "v1" {
			sig = v
		}
	}
	t, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || math.Abs(time.Since(time.Unix(t, 0)).Seconds()) > 300 {
		return false
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	return hmac.Equal([]byte(sig), []byte(hex.EncodeToString(mac.Sum(nil))))
}

func TestSignatureAsDocumented(t *testing.T) {
	body := []byte(`{"id":"6f0c3c1e","type":"response.created","data":{"unit":"sở-a"}}`)
	now := time.Now()
	h := Sign("bí mật", now.Unix(), body)
	if !docsVerify("bí mật", h, body) || Verify("bí mật", h, body, now, time.Minute) != nil {
		t.Fatalf("%s does not verify", h)
	}
	// A known vector (computed with Python's hmac), so that receivers in
	// other languages can check theirs (docs/INTEGRATION.md).
	if got := Sign("secret", 1700000000, []byte(`{}`)); got != "t=1700000000,v1=b8569b78799ff9e3cbff0fc2d63a33a2b57f3282abd07c37ae5e8e7d79a5f163" {
		t.Errorf("Sign = %s", got)
	}
	for _, bad := range []string{Sign("other", now.Unix(), body), Sign("bí mật", now.Add(-time.Hour).Unix(), body), "v1=00", ""} {
		if docsVerify("bí mật", bad, body) || Verify("bí mật", bad, body, now, 5*time.Minute) == nil {
			t.Errorf("%q verified", bad)
		}
	}
	if docsVerify("bí mật", h, append(body, ' ')) {
		t.Error("a changed body verified")
	}
}

func TestParseSMTPURL(t *testing.T) {
	c, err := ParseSMTPURL("smtp://th%C6%B0:m%E1%BA%ADt@mail.example.vn?from=hailong@example.vn")
	if err != nil || c.Port != 587 || c.TLS != "starttls" || c.User != "thư" || c.Password != "mật" || c.From != "hailong@example.vn" {
		t.Fatalf("%+v %v", c, err)
	}
	if s := c.String(); strings.Contains(s, "mật") || !strings.Contains(s, "xxxxx") {
		t.Errorf("String() = %s", s)
	}
	if c, err := ParseSMTPURL("smtps://mail.example.vn?from=a@example.vn"); err != nil || c.Port != 465 || c.TLS != "tls" {
		t.Errorf("smtps: %+v %v", c, err)
	}
	for _, bad := range []string{"http://mail.example.vn?from=a@example.vn", "smtp://mail.example.vn", "smtp://mail.example.vn?from=a@example.vn&tls=maybe",
		"smtp://mail.example.vn:99999?from=a@example.vn", "smtp://?from=a@example.vn"} {
		if _, err := ParseSMTPURL(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}
