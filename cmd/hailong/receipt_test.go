package main

import (
	"bytes"
	"encoding/json"
	"image/png"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	gzqr "github.com/makiuchi-d/gozxing/qrcode"

	"hailong/survey"
)

// Receipts, the mobile form without JavaScript (plain HTTP form posts),
// open posters and dossier outcomes, on the real server.

// receiptEnv is a running server with staff, a paired kiosk and tokens:
// reception covers so-cong-thuong (and sct-van-phong below it), tuPhap
// covers so-tu-phap only, viewer reads everything.
type receiptEnv struct {
	t                         *testing.T
	m                         *Main
	dir, base                 string
	reception, viewer, tuPhap string
	kiosk                     *http.Client // a paired kiosk's cookie
}

// newReceiptEnv starts it; before runs on the data folder first (imports).
func newReceiptEnv(t *testing.T, before ...func(dir string)) *receiptEnv {
	t.Helper()
	dir, reception, viewer := setup(t)
	db, err := openTestStore(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range []error{
		db.PutStaff(survey.Staff{ID: "nv-a", Unit: "so-cong-thuong", Name: "Nguyễn Thị Lan", Position: "Chuyên viên"}),
		db.PutStaff(survey.Staff{ID: "nv-b", Unit: "sct-van-phong", Name: "Trần Văn Bình"}),
		db.PutProcedures([]survey.Procedure{{Code: "1.004227", Name: "Cấp Giấy chứng nhận đủ điều kiện kinh doanh xăng dầu"}}),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	var tok struct{ Token string }
	json.Unmarshal([]byte(mustCLI(t, "", "token", "add", "--data", dir, "--role", "reception", "--unit", "so-tu-phap", "--name", "Một cửa Tư pháp")), &tok)
	var k struct {
		PairURL string `json:"pair_url"`
	}
	json.Unmarshal([]byte(mustCLI(t, "", "kiosk", "add", "--data", dir, "--unit", "so-cong-thuong", "--name", "Ki-ốt")), &k)
	for _, f := range before {
		f(dir)
	}
	e := &receiptEnv{t: t, m: MustRun(t, dir), dir: dir, reception: reception, viewer: viewer, tuPhap: tok.Token}
	e.base = "http://" + e.m.Addr
	jar, _ := cookiejar.New(nil)
	e.kiosk = &http.Client{Jar: jar}
	if resp := pairDevice(t, e.kiosk, e.base, k.PairURL); resp.StatusCode != 200 {
		t.Fatalf("pairing the kiosk: %d", resp.StatusCode)
	}
	return e
}

// receiptBody is a good request for dossier code, received now.
func receiptBody(code string) string {
	now := time.Now()
	return `{"dossier_code":"` + code + `","unit":"so-cong-thuong","procedure":"1.004227","staff":"nv-a",` +
		`"received_at":"` + now.Format(time.RFC3339) + `","due_at":"` + now.AddDate(0, 0, 7).Format("2006-01-02") + `"}`
}

type issued struct {
	Token, SurveyURL, QRPNG, QRSVG, SlipURL string
}

func (e *receiptEnv) issue(body string) issued {
	e.t.Helper()
	r := post(e.t, http.DefaultClient, e.base+"/api/v1/receipts", e.reception, "application/json", []byte(body))
	if r.Status != 201 {
		e.t.Fatalf("issue: %d %v", r.Status, r.Body)
	}
	s := func(k string) string { v, _ := r.Body[k].(string); return v }
	return issued{s("token"), s("survey_url"), s("qr_png"), s("qr_svg"), s("slip_url")}
}

// htmlPage is an HTML answer.
type htmlPage struct {
	Status int
	Header http.Header
	Body   string
}

func (e *receiptEnv) do(method, u, token, ctype, body string) htmlPage {
	e.t.Helper()
	req, _ := http.NewRequest(method, u, strings.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Accept", "text/html")
	resp, err := noRedirect.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return htmlPage{resp.StatusCode, resp.Header, string(b)}
}

// noRedirect shows redirects (a browser without a login is sent to /login).
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func (e *receiptEnv) get(u, token string) htmlPage { return e.do("GET", u, token, "", "") }

func (e *receiptEnv) form(u string, v url.Values) htmlPage {
	return e.do("POST", u, "", "application/x-www-form-urlencoded", v.Encode())
}

func (e *receiptEnv) responses() []*survey.Response {
	e.t.Helper()
	var rs []*survey.Response
	if err := e.m.DB.EachResponse(time.Time{}, time.Time{}, func(r *survey.Response) error { rs = append(rs, r); return nil }); err != nil {
		e.t.Fatal(err)
	}
	return rs
}

func decodeQR(t *testing.T, pngBytes []byte) string {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(pngBytes))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := gzqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		// gozxing's general detector misplaces a finder pattern on about
		// 1 % of random codes at any error-correction level (measured
		// over 2,000 tokens at levels M, Q and H); the symbol itself is
		// sound, which the pure-barcode reader (no detection, the same
		// Reed–Solomon decoding) shows.
		t.Logf("general detector: %v; reading as a pure barcode", err)
		res, err = gzqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_PURE_BARCODE: true})
		if err != nil {
			t.Fatalf("QR not readable: %v", err)
		}
	}
	return res.GetText()
}

