package kiosk

import (
	"bytes"
	"compress/gzip"
	"hailong/survey/bolt"
	"io"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"hailong/survey"
	"hailong/web"
)

// partials are templates used inside views, rendered with them.
var partials = map[string]bool{"faces": true, "question": true, "contact_step": true}

// formViewData is test data for the views of receipts, the mobile form and
// posters, with markup to be escaped.
func formViewData(t *testing.T, db *bolt.DB) map[string]any {
	t.Helper()
	sv := db.Survey(survey.SurveySipas, 0)
	in := emptyInput()
	in.comment, in.raw["c.overall"] = "Ý kiến <script>", "2"
	errs := map[string]string{"c.staff_attitude": "Lỗi <b>", "comment": "Dài quá"}
	form := buildForm(sv, "vi", formKind{action: "/r/x", agency: "Sở <script>",
		about: []aboutRow{{"Thủ tục", "Cấp phép <i>"}}}, in, errs)
	qr, err := inlineQR("http://127.0.0.1/r/abc")
	if err != nil {
		t.Fatal(err)
	}
	return map[string]any{
		"form": form,
		"form_done": doneView{Lang: "vi", Other: "en", Title: "Cảm ơn", Lines: []string{"Dòng <script>"}, Agency: "Sở", CSS: formCSS,
			Contact: &contactView{Lang: "vi", JS: formJS, Action: "/contact/x", Token: "1.mac", T: tr("vi"), Consent: "Tôi đồng ý <script>",
				Phone: "09<b>", Email: "a@b.vn", Petition: true, FieldErr: map[string]string{"phone": "Sai <i>"},
				Errors: []formError{{Href: "#phone", Message: "Sai <i>"}}}},
		"slip": slipView{Size: "a5", Unit: "Sở <script>", Code: "HS-1", Received: "09:30, ngày 10/03/2026", Due: "17/03/2026",
			QR: qr, A5URL: "/receipts/x/slip", RollURL: "/receipts/x/slip?size=80mm", CSS: slipCSS, JS: slipJS},
		"poster": posterView{Unit: "Sở <script>", URL: "http://127.0.0.1/f/so-a", QR: qr, CSS: slipCSS, JS: slipJS},
	}
}

// The form's markup hooks and the error pattern, from a rendering.
func TestFormMarkup(t *testing.T) {
	db := mustDB(t)
	data := formViewData(t, db)
	var buf bytes.Buffer
	if err := views.ExecuteTemplate(&buf, "form", data["form"]); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, want := range []string{
		`data-criterion="overall" data-score="5"`, `data-criterion="staff_attitude" data-score="0"`, // N/A is a choice
		`id="c-overall-2" value="2" data-criterion="overall" data-score="2" checked`,
		`data-fact="tt01_complaint" data-option="1"`, `data-reason="had_to_stand"`, `data-action="submit"`,
		`data-lang="en"`, `<fieldset class="el" id="el-cong_chuc"><legend>Công chức</legend>`,
		`<div class="summary" role="alert"`, `<a href="#c-staff_attitude-1">Lỗi &lt;b&gt;</a>`,
		`aria-describedby="e-staff_attitude"`, `<p class="err" id="e-staff_attitude">`, `<a href="#comment">Dài quá</a>`,
		`Ý kiến &lt;script&gt;</textarea>`, `<title>Lỗi: `,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("form lacks %s", want)
		}
	}
	if strings.Contains(page, "style=") || strings.Contains(page, "<script>") {
		t.Error("inline style or script (the CSP forbids them)")
	}
}

func TestParseForm(t *testing.T) {
	db := mustDB(t)
	sv := db.Survey(survey.SurveySipas, 0)
	vals := func(q string) map[string][]string {
		v, _ := url.ParseQuery(q)
		return v
	}
	in, errs := parseForm(vals("c.overall=4&c.staff_attitude=na&f.tt01_contacts=2&reasons=other&reasons=waited_long&comment=a%0D%0Ab&lang=en&c.nope=3"), sv, true)
	if len(errs) != 0 || in.answers["overall"] != 4 || in.answers["staff_attitude"] != survey.NA || len(in.answers) != 2 ||
		in.facts["tt01_contacts"] != 2 || strings.Join(in.order, ",") != "waited_long,other" || in.comment != "a\nb" || in.lang != "en" {
		t.Fatalf("parsed %+v, errors %v", in, errs)
	}
	for _, c := range []struct{ name, q, field string }{
		{"ErrNoAnswer", "comment=only+words", "c.overall"},
		{"ErrScoreOutOfRange", "c.overall=6", "c.overall"},
		{"ErrTwoScores", "c.overall=4&c.overall=5", "c.overall"},
		{"ErrFactOption", "c.overall=4&f.tt01_complaint=2", "f.tt01_complaint"},
		{"ErrReason", "c.overall=4&reasons=bored", "reasons"},
		{"ErrCommentTooLong", "c.overall=4&comment=" + strings.Repeat("%E1%BB%87", survey.MaxComment+1), "comment"},
		{"ErrCommentUTF8", "c.overall=4&comment=%FF", "comment"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, errs := parseForm(vals(c.q), sv, true)
			if errs[c.field] == "" || len(errs) != 1 {
				t.Fatalf("errors %v, want one on %s", errs, c.field)
			}
		})
	}
	// Posters ask no dossier facts: a posted fact is ignored.
	if in, errs := parseForm(vals("c.overall=5&f.tt01_contacts=1"), sv, false); len(errs) != 0 || len(in.facts) != 0 {
		t.Fatalf("poster facts %v %v", in.facts, errs)
	}
	// Exactly 2,000 characters, line breaks sent as CRLF counted once.
	long := strings.Repeat("ệ", survey.MaxComment-2) + "\r\n" + "a"
	if _, errs := parseForm(vals("c.overall=4&comment="+url.QueryEscape(long)), sv, true); len(errs) != 0 {
		t.Fatalf("2,000 characters refused: %v", errs)
	}
}

