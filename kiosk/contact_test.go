package kiosk

import (
	"hailong/survey/bolt"
	"io"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// The contact step after a dissatisfied answer: the forms' thanks page and
// POST /contact/{id}, and the kiosk's POST /api/v1/responses/{id}/case, on
// a real store.

// page is an HTML answer of the app.
type page struct {
	Status int
	Body   string
}

func postForm(t *testing.T, app *fiber.App, u string, v url.Values) page {
	t.Helper()
	req := httptest.NewRequest("POST", u, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "text/html")
	resp, err := app.Test(req, 5000)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return page{resp.StatusCode, string(b)}
}

var (
	stepRE  = regexp.MustCompile(`<form method="post" action="/contact/([0-9a-f-]{36})"`)
	tokenRE = regexp.MustCompile(`name="t" value="([^"]+)"`)
)

// answerReceipt issues a receipt of so-a and answers its form with overall.
func answerReceipt(t *testing.T, db *bolt.DB, app *fiber.App, code, overall string) page {
	t.Helper()
	now := time.Now()
	token, err := db.IssueReceipt("test", &survey.Dossier{Code: code, Unit: "so-a", ReceivedAt: now, DueAt: now.AddDate(0, 0, 7)}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	p := postForm(t, app, "/r/"+token, url.Values{"c.overall": {overall}, "comment": {"Phải chờ quá lâu"}})
	if p.Status != 200 {
		t.Fatalf("answer: %d\n%s", p.Status, p.Body)
	}
	return p
}

// step returns the response id and the token of the contact step on p.
func step(t *testing.T, p page) (string, string) {
	t.Helper()
	m, tk := stepRE.FindStringSubmatch(p.Body), tokenRE.FindStringSubmatch(p.Body)
	if m == nil || tk == nil {
		t.Fatalf("no contact step:\n%s", p.Body)
	}
	return m[1], tk[1]
}

func TestContactForm(t *testing.T) {
	db := mustDB(t)
	app := newApp(db)

	t.Run("OnlyAfterADissatisfiedAnswer", func(t *testing.T) {
		if p := answerReceipt(t, db, app, "HS-POS", "5"); strings.Contains(p.Body, `action="/contact/`) {
			t.Fatal("the step follows a satisfied answer")
		}
		p := answerReceipt(t, db, app, "HS-NEG", "2")
		for _, want := range []string{`data-screen="thanks"`, "Sở Công Thương dùng số điện thoại", `type="tel"`, `inputmode="tel"`,
			`autocomplete="tel"`, `type="email"`, `name="petition" value="1"`, `name="do" value="send"`, `name="do" value="skip"`} {
			if !strings.Contains(p.Body, want) {
				t.Errorf("step lacks %s", want)
			}
		}
	})
	t.Run("BadPhoneKeepsTheAnswer", func(t *testing.T) {
		id, tok := step(t, answerReceipt(t, db, app, "HS-BAD", "1"))
		p := postForm(t, app, "/contact/"+id, url.Values{"t": {tok}, "do": {"send"}, "phone": {"0123 456"}})
		if p.Status != 422 || !strings.Contains(p.Body, `<p class="err" id="e-phone">Số điện thoại di động không hợp lệ`) ||
			!strings.Contains(p.Body, `value="0123 456"`) || !strings.Contains(p.Body, `href="#phone"`) {
			t.Fatalf("bad phone: %d\n%s", p.Status, p.Body)
		}
		if _, err := db.ResponseByID(id); err != nil {
			t.Fatalf("the answer is gone: %v", err)
		}
		if cs, _ := db.Cases(survey.CaseQuery{}); len(cs) != 0 {
			t.Fatalf("a case was opened: %+v", cs)
		}
		p = postForm(t, app, "/contact/"+id, url.Values{"t": {tok}, "do": {"send"}, "lang": {"en"}})
		if p.Status != 422 || !strings.Contains(p.Body, `id="e-contact">Enter a mobile number or an e-mail address`) {
			t.Fatalf("nothing given: %d\n%s", p.Status, p.Body)
		}
	})
	t.Run("SentOnce", func(t *testing.T) {
		id, tok := step(t, answerReceipt(t, db, app, "HS-OK", "1"))
		p := postForm(t, app, "/contact/"+id, url.Values{"t": {tok}, "do": {"send"}, "phone": {"+84 912.345.678"}})
		if p.Status != 200 || !strings.Contains(p.Body, "Đã gửi yêu cầu của Ông/Bà") {
			t.Fatalf("send: %d\n%s", p.Status, p.Body)
		}
		cs, err := db.Cases(survey.CaseQuery{})
		if err != nil || len(cs) != 1 || cs[0].Response != id || cs[0].Kind != survey.CaseAskReply || !cs[0].HasContact ||
			!strings.Contains(p.Body, cs[0].ID) {
			t.Fatalf("cases %+v %v", cs, err)
		}
		ct, err := db.CaseContact(cs[0].ID, "test")
		if err != nil || ct == nil || ct.Phone != "0912345678" || ct.ConsentAt.IsZero() {
			t.Fatalf("contact %+v %v", ct, err)
		}
		again := postForm(t, app, "/contact/"+id, url.Values{"t": {tok}, "do": {"send"}, "phone": {"0987654321"}})
		if again.Status != 409 || !strings.Contains(again.Body, "Yêu cầu này đã được gửi") {
			t.Fatalf("again: %d\n%s", again.Status, again.Body)
		}
	})
	t.Run("PetitionWithoutContact", func(t *testing.T) {
		id, tok := step(t, answerReceipt(t, db, app, "HS-PET", "2"))
		p := postForm(t, app, "/contact/"+id, url.Values{"t": {tok}, "do": {"send"}, "petition": {"1"}})
		if p.Status != 200 || !strings.Contains(p.Body, "Kiến nghị của Ông/Bà đã được ghi nhận") {
			t.Fatalf("petition: %d\n%s", p.Status, p.Body)
		}
		cs, _ := db.Cases(survey.CaseQuery{Text: "HS-PET"})
		if len(cs) != 1 || cs[0].Kind != survey.CasePetition || cs[0].HasContact {
			t.Fatalf("cases %+v", cs)
		}
	})
	t.Run("SkipStoresNothing", func(t *testing.T) {
		id, tok := step(t, answerReceipt(t, db, app, "HS-SKIP", "1"))
		p := postForm(t, app, "/contact/"+id, url.Values{"t": {tok}, "do": {"skip"}, "phone": {"0912345678"}})
		if p.Status != 200 || !strings.Contains(p.Body, "Không có thông tin liên hệ nào được lưu") {
			t.Fatalf("skip: %d\n%s", p.Status, p.Body)
		}
		if cs, _ := db.Cases(survey.CaseQuery{Text: "HS-SKIP"}); len(cs) != 0 {
			t.Fatalf("skip opened %+v", cs)
		}
	})
	t.Run("ForgedOrExpired", func(t *testing.T) {
		id, tok := step(t, answerReceipt(t, db, app, "HS-FORGED", "1"))
		other, _ := step(t, answerReceipt(t, db, app, "HS-OTHER", "1"))
		ck, err := web.NewClientKeys(db) // the installation's key, as the app's
		if err != nil {
			t.Fatal(err)
		}
		expired := ck.FormToken("", contactPurpose(id), time.Now().Add(-contactTTL-time.Minute))
		for name, v := range map[string][2]string{
			"NoToken":      {id, ""},
			"OtherAnswers": {other, tok}, // a token names its response
			"Garbage":      {id, "1.AAAA"},
			"Expired":      {id, expired},
			"UnknownID":    {"0190f0f0-0000-7000-8000-000000000000", tok},
			"NotUUID":      {"abc", tok},
		} {
			p := postForm(t, app, "/contact/"+v[0], url.Values{"t": {v[1]}, "do": {"send"}, "phone": {"0912345678"}})
			if p.Status != 404 || !strings.Contains(p.Body, "Không gửi được yêu cầu") {
				t.Errorf("%s: %d\n%s", name, p.Status, p.Body)
			}
		}
		if cs, _ := db.Cases(survey.CaseQuery{Text: "HS-FORGED"}); len(cs) != 0 {
			t.Fatalf("forged opened %+v", cs)
		}
	})
}

func TestKioskCaseRequest(t *testing.T) {
	db := mustDB(t)
	app := newApp(db)
	_, key := mustKiosk(t, db, "a-q1")
	code, err := db.AddKiosk(survey.Kiosk{ID: "kiosk-2", Unit: "so-a", Name: "Ki-ốt 2"}) // same unit, another device
	if err != nil {
		t.Fatal(err)
	}
	_, other, err := db.PairKiosk(code)
	if err != nil {
		t.Fatal(err)
	}
	submit := func(id string, overall int) {
		t.Helper()
		r := do(t, app, "POST", "/api/v1/responses", "kiosk="+key, `{"id":"`+id+`","answers":{"overall":`+survey.Itoa(overall)+`}}`)
		if r.Status != 201 {
			t.Fatalf("submit: %d %s", r.Status, r.Raw)
		}
	}
	neg, pos := "0190f0f0-0000-7000-8000-000000000001", "0190f0f0-0000-7000-8000-000000000002"
	submit(neg, 1)
	submit(pos, 5)
	caseURL := func(id string) string { return "/api/v1/responses/" + id + "/case" }
	good := `{"kind":"reply","phone":"0912 345 678","consent":true}`
	for _, c := range []struct {
		name, id, auth, body string
		status               int
		code, field          string
	}{
		{"NoAuth", neg, "", good, 401, survey.EUNAUTHORIZED, ""},
		{"Token", neg, "Bearer " + mustToken(t, db, survey.RoleReception, ""), good, 403, survey.EFORBIDDEN, ""},
		{"OtherKiosk", neg, "kiosk=" + other, good, 404, survey.ENOTFOUND, ""},
		{"Unknown", "0190f0f0-0000-7000-8000-0000000000ff", "kiosk=" + key, good, 404, survey.ENOTFOUND, ""},
		{"NotUUID", "nope", "kiosk=" + key, good, 404, survey.ENOTFOUND, ""},
		{"NoConsent", neg, "kiosk=" + key, `{"phone":"0912345678"}`, 422, survey.EINVALID, "consent"},
		{"BadPhone", neg, "kiosk=" + key, `{"phone":"0212345678","consent":true}`, 422, survey.EINVALID, "phone"},
		{"Nothing", neg, "kiosk=" + key, `{"consent":true}`, 422, survey.EINVALID, "contact"},
		{"BadKind", neg, "kiosk=" + key, `{"kind":"x","phone":"0912345678","consent":true}`, 422, survey.EINVALID, "kind"},
		{"UnknownKey", neg, "kiosk=" + key, `{"phone":"0912345678","consent":true,"name":"x"}`, 400, survey.EMALFORMED, "name"},
		{"Satisfied", pos, "kiosk=" + key, good, 422, survey.EINVALID, "response"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := do(t, app, "POST", caseURL(c.id), c.auth, c.body)
			if r.Status != c.status || r.code() != c.code || r.field() != c.field {
				t.Fatalf("%d %s", r.Status, r.Raw)
			}
		})
	}
	if cs, _ := db.Cases(survey.CaseQuery{}); len(cs) != 0 {
		t.Fatalf("refusals opened %+v", cs)
	}
	r := do(t, app, "POST", caseURL(neg), "kiosk="+key, good)
	cs, _ := db.Cases(survey.CaseQuery{})
	if r.Status != 201 || len(cs) != 1 || r.Body["case"] != cs[0].ID || cs[0].Channel != "kiosk" || !cs[0].HasContact {
		t.Fatalf("open: %d %s %+v", r.Status, r.Raw, cs)
	}
	if strings.Contains(string(r.Raw), "0912") {
		t.Fatal("the answer repeats the number")
	}
	if r := do(t, app, "POST", caseURL(neg), "kiosk="+key, good); r.Status != 409 || r.code() != survey.ECONFLICT {
		t.Fatalf("again: %d %s", r.Status, r.Raw)
	}
}
