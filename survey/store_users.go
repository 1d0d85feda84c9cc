package survey

import (
	"encoding/json"
	"sort"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/crypto/bcrypt"
)

// dummyHash is compared against when a login names no account, so that a
// wrong username costs the same time as a wrong password.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("hailong-no-such-user"), bcrypt.DefaultCost)

// CheckPassword returns the enabled user whose password matches, or nil.
func (db *DB) CheckPassword(username, password string) *User {
	u := db.User(username)
	if u == nil || u.Disabled {
		_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		return nil
	}
	if bcrypt.CompareHashAndPassword(u.PasswordHash, []byte(password)) != nil {
		return nil
	}
	return u
}

// Users returns every login, by username.
func (db *DB) Users() []User {
	var out []User
	_ = db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bUsers).ForEach(func(k, v []byte) error {
			var u User
			if json.Unmarshal(v, &u) == nil {
				out = append(out, u)
			}
			return nil
		})
	})
	return out
}

// UpdateUser changes a login's role, unit and disabled state; its sessions
// end so the new rights apply at once. Errors: ENOTFOUND, EINVALID.
func (db *DB) UpdateUser(username, role, unit string, disabled bool) error {
	if unit != "" && db.Unit(unit) == nil {
		return FieldError("unit", "Đơn vị %q không tồn tại. / Unknown unit %q.", unit, unit)
	}
	return db.update(func(tx *bolt.Tx) error {
		u := getUser(tx, username)
		if u == nil {
			return Errorf(ENOTFOUND, "Tài khoản %q không tồn tại. / No account %q.", username, username)
		}
		u.Role, u.Unit, u.Disabled = role, unit, disabled
		if err := u.Validate(); err != nil {
			return err
		}
		if err := deleteUserSessions(tx, username, nil); err != nil {
			return err
		}
		return putJSON(tx, bUsers, username, u)
	})
}

// SetPassword replaces a login's password and ends its other sessions
// (keepSession is the id of the one to keep, or ""). Errors: ENOTFOUND, EINVALID.
func (db *DB) SetPassword(username, password, keepSession string) error {
	if err := checkPassword(password); err != nil {
		return err
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return err
	}
	var keep []byte
	if keepSession != "" {
		keep = HashSecret(keepSession)
	}
	return db.update(func(tx *bolt.Tx) error {
		u := getUser(tx, username)
		if u == nil {
			return Errorf(ENOTFOUND, "Tài khoản %q không tồn tại. / No account %q.", username, username)
		}
		u.PasswordHash = h
		if err := deleteUserSessions(tx, username, keep); err != nil {
			return err
		}
		return putJSON(tx, bUsers, username, u)
	})
}

func checkPassword(password string) error {
	if n := len([]rune(password)); n < 8 || len(password) > 72 {
		return FieldError("password", "Mật khẩu cần từ 8 ký tự (tối đa 72 byte). / The password needs at least 8 characters (at most 72 bytes).")
	}
	return nil
}

// DeleteUser removes a login and its sessions. Errors: ENOTFOUND.
func (db *DB) DeleteUser(username string) error {
	return db.update(func(tx *bolt.Tx) error {
		if getUser(tx, username) == nil {
			return Errorf(ENOTFOUND, "Tài khoản %q không tồn tại. / No account %q.", username, username)
		}
		if err := deleteUserSessions(tx, username, nil); err != nil {
			return err
		}
		return tx.Bucket(bUsers).Delete([]byte(username))
	})
}

// Tokens returns every API token (hashes included, never secrets), by id.
func (db *DB) Tokens() []Token {
	var out []Token
	_ = db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bTokens).ForEach(func(k, v []byte) error {
			var t Token
			if json.Unmarshal(v, &t) == nil {
				out = append(out, t)
			}
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool {
		return len(out[i].ID) < len(out[j].ID) || len(out[i].ID) == len(out[j].ID) && out[i].ID < out[j].ID
	})
	return out
}

// RevokeToken revokes the token with this id; every later request with it
// gets 401 (tokens are looked up on each request). Errors: ENOTFOUND.
func (db *DB) RevokeToken(id string) error {
	return db.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bTokens)
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var t Token
			if json.Unmarshal(v, &t) != nil || t.ID != id {
				continue
			}
			t.Revoked = true
			nb, err := json.Marshal(t)
			if err != nil {
				return err
			}
			return b.Put(append([]byte(nil), k...), nb)
		}
		return Errorf(ENOTFOUND, "Mã truy cập %q không tồn tại. / No token %q.", id, id)
	})
}
