package bolt

import (
	"encoding/json"
	"fmt"
	"hailong/survey"
	"time"

	bbolt "go.etcd.io/bbolt"
)

// EscalateOverdue escalates every case overdue at now and not yet
// escalated to the parent of its unit (a top-level unit: to itself), with
// an audit entry and an event (alert) each, in one transaction; it returns
// how many.
func (db *DB) EscalateOverdue(now time.Time) (int, error) {
	n := 0
	err := db.update(func(tx *bbolt.Tx) error {
		n = 0
		due, err := casesWhere(tx, func(c *survey.Case) bool { return c.EscalatedTo == "" && c.Overdue(now) })
		if err != nil {
			return err
		}
		for _, c := range due {
			c.EscalatedTo, c.EscalatedAt = c.Unit, db.opts.Now().UTC()
			if u := db.Unit(c.Unit); u != nil && u.Parent != "" {
				c.EscalatedTo = u.Parent
			}
			c.Steps = append(c.Steps, survey.CaseStep{At: c.EscalatedAt, By: "system", Action: survey.StepEscalate, Detail: c.EscalatedTo})
			if err := db.putCase(tx, c, "case.escalate", "→ "+c.EscalatedTo, "system", true); err != nil {
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
	err := db.update(func(tx *bbolt.Tx) error {
		n = 0
		due, err := casesWhere(tx, func(c *survey.Case) bool {
			return c.Status == survey.CaseClosed && c.HasContact && c.ClosedAt.AddDate(0, 0, days).Before(now)
		})
		if err != nil {
			return err
		}
		at := db.opts.Now().UTC()
		for _, c := range due {
			if err := tx.Bucket(bContacts).Delete([]byte(c.ID)); err != nil {
				return err
			}
			c.HasContact, c.ContactPurged, c.UpdatedAt = false, at, at
			c.Steps = append(c.Steps, survey.CaseStep{At: at, By: "system", Action: survey.StepPurge})
			if err := putJSON(tx, bCases, c.ID, c); err != nil {
				return err
			}
			n++
		}
		if n == 0 {
			return nil
		}
		return putAudit(tx, at, survey.AuditEntry{Actor: "system", Action: "case.contacts.purge",
			Detail: fmt.Sprintf("%d liên hệ, đóng trước %d ngày / %d contacts, closed over %d days", n, days, n, days)})
	})
	return n, err
}

// casesWhere returns the stored cases keep selects, in id order.
func casesWhere(tx *bbolt.Tx, keep func(*survey.Case) bool) ([]*survey.Case, error) {
	var out []*survey.Case
	err := tx.Bucket(bCases).ForEach(func(_, v []byte) error {
		c := &survey.Case{}
		if err := json.Unmarshal(v, c); err != nil {
			return err
		}
		if keep(c) {
			out = append(out, c)
		}
		return nil
	})
	return out, err
}
