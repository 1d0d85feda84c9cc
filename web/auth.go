package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
)

// KioskCookie holds a paired kiosk's long-lived device key.
const KioskCookie = "hl_kiosk"

// Principal is who is calling: an API token, a paired kiosk or (later) a
// logged-in user.
type Principal struct {
	Kind  string // "token", "kiosk"
	Name  string
	Role  string // survey.Role*; kiosks submit like reception
	Unit  string // subtree covered; "" = every unit
	Kiosk *survey.Kiosk
}

// Covers reports whether the principal's subtree includes unit.
func (p *Principal) Covers(db *survey.DB, unit string) bool {
	return db.InSubtree(unit, p.Unit)
}

// Can reports whether the principal's role allows an action family.
func (p *Principal) Can(action string) bool {
	switch action {
	case "submit":
		return p.Role == survey.RoleAdmin || p.Role == survey.RoleReception
	case "read":
		return p.Role == survey.RoleAdmin || p.Role == survey.RoleManager || p.Role == survey.RoleViewer
	}
	return p.Role == survey.RoleAdmin
}

// Authenticate identifies the caller from "Authorization: Bearer <token>"
// or a paired kiosk's cookie. It returns EUNAUTHORIZED when neither is valid.
func Authenticate(db *survey.DB, c *fiber.Ctx) (*Principal, error) {
	if h := c.Get(fiber.HeaderAuthorization); h != "" {
		scheme, secret, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Bearer") || secret == "" {
			return nil, survey.Errorf(survey.EUNAUTHORIZED, "Tiêu đề Authorization phải có dạng 'Bearer <mã>'. / Authorization must be 'Bearer <token>'.")
		}
		t := db.TokenBySecret(strings.TrimSpace(secret))
		if t == nil {
			return nil, survey.Errorf(survey.EUNAUTHORIZED, "Mã truy cập không đúng hoặc đã bị thu hồi. / The API token is wrong or revoked.")
		}
		return &Principal{Kind: "token", Name: t.Name, Role: t.Role, Unit: t.Unit}, nil
	}
	if key := c.Cookies(KioskCookie); key != "" {
		if k := db.KioskByKey(key); k != nil {
			return &Principal{Kind: "kiosk", Name: k.Name, Role: survey.RoleReception, Unit: k.Unit, Kiosk: k}, nil
		}
		if db.Closing() {
			return nil, survey.ErrClosed
		}
		return nil, survey.Errorf(survey.EUNAUTHORIZED, "Thiết bị chưa được ghép nối hoặc đã bị thu hồi. / This device is not paired or was revoked.")
	}
	return nil, survey.Errorf(survey.EUNAUTHORIZED, "Cần đăng nhập hoặc mã truy cập. / Authentication required.")
}