// TestFormPageWeight measures what a phone transfers for the receipt form
// (gzip, as browsers ask): the page and every asset it references, headers
// included. SPEC budget: under 30 KB. See docs/BENCHMARKS.md.
func TestFormPageWeight(t *testing.T) {
	db := mustDB(t)
	app := newApp(db)
	if err := db.PutProcedures([]survey.Procedure{{Code: "1.004227", Name: "Cấp Giấy chứng nhận đủ điều kiện kinh doanh xăng dầu"}}); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	token, err := db.IssueReceipt("test", &survey.Dossier{Code: "000.00.12.H42-260310-0001", Unit: "so-a", Procedure: "1.004227",
		Staff: "nv-lan", ReceivedAt: now, DueAt: now.AddDate(0, 0, 7)}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	get := func(u string) (int, []byte) {
		req := httptest.NewRequest("GET", u, nil)
		req.Header.Set("Accept-Encoding", "gzip, deflate") // as Chromium asks over plain HTTP; brotli (HTTPS) is smaller still
		resp, err := app.Test(req, 5000)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", u, resp.StatusCode)
		}
		wire := len(raw) + len("HTTP/1.1 200 OK\r\n\r\n")
		for k, vs := range resp.Header {
			for _, v := range vs {
				wire += len(k) + len(v) + 4
			}
		}
		body := raw
		if resp.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			body, _ = io.ReadAll(zr)
		} else if len(raw) > 1024 {
			t.Errorf("%s sent uncompressed (%d bytes)", u, len(raw))
		}
		return wire, body
	}
	ref := regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"|url\((/static/[^)]+)\)`)
	for _, page := range []string{"/r/" + token, "/f/so-a"} {
		total, seen := 0, map[string]bool{}
		var fetch func(u string)
		fetch = func(u string) {
			if seen[u] {
				return
			}
			seen[u] = true
			n, body := get(u)
			total += n
			t.Logf("%6d B  %s", n, u)
			for _, m := range ref.FindAllStringSubmatch(string(body), -1) {
				fetch(strings.ReplaceAll(m[1]+m[2], "&amp;", "&"))
			}
		}
		fetch(page)
		t.Logf("%s first load: %d bytes (%.1f KB) in %d requests", strings.SplitN(page, "/", 3)[1], total, float64(total)/1024, len(seen))
		if len(seen) != 3 {
			t.Fatalf("%d requests, want the page, its CSS and its JS", len(seen))
		}
		if total > 30*1024 {
			t.Fatalf("%s: %d bytes, over the 30 KB budget", page, total)
		}
	}
}

// The reception page renders with the layout, escapes what it is given and
// shows problems beside their inputs.
func TestReceptionPageRenders(t *testing.T) {
	db := mustDB(t)
	d := &web.Deps{Services: survey.ServicesOf(db)}
	p := &web.Principal{Kind: "user", Name: "lan", Role: survey.RoleReception, Unit: "so-a", CSRF: "tok<en>"}
	v := newDesk(d, p)
	v.Values["issue-code"] = "HS <script>"
	v.fail("issue-due", "Ngày <b>sai</b>")
	var buf bytes.Buffer
	page := &web.Page{Title: "Tiếp nhận", User: p, CSRF: p.CSRF, Nav: "reception", Data: v}
	if err := receptionPages["reception"].ExecuteTemplate(&buf, "layout.html", page); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{`value="HS &lt;script&gt;"`, `<a href="#issue-due">Ngày &lt;b&gt;sai&lt;/b&gt;</a>`,
		`<p class="field-error" id="issue-due-error">`, `name="_csrf" value="tok&lt;en&gt;"`, `<option value="so-a" selected>Sở Công Thương</option>`,
		`<option value="nv-lan">Nguyễn Thị Lan – Sở Công Thương</option>`, `action="/reception/finish"`} {
		if !strings.Contains(out, want) {
			t.Errorf("reception page lacks %s", want)
		}
	}
	if strings.Contains(out, "Sở Tư pháp") {
		t.Error("a unit outside the user's subtree is offered")
	}
}
