package bolt

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"hailong/survey"
	"sort"
	"sync"

	bbolt "go.etcd.io/bbolt"
)

// CreateCounter adds a counter to an existing unit. Errors: EINVALID (id,
// name, unit), ECONFLICT (id taken).
func (db *DB) CreateCounter(c survey.Counter) error {
	orgMu.Lock()
	defer orgMu.Unlock()
	if err := c.Validate(); err != nil {
		return err
	}
	if db.Counter(c.ID) != nil {
		return &survey.Error{Code: survey.ECONFLICT, Field: "id", Message: "Mã quầy " + quote(c.ID) + " đã được dùng. / Counter id " + quote(c.ID) + " is taken."}
	}
	return db.PutCounter(c)
}

// RenameCounter renames a counter; its unit never changes (its responses
// and kiosks stay where they are). Errors: ENOTFOUND, EINVALID (name).
func (db *DB) RenameCounter(id, name string) error {
	orgMu.Lock()
	defer orgMu.Unlock()
	c := db.Counter(id)
	if c == nil {
		return survey.Errorf(survey.ENOTFOUND, "Quầy %q không tồn tại. / Unknown counter %q.", id, id)
	}
	c.Name = name
	return db.PutCounter(*c)
}

// CreateStaff adds a staff member (not signed on, without a photo).
// Errors: EINVALID (id, name, position, unit), ECONFLICT (id taken).
func (db *DB) CreateStaff(s survey.Staff) error {
	signMu.Lock()
	defer signMu.Unlock()
	s.Counter, s.Photo = "", ""
	if err := s.Validate(); err != nil {
		return err
	}
	if db.StaffMember(s.ID) != nil {
		return &survey.Error{Code: survey.ECONFLICT, Field: "id", Message: "Mã công chức " + quote(s.ID) + " đã được dùng. / Staff id " + quote(s.ID) + " is taken."}
	}
	return db.PutStaff(s)
}

// UpdateStaff changes a staff member's name, position and unit, keeping the
// photo. A staff member moved away from the unit of the counter they are
// signed on at is signed off. Errors: ENOTFOUND, EINVALID.
func (db *DB) UpdateStaff(id, name, position, unit string) error {
	signMu.Lock()
	defer signMu.Unlock()
	s := db.StaffMember(id)
	if s == nil {
		return survey.Errorf(survey.ENOTFOUND, "Công chức %q không tồn tại. / Unknown staff member %q.", id, id)
	}
	s.Name, s.Position, s.Unit = name, position, unit
	if c := db.Counter(s.Counter); c == nil || !db.InSubtree(c.Unit, unit) {
		s.Counter = ""
	}
	return db.PutStaff(*s)
}

// SetStaffPhoto stores a staff member's photo and returns its content type.
// The type is read from the bytes (JPEG, PNG or WebP), never from a file
// name or a declared type. Staff.Photo becomes a hash of the content, for
// cache-busting URLs. Errors: ENOTFOUND, ETOOLARGE (over MaxPhotoBytes),
// EINVALID (field "photo": empty, another format, or not a readable image).
func (db *DB) SetStaffPhoto(id string, img []byte) (string, error) {
	signMu.Lock()
	defer signMu.Unlock()
	s := db.StaffMember(id)
	if s == nil {
		return "", survey.Errorf(survey.ENOTFOUND, "Công chức %q không tồn tại. / Unknown staff member %q.", id, id)
	}
	if len(img) > survey.MaxPhotoBytes {
		return "", &survey.Error{Code: survey.ETOOLARGE, Field: "photo", Message: "Ảnh lớn quá 512 KiB: hãy thu nhỏ ảnh rồi gửi lại. / The photo is larger than 512 KiB: make it smaller and try again."}
	}
	ctype, err := survey.CheckPhoto(img)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(img)
	s.Photo = hex.EncodeToString(sum[:10])
	val := append(append([]byte(ctype), 0), img...)
	err = db.update(func(tx *bbolt.Tx) error {
		if err := tx.Bucket(bPhotos).Put([]byte(id), val); err != nil {
			return err
		}
		return putJSON(tx, bStaff, id, s)
	})
	if err != nil {
		return "", err
	}
	db.cacheStaff(*s)
	return ctype, nil
}

