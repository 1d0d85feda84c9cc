package survey

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Text is a label in Vietnamese (first) and English.
type Text struct {
	Vi string `json:"vi"`
	En string `json:"en"`
}

// In returns the label in lang ("vi" or "en"), falling back to Vietnamese.
func (t Text) In(lang string) string {
	if lang == "en" && t.En != "" {
		return t.En
	}
	return t.Vi
}

// T picks vi or en for lang: the one way code chooses between two texts.
func T(lang, vi, en string) string { return Text{Vi: vi, En: en}.In(lang) }

// MessageText reads a bilingual message written "Tiếng Việt. / English."
// (every Error message is) as a Text; a message without " / " is both.
func MessageText(msg string) Text {
	vi, en, ok := strings.Cut(msg, " / ")
	if !ok {
		return Text{Vi: msg, En: msg}
	}
	return Text{Vi: vi, En: en}
}

// OverallKey is the key of the overall question every survey has.
const OverallKey = "overall"

// NA is the stored score of a "not applicable" answer.
const NA = 0

// Survey is one version of a questionnaire. Editing a survey makes a new
// version; responses keep the version they answered and analytics join the
// versions by criterion key.
type Survey struct {
	Key       string      `json:"key"`
	Version   int         `json:"version"`
	Title     Text        `json:"title"`
	Elements  []Element   `json:"elements"`
	Criteria  []Criterion `json:"criteria"`
	Reasons   []Reason    `json:"reasons"`
	Facts     []Fact      `json:"facts,omitempty"`
	Comment   bool        `json:"comment"`
	CreatedAt time.Time   `json:"created_at"`
}

// Element (yếu tố) groups criteria; its index is the mean of theirs.
type Element struct {
	Key   string `json:"key"`
	Label Text   `json:"label"`
}

// Criterion (tiêu chí) is one rated question. Element is empty for the
// overall question, which is not part of the element roll-up.
type Criterion struct {
	Key     string `json:"key"`
	Element string `json:"element,omitempty"`
	Label   Text   `json:"label"`
	Short   Text   `json:"short"`
	Scale   int    `json:"scale"` // 3 or 5
}

// Reason is a reason option offered after a negative answer.
type Reason struct {
	Key   string `json:"key"`
	Label Text   `json:"label"`
}

// Fact is a factual question about a dossier (the TT 01/2018 facts); its
// answer is the index of the chosen option. Facts are not satisfaction criteria.
type Fact struct {
	Key     string `json:"key"`
	Label   Text   `json:"label"`
	Options []Text `json:"options"`
}

// Limits of a survey definition, which also bound the binary encoding.
const (
	MaxCriteria = 60
	MaxReasons  = 63
	MaxFacts    = 16
	MaxOptions  = 10
)

// Criterion returns the criterion with key k and its position.
func (s *Survey) Criterion(k string) (*Criterion, int) {
	for i := range s.Criteria {
		if s.Criteria[i].Key == k {
			return &s.Criteria[i], i
		}
	}
	return nil, -1
}

// Reason returns the position of reason k, or -1.
func (s *Survey) Reason(k string) int {
	for i := range s.Reasons {
		if s.Reasons[i].Key == k {
			return i
		}
	}
	return -1
}

// Fact returns the fact with key k and its position.
func (s *Survey) Fact(k string) (*Fact, int) {
	for i := range s.Facts {
		if s.Facts[i].Key == k {
			return &s.Facts[i], i
		}
	}
	return nil, -1
}

// ElementCriteria returns the criteria of element e in order.
func (s *Survey) ElementCriteria(e string) []Criterion {
	var out []Criterion
	for _, c := range s.Criteria {
		if c.Element == e {
			out = append(out, c)
		}
	}
	return out
}

