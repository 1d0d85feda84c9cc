package admin

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// The survey editor: a new version made from the current one. Criterion
// and reason keys stay as they are (analytics join versions by key); new
// ones can be added, old ones removed, wording, order and scales changed.

// blankRows is how many empty rows the editor offers for new criteria and
// new reasons (no script: save, and the editor comes back with fresh ones).
const blankRows = 2

type critInput struct {
	Row                      int
	Key, Element             string
	Vi, En, ShortVi, ShortEn string
	Scale, Order             string
	Remove, New              bool
	ElementLabel             survey.Text // existing rows: their element
}

type reasonInput struct {
	Row                int
	Key, Vi, En, Order string
	Remove, New        bool
}

// surveyForm is the editor's request and its view.
type surveyForm struct {
	Key              string
	Base             int
	TitleVi, TitleEn string
	Comment          bool
	Criteria         []critInput
	Reasons          []reasonInput
	Elements         []survey.Element
	Old              map[string]bool // keys of the base version's criteria
	formState
}

func editSurvey(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		key := param(c, "key")
		base := d.Surveys.Survey(key, 0)
		if base == nil {
			return survey.Errorf(survey.ENOTFOUND, "Không có phiếu %q. / No survey %q.", key, key)
		}
		f := formFrom(base)
		f.addBlankRows()
		return renderSurveyForm(c, fiber.StatusOK, f)
	}
}

func renderSurveyForm(c *fiber.Ctx, status int, f *surveyForm) error {
	return pages.Render(c, status, "sys_survey_edit", page(c, "Sửa phiếu / Edit survey "+f.Key, f))
}

// formFrom fills the editor with a version.
func formFrom(s *survey.Survey) *surveyForm {
	f := &surveyForm{Key: s.Key, Base: s.Version, TitleVi: s.Title.Vi, TitleEn: s.Title.En, Comment: s.Comment}
	f.setBase(s)
	for i, cr := range s.Criteria {
		f.Criteria = append(f.Criteria, critInput{Row: i, Key: cr.Key, Element: cr.Element, Vi: cr.Label.Vi, En: cr.Label.En,
			ShortVi: cr.Short.Vi, ShortEn: cr.Short.En, Scale: strconv.Itoa(cr.Scale), Order: strconv.Itoa(i + 1)})
	}
	for i, r := range s.Reasons {
		f.Reasons = append(f.Reasons, reasonInput{Row: i, Key: r.Key, Vi: r.Label.Vi, En: r.Label.En, Order: strconv.Itoa(i + 1)})
	}
	f.labelElements()
	return f
}

func (f *surveyForm) setBase(s *survey.Survey) {
	f.Elements = s.Elements
	f.Old = map[string]bool{}
	for _, cr := range s.Criteria {
		f.Old[cr.Key] = true
	}
}

// labelElements names the element of each existing criterion row.
func (f *surveyForm) labelElements() {
	for i := range f.Criteria {
		cr := &f.Criteria[i]
		cr.ElementLabel = survey.Text{Vi: "Câu hỏi chung", En: "Overall question"}
		for _, e := range f.Elements {
			if e.Key == cr.Element {
				cr.ElementLabel = e.Label
			}
		}
	}
}

// addBlankRows appends empty rows for a new criterion and a new reason.
func (f *surveyForm) addBlankRows() {
	for i := 0; i < blankRows; i++ {
		f.Criteria = append(f.Criteria, critInput{Row: len(f.Criteria), New: true, Scale: "5", Order: strconv.Itoa(len(f.Criteria) + 1)})
		f.Reasons = append(f.Reasons, reasonInput{Row: len(f.Reasons), New: true, Order: strconv.Itoa(len(f.Reasons) + 1)})
	}
}

func saveSurvey(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		key := param(c, "key")
		base := d.Surveys.Survey(key, 0)
		if base == nil {
			return survey.Errorf(survey.ENOTFOUND, "Không có phiếu %q. / No survey %q.", key, key)
		}
		f, err := parseSurveyForm(c, base)
		if err != nil {
			return err
		}
		if f.Base != base.Version { // checked again, atomically, by the store
			f.fail("base", staleEditor)
			return renderSurveyForm(c, fiber.StatusConflict, f)
		}
		s, rows := f.toSurvey(base)
		if f.ok() && sameSurvey(s, base) {
			f.fail("criteria", "Không có thay đổi nào so với phiên bản hiện tại. / Nothing changed from the current version.")
		}
		if f.ok() {
			err = d.Surveys.AddSurveyVersionAfter(s, f.Base)
			if err == nil {
				audit(c, d, "survey.version", key, "v"+strconv.Itoa(s.Version)+" "+strconv.Itoa(len(s.Criteria))+" criteria, "+strconv.Itoa(len(s.Reasons))+" reasons")
				return c.Redirect("/admin/surveys/"+key+"/v/"+strconv.Itoa(s.Version)+"?ok=version", fiber.StatusSeeOther)
			}
			if err := f.failErr(err, "criteria", rows.field); err != nil {
				return err
			}
		}
		status := fiber.StatusUnprocessableEntity
		if f.Errors["base"] != "" {
			status = fiber.StatusConflict
		}
		return renderSurveyForm(c, status, f) // the rows as posted, so messages stay beside them
	}
}

