package bolt

import (
	"encoding/json"
	"fmt"
	"hailong/survey"
	"sort"
	"strings"

	bbolt "go.etcd.io/bbolt"
	"golang.org/x/crypto/bcrypt"
)

// Secret kinds in the secrets bucket.
const (
	secretPair   = "kp:" // one-time kiosk pairing code
	secretDevice = "kd:" // long-lived kiosk device key
)

// User returns the login username, or nil.
func (db *DB) User(username string) *survey.User {
	var u *survey.User
	_ = db.bolt.View(func(tx *bbolt.Tx) error {
		u = getUser(tx, username)
		return nil
	})
	return u
}

func getUser(tx *bbolt.Tx, username string) *survey.User {
	v := tx.Bucket(bUsers).Get([]byte(username))
	if v == nil {
		return nil
	}
	u := &survey.User{}
	if json.Unmarshal(v, u) != nil {
		return nil
	}
	return u
}

// AddToken creates an API token and returns its secret (shown once).
// Errors: EINVALID.
func (db *DB) AddToken(t survey.Token) (string, error) {
	if err := t.Validate(); err != nil {
		return "", err
	}
	if t.Unit != "" && db.Unit(t.Unit) == nil {
		return "", survey.FieldError("unit", "Đơn vị %q không tồn tại. / Unknown unit %q.", t.Unit, t.Unit)
	}
	secret := "hl_" + survey.NewSecret()
	t.Hash = survey.HashSecret(secret)
	t.CreatedAt = db.opts.Now().UTC()
	err := db.update(func(tx *bbolt.Tx) error {
		seq, err := tx.Bucket(bTokens).NextSequence()
		if err != nil {
			return err
		}
		t.ID = "t" + survey.Itoa(int(seq))
		b, err := json.Marshal(t)
		if err != nil {
			return err
		}
		return tx.Bucket(bTokens).Put(t.Hash, b)
	})
	return secret, err
}

// TokenBySecret returns the unrevoked token with this secret, or nil.
func (db *DB) TokenBySecret(secret string) (*survey.Token, error) {
	if !strings.HasPrefix(secret, "hl_") {
		return nil, nil
	}
	var t *survey.Token
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		if v := tx.Bucket(bTokens).Get(survey.HashSecret(secret)); v != nil {
			t = &survey.Token{}
			return json.Unmarshal(v, t)
		}
		return nil
	})
	if err != nil || t == nil || t.Revoked {
		return nil, err
	}
	return t, nil
}

func sortStrings(s []string) []string {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s
}

// CreateUser adds a login with a bcrypt-hashed password; it never replaces
// one.
// Errors: EINVALID; ECONFLICT when the username is taken.
func (db *DB) CreateUser(u survey.User, password string) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if u.Unit != "" && db.Unit(u.Unit) == nil {
		return survey.FieldError("unit", "Đơn vị %q không tồn tại. / Unknown unit %q.", u.Unit, u.Unit)
	}
	if err := checkPassword(password); err != nil {
		return err
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return err
	}
	u.PasswordHash, u.CreatedAt = h, db.opts.Now().UTC()
	return db.update(func(tx *bbolt.Tx) error {
		if getUser(tx, u.Username) != nil {
			return &survey.Error{Code: survey.ECONFLICT, Field: "username", Message: "Tên đăng nhập đã có người dùng. / This username is taken."}
		}
		return putJSON(tx, bUsers, u.Username, u)
	})
}

// UpdateUser changes a login's role, unit and disabled state and ends its
// sessions. It refuses to disable or demote the last enabled administrator
// (an installation that has none yet is not blocked).
// Errors: ENOTFOUND, EINVALID, ECONFLICT (ErrLastAdmin).
func (db *DB) UpdateUser(username, role, unit string, disabled bool) error {
	if unit != "" && db.Unit(unit) == nil {
		return survey.FieldError("unit", "Đơn vị %q không tồn tại. / Unknown unit %q.", unit, unit)
	}
	return db.update(func(tx *bbolt.Tx) error {
		u := getUser(tx, username)
		if u == nil {
			return survey.Errorf(survey.ENOTFOUND, "Tài khoản %q không tồn tại. / No account %q.", username, username)
		}
		wasAdmin := u.Role == survey.RoleAdmin && !u.Disabled
		u.Role, u.Unit, u.Disabled = role, unit, disabled
		if err := u.Validate(); err != nil {
			return err
		}
		if err := putJSON(tx, bUsers, username, u); err != nil {
			return err
		}
		if wasAdmin && enabledAdmins(tx) == 0 {
			return survey.ErrLastAdmin
		}
		return deleteUserSessions(tx, username, nil)
	})
}

