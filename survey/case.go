package survey

import (
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// A case (phản ánh, kiến nghị — PAKN) is a citizen's request that the office
// answers: opened from a negative response whose author left a contact or
// asked to file a petition, or by hand by reception for a call or a letter.
// Its contact is stored apart (Contact), never exported, never public, and
// deleted Settings().Retention.ContactDays after the case closes.

// Case kinds.
const (
	CaseAskReply = "reply"    // the citizen asks the office to reply (Muốn được trả lời)
	CasePetition = "petition" // a formal petition (Kiến nghị chính thức)
)

// Case sources: where the case came from.
const (
	SourceResponse = "response" // a survey response (kiosk, QR form, poster form)
	SourceCall     = "call"     // a telephone call, entered by reception
	SourceLetter   = "letter"   // a letter or a written note, entered by reception
	SourceInPerson = "in_person"
)

// Case statuses, in their usual order.
const (
	CaseNew      = "new"         // mới
	CaseOpen     = "in_progress" // đang xử lý
	CaseReplied  = "replied"     // đã trả lời
	CaseClosed   = "closed"      // đóng
	RatingGood   = "satisfied"   // the citizen is satisfied with the handling
	RatingBad    = "dissatisfied"
	ReplyByEmail = "email"
	ReplyByPhone = "phone"
	ReplyByPost  = "letter"
)

// CaseStatuses are the statuses in their order on the page.
var CaseStatuses = []string{CaseNew, CaseOpen, CaseReplied, CaseClosed}

// Limits of case texts.
const (
	MaxCaseText = 4000 // summary, note, reply (runes)
	MaxContact  = 200  // name, e-mail (runes)
)

// Case is one PAKN case.
type Case struct {
	ID       string    `json:"id"` // "2026-0001": year of opening, sequence within the year
	Unit     string    `json:"unit"`
	Kind     string    `json:"kind"`   // CaseAskReply or CasePetition
	Source   string    `json:"source"` // Source*
	Channel  string    `json:"channel,omitempty"`
	Response string    `json:"response,omitempty"` // the response's UUID when opened from one
	Dossier  string    `json:"dossier,omitempty"`  // the dossier code when the response came from a receipt
	Summary  string    `json:"summary,omitempty"`  // what the citizen says (the comment, or reception's summary)
	Status   string    `json:"status"`
	Assignee string    `json:"assignee,omitempty"` // username
	OpenedBy string    `json:"opened_by"`          // username, or "citizen"
	OpenedAt time.Time `json:"opened_at"`
	// DueAt is the deadline: Settings().Cases.DeadlineDays working days after
	// the opening day, on the working-day calendar (CalendarService), at the
	// end of that day in the installation's zone.
	DueAt time.Time `json:"due_at"`
	// EscalatedTo is the parent unit the overdue case was escalated to ("" = not escalated).
	EscalatedTo string     `json:"escalated_to,omitempty"`
	EscalatedAt time.Time  `json:"escalated_at,omitzero"`
	Notes       []CaseNote `json:"notes,omitempty"`
	Reply       *CaseReply `json:"reply,omitempty"`
	ClosedAt    time.Time  `json:"closed_at,omitzero"`
	Rating      string     `json:"rating,omitempty"` // RatingGood, RatingBad, "" = not rated
	RatedAt     time.Time  `json:"rated_at,omitzero"`
	// RatingHash is the hash of the citizen's one-time rating link, cleared
	// when used. Never shown.
	RatingHash []byte `json:"rating_hash,omitempty"`
	// HasContact: a contact is stored apart; ContactPurged: it was deleted by
	// the retention rule (when).
	HasContact    bool      `json:"has_contact,omitempty"`
	ContactPurged time.Time `json:"contact_purged,omitzero"`
	UpdatedAt     time.Time `json:"updated_at"`
	// Steps are the case's history in order (the case page's timeline); the
	// texts stay in Notes and Reply.
	Steps []CaseStep `json:"steps,omitempty"`
}

// Case step actions.
const (
	StepOpen     = "open"     // Detail: the source
	StepAssign   = "assign"   // Detail: the assignee, "" = unassigned
	StepStatus   = "status"   // Detail: the new status
	StepNote     = "note"     // the note of Notes with the same At
	StepReply    = "reply"    // Detail: how (ReplyBy*)
	StepEscalate = "escalate" // Detail: the unit escalated to
	StepRate     = "rate"     // Detail: the rating
	StepPurge    = "purge"    // the contact was deleted
)

// CaseStep is one step in a case's history.
type CaseStep struct {
	At     time.Time `json:"at"`
	By     string    `json:"by"`
	Action string    `json:"action"` // Step*
	Detail string    `json:"detail,omitempty"`
}

// Citizen is the actor of the steps the citizen takes (opening from a
// response, rating the reply).
const Citizen = "citizen"

// Replies counts the replies given so far (a second reply replaces the
// first).
func (c *Case) Replies() int {
	n := 0
	for _, s := range c.Steps {
		if s.Action == StepReply {
			n++
		}
	}
	return n
}

// Overdue reports whether the case is past its deadline at now without a
// reply.
func (c *Case) Overdue(now time.Time) bool {
	return c.Reply == nil && c.Status != CaseClosed && now.After(c.DueAt)
}

// RepliedAt is when the case was first replied to (a later reply corrects
// the first, it does not move it); ok is false before any reply.
func (c *Case) RepliedAt() (at time.Time, ok bool) {
	for _, s := range c.Steps {
		if s.Action == StepReply {
			return s.At, true
		}
	}
	if c.Reply != nil {
		return c.Reply.At, true
	}
	return time.Time{}, false
}

// OnTime reports whether the case was first replied to by its deadline.
func (c *Case) OnTime() bool {
	at, ok := c.RepliedAt()
	return ok && !at.After(c.DueAt)
}

// CaseNote is an internal note, never shown to the citizen.
type CaseNote struct {
	At   time.Time `json:"at"`
	By   string    `json:"by"`
	Text string    `json:"text"`
}

// CaseReply is the office's answer to the citizen.
type CaseReply struct {
	At   time.Time `json:"at"`
	By   string    `json:"by"`
	Via  string    `json:"via"` // ReplyByEmail, ReplyByPhone, ReplyByPost
	Text string    `json:"text"`
}

// Contact is how the citizen may be reached, stored apart from the response
// and the case; shown only to whoever handles the case.
type Contact struct {
	Name      string    `json:"name,omitempty"`
	Phone     string    `json:"phone,omitempty"` // normalised: 0 and nine digits
	Email     string    `json:"email,omitempty"`
	ConsentAt time.Time `json:"consent_at"` // when the citizen agreed to the consent sentence
}

// CaseQuery selects cases for the inbox. Zero fields select everything.
type CaseQuery struct {
	Units    []string  // the units (a subtree, from OrgService.Subtree); nil = all
	Status   string    // one of CaseStatuses, "open" = not closed, "" = any
	Assignee string    // username, "-" = unassigned
	Overdue  bool      // only overdue at Now
	Text     string    // case-insensitive search in id, summary, notes, reply, dossier
	From, To time.Time // opened in [From, To); zero = unbounded
	Limit    int       // 0 = no limit
}

// CaseUpdate is one step on a case: any of a new status, a new assignee, a
// note. Nil pointers change nothing.
type CaseUpdate struct {
	Status   *string
	Assignee *string // "" unassigns
	Note     string
}

// CheckContact normalises and validates a contact: a Vietnamese mobile
// number (10 digits starting 03, 05, 07, 08 or 09; +84/84 and spaces, dots
// and dashes accepted) or an e-mail address, at least one of them. Errors:
// EINVALID with field "phone", "email" or "contact".
func CheckContact(c *Contact) error {
	c.Name = strings.TrimSpace(c.Name)
	c.Email = strings.TrimSpace(c.Email)
	c.Phone = strings.TrimSpace(c.Phone)
	if utf8.RuneCountInString(c.Name) > MaxContact || strings.ContainsAny(c.Name, "\r\n<>") {
		return FieldError("name", "Họ tên quá dài hoặc có ký tự không hợp lệ. / The name is too long or holds invalid characters.")
	}
	if c.Phone == "" && c.Email == "" {
		return FieldError("contact", "Nhập số điện thoại di động hoặc địa chỉ thư điện tử. / Enter a mobile number or an e-mail address.")
	}
	if c.Phone != "" {
		p, ok := NormalizeMobile(c.Phone)
		if !ok {
			return FieldError("phone", "Số điện thoại di động không hợp lệ (ví dụ 0912 345 678). / Not a Vietnamese mobile number (e.g. 0912 345 678).")
		}
		c.Phone = p
	}
	if c.Email != "" && !ValidEmail(c.Email) {
		return FieldError("email", "Địa chỉ thư điện tử không hợp lệ (ví dụ ten@example.vn). / Not an e-mail address (e.g. name@example.vn).")
	}
	return nil
}

// ValidEmail reports whether s is a bare e-mail address (name@domain.tld,
// no display name), at most MaxContact characters.
func ValidEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && utf8.RuneCountInString(s) <= MaxContact &&
		strings.Contains(s[strings.LastIndexByte(s, '@'):], ".")
}

