package bolt

import (
	"encoding/json"
	"fmt"
	"hailong/survey"
	"sort"
	"strconv"
	"strings"

	bbolt "go.etcd.io/bbolt"
)

// Improvement actions: bucket "actions", action id → JSON Action. Every
// change writes its audit entry in the same transaction.

// CreateAction stores a new action and returns it as stored. An empty ID
// gets the bucket's next sequence number ("1", "2" …); a zero CreatedAt is
// now (the demo backdates its story). Errors: EINVALID (a field, an unknown
// unit or criterion, a done date in the future), ECONFLICT (id taken).
func (db *DB) CreateAction(a survey.Action, actor string) (survey.Action, error) {
	now := db.opts.Now().UTC()
	if a.CreatedAt.IsZero() {
		a.CreatedAt = now
	}
	a.CreatedAt = a.CreatedAt.UTC()
	a.CreatedBy, a.UpdatedBy, a.UpdatedAt = actor, actor, now
	a.Normalise()
	if err := db.CheckAction(&a); err != nil {
		return survey.Action{}, err
	}
	err := db.update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bActions)
		if a.ID == "" {
			for a.ID == "" || b.Get([]byte(a.ID)) != nil {
				seq, err := b.NextSequence()
				if err != nil {
					return err
				}
				a.ID = strconv.FormatUint(seq, 10)
			}
		} else if b.Get([]byte(a.ID)) != nil {
			return &survey.Error{Code: survey.ECONFLICT, Field: "id", Message: fmt.Sprintf("Mã hành động %q đã được dùng. / Action id %q is taken.", a.ID, a.ID)}
		}
		if err := putJSON(tx, bActions, a.ID, a); err != nil {
			return err
		}
		return putAudit(tx, db.opts.Now(), survey.AuditEntry{Actor: actor, Action: "action.create", Target: a.ID,
			Detail: fmt.Sprintf("%s: %s (%s)", a.Unit, a.Title, a.Status)})
	})
	if err != nil {
		return survey.Action{}, err
	}
	return a, nil
}

// UpdateAction replaces an action's fields (not its id or creation) and
// returns it as stored; the audit entry names what changed. Errors:
// ENOTFOUND, EINVALID as CreateAction.
func (db *DB) UpdateAction(a survey.Action, actor string) (survey.Action, error) {
	a.Normalise()
	var out survey.Action
	err := db.update(func(tx *bbolt.Tx) error {
		old, err := getAction(tx, a.ID)
		if err != nil {
			return err
		}
		a.CreatedBy, a.CreatedAt = old.CreatedBy, old.CreatedAt
		a.UpdatedBy, a.UpdatedAt = actor, db.opts.Now().UTC()
		if err := db.CheckAction(&a); err != nil {
			return err
		}
		if err := putJSON(tx, bActions, a.ID, a); err != nil {
			return err
		}
		out = a
		name := "action.update"
		if old.Open() && !a.Open() {
			name = "action.close"
		}
		return putAudit(tx, db.opts.Now(), survey.AuditEntry{Actor: actor, Action: name, Target: a.ID, Detail: actionDiff(old, &a)})
	})
	return out, err
}

// CloseAction marks an action done on day done (YYYY-MM-DD), appending note
// (if any) to its notes. Errors: ENOTFOUND; EINVALID (done_date missing,
// malformed or in the future; notes too long); ECONFLICT when it is done
// already.
func (db *DB) CloseAction(id, done, note, actor string) (survey.Action, error) {
	var out survey.Action
	err := db.update(func(tx *bbolt.Tx) error {
		old, err := getAction(tx, id)
		if err != nil {
			return err
		}
		if !old.Open() {
			return &survey.Error{Code: survey.ECONFLICT, Field: "status", Message: "Hành động đã hoàn thành. / The action is done already."}
		}
		a := *old
		a.Status, a.Done = survey.ActionDone, strings.TrimSpace(done)
		if note = strings.TrimSpace(note); note != "" {
			a.Notes = strings.TrimSpace(a.Notes + "\n" + note)
		}
		a.UpdatedBy, a.UpdatedAt = actor, db.opts.Now().UTC()
		if err := db.CheckAction(&a); err != nil {
			return err
		}
		if err := putJSON(tx, bActions, a.ID, a); err != nil {
			return err
		}
		out = a
		return putAudit(tx, db.opts.Now(), survey.AuditEntry{Actor: actor, Action: "action.close", Target: a.ID, Detail: actionDiff(old, &a)})
	})
	return out, err
}

