package notify

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"hailong/survey"
)

// caseEvent is what an alert reads of a case event's data.
type caseEvent struct {
	ID          string    `json:"id"`
	Unit        string    `json:"unit"`
	Kind        string    `json:"kind"`
	Status      string    `json:"status"`
	DueAt       time.Time `json:"due_at"`
	EscalatedTo string    `json:"escalated_to"`
}

// alert turns an alert delivery (a case opened, or escalated) into one
// mail per manager or administrator with an e-mail, alerts on, whose
// subtree covers the case's unit (for an escalation: the unit it was
// escalated to). The mails' ids are the alert's id and the username, so
// that an alert attempted again queues nothing twice.
func (s *Sender) alert(d *survey.Delivery) error {
	if d.Event == nil {
		return errors.New("alert without event")
	}
	var c caseEvent
	if err := json.Unmarshal(d.Event.Data, &c); err != nil || c.ID == "" || c.Unit == "" {
		return fmt.Errorf("alert %s: case data unreadable", d.ID)
	}
	unit, escalated := c.Unit, d.Event.Type == survey.EventCaseUpdated && c.EscalatedTo != ""
	if escalated {
		unit = c.EscalatedTo
	}
	var mails []survey.Delivery
	for _, u := range s.Users.Users() {
		if u.Disabled || u.Email == "" || u.NoAlerts || (u.Role != survey.RoleManager && u.Role != survey.RoleAdmin) ||
			!s.Org.InSubtree(unit, u.Unit) {
			continue
		}
		m, err := s.alertMail(&u, &c, escalated)
		if err != nil {
			return err
		}
		mails = append(mails, survey.Delivery{ID: d.ID + "." + u.Username, Kind: survey.DeliverMail, Mail: m})
	}
	if len(mails) == 0 {
		return nil
	}
	return s.Outbox.Enqueue(mails...)
}

// alertMail writes the alert to one manager: the case's id, unit, kind and
// deadline and a link to its page — never the citizen's contact or words.
func (s *Sender) alertMail(u *survey.User, c *caseEvent, escalated bool) (*survey.Mail, error) {
	unsub, err := s.unsubscribeURL(u.Username, survey.UnsubAlerts)
	if err != nil {
		return nil, err
	}
	name := c.Unit
	if x := s.Org.Unit(c.Unit); x != nil {
		name = x.Name
	}
	what, whatEn := "Phản ánh, kiến nghị mới", "New feedback case"
	if escalated {
		what, whatEn = "Phản ánh, kiến nghị quá hạn được chuyển lên", "Overdue case escalated"
	}
	kind, kindEn := "Muốn được trả lời", "Asks for a reply"
	if c.Kind == survey.CasePetition {
		kind, kindEn = "Kiến nghị chính thức", "Formal petition"
	}
	due := c.DueAt.In(s.Clock.Loc()).Format("15:04 02/01/2006")
	link := s.PublicURL + "/phan-anh/" + c.ID
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s — %s\n\n", what, c.ID, name)
	fmt.Fprintf(&b, "Mã: %s\nĐơn vị: %s\nLoại: %s\nHạn xử lý: %s\nXem và xử lý: %s\n\n", c.ID, name, kind, due, link)
	fmt.Fprintf(&b, "%s %s — %s\n\nCase: %s\nUnit: %s\nKind: %s\nDeadline: %s\nOpen: %s\n\n", whatEn, c.ID, name, c.ID, name, kindEn, due, link)
	fmt.Fprintf(&b, "-- \nKhông muốn nhận thông báo này? / Stop these alerts: %s\n", unsub)
	return &survey.Mail{To: u.Email, Subject: fmt.Sprintf("[Hài Lòng] %s %s — %s / %s", what, c.ID, name, whatEn),
		Text: b.String(), Unsubscribe: unsub}, nil
}

// unsubscribeURL is the one-click link that stops kind for username.
func (s *Sender) unsubscribeURL(username, kind string) (string, error) {
	key, err := s.Settings.ClientKey()
	if err != nil {
		return "", err
	}
	return s.PublicURL + "/huy-dang-ky/" + survey.UnsubscribeToken(key, username, kind), nil
}
