package survey

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"strings"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/crypto/bcrypt"
)

// Survey returns version v of survey key (v = 0: the current version), or nil.
func (db *DB) Survey(key string, v int) *Survey {
	db.mu.RLock()
	defer db.mu.RUnlock()
	vs := db.surveys[key]
	if len(vs) == 0 {
		return nil
	}
	if v == 0 {
		return vs[len(vs)-1]
	}
	if v < 1 || v > len(vs) {
		return nil
	}
	return vs[v-1]
}

// SurveyKeys returns the keys of every survey.
func (db *DB) SurveyKeys() []string {
	db.mu.RLock()
	defer db.mu.RUnlock()
	var out []string
	for k := range db.surveys {
		out = append(out, k)
	}
	return sortStrings(out)
}

// AddSurveyVersion stores s as the next version of its survey. Old versions
// stay; responses keep the version they answered. Errors: EINVALID.
func (db *DB) AddSurveyVersion(s *Survey) error {
	base := 0
	if cur := db.Survey(s.Key, 0); cur != nil {
		base = cur.Version
	}
	return db.AddSurveyVersionAfter(s, base)
}

func surveyKey(key string, v int) []byte {
	b := append([]byte(key), 0, 0, 0, 0, 0)
	binary.BigEndian.PutUint32(b[len(key)+1:], uint32(v))
	return b
}

func putSurvey(tx *bolt.Tx, s *Survey) error {
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return tx.Bucket(bSurveys).Put(surveyKey(s.Key, s.Version), b)
}

// Kiosk returns the kiosk with id, or nil.
func (db *DB) Kiosk(id string) *Kiosk {
	db.mu.RLock()
	defer db.mu.RUnlock()
	if k := db.kiosks[id]; k != nil {
		x := *k
		return &x
	}
	return nil
}

// Kiosks returns every kiosk.
func (db *DB) Kiosks() []Kiosk {
	db.mu.RLock()
	defer db.mu.RUnlock()
	var out []Kiosk
	for _, k := range db.kiosks {
		out = append(out, *k)
	}
	return out
}

// Secret kinds in the secrets bucket.
const (
	secretPair   = "kp:" // one-time kiosk pairing code
	secretDevice = "kd:" // long-lived kiosk device key
)

