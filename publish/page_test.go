package publish_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"hailong/publish/pubtest"
	"hailong/survey"
)

// private is what must never reach a public page or file while staff-level
// publication is off.
var private = []string{pubtest.CommentMarker, "0912345678", "Phải đứng chờ", pubtest.StaffName, pubtest.FewStaffName,
	pubtest.CounterName, pubtest.HiddenUnitName, pubtest.HiddenGroupName, pubtest.HiddenGroupUnit, pubtest.HiddenUnitID,
	pubtest.HiddenGroupUID, pubtest.StaffID, pubtest.CounterID}

const nbsp = "\u00a0"

// row returns the table row that names unit.
func row(t *testing.T, body, unit string) string {
	t.Helper()
	for _, r := range regexp.MustCompile(`(?s)<tr\b.*?</tr>`).FindAllString(body, -1) {
		if strings.Contains(r, unit) {
			return r
		}
	}
	t.Fatalf("no row for %s", unit)
	return ""
}

func TestPageYear(t *testing.T) {
	e := newEnv(t)
	st, h, body := e.get(t, "/cong-khai")
	if st != 200 {
		t.Fatalf("status %d", st)
	}
	mustContain(t, "page", body, "Năm 2025", "01/03/2025 – 31/12/2025", "Khối Sở, ban, ngành", `lang="vi"`,
		"Không so sánh với kỳ trước", "share45", "/cong-khai/data.json?p=2025", "/cong-khai/data.csv?p=2025", `data-lang="en"`)
	mustNotContain(t, "page", body, private...)
	beta, alpha, gamma := row(t, body, "Sở Beta"), row(t, body, "Sở Alpha"), row(t, body, pubtest.FewUnitName)
	mustContain(t, "Sở Beta", beta, `<td class="num rank">1`, "90,00"+nbsp+"%", ">70<")
	// 80 responses at 50 %: without the exclusions Sở Alpha would count 130 (before 1 March) or 330 (flagged).
	mustContain(t, "Sở Alpha", alpha, `<td class="num rank">2`, "50,00"+nbsp+"%", ">80<")
	mustContain(t, "Sở Gamma", gamma, "Chưa đủ số phiếu để kết luận", `<td class="num rank">—`)
	if regexp.MustCompile(`\d`).MatchString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(gamma, "")) {
		t.Errorf("the unit under the minimum n shows a number: %s", gamma)
	}
	if strings.Index(body, "Sở Beta") > strings.Index(body, "Sở Alpha") || strings.Index(body, "Sở Alpha") > strings.Index(body, pubtest.FewUnitName) {
		t.Error("rows not in rank order, unranked last")
	}
	if cc := h.Get("Cache-Control"); cc != "public, max-age=60" {
		t.Errorf("Cache-Control %q", cc)
	}
	_, _, en := e.get(t, "/cong-khai?lang=en")
	mustContain(t, "English page", en, `lang="en"`, "Year 2025", "1 Mar 2025 – 31 Dec 2025", "90.00"+nbsp+"%", "Too few responses to conclude")
	mustNotContain(t, "English page", en, private...)
}