// NormalizeMobile reads a Vietnamese mobile number written with optional
// +84/84, spaces, dots and dashes, and returns it as 0 and nine digits.
func NormalizeMobile(s string) (string, bool) {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0, r == ' ', r == '.', r == '-':
		default:
			return "", false
		}
	}
	d := b.String()
	if strings.HasPrefix(d, "84") && len(d) == 11 {
		d = "0" + d[2:]
	}
	if len(d) != 10 || d[0] != '0' || !strings.ContainsRune("35789", rune(d[1])) {
		return "", false
	}
	return d, true
}

// Validate checks a case's own fields (not that its unit or assignee exist).
func (c *Case) Validate() error {
	if e := CheckID("unit", c.Unit); e != nil {
		return e
	}
	if c.Kind != CaseAskReply && c.Kind != CasePetition {
		return FieldError("kind", "Loại phản ánh không hợp lệ. / Invalid case kind.")
	}
	switch c.Source {
	case SourceResponse, SourceCall, SourceLetter, SourceInPerson:
	default:
		return FieldError("source", "Nguồn phản ánh không hợp lệ. / Invalid case source.")
	}
	if c.Source != SourceResponse && strings.TrimSpace(c.Summary) == "" {
		return FieldError("summary", "Ghi nội dung phản ánh. / Write what the citizen said.")
	}
	if utf8.RuneCountInString(c.Summary) > MaxCaseText {
		return FieldError("summary", "Nội dung quá dài (tối đa 4000 ký tự). / Too long (at most 4000 characters).")
	}
	return checkCode("dossier", c.Dossier)
}