// AddKiosk creates a kiosk and returns its one-time pairing code.
// Errors: EINVALID, ECONFLICT if the id is taken.
func (db *DB) AddKiosk(k Kiosk) (pairCode string, err error) {
	if err := k.Validate(); err != nil {
		return "", err
	}
	if db.Unit(k.Unit) == nil {
		return "", FieldError("unit", "Đơn vị %q không tồn tại. / Unknown unit %q.", k.Unit, k.Unit)
	}
	if k.Counter != "" {
		if c := db.Counter(k.Counter); c == nil || c.Unit != k.Unit {
			return "", FieldError("counter", "Quầy %q không thuộc đơn vị %q. / Counter %q is not a counter of unit %q.", k.Counter, k.Unit, k.Counter, k.Unit)
		}
	}
	if db.Kiosk(k.ID) != nil {
		return "", &Error{Code: ECONFLICT, Field: "id", Message: "Mã ki-ốt đã tồn tại. / A kiosk with this id exists."}
	}
	pairCode = NewSecret()
	k.PairHash = HashSecret(pairCode)
	k.CreatedAt = db.opts.Now().UTC()
	err = db.update(func(tx *bolt.Tx) error {
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
func (db *DB) KioskByPairCode(code string) *Kiosk {
	h := HashSecret(code)
	var id string
	_ = db.bolt.View(func(tx *bolt.Tx) error {
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
func (db *DB) PairKiosk(code string) (*Kiosk, string, error) {
	h := HashSecret(code)
	key := NewSecret()
	var k Kiosk
	err := db.update(func(tx *bolt.Tx) error {
		sec := tx.Bucket(bSecrets)
		v := sec.Get(h)
		if v == nil || !bytes.HasPrefix(v, []byte(secretPair)) {
			return &Error{Code: ENOTFOUND, Message: "Mã ghép nối không đúng hoặc đã được dùng. / The pairing link is wrong or was already used."}
		}
		raw := tx.Bucket(bKiosks).Get(v[len(secretPair):])
		if raw == nil {
			return &Error{Code: ENOTFOUND, Message: "Ki-ốt không còn tồn tại. / The kiosk no longer exists."}
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
		k.PairHash, k.KeyHash, k.PairedAt = nil, HashSecret(key), db.opts.Now().UTC()
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
func (db *DB) KioskByKey(key string) *Kiosk {
	h := HashSecret(key)
	var id string
	_ = db.bolt.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bSecrets).Get(h); bytes.HasPrefix(v, []byte(secretDevice)) {
			id = string(v[len(secretDevice):])
		}
		return nil
	})
	if k := db.Kiosk(id); k != nil && !k.Revoked && bytes.Equal(k.KeyHash, h) {
		return k
	}
	return nil
}

// AddUser creates or replaces a login with a bcrypt-hashed password.
// Errors: EINVALID.
func (db *DB) AddUser(u User, password string) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if u.Unit != "" && db.Unit(u.Unit) == nil {
		return FieldError("unit", "Đơn vị %q không tồn tại. / Unknown unit %q.", u.Unit, u.Unit)
	}
	if n := len([]rune(password)); n < 8 || len(password) > 72 {
		return FieldError("password", "Mật khẩu cần từ 8 ký tự (tối đa 72 byte). / The password needs at least 8 characters (at most 72 bytes).")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return err
	}
	u.PasswordHash = h
	u.CreatedAt = db.opts.Now().UTC()
	return db.update(func(tx *bolt.Tx) error {
		if err := deleteUserSessions(tx, u.Username, nil); err != nil { // a replaced login starts afresh
			return err
		}
		return putJSON(tx, bUsers, u.Username, u)
	})
}

// User returns the login username, or nil.
func (db *DB) User(username string) *User {
	var u *User
	_ = db.bolt.View(func(tx *bolt.Tx) error {
		u = getUser(tx, username)
		return nil
	})
	return u
}

func getUser(tx *bolt.Tx, username string) *User {
	v := tx.Bucket(bUsers).Get([]byte(username))
	if v == nil {
		return nil
	}
	u := &User{}
	if json.Unmarshal(v, u) != nil {
		return nil
	}
	return u
}

// AddToken creates an API token and returns its secret (shown once).
// Errors: EINVALID.
func (db *DB) AddToken(t Token) (string, error) {
	if err := t.Validate(); err != nil {
		return "", err
	}
	if t.Unit != "" && db.Unit(t.Unit) == nil {
		return "", FieldError("unit", "Đơn vị %q không tồn tại. / Unknown unit %q.", t.Unit, t.Unit)
	}
	secret := "hl_" + NewSecret()
	t.Hash = HashSecret(secret)
	t.CreatedAt = db.opts.Now().UTC()
	err := db.update(func(tx *bolt.Tx) error {
		seq, err := tx.Bucket(bTokens).NextSequence()
		if err != nil {
			return err
		}
		t.ID = "t" + itoa(int(seq))
		b, err := json.Marshal(t)
		if err != nil {
			return err
		}
		return tx.Bucket(bTokens).Put(t.Hash, b)
	})
	return secret, err
}

// TokenBySecret returns the unrevoked token with this secret, or nil.
func (db *DB) TokenBySecret(secret string) *Token {
	if !strings.HasPrefix(secret, "hl_") {
		return nil
	}
	var t *Token
	_ = db.bolt.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bTokens).Get(HashSecret(secret)); v != nil {
			t = &Token{}
			return json.Unmarshal(v, t)
		}
		return nil
	})
	if t != nil && t.Revoked {
		return nil
	}
	return t
}

func sortStrings(s []string) []string {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s
}