func checkText(field string, t Text) error {
	if t.Vi == "" || t.En == "" {
		return FieldError(field, "Cần nhãn tiếng Việt và tiếng Anh. / Both Vietnamese and English labels are required.")
	}
	if !utf8.ValidString(t.Vi) || !utf8.ValidString(t.En) || utf8.RuneCountInString(t.Vi) > 300 || utf8.RuneCountInString(t.En) > 300 {
		return FieldError(field, "Nhãn không hợp lệ hoặc dài quá 300 ký tự. / Label invalid or longer than 300 characters.")
	}
	return nil
}

// Validate checks a survey definition: unique keys, an overall question,
// known elements, scales of 3 or 5 levels, and the encoding limits.
func (s *Survey) Validate() error {
	if e := CheckID("key", s.Key); e != nil {
		return e
	}
	if s.Version < 1 {
		return FieldError("version", "Phiên bản phải từ 1 trở lên. / Version must be 1 or more.")
	}
	if e := checkText("title", s.Title); e != nil {
		return e
	}
	if len(s.Criteria) == 0 || len(s.Criteria) > MaxCriteria {
		return FieldError("criteria", "Phiếu cần từ 1 đến %d tiêu chí. / A survey needs 1 to %d criteria.", MaxCriteria, MaxCriteria)
	}
	if len(s.Reasons) > MaxReasons {
		return FieldError("reasons", "Tối đa %d lý do. / At most %d reasons.", MaxReasons, MaxReasons)
	}
	if len(s.Facts) > MaxFacts {
		return FieldError("facts", "Tối đa %d câu hỏi về hồ sơ. / At most %d dossier questions.", MaxFacts, MaxFacts)
	}
	elements, err := s.checkElements()
	if err != nil {
		return err
	}
	criteria, err := s.checkCriteria(elements)
	if err != nil {
		return err
	}
	if err := s.checkReasons(); err != nil {
		return err
	}
	return s.checkFacts(criteria)
}

// checkElements returns the set of element keys.
func (s *Survey) checkElements() (map[string]bool, error) {
	elements := map[string]bool{}
	for i, el := range s.Elements {
		f := "elements[" + Itoa(i) + "]"
		if e := CheckID(f+".key", el.Key); e != nil {
			return nil, e
		}
		if elements[el.Key] {
			return nil, FieldError(f+".key", "Yếu tố %q bị trùng. / Duplicate element %q.", el.Key, el.Key)
		}
		elements[el.Key] = true
		if e := checkText(f+".label", el.Label); e != nil {
			return nil, e
		}
	}
	return elements, nil
}

// checkCriteria returns the set of criterion keys, which must include the
// overall question.
func (s *Survey) checkCriteria(elements map[string]bool) (map[string]bool, error) {
	seen := map[string]bool{}
	for i, c := range s.Criteria {
		f := "criteria[" + Itoa(i) + "]"
		if e := CheckID(f+".key", c.Key); e != nil {
			return nil, e
		}
		if seen[c.Key] {
			return nil, FieldError(f+".key", "Tiêu chí %q bị trùng. / Duplicate criterion %q.", c.Key, c.Key)
		}
		seen[c.Key] = true
		if c.Scale != 3 && c.Scale != 5 {
			return nil, FieldError(f+".scale", "Thang đo phải có 3 hoặc 5 mức. / Scale must have 3 or 5 levels.")
		}
		if c.Key == OverallKey && c.Element != "" {
			return nil, FieldError(f+".element", "Câu hỏi chung không thuộc yếu tố nào. / The overall question belongs to no element.")
		}
		if c.Key != OverallKey && !elements[c.Element] {
			return nil, FieldError(f+".element", "Yếu tố %q không có trong phiếu. / Unknown element %q.", c.Element, c.Element)
		}
		if e := checkText(f+".label", c.Label); e != nil {
			return nil, e
		}
	}
	if !seen[OverallKey] {
		return nil, FieldError("criteria", "Phiếu phải có câu hỏi chung %q. / The survey must have the %q question.", OverallKey, OverallKey)
	}
	return seen, nil
}

