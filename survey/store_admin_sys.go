package survey

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"io"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/crypto/bcrypt"
)

// Store methods behind the installation's admin pages: survey versions and
// which survey each unit uses, settings, accounts that must keep one
// administrator, and online backups.

// Survey uses: the kiosk at the counter, and the receipt's QR form.
const (
	UseKiosk   = "kiosk"
	UseReceipt = "receipt"
)

// SurveyUseKey is the meta key naming the survey that unit's kiosks or
// receipts (use) answer: "survey_kiosk:<unit>", "survey_receipt:<unit>".
// The unit "" is the installation-wide choice.
func SurveyUseKey(use, unit string) string { return "survey_" + use + ":" + unit }

// DefaultSurveyFor is the built-in survey of a use: quay for kiosks, sipas
// for receipts.
func DefaultSurveyFor(use string) string {
	if use == UseReceipt {
		return SurveySipas
	}
	return SurveyQuay
}

// SurveyFor returns the key of the survey that unit's kiosks or receipts
// (use) answer: the setting of the unit or of its nearest ancestor, else the
// installation-wide setting, else the built-in default. A setting naming a
// survey that does not exist is skipped.
func (db *DB) SurveyFor(unit, use string) string {
	for i := 0; unit != "" && i < 64; i++ {
		if k := db.Meta(SurveyUseKey(use, unit)); k != "" && db.Survey(k, 0) != nil {
			return k
		}
		u := db.Unit(unit)
		if u == nil {
			break
		}
		unit = u.Parent
	}
	if k := db.Meta(SurveyUseKey(use, "")); k != "" && db.Survey(k, 0) != nil {
		return k
	}
	return DefaultSurveyFor(use)
}

// SetSurveyFor sets the survey of unit ("" = the whole installation) for
// use; key "" removes the setting, so the unit inherits. Errors: EINVALID.
func (db *DB) SetSurveyFor(unit, use, key string) error {
	if use != UseKiosk && use != UseReceipt {
		return FieldError("use", "Mục đích phải là kiosk hoặc receipt. / Use must be kiosk or receipt.")
	}
	if unit != "" && db.Unit(unit) == nil {
		return FieldError("unit", "Đơn vị %q không tồn tại. / Unknown unit %q.", unit, unit)
	}
	if key != "" && db.Survey(key, 0) == nil {
		return FieldError("survey", "Phiếu khảo sát %q không tồn tại. / Unknown survey %q.", key, key)
	}
	return db.SetSettings(map[string]string{SurveyUseKey(use, unit): key})
}

// MetaMisuseInterval is the setting of the kiosk misuse interval (a Go
// duration): a kiosk answer closer than this to the previous one from the
// same kiosk is flagged misuse.
const MetaMisuseInterval = "misuse_interval"

// Bounds of the misuse interval.
const (
	MinMisuseInterval = time.Second
	MaxMisuseInterval = 10 * time.Minute
)

// ParseMisuseInterval reads a misuse interval setting ("5s", or seconds).
func ParseMisuseInterval(v string) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	d, err := time.ParseDuration(v)
	if err != nil {
		d, err = time.ParseDuration(v + "s")
	}
	return d, err == nil && d >= MinMisuseInterval && d <= MaxMisuseInterval
}

// MisuseInterval returns the interval in force.
func (db *DB) MisuseInterval() time.Duration {
	db.wmu.Lock() // the writer reads it under wmu
	defer db.wmu.Unlock()
	return db.opts.MisuseInterval
}

// ApplySettings puts the stored settings that the store itself uses (the
// misuse interval) in force. Open should call it; SetSettings applies a
// change at once.
func (db *DB) ApplySettings() {
	if d, ok := ParseMisuseInterval(db.Meta(MetaMisuseInterval)); ok {
		db.wmu.Lock()
		db.opts.MisuseInterval = d
		db.wmu.Unlock()
	}
}

// SetSettings stores several settings in one transaction; an empty value
// removes its key. A valid misuse interval takes effect with the commit.
func (db *DB) SetSettings(kv map[string]string) error {
	return db.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bMeta)
		for k, v := range kv {
			var err error
			if v == "" {
				err = b.Delete([]byte("s:" + k))
			} else {
				err = b.Put([]byte("s:"+k), []byte(v))
			}
			if err != nil {
				return err
			}
		}
		if d, ok := ParseMisuseInterval(kv[MetaMisuseInterval]); ok {
			// Commit handlers run under wmu, where the writer reads it.
			tx.OnCommit(func() { db.opts.MisuseInterval = d })
		}
		return nil
	})
}

