package publish

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"hailong/analytics/engine"
	"hailong/survey"
	"hailong/web"
)

// The tamper-evident log's public side (docs/INTEGRITY.md): the final day
// heads as open data, a short list of them on /cong-khai, and the check of
// a citizen's confirmation code. Heads and the check publish no figure and
// no answer, so they are served whether or not results are published:
// accountability of what was stored should not wait for publication.

const (
	headsOnPage   = 7                // recent heads listed on /cong-khai
	codeLookups   = 20               // confirmation checks per client …
	codeWindow    = 10 * time.Minute // … per window
	headsMaxAge   = 300
	maxCodeLength = 40
)

// headsFile is the heads served at /cong-khai/heads.json: every final head
// (a day's head is final once the next day has begun).
func headsFile(db *survey.Services) survey.HeadsFile {
	h := db.Integrity.Heads(time.Time{}, time.Time{}, false)
	if h == nil {
		h = []survey.Head{}
	}
	return survey.HeadsFile{SchemaVersion: 1, Algorithm: survey.HeadsAlgorithm, Zone: db.Clock.Loc().String(), Heads: h}
}

// getHeads handles GET /cong-khai/heads.json.
func (s *server) getHeads(c *fiber.Ctx) error {
	body, err := json.Marshal(headsFile(s.d.Services))
	if err != nil {
		return err
	}
	openData(c)
	return send(c, newOutput(fiber.MIMEApplicationJSONCharsetUTF8, body), headsMaxAge)
}

// headRow is a head on a page.
type headRow struct{ Date, Entries, Hash string }

// recentHeads are the last final heads, newest first, for a page.
func recentHeads(db *survey.Services, f engine.Formatter, n int) []headRow {
	hs := db.Integrity.Heads(db.Clock.Now().AddDate(0, 0, -60), time.Time{}, false)
	var out []headRow
	for i := len(hs) - 1; i >= 0 && len(out) < n; i-- {
		out = append(out, headRowOf(f, hs[i]))
	}
	return out
}

func headRowOf(f engine.Formatter, h survey.Head) headRow {
	d, _ := time.Parse(time.DateOnly, h.Date)
	return headRow{Date: f.Date(survey.DayOf(d, time.UTC)), Entries: f.Int(h.Entries), Hash: h.Hash}
}

// verifyView is the confirmation page: the form, and the answer to a code.
type verifyView struct {
	F        engine.Formatter
	Code     string
	Asked    bool
	Found    bool
	Message  string // not found, or too many
	Day      string
	Head     *headRow
	Unit     string
	Counted  bool
	Excluded string // why not, for people
	Reason   string // the administrator's reason, when one was logged
	Vi, En   string
}

// verifier answers /cong-khai/xac-minh, rate-limited per client.
type verifier struct {
	d     *web.Deps
	limit *web.Limiter
}

// getVerify handles GET /cong-khai/xac-minh[?code=…][&lang=en]. A
// malformed, forged or unknown code gets the same page and status (404).
func (v *verifier) getVerify(c *fiber.Ctx) error {
	lang := "vi"
	if c.Query("lang") == "en" {
		lang = "en"
	}
	f := engine.NewFormatter(lang)
	code := strings.TrimSpace(strings.Clone(c.Query("code")))
	vv := &verifyView{F: f, Vi: "/cong-khai/xac-minh", En: "/cong-khai/xac-minh?lang=en"}
	noStore(c)
	status := fiber.StatusOK
	if code != "" {
		vv.Asked = true
		if len(code) > maxCodeLength {
			code = code[:maxCodeLength]
		}
		vv.Code = code
		status = v.answer(c, vv, f, code)
	}
	body, err := render("verify", "layout.html", &web.Page{Title: f.T("Xác minh phiếu đánh giá", "Check your response"), Lang: lang, Data: vv})
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Status(status).Send(body)
}

// answer fills vv for code and returns the status.
func (v *verifier) answer(c *fiber.Ctx, vv *verifyView, f engine.Formatter, code string) int {
	ok, _, err := v.limit.Take(v.d.ClientKey(c))
	if err != nil {
		v.d.Log.Error("verification rate limit", "err", err)
		vv.Message = f.T("Hệ thống tạm thời không tra cứu được. Xin thử lại sau ít phút.", "Checks are unavailable for a moment. Please try again in a few minutes.")
		return fiber.StatusServiceUnavailable
	}
	if !ok {
		vv.Message = f.T("Quá nhiều lần tra cứu. Xin thử lại sau ít phút.", "Too many checks. Please try again in a few minutes.")
		return fiber.StatusTooManyRequests
	}
	cf, err := v.d.Integrity.Confirmation(code)
	if err != nil {
		if e := asPublicError(err); e == nil || e.Code != survey.ENOTFOUND {
			v.d.Log.Error("confirmation", "err", err) // internal: still the same page
		}
		vv.Message = f.T("Không tìm thấy mã xác nhận này. Xin kiểm tra lại từng ký tự.", "This confirmation code was not found. Please check each character.")
		return fiber.StatusNotFound
	}
	vv.Found = true
	d, _ := time.Parse(time.DateOnly, cf.Day)
	vv.Day = f.Date(survey.DayOf(d, time.UTC))
	if cf.Head != nil {
		h := headRowOf(f, *cf.Head)
		vv.Head = &h
	}
	vv.Unit = agencyName(v.d.Org, cf.Unit)
	vv.Counted, vv.Reason = cf.Counted, cf.ChangedBy
	switch cf.Excluded {
	case survey.ExcludedMisuse:
		vv.Excluded = f.T("phiếu được gửi ngay sau phiếu trước tại cùng ki-ốt (bấm liên tục), nên không được tính", "it came right after the previous answer at the same kiosk (repeated taps), so it is not counted")
	case survey.ExcludedUnverified:
		vv.Excluded = f.T("phiếu gửi qua mẫu công khai chưa được xác minh, nên không được tính", "it came through an open poster form and is unverified, so it is not counted")
	case survey.ExcludedWithdrawn:
		vv.Excluded = f.T("phiếu thuộc một đợt nhập dữ liệu đã bị rút lại", "it belonged to an import batch that was withdrawn")
	case survey.ExcludedFlagsChanged:
		vv.Excluded = f.T("quản trị viên đã đánh dấu lại phiếu (việc này được ghi trong sổ)", "an administrator flagged it afterwards (the change is in the log)")
	case survey.ExcludedMissing:
		vv.Excluded = f.T("phiếu không còn trong dữ liệu và sổ không ghi lý do — xin báo cho cơ quan", "the response is no longer stored and the log gives no reason — please tell the agency")
	}
	return fiber.StatusOK
}

// agencyName names the agency a unit counts for: the unit, and the nearest
// ancestor in a group when the unit is a department.
func agencyName(org survey.OrgService, id string) string {
	u := org.Unit(id)
	if u == nil {
		return id
	}
	name := u.Name
	for p, i := u, 0; p != nil && p.Group == "" && p.Parent != "" && i < 16; i++ {
		p = org.Unit(p.Parent)
		if p != nil && p.Group != "" {
			return name + " – " + p.Name
		}
	}
	return name
}
