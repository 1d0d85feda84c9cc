package pg

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"hailong/survey"
)

// Improvement actions: the actions table, id → JSON Action. Every change
// writes its audit entry in the same transaction. Numbered ids come from
// the sequence action_seq.

// CreateAction stores a new action and returns it as stored. Errors:
// EINVALID, ECONFLICT (id taken).
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
	err := db.update(func(tx *wtx) error {
		if a.ID == "" {
			for a.ID == "" || tx.action(a.ID) != nil {
				var seq int64
				if err := tx.queryRow("SELECT nextval('action_seq')").Scan(&seq); err != nil {
					return err
				}
				a.ID = strconv.FormatInt(seq, 10)
			}
		} else if tx.action(a.ID) != nil {
			return &survey.Error{Code: survey.ECONFLICT, Field: "id", Message: fmt.Sprintf("Mã hành động %q đã được dùng. / Action id %q is taken.", a.ID, a.ID)}
		}
		if err := tx.putAction(&a); err != nil {
			return err
		}
		return tx.audit(survey.AuditEntry{Actor: actor, Action: "action.create", Target: a.ID,
			Detail: fmt.Sprintf("%s: %s (%s)", a.Unit, a.Title, a.Status)})
	})
	if err != nil {
		return survey.Action{}, err
	}
	return a, nil
}

func (tx *wtx) action(id string) *survey.Action {
	var b []byte
	if tx.queryRow("SELECT doc FROM actions WHERE id = $1", id).Scan(&b) != nil {
		return nil
	}
	a := &survey.Action{}
	if json.Unmarshal(b, a) != nil {
		return nil
	}
	return a
}

func getAction(tx *wtx, id string) (*survey.Action, error) {
	a := tx.action(id)
	if id == "" || a == nil {
		return nil, survey.Errorf(survey.ENOTFOUND, "Không tìm thấy hành động cải tiến %q. / No improvement action %q.", id, id)
	}
	return a, nil
}

func (tx *wtx) putAction(a *survey.Action) error {
	b, err := json.Marshal(a)
	if err != nil {
		return err
	}
	_, err = tx.exec("INSERT INTO actions (id, doc) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc", a.ID, b)
	return err
}

// UpdateAction replaces an action's fields (not its id or creation) and
// returns it as stored. Errors: ENOTFOUND, EINVALID.
func (db *DB) UpdateAction(a survey.Action, actor string) (survey.Action, error) {
	a.Normalise()
	var out survey.Action
	err := db.update(func(tx *wtx) error {
		old, err := getAction(tx, a.ID)
		if err != nil {
			return err
		}
		a.CreatedBy, a.CreatedAt = old.CreatedBy, old.CreatedAt
		a.UpdatedBy, a.UpdatedAt = actor, db.opts.Now().UTC()
		if err := db.CheckAction(&a); err != nil {
			return err
		}
		if err := tx.putAction(&a); err != nil {
			return err
		}
		out = a
		name := "action.update"
		if old.Open() && !a.Open() {
			name = "action.close"
		}
		return tx.audit(survey.AuditEntry{Actor: actor, Action: name, Target: a.ID, Detail: actionDiff(old, &a)})
	})
	return out, err
}

// CloseAction marks an action done on day done, appending note. Errors:
// ENOTFOUND, EINVALID, ECONFLICT (done already).
func (db *DB) CloseAction(id, done, note, actor string) (survey.Action, error) {
	var out survey.Action
	err := db.update(func(tx *wtx) error {
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
		if err := tx.putAction(&a); err != nil {
			return err
		}
		out = a
		return tx.audit(survey.AuditEntry{Actor: actor, Action: "action.close", Target: a.ID, Detail: actionDiff(old, &a)})
	})
	return out, err
}

// Action returns one action. Errors: ENOTFOUND.
func (db *DB) Action(id string) (*survey.Action, error) {
	var b []byte
	err := db.pool.QueryRow(ctx(), "SELECT doc FROM actions WHERE id = $1", id).Scan(&b)
	if isNoRows(err) || id == "" {
		return nil, survey.Errorf(survey.ENOTFOUND, "Không tìm thấy hành động cải tiến %q. / No improvement action %q.", id, id)
	} else if err != nil {
		return nil, err
	}
	a := &survey.Action{}
	return a, json.Unmarshal(b, a)
}

// Actions lists the actions q selects, by id (numbers in numeric order).
func (db *DB) Actions(q survey.ActionQuery) ([]survey.Action, error) {
	all := docs[survey.Action](db, "SELECT doc FROM actions")
	s := db.snap()
	var out []survey.Action
	for _, a := range all {
		if (q.Status == "" || a.Status == q.Status) && (q.Unit == "" || s.inSubtree(a.Unit, q.Unit)) {
			out = append(out, a)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return idLess(out[i].ID, out[j].ID) })
	return out, nil
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
