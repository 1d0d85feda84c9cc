package pg

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"golang.org/x/crypto/bcrypt"

	"hailong/survey"
)

// Logins and API tokens, as survey/bolt/users.go. Users are read from the
// table at every call (no cache): a disabled login stops at once on every
// server.

func scanUser(row pgx.Row) *survey.User {
	u, _ := scanUserErr(row) // nil answers both "no such user" and "not asked"
	return u
}

// scanUserErr tells an unknown user (nil, nil) from a database that could
// not be asked (an error).
func scanUserErr(row pgx.Row) (*survey.User, error) {
	var b []byte
	if err := row.Scan(&b); err != nil {
		if isNoRows(err) {
			return nil, nil
		}
		return nil, err
	}
	u := &survey.User{}
	if err := json.Unmarshal(b, u); err != nil {
		return nil, err
	}
	return u, nil
}

// User returns the login username, or nil.
func (db *DB) User(username string) *survey.User {
	return scanUser(db.pool.QueryRow(ctx(), "SELECT doc FROM users WHERE username = $1", username))
}

func (tx *wtx) user(username string) *survey.User {
	return scanUser(tx.queryRow("SELECT doc FROM users WHERE username = $1", username))
}

func (tx *wtx) putUser(u *survey.User) error {
	b, err := json.Marshal(u)
	if err != nil {
		return err
	}
	_, err = tx.exec("INSERT INTO users (username, doc) VALUES ($1, $2) ON CONFLICT (username) DO UPDATE SET doc = excluded.doc", u.Username, b)
	return err
}

// Users returns every login, by username.
func (db *DB) Users() []survey.User {
	return docs[survey.User](db, "SELECT doc FROM users ORDER BY username")
}

// docs decodes the JSON documents a query returns.
func docs[T any](db *DB, sql string, args ...any) []T {
	rows, err := db.pool.Query(ctx(), sql, args...)
	if err != nil {
		db.log.Error("query", "sql", sql, "err", err)
		return nil
	}
	var out []T
	var b []byte
	_, err = pgx.ForEachRow(rows, []any{&b}, func() error {
		var x T
		if json.Unmarshal(b, &x) == nil {
			out = append(out, x)
		}
		return nil
	})
	if err != nil {
		db.log.Error("query", "sql", sql, "err", err)
	}
	return out
}

// CreateUser adds a login with a bcrypt-hashed password; it never replaces
// one. Errors: EINVALID; ECONFLICT when the username is taken.
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
	return db.update(func(tx *wtx) error {
		if tx.user(u.Username) != nil {
			return &survey.Error{Code: survey.ECONFLICT, Field: "username", Message: "Tên đăng nhập đã có người dùng. / This username is taken."}
		}
		return tx.putUser(&u)
	})
}

// UpdateUser changes a login's role, unit and disabled state and ends its
// sessions; never the last enabled administrator's. Errors: ENOTFOUND,
// EINVALID, ECONFLICT (ErrLastAdmin).
func (db *DB) UpdateUser(username, role, unit string, disabled bool) error {
	if unit != "" && db.Unit(unit) == nil {
		return survey.FieldError("unit", "Đơn vị %q không tồn tại. / Unknown unit %q.", unit, unit)
	}
	return db.update(func(tx *wtx) error {
		u := tx.user(username)
		if u == nil {
			return survey.Errorf(survey.ENOTFOUND, "Tài khoản %q không tồn tại. / No account %q.", username, username)
		}
		wasAdmin := u.Role == survey.RoleAdmin && !u.Disabled
		u.Role, u.Unit, u.Disabled = role, unit, disabled
		if err := u.Validate(); err != nil {
			return err
		}
		if err := tx.putUser(u); err != nil {
			return err
		}
		if err := tx.lastAdmin(wasAdmin); err != nil {
			return err
		}
		return tx.deleteSessions(username, nil)
	})
}

// lastAdmin refuses a change that leaves no enabled administrator when
// there was one.
func (tx *wtx) lastAdmin(wasAdmin bool) error {
	if !wasAdmin {
		return nil
	}
	var n int
	if err := tx.queryRow(`SELECT count(*) FROM users WHERE doc->>'role' = $1 AND NOT coalesce((doc->>'disabled')::boolean, false)`,
		survey.RoleAdmin).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return survey.ErrLastAdmin
	}
	return nil
}

