package pg

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"hailong/survey"
)

var caseIDPattern = regexp.MustCompile(`^([0-9]{4})-([0-9]{4,6})$`)

// InsertCases stores complete cases as given (survey.CaseService).
func (db *DB) InsertCases(cs []survey.Case, contacts []*survey.Contact, actor string) error {
	for i := range cs {
		if err := db.checkInserted(&cs[i], contacts, i); err != nil {
			return err
		}
	}
	return db.update(func(tx *wtx) error {
		for i := range cs {
			if err := tx.insertCase(&cs[i], contacts, i); err != nil {
				return err
			}
		}
		return tx.audit(survey.AuditEntry{Actor: actor, Action: "cases.insert", Detail: strconv.Itoa(len(cs))})
	})
}

// insertCase stores case i of an InsertCases call, checked.
func (tx *wtx) insertCase(c *survey.Case, contacts []*survey.Contact, i int) error {
	var taken bool
	if err := tx.queryRow("SELECT EXISTS (SELECT 1 FROM cases WHERE id = $1)", c.ID).Scan(&taken); err != nil {
		return err
	} else if taken {
		return &survey.Error{Code: survey.ECONFLICT, Field: fmt.Sprintf("cases[%d].id", i), Message: "Mã phản ánh đã có. / Case id taken."}
	}
	if err := tx.bumpCaseSeq(c.ID); err != nil {
		return err
	}
	if c.Response != "" {
		if err := tx.queryRow("SELECT EXISTS (SELECT 1 FROM cases WHERE response = $1)", c.Response).Scan(&taken); err != nil {
			return err
		} else if taken {
			return &survey.Error{Code: survey.ECONFLICT, Field: fmt.Sprintf("cases[%d].response", i), Message: "Phiếu này đã có phản ánh. / This response has a case already."}
		}
	}
	if i < len(contacts) && contacts[i] != nil {
		if err := tx.putContact(c.ID, contacts[i]); err != nil {
			return err
		}
	}
	c.RatingHash = nil // links are never brought over
	return tx.putCaseDoc(c)
}

// checkInserted validates case i of an InsertCases call.
func (db *DB) checkInserted(c *survey.Case, contacts []*survey.Contact, i int) error {
	at := func(err error) error {
		if e, ok := err.(*survey.Error); ok {
			return &survey.Error{Code: e.Code, Field: fmt.Sprintf("cases[%d].%s", i, e.Field), Message: e.Message}
		}
		return err
	}
	if !caseIDPattern.MatchString(c.ID) {
		return at(survey.FieldError("id", "Mã phản ánh phải có dạng YYYY-NNNN. / A case id is YYYY-NNNN."))
	}
	if err := c.Validate(); err != nil {
		return at(err)
	}
	if db.Unit(c.Unit) == nil {
		return at(survey.FieldError("unit", "Đơn vị %q không tồn tại. / Unknown unit %q.", c.Unit, c.Unit))
	}
	if !slices.Contains(survey.CaseStatuses, c.Status) || c.OpenedAt.IsZero() || c.DueAt.IsZero() {
		return at(survey.FieldError("status", "Trạng thái hoặc ngày không hợp lệ. / Invalid status or dates."))
	}
	c.HasContact = i < len(contacts) && contacts[i] != nil
	if c.HasContact {
		if err := checkContact(contacts[i], c.OpenedAt); err != nil {
			return at(err)
		}
	}
	return nil
}

// bumpCaseSeq moves the sequence of id's year past id's number.
func (tx *wtx) bumpCaseSeq(id string) error {
	m := caseIDPattern.FindStringSubmatch(id)
	key := "case_seq:" + m[1]
	n, _ := strconv.Atoi(m[2])
	v, err := metaIn(tx, key)
	if err != nil {
		return err
	}
	if cur, _ := strconv.Atoi(v); n <= cur {
		return nil
	}
	return putMeta(tx, key, strconv.Itoa(n))
}

// EscalateOverdue escalates every case overdue at now and not yet
// escalated to the parent of its unit (a top-level unit: to itself), with
// an audit entry and an event (alert) each, in one transaction; it returns
// how many.
func (db *DB) EscalateOverdue(now time.Time) (int, error) {
	n := 0
	err := db.update(func(tx *wtx) error {
		n = 0
		due, err := tx.casesWhere(func(c *survey.Case) bool { return c.EscalatedTo == "" && c.Overdue(now) })
		if err != nil {
			return err
		}
		for _, c := range due {
			c.EscalatedTo, c.EscalatedAt = c.Unit, db.opts.Now().UTC()
			if u := db.Unit(c.Unit); u != nil && u.Parent != "" { // the tree: from the cache
				c.EscalatedTo = u.Parent
			}
			c.Steps = append(c.Steps, survey.CaseStep{At: c.EscalatedAt, By: "system", Action: survey.StepEscalate, Detail: c.EscalatedTo})
			if err := tx.putCase(c, "case.escalate", "→ "+c.EscalatedTo, "system", true); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// PurgeContacts deletes the contacts of cases closed more than
// Settings().Retention.ContactDays days before now, marks the cases
// ContactPurged and writes one audit entry when any were; it returns how
// many.
func (db *DB) PurgeContacts(now time.Time) (int, error) {
	days := db.Settings().Retention.ContactDays
	n := 0
	err := db.update(func(tx *wtx) error {
		n = 0
		due, err := tx.casesWhere(func(c *survey.Case) bool {
			return c.Status == survey.CaseClosed && c.HasContact && c.ClosedAt.AddDate(0, 0, days).Before(now)
		})
		if err != nil {
			return err
		}
		at := db.opts.Now().UTC()
		for _, c := range due {
			if _, err := tx.exec("DELETE FROM contacts WHERE id = $1", c.ID); err != nil {
				return err
			}
			c.HasContact, c.ContactPurged, c.UpdatedAt = false, at, at
			c.Steps = append(c.Steps, survey.CaseStep{At: at, By: "system", Action: survey.StepPurge})
			if err := tx.putCaseDoc(c); err != nil {
				return err
			}
			n++
		}
		if n == 0 {
			return nil
		}
		return tx.audit(survey.AuditEntry{Actor: "system", Action: "case.contacts.purge",
			Detail: fmt.Sprintf("%d liên hệ, đóng trước %d ngày / %d contacts, closed over %d days", n, days, n, days)})
	})
	return n, err
}

// casesWhere returns the cases keep accepts, as tx sees them.
func (tx *wtx) casesWhere(keep func(*survey.Case) bool) ([]*survey.Case, error) {
	rows, err := tx.Query(tx.c, "SELECT doc FROM cases ORDER BY id")
	if err != nil {
		return nil, err
	}
	var out []*survey.Case
	var b []byte
	_, err = pgx.ForEachRow(rows, []any{&b}, func() error {
		c := &survey.Case{}
		if err := json.Unmarshal(b, c); err != nil {
			return err
		}
		if keep(c) {
			out = append(out, c)
		}
		return nil
	})
	return out, err
}
