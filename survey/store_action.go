package survey

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// Improvement actions: bucket "actions", action id → JSON Action. Every
// change writes its audit entry in the same transaction.

// CreateAction stores a new action and returns it as stored. An empty ID
// gets the bucket's next sequence number ("1", "2" …); a zero CreatedAt is
// now (the demo backdates its story). Errors: EINVALID (a field, an unknown
// unit or criterion, a done date in the future), ECONFLICT (id taken).
func (db *DB) CreateAction(a Action, actor string) (Action, error) {
	now := db.opts.Now().UTC()
	if a.CreatedAt.IsZero() {
		a.CreatedAt = now
	}
	a.CreatedAt = a.CreatedAt.UTC()
	a.CreatedBy, a.UpdatedBy, a.UpdatedAt = actor, actor, now
	a.normalise()
	if err := db.CheckAction(&a); err != nil {
		return Action{}, err
	}
	err := db.update(func(tx *bolt.Tx) error {
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
			return &Error{Code: ECONFLICT, Field: "id", Message: fmt.Sprintf("Mã hành động %q đã được dùng. / Action id %q is taken.", a.ID, a.ID)}
		}
		if err := putJSON(tx, bActions, a.ID, a); err != nil {
			return err
		}
		return putAudit(tx, db.opts.Now(), AuditEntry{Actor: actor, Action: "action.create", Target: a.ID,
			Detail: fmt.Sprintf("%s: %s (%s)", a.Unit, a.Title, a.Status)})
	})
	if err != nil {
		return Action{}, err
	}
	return a, nil
}

// UpdateAction replaces an action's fields (not its id or creation) and
// returns it as stored; the audit entry names what changed. Errors:
// ENOTFOUND, EINVALID as CreateAction.
func (db *DB) UpdateAction(a Action, actor string) (Action, error) {
	a.normalise()
	var out Action
	err := db.update(func(tx *bolt.Tx) error {
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
		return putAudit(tx, db.opts.Now(), AuditEntry{Actor: actor, Action: name, Target: a.ID, Detail: actionDiff(old, &a)})
	})
	return out, err
}

// CloseAction marks an action done on day done (YYYY-MM-DD), appending note
// (if any) to its notes. Errors: ENOTFOUND; EINVALID (done_date missing,
// malformed or in the future; notes too long); ECONFLICT when it is done
// already.
func (db *DB) CloseAction(id, done, note, actor string) (Action, error) {
	var out Action
	err := db.update(func(tx *bolt.Tx) error {
		old, err := getAction(tx, id)
		if err != nil {
			return err
		}
		if !old.Open() {
			return &Error{Code: ECONFLICT, Field: "status", Message: "Hành động đã hoàn thành. / The action is done already."}
		}
		a := *old
		a.Status, a.Done = ActionDone, strings.TrimSpace(done)
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
		return putAudit(tx, db.opts.Now(), AuditEntry{Actor: actor, Action: "action.close", Target: a.ID, Detail: actionDiff(old, &a)})
	})
	return out, err
}

// CheckAction validates an action against the organisation and the
// surveys: its fields (Action.Validate), an existing unit, criteria that
// some survey asks, a done date not after today. Errors: EINVALID.
func (db *DB) CheckAction(a *Action) error {
	if err := a.Validate(); err != nil {
		return err
	}
	if db.Unit(a.Unit) == nil {
		return FieldError("unit", "Đơn vị %q không tồn tại. / Unknown unit %q.", a.Unit, a.Unit)
	}
	for _, k := range a.Criteria {
		if !db.KnownCriterion(k) {
			return FieldError("criteria", "Tiêu chí %q không có trong phiếu khảo sát nào. / No survey asks criterion %q.", k, k)
		}
	}
	if a.Status == ActionDone && a.Done > DayString(DayOf(db.opts.Now(), db.opts.Loc)) {
		return FieldError("done_date", "Ngày hoàn thành không thể sau hôm nay. / The done date cannot be after today.")
	}
	return nil
}

// KnownCriterion reports whether any version of any survey asks key.
func (db *DB) KnownCriterion(key string) bool {
	db.mu.RLock()
	defer db.mu.RUnlock()
	for _, versions := range db.surveys {
		for _, s := range versions {
			if c, _ := s.Criterion(key); c != nil {
				return true
			}
		}
	}
	return false
}

// Action returns one action. Errors: ENOTFOUND.
func (db *DB) Action(id string) (*Action, error) {
	var a *Action
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		a, err = getAction(tx, id)
		return err
	})
	return a, err
}

// ActionQuery selects actions: those of Unit's subtree ("" = every unit)
// and, when set, of one status.
type ActionQuery struct {
	Unit   string
	Status ActionStatus
}

// Actions lists the actions q selects, by id (numbers in numeric order).
func (db *DB) Actions(q ActionQuery) ([]Action, error) {
	var out []Action
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bActions).ForEach(func(k, v []byte) error {
			var a Action
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

func getAction(tx *bolt.Tx, id string) (*Action, error) {
	v := tx.Bucket(bActions).Get([]byte(id))
	if id == "" || v == nil {
		return nil, Errorf(ENOTFOUND, "Không tìm thấy hành động cải tiến %q. / No improvement action %q.", id, id)
	}
	a := &Action{}
	if err := json.Unmarshal(v, a); err != nil {
		return nil, fmt.Errorf("action %q: %w", id, err)
	}
	return a, nil
}

// normalise trims the text fields (criteria keep the order given).
func (a *Action) normalise() {
	a.ID, a.Unit = strings.TrimSpace(a.ID), strings.TrimSpace(a.Unit)
	a.Title, a.Office = strings.TrimSpace(a.Title), strings.TrimSpace(a.Office)
	a.Due, a.Done = strings.TrimSpace(a.Due), strings.TrimSpace(a.Done)
	a.Description, a.Notes = strings.TrimSpace(a.Description), strings.TrimSpace(a.Notes)
	if a.Criteria == nil {
		a.Criteria = []string{}
	}
}

// actionDiff names the fields that changed: "status planned → done; done_date → 2026-03-02".
func actionDiff(old, cur *Action) string {
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
