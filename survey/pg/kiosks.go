package pg

import (
	"bytes"
	"encoding/json"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"hailong/survey"
)

// Kiosks, as survey/bolt/kiosks.go. Pairing codes and device keys are
// rows of the secrets table by SHA-256 ('p' pairing, 'd' device).

const (
	secretPair   = "p"
	secretDevice = "d"
)

// seenOverlay holds heartbeats whose write was skipped (seen again within
// KioskSeenEvery, nothing else changed): this server shows them at once;
// other servers see the stored record, at most KioskSeenEvery older.
type seenOverlay struct {
	mu sync.Mutex
	m  map[string]survey.Kiosk
}

// withSeen applies a skipped heartbeat to k.
func (db *DB) withSeen(k survey.Kiosk) survey.Kiosk {
	o := &db.seen
	o.mu.Lock()
	defer o.mu.Unlock()
	if s, ok := o.m[k.ID]; ok && s.LastSeen.After(k.LastSeen) {
		k.LastSeen, k.Queue, k.Version = s.LastSeen, s.Queue, s.Version
	}
	return k
}

// Kiosk returns the kiosk with id, or nil.
func (db *DB) Kiosk(id string) *survey.Kiosk {
	if k := db.snap().kiosks[id]; k != nil {
		x := db.withSeen(*k)
		return &x
	}
	return nil
}

// Kiosks returns every kiosk, in no particular order.
func (db *DB) Kiosks() []survey.Kiosk {
	var out []survey.Kiosk
	for _, k := range db.snap().kiosks {
		out = append(out, db.withSeen(*k))
	}
	return out
}

// AddKiosk creates a kiosk and returns its one-time pairing code.
// Errors: EINVALID, ECONFLICT if the id is taken.
func (db *DB) AddKiosk(k survey.Kiosk) (pairCode string, err error) {
	if err := k.Validate(); err != nil {
		return "", err
	}
	pairCode = survey.NewSecret()
	k.PairHash = survey.HashSecret(pairCode)
	k.CreatedAt = db.opts.Now().UTC()
	err = db.update(func(tx *wtx) error {
		s, err := tx.fresh()
		if err != nil {
			return err
		}
		if s.units[k.Unit] == nil {
			return survey.FieldError("unit", "Đơn vị %q không tồn tại. / Unknown unit %q.", k.Unit, k.Unit)
		}
		if k.Counter != "" {
			if c := s.counters[k.Counter]; c == nil || c.Unit != k.Unit {
				return survey.FieldError("counter", "Quầy %q không thuộc đơn vị %q. / Counter %q is not a counter of unit %q.", k.Counter, k.Unit, k.Counter, k.Unit)
			}
		}
		if s.kiosks[k.ID] != nil {
			return &survey.Error{Code: survey.ECONFLICT, Field: "id", Message: "Mã ki-ốt đã tồn tại. / A kiosk with this id exists."}
		}
		if err := tx.putSecret(k.PairHash, secretPair, k.ID); err != nil {
			return err
		}
		return tx.putDoc("kiosks", k.ID, k)
	})
	if err != nil {
		return "", err
	}
	return pairCode, nil
}

func (tx *wtx) putSecret(h []byte, kind, id string) error {
	_, err := tx.exec("INSERT INTO secrets (hash, kind, id) VALUES ($1, $2, $3) ON CONFLICT (hash) DO UPDATE SET kind = excluded.kind, id = excluded.id", h, kind, id)
	return err
}

func (tx *wtx) deleteSecret(h []byte) error {
	if h == nil {
		return nil
	}
	_, err := tx.exec("DELETE FROM secrets WHERE hash = $1", h)
	return err
}

// KioskByPairCode returns the kiosk whose unredeemed pairing code is code,
// or nil; it redeems nothing (the confirmation page answers "unknown code"
// also when the database could not be asked; PairKiosk reports errors).
func (db *DB) KioskByPairCode(code string) *survey.Kiosk {
	h := survey.HashSecret(code)
	var id string
	if db.pool.QueryRow(ctx(), "SELECT id FROM secrets WHERE hash = $1 AND kind = $2", h, secretPair).Scan(&id) != nil {
		return nil
	}
	if k := db.Kiosk(id); k != nil && !k.Revoked && bytes.Equal(k.PairHash, h) {
		return k
	}
	return nil
}

// KioskByKey returns the paired, unrevoked kiosk whose device key is key,
// from the cached snapshot (every kiosk request asks: no round trip each;
// pairing, re-pairing and revoking notify every server).
func (db *DB) KioskByKey(key string) (*survey.Kiosk, error) {
	s, err := db.snapOrErr()
	if err != nil {
		return nil, err
	}
	h := survey.HashSecret(key)
	if k := s.kiosks[s.keys[string(h)]]; k != nil && !k.Revoked && bytes.Equal(k.KeyHash, h) {
		x := db.withSeen(*k)
		return &x, nil
	}
	return nil, nil
}

