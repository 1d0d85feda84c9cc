package survey

import (
	"time"
)

// ErrLastAdmin refuses a change that would leave no enabled administrator.
var ErrLastAdmin = &Error{Code: ECONFLICT, Message: "Không thể thực hiện: hệ thống phải còn ít nhất một quản trị viên đang hoạt động. / Refused: the installation must keep at least one enabled administrator."}

// MinAdminPassword is the shortest password the admin pages accept.
const MinAdminPassword = 10

// Roles.
const (
	RoleAdmin     = "admin"
	RoleManager   = "manager"
	RoleReception = "reception"
	RoleViewer    = "viewer"
)

// ValidRole reports whether r is a known role.
func ValidRole(r string) bool {
	return r == RoleAdmin || r == RoleManager || r == RoleReception || r == RoleViewer
}

// User is a login. The password is stored as a bcrypt hash.
type User struct {
	Username     string    `json:"username"`
	Role         string    `json:"role"`
	Unit         string    `json:"unit,omitempty"` // subtree covered; empty = every unit
	PasswordHash []byte    `json:"password_hash"`
	Disabled     bool      `json:"disabled,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
	// Email receives the alerts of new and escalated cases in the user's
	// subtree and the weekly digest, unless NoAlerts or NoDigest (set by
	// the one-click unsubscribe link or the user page).
	Email    string `json:"email,omitempty"`
	NoAlerts bool   `json:"no_alerts,omitempty"`
	NoDigest bool   `json:"no_digest,omitempty"`
}

// Validate checks the user's fields.
func (u *User) Validate() error {
	if e := CheckID("username", u.Username); e != nil {
		return e
	}
	if !ValidRole(u.Role) {
		return FieldError("role", "Vai trò phải là admin, manager, reception hoặc viewer. / Role must be admin, manager, reception or viewer.")
	}
	if u.Unit != "" {
		if e := CheckID("unit", u.Unit); e != nil {
			return e
		}
	}
	return nil
}

// Token is an API token, stored as a SHA-256 hash of its secret.
type Token struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Role      string    `json:"role"`
	Unit      string    `json:"unit,omitempty"`
	Hash      []byte    `json:"hash"`
	Revoked   bool      `json:"revoked,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Validate checks the token's fields.
func (t *Token) Validate() error {
	if t.Role != RoleViewer && t.Role != RoleReception && t.Role != RoleManager && t.Role != RoleAdmin {
		return FieldError("role", "Vai trò không hợp lệ. / Invalid role.")
	}
	if t.Unit != "" {
		if e := CheckID("unit", t.Unit); e != nil {
			return e
		}
	}
	return CheckName("name", t.Name, 100)
}
