package main

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The reception page, logged in as reception staff: issue a receipt by hand
// and print its slip, record a returned result.

var csrfRE = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

type browserish struct {
	t    *testing.T
	c    *http.Client
	base string
}

func (b *browserish) do(method, path string, form url.Values) htmlPage {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, b.base+path, body)
	req.Header.Set("Accept", "text/html")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return htmlPage{resp.StatusCode, resp.Header, string(raw)}
}

func csrfOf(t *testing.T, p htmlPage) string {
	t.Helper()
	m := csrfRE.FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("no CSRF token in the page (%d)", p.Status)
	}
	return m[1]
}

func TestReceptionPage(t *testing.T) {
	e := newReceiptEnv(t, func(dir string) {
		mustCLI(t, "mật-khẩu-dài-đủ\n", "user", "add", "--data", dir, "--username", "lan", "--role", "reception",
			"--unit", "so-cong-thuong", "--password-stdin")
	})
	jar, _ := cookiejar.New(nil)
	b := &browserish{t: t, base: e.base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if p := b.do("GET", "/reception", nil); p.Status != 303 || !strings.HasPrefix(p.Header.Get("Location"), "/login") {
		t.Fatalf("without a login: %d %v", p.Status, p.Header)
	}
	login := b.do("GET", "/login", nil)
	p := b.do("POST", "/login", url.Values{"username": {"lan"}, "password": {"mật-khẩu-dài-đủ"}, "_csrf": {csrfOf(t, login)}})
	if p.Status != 303 || p.Header.Get("Location") != "/reception" {
		t.Fatalf("login: %d %v", p.Status, p.Header)
	}
	desk := b.do("GET", "/reception", nil)
	if desk.Status != 200 || !strings.Contains(desk.Body, "Cấp giấy tiếp nhận có mã QR") || !strings.Contains(desk.Body, "Nguyễn Thị Lan") ||
		strings.Contains(desk.Body, `value="so-tu-phap"`) {
		t.Fatalf("reception page: %d\n%s", desk.Status, desk.Body)
	}
	// The procedure field suggests the catalogue.
	if !strings.Contains(desk.Body, `list="procedure-list"`) ||
		!strings.Contains(desk.Body, `<option value="1.004227">Cấp Giấy chứng nhận đủ điều kiện kinh doanh xăng dầu</option>`) {
		t.Error("the procedure field does not suggest the catalogue")
	}
	csrf := csrfOf(t, desk)
	today := time.Now().In(mustZone(t))
	issue := url.Values{"_csrf": {csrf}, "dossier_code": {"HS-DESK-1"}, "unit": {"so-cong-thuong"}, "procedure": {"1.004227"},
		"staff": {"nv-a"}, "received_at": {today.Format("2006-01-02T15:04")}, "due_at": {""}}

	if p := b.do("POST", "/reception/receipts", url.Values{"dossier_code": {"HS-X"}}); p.Status != 403 {
		t.Fatalf("post without the CSRF token: %d", p.Status)
	}
	p = b.do("POST", "/reception/receipts", issue)
	if p.Status != 422 || !strings.Contains(p.Body, `id="issue-due-error"`) || !strings.Contains(p.Body, `value="HS-DESK-1"`) {
		t.Fatalf("no due date: %d\n%s", p.Status, p.Body)
	}
	outside := url.Values{}
	for k, v := range issue {
		outside[k] = v
	}
	outside.Set("unit", "so-tu-phap")
	outside.Set("due_at", today.AddDate(0, 0, 5).Format("2006-01-02"))
	if p := b.do("POST", "/reception/receipts", outside); p.Status != 403 || !strings.Contains(p.Body, `id="issue-unit-error"`) {
		t.Fatalf("unit outside the subtree: %d", p.Status)
	}
	issue.Set("due_at", today.AddDate(0, 0, 5).Format("2006-01-02"))
	p = b.do("POST", "/reception/receipts", issue)
	slip := p.Header.Get("Location")
	token := strings.TrimSuffix(strings.TrimPrefix(slip, "/receipts/"), "/slip")
	if p.Status != 303 || len(token) != 43 {
		t.Fatalf("issue: %d %v", p.Status, p.Header)
	}
	if p := b.do("GET", slip, nil); p.Status != 200 || !strings.Contains(p.Body, "HS-DESK-1") || !strings.Contains(p.Body, "Nguyễn Thị Lan") {
		t.Fatalf("slip after issuing: %d", p.Status)
	}
	if p := e.get(e.base+"/r/"+token, ""); p.Status != 200 {
		t.Fatalf("the new receipt's form: %d", p.Status)
	}

	finish := url.Values{"_csrf": {csrf}, "code": {"HS-DESK-1"}, "finished_at": {today.Format("2006-01-02")}, "supplement_days": {""}}
	p = b.do("POST", "/reception/finish", finish)
	if p.Status != 200 || !strings.Contains(p.Body, "Đã ghi nhận trả kết quả hồ sơ HS-DESK-1: trước hạn") {
		t.Fatalf("finish: %d\n%s", p.Status, p.Body)
	}
	if d, _ := e.m.DB.Dossier("HS-DESK-1"); d.FinishedAt.IsZero() {
		t.Fatal("not finished")
	}
	finish.Set("code", "HS-NONE")
	if p := b.do("POST", "/reception/finish", finish); p.Status != 404 || !strings.Contains(p.Body, `id="finish-code-error"`) {
		t.Fatalf("unknown dossier: %d", p.Status)
	}
	finish.Set("code", "HS-DESK-1")
	finish.Set("supplement_days", "ba")
	if p := b.do("POST", "/reception/finish", finish); p.Status != 422 || !strings.Contains(p.Body, `id="finish-supplement-error"`) {
		t.Fatalf("bad supplement days: %d", p.Status)
	}
}
