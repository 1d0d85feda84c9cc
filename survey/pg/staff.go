package pg

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"hailong/survey"
)

// Counters and staff, as survey/bolt/staff.go: reads from the snapshot,
// checks inside the write transaction.

// Counter returns the counter with id, or nil.
func (db *DB) Counter(id string) *survey.Counter {
	if c := db.snap().counters[id]; c != nil {
		x := *c
		return &x
	}
	return nil
}

// Counters returns the counters of unit ("" = all), sorted by id.
func (db *DB) Counters(unit string) []survey.Counter {
	var out []survey.Counter
	for _, c := range sortedValues(db.snap().counters) {
		if unit == "" || c.Unit == unit {
			out = append(out, c)
		}
	}
	return out
}

// PutCounter creates or updates a counter. Errors: EINVALID.
func (db *DB) PutCounter(c survey.Counter) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return db.update(func(tx *wtx) error { return tx.putCounter(c) })
}

func (tx *wtx) putCounter(c survey.Counter) error {
	s, err := tx.fresh()
	if err != nil {
		return err
	}
	if s.units[c.Unit] == nil {
		return survey.FieldError("unit", "Đơn vị %q không tồn tại. / Unknown unit %q.", c.Unit, c.Unit)
	}
	return tx.putUnitDoc("counters", c.ID, c.Unit, c)
}

// CreateCounter adds a counter to an existing unit. Errors: EINVALID,
// ECONFLICT (id taken).
func (db *DB) CreateCounter(c survey.Counter) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return db.update(func(tx *wtx) error {
		s, err := tx.fresh()
		if err != nil {
			return err
		}
		if s.counters[c.ID] != nil {
			return &survey.Error{Code: survey.ECONFLICT, Field: "id", Message: "Mã quầy " + quote(c.ID) + " đã được dùng. / Counter id " + quote(c.ID) + " is taken."}
		}
		return tx.putCounter(c)
	})
}

// RenameCounter renames a counter; its unit never changes. Errors:
// ENOTFOUND, EINVALID (name).
func (db *DB) RenameCounter(id, name string) error {
	return db.update(func(tx *wtx) error {
		s, err := tx.fresh()
		if err != nil {
			return err
		}
		c := s.counters[id]
		if c == nil {
			return survey.Errorf(survey.ENOTFOUND, "Quầy %q không tồn tại. / Unknown counter %q.", id, id)
		}
		x := *c
		x.Name = name
		if err := x.Validate(); err != nil {
			return err
		}
		return tx.putCounter(x)
	})
}

// StaffMember returns the staff member with id, or nil.
func (db *DB) StaffMember(id string) *survey.Staff {
	if s := db.snap().staff[id]; s != nil {
		x := *s
		return &x
	}
	return nil
}

// StaffOf returns the staff of unit ("" = all), sorted by id.
func (db *DB) StaffOf(unit string) []survey.Staff {
	var out []survey.Staff
	for _, s := range sortedValues(db.snap().staff) {
		if unit == "" || s.Unit == unit {
			out = append(out, s)
		}
	}
	return out
}

// PutStaff creates or updates a staff member. Errors: EINVALID.
func (db *DB) PutStaff(s survey.Staff) error {
	if err := s.Validate(); err != nil {
		return err
	}
	return db.update(func(tx *wtx) error { return tx.putStaff(s) })
}

func (tx *wtx) putStaff(st survey.Staff) error {
	s, err := tx.fresh()
	if err != nil {
		return err
	}
	if s.units[st.Unit] == nil {
		return survey.FieldError("unit", "Đơn vị %q không tồn tại. / Unknown unit %q.", st.Unit, st.Unit)
	}
	if st.Counter != "" && s.counters[st.Counter] == nil {
		return survey.FieldError("counter", "Quầy %q không tồn tại. / Unknown counter %q.", st.Counter, st.Counter)
	}
	return tx.putUnitDoc("staff", st.ID, st.Unit, st)
}