func TestPageQuarterAndAgency(t *testing.T) {
	e := newEnv(t)
	_, _, body := e.get(t, "/cong-khai?p=2025-q3")
	mustContain(t, "Q3", body, "Quý III năm 2025", "Thay đổi (điểm)", "01/04/2025 – 30/06/2025")
	mustContain(t, "Sở Alpha Q3", row(t, body, "Sở Alpha"), "60,00"+nbsp+"%", "&#43;20,00", ">40<", "(2)")
	mustContain(t, "Sở Beta Q3", row(t, body, "Sở Beta"), "80,00"+nbsp+"%", "−20,00", "(1)")
	mustNotContain(t, "Q3", body, private...)

	_, _, a := e.get(t, "/cong-khai?p=2025-q3&unit=so-a")
	mustContain(t, "agency", a, `<h1>Sở Alpha</h1>`, `<p class="pub-big">60,00`+nbsp+`%</p>`, "&#43;20,00"+nbsp+"điểm",
		"2/2 khối Sở, ban, ngành", "Tiếp cận dịch vụ", "Bố trí quầy, trang thiết bị", "Đánh giá chung",
		// dossiers received in Q3: 40, of which 35 early (87,50 %), 3 on time, 2 late
		">40<", ">35<", "87,50"+nbsp+"%", "7,50"+nbsp+"%", "5,00"+nbsp+"%")
	mustNotContain(t, "agency", a, private...)
	mustNotContain(t, "agency page shows other groups' dossiers", a, "Tiến độ giải quyết hồ sơ</h2>")

	_, _, b := e.get(t, "/cong-khai?p=2025-q3&unit=so-b")
	mustContain(t, "Sở Beta (10 dossiers)", b, "Chưa đủ số hồ sơ để kết luận")
	_, _, c := e.get(t, "/cong-khai?unit="+pubtest.FewUnitID)
	mustContain(t, "Sở Gamma", c, `<p class="few pub-few">Chưa đủ số phiếu để kết luận</p>`)
	mustNotContain(t, "Sở Gamma", c, "100,00", "pub-big")
}

func TestStaffPublication(t *testing.T) {
	e := newEnv(t)
	e.set(t, func(p *survey.PublishSettings) { p.Staff = true })
	_, _, a := e.get(t, "/cong-khai?p=2025-q3&unit=so-a")
	mustContain(t, "staff on", a, "Theo công chức", pubtest.StaffName, pubtest.CounterName)
	mustNotContain(t, "staff on", a, pubtest.FewStaffName, pubtest.CommentMarker, pubtest.HiddenUnitName)
	_, _, data := e.get(t, "/cong-khai/data.json?p=2025-q3")
	mustContain(t, "data with staff", data, `"staff":[{"id":"st-a1","name":"`+pubtest.StaffName+`","responses":40,"index":60}]`)
	mustNotContain(t, "data with staff", data, pubtest.FewStaffName, pubtest.CommentMarker)
	e.set(t, func(p *survey.PublishSettings) { p.Staff = false })
	_, _, a = e.get(t, "/cong-khai?p=2025-q3&unit=so-a")
	mustNotContain(t, "staff off again (settings change seen at once)", a, pubtest.StaffName, pubtest.CounterName, "Theo công chức")
}

func TestPublishFromAndGroups(t *testing.T) {
	e := newEnv(t)
	e.set(t, func(p *survey.PublishSettings) { p.From = 0 })
	_, _, body := e.get(t, "/cong-khai")
	// Without the limit, January's 50 "very dissatisfied" answers count.
	mustContain(t, "no limit", row(t, body, "Sở Alpha"), ">130<", "30,77"+nbsp+"%")
	e.set(t, func(p *survey.PublishSettings) { p.From, p.Exclude = day(t, e.Fx.PublishFrom), nil })
	_, _, body = e.get(t, "/cong-khai")
	mustContain(t, "withheld unit published again", body, pubtest.HiddenUnitName)
	e.set(t, func(p *survey.PublishSettings) {
		p.Exclude, p.Groups = []string{pubtest.HiddenUnitID}, []string{pubtest.GroupID, pubtest.HiddenGroupID}
	})
	_, _, body = e.get(t, "/cong-khai")
	mustContain(t, "second group", body, pubtest.HiddenGroupName, pubtest.HiddenGroupUnit)
	if st, _, _ := e.get(t, "/cong-khai?p=2024"); st != http.StatusNotFound {
		t.Errorf("a year before the published-from day: %d", st)
	}
}