func TestReceiptAPI(t *testing.T) {
	e := newReceiptEnv(t)
	body := receiptBody("000.00.12.H42-260310-0001")
	rc := e.issue(body)
	if !survey.ValidToken(rc.Token) || rc.SurveyURL != e.base+"/r/"+rc.Token || !strings.HasPrefix(rc.SlipURL, e.base+"/") {
		t.Fatalf("issued %+v", rc)
	}
	t.Run("QRDecodesToSurveyURL", func(t *testing.T) {
		p := e.get(rc.QRPNG, e.reception)
		if p.Status != 200 || p.Header.Get("Content-Type") != "image/png" || !strings.Contains(p.Header.Get("Cache-Control"), "no-store") {
			t.Fatalf("qr.png: %d %v", p.Status, p.Header)
		}
		if got := decodeQR(t, []byte(p.Body)); got != rc.SurveyURL {
			t.Fatalf("QR reads %q, want %q", got, rc.SurveyURL)
		}
		svg := e.get(rc.QRSVG, e.reception)
		if svg.Status != 200 || !strings.HasPrefix(svg.Body, "<svg") || svg.Header.Get("Content-Type") != "image/svg+xml" {
			t.Fatalf("qr.svg: %d %.80s", svg.Status, svg.Body)
		}
		for _, c := range []struct {
			token  string
			status int
		}{{"", 401}, {e.viewer, 403}, {e.tuPhap, 403}} {
			if p := e.get(rc.QRPNG, c.token); p.Status != c.status {
				t.Errorf("qr.png with %q: %d, want %d", c.token, p.Status, c.status)
			}
		}
		if p := e.get(e.base+"/api/v1/receipts/"+strings.Repeat("x", 43)+"/qr.png", e.reception); p.Status != 404 {
			t.Errorf("forged token's QR: %d", p.Status)
		}
	})
	t.Run("Slip", func(t *testing.T) {
		p := e.get(rc.SlipURL, e.reception)
		for _, want := range []string{"GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Sở Công Thương", "UBND Tỉnh Mẫu", "000.00.12.H42-260310-0001",
			"Cấp Giấy chứng nhận đủ điều kiện kinh doanh xăng dầu (1.004227)", "Nguyễn Thị Lan", "Quét mã QR", `class="print a5"`, "<svg class=\"qr\""} {
			if !strings.Contains(p.Body, want) {
				t.Errorf("slip lacks %q", want)
			}
		}
		if p.Status != 200 || !strings.Contains(p.Header.Get("Cache-Control"), "no-store") {
			t.Fatalf("slip: %d %v", p.Status, p.Header)
		}
		if p := e.get(rc.SlipURL+"?size=80mm", e.reception); !strings.Contains(p.Body, `class="print roll"`) {
			t.Error("no 80 mm layout")
		}
		// A browser without a login is sent to log in, and back.
		if p := e.get(rc.SlipURL, ""); p.Status != 303 || !strings.HasPrefix(p.Header.Get("Location"), "/login?next=") {
			t.Errorf("slip without a login: %d %v", p.Status, p.Header)
		}
		for _, c := range []struct {
			token  string
			status int
		}{{e.viewer, 403}, {e.tuPhap, 403}} {
			if p := e.get(rc.SlipURL, c.token); p.Status != c.status {
				t.Errorf("slip with %q: %d, want %d", c.token, p.Status, c.status)
			}
		}
	})
	t.Run("Errors", func(t *testing.T) {
		receiptErrors(t, e)
	})
	t.Run("ReissueReplacesToken", func(t *testing.T) {
		again := e.issue(body) // the same dossier record: a reprint
		if again.Token == rc.Token {
			t.Fatal("same token")
		}
		if p := e.get(rc.SurveyURL, ""); p.Status != 404 {
			t.Fatalf("old token: %d", p.Status)
		}
		if p := e.get(again.SurveyURL, ""); p.Status != 200 {
			t.Fatalf("new token: %d", p.Status)
		}
	})
}