// CreateStaff adds a staff member (not signed on, without a photo).
// Errors: EINVALID, ECONFLICT (id taken).
func (db *DB) CreateStaff(st survey.Staff) error {
	st.Counter, st.Photo = "", ""
	if err := st.Validate(); err != nil {
		return err
	}
	return db.update(func(tx *wtx) error {
		s, err := tx.fresh()
		if err != nil {
			return err
		}
		if s.staff[st.ID] != nil {
			return &survey.Error{Code: survey.ECONFLICT, Field: "id", Message: "Mã công chức " + quote(st.ID) + " đã được dùng. / Staff id " + quote(st.ID) + " is taken."}
		}
		return tx.putStaff(st)
	})
}

// staffIn returns a copy of staff member id as tx sees it, or ENOTFOUND.
func (tx *wtx) staffIn(id string) (*survey.Staff, *snapshot, error) {
	s, err := tx.fresh()
	if err != nil {
		return nil, nil, err
	}
	st := s.staff[id]
	if st == nil {
		return nil, nil, survey.Errorf(survey.ENOTFOUND, "Công chức %q không tồn tại. / Unknown staff member %q.", id, id)
	}
	x := *st
	return &x, s, nil
}

// UpdateStaff changes a staff member's name, position and unit, keeping the
// photo; one moved away from their counter's unit is signed off. Errors:
// ENOTFOUND, EINVALID.
func (db *DB) UpdateStaff(id, name, position, unit string) error {
	return db.update(func(tx *wtx) error {
		st, s, err := tx.staffIn(id)
		if err != nil {
			return err
		}
		st.Name, st.Position, st.Unit = name, position, unit
		if c := s.counters[st.Counter]; c == nil || !s.inSubtree(c.Unit, unit) {
			st.Counter = ""
		}
		if err := st.Validate(); err != nil {
			return err
		}
		return tx.putStaff(*st)
	})
}

// SetStaffPhoto stores a staff member's photo and returns its content type
// (see survey.StaffService). Errors: ENOTFOUND, ETOOLARGE, EINVALID.
func (db *DB) SetStaffPhoto(id string, img []byte) (string, error) {
	var ctype string
	err := db.update(func(tx *wtx) error {
		st, _, err := tx.staffIn(id)
		if err != nil {
			return err
		}
		if len(img) > survey.MaxPhotoBytes {
			return &survey.Error{Code: survey.ETOOLARGE, Field: "photo", Message: "Ảnh lớn quá 512 KiB: hãy thu nhỏ ảnh rồi gửi lại. / The photo is larger than 512 KiB: make it smaller and try again."}
		}
		if ctype, err = survey.CheckPhoto(img); err != nil {
			return err
		}
		sum := sha256.Sum256(img)
		st.Photo = hex.EncodeToString(sum[:10])
		if _, err := tx.exec(`INSERT INTO photos (staff, hash, ctype, img) VALUES ($1, $2, $3, $4)
			ON CONFLICT (staff) DO UPDATE SET hash = excluded.hash, ctype = excluded.ctype, img = excluded.img`,
			id, st.Photo, ctype, img); err != nil {
			return err
		}
		return tx.putUnitDoc("staff", st.ID, st.Unit, st)
	})
	return ctype, err
}

// DeleteStaffPhoto removes a staff member's photo. Errors: ENOTFOUND.
func (db *DB) DeleteStaffPhoto(id string) error {
	return db.update(func(tx *wtx) error {
		st, _, err := tx.staffIn(id)
		if err != nil {
			return err
		}
		st.Photo = ""
		if _, err := tx.exec("DELETE FROM photos WHERE staff = $1", id); err != nil {
			return err
		}
		return tx.putUnitDoc("staff", st.ID, st.Unit, st)
	})
}

// StaffPhoto returns a staff member's photo and its content type, or ""
// and nil when there is none.
func (db *DB) StaffPhoto(id string) (ctype string, img []byte) {
	err := db.pool.QueryRow(ctx(), "SELECT ctype, img FROM photos WHERE staff = $1", id).Scan(&ctype, &img)
	if err != nil {
		return "", nil
	}
	return ctype, img
}

