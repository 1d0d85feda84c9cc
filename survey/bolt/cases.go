package bolt

import (
	"encoding/json"
	"fmt"
	"hailong/survey"
	"sort"
	"strconv"
	"strings"
	"time"

	bbolt "go.etcd.io/bbolt"
)

// PAKN cases (survey/case.go): bucket "cases", case id → JSON Case;
// "caseresp", response UUID → case id (one case per response); "contacts",
// case id → JSON Contact, stored apart and purged after closing; the rating
// links in "secrets" (SHA-256 of the link's token → "cr:" + case id). Every
// step writes an audit entry and an event in its own transaction.

const secretRating = "cr:" // a case's one-time rating link

var errCaseNotFound = survey.Errorf(survey.ENOTFOUND, "Không tìm thấy phản ánh. / Case not found.")

// OpenCaseFromResponse opens a case for the stored response with UUID
// responseID (survey.CaseService).
func (db *DB) OpenCaseFromResponse(responseID, kind string, contact *survey.Contact) (survey.Case, error) {
	if kind != survey.CaseAskReply && kind != survey.CasePetition {
		return survey.Case{}, survey.FieldError("kind", "Loại phản ánh không hợp lệ. / Invalid case kind.")
	}
	r, err := db.ResponseByID(responseID)
	if survey.ErrorCode(err) == survey.EINVALID {
		return survey.Case{}, survey.Errorf(survey.ENOTFOUND, "Không tìm thấy phiếu. / Response not found.")
	} else if err != nil {
		return survey.Case{}, err
	}
	if kind == survey.CaseAskReply && contact == nil {
		return survey.Case{}, survey.FieldError("contact", "Nhập số điện thoại di động hoặc địa chỉ thư điện tử. / Enter a mobile number or an e-mail address.")
	}
	if err := checkContact(contact, db.opts.Now()); err != nil {
		return survey.Case{}, err
	}
	if kind != survey.CasePetition && !db.Survey(r.Survey, r.Version).AnyNegative(r) {
		return survey.Case{}, survey.FieldError("response", "Phiếu không có câu trả lời không hài lòng. / The response has no dissatisfied answer.")
	}
	c := survey.Case{Unit: r.Unit, Kind: kind, Source: survey.SourceResponse, Channel: r.Channel.String(),
		Response: r.ID, Dossier: r.Dossier, Summary: r.Comment, OpenedBy: survey.Citizen}
	err = db.update(func(tx *bbolt.Tx) error {
		if id := tx.Bucket(bCaseResp).Get([]byte(r.ID)); id != nil {
			return &survey.Error{Code: survey.ECONFLICT, Field: "response", Message: fmt.Sprintf(
				"Phiếu này đã có phản ánh %s. / This response has case %s already.", id, id)}
		}
		if err := db.openCase(tx, &c, contact); err != nil {
			return err
		}
		return tx.Bucket(bCaseResp).Put([]byte(r.ID), []byte(c.ID))
	})
	if err != nil {
		return survey.Case{}, err
	}
	return c, nil
}

// checkContact validates a contact (nil is none) and dates its consent.
func checkContact(c *survey.Contact, now time.Time) error {
	if c == nil {
		return nil
	}
	if err := survey.CheckContact(c); err != nil {
		return err
	}
	if c.ConsentAt.IsZero() {
		c.ConsentAt = now.UTC()
	}
	return nil
}

// OpenCase opens a case by hand (survey.CaseService).
func (db *DB) OpenCase(c survey.Case, contact *survey.Contact, actor string) (survey.Case, error) {
	c.Summary = strings.TrimSpace(c.Summary)
	if err := c.Validate(); err != nil {
		return survey.Case{}, err
	}
	if c.Source == survey.SourceResponse {
		return survey.Case{}, survey.FieldError("source", "Nguồn phản ánh không hợp lệ. / Invalid case source.")
	}
	if db.Unit(c.Unit) == nil {
		return survey.Case{}, survey.FieldError("unit", "Đơn vị %q không tồn tại. / Unknown unit %q.", c.Unit, c.Unit)
	}
	if err := checkContact(contact, db.opts.Now()); err != nil {
		return survey.Case{}, err
	}
	if c.Dossier != "" {
		if _, err := db.Dossier(c.Dossier); err != nil {
			return survey.Case{}, &survey.Error{Code: survey.ENOTFOUND, Field: "dossier", Message: "Không tìm thấy hồ sơ có mã này. / No dossier with this code."}
		}
	}
	c = survey.Case{Unit: c.Unit, Kind: c.Kind, Source: c.Source, Dossier: c.Dossier, Summary: c.Summary, OpenedBy: actor}
	if err := db.update(func(tx *bbolt.Tx) error { return db.openCase(tx, &c, contact) }); err != nil {
		return survey.Case{}, err
	}
	return c, nil
}

