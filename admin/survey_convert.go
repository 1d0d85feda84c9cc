package admin

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"hailong/survey"
)

// surveyRows maps the positions of a new version's criteria and reasons
// back to the editor's rows, so a store message lands beside its field.
type surveyRows struct{ crit, reason []int }

// field turns a Survey.Validate field ("criteria[3].label") into the
// editor's field id ("c5-vi").
func (r surveyRows) field(f string) string {
	switch f {
	case "title":
		return "title-vi"
	case "base":
		return "base"
	}
	prefix, rows, id := "", []int(nil), ""
	switch {
	case strings.HasPrefix(f, "criteria["):
		prefix, rows = "criteria[", r.crit
	case strings.HasPrefix(f, "reasons["):
		prefix, rows = "reasons[", r.reason
	default:
		return ""
	}
	n, rest, ok := strings.Cut(f[len(prefix):], "]")
	i, err := strconv.Atoi(n)
	if !ok || err != nil || i < 0 || i >= len(rows) {
		return ""
	}
	switch strings.TrimPrefix(rest, ".") {
	case "key":
		id = "key"
	case "scale":
		id = "scale"
	case "element":
		id = "element"
	default:
		id = "vi"
	}
	return prefix[:1] + strconv.Itoa(rows[i]) + "-" + id
}

type ordered[T any] struct {
	order int
	row   int
	v     T
}

// toSurvey builds the new version from the form, recording a message
// beside every field that is wrong.
func (f *surveyForm) toSurvey(base *survey.Survey) (*survey.Survey, surveyRows) {
	s := &survey.Survey{Key: base.Key, Title: survey.Text{Vi: f.TitleVi, En: f.TitleEn}, Comment: f.Comment,
		Facts: copyFacts(base.Facts)}
	f.checkText("title-vi", "title-en", s.Title, 300, [2]string{"tiêu đề phiếu", "the survey title"})
	var rows surveyRows
	for _, o := range f.criteria() {
		s.Criteria = append(s.Criteria, o.v)
		rows.crit = append(rows.crit, o.row)
	}
	for _, o := range f.reasons() {
		s.Reasons = append(s.Reasons, o.v)
		rows.reason = append(rows.reason, o.row)
	}
	used := map[string]bool{}
	for _, cr := range s.Criteria {
		used[cr.Element] = true
	}
	for _, e := range base.Elements {
		if used[e.Key] { // an element left without criteria is dropped
			s.Elements = append(s.Elements, e)
		}
	}
	return s, rows
}

// criteria checks the criterion rows and returns the kept ones in order.
func (f *surveyForm) criteria() []ordered[survey.Criterion] {
	var out []ordered[survey.Criterion]
	seen := map[string]bool{}
	for _, in := range f.Criteria {
		p := "c" + strconv.Itoa(in.Row) + "-"
		if in.New && in.blank() {
			continue
		}
		if in.Remove {
			if in.Key == survey.OverallKey {
				f.fail(p+"remove", "Không thể bỏ câu hỏi chung (overall). / The overall question cannot be removed.")
			}
			continue
		}
		f.checkKey(p+"key", in.Key, in.New, seen)
		if in.New && in.Key != survey.OverallKey && !f.hasElement(in.Element) {
			f.fail(p+"element", "Chọn yếu tố cho tiêu chí mới. / Choose the element of the new criterion.")
		}
		cr := survey.Criterion{Key: in.Key, Element: in.Element, Label: survey.Text{Vi: in.Vi, En: in.En},
			Short: survey.Text{Vi: in.ShortVi, En: in.ShortEn}}
		what := [2]string{"câu hỏi của tiêu chí “" + in.Key + "”", "the question of criterion “" + in.Key + "”"}
		if in.New && in.Key == "" {
			what = [2]string{"câu hỏi của tiêu chí mới", "the new criterion's question"}
		}
		f.checkText(p+"vi", p+"en", cr.Label, 300, what)
		if cr.Short.Vi == "" {
			cr.Short.Vi = cr.Label.Vi
		}
		if cr.Short.En == "" {
			cr.Short.En = cr.Label.En
		}
		f.checkText(p+"svi", p+"sen", cr.Short, 100, [2]string{"nhãn ngắn của “" + in.Key + "”", "the short label of “" + in.Key + "”"})
		if cr.Scale, _ = strconv.Atoi(in.Scale); cr.Scale != 3 && cr.Scale != 5 {
			f.fail(p+"scale", "Thang đo phải có 3 hoặc 5 mức. / The scale must have 3 or 5 levels.")
		}
		out = append(out, ordered[survey.Criterion]{order: f.order(p+"order", in.Order), row: in.Row, v: cr})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].order < out[j].order })
	return out
}