func (s *Survey) checkReasons() error {
	for i, r := range s.Reasons {
		f := "reasons[" + Itoa(i) + "]"
		if e := CheckID(f+".key", r.Key); e != nil {
			return e
		}
		if s.Reason(r.Key) != i {
			return FieldError(f+".key", "Lý do %q bị trùng. / Duplicate reason %q.", r.Key, r.Key)
		}
		if e := checkText(f+".label", r.Label); e != nil {
			return e
		}
	}
	return nil
}

// checkFacts checks the dossier questions, whose keys may repeat neither
// each other nor a criterion key.
func (s *Survey) checkFacts(criteria map[string]bool) error {
	for i, ft := range s.Facts {
		f := "facts[" + Itoa(i) + "]"
		if e := CheckID(f+".key", ft.Key); e != nil {
			return e
		}
		if _, j := s.Fact(ft.Key); j != i || criteria[ft.Key] {
			return FieldError(f+".key", "Câu hỏi %q bị trùng. / Duplicate question %q.", ft.Key, ft.Key)
		}
		if len(ft.Options) < 2 || len(ft.Options) > MaxOptions {
			return FieldError(f+".options", "Cần từ 2 đến %d lựa chọn. / Needs 2 to %d options.", MaxOptions, MaxOptions)
		}
		for _, o := range ft.Options {
			if e := checkText(f+".options", o); e != nil {
				return e
			}
		}
	}
	return nil
}

// Itoa formats a small non-negative index for field names ("criteria[12]").
func Itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return Itoa(i/10) + string(rune('0'+i%10))
}

// ScaleLabels returns the words of a 3- or 5-level scale, lowest first.
func ScaleLabels(scale int) []Text {
	if scale == 3 {
		return []Text{
			{"Không hài lòng", "Dissatisfied"},
			{"Hài lòng", "Satisfied"},
			{"Rất hài lòng", "Very satisfied"},
		}
	}
	return []Text{
		{"Rất không hài lòng", "Very dissatisfied"},
		{"Không hài lòng", "Dissatisfied"},
		{"Bình thường", "Neutral"},
		{"Hài lòng", "Satisfied"},
		{"Rất hài lòng", "Very satisfied"},
	}
}

// NALabel is the label of the "not applicable" choice.
var NALabel = Text{"Không áp dụng / Không có ý kiến", "Not applicable"}

// Positive reports whether score counts as satisfied (level 4–5 of 5,
// "Hài lòng"/"Rất hài lòng" of 3). Negative reports level 1–2 of 5 or 1 of 3.
func Positive(scale, score int) bool {
	if scale == 3 {
		return score >= 2
	}
	return score >= 4
}

// Negative reports whether score is a dissatisfied answer (opens reasons).
func Negative(scale, score int) bool {
	if score == NA {
		return false
	}
	if scale == 3 {
		return score == 1
	}
	return score <= 2
}

// AnyNegative reports whether some answer of r is dissatisfied on its
// criterion's scale in s (the answer that offers the citizen a reply and
// may open a case). A nil survey has none.
func (s *Survey) AnyNegative(r *Response) bool {
	if s == nil {
		return false
	}
	for k, v := range r.Answers {
		if c, _ := s.Criterion(k); c != nil && Negative(c.Scale, v) {
			return true
		}
	}
	return false
}

// NegativeVerdict reports whether a response's verdict is negative (the
// 766 per-dossier rate, docs/METHODOLOGY.md section 16): its overall
// question answered dissatisfied; without a valid overall answer, any
// criterion answered so. (survey/bolt's recNegative is the same rule on
// its stored record.)
func (s *Survey) NegativeVerdict(r *Response) bool {
	some := false
	for _, c := range s.Criteria {
		v, ok := r.Answers[c.Key]
		if !ok || v == NA {
			continue
		}
		neg := Negative(c.Scale, v)
		if c.Key == OverallKey {
			return neg
		}
		some = some || neg
	}
	return some
}
