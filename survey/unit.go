package survey

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxPhotoBytes bounds a staff photo.
const MaxPhotoBytes = 512 << 10

// KioskSeenEvery is how often a kiosk's heartbeat reaches the disk when
// nothing else changed: heartbeats in between only refresh the cache.
const KioskSeenEvery = 30 * time.Second

// MaxKioskVersion bounds the app version a kiosk reports.
const MaxKioskVersion = 64

// slugRE is the form of every stable identifier: units, groups, counters,
// staff, kiosks, survey keys and criterion keys.
var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// ValidID reports whether s is a well-formed identifier (lower-case slug).
func ValidID(s string) bool { return slugRE.MatchString(s) }

func CheckID(field, s string) error {
	if s == "" {
		return FieldError(field, "Thiếu mã. / Missing identifier.")
	}
	if !ValidID(s) {
		return FieldError(field, "Mã %q không hợp lệ: chỉ dùng chữ thường không dấu, số, '-' và '_' (tối đa 64 ký tự). / Invalid identifier: use lower-case ASCII letters, digits, '-' and '_'.", s)
	}
	return nil
}

func CheckName(field, s string, max int) error {
	if strings.TrimSpace(s) == "" {
		return FieldError(field, "Thiếu tên. / Name is required.")
	}
	if !utf8.ValidString(s) {
		return FieldError(field, "Tên không phải UTF-8 hợp lệ. / Name is not valid UTF-8.")
	}
	if utf8.RuneCountInString(s) > max {
		return FieldError(field, "Tên dài quá %d ký tự. / Name longer than %d characters.", max, max)
	}
	return nil
}

// Unit is a node of the organisation tree: province, agency, department.
// Agencies belong to a Group (khối) within which they are ranked.
type Unit struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Parent string `json:"parent,omitempty"`
	Group  string `json:"group,omitempty"`
}

// Validate checks the unit's own fields (not that parent or group exist).
func (u *Unit) Validate() error {
	if e := CheckID("id", u.ID); e != nil {
		return e
	}
	if e := CheckName("name", u.Name, 200); e != nil {
		return e
	}
	if u.Parent != "" {
		if e := CheckID("parent", u.Parent); e != nil {
			return e
		}
		if u.Parent == u.ID {
			return FieldError("parent", "Đơn vị không thể là cấp trên của chính nó. / A unit cannot be its own parent.")
		}
	}
	if u.Group != "" {
		if e := CheckID("group", u.Group); e != nil {
			return e
		}
	}
	return nil
}

// Group is a peer group of agencies (khối Sở, khối xã/phường, …).
type Group struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Counter (quầy) is a service counter of a unit.
type Counter struct {
	ID   string `json:"id"`
	Unit string `json:"unit"`
	Name string `json:"name"`
}

// Validate checks the counter's fields.
func (c *Counter) Validate() error {
	if e := CheckID("id", c.ID); e != nil {
		return e
	}
	if e := CheckID("unit", c.Unit); e != nil {
		return e
	}
	return CheckName("name", c.Name, 100)
}

// Staff is a civil servant (công chức) of a unit, who may sign on at a counter.
type Staff struct {
	ID       string `json:"id"`
	Unit     string `json:"unit"`
	Name     string `json:"name"`
	Position string `json:"position,omitempty"`
	Photo    string `json:"photo,omitempty"` // content hash of an uploaded photo
	Counter  string `json:"counter,omitempty"`
}

// Validate checks the staff member's fields.
func (s *Staff) Validate() error {
	if e := CheckID("id", s.ID); e != nil {
		return e
	}
	if e := CheckID("unit", s.Unit); e != nil {
		return e
	}
	if e := CheckName("name", s.Name, 100); e != nil {
		return e
	}
	if utf8.RuneCountInString(s.Position) > 100 {
		return FieldError("position", "Chức vụ dài quá 100 ký tự. / Position longer than 100 characters.")
	}
	return nil
}

// Kiosk is a paired device bound to a unit and optionally a counter. The
// device key and the one-time pairing code are stored only as hashes.
type Kiosk struct {
	ID        string    `json:"id"`
	Unit      string    `json:"unit"`
	Counter   string    `json:"counter,omitempty"`
	Name      string    `json:"name"`
	PairHash  []byte    `json:"pair_hash,omitempty"`
	KeyHash   []byte    `json:"key_hash,omitempty"`
	PairedAt  time.Time `json:"paired_at,omitempty"`
	LastSeen  time.Time `json:"last_seen,omitempty"`
	Queue     int       `json:"queue,omitempty"` // queue depth the device last reported
	Revoked   bool      `json:"revoked,omitempty"`
	Version   string    `json:"version,omitempty"` // kiosk app version the device last reported
	CreatedAt time.Time `json:"created_at"`
}

// Validate checks the kiosk's fields.
func (k *Kiosk) Validate() error {
	if e := CheckID("id", k.ID); e != nil {
		return e
	}
	if e := CheckID("unit", k.Unit); e != nil {
		return e
	}
	if k.Counter != "" {
		if e := CheckID("counter", k.Counter); e != nil {
			return e
		}
	}
	return CheckName("name", k.Name, 100)
}
