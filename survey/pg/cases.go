package pg

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"hailong/survey"
)

// PAKN cases (survey/case.go), as survey/bolt/cases.go: the cases table
// (id → JSON Case, with the response UUID unique: one case per response),
// contacts apart (purged after closing), rating links in secrets (kind
// 'r'). Every step writes an audit entry and an event in its transaction.

const secretRating = "r" // a case's one-time rating link

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
	err = db.update(func(tx *wtx) error {
		var id string
		if err := tx.queryRow("SELECT id FROM cases WHERE response = $1", r.ID).Scan(&id); err == nil {
			return &survey.Error{Code: survey.ECONFLICT, Field: "response", Message: fmt.Sprintf(
				"Phiếu này đã có phản ánh %s. / This response has case %s already.", id, id)}
		} else if !isNoRows(err) {
			return err
		}
		return tx.openCase(&c, contact)
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
	if err := db.update(func(tx *wtx) error { return tx.openCase(&c, contact) }); err != nil {
		return survey.Case{}, err
	}
	return c, nil
}

// openCase gives c its id, status, dates and deadline and stores it with
// its contact, audit entry and event.
func (tx *wtx) openCase(c *survey.Case, contact *survey.Contact) error {
	db := tx.db
	now := db.opts.Now().UTC()
	id, err := tx.nextCaseID(now.In(db.opts.Loc).Year())
	if err != nil {
		return err
	}
	cal, err := tx.calendar()
	if err != nil {
		return err
	}
	c.ID, c.Status, c.OpenedAt, c.UpdatedAt = id, survey.CaseNew, now, now
	c.DueAt = cal.AddWorkdays(now, db.Settings().Cases.DeadlineDays).UTC()
	c.Steps = []survey.CaseStep{{At: now, By: c.OpenedBy, Action: survey.StepOpen, Detail: c.Source}}
	if contact != nil {
		c.HasContact = true
		if err := tx.putContact(c.ID, contact); err != nil {
			return err
		}
	}
	if err := tx.putCaseDoc(c); err != nil {
		return err
	}
	if err := tx.audit(survey.AuditEntry{Actor: c.OpenedBy, Action: "case.open", Target: c.ID,
		Detail: fmt.Sprintf("%s: %s/%s, hạn %s", c.Unit, c.Kind, c.Source, c.DueAt.In(db.opts.Loc).Format(time.DateOnly))}); err != nil {
		return err
	}
	return tx.emit(survey.EventCaseOpened, survey.CaseEvent(c), true)
}

// nextCaseID allocates "YYYY-NNNN", the next number of year (a sequence
// kept in meta per year, as in bbolt).
func (tx *wtx) nextCaseID(year int) (string, error) {
	key := "case_seq:" + strconv.Itoa(year)
	v, err := metaIn(tx, key)
	if err != nil {
		return "", err
	}
	n, _ := strconv.Atoi(v)
	n++
	if err := putMeta(tx, key, strconv.Itoa(n)); err != nil {
		return "", err
	}
	return fmt.Sprintf("%d-%04d", year, n), nil
}

func (tx *wtx) putCaseDoc(c *survey.Case) error {
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	var resp *string
	if c.Response != "" {
		resp = &c.Response
	}
	_, err = tx.exec(`INSERT INTO cases (id, response, doc) VALUES ($1, $2, $3)
		ON CONFLICT (id) DO UPDATE SET response = excluded.response, doc = excluded.doc`, c.ID, resp, b)
	return err
}

func (tx *wtx) putContact(id string, ct *survey.Contact) error {
	b, err := json.Marshal(ct)
	if err != nil {
		return err
	}
	_, err = tx.exec("INSERT INTO contacts (id, doc) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc", id, b)
	return err
}

// Case returns one case. Errors: ENOTFOUND.
func (db *DB) Case(id string) (*survey.Case, error) { return getCase(db.pool, id) }

func getCase(q querier, id string) (*survey.Case, error) {
	var b []byte
	err := q.QueryRow(ctx(), "SELECT doc FROM cases WHERE id = $1", id).Scan(&b)
	if isNoRows(err) {
		return nil, errCaseNotFound
	} else if err != nil {
		return nil, err
	}
	c := &survey.Case{}
	return c, json.Unmarshal(b, c)
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
	var out []survey.Case
	for _, c := range docs[survey.Case](db, "SELECT doc FROM cases") {
		if (units == nil || units[c.Unit]) && caseMatches(&c, q, text, now) {
			out = append(out, c)
		}
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
	return out, nil
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

// CaseContact returns the contact of a case, nil when it has none or it
// was purged; a read is audited (actor). Errors: ENOTFOUND.
func (db *DB) CaseContact(id, actor string) (*survey.Contact, error) {
	var ct *survey.Contact
	err := db.update(func(tx *wtx) error {
		if _, err := getCase(tx, id); err != nil {
			return err
		}
		var b []byte
		err := tx.queryRow("SELECT doc FROM contacts WHERE id = $1", id).Scan(&b)
		if isNoRows(err) {
			return nil
		} else if err != nil {
			return err
		}
		ct = &survey.Contact{}
		if err := json.Unmarshal(b, ct); err != nil {
			return err
		}
		return tx.audit(survey.AuditEntry{Actor: actor, Action: "case.contact.read", Target: id})
	})
	return ct, err
}

// putCase stores c as changed by actor now: its audit entry and event
// (alert for escalations).
func (tx *wtx) putCase(c *survey.Case, action, detail, actor string, alert bool) error {
	c.UpdatedAt = tx.db.opts.Now().UTC()
	if err := tx.putCaseDoc(c); err != nil {
		return err
	}
	if err := tx.audit(survey.AuditEntry{Actor: actor, Action: action, Target: c.ID, Detail: detail}); err != nil {
		return err
	}
	return tx.emit(survey.EventCaseUpdated, survey.CaseEvent(c), alert)
}
