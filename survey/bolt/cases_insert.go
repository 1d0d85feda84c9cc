package bolt

import (
	"fmt"
	"hailong/survey"
	"regexp"
	"slices"
	"strconv"

	bbolt "go.etcd.io/bbolt"
)

var caseIDPattern = regexp.MustCompile(`^([0-9]{4})-([0-9]{4,6})$`)

// InsertCases stores complete cases as given (survey.CaseService).
func (db *DB) InsertCases(cs []survey.Case, contacts []*survey.Contact, actor string) error {
	for i := range cs {
		if err := db.checkInserted(&cs[i], contacts, i); err != nil {
			return err
		}
	}
	return db.update(func(tx *bbolt.Tx) error {
		for i := range cs {
			c := &cs[i]
			if tx.Bucket(bCases).Get([]byte(c.ID)) != nil {
				return &survey.Error{Code: survey.ECONFLICT, Field: fmt.Sprintf("cases[%d].id", i), Message: "Mã phản ánh đã có. / Case id taken."}
			}
			if err := bumpCaseSeq(tx, c.ID); err != nil {
				return err
			}
			if c.Response != "" {
				if tx.Bucket(bCaseResp).Get([]byte(c.Response)) != nil {
					return &survey.Error{Code: survey.ECONFLICT, Field: fmt.Sprintf("cases[%d].response", i), Message: "Phiếu này đã có phản ánh. / This response has a case already."}
				}
				if err := tx.Bucket(bCaseResp).Put([]byte(c.Response), []byte(c.ID)); err != nil {
					return err
				}
			}
			if i < len(contacts) && contacts[i] != nil {
				if err := putJSON(tx, bContacts, c.ID, contacts[i]); err != nil {
					return err
				}
			}
			c.RatingHash = nil // links are never brought over
			if err := putJSON(tx, bCases, c.ID, c); err != nil {
				return err
			}
		}
		return putAudit(tx, db.opts.Now(), survey.AuditEntry{Actor: actor, Action: "cases.insert", Detail: strconv.Itoa(len(cs))})
	})
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
func bumpCaseSeq(tx *bbolt.Tx, id string) error {
	m := caseIDPattern.FindStringSubmatch(id)
	key := "case_seq:" + m[1]
	n, _ := strconv.Atoi(m[2])
	cur, _ := strconv.Atoi(string(tx.Bucket(bMeta).Get([]byte("s:" + key))))
	if n <= cur {
		return nil
	}
	return putMeta(tx, key, strconv.Itoa(n))
}