// PhotoByHash returns the photo whose content hash is hash, with the staff
// member it belongs to, or nil when none has it.
func (db *DB) PhotoByHash(hash string) (*survey.Staff, string, []byte) {
	if hash == "" {
		return nil, "", nil
	}
	var (
		doc, img []byte
		ctype    string
	)
	err := db.pool.QueryRow(ctx(), `SELECT s.doc, p.ctype, p.img FROM photos p JOIN staff s ON s.id = p.staff
		WHERE p.hash = $1 AND s.doc->>'photo' = $1 ORDER BY s.id LIMIT 1`, hash).Scan(&doc, &ctype, &img)
	if err != nil {
		return nil, "", nil
	}
	var s survey.Staff
	if json.Unmarshal(doc, &s) != nil {
		return nil, "", nil
	}
	return &s, ctype, img
}

// SignOn records that staffID now serves at counterID (see
// survey.CounterService). Errors: EINVALID (staff, counter).
func (db *DB) SignOn(staffID, counterID string) error {
	return db.update(func(tx *wtx) error {
		s, err := tx.fresh()
		if err != nil {
			return err
		}
		st := s.staff[staffID]
		if st == nil {
			return survey.FieldError("staff", "Công chức %q không tồn tại. / Unknown staff member %q.", staffID, staffID)
		}
		c := s.counters[counterID]
		if c == nil {
			return survey.FieldError("counter", "Quầy %q không tồn tại. / Unknown counter %q.", counterID, counterID)
		}
		if !s.inSubtree(c.Unit, st.Unit) {
			return survey.FieldError("staff", "Công chức %q không thuộc đơn vị của quầy %q. / Staff member %q does not belong to the unit of counter %q.", staffID, counterID, staffID, counterID)
		}
		return tx.setCounters(s, func(x *survey.Staff) string {
			switch {
			case x.ID == staffID:
				return counterID
			case x.Counter == counterID:
				return ""
			}
			return x.Counter
		})
	})
}

// SignOff signs staffID off, or whoever is at counterID (see
// survey.CounterService). Errors: EINVALID.
func (db *DB) SignOff(staffID, counterID string) error {
	if staffID == "" && counterID == "" {
		return survey.FieldError("staff", "Cần mã công chức hoặc mã quầy. / A staff member or a counter is required.")
	}
	return db.update(func(tx *wtx) error {
		s, err := tx.fresh()
		if err != nil {
			return err
		}
		if staffID != "" && s.staff[staffID] == nil {
			return survey.FieldError("staff", "Công chức %q không tồn tại. / Unknown staff member %q.", staffID, staffID)
		}
		if counterID != "" && s.counters[counterID] == nil {
			return survey.FieldError("counter", "Quầy %q không tồn tại. / Unknown counter %q.", counterID, counterID)
		}
		return tx.setCounters(s, func(x *survey.Staff) string {
			if (staffID == "" || x.ID == staffID) && (counterID == "" || x.Counter == counterID) {
				return ""
			}
			return x.Counter
		})
	})
}

// setCounters gives each staff member the counter next returns, writing
// only the records that change.
func (tx *wtx) setCounters(s *snapshot, next func(*survey.Staff) string) error {
	for _, st := range sortedValues(s.staff) {
		if c := next(&st); c != st.Counter {
			st.Counter = c
			if err := tx.putUnitDoc("staff", st.ID, st.Unit, st); err != nil {
				return err
			}
		}
	}
	return nil
}

// OnDuty returns the staff member signed on at counterID (the first by id
// should several be), or nil.
func (db *DB) OnDuty(counterID string) *survey.Staff {
	if counterID == "" {
		return nil
	}
	for _, st := range sortedValues(db.snap().staff) {
		if st.Counter == counterID {
			return &st
		}
	}
	return nil
}
