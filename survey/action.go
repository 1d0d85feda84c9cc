package survey

import (
	"strings"
	"time"
	"unicode/utf8"
)

// ActionStatus is where an improvement action stands.
type ActionStatus string

// Statuses of an improvement action.
const (
	ActionPlanned    ActionStatus = "planned"
	ActionInProgress ActionStatus = "in_progress"
	ActionDone       ActionStatus = "done"
)

// ValidStatus reports whether s is one of the three statuses.
func ValidStatus(s ActionStatus) bool {
	return s == ActionPlanned || s == ActionInProgress || s == ActionDone
}

// Limits of an action's text fields, in characters.
const (
	MaxActionTitle    = 200
	MaxActionText     = 4000 // description, notes
	MaxActionOffice   = 200
	MaxActionCriteria = 12
)

// Action is an improvement action (the director's conclusions: "fix the
// website, rebuild the counter") recorded for a unit's subtree, so that its
// effect on the criteria it targets can be measured once it is done.
// Dates are calendar days in the installation's zone, "YYYY-MM-DD".
type Action struct {
	ID          string       `json:"id"`
	Unit        string       `json:"unit"`
	Title       string       `json:"title"`
	Description string       `json:"description"`
	Criteria    []string     `json:"criteria"` // criterion keys the action targets
	Office      string       `json:"office"`   // the office responsible (text: "Văn phòng Sở")
	Due         string       `json:"due_date"`
	Status      ActionStatus `json:"status"`
	Done        string       `json:"done_date"` // set exactly when Status is done
	Notes       string       `json:"notes"`
	CreatedBy   string       `json:"created_by"`
	CreatedAt   time.Time    `json:"created_at"`
	UpdatedBy   string       `json:"updated_by"`
	UpdatedAt   time.Time    `json:"updated_at"`
}

// Open reports whether the action is not done yet.
func (a *Action) Open() bool { return a.Status != ActionDone }

// Overdue reports whether the action is open and its due date is before
// today (YYYY-MM-DD: the strings sort as the dates).
func (a *Action) Overdue(today string) bool { return a.Open() && a.Due != "" && a.Due < today }

// Validate checks the action's own fields (not that its unit or criteria
// exist, nor that the done date is not in the future: the store does).
// It returns the first problem; Problems returns them all.
func (a *Action) Validate() error {
	if ps := a.Problems(); len(ps) > 0 {
		return ps[0]
	}
	return nil
}

// Problems lists every invalid field of the action, in form order, so that
// a form can show each message beside its field.
func (a *Action) Problems() []*Error {
	var out []*Error
	add := func(err error) {
		if e, ok := err.(*Error); ok && e != nil {
			out = append(out, e)
		}
	}
	if a.ID != "" {
		add(CheckID("id", a.ID))
		if a.ID == "new" {
			add(FieldError("id", "Mã %q được dành riêng. / The id %q is reserved.", a.ID, a.ID))
		}
	}
	if a.Unit == "" {
		add(FieldError("unit", "Chọn đơn vị. / Choose a unit."))
	} else {
		add(CheckID("unit", a.Unit))
	}
	add(checkFreeText("title", a.Title, MaxActionTitle, true, "Nhập tên hành động. / Enter the action's title."))
	add(checkFreeText("description", a.Description, MaxActionText, false, ""))
	add(a.checkCriteria())
	add(checkFreeText("office", a.Office, MaxActionOffice, true, "Nhập phòng, đơn vị chủ trì. / Enter the office responsible."))
	add(checkDate("due_date", a.Due, true, "Nhập hạn hoàn thành. / Enter the due date."))
	add(a.checkStatus())
	add(checkFreeText("notes", a.Notes, MaxActionText, false, ""))
	return out
}

func (a *Action) checkCriteria() error {
	if len(a.Criteria) == 0 {
		return FieldError("criteria", "Chọn ít nhất một tiêu chí mà hành động hướng tới. / Choose at least one criterion the action targets.")
	}
	if len(a.Criteria) > MaxActionCriteria {
		return FieldError("criteria", "Chọn tối đa %d tiêu chí. / Choose at most %d criteria.", MaxActionCriteria, MaxActionCriteria)
	}
	seen := map[string]bool{}
	for _, k := range a.Criteria {
		if !ValidID(k) {
			return FieldError("criteria", "Mã tiêu chí %q không hợp lệ. / Invalid criterion key %q.", k, k)
		}
		if seen[k] {
			return FieldError("criteria", "Tiêu chí %q bị lặp. / Criterion %q is repeated.", k, k)
		}
		seen[k] = true
	}
	return nil
}

func (a *Action) checkStatus() error {
	if !ValidStatus(a.Status) {
		return FieldError("status", "Trạng thái phải là planned, in_progress hoặc done. / Status must be planned, in_progress or done.")
	}
	if a.Status == ActionDone {
		if err := checkDate("done_date", a.Done, true, "Nhập ngày hoàn thành. / Enter the date the action was done."); err != nil {
			return err
		}
		return nil
	}
	if a.Done != "" {
		return FieldError("done_date", "Chỉ ghi ngày hoàn thành khi trạng thái là “Đã hoàn thành”. / A done date goes only with the status done.")
	}
	return nil
}

// checkFreeText checks a free-text field: valid UTF-8, at most max characters,
// not blank when required (msg is then the message).
func checkFreeText(field, s string, max int, required bool, msg string) error {
	if !utf8.ValidString(s) {
		return FieldError(field, "Nội dung không phải UTF-8 hợp lệ. / Not valid UTF-8.")
	}
	if required && strings.TrimSpace(s) == "" {
		return FieldError(field, "%s", msg)
	}
	if n := utf8.RuneCountInString(s); n > max {
		return FieldError(field, "Dài quá %d ký tự (hiện %d). / Longer than %d characters (%d).", max, n, max, n)
	}
	return nil
}

// checkDate checks a YYYY-MM-DD date (years 2000–2999).
func checkDate(field, s string, required bool, msg string) error {
	if s == "" {
		if required {
			return FieldError(field, "%s", msg)
		}
		return nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || t.Year() < 2000 || t.Year() > 2999 {
		return FieldError(field, "Ngày %q không hợp lệ: dùng dạng YYYY-MM-DD. / Invalid date %q: use YYYY-MM-DD.", s, s)
	}
	return nil
}

// ParseDay parses a YYYY-MM-DD date into days since 1970-01-01 (the day
// numbers of DayOf).
func ParseDay(s string) (int32, bool) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, false
	}
	return int32(t.Unix() / 86400), true
}

// DayString formats a day number as YYYY-MM-DD.
func DayString(day int32) string { return time.Unix(int64(day)*86400, 0).UTC().Format(time.DateOnly) }

// ActionQuery selects actions: those of Unit's subtree ("" = every unit)
// and, when set, of one status.
type ActionQuery struct {
	Unit   string
	Status ActionStatus
}

// normalise trims the text fields (criteria keep the order given).
func (a *Action) Normalise() {
	a.ID, a.Unit = strings.TrimSpace(a.ID), strings.TrimSpace(a.Unit)
	a.Title, a.Office = strings.TrimSpace(a.Title), strings.TrimSpace(a.Office)
	a.Due, a.Done = strings.TrimSpace(a.Due), strings.TrimSpace(a.Done)
	a.Description, a.Notes = strings.TrimSpace(a.Description), strings.TrimSpace(a.Notes)
	if a.Criteria == nil {
		a.Criteria = []string{}
	}
}
