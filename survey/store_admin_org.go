package survey

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image/jpeg"
	"image/png"
	"strings"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// Organisation changes made from the admin pages. Unlike PutUnits,
// PutCounter and PutStaff (bulk, create-or-replace), these create only what
// does not exist yet and change only what does, with messages about the
// form field at fault ("id", "name", "parent", "group", "unit", "photo").

// orgMu serialises the admin's check-then-write changes to units, groups and
// counters, so that two administrators cannot both create the same id or
// move two units under each other. Staff changes hold signMu instead, which
// also keeps them from racing sign-on.
var orgMu sync.Mutex

// CreateUnit adds a new unit. Errors: EINVALID (id, name, parent, group:
// malformed, unknown parent or group), ECONFLICT (id taken).
func (db *DB) CreateUnit(u Unit) error {
	orgMu.Lock()
	defer orgMu.Unlock()
	if err := u.Validate(); err != nil {
		return err
	}
	if db.Unit(u.ID) != nil {
		return &Error{Code: ECONFLICT, Field: "id", Message: "Mã đơn vị " + quote(u.ID) + " đã được dùng. / Unit id " + quote(u.ID) + " is taken."}
	}
	if err := db.checkUnitRefs(u); err != nil {
		return err
	}
	return singleUnit(db.putUnits([]Unit{u}))
}

// UpdateUnit renames a unit, moves it under another parent ("" = top level)
// and sets its group ("" = none). Errors: ENOTFOUND; EINVALID for a bad name,
// an unknown parent or group, or a parent that is the unit itself or lies
// below it (the tree would loop).
func (db *DB) UpdateUnit(u Unit) error {
	orgMu.Lock()
	defer orgMu.Unlock()
	if db.Unit(u.ID) == nil {
		return Errorf(ENOTFOUND, "Đơn vị %q không tồn tại. / Unknown unit %q.", u.ID, u.ID)
	}
	if err := u.Validate(); err != nil {
		return err
	}
	if err := db.checkUnitRefs(u); err != nil {
		return err
	}
	if u.Parent != "" && db.InSubtree(u.Parent, u.ID) {
		p, cur := db.Unit(u.Parent), db.Unit(u.ID)
		return FieldError("parent", "Không thể chuyển đơn vị vào dưới đơn vị cấp dưới của chính nó: %s thuộc %s. / A unit cannot move below one of its own sub-units: %s is part of %s.", quote(p.Name), quote(cur.Name), quote(p.Name), quote(cur.Name))
	}
	return singleUnit(db.putUnits([]Unit{u}))
}

func (db *DB) checkUnitRefs(u Unit) error {
	if u.Parent != "" && db.Unit(u.Parent) == nil {
		return FieldError("parent", "Đơn vị cấp trên %q không tồn tại. / Unknown parent unit %q.", u.Parent, u.Parent)
	}
	if u.Group != "" && db.group(u.Group) == nil {
		return FieldError("group", "Khối %q không tồn tại: hãy tạo khối trước. / Unknown group %q: create it first.", u.Group, u.Group)
	}
	return nil
}

// singleUnit renames the field of a PutUnits error about its only unit
// ("units[0].parent" → "parent").
func singleUnit(err error) error {
	var e *Error
	if errors.As(err, &e) && strings.HasPrefix(e.Field, "units[0].") {
		return &Error{Code: e.Code, Field: strings.TrimPrefix(e.Field, "units[0]."), Message: e.Message}
	}
	return err
}

func (db *DB) group(id string) *Group {
	db.mu.RLock()
	defer db.mu.RUnlock()
	if g := db.groups[id]; g != nil {
		x := *g
		return &x
	}
	return nil
}

// CreateGroup adds a peer group. Errors: EINVALID (id, name), ECONFLICT.
func (db *DB) CreateGroup(g Group) error {
	orgMu.Lock()
	defer orgMu.Unlock()
	if e := checkID("id", g.ID); e != nil {
		return e
	}
	if db.group(g.ID) != nil {
		return &Error{Code: ECONFLICT, Field: "id", Message: "Mã khối " + quote(g.ID) + " đã được dùng. / Group id " + quote(g.ID) + " is taken."}
	}
	return db.PutGroup(g)
}