// DeleteUser deletes a login and its sessions, never the last enabled
// administrator. Errors: ENOTFOUND, ECONFLICT (ErrLastAdmin).
func (db *DB) DeleteUser(username string) error {
	return db.update(func(tx *wtx) error {
		u := tx.user(username)
		if u == nil {
			return survey.Errorf(survey.ENOTFOUND, "Tài khoản %q không tồn tại. / No account %q.", username, username)
		}
		if _, err := tx.exec("DELETE FROM users WHERE username = $1", username); err != nil {
			return err
		}
		if err := tx.lastAdmin(u.Role == survey.RoleAdmin && !u.Disabled); err != nil {
			return err
		}
		return tx.deleteSessions(username, nil)
	})
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

// SetPassword replaces a login's password and ends its other sessions.
// Errors: ENOTFOUND, EINVALID.
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
	return db.update(func(tx *wtx) error {
		u := tx.user(username)
		if u == nil {
			return survey.Errorf(survey.ENOTFOUND, "Tài khoản %q không tồn tại. / No account %q.", username, username)
		}
		u.PasswordHash = h
		if err := tx.deleteSessions(username, keep); err != nil {
			return err
		}
		return tx.putUser(u)
	})
}

func checkPassword(password string) error {
	if n := len([]rune(password)); n < 8 || len(password) > 72 {
		return survey.FieldError("password", "Mật khẩu cần từ 8 ký tự (tối đa 72 byte). / The password needs at least 8 characters (at most 72 bytes).")
	}
	return nil
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
	err := db.update(func(tx *wtx) error {
		var n int
		if err := tx.queryRow("SELECT count(*) FROM tokens").Scan(&n); err != nil {
			return err
		}
		t.ID = "t" + survey.Itoa(n+1)
		b, err := json.Marshal(t)
		if err != nil {
			return err
		}
		_, err = tx.exec("INSERT INTO tokens (hash, id, doc) VALUES ($1, $2, $3)", t.Hash, t.ID, b)
		tx.changed() // every server's cached tokens
		return err
	})
	return secret, err
}

// TokenBySecret returns the unrevoked token with this secret, or nil. It
// answers from the cached snapshot (no round trip per request): adding or
// revoking a token notifies every server, and a snapshot is at most
// CacheTTL old if a notification was lost.
func (db *DB) TokenBySecret(secret string) (*survey.Token, error) {
	if !strings.HasPrefix(secret, "hl_") {
		return nil, nil
	}
	s, err := db.snapOrErr()
	if err != nil {
		return nil, err
	}
	t := s.tokens[string(survey.HashSecret(secret))]
	if t == nil || t.Revoked {
		return nil, nil
	}
	x := *t
	return &x, nil
}

// Tokens returns every API token (hashes included, never secrets), by id.
func (db *DB) Tokens() []survey.Token {
	return docs[survey.Token](db, "SELECT doc FROM tokens ORDER BY length(id), id")
}

// RevokeToken revokes the token with this id. Errors: ENOTFOUND.
func (db *DB) RevokeToken(id string) error {
	return db.update(func(tx *wtx) error {
		tag, err := tx.exec("UPDATE tokens SET doc = jsonb_set(doc, '{revoked}', 'true') WHERE id = $1", id)
		if err == nil && tag.RowsAffected() == 0 {
			return survey.Errorf(survey.ENOTFOUND, "Mã truy cập %q không tồn tại. / No token %q.", id, id)
		}
		tx.changed() // every server's cached tokens
		return err
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
	return db.update(func(tx *wtx) error {
		u := tx.user(username)
		if u == nil {
			return survey.Errorf(survey.ENOTFOUND, "Tài khoản %q không tồn tại. / No account %q.", username, username)
		}
		u.Email, u.NoAlerts, u.NoDigest = email, !alerts, !digest
		if err := tx.putUser(u); err != nil {
			return err
		}
		return tx.audit(survey.AuditEntry{Actor: actor, Action: "user.notify", Target: username,
			Detail: fmt.Sprintf("email=%s alerts=%t digest=%t", email, alerts, digest)})
	})
}