// AddSurveyVersionAfter stores s as the version after base, the version the
// editor started from. Old versions are never changed. Errors: EINVALID;
// ECONFLICT when another version was saved after base meanwhile.
func (db *DB) AddSurveyVersionAfter(s *Survey, base int) error {
	s.Version = base + 1
	s.CreatedAt = db.opts.Now().UTC()
	if err := s.Validate(); err != nil {
		return err
	}
	stored := *s
	return db.update(func(tx *bolt.Tx) error {
		if latestSurveyVersion(tx, s.Key) != base {
			return &Error{Code: ECONFLICT, Field: "base", Message: "Phiếu vừa được người khác lưu thành phiên bản mới; xin mở lại trang sửa. / Someone saved a newer version meanwhile: please reopen the editor."}
		}
		if err := putSurvey(tx, &stored); err != nil {
			return err
		}
		tx.OnCommit(func() { // under wmu: versions are appended in order
			db.mu.Lock()
			db.surveys[stored.Key] = append(db.surveys[stored.Key], &stored)
			db.mu.Unlock()
		})
		return nil
	})
}

// latestSurveyVersion is the highest stored version of survey key (0: none).
func latestSurveyVersion(tx *bolt.Tx, key string) int {
	c := tx.Bucket(bSurveys).Cursor()
	prefix := append([]byte(key), 0)
	v := 0
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if len(k) == len(prefix)+4 {
			v = int(binary.BigEndian.Uint32(k[len(prefix):]))
		}
	}
	return v
}

// ErrLastAdmin refuses a change that would leave no enabled administrator.
var ErrLastAdmin = &Error{Code: ECONFLICT, Message: "Không thể thực hiện: hệ thống phải còn ít nhất một quản trị viên đang hoạt động. / Refused: the installation must keep at least one enabled administrator."}

// MinAdminPassword is the shortest password the admin pages accept.
const MinAdminPassword = 10

// CreateUser adds a login; unlike AddUser it never replaces one.
// Errors: EINVALID; ECONFLICT when the username is taken.
func (db *DB) CreateUser(u User, password string) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if u.Unit != "" && db.Unit(u.Unit) == nil {
		return FieldError("unit", "Đơn vị %q không tồn tại. / Unknown unit %q.", u.Unit, u.Unit)
	}
	if len([]rune(password)) < MinAdminPassword || len(password) > 72 {
		return FieldError("password", "Mật khẩu cần từ %d ký tự (tối đa 72 byte). / The password needs at least %d characters (at most 72 bytes).", MinAdminPassword, MinAdminPassword)
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return err
	}
	u.PasswordHash, u.CreatedAt = h, db.opts.Now().UTC()
	return db.update(func(tx *bolt.Tx) error {
		if getUser(tx, u.Username) != nil {
			return &Error{Code: ECONFLICT, Field: "username", Message: "Tên đăng nhập đã có người dùng. / This username is taken."}
		}
		return putJSON(tx, bUsers, u.Username, u)
	})
}

// SetUserAccess changes a login's role, unit and disabled state and ends its
// sessions, refusing to leave no enabled administrator.
// Errors: ENOTFOUND, EINVALID, ECONFLICT (ErrLastAdmin).
func (db *DB) SetUserAccess(username, role, unit string, disabled bool) error {
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
		if err := putJSON(tx, bUsers, username, u); err != nil {
			return err
		}
		if enabledAdmins(tx) == 0 {
			return ErrLastAdmin
		}
		return deleteUserSessions(tx, username, nil)
	})
}

// RemoveUser deletes a login and its sessions, refusing to delete the last
// enabled administrator. Errors: ENOTFOUND, ECONFLICT (ErrLastAdmin).
func (db *DB) RemoveUser(username string) error {
	return db.update(func(tx *bolt.Tx) error {
		if getUser(tx, username) == nil {
			return Errorf(ENOTFOUND, "Tài khoản %q không tồn tại. / No account %q.", username, username)
		}
		if err := tx.Bucket(bUsers).Delete([]byte(username)); err != nil {
			return err
		}
		if enabledAdmins(tx) == 0 {
			return ErrLastAdmin
		}
		return deleteUserSessions(tx, username, nil)
	})
}

func enabledAdmins(tx *bolt.Tx) int {
	n := 0
	_ = tx.Bucket(bUsers).ForEach(func(_, v []byte) error {
		var u User
		if json.Unmarshal(v, &u) == nil && u.Role == RoleAdmin && !u.Disabled {
			n++
		}
		return nil
	})
	return n
}

// Snapshot is a consistent read-only view of the whole database for an
// online backup. It holds a read transaction, which does not block writers;
// Close it as soon as the copy is written.
type Snapshot struct {
	tx   *bolt.Tx
	size int64
}

// Snapshot begins a backup.
func (db *DB) Snapshot() (*Snapshot, error) {
	tx, err := db.bolt.Begin(false)
	if err != nil {
		return nil, err
	}
	return &Snapshot{tx: tx, size: tx.Size()}, nil
}

// Size is the size in bytes of the copy WriteTo writes.
func (s *Snapshot) Size() int64 { return s.size }

// WriteTo writes the copy: a valid bbolt file.
func (s *Snapshot) WriteTo(w io.Writer) (int64, error) { return s.tx.WriteTo(w) }

// Close ends the read transaction.
func (s *Snapshot) Close() error { return s.tx.Rollback() }