func receiptErrors(t *testing.T, e *receiptEnv) {
	now := time.Now()
	good := receiptBody("HS-ERR")
	with := func(old, new string) string { return strings.Replace(good, old, new, 1) }
	cases := []struct {
		name, token, ctype, body string
		status                   int
		field                    string
	}{
		{"NoAuth", "", "application/json", good, 401, ""},
		{"Viewer", e.viewer, "application/json", good, 403, ""},
		{"OutsideSubtree", e.tuPhap, "application/json", good, 403, ""},
		{"WrongContentType", e.reception, "text/plain", good, 415, ""},
		{"Malformed", e.reception, "application/json", `{"dossier_code":`, 400, ""},
		{"UnknownKey", e.reception, "application/json", with(`"staff"`, `"officer":1,"staff"`), 400, "officer"},
		{"TooLarge", e.reception, "application/json", with(`"HS-ERR"`, `"`+strings.Repeat("x", 70<<10)+`"`), 413, ""},
		{"UnknownUnit", e.reception, "application/json", with(`"so-cong-thuong"`, `"so-khong-co"`), 422, "unit"},
		{"MissingCode", e.reception, "application/json", with(`"HS-ERR"`, `""`), 422, "dossier_code"},
		{"UnknownStaff", e.reception, "application/json", with(`"nv-a"`, `"nv-x"`), 422, "staff"},
		{"BadDate", e.reception, "application/json", with(`"due_at":"`, `"due_at":"tuần sau`), 422, "due_at"},
		{"DueBeforeReceived", e.reception, "application/json", with(`"due_at":"`+now.AddDate(0, 0, 7).Format("2006-01-02"), `"due_at":"`+now.AddDate(0, 0, -3).Format("2006-01-02")), 422, "due_at"},
		{"ExpiresPast", e.reception, "application/json", with(`}`, `,"expires_at":"`+now.Add(-time.Minute).Format(time.RFC3339)+`"}`), 422, "expires_at"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := post(t, http.DefaultClient, e.base+"/api/v1/receipts", c.token, c.ctype, []byte(c.body))
			if r.Status != c.status || (c.field != "" && r.errField() != c.field) {
				t.Fatalf("got %d %v, want %d %s", r.Status, r.Body, c.status, c.field)
			}
		})
	}
	t.Run("Kiosk", func(t *testing.T) {
		r := post(t, e.kiosk, e.base+"/api/v1/receipts", "", "application/json", []byte(good))
		if r.Status != 403 {
			t.Fatalf("a kiosk issued a receipt: %d %v", r.Status, r.Body)
		}
	})
	if _, err := e.m.DB.Dossier("HS-ERR"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("a refused request stored the dossier: %v", err)
	}
}

var checkedRE = regexp.MustCompile(`data-criterion="(\w+)" data-score="(\d)" checked`)

