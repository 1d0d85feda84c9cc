package bolt

import (
	"bytes"
	"encoding/json"
	"hailong/survey"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	bbolt "go.etcd.io/bbolt"
)

// Kiosk returns the kiosk with id, or nil.
func (db *DB) Kiosk(id string) *survey.Kiosk {
	db.mu.RLock()
	defer db.mu.RUnlock()
	if k := db.kiosks[id]; k != nil {
		x := *k
		return &x
	}
	return nil
}

// Kiosks returns every kiosk, in no particular order.
func (db *DB) Kiosks() []survey.Kiosk {
	db.mu.RLock()
	defer db.mu.RUnlock()
	var out []survey.Kiosk
	for _, k := range db.kiosks {
		out = append(out, *k)
	}
	return out
}

// AddKiosk creates a kiosk and returns its one-time pairing code.
// Errors: EINVALID, ECONFLICT if the id is taken.
func (db *DB) AddKiosk(k survey.Kiosk) (pairCode string, err error) {
	if err := k.Validate(); err != nil {
		return "", err
	}
	if db.Unit(k.Unit) == nil {
		return "", survey.FieldError("unit", "Đơn vị %q không tồn tại. / Unknown unit %q.", k.Unit, k.Unit)
	}
	if k.Counter != "" {
		if c := db.Counter(k.Counter); c == nil || c.Unit != k.Unit {
			return "", survey.FieldError("counter", "Quầy %q không thuộc đơn vị %q. / Counter %q is not a counter of unit %q.", k.Counter, k.Unit, k.Counter, k.Unit)
		}
	}
	pairCode = survey.NewSecret()
	k.PairHash = survey.HashSecret(pairCode)
	k.CreatedAt = db.opts.Now().UTC()
	err = db.update(func(tx *bbolt.Tx) error {
		// Checked inside the write: two concurrent adds of one id must not
		// both succeed (the second would replace the first, and both
		// pairing codes would pair it).
		if tx.Bucket(bKiosks).Get([]byte(k.ID)) != nil {
			return &survey.Error{Code: survey.ECONFLICT, Field: "id", Message: "Mã ki-ốt đã tồn tại. / A kiosk with this id exists."}
		}
		if err := tx.Bucket(bSecrets).Put(k.PairHash, []byte(secretPair+k.ID)); err != nil {
			return err
		}
		return putJSON(tx, bKiosks, k.ID, k)
	})
	if err != nil {
		return "", err
	}
	db.mu.Lock()
	db.kiosks[k.ID] = &k
	db.mu.Unlock()
	return pairCode, nil
}

// KioskByPairCode returns the kiosk whose unredeemed pairing code is code,
// or nil; it redeems nothing (the confirmation page before pairing).
func (db *DB) KioskByPairCode(code string) *survey.Kiosk {
	h := survey.HashSecret(code)
	var id string
	_ = db.bolt.View(func(tx *bbolt.Tx) error {
		if v := tx.Bucket(bSecrets).Get(h); bytes.HasPrefix(v, []byte(secretPair)) {
			id = string(v[len(secretPair):])
		}
		return nil
	})
	if k := db.Kiosk(id); k != nil && !k.Revoked && bytes.Equal(k.PairHash, h) {
		return k
	}
	return nil
}

// PairKiosk redeems a one-time pairing code and returns the kiosk and its new
// device key. Errors: ENOTFOUND for an unknown or used code.
func (db *DB) PairKiosk(code string) (*survey.Kiosk, string, error) {
	h := survey.HashSecret(code)
	key := survey.NewSecret()
	var k survey.Kiosk
	err := db.update(func(tx *bbolt.Tx) error {
		sec := tx.Bucket(bSecrets)
		v := sec.Get(h)
		if v == nil || !bytes.HasPrefix(v, []byte(secretPair)) {
			return &survey.Error{Code: survey.ENOTFOUND, Message: "Mã ghép nối không đúng hoặc đã được dùng. / The pairing link is wrong or was already used."}
		}
		raw := tx.Bucket(bKiosks).Get(v[len(secretPair):])
		if raw == nil {
			return &survey.Error{Code: survey.ENOTFOUND, Message: "Ki-ốt không còn tồn tại. / The kiosk no longer exists."}
		}
		if err := json.Unmarshal(raw, &k); err != nil {
			return err
		}
		if err := sec.Delete(h); err != nil {
			return err
		}
		if k.KeyHash != nil {
			if err := sec.Delete(k.KeyHash); err != nil {
				return err
			}
		}
		k.PairHash, k.KeyHash, k.PairedAt = nil, survey.HashSecret(key), db.opts.Now().UTC()
		if err := sec.Put(k.KeyHash, []byte(secretDevice+k.ID)); err != nil {
			return err
		}
		return putJSON(tx, bKiosks, k.ID, k)
	})
	if err != nil {
		return nil, "", err
	}
	db.mu.Lock()
	kk := k
	db.kiosks[k.ID] = &kk
	db.mu.Unlock()
	return &k, key, nil
}

