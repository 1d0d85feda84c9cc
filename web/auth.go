package web

import (
	"crypto/subtle"
	"strings"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
)

// Cookie names.
const (
	KioskCookie   = "hl_kiosk"   // a paired kiosk's long-lived device key
	SessionCookie = "hl_session" // a logged-in user's session id
	CSRFField     = "_csrf"      // form field carrying the session's CSRF token
	CSRFHeader    = "X-CSRF-Token"
)

// Principal is who is calling: an API token, a logged-in user or a paired kiosk.
type Principal struct {
	Kind      string // "token", "user", "kiosk"
	ID        string // the token's id (tokens only; users and kiosks go by username and Kiosk.ID)
	Name      string // token name, username or kiosk name
	Role      string // survey.Role*; kiosks submit like reception
	Unit      string // subtree covered; "" = every unit
	Kiosk     *survey.Kiosk
	CSRF      string // the session's CSRF token (users only)
	SessionID string // the session cookie's value (users only)
}

// Actor names the principal in the audit log.
func (p *Principal) Actor() string {
	if p.Kind == "user" {
		return p.Name
	}
	return p.Kind + ":" + p.Name
}

// Device names the principal as the device that delivers responses
// (survey.Response.Device): the writer flags bursts per device by receive
// time. Two tokens of one name are two devices.
func (p *Principal) Device() string {
	switch {
	case p.Kind == "kiosk" && p.Kiosk != nil:
		return "kiosk:" + p.Kiosk.ID
	case p.Kind == "token":
		return "token:" + p.ID
	}
	return p.Kind + ":" + p.Name
}

// Covers reports whether the principal's subtree includes unit.
func (p *Principal) Covers(org survey.OrgService, unit string) bool {
	return org.InSubtree(unit, p.Unit)
}

// Actions checked by Can.
const (
	ActSubmit  = "submit"  // store a response (kiosks, reception, admin)
	ActReceipt = "receipt" // issue receipts, finish dossiers, sign staff on (people and tokens, not kiosks)
	ActRead    = "read"    // analytics, dashboards, reports, exports
	ActFlag    = "flag"    // change what counts: flag or unflag responses, decide proposals (admins)
	ActPropose = "propose" // propose a flag change for an administrator to decide
	ActManage  = "manage"  // counters, staff, improvement actions; see (not add or pair) kiosks of the subtree
	ActAdmin   = "admin"   // everything else: units, surveys, users, tokens, kiosks' pairing, settings, backups
	ActCases   = "cases"   // the citizens' cases (PAKN) of the subtree: managers, reception staff (not kiosks), admins
)

// The ranked party (docs/SECURITY.md "The ranked party"): a manager is
// ranked by the figures, so a manager may neither create what submits
// (kiosks, pairing links, API tokens) nor change what counts (flags); a
// manager proposes a flag change and an administrator decides it.

// Can reports whether the principal's role allows an action family. The
// subtree is checked separately with Covers.
func (p *Principal) Can(action string) bool {
	switch p.Role {
	case survey.RoleAdmin:
		return true
	case survey.RoleManager:
		return action == ActRead || action == ActPropose || action == ActManage || action == ActCases
	case survey.RoleViewer:
		return action == ActRead
	case survey.RoleReception:
		return action == ActSubmit || (action == ActReceipt || action == ActCases) && p.Kind != "kiosk"
	}
	return false
}

// Authenticate identifies the caller from "Authorization: Bearer <token>",
// a session cookie or a paired kiosk's cookie. It returns EUNAUTHORIZED when
// none is valid, and EFORBIDDEN when a session makes a state-changing
// request without its CSRF token (form field _csrf or header X-CSRF-Token).
func Authenticate(d *Deps, c *fiber.Ctx) (*Principal, error) {
	if h := c.Get(fiber.HeaderAuthorization); h != "" {
		scheme, secret, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Bearer") || secret == "" {
			return nil, survey.Errorf(survey.EUNAUTHORIZED, "Tiêu đề Authorization phải có dạng 'Bearer <mã>'. / Authorization must be 'Bearer <token>'.")
		}
		t, err := d.Tokens.TokenBySecret(strings.TrimSpace(secret))
		if err != nil {
			return nil, StoreDown(err)
		}
		if t == nil {
			return nil, survey.Errorf(survey.EUNAUTHORIZED, "Mã truy cập không đúng hoặc đã bị thu hồi. / The API token is wrong or revoked.")
		}
		return &Principal{Kind: "token", ID: t.ID, Name: t.Name, Role: t.Role, Unit: t.Unit}, nil
	}
	if sid := c.Cookies(SessionCookie); sid != "" {
		s, u, err := d.Sessions.SessionUser(sid, d.Settings.Settings().Sessions)
		if err != nil {
			return nil, StoreDown(err)
		}
		if s != nil {
			p := &Principal{Kind: "user", Name: u.Username, Role: u.Role, Unit: u.Unit, CSRF: s.CSRF, SessionID: sid}
			if !safeMethod(c.Method()) && !CheckCSRF(c, s.CSRF) {
				return nil, survey.Errorf(survey.EFORBIDDEN, "Phiên làm việc không hợp lệ (thiếu mã chống giả mạo). Hãy tải lại trang rồi thử lại. / Missing or wrong CSRF token: reload the page and try again.")
			}
			return p, nil
		}
	}
	if key := c.Cookies(KioskCookie); key != "" {
		k, err := d.Kiosks.KioskByKey(key)
		if err != nil {
			return nil, StoreDown(err)
		}
		if k != nil {
			return &Principal{Kind: "kiosk", Name: k.Name, Role: survey.RoleReception, Unit: k.Unit, Kiosk: k}, nil
		}
		return nil, survey.Errorf(survey.EUNAUTHORIZED, "Thiết bị chưa được ghép nối hoặc đã bị thu hồi. / This device is not paired or was revoked.")
	}
	if c.Cookies(SessionCookie) != "" {
		return nil, survey.Errorf(survey.EUNAUTHORIZED, "Phiên đăng nhập đã hết hạn, xin đăng nhập lại. / Your session has expired: please log in again.")
	}
	return nil, survey.Errorf(survey.EUNAUTHORIZED, "Cần đăng nhập hoặc mã truy cập. / Authentication required.")
}

func safeMethod(m string) bool {
	return m == fiber.MethodGet || m == fiber.MethodHead || m == fiber.MethodOptions
}

// CheckCSRF compares the request's CSRF token (form field or header) with want.
func CheckCSRF(c *fiber.Ctx, want string) bool {
	got := c.Get(CSRFHeader)
	if got == "" {
		got = c.FormValue(CSRFField)
	}
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