func TestPublicationOff(t *testing.T) {
	e := newEnv(t)
	e.get(t, "/cong-khai") // warm the cache: turning off must still hide it
	e.set(t, func(p *survey.PublishSettings) { p.Enabled = false })
	st, h, body := e.get(t, "/cong-khai")
	if st != http.StatusNotFound || h.Get("Cache-Control") != "no-store" {
		t.Errorf("page while off: %d %q", st, h.Get("Cache-Control"))
	}
	mustContain(t, "off", body, "Chưa công bố", "Kết quả đánh giá chưa được công bố.")
	mustNotContain(t, "off", body, "Sở Alpha", "Sở Beta", "%")
	_, _, en := e.get(t, "/cong-khai?lang=en")
	mustContain(t, "off (en)", en, "Not published yet", "The results are not published yet.")
	for _, p := range []string{"/cong-khai/data.json", "/cong-khai/data.csv", "/cong-khai/widget/so-a", "/cong-khai/badge/so-a.svg", "/cong-khai?unit=so-a"} {
		st, _, body := e.get(t, p)
		if st != http.StatusNotFound {
			t.Errorf("%s while off: %d", p, st)
		}
		mustNotContain(t, p, body, "Sở Alpha", "50,00", "50.00")
	}
}

func TestBadInput(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		path   string
		status int
		want   string
	}{
		{"/cong-khai?p=abc", 422, "Kỳ không hợp lệ"},
		{"/cong-khai?p=2025-q7", 422, "Kỳ không hợp lệ"},
		{"/cong-khai?p=2025-03", 422, "Kỳ không hợp lệ"},
		{"/cong-khai?p=%ff%fe", 422, "Kỳ không hợp lệ"},
		{"/cong-khai?p=2010", 404, "Chưa có số liệu công bố cho kỳ này"},
		{"/cong-khai?p=2099", 404, "Chưa có số liệu công bố cho kỳ này"},
		{"/cong-khai?lang=fr", 422, "Ngôn ngữ phải là vi hoặc en"},
		{"/cong-khai?unit=nope", 404, "Không có đơn vị này"},
		{"/cong-khai?unit=" + pubtest.HiddenUnitID, 404, "Không có đơn vị này"},
		{"/cong-khai?unit=" + pubtest.HiddenGroupUID, 404, "Không có đơn vị này"},
		{"/cong-khai?unit=tinh-mau", 404, "Không có đơn vị này"},
		{"/cong-khai?unit=%3Cscript%3E", 404, "Không có đơn vị này"},
		{"/cong-khai?lang=en&unit=nope", 404, "This unit is not among the published ones"},
		{"/cong-khai/widget/nope", 404, "Không có đơn vị này"},
		{"/cong-khai/widget/" + pubtest.HiddenUnitID, 404, "Không có đơn vị này"},
		{"/cong-khai/badge/nope.svg", 404, "không tìm thấy"},
		{"/cong-khai/badge/so-a.png", 404, ""},
		{"/cong-khai/data.json?p=2025-q9", 422, `"field":"p"`},
		{"/cong-khai/data.csv?p=1999", 422, `"field":"p"`},
		{"/cong-khai/data.json?p=2011", 404, "not_found"},
		{"/cong-khai/nope", 404, ""},
	}
	for _, tc := range cases {
		accept := "text/html"
		if strings.Contains(tc.path, "/data.") {
			accept = "*/*" // a program: JSON errors
		}
		st, _, body := e.get(t, tc.path, "Accept", accept)
		if st != tc.status || !strings.Contains(body, tc.want) {
			t.Errorf("%s: %d, want %d with %q", tc.path, st, tc.status, tc.want)
		}
		mustNotContain(t, tc.path, body, "<script>", pubtest.HiddenUnitName, pubtest.HiddenGroupUnit)
	}
	// Parameters a portal or a social network appends are ignored.
	if st, _, _ := e.get(t, "/cong-khai?fbclid=abc&utm_source=portal"); st != 200 {
		t.Errorf("unknown parameters: %d", st)
	}
}

// TestUnitAddedAfterSnapshot: an agency added to a public group while its
// period's figures are cached is a 404 until the next computation, never
// a 5xx.
func TestUnitAddedAfterSnapshot(t *testing.T) {
	e := newEnv(t)
	e.get(t, "/cong-khai")
	if err := e.DB.PutUnits([]survey.Unit{{ID: "so-moi", Name: "Sở Mới", Parent: "tinh-mau", Group: pubtest.GroupID}}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/cong-khai?unit=so-moi", "/cong-khai/widget/so-moi", "/cong-khai/badge/so-moi.svg"} {
		if st, _, _ := e.get(t, p); st != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, st)
		}
	}
}