// parseSurveyForm reads the editor's fields. A body that is not the editor's
// (row counts out of range) is a 400.
const staleEditor = "Phiếu vừa được lưu thành phiên bản mới trong lúc Ông/Bà sửa; hãy mở lại trang sửa (các thay đổi bên dưới chưa được lưu). / A newer version was saved meanwhile: reopen the editor (the changes below were not saved)."

func parseSurveyForm(c *fiber.Ctx, base *survey.Survey) (*surveyForm, error) {
	f := &surveyForm{Key: base.Key, TitleVi: form(c, "title-vi"), TitleEn: form(c, "title-en"), Comment: c.FormValue("comment") != ""}
	f.setBase(base)
	var err error
	f.Base, err = strconv.Atoi(c.FormValue("base"))
	nc, err1 := strconv.Atoi(c.FormValue("ncrit"))
	nr, err2 := strconv.Atoi(c.FormValue("nreason"))
	if err != nil || err1 != nil || err2 != nil || nc < 0 || nc > survey.MaxCriteria+blankRows || nr < 0 || nr > survey.MaxReasons+blankRows {
		return nil, survey.Errorf(survey.EMALFORMED, "Biểu mẫu không đúng; xin mở lại trang sửa. / Malformed form: reopen the editor.")
	}
	for i := 0; i < nc; i++ {
		p := "c" + strconv.Itoa(i) + "-"
		f.Criteria = append(f.Criteria, critInput{Row: i, Key: form(c, p+"key"), Element: form(c, p+"element"),
			Vi: form(c, p+"vi"), En: form(c, p+"en"), ShortVi: form(c, p+"svi"), ShortEn: form(c, p+"sen"),
			Scale: form(c, p+"scale"), Order: form(c, p+"order"), Remove: c.FormValue(p+"remove") != "", New: c.FormValue(p+"new") != ""})
	}
	for i := 0; i < nr; i++ {
		p := "r" + strconv.Itoa(i) + "-"
		f.Reasons = append(f.Reasons, reasonInput{Row: i, Key: form(c, p+"key"), Vi: form(c, p+"vi"), En: form(c, p+"en"),
			Order: form(c, p+"order"), Remove: c.FormValue(p+"remove") != "", New: c.FormValue(p+"new") != ""})
	}
	for i := range f.Criteria { // existing rows keep the base's element
		if cr := &f.Criteria[i]; !cr.New {
			if bc, _ := base.Criterion(cr.Key); bc != nil {
				cr.Element = bc.Element
			}
		}
	}
	f.labelElements()
	return f, nil
}

func (cr *critInput) blank() bool {
	return cr.Key == "" && cr.Vi == "" && cr.En == "" && cr.ShortVi == "" && cr.ShortEn == ""
}

// inputView is one text field of the editor with its label and message.
type inputView struct {
	ID, Value, Error string
	Numeric          bool
	LabelVi, LabelEn string
	Size, Max        int
}

var inputLabels = map[string][2]string{
	"c-key":   {"Mã tiêu chí (chữ thường không dấu; không đổi được về sau)", "Criterion key (lower-case ASCII; cannot change later)"},
	"c-vi":    {"Câu hỏi (tiếng Việt)", "Question (Vietnamese)"},
	"c-en":    {"Câu hỏi (tiếng Anh)", "Question (English)"},
	"c-svi":   {"Nhãn ngắn (tiếng Việt)", "Short label (Vietnamese)"},
	"c-sen":   {"Nhãn ngắn (tiếng Anh)", "Short label (English)"},
	"c-order": {"Thứ tự", "Order"},
	"r-key":   {"Mã lý do", "Reason key"},
	"r-vi":    {"Lý do (tiếng Việt)", "Reason (Vietnamese)"},
	"r-en":    {"Lý do (tiếng Anh)", "Reason (English)"},
	"r-order": {"Thứ tự", "Order"},
}

// Input describes field name of row in section kind ("c" criteria, "r"
// reasons) for the editor's "input" template.
func (f *surveyForm) Input(kind string, row int, name, value string) inputView {
	id := kind + strconv.Itoa(row) + "-" + name
	l := inputLabels[kind+"-"+name]
	v := inputView{ID: id, Value: value, Error: f.Errors[id], LabelVi: l[0], LabelEn: l[1], Size: 44, Max: 300}
	switch {
	case name == "order":
		v.Size, v.Max, v.Numeric = 4, 4, true
	case name == "key":
		v.Size, v.Max = 20, 64
	case name == "svi" || name == "sen":
		v.Size, v.Max = 30, 100
	case kind == "r":
		v.Size = 36
	}
	return v
}

// Next is the version the form saves.
func (f *surveyForm) Next() int { return f.Base + 1 }