// CheckAction validates an action against the organisation and the
// surveys: its fields (Action.Validate), an existing unit, criteria that
// some survey asks, a done date not after today. Errors: EINVALID.
func (db *DB) CheckAction(a *survey.Action) error {
	if err := a.Validate(); err != nil {
		return err
	}
	if db.Unit(a.Unit) == nil {
		return survey.FieldError("unit", "Đơn vị %q không tồn tại. / Unknown unit %q.", a.Unit, a.Unit)
	}
	for _, k := range a.Criteria {
		if !db.KnownCriterion(k) {
			return survey.FieldError("criteria", "Tiêu chí %q không có trong phiếu khảo sát nào. / No survey asks criterion %q.", k, k)
		}
	}
	if a.Status == survey.ActionDone && a.Done > survey.DayString(survey.DayOf(db.opts.Now(), db.opts.Loc)) {
		return survey.FieldError("done_date", "Ngày hoàn thành không thể sau hôm nay. / The done date cannot be after today.")
	}
	return nil
}

// Action returns one action. Errors: ENOTFOUND.
func (db *DB) Action(id string) (*survey.Action, error) {
	var a *survey.Action
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		var err error
		a, err = getAction(tx, id)
		return err
	})
	return a, err
}

// Actions lists the actions q selects, by id (numbers in numeric order).
func (db *DB) Actions(q survey.ActionQuery) ([]survey.Action, error) {
	var out []survey.Action
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bActions).ForEach(func(k, v []byte) error {
			var a survey.Action
			if err := json.Unmarshal(v, &a); err != nil {
				return fmt.Errorf("action %q: %w", k, err)
			}
			if q.Status != "" && a.Status != q.Status {
				return nil
			}
			out = append(out, a)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	if q.Unit != "" { // after the read transaction: InSubtree takes the cache lock
		kept := out[:0]
		for _, a := range out {
			if db.InSubtree(a.Unit, q.Unit) {
				kept = append(kept, a)
			}
		}
		out = kept
	}
	sort.SliceStable(out, func(i, j int) bool { return idLess(out[i].ID, out[j].ID) })
	return out, nil
}

// idLess orders ids as numbers when both are numbers, else as text, numbers first.
func idLess(a, b string) bool {
	x, errA := strconv.ParseUint(a, 10, 64)
	y, errB := strconv.ParseUint(b, 10, 64)
	switch {
	case errA == nil && errB == nil:
		return x < y
	case errA == nil || errB == nil:
		return errA == nil
	}
	return a < b
}

func getAction(tx *bbolt.Tx, id string) (*survey.Action, error) {
	v := tx.Bucket(bActions).Get([]byte(id))
	if id == "" || v == nil {
		return nil, survey.Errorf(survey.ENOTFOUND, "Không tìm thấy hành động cải tiến %q. / No improvement action %q.", id, id)
	}
	a := &survey.Action{}
	if err := json.Unmarshal(v, a); err != nil {
		return nil, fmt.Errorf("action %q: %w", id, err)
	}
	return a, nil
}

// actionDiff names the fields that changed: "status planned → done; done_date → 2026-03-02".
func actionDiff(old, cur *survey.Action) string {
	var parts []string
	diff := func(name, a, b string) {
		if a != b {
			parts = append(parts, name+" "+orDash(a)+" → "+orDash(b))
		}
	}
	diff("unit", old.Unit, cur.Unit)
	diff("status", string(old.Status), string(cur.Status))
	diff("due_date", old.Due, cur.Due)
	diff("done_date", old.Done, cur.Done)
	diff("criteria", strings.Join(old.Criteria, ","), strings.Join(cur.Criteria, ","))
	diff("office", old.Office, cur.Office)
	if old.Title != cur.Title {
		parts = append(parts, "title")
	}
	if old.Description != cur.Description {
		parts = append(parts, "description")
	}
	if old.Notes != cur.Notes {
		parts = append(parts, "notes")
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, "; ")
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
