package bolt

import (
	"bytes"
	"fmt"
	"hailong/survey"
	"slices"
	"strings"
	"unicode/utf8"

	bbolt "go.etcd.io/bbolt"
)

var errCaseClosed = &survey.Error{Code: survey.ECONFLICT, Field: "status",
	Message: "Phản ánh đã đóng; không thể thay đổi. / The case is closed and cannot be changed."}

// UpdateCase applies u as actor and returns the case as stored
// (survey.CaseService).
func (db *DB) UpdateCase(id string, u survey.CaseUpdate, actor string) (survey.Case, error) {
	note := strings.TrimSpace(u.Note)
	if utf8.RuneCountInString(note) > survey.MaxCaseText {
		return survey.Case{}, survey.FieldError("note", "Ghi chú quá dài (tối đa 4000 ký tự). / The note is too long (at most 4000 characters).")
	}
	if u.Status != nil && !slices.Contains(survey.CaseStatuses, *u.Status) {
		return survey.Case{}, survey.FieldError("status", "Trạng thái không hợp lệ. / Invalid status.")
	}
	var out survey.Case
	err := db.update(func(tx *bbolt.Tx) error {
		c, err := getCase(tx, id)
		if err != nil {
			return err
		}
		if c.Status == survey.CaseClosed {
			return errCaseClosed
		}
		now := db.opts.Now().UTC()
		var done []string
		if u.Assignee != nil && *u.Assignee != c.Assignee {
			if err := db.checkAssignee(tx, c.Unit, *u.Assignee); err != nil {
				return err
			}
			c.Assignee = *u.Assignee
			c.Steps = append(c.Steps, survey.CaseStep{At: now, By: actor, Action: survey.StepAssign, Detail: c.Assignee})
			done = append(done, "assignee="+c.Assignee)
			if u.Status == nil && c.Status == survey.CaseNew && c.Assignee != "" {
				u.Status = &[]string{survey.CaseOpen}[0]
			}
		}
		if u.Status != nil && *u.Status != c.Status {
			if *u.Status == survey.CaseReplied && c.Reply == nil {
				return survey.FieldError("status", "Chưa có câu trả lời: hãy ghi câu trả lời trước. / There is no reply yet: record the reply first.")
			}
			c.Status = *u.Status
			if c.Status == survey.CaseClosed {
				c.ClosedAt = now
			}
			c.Steps = append(c.Steps, survey.CaseStep{At: now, By: actor, Action: survey.StepStatus, Detail: c.Status})
			done = append(done, "status="+c.Status)
		}
		if note != "" {
			c.Notes = append(c.Notes, survey.CaseNote{At: now, By: actor, Text: note})
			c.Steps = append(c.Steps, survey.CaseStep{At: now, By: actor, Action: survey.StepNote})
			done = append(done, "note")
		}
		if len(done) > 0 {
			if err := db.putCase(tx, c, "case.update", strings.Join(done, " "), actor, false); err != nil {
				return err
			}
		}
		out = *c
		return nil
	})
	if err != nil {
		return survey.Case{}, err
	}
	return out, nil
}

// checkAssignee checks that username ("" = nobody) may handle a case of
// unit: an enabled user, not a viewer, whose subtree covers it.
func (db *DB) checkAssignee(tx *bbolt.Tx, unit, username string) error {
	if username == "" {
		return nil
	}
	us := getUser(tx, username)
	if us == nil || us.Disabled || us.Role == survey.RoleViewer || !db.InSubtree(unit, us.Unit) {
		return survey.FieldError("assignee", "Người được giao phải là tài khoản đang hoạt động phụ trách đơn vị này. / The assignee must be an enabled account covering this unit.")
	}
	return nil
}

