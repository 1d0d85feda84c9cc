package survey

import (
	"time"
)

// Dossier (hồ sơ) is an application received at the one-stop desk.
type Dossier struct {
	Code           string    `json:"code"`
	Unit           string    `json:"unit"`
	Procedure      string    `json:"procedure,omitempty"`
	Staff          string    `json:"staff,omitempty"`
	ReceivedAt     time.Time `json:"received_at"`
	DueAt          time.Time `json:"due_at"`
	FinishedAt     time.Time `json:"finished_at,omitzero"` // zero while in progress
	SupplementDays int       `json:"supplement_days,omitempty"`
	TokenHash      []byte    `json:"token_hash,omitempty"` // receipt survey token, hashed
	TokenExpires   time.Time `json:"token_expires,omitzero"`
	Answered       bool      `json:"answered,omitempty"`
	// Negative: the response linked to the dossier (its receipt's form)
	// answered its overall question negatively (Negative), or, without a
	// valid overall answer, some criterion. Derived by the store when the
	// response is stored, whatever the caller sets; the Quyết định 766
	// per-dossier satisfaction rate counts such a dossier against the agency.
	Negative bool `json:"negative,omitempty"`
}

// Validate checks the dossier's fields.
func (d *Dossier) Validate() error {
	if d.Code == "" {
		return FieldError("code", "Thiếu mã hồ sơ. / Missing dossier code.")
	}
	if e := checkCode("code", d.Code); e != nil {
		return e
	}
	if e := CheckID("unit", d.Unit); e != nil {
		return e
	}
	if e := checkCode("procedure", d.Procedure); e != nil {
		return e
	}
	if d.Staff != "" {
		if e := CheckID("staff", d.Staff); e != nil {
			return e
		}
	}
	if d.ReceivedAt.IsZero() {
		return FieldError("received_at", "Thiếu ngày tiếp nhận. / Missing received date.")
	}
	if d.DueAt.IsZero() {
		return FieldError("due_at", "Thiếu ngày hẹn trả. / Missing due date.")
	}
	if d.DueAt.Before(d.ReceivedAt) {
		return FieldError("due_at", "Ngày hẹn trả trước ngày tiếp nhận. / Due date is before the received date.")
	}
	if !d.FinishedAt.IsZero() && d.FinishedAt.Before(d.ReceivedAt) {
		return FieldError("finished_at", "Ngày trả kết quả trước ngày tiếp nhận. / Finish date is before the received date.")
	}
	if d.SupplementDays < 0 || d.SupplementDays > 3650 {
		return FieldError("supplement_days", "Số ngày bổ sung phải từ 0 đến 3650. / Supplement days must be 0 to 3650.")
	}
	return nil
}

// Outcome of a dossier against its due date.
type Outcome int

// Outcomes.
const (
	InProgress Outcome = iota
	Early
	OnTime
	Late
)

// Outcome compares the finish date with the due date plus the supplement
// days, as calendar days in loc.
func (d *Dossier) Outcome(loc *time.Location) Outcome {
	if d.FinishedAt.IsZero() {
		return InProgress
	}
	fin := DayOf(d.FinishedAt, loc)
	due := DayOf(d.DueAt, loc) + int32(d.SupplementDays)
	switch {
	case fin < due:
		return Early
	case fin == due:
		return OnTime
	}
	return Late
}

// Overdue reports whether an unfinished dossier is past its due date at now.
func (d *Dossier) Overdue(now time.Time, loc *time.Location) bool {
	return d.FinishedAt.IsZero() && DayOf(now, loc) > DayOf(d.DueAt, loc)+int32(d.SupplementDays)
}

// DayOf returns the calendar day of t in loc as days since 1970-01-01.
func DayOf(t time.Time, loc *time.Location) int32 {
	y, m, d := t.In(loc).Date()
	return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// DayStart returns the start of calendar day (days since 1970-01-01) in loc.
func DayStart(day int32, loc *time.Location) time.Time {
	u := time.Unix(int64(day)*86400, 0).UTC()
	return time.Date(u.Year(), u.Month(), u.Day(), 0, 0, 0, 0, loc)
}

// Timeliness counts the dossiers of units received in [from, to] (calendar
// days, inclusive), as of now.
type Timeliness struct {
	Received, Finished, Early, OnTime, Late, InProgress int
	InProgressNotOverdue                                int
}

// Add counts dossier d as of now, with days cut in loc.
func (t *Timeliness) Add(d *Dossier, now time.Time, loc *time.Location) {
	t.Received++
	switch d.Outcome(loc) {
	case Early:
		t.Early++
	case OnTime:
		t.OnTime++
	case Late:
		t.Late++
	default:
		t.InProgress++
		if !d.Overdue(now, loc) {
			t.InProgressNotOverdue++
		}
	}
	t.Finished = t.Early + t.OnTime + t.Late
}
