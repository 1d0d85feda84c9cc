package main

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// Citizens' forms refuse posts that other web pages make their visitors'
// browsers send (issue 13, finding 8): 403, nothing stored.

var formTokenRE = regexp.MustCompile(`name="ft" value="([^"]+)"`)

// formPost posts form values to u with the given headers.
func (e *receiptEnv) formPost(u string, v url.Values, hdr map[string]string) htmlPage {
	e.t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "text/html")
	for k, val := range hdr {
		req.Header.Set(k, val)
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return htmlPage{resp.StatusCode, resp.Header, string(b)}
}

// posterToken reads the form token of a freshly shown poster form.
func (e *receiptEnv) posterToken(u string) string {
	e.t.Helper()
	m := formTokenRE.FindStringSubmatch(e.get(u, "").Body)
	if m == nil {
		e.t.Error("the poster form has no form token")
		return ""
	}
	return m[1]
}

func TestPosterRefusesCrossSitePosts(t *testing.T) {
	e := newReceiptEnv(t)
	poster := e.base + "/f/so-cong-thuong"
	ft := e.posterToken(poster)
	answer := func(token string) url.Values { return url.Values{"c.overall": {"4"}, "ft": {token}} }
	const evil = "https://evil.example"
	for _, c := range []struct {
		name string
		hdr  map[string]string
		ft   string
	}{
		{"CrossOrigin", map[string]string{"Origin": evil}, ft},
		{"CrossReferer", map[string]string{"Referer": evil + "/trang-bay"}, ft},
		{"NullOriginCrossReferer", map[string]string{"Origin": "null", "Referer": evil + "/"}, ft},
		{"FetchCrossSite", map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "null"}, ft},
		{"FetchSameSite", map[string]string{"Sec-Fetch-Site": "same-site"}, ft},
		{"NoHeadersNoToken", nil, ""},
		{"NullOriginNoToken", map[string]string{"Origin": "null"}, ""},
		{"NoHeadersForgedToken", nil, "1700000000.AAAAAAAAAAAAAAAAAAAAAA"},
		{"NoHeadersOtherUnitsToken", nil, e.posterToken(e.base + "/f/so-tu-phap")},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := len(e.responses())
			p := e.formPost(poster, answer(c.ft), c.hdr)
			if p.Status != 403 || !strings.Contains(p.Body, "Phiếu không được gửi từ trang của cơ quan") ||
				!strings.Contains(p.Body, "agency&#39;s own page") || !strings.Contains(p.Body, `href="/f/so-cong-thuong?lang=vi"`) {
				t.Fatalf("got %d, want the 403 page:\n%s", p.Status, p.Body)
			}
			if after := len(e.responses()); after != before {
				t.Fatalf("%d responses before, %d after", before, after)
			}
		})
	}
	for _, c := range []struct {
		name string
		hdr  map[string]string
		ft   string
	}{
		{"SameOrigin", map[string]string{"Origin": e.base}, ""},
		{"ChromiumNoReferrer", map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": "null"}, ""},
		{"SameReferer", map[string]string{"Referer": poster}, ""},
		{"NoHeadersWithToken", nil, ft},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := len(e.responses())
			if p := e.formPost(poster, answer(c.ft), c.hdr); p.Status != 200 || !strings.Contains(p.Body, `data-screen="thanks"`) {
				t.Fatalf("got %d:\n%s", p.Status, p.Body)
			}
			if after := len(e.responses()); after != before+1 {
				t.Fatalf("%d responses before, %d after", before, after)
			}
		})
	}
}

// The receipt form's token is its capability; a post the browser marks as
// cross-site is refused all the same, and the receipt stays open.
func TestReceiptFormRefusesCrossSitePosts(t *testing.T) {
	e := newReceiptEnv(t)
	rc := e.issue(receiptBody("HS-CSRF"))
	answer := url.Values{"c.overall": {"1"}}
	for _, hdr := range []map[string]string{{"Origin": "https://evil.example"}, {"Referer": "https://evil.example/"}, {"Sec-Fetch-Site": "cross-site"}} {
		if p := e.formPost(rc.SurveyURL, answer, hdr); p.Status != 403 || !strings.Contains(p.Body, "Phiếu không được gửi từ trang của cơ quan") {
			t.Fatalf("%v: %d\n%s", hdr, p.Status, p.Body)
		}
	}
	if d, _ := e.m.DB.Dossier("HS-CSRF"); d.Answered || len(e.responses()) != 0 {
		t.Fatal("a cross-site post answered the receipt")
	}
	if p := e.formPost(rc.SurveyURL, answer, nil); p.Status != 200 || len(e.responses()) != 1 {
		t.Fatalf("a post without headers (the token suffices): %d", p.Status)
	}
}
