package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"hailong/survey/storetest"
	"hailong/web"
)

// A pairing link is only redeemed by the page's button: link previews and
// mail scanners (HEAD, GET) get the confirmation page and no device
// cookie, and the link stays valid (issue 13, finding 7).
func TestKioskPairLinkNeedsConfirmation(t *testing.T) {
	dir, _, _ := setup(t)
	var k struct {
		ID      string `json:"id"`
		PairURL string `json:"pair_url"`
	}
	if err := json.Unmarshal([]byte(mustCLI(t, "", "kiosk", "add", "--data", dir, "--unit", "so-cong-thuong", "--name", "Ki-ốt Quầy 1")), &k); err != nil {
		t.Fatal(err)
	}
	m := MustRun(t, dir)
	base := "http://" + m.Addr
	code := k.PairURL[strings.LastIndex(k.PairURL, "/")+1:]
	send := func(method, u string, hdr map[string]string, body string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(method, u, strings.NewReader(body))
		if body != "" {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		return resp, string(raw)
	}
	for _, method := range []string{"HEAD", "GET", "GET"} { // a scanner, a preview, the person
		resp, page := send(method, base+k.PairURL, nil, "")
		if resp.StatusCode != 200 || len(resp.Cookies()) != 0 || resp.Header.Get("Set-Cookie") != "" {
			t.Fatalf("%s of the link: %d, cookies %v", method, resp.StatusCode, resp.Header["Set-Cookie"])
		}
		if method == "GET" && (!strings.Contains(page, `data-action="pair"`) || !strings.Contains(page, "Ghép nối ki-ốt này") ||
			!strings.Contains(page, "Sở Công Thương") || !strings.Contains(page, "Ki-ốt Quầy 1")) {
			t.Fatalf("confirmation page:\n%s", page)
		}
	}
	if got := m.DB.Kiosk(k.ID); !got.PairedAt.IsZero() || got.KeyHash != nil {
		t.Fatalf("looking at the link paired the kiosk: %+v", got)
	}
	form := url.Values{"code": {code}}.Encode()
	t.Run("CrossSitePost", func(t *testing.T) {
		for _, h := range []map[string]string{{"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}, {"Referer": "https://evil.example/x"}} {
			if resp, page := send("POST", base+"/kiosk/pair", h, form); resp.StatusCode != 403 || len(resp.Cookies()) != 0 ||
				!strings.Contains(page, "Không ghép nối được") {
				t.Fatalf("cross-site post %v: %d %v", h, resp.StatusCode, resp.Header["Set-Cookie"])
			}
		}
	})
	resp, _ := send("POST", base+"/kiosk/pair", map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": "null"}, form)
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == web.KioskCookie {
			cookie = c
		}
	}
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/kiosk?paired=1" || cookie == nil || !cookie.HttpOnly {
		t.Fatalf("pairing post: %d %v", resp.StatusCode, resp.Header)
	}
	if storetest.Must(m.DB.KioskByKey(cookie.Value)) == nil {
		t.Fatal("the cookie is not the kiosk's key")
	}
	for _, c := range []struct{ method, u, body string }{{"POST", base + "/kiosk/pair", form}, {"GET", base + k.PairURL, ""}} {
		if resp, page := send(c.method, c.u, nil, c.body); resp.StatusCode != 404 || len(resp.Cookies()) != 0 || !strings.Contains(page, "đã được dùng") {
			t.Fatalf("%s after pairing: %d\n%s", c.method, resp.StatusCode, page)
		}
	}
}