// DeleteStaffPhoto removes a staff member's photo (the kiosk then shows
// initials). Errors: ENOTFOUND.
func (db *DB) DeleteStaffPhoto(id string) error {
	signMu.Lock()
	defer signMu.Unlock()
	s := db.StaffMember(id)
	if s == nil {
		return survey.Errorf(survey.ENOTFOUND, "Công chức %q không tồn tại. / Unknown staff member %q.", id, id)
	}
	s.Photo = ""
	err := db.update(func(tx *bbolt.Tx) error {
		if err := tx.Bucket(bPhotos).Delete([]byte(id)); err != nil {
			return err
		}
		return putJSON(tx, bStaff, id, s)
	})
	if err == nil {
		db.cacheStaff(*s)
	}
	return err
}

func (db *DB) cacheStaff(s survey.Staff) {
	db.mu.Lock()
	db.staff[s.ID] = &s
	db.mu.Unlock()
}

// StaffPhoto returns a staff member's photo and its content type, or ""
// and nil when there is none.
func (db *DB) StaffPhoto(id string) (ctype string, img []byte) {
	_ = db.bolt.View(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bPhotos).Get([]byte(id))
		if i := bytes.IndexByte(v, 0); i > 0 {
			ctype, img = string(v[:i]), bytes.Clone(v[i+1:])
		}
		return nil
	})
	return ctype, img
}

// PhotoByHash returns the photo whose content hash (Staff.Photo) is hash,
// with the staff member it belongs to, or nil when none has it.
func (db *DB) PhotoByHash(hash string) (s *survey.Staff, ctype string, img []byte) {
	if hash == "" {
		return nil, "", nil
	}
	db.mu.RLock()
	for _, x := range db.staff {
		if x.Photo == hash {
			c := *x
			s = &c
			break
		}
	}
	db.mu.RUnlock()
	if s == nil {
		return nil, "", nil
	}
	ctype, img = db.StaffPhoto(s.ID)
	if img == nil {
		return nil, "", nil
	}
	return s, ctype, img
}

// signMu serialises sign-on and sign-off, so that the "one staff member per
// counter" rule and the cache cannot be broken by two concurrent calls.
var signMu sync.Mutex

// SignOn records that staff member staffID now serves at counterID: ratings
// from that counter's kiosk carry the staff id. The counter must belong to
// the staff member's unit or to a unit below it. Whoever else was signed on
// at that counter is signed off; a staff member is at one counter at a time.
// Errors: EINVALID (field "staff" or "counter") for an unknown staff member
// or counter, or a counter outside the staff member's unit.
func (db *DB) SignOn(staffID, counterID string) error {
	signMu.Lock()
	defer signMu.Unlock()
	s := db.StaffMember(staffID)
	if s == nil {
		return survey.FieldError("staff", "Công chức %q không tồn tại. / Unknown staff member %q.", staffID, staffID)
	}
	c := db.Counter(counterID)
	if c == nil {
		return survey.FieldError("counter", "Quầy %q không tồn tại. / Unknown counter %q.", counterID, counterID)
	}
	if !db.InSubtree(c.Unit, s.Unit) {
		return survey.FieldError("staff", "Công chức %q không thuộc đơn vị của quầy %q. / Staff member %q does not belong to the unit of counter %q.", staffID, counterID, staffID, counterID)
	}
	return db.setCounters(func(x *survey.Staff) string {
		switch {
		case x.ID == staffID:
			return counterID
		case x.Counter == counterID:
			return ""
		}
		return x.Counter
	})
}

// SignOff signs staffID off, or, with staffID empty, whoever is signed on at
// counterID. With both given, the staff member is signed off only if signed
// on at that counter. Signing off someone not signed on is not an error.
// Errors: EINVALID for an unknown staff member or counter, or neither given.
func (db *DB) SignOff(staffID, counterID string) error {
	signMu.Lock()
	defer signMu.Unlock()
	if staffID == "" && counterID == "" {
		return survey.FieldError("staff", "Cần mã công chức hoặc mã quầy. / A staff member or a counter is required.")
	}
	if staffID != "" && db.StaffMember(staffID) == nil {
		return survey.FieldError("staff", "Công chức %q không tồn tại. / Unknown staff member %q.", staffID, staffID)
	}
	if counterID != "" && db.Counter(counterID) == nil {
		return survey.FieldError("counter", "Quầy %q không tồn tại. / Unknown counter %q.", counterID, counterID)
	}
	return db.setCounters(func(x *survey.Staff) string {
		if (staffID == "" || x.ID == staffID) && (counterID == "" || x.Counter == counterID) {
			return ""
		}
		return x.Counter
	})
}

