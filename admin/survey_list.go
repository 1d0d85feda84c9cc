package admin

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// Survey pages: the list of surveys and their versions, and one version.

type versionRow struct {
	Version  int
	Created  string
	Criteria int
	Reasons  int
	Current  bool
}

type surveyRow struct {
	Key      string
	Title    survey.Text
	Current  int
	Versions []versionRow // newest first
	Uses     []string     // where it is the installation-wide choice
}

type surveysView struct {
	Surveys []surveyRow
}

func listSurveys(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		v := &surveysView{}
		for _, key := range d.Surveys.SurveyKeys() {
			cur := d.Surveys.Survey(key, 0)
			row := surveyRow{Key: key, Title: cur.Title, Current: cur.Version}
			for n := cur.Version; n >= 1; n-- {
				if s := d.Surveys.Survey(key, n); s != nil {
					row.Versions = append(row.Versions, versionRow{Version: n, Created: created(d.Services, s), Criteria: len(s.Criteria), Reasons: len(s.Reasons), Current: n == cur.Version})
				}
			}
			if d.Surveys.SurveyFor("", survey.UseKiosk) == key {
				row.Uses = append(row.Uses, "Ki-ốt tại quầy / Counter kiosks")
			}
			if d.Surveys.SurveyFor("", survey.UseReceipt) == key {
				row.Uses = append(row.Uses, "Phiếu hẹn (mã QR) / Receipt QR form")
			}
			v.Surveys = append(v.Surveys, row)
		}
		return pages.Render(c, fiber.StatusOK, "sys_surveys", withFlash(c, page(c, "Phiếu khảo sát / Surveys", v)))
	}
}

// created is when a version was made; the shipped versions show "default".
func created(db *survey.Services, s *survey.Survey) string {
	if s.CreatedAt.Unix() <= 0 {
		return "Mặc định / Shipped"
	}
	return clock(db.Clock, s.CreatedAt)
}

type critView struct {
	Pos     int
	Key     string
	Element survey.Text
	Label   survey.Text
	Short   survey.Text
	Scale   int
	Levels  string
}

type surveyView struct {
	S        *survey.Survey
	Created  string
	Latest   int
	Versions []int
	Criteria []critView
	NA       survey.Text
}

func showSurvey(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		key := param(c, "key")
		n, err := strconv.Atoi(c.Params("version"))
		s := d.Surveys.Survey(key, n)
		if err != nil || n < 1 || s == nil {
			return survey.Errorf(survey.ENOTFOUND, "Không có phiếu %q phiên bản %q. / No such survey version.", key, c.Params("version"))
		}
		latest := d.Surveys.Survey(key, 0).Version
		v := &surveyView{S: s, Created: created(d.Services, s), Latest: latest, Criteria: critViews(s), NA: survey.NALabel}
		for i := 1; i <= latest; i++ {
			v.Versions = append(v.Versions, i)
		}
		return pages.Render(c, fiber.StatusOK, "sys_survey", withFlash(c, page(c, s.Title.Vi+" – v"+strconv.Itoa(n), v)))
	}
}

func critViews(s *survey.Survey) []critView {
	els := map[string]survey.Text{}
	for _, e := range s.Elements {
		els[e.Key] = e.Label
	}
	out := make([]critView, len(s.Criteria))
	for i, cr := range s.Criteria {
		el := els[cr.Element]
		if cr.Element == "" {
			el = survey.Text{Vi: "Câu hỏi chung", En: "Overall question"}
		}
		out[i] = critView{Pos: i + 1, Key: cr.Key, Element: el, Label: cr.Label, Short: cr.Short, Scale: cr.Scale, Levels: levels(cr.Scale)}
	}
	return out
}

// levels lists a scale's words, lowest first: "1 Rất không hài lòng · …".
func levels(scale int) string {
	var b strings.Builder
	for i, t := range survey.ScaleLabels(scale) {
		if i > 0 {
			b.WriteString(" · ")
		}
		b.WriteString(strconv.Itoa(i+1) + " " + t.Vi)
	}
	return b.String()
}