// RenameGroup renames a group. Errors: ENOTFOUND, EINVALID (name).
func (db *DB) RenameGroup(id, name string) error {
	orgMu.Lock()
	defer orgMu.Unlock()
	if db.group(id) == nil {
		return Errorf(ENOTFOUND, "Khối %q không tồn tại. / Unknown group %q.", id, id)
	}
	return db.PutGroup(Group{ID: id, Name: name})
}

// CreateCounter adds a counter to an existing unit. Errors: EINVALID (id,
// name, unit), ECONFLICT (id taken).
func (db *DB) CreateCounter(c Counter) error {
	orgMu.Lock()
	defer orgMu.Unlock()
	if err := c.Validate(); err != nil {
		return err
	}
	if db.Counter(c.ID) != nil {
		return &Error{Code: ECONFLICT, Field: "id", Message: "Mã quầy " + quote(c.ID) + " đã được dùng. / Counter id " + quote(c.ID) + " is taken."}
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
		return Errorf(ENOTFOUND, "Quầy %q không tồn tại. / Unknown counter %q.", id, id)
	}
	c.Name = name
	return db.PutCounter(*c)
}

// CreateStaff adds a staff member (not signed on, without a photo).
// Errors: EINVALID (id, name, position, unit), ECONFLICT (id taken).
func (db *DB) CreateStaff(s Staff) error {
	signMu.Lock()
	defer signMu.Unlock()
	s.Counter, s.Photo = "", ""
	if err := s.Validate(); err != nil {
		return err
	}
	if db.StaffMember(s.ID) != nil {
		return &Error{Code: ECONFLICT, Field: "id", Message: "Mã công chức " + quote(s.ID) + " đã được dùng. / Staff id " + quote(s.ID) + " is taken."}
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
		return Errorf(ENOTFOUND, "Công chức %q không tồn tại. / Unknown staff member %q.", id, id)
	}
	s.Name, s.Position, s.Unit = name, position, unit
	if c := db.Counter(s.Counter); c == nil || !db.InSubtree(c.Unit, unit) {
		s.Counter = ""
	}
	return db.PutStaff(*s)
}

// MaxPhotoBytes bounds a staff photo.
const MaxPhotoBytes = 512 << 10