// openCase gives c its id, status, dates and deadline and stores it with
// its contact, audit entry and event.
func (db *DB) openCase(tx *bbolt.Tx, c *survey.Case, contact *survey.Contact) error {
	now := db.opts.Now().UTC()
	id, err := nextCaseID(tx, now.In(db.opts.Loc).Year())
	if err != nil {
		return err
	}
	c.ID, c.Status, c.OpenedAt, c.UpdatedAt = id, survey.CaseNew, now, now
	c.DueAt = db.calendar(tx).AddWorkdays(now, db.Settings().Cases.DeadlineDays).UTC()
	c.Steps = []survey.CaseStep{{At: now, By: c.OpenedBy, Action: survey.StepOpen, Detail: c.Source}}
	if contact != nil {
		c.HasContact = true
		if err := putJSON(tx, bContacts, c.ID, contact); err != nil {
			return err
		}
	}
	if err := putJSON(tx, bCases, c.ID, c); err != nil {
		return err
	}
	if err := putAudit(tx, db.opts.Now(), survey.AuditEntry{Actor: c.OpenedBy, Action: "case.open", Target: c.ID,
		Detail: fmt.Sprintf("%s: %s/%s, hạn %s", c.Unit, c.Kind, c.Source, c.DueAt.In(db.opts.Loc).Format(time.DateOnly))}); err != nil {
		return err
	}
	return db.emit(tx, survey.EventCaseOpened, survey.CaseEvent(c), true)
}

// nextCaseID allocates "YYYY-NNNN", the next number of year (a sequence
// kept in meta per year).
func nextCaseID(tx *bbolt.Tx, year int) (string, error) {
	key := "case_seq:" + strconv.Itoa(year)
	n, _ := strconv.Atoi(string(tx.Bucket(bMeta).Get([]byte("s:" + key))))
	n++
	if err := putMeta(tx, key, strconv.Itoa(n)); err != nil {
		return "", err
	}
	return fmt.Sprintf("%d-%04d", year, n), nil
}

// Case returns one case. Errors: ENOTFOUND.
func (db *DB) Case(id string) (*survey.Case, error) {
	var c *survey.Case
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		var err error
		c, err = getCase(tx, id)
		return err
	})
	return c, err
}

func getCase(tx *bbolt.Tx, id string) (*survey.Case, error) {
	v := tx.Bucket(bCases).Get([]byte(id))
	if v == nil {
		return nil, errCaseNotFound
	}
	c := &survey.Case{}
	return c, json.Unmarshal(v, c)
}

// Cases returns the cases q selects: overdue first (oldest deadline
// first), then the others newest first.
func (db *DB) Cases(q survey.CaseQuery) ([]survey.Case, error) {
	now := db.opts.Now()
	var units map[string]bool
	if q.Units != nil {
		units = make(map[string]bool, len(q.Units))
		for _, u := range q.Units {
			units[u] = true
		}
	}
	text := strings.ToLower(strings.TrimSpace(q.Text))
	var found []*survey.Case
	err := db.bolt.View(func(tx *bbolt.Tx) (err error) {
		found, err = casesWhere(tx, func(c *survey.Case) bool {
			return (units == nil || units[c.Unit]) && caseMatches(c, q, text, now)
		})
		return err
	})
	out := make([]survey.Case, len(found))
	for i, c := range found {
		out[i] = *c
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := &out[i], &out[j]
		if oa, ob := a.Overdue(now), b.Overdue(now); oa != ob {
			return oa
		} else if oa && !a.DueAt.Equal(b.DueAt) {
			return a.DueAt.Before(b.DueAt)
		}
		return a.OpenedAt.After(b.OpenedAt) || a.OpenedAt.Equal(b.OpenedAt) && a.ID > b.ID
	})
	if q.Limit > 0 && len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out, err
}

// caseMatches applies q's filters but the units; text is lower case.
func caseMatches(c *survey.Case, q survey.CaseQuery, text string, now time.Time) bool {
	switch {
	case q.Status == "open" && c.Status == survey.CaseClosed,
		q.Status != "" && q.Status != "open" && c.Status != q.Status,
		q.Assignee == "-" && c.Assignee != "",
		q.Assignee != "" && q.Assignee != "-" && c.Assignee != q.Assignee,
		q.Overdue && !c.Overdue(now),
		!q.From.IsZero() && c.OpenedAt.Before(q.From),
		!q.To.IsZero() && !c.OpenedAt.Before(q.To):
		return false
	}
	if text == "" {
		return true
	}
	hay := []string{c.ID, c.Summary, c.Dossier}
	for _, n := range c.Notes {
		hay = append(hay, n.Text)
	}
	if c.Reply != nil {
		hay = append(hay, c.Reply.Text)
	}
	for _, h := range hay {
		if strings.Contains(strings.ToLower(h), text) {
			return true
		}
	}
	return false
}

// CaseContact returns the contact of a case, nil when it has none or it was
// purged; a read is audited (actor). Errors: ENOTFOUND.
func (db *DB) CaseContact(id, actor string) (*survey.Contact, error) {
	var ct *survey.Contact
	err := db.update(func(tx *bbolt.Tx) error {
		if _, err := getCase(tx, id); err != nil {
			return err
		}
		v := tx.Bucket(bContacts).Get([]byte(id))
		if v == nil {
			return nil
		}
		ct = &survey.Contact{}
		if err := json.Unmarshal(v, ct); err != nil {
			return err
		}
		return putAudit(tx, db.opts.Now(), survey.AuditEntry{Actor: actor, Action: "case.contact.read", Target: id})
	})
	return ct, err
}

// putCase stores c as changed by actor now: its audit entry and event
// (alert for escalations).
func (db *DB) putCase(tx *bbolt.Tx, c *survey.Case, action, detail, actor string, alert bool) error {
	c.UpdatedAt = db.opts.Now().UTC()
	if err := putJSON(tx, bCases, c.ID, c); err != nil {
		return err
	}
	if err := putAudit(tx, db.opts.Now(), survey.AuditEntry{Actor: actor, Action: action, Target: c.ID, Detail: detail}); err != nil {
		return err
	}
	return db.emit(tx, survey.EventCaseUpdated, survey.CaseEvent(c), alert)
}