// ReplyCase records the office's reply (survey.CaseService).
func (db *DB) ReplyCase(id string, r survey.CaseReply, ratingToken string, mail *survey.Mail, actor string) (survey.Case, error) {
	r.Text = strings.TrimSpace(r.Text)
	switch {
	case r.Via != survey.ReplyByEmail && r.Via != survey.ReplyByPhone && r.Via != survey.ReplyByPost:
		return survey.Case{}, survey.FieldError("via", "Cách trả lời không hợp lệ. / Invalid way of replying.")
	case r.Via == survey.ReplyByEmail && mail == nil:
		return survey.Case{}, survey.FieldError("via", "Trả lời qua thư điện tử cần địa chỉ thư điện tử của người phản ánh. / A reply by e-mail needs the citizen's e-mail address.")
	case r.Text == "":
		return survey.Case{}, survey.FieldError("text", "Ghi nội dung trả lời. / Write the reply.")
	case utf8.RuneCountInString(r.Text) > survey.MaxCaseText:
		return survey.Case{}, survey.FieldError("text", "Nội dung quá dài (tối đa 4000 ký tự). / Too long (at most 4000 characters).")
	}
	var out survey.Case
	err := db.update(func(tx *bbolt.Tx) error {
		c, err := getCase(tx, id)
		if err != nil {
			return err
		}
		if c.Status == survey.CaseClosed {
			return errCaseClosed
		} else if c.Rating != "" {
			return &survey.Error{Code: survey.ECONFLICT, Field: "text", Message: "Người phản ánh đã đánh giá câu trả lời. / The citizen has rated the reply already."}
		}
		now := db.opts.Now().UTC()
		r.At, r.By = now, actor
		n := c.Replies() + 1
		if err := db.setRatingLink(tx, c, ratingToken); err != nil {
			return err
		}
		c.Reply, c.Status = &r, survey.CaseReplied
		c.Steps = append(c.Steps, survey.CaseStep{At: now, By: actor, Action: survey.StepReply, Detail: r.Via})
		if mail != nil {
			m := *mail
			d := &survey.Delivery{ID: fmt.Sprintf("case-%s-reply-%d", c.ID, n), Kind: survey.DeliverMail, Mail: &m, CreatedAt: now, NextAt: now}
			if err := enqueue(tx, d); err != nil {
				return err
			}
		}
		out = *c
		return db.putCase(tx, &out, "case.reply", r.Via, actor, false)
	})
	if err != nil {
		return survey.Case{}, err
	}
	return out, nil
}

// setRatingLink replaces the case's rating link by token ("" = none).
func (db *DB) setRatingLink(tx *bbolt.Tx, c *survey.Case, token string) error {
	sec := tx.Bucket(bSecrets)
	if c.RatingHash != nil {
		if err := sec.Delete(c.RatingHash); err != nil {
			return err
		}
		c.RatingHash = nil
	}
	if token == "" {
		return nil
	}
	c.RatingHash = survey.HashSecret(token)
	return sec.Put(c.RatingHash, []byte(secretRating+c.ID))
}

// CaseByRatingToken returns the case whose unused rating link is token.
// Errors: ENOTFOUND for anything else.
func (db *DB) CaseByRatingToken(token string) (*survey.Case, error) {
	var c *survey.Case
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		var err error
		c, err = caseByToken(tx, token)
		return err
	})
	return c, err
}

var errRatingLink = survey.Errorf(survey.ENOTFOUND, "Liên kết không tồn tại hoặc đã được dùng. / This link does not exist or was used already.")

func caseByToken(tx *bbolt.Tx, token string) (*survey.Case, error) {
	if token == "" || len(token) > 100 {
		return nil, errRatingLink
	}
	h := survey.HashSecret(token)
	v := tx.Bucket(bSecrets).Get(h)
	if !bytes.HasPrefix(v, []byte(secretRating)) {
		return nil, errRatingLink
	}
	c, err := getCase(tx, string(v[len(secretRating):]))
	if err != nil || !bytes.Equal(c.RatingHash, h) || c.Rating != "" {
		return nil, errRatingLink
	}
	return c, nil
}

// RateCase records the citizen's rating once and invalidates the link.
// Errors: ENOTFOUND as CaseByRatingToken, EINVALID (field "rating").
func (db *DB) RateCase(token, rating string) (survey.Case, error) {
	var out survey.Case
	err := db.update(func(tx *bbolt.Tx) error {
		c, err := caseByToken(tx, token)
		if err != nil {
			return err
		}
		if rating != survey.RatingGood && rating != survey.RatingBad {
			return survey.FieldError("rating", "Hãy chọn Hài lòng hoặc Không hài lòng. / Choose Satisfied or Dissatisfied.")
		}
		if err := db.setRatingLink(tx, c, ""); err != nil {
			return err
		}
		now := db.opts.Now().UTC()
		c.Rating, c.RatedAt = rating, now
		c.Steps = append(c.Steps, survey.CaseStep{At: now, By: survey.Citizen, Action: survey.StepRate, Detail: rating})
		out = *c
		return db.putCase(tx, &out, "case.rate", rating, survey.Citizen, false)
	})
	if err != nil {
		return survey.Case{}, err
	}
	return out, nil
}
