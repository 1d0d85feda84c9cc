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

	"hailong/survey"
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

// TestReceptionCounterDuty signs staff on and off at counters from the
// reception page, as a receptionist does at a change of shift, and checks
// what the counter's kiosk is then told.
func TestReceptionCounterDuty(t *testing.T) {
	e := newReceiptEnv(t, func(dir string) {
		db, err := openTestStore(t, dir)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.PutStaff(survey.Staff{ID: "nv-c", Unit: "so-cong-thuong", Name: "Lê Văn Cường"}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []survey.Counter{{ID: "sct-q1", Unit: "so-cong-thuong", Name: "Quầy 1 – Công Thương"},
			{ID: "stp-q1", Unit: "so-tu-phap", Name: "Quầy 1 – Tư pháp"}} {
			if err := db.PutCounter(c); err != nil {
				t.Fatal(err)
			}
		}
		db.Close()
		mustCLI(t, "mật-khẩu-dài-đủ\n", "user", "add", "--data", dir, "--username", "lan", "--role", "reception",
			"--unit", "so-cong-thuong", "--password-stdin")
	})
	jar, _ := cookiejar.New(nil)
	b := &browserish{t: t, base: e.base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	login := b.do("GET", "/login", nil)
	b.do("POST", "/login", url.Values{"username": {"lan"}, "password": {"mật-khẩu-dài-đủ"}, "_csrf": {csrfOf(t, login)}})
	desk := b.do("GET", "/reception", nil)
	if desk.Status != 200 || !strings.Contains(desk.Body, "Công chức trực quầy") || !strings.Contains(desk.Body, `action="/reception/counters/sct-q1/sign-on"`) {
		t.Fatalf("duty table: %d", desk.Status)
	}
	if strings.Contains(desk.Body, "stp-q1") {
		t.Error("a counter outside the user's units is listed")
	}
	// Staff of the counter's unit (or above it) may serve there; nv-b works
	// in a department of Sở Công Thương, not at the agency's counter.
	if !strings.Contains(desk.Body, `<option value="nv-a">Nguyễn Thị Lan</option>`) || strings.Contains(desk.Body, `<option value="nv-b">Trần Văn Bình</option>`) {
		t.Error("the staff offered for the agency's counter are wrong")
	}
	csrf := csrfOf(t, desk)

	p := b.do("POST", "/reception/counters/sct-q1/sign-on", url.Values{"_csrf": {csrf}, "staff": {"nv-a"}})
	if p.Status != 200 || !strings.Contains(p.Body, "Nguyễn Thị Lan đã nhận Quầy 1") {
		t.Fatalf("sign on: %d", p.Status)
	}
	if s := e.m.DB.OnDuty("sct-q1"); s == nil || s.ID != "nv-a" {
		t.Fatalf("on duty: %+v", s)
	}
	if !strings.Contains(p.Body, "<strong>Nguyễn Thị Lan</strong>") || !strings.Contains(p.Body, `action="/reception/counters/sct-q1/sign-off"`) {
		t.Error("the page does not show who is on duty")
	}
	// The next shift: nv-c signs on, nv-a is off.
	if p := b.do("POST", "/reception/counters/sct-q1/sign-on", url.Values{"_csrf": {csrf}, "staff": {"nv-c"}}); p.Status != 200 {
		t.Fatalf("change of shift: %d", p.Status)
	}
	if s := e.m.DB.OnDuty("sct-q1"); s == nil || s.ID != "nv-c" {
		t.Fatalf("after the change of shift: %+v", s)
	}

	for _, c := range []struct {
		path   string
		form   url.Values
		status int
		beside string
	}{
		{"/reception/counters/sct-q1/sign-on", url.Values{"_csrf": {csrf}, "staff": {""}}, 422, `id="duty-sct-q1-error"`},
		{"/reception/counters/sct-q1/sign-on", url.Values{"_csrf": {csrf}, "staff": {"khong-co"}}, 422, `id="duty-sct-q1-error"`},
		{"/reception/counters/sct-q1/sign-on", url.Values{"_csrf": {csrf}, "staff": {"nv-b"}}, 422, `id="duty-sct-q1-error"`}, // a department's staff
		{"/reception/counters/stp-q1/sign-on", url.Values{"_csrf": {csrf}, "staff": {"nv-a"}}, 403, ""},
		{"/reception/counters/khong-co/sign-on", url.Values{"_csrf": {csrf}, "staff": {"nv-a"}}, 404, ""},
		{"/reception/counters/sct-q1/sign-on", url.Values{"staff": {"nv-a"}}, 403, ""}, // no CSRF token
		{"/reception/counters/stp-q1/sign-off", url.Values{"_csrf": {csrf}}, 403, ""},
	} {
		p := b.do("POST", c.path, c.form)
		if p.Status != c.status || !strings.Contains(p.Body, c.beside) {
			t.Errorf("%s %v: %d, want %d with %s", c.path, c.form, p.Status, c.status, c.beside)
		}
	}
	if s := e.m.DB.OnDuty("sct-q1"); s == nil || s.ID != "nv-c" {
		t.Fatalf("a refused request changed who is on duty: %+v", s)
	}

	if p := b.do("POST", "/reception/counters/sct-q1/sign-off", url.Values{"_csrf": {csrf}}); p.Status != 200 || !strings.Contains(p.Body, "Chưa có ai") {
		t.Fatalf("sign off: %d", p.Status)
	}
	if s := e.m.DB.OnDuty("sct-q1"); s != nil {
		t.Fatalf("still on duty: %+v", s)
	}
}
