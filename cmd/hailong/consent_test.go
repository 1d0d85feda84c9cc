package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"hailong/survey"
)

// Issue 16, item 1: after a dissatisfied answer the citizen may leave a
// contact for a reply, or file a formal petition. Through the real server:
// the forms without JavaScript (plain posts), and the kiosk's API route.

// lockedBuffer collects the server's log.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// consentEnv is a server whose log is kept (at debug level), with two
// paired kiosks of Sở Công Thương.
type consentEnv struct {
	*receiptEnv
	log    *lockedBuffer
	kiosk2 *http.Client
}

func newConsentEnv(t *testing.T) *consentEnv {
	t.Helper()
	dir, reception, viewer := setup(t)
	db, err := openTestStore(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.PutStaff(survey.Staff{ID: "nv-a", Unit: "so-cong-thuong", Name: "Nguyễn Thị Lan"}); err != nil {
		t.Fatal(err)
	}
	if err := db.PutProcedures([]survey.Procedure{{Code: "1.004227", Name: "Cấp Giấy chứng nhận đủ điều kiện kinh doanh xăng dầu"}}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	pairs := make([]string, 2)
	for i := range pairs {
		var k struct {
			PairURL string `json:"pair_url"`
		}
		json.Unmarshal([]byte(mustCLI(t, "", "kiosk", "add", "--data", dir, "--unit", "so-cong-thuong", "--name", fmt.Sprintf("Ki-ốt %d", i+1))), &k)
		pairs[i] = k.PairURL
	}
	log := &lockedBuffer{}
	m := &Main{Config: Config{Addr: "127.0.0.1:0", Data: dir, DB: testAddr(t, dir), TZ: "Asia/Ho_Chi_Minh"},
		Log: slog.New(slog.NewTextHandler(log, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	if err := m.Run(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	e := &consentEnv{receiptEnv: &receiptEnv{t: t, m: m, dir: dir, base: "http://" + m.Addr, reception: reception, viewer: viewer}, log: log}
	clients := make([]*http.Client, 2)
	for i, u := range pairs {
		jar, _ := cookiejar.New(nil)
		clients[i] = &http.Client{Jar: jar}
		if resp := pairDevice(t, clients[i], e.base, u); resp.StatusCode != 200 {
			t.Fatalf("pairing kiosk %d: %d", i+1, resp.StatusCode)
		}
	}
	e.kiosk, e.kiosk2 = clients[0], clients[1]
	return e
}

var (
	contactFormRE  = regexp.MustCompile(`<form method="post" action="(/contact/[0-9a-f-]{36})"`)
	contactTokenRE = regexp.MustCompile(`name="t" value="([^"]+)"`)
)

// contactStep returns the step's action and token on page p, or "" when
// the page has none.
func contactStep(p htmlPage) (action, token string) {
	m, tk := contactFormRE.FindStringSubmatch(p.Body), contactTokenRE.FindStringSubmatch(p.Body)
	if m == nil || tk == nil {
		return "", ""
	}
	return m[1], tk[1]
}

// The phone numbers the tests leave, in every way they may be written.
const testPhone = "0912345678"

var phoneForms = []string{testPhone, "912345678", "0912 345 678", "+84912345678"}

func TestConsentFormsWithoutJavaScript(t *testing.T) {
	e := newConsentEnv(t)
	answer := func(code, overall string) htmlPage {
		t.Helper()
		rc := e.issue(receiptBody(code))
		p := e.form(rc.SurveyURL, url.Values{"c.overall": {overall}, "comment": {"Chờ lâu, không có ghế"}})
		if p.Status != 200 || !strings.Contains(p.Body, `data-screen="thanks"`) {
			t.Fatalf("answer: %d\n%s", p.Status, p.Body)
		}
		return p
	}
	if a, _ := contactStep(answer("HS-C-POS", "4")); a != "" {
		t.Fatal("the contact step follows a satisfied answer")
	}
	p := answer("HS-C-NEG", "1")
	action, token := contactStep(p)
	if action == "" || !strings.Contains(p.Body, "Sở Công Thương dùng số điện thoại hoặc thư điện tử này chỉ để trả lời tôi") {
		t.Fatalf("no contact step after a dissatisfied answer:\n%s", p.Body)
	}
	stored := len(e.responses())
	send := func(v url.Values) htmlPage {
		t.Helper()
		v.Set("t", token)
		v.Set("do", "send")
		return e.form(e.base+action, v)
	}

	t.Run("BadPhone", func(t *testing.T) {
		p := send(url.Values{"phone": {"0123 45"}})
		if p.Status != 422 || !strings.Contains(p.Body, `<p class="err" id="e-phone">Số điện thoại di động không hợp lệ`) ||
			!strings.Contains(p.Body, `aria-invalid="true"`) || !strings.Contains(p.Body, `value="0123 45"`) {
			t.Fatalf("%d\n%s", p.Status, p.Body)
		}
		p = send(url.Values{"email": {"không phải thư"}, "lang": {"en"}})
		if p.Status != 422 || !strings.Contains(p.Body, `<p class="err" id="e-email">Not an e-mail address`) {
			t.Fatalf("%d\n%s", p.Status, p.Body)
		}
		if n := len(e.responses()); n != stored {
			t.Fatalf("%d responses, want %d", n, stored)
		}
		if cs, err := e.m.DB.Cases(survey.CaseQuery{}); err != nil || len(cs) != 0 {
			t.Fatalf("cases after refusals: %+v %v", cs, err)
		}
	})
	t.Run("Forged", func(t *testing.T) {
		other, _ := contactStep(answer("HS-C-OTHER", "2"))
		for name, c := range map[string][2]string{"Token": {action, token[:len(token)-2] + "xx"}, "NoToken": {action, ""},
			"OtherResponse": {other, token}, "UnknownResponse": {"/contact/0190f0f0-0000-7000-8000-000000000000", token}} {
			p := e.form(e.base+c[0], url.Values{"t": {c[1]}, "do": {"send"}, "phone": {testPhone}})
			if p.Status != 404 || !strings.Contains(p.Body, "Không gửi được yêu cầu") {
				t.Errorf("%s: %d\n%s", name, p.Status, p.Body)
			}
		}
		if cs, _ := e.m.DB.Cases(survey.CaseQuery{}); len(cs) != 0 {
			t.Fatalf("forged posts opened %+v", cs)
		}
	})
	t.Run("Sent", func(t *testing.T) {
		p := send(url.Values{"phone": {"0912 345 678"}, "petition": {"1"}})
		cs, err := e.m.DB.Cases(survey.CaseQuery{})
		if err != nil || len(cs) != 1 || !cs[0].HasContact || cs[0].Kind != survey.CasePetition || cs[0].Dossier != "HS-C-NEG" {
			t.Fatalf("cases %+v %v", cs, err)
		}
		if p.Status != 200 || !strings.Contains(p.Body, "Mã số "+cs[0].ID) || strings.Contains(p.Body, "345") {
			t.Fatalf("%d\n%s", p.Status, p.Body)
		}
		c, err := e.m.DB.Case(cs[0].ID)
		if err != nil || c.Response == "" {
			t.Fatalf("case %+v %v", c, err)
		}
		if again := send(url.Values{"phone": {"0987 654 321"}}); again.Status != 409 || !strings.Contains(again.Body, "Yêu cầu này đã được gửi") {
			t.Fatalf("again: %d\n%s", again.Status, again.Body)
		}
	})
	t.Run("Poster", func(t *testing.T) {
		ft := formTokenRE.FindStringSubmatch(e.get(e.base+"/f/so-cong-thuong", "").Body)
		if ft == nil {
			t.Fatal("no form token in the poster form")
		}
		p := e.form(e.base+"/f/so-cong-thuong", url.Values{"c.overall": {"2"}, "ft": {ft[1]}})
		action, token := contactStep(p)
		if p.Status != 200 || action == "" {
			t.Fatalf("poster: %d\n%s", p.Status, p.Body)
		}
		skip := e.form(e.base+action, url.Values{"t": {token}, "do": {"skip"}, "phone": {testPhone}})
		if skip.Status != 200 || !strings.Contains(skip.Body, "Không có thông tin liên hệ nào được lưu") {
			t.Fatalf("skip: %d\n%s", skip.Status, skip.Body)
		}
		p = e.form(e.base+action, url.Values{"t": {token}, "do": {"send"}, "email": {"dan@example.vn"}})
		if p.Status != 200 || !strings.Contains(p.Body, "Đã gửi yêu cầu") {
			t.Fatalf("poster send: %d\n%s", p.Status, p.Body)
		}
	})
	e.checkNoContact(t, "0912345678", "dan@example.vn")
}

// checkNoContact fails when a contact shows in the exports, the dashboard
// comments, the public pages, the audit log or the server's log.
func (e *consentEnv) checkNoContact(t *testing.T, phone, email string) {
	t.Helper()
	token := &caller{name: "token", bearer: e.viewer}
	pages := map[string][]byte{}
	for _, path := range []string{"/exports/responses.csv", "/exports/responses.xlsx", "/exports/summary.csv"} {
		pages[path] = getAs(t, token, e.base, path)
	}
	csvRows := checkCSV(t, "responses.csv", pages["/exports/responses.csv"])
	if len(csvRows) < 2 {
		t.Fatalf("responses.csv has %d rows", len(csvRows))
	}
	_, texts := checkXLSX(t, "responses.xlsx", pages["/exports/responses.xlsx"])
	pages["/exports/responses.xlsx"] = []byte(strings.Join(texts, "\n")) // its text cells, not the zip
	for _, path := range []string{"/cong-khai", "/cong-khai/xac-minh"} {
		p := e.get(e.base+path, "")
		if p.Status >= 500 {
			t.Fatalf("%s: %d", path, p.Status)
		}
		pages[path] = []byte(p.Body)
	}
	var audit bytes.Buffer
	for _, a := range e.m.DB.AuditLog(1000, time.Time{}) {
		json.NewEncoder(&audit).Encode(a)
	}
	pages["audit log"] = audit.Bytes()
	pages["server log"] = []byte(e.log.String())
	for name, body := range pages {
		for _, s := range append(phoneForms, email, "912 345 678", "345 678") {
			if bytes.Contains(body, []byte(s)) {
				t.Errorf("%s shows %q", name, s)
			}
		}
	}
	if !strings.Contains(string(pages["server log"]), "level=") {
		t.Error("the server's log is empty: the check above proves nothing")
	}
}

func TestConsentKioskAPI(t *testing.T) {
	e := newConsentEnv(t)
	id := "0190f0f0-0000-7000-8000-00000000c0de"
	r := post(t, e.kiosk, e.base+"/api/v1/responses", "", "application/json", []byte(`{"id":"`+id+`","answers":{"overall":1}}`))
	if r.Status != 201 {
		t.Fatalf("submit: %d %v", r.Status, r.Body)
	}
	u := e.base + "/api/v1/responses/" + id + "/case"
	body := []byte(`{"kind":"reply","phone":"` + testPhone + `","consent":true}`)
	for name, c := range map[string]struct {
		client *http.Client
		token  string
		body   string
		status int
	}{
		"OtherKiosk": {e.kiosk2, "", string(body), 404},
		"Token":      {http.DefaultClient, e.reception, string(body), 403},
		"Nobody":     {http.DefaultClient, "", string(body), 401},
		"BadPhone":   {e.kiosk, "", `{"phone":"01234","consent":true}`, 422},
		"NoConsent":  {e.kiosk, "", `{"phone":"` + testPhone + `"}`, 422},
	} {
		if r := post(t, c.client, u, c.token, "application/json", []byte(c.body)); r.Status != c.status {
			t.Errorf("%s: %d %v", name, r.Status, r.Body)
		}
	}
	if r := post(t, e.kiosk, e.base+"/api/v1/responses/0190f0f0-0000-7000-8000-0000000000ff/case", "", "application/json", body); r.Status != 404 {
		t.Errorf("unknown response: %d %v", r.Status, r.Body)
	}
	r = post(t, e.kiosk, u, "", "application/json", body)
	cs, _ := e.m.DB.Cases(survey.CaseQuery{})
	if r.Status != 201 || len(cs) != 1 || r.Body["case"] != cs[0].ID || !cs[0].HasContact || cs[0].Channel != "kiosk" {
		t.Fatalf("open: %d %v %+v", r.Status, r.Body, cs)
	}
	if r := post(t, e.kiosk, u, "", "application/json", body); r.Status != 409 {
		t.Fatalf("again: %d %v", r.Status, r.Body)
	}
	resp, err := e.kiosk.Get(e.base + "/kiosk/state.json")
	if err != nil {
		t.Fatal(err)
	}
	state, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if bytes.Contains(state, []byte("345678")) {
		t.Fatal("the kiosk's state shows the number")
	}
	e.checkNoContact(t, testPhone, "none@example.vn")
}