// reasons checks the reason rows and returns the kept ones in order.
func (f *surveyForm) reasons() []ordered[survey.Reason] {
	var out []ordered[survey.Reason]
	seen := map[string]bool{}
	for _, in := range f.Reasons {
		p := "r" + strconv.Itoa(in.Row) + "-"
		if in.Remove || in.New && in.Key == "" && in.Vi == "" && in.En == "" {
			continue
		}
		if !survey.ValidID(in.Key) {
			f.fail(p+"key", "Mã lý do chỉ dùng chữ thường không dấu, số, '-' và '_'. / Reason keys use lower-case ASCII letters, digits, '-' and '_'.")
		} else if seen[in.Key] {
			f.fail(p+"key", "Lý do \""+in.Key+"\" bị trùng. / Duplicate reason \""+in.Key+"\".")
		}
		seen[in.Key] = true
		r := survey.Reason{Key: in.Key, Label: survey.Text{Vi: in.Vi, En: in.En}}
		f.checkText(p+"vi", p+"en", r.Label, 300, [2]string{"lý do “" + in.Key + "”", "reason “" + in.Key + "”"})
		out = append(out, ordered[survey.Reason]{order: f.order(p+"order", in.Order), row: in.Row, v: r})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].order < out[j].order })
	return out
}

// checkKey checks a criterion key: a new one must be a fresh slug, an
// existing one must be a key of the base version (keys are never renamed).
func (f *surveyForm) checkKey(field, key string, isNew bool, seen map[string]bool) {
	switch {
	case isNew && !survey.ValidID(key):
		f.fail(field, "Mã tiêu chí chỉ dùng chữ thường không dấu, số, '-' và '_' (ví dụ: wifi). / Criterion keys use lower-case ASCII letters, digits, '-' and '_' (e.g. wifi).")
	case !isNew && !f.Old[key]:
		f.fail(field, "Tiêu chí không có trong phiên bản gốc; không đổi được mã. / Not a criterion of the base version: keys cannot be renamed.")
	case seen[key]:
		f.fail(field, "Tiêu chí \""+key+"\" bị trùng. / Duplicate criterion \""+key+"\".")
	}
	seen[key] = true
}

func (f *surveyForm) hasElement(k string) bool {
	for _, e := range f.Elements {
		if e.Key == k {
			return true
		}
	}
	return false
}

// checkText records a message for a missing or too long label; what names
// the label in Vietnamese and English.
func (f *surveyForm) checkText(vi, en string, t survey.Text, max int, what [2]string) {
	for _, x := range []struct{ field, v, langVi, langEn string }{{vi, t.Vi, "tiếng Việt", "Vietnamese"}, {en, t.En, "tiếng Anh", "English"}} {
		switch {
		case x.v == "":
			f.fail(x.field, "Nhập "+what[0]+" bằng "+x.langVi+". / Enter "+what[1]+" in "+x.langEn+".")
		case !utf8.ValidString(x.v) || utf8.RuneCountInString(x.v) > max:
			f.fail(x.field, "Rút gọn "+what[0]+" ("+x.langVi+") còn tối đa "+strconv.Itoa(max)+" ký tự. / Shorten "+what[1]+" ("+x.langEn+") to "+strconv.Itoa(max)+" characters.")
		}
	}
}

func (f *surveyForm) order(field, v string) int {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > 1000 {
		f.fail(field, "Thứ tự phải là số từ 0 đến 1000. / Order must be a number from 0 to 1000.")
	}
	return n
}

func copyFacts(in []survey.Fact) []survey.Fact {
	out := make([]survey.Fact, len(in))
	for i, ft := range in {
		out[i] = ft
		out[i].Options = append([]survey.Text(nil), ft.Options...)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// sameSurvey reports whether a and b define the same questionnaire.
func sameSurvey(a, b *survey.Survey) bool {
	x, y := *a, *b
	x.Version, y.Version = 0, 0
	x.CreatedAt = y.CreatedAt
	ja, _ := json.Marshal(x)
	jb, _ := json.Marshal(y)
	return string(ja) == string(jb)
}