// DeleteUser deletes a login and its sessions, refusing to delete the last
// enabled administrator. Errors: ENOTFOUND, ECONFLICT (ErrLastAdmin).
func (db *DB) DeleteUser(username string) error {
	return db.update(func(tx *bbolt.Tx) error {
		u := getUser(tx, username)
		if u == nil {
			return survey.Errorf(survey.ENOTFOUND, "Tài khoản %q không tồn tại. / No account %q.", username, username)
		}
		if err := tx.Bucket(bUsers).Delete([]byte(username)); err != nil {
			return err
		}
		if u.Role == survey.RoleAdmin && !u.Disabled && enabledAdmins(tx) == 0 {
			return survey.ErrLastAdmin
		}
		return deleteUserSessions(tx, username, nil)
	})
}

func enabledAdmins(tx *bbolt.Tx) int {
	n := 0
	_ = tx.Bucket(bUsers).ForEach(func(_, v []byte) error {
		var u survey.User
		if json.Unmarshal(v, &u) == nil && u.Role == survey.RoleAdmin && !u.Disabled {
			n++
		}
		return nil
	})
	return n
}

// dummyHash is compared against when a login names no account, so that a
// wrong username costs the same time as a wrong password.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("hailong-no-such-user"), bcrypt.DefaultCost)

// CheckPassword returns the enabled user whose password matches, or nil.
func (db *DB) CheckPassword(username, password string) *survey.User {
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
func (db *DB) Users() []survey.User {
	var out []survey.User
	_ = db.bolt.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bUsers).ForEach(func(k, v []byte) error {
			var u survey.User
			if json.Unmarshal(v, &u) == nil {
				out = append(out, u)
			}
			return nil
		})
	})
	return out
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
		keep = survey.HashSecret(keepSession)
	}
	return db.update(func(tx *bbolt.Tx) error {
		u := getUser(tx, username)
		if u == nil {
			return survey.Errorf(survey.ENOTFOUND, "Tài khoản %q không tồn tại. / No account %q.", username, username)
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
		return survey.FieldError("password", "Mật khẩu cần từ 8 ký tự (tối đa 72 byte). / The password needs at least 8 characters (at most 72 bytes).")
	}
	return nil
}

// Tokens returns every API token (hashes included, never secrets), by id.
func (db *DB) Tokens() []survey.Token {
	var out []survey.Token
	_ = db.bolt.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bTokens).ForEach(func(k, v []byte) error {
			var t survey.Token
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
	return db.update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bTokens)
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var t survey.Token
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
		return survey.Errorf(survey.ENOTFOUND, "Mã truy cập %q không tồn tại. / No token %q.", id, id)
	})
}

// SetNotify sets a login's e-mail address ("" = none) and whether it
// receives the alerts of new cases and the weekly digest, audited (actor).
// Errors: ENOTFOUND, EINVALID (field "email").
func (db *DB) SetNotify(username, email string, alerts, digest bool, actor string) error {
	email = strings.TrimSpace(email)
	if email != "" && !survey.ValidEmail(email) {
		return survey.FieldError("email", "Địa chỉ thư điện tử không hợp lệ (ví dụ ten@example.vn). / Not an e-mail address (e.g. name@example.vn).")
	}
	return db.update(func(tx *bbolt.Tx) error {
		u := getUser(tx, username)
		if u == nil {
			return survey.Errorf(survey.ENOTFOUND, "Tài khoản %q không tồn tại. / No account %q.", username, username)
		}
		u.Email, u.NoAlerts, u.NoDigest = email, !alerts, !digest
		if err := putJSON(tx, bUsers, username, u); err != nil {
			return err
		}
		return putAudit(tx, db.opts.Now(), survey.AuditEntry{Actor: actor, Action: "user.notify", Target: username,
			Detail: fmt.Sprintf("email=%s alerts=%t digest=%t", email, alerts, digest)})
	})
}