// PairKiosk redeems a one-time pairing code and returns the kiosk and its
// new device key. Errors: ENOTFOUND for an unknown or used code.
func (db *DB) PairKiosk(code string) (*survey.Kiosk, string, error) {
	h := survey.HashSecret(code)
	key := survey.NewSecret()
	var k survey.Kiosk
	err := db.update(func(tx *wtx) error {
		var id string
		err := tx.queryRow("SELECT id FROM secrets WHERE hash = $1 AND kind = $2", h, secretPair).Scan(&id)
		if isNoRows(err) {
			return &survey.Error{Code: survey.ENOTFOUND, Message: "Mã ghép nối không đúng hoặc đã được dùng. / The pairing link is wrong or was already used."}
		} else if err != nil {
			return err
		}
		if err := tx.getKiosk(id, &k); err != nil {
			return &survey.Error{Code: survey.ENOTFOUND, Message: "Ki-ốt không còn tồn tại. / The kiosk no longer exists."}
		}
		if err := tx.deleteSecret(h); err != nil {
			return err
		}
		if err := tx.deleteSecret(k.KeyHash); err != nil {
			return err
		}
		k.PairHash, k.KeyHash, k.PairedAt = nil, survey.HashSecret(key), db.opts.Now().UTC()
		if err := tx.putSecret(k.KeyHash, secretDevice, k.ID); err != nil {
			return err
		}
		return tx.putDoc("kiosks", k.ID, k)
	})
	if err != nil {
		return nil, "", err
	}
	return &k, key, nil
}

// RenameKiosk renames a kiosk. Errors: ENOTFOUND, EINVALID (name).
func (db *DB) RenameKiosk(id, name string) error {
	if e := survey.CheckName("name", name, 100); e != nil {
		return e
	}
	return db.editKiosk(id, func(_ *wtx, k *survey.Kiosk) error {
		k.Name = name
		return nil
	})
}

// RepairKiosk issues a new one-time pairing code for a kiosk, replacing any
// unused one and reinstating a revoked kiosk. Errors: ENOTFOUND.
func (db *DB) RepairKiosk(id string) (string, error) {
	code := survey.NewSecret()
	err := db.editKiosk(id, func(tx *wtx, k *survey.Kiosk) error {
		if err := tx.deleteSecret(k.PairHash); err != nil {
			return err
		}
		k.PairHash, k.Revoked = survey.HashSecret(code), false
		return tx.putSecret(k.PairHash, secretPair, k.ID)
	})
	if err != nil {
		return "", err
	}
	return code, nil
}

// RevokeKiosk stops a kiosk at once: its device key and unused pairing code
// are deleted. Errors: ENOTFOUND.
func (db *DB) RevokeKiosk(id string) error {
	return db.editKiosk(id, func(tx *wtx, k *survey.Kiosk) error {
		for _, h := range [][]byte{k.PairHash, k.KeyHash} {
			if err := tx.deleteSecret(h); err != nil {
				return err
			}
		}
		k.PairHash, k.KeyHash, k.Revoked = nil, nil, true
		return nil
	})
}

// editKiosk changes a kiosk record read inside the write transaction.
func (db *DB) editKiosk(id string, fn func(*wtx, *survey.Kiosk) error) error {
	return db.update(func(tx *wtx) error {
		var k survey.Kiosk
		if err := tx.getKiosk(id, &k); err != nil {
			return err
		}
		if err := fn(tx, &k); err != nil {
			return err
		}
		return tx.putDoc("kiosks", id, k)
	})
}

func (tx *wtx) getKiosk(id string, k *survey.Kiosk) error {
	var b []byte
	err := tx.queryRow("SELECT doc FROM kiosks WHERE id = $1", id).Scan(&b)
	if isNoRows(err) {
		return survey.Errorf(survey.ENOTFOUND, "Ki-ốt %q không tồn tại. / Unknown kiosk %q.", id, id)
	} else if err != nil {
		return err
	}
	return json.Unmarshal(b, k)
}

// KioskSeen records a kiosk's heartbeat (see survey.KioskService); the
// write is skipped when the stored record was seen less than
// KioskSeenEvery ago with the same queue and version. Errors: ENOTFOUND,
// EINVALID.
func (db *DB) KioskSeen(id string, queue int, version string, at time.Time) error {
	if queue < 0 {
		return survey.FieldError("queue", "Số phiếu chờ gửi không được âm. / queue must not be negative.")
	}
	if !utf8.ValidString(version) || utf8.RuneCountInString(version) > survey.MaxKioskVersion ||
		strings.IndexFunc(version, unicode.IsControl) >= 0 {
		return survey.FieldError("version", "Phiên bản không hợp lệ (tối đa %d ký tự). / Invalid version (at most %d characters).", survey.MaxKioskVersion, survey.MaxKioskVersion)
	}
	stored := db.snap().kiosks[id]
	if stored == nil {
		return survey.Errorf(survey.ENOTFOUND, "Ki-ốt %q không tồn tại. / Unknown kiosk %q.", id, id)
	}
	at = at.UTC()
	if !stored.LastSeen.IsZero() && at.Sub(stored.LastSeen) < survey.KioskSeenEvery &&
		stored.Queue == queue && stored.Version == version {
		o := &db.seen
		o.mu.Lock()
		if cur, ok := o.m[id]; !ok || at.After(cur.LastSeen) {
			o.m[id] = survey.Kiosk{LastSeen: at, Queue: queue, Version: version}
		}
		o.mu.Unlock()
		return nil
	}
	// A fleet's heartbeats must not make every server reload its caches:
	// this write sends no notification, this server patches its snapshot,
	// and the others see the new values within CacheTTL.
	return db.update(func(tx *wtx) error {
		var k survey.Kiosk
		if err := tx.getKiosk(id, &k); err != nil {
			return err
		}
		if at.After(k.LastSeen) {
			k.LastSeen = at
		}
		k.Queue, k.Version = queue, version
		b, err := json.Marshal(k)
		if err != nil {
			return err
		}
		if _, err := tx.exec("UPDATE kiosks SET doc = $2 WHERE id = $1", id, b); err != nil {
			return err
		}
		tx.onCommit(func() { db.cache.patchKiosk(k) })
		return nil
	})
}