// maxPhotoSide bounds a photo's width and height in pixels, so that a small
// file cannot make the kiosk decode a huge image.
const maxPhotoSide = 4096

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
		return "", Errorf(ENOTFOUND, "Công chức %q không tồn tại. / Unknown staff member %q.", id, id)
	}
	if len(img) > MaxPhotoBytes {
		return "", &Error{Code: ETOOLARGE, Field: "photo", Message: "Ảnh lớn quá 512 KiB: hãy thu nhỏ ảnh rồi gửi lại. / The photo is larger than 512 KiB: make it smaller and try again."}
	}
	ctype, err := checkPhoto(img)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(img)
	s.Photo = hex.EncodeToString(sum[:10])
	val := append(append([]byte(ctype), 0), img...)
	err = db.update(func(tx *bolt.Tx) error {
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
		return Errorf(ENOTFOUND, "Công chức %q không tồn tại. / Unknown staff member %q.", id, id)
	}
	s.Photo = ""
	err := db.update(func(tx *bolt.Tx) error {
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

func (db *DB) cacheStaff(s Staff) {
	db.mu.Lock()
	db.staff[s.ID] = &s
	db.mu.Unlock()
}

// StaffPhoto returns a staff member's photo and its content type, or ""
// and nil when there is none.
func (db *DB) StaffPhoto(id string) (ctype string, img []byte) {
	_ = db.bolt.View(func(tx *bolt.Tx) error {
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
func (db *DB) PhotoByHash(hash string) (s *Staff, ctype string, img []byte) {
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

var badPhoto = &Error{Code: EINVALID, Field: "photo", Message: "Tệp không phải ảnh JPEG, PNG hoặc WebP. / The file is not a JPEG, PNG or WebP image."}

// checkPhoto sniffs the image format from its magic number and, for PNG
// and JPEG, reads the header to check it is an image of a sane size.
func checkPhoto(img []byte) (string, error) {
	if len(img) == 0 {
		return "", &Error{Code: EINVALID, Field: "photo", Message: "Chưa chọn ảnh hoặc tệp rỗng. / No photo chosen, or the file is empty."}
	}
	var (
		ctype string
		w, h  int
	)
	switch {
	case bytes.HasPrefix(img, []byte("\x89PNG\r\n\x1a\n")):
		cfg, err := png.DecodeConfig(bytes.NewReader(img))
		if err != nil {
			return "", badPhoto
		}
		ctype, w, h = "image/png", cfg.Width, cfg.Height
	case bytes.HasPrefix(img, []byte{0xFF, 0xD8, 0xFF}):
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(img))
		if err != nil {
			return "", badPhoto
		}
		ctype, w, h = "image/jpeg", cfg.Width, cfg.Height
	case len(img) >= 16 && string(img[:4]) == "RIFF" && string(img[8:12]) == "WEBP" &&
		(string(img[12:16]) == "VP8 " || string(img[12:16]) == "VP8L" || string(img[12:16]) == "VP8X"):
		return "image/webp", nil // no WebP decoder in the standard library
	default:
		return "", badPhoto
	}
	if w < 1 || h < 1 || w > maxPhotoSide || h > maxPhotoSide {
		return "", &Error{Code: EINVALID, Field: "photo", Message: "Ảnh phải nhỏ hơn 4096×4096 điểm ảnh. / The photo must be at most 4096×4096 pixels."}
	}
	return ctype, nil
}

// RenameKiosk renames a kiosk. Errors: ENOTFOUND, EINVALID (name).
func (db *DB) RenameKiosk(id, name string) error {
	if e := checkName("name", name, 100); e != nil {
		return e
	}
	return db.editKiosk(id, func(_ *bolt.Tx, k *Kiosk) error {
		k.Name = name
		return nil
	})
}

// RepairKiosk issues a new one-time pairing code for a kiosk, replacing any
// unused one; a revoked kiosk is reinstated by it. A device paired before
// keeps working until the new code is redeemed (PairKiosk then drops the old
// device key). Errors: ENOTFOUND.
func (db *DB) RepairKiosk(id string) (string, error) {
	code := NewSecret()
	err := db.editKiosk(id, func(tx *bolt.Tx, k *Kiosk) error {
		sec := tx.Bucket(bSecrets)
		if k.PairHash != nil {
			if err := sec.Delete(k.PairHash); err != nil {
				return err
			}
		}
		k.PairHash, k.Revoked = HashSecret(code), false
		return sec.Put(k.PairHash, []byte(secretPair+k.ID))
	})
	if err != nil {
		return "", err
	}
	return code, nil
}

// RevokeKiosk stops a kiosk at once: its device key and any unused pairing
// code are deleted, so KioskByKey and PairKiosk fail from the commit on.
// The kiosk stays listed (its responses name it); RepairKiosk reinstates
// it. Revoking a revoked kiosk is not an error. Errors: ENOTFOUND.
func (db *DB) RevokeKiosk(id string) error {
	return db.editKiosk(id, func(tx *bolt.Tx, k *Kiosk) error {
		sec := tx.Bucket(bSecrets)
		for _, h := range [][]byte{k.PairHash, k.KeyHash} {
			if h != nil {
				if err := sec.Delete(h); err != nil {
					return err
				}
			}
		}
		k.PairHash, k.KeyHash, k.Revoked = nil, nil, true
		return nil
	})
}

// editKiosk changes a kiosk record read inside the write transaction (a
// heartbeat or a pairing may have changed it), then updates only the
// fields an edit may change in the cache, leaving heartbeat fields alone.
func (db *DB) editKiosk(id string, fn func(*bolt.Tx, *Kiosk) error) error {
	var k Kiosk
	err := db.update(func(tx *bolt.Tx) error {
		if err := getKiosk(tx, id, &k); err != nil {
			return err
		}
		if err := fn(tx, &k); err != nil {
			return err
		}
		return putJSON(tx, bKiosks, id, k)
	})
	if err != nil {
		return err
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	if cur := db.kiosks[id]; cur != nil {
		c := *cur
		c.Name, c.PairHash, c.KeyHash, c.PairedAt, c.Revoked = k.Name, k.PairHash, k.KeyHash, k.PairedAt, k.Revoked
		db.kiosks[id] = &c
	}
	return nil
}

func quote(s string) string { return "“" + s + "”" }