// KioskByKey returns the paired, unrevoked kiosk whose device key is key.
func (db *DB) KioskByKey(key string) (*survey.Kiosk, error) {
	h := survey.HashSecret(key)
	var id string
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		if v := tx.Bucket(bSecrets).Get(h); bytes.HasPrefix(v, []byte(secretDevice)) {
			id = string(v[len(secretDevice):])
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if k := db.Kiosk(id); k != nil && !k.Revoked && bytes.Equal(k.KeyHash, h) {
		return k, nil
	}
	return nil, nil
}

// RenameKiosk renames a kiosk. Errors: ENOTFOUND, EINVALID (name).
func (db *DB) RenameKiosk(id, name string) error {
	if e := survey.CheckName("name", name, 100); e != nil {
		return e
	}
	return db.editKiosk(id, func(_ *bbolt.Tx, k *survey.Kiosk) error {
		k.Name = name
		return nil
	})
}

// RepairKiosk issues a new one-time pairing code for a kiosk, replacing any
// unused one; a revoked kiosk is reinstated by it. A device paired before
// keeps working until the new code is redeemed (PairKiosk then drops the old
// device key). Errors: ENOTFOUND.
func (db *DB) RepairKiosk(id string) (string, error) {
	code := survey.NewSecret()
	err := db.editKiosk(id, func(tx *bbolt.Tx, k *survey.Kiosk) error {
		sec := tx.Bucket(bSecrets)
		if k.PairHash != nil {
			if err := sec.Delete(k.PairHash); err != nil {
				return err
			}
		}
		k.PairHash, k.Revoked = survey.HashSecret(code), false
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
	return db.editKiosk(id, func(tx *bbolt.Tx, k *survey.Kiosk) error {
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
func (db *DB) editKiosk(id string, fn func(*bbolt.Tx, *survey.Kiosk) error) error {
	var k survey.Kiosk
	err := db.update(func(tx *bbolt.Tx) error {
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

// KioskSeen records a kiosk's heartbeat: when it was last seen, how many
// answers it holds in its offline queue and which app version it runs. The
// write is skipped (the cache still gets the fresh values) when the stored
// record was seen less than KioskSeenEvery ago with the same queue and
// version, so that a fleet of kiosks costs few fsyncs.
// Errors: ENOTFOUND for an unknown kiosk, EINVALID for a negative queue or a
// bad version string.
func (db *DB) KioskSeen(id string, queue int, version string, at time.Time) error {
	if queue < 0 {
		return survey.FieldError("queue", "Số phiếu chờ gửi không được âm. / queue must not be negative.")
	}
	if !utf8.ValidString(version) || utf8.RuneCountInString(version) > survey.MaxKioskVersion ||
		strings.IndexFunc(version, unicode.IsControl) >= 0 {
		return survey.FieldError("version", "Phiên bản không hợp lệ (tối đa %d ký tự). / Invalid version (at most %d characters).", survey.MaxKioskVersion, survey.MaxKioskVersion)
	}
	if db.Kiosk(id) == nil {
		return survey.Errorf(survey.ENOTFOUND, "Ki-ốt %q không tồn tại. / Unknown kiosk %q.", id, id)
	}
	at = at.UTC()
	var stored survey.Kiosk
	err := db.bolt.View(func(tx *bbolt.Tx) error { return getKiosk(tx, id, &stored) })
	if err != nil {
		return err
	}
	if !stored.LastSeen.IsZero() && at.Sub(stored.LastSeen) < survey.KioskSeenEvery &&
		stored.Queue == queue && stored.Version == version {
		db.cacheKioskSeen(id, queue, version, at)
		return nil
	}
	err = db.bolt.Update(func(tx *bbolt.Tx) error {
		// Read again inside the write: a pairing may have changed the record.
		var k survey.Kiosk
		if err := getKiosk(tx, id, &k); err != nil {
			return err
		}
		if at.After(k.LastSeen) {
			k.LastSeen = at
		}
		k.Queue, k.Version = queue, version
		return putJSON(tx, bKiosks, id, k)
	})
	if err != nil {
		return err
	}
	db.cacheKioskSeen(id, queue, version, at)
	return nil
}

func getKiosk(tx *bbolt.Tx, id string, k *survey.Kiosk) error {
	v := tx.Bucket(bKiosks).Get([]byte(id))
	if v == nil {
		return survey.Errorf(survey.ENOTFOUND, "Ki-ốt %q không tồn tại. / Unknown kiosk %q.", id, id)
	}
	return json.Unmarshal(v, k)
}

func (db *DB) cacheKioskSeen(id string, queue int, version string, at time.Time) {
	db.mu.Lock()
	defer db.mu.Unlock()
	if k := db.kiosks[id]; k != nil {
		c := *k // readers hold copies; replace rather than mutate
		if at.After(c.LastSeen) {
			c.LastSeen = at
		}
		c.Queue, c.Version = queue, version
		db.kiosks[id] = &c
	}
}