func TestReceiptFormWithoutJavaScript(t *testing.T) {
	e := newReceiptEnv(t)
	rc := e.issue(receiptBody("HS-FORM-1"))
	p := e.get(rc.SurveyURL, "")
	for _, want := range []string{"Sở Công Thương", "Cấp Giấy chứng nhận đủ điều kiện kinh doanh xăng dầu", "HS-FORM-1",
		time.Now().In(e.m.DB.Loc()).Format("02/01/2006"), `data-criterion="overall" data-score="1"`, `data-fact="tt01_contacts"`,
		`data-action="submit"`, `data-lang="en"`, `<form method="post" action="/r/` + rc.Token + `"`} {
		if !strings.Contains(p.Body, want) {
			t.Errorf("form lacks %q", want)
		}
	}
	if p.Status != 200 || p.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("form: %d %v", p.Status, p.Header)
	}

	t.Run("ValidationKeepsAnswers", func(t *testing.T) {
		p := e.form(rc.SurveyURL, url.Values{"lang": {"vi"}, "comment": {"chỉ góp ý"}})
		if p.Status != 422 || !strings.Contains(p.Body, `<div class="summary" role="alert"`) || !strings.Contains(p.Body, `href="#c-overall-1"`) ||
			!strings.Contains(p.Body, "chỉ góp ý</textarea>") {
			t.Fatalf("no answer: %d\n%s", p.Status, p.Body)
		}
		long := strings.Repeat("ư", survey.MaxComment+1)
		p = e.form(rc.SurveyURL, url.Values{"c.overall": {"2"}, "c.staff_attitude": {"1"}, "c.online_speed": {"na"}, "f.tt01_contacts": {"2"},
			"reasons": {"waited_long"}, "comment": {long}})
		got := checkedRE.FindAllStringSubmatch(p.Body, -1)
		if p.Status != 422 || len(got) != 3 || !strings.Contains(p.Body, `id="e-comment"`) || !strings.Contains(p.Body, `href="#comment"`) ||
			!strings.Contains(p.Body, `data-option="2" checked`) || !strings.Contains(p.Body, `data-reason="waited_long" checked`) {
			t.Fatalf("long comment: %d, kept %v", p.Status, got)
		}
		if n := len(e.responses()); n != 0 {
			t.Fatalf("%d stored after refusals", n)
		}
	})
	t.Run("StoredOnce", func(t *testing.T) {
		answer := url.Values{"lang": {"en"}, "c.overall": {"4"}, "c.staff_attitude": {"5"}, "c.online_speed": {"na"},
			"f.tt01_contacts": {"0"}, "f.tt01_complaint": {"0"}, "comment": {"Cảm ơn <b>chị Lan</b>"}}
		p := e.form(rc.SurveyURL, answer)
		if p.Status != 200 || !strings.Contains(p.Body, `data-screen="thanks"`) || !strings.Contains(p.Body, "Thank you for your feedback!") {
			t.Fatalf("submit: %d\n%s", p.Status, p.Body)
		}
		rs := e.responses()
		if len(rs) != 1 {
			t.Fatalf("%d responses stored", len(rs))
		}
		r := rs[0]
		if r.Channel != survey.ChannelQR || r.Dossier != "HS-FORM-1" || r.Unit != "so-cong-thuong" || r.Staff != "nv-a" || r.Procedure != "1.004227" ||
			r.Survey != survey.SurveySipas || r.Answers["overall"] != 4 || r.Answers["online_speed"] != survey.NA || len(r.Answers) != 3 ||
			len(r.Facts) != 2 || r.Comment != "Cảm ơn <b>chị Lan</b>" || r.Flags != 0 {
			t.Fatalf("stored %+v", r)
		}
		for _, again := range []htmlPage{e.form(rc.SurveyURL, answer), e.get(rc.SurveyURL, "")} {
			if again.Status != 409 || !strings.Contains(again.Body, "đã được đánh giá") {
				t.Fatalf("reuse: %d\n%s", again.Status, again.Body)
			}
		}
		if n := len(e.responses()); n != 1 {
			t.Fatalf("%d responses after reuse", n)
		}
		if p := e.get(rc.SlipURL, e.reception); !strings.Contains(p.Body, "Already rated") {
			t.Error("the slip does not say it was rated")
		}
		r2 := post(t, http.DefaultClient, e.base+"/api/v1/receipts", e.reception, "application/json", []byte(receiptBody("HS-FORM-1")))
		if r2.Status != 409 {
			t.Fatalf("re-issue after the answer: %d %v", r2.Status, r2.Body)
		}
	})
	t.Run("Expired", func(t *testing.T) {
		soon := strings.Replace(receiptBody("HS-FORM-2"), `}`, `,"expires_at":"`+time.Now().Add(time.Second).Format(time.RFC3339Nano)+`"}`, 1)
		rc := e.issue(soon)
		time.Sleep(1100 * time.Millisecond)
		for _, p := range []htmlPage{e.get(rc.SurveyURL, ""), e.form(rc.SurveyURL, url.Values{"c.overall": {"5"}})} {
			if p.Status != 410 || !strings.Contains(p.Body, "đã hết hạn") || !strings.Contains(p.Body, `href="/f/so-cong-thuong?lang=vi"`) {
				t.Fatalf("expired: %d\n%s", p.Status, p.Body)
			}
		}
	})
	t.Run("Forged", func(t *testing.T) {
		for _, u := range []string{"/r/" + strings.Repeat("A", 43), "/r/short", "/r/" + rc.Token[:42] + "%00"} {
			p := e.get(e.base+u, "")
			if p.Status != 404 || !strings.Contains(p.Body, "Không tìm thấy phiếu đánh giá") {
				t.Fatalf("%s: %d\n%s", u, p.Status, p.Body)
			}
			if p := e.form(e.base+u, url.Values{"c.overall": {"5"}}); p.Status != 404 {
				t.Fatalf("post %s: %d", u, p.Status)
			}
		}
	})
	t.Run("WrongContentType", func(t *testing.T) {
		rc := e.issue(receiptBody("HS-FORM-3"))
		if p := e.do("POST", rc.SurveyURL, "", "application/json", `{"c.overall":5}`); p.Status != 415 || !strings.Contains(p.Body, "Không gửi được") {
			t.Fatalf("json post: %d", p.Status)
		}
	})
	if n := len(e.responses()); n != 1 {
		t.Fatalf("%d responses in all, want 1", n)
	}
}