// setCounters gives each staff member the counter next returns, writing
// only the records that change, in one transaction, then updates the cache.
// The caller holds signMu.
func (db *DB) setCounters(next func(*survey.Staff) string) error {
	var changed []survey.Staff
	err := db.bolt.Update(func(tx *bbolt.Tx) error {
		changed = changed[:0]
		b := tx.Bucket(bStaff)
		err := b.ForEach(func(_, v []byte) error {
			var s survey.Staff
			if err := json.Unmarshal(v, &s); err != nil {
				return err
			}
			if c := next(&s); c != s.Counter {
				s.Counter = c
				changed = append(changed, s)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, s := range changed {
			if err := putJSON(tx, bStaff, s.ID, s); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	for i := range changed {
		s := changed[i]
		db.staff[s.ID] = &s
	}
	return nil
}

// OnDuty returns the staff member signed on at counterID, or nil. Should
// older data hold several (the rule is one per counter), the first by id is
// returned, so the answer is stable.
func (db *DB) OnDuty(counterID string) *survey.Staff {
	if counterID == "" {
		return nil
	}
	db.mu.RLock()
	defer db.mu.RUnlock()
	var ids []string
	for id, s := range db.staff {
		if s.Counter == counterID {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	sort.Strings(ids)
	s := *db.staff[ids[0]]
	return &s
}

// Counter returns the counter with id, or nil.
func (db *DB) Counter(id string) *survey.Counter {
	db.mu.RLock()
	defer db.mu.RUnlock()
	if c := db.counters[id]; c != nil {
		x := *c
		return &x
	}
	return nil
}

// Counters returns the counters of unit ("" = all), sorted by id.
func (db *DB) Counters(unit string) []survey.Counter {
	db.mu.RLock()
	defer db.mu.RUnlock()
	var out []survey.Counter
	for _, c := range db.counters {
		if unit == "" || c.Unit == unit {
			out = append(out, *c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// PutCounter creates or updates a counter. Errors: EINVALID.
func (db *DB) PutCounter(c survey.Counter) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if db.Unit(c.Unit) == nil {
		return survey.FieldError("unit", "Đơn vị %q không tồn tại. / Unknown unit %q.", c.Unit, c.Unit)
	}
	return db.putEntity(bCounters, kindCounter, c.ID, c, func() { db.counters[c.ID] = &c })
}

// StaffMember returns the staff member with id, or nil.
func (db *DB) StaffMember(id string) *survey.Staff {
	db.mu.RLock()
	defer db.mu.RUnlock()
	if s := db.staff[id]; s != nil {
		x := *s
		return &x
	}
	return nil
}

// StaffOf returns the staff of unit ("" = all), sorted by id.
func (db *DB) StaffOf(unit string) []survey.Staff {
	db.mu.RLock()
	defer db.mu.RUnlock()
	var out []survey.Staff
	for _, s := range db.staff {
		if unit == "" || s.Unit == unit {
			out = append(out, *s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// PutStaff creates or updates a staff member. Errors: EINVALID.
func (db *DB) PutStaff(s survey.Staff) error {
	if err := s.Validate(); err != nil {
		return err
	}
	if db.Unit(s.Unit) == nil {
		return survey.FieldError("unit", "Đơn vị %q không tồn tại. / Unknown unit %q.", s.Unit, s.Unit)
	}
	if s.Counter != "" && db.Counter(s.Counter) == nil {
		return survey.FieldError("counter", "Quầy %q không tồn tại. / Unknown counter %q.", s.Counter, s.Counter)
	}
	return db.putEntity(bStaff, kindStaff, s.ID, s, func() { db.staff[s.ID] = &s })
}
