package kiosk

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// receiptRequest is the JSON body of POST /api/v1/receipts.
type receiptRequest struct {
	DossierCode string `json:"dossier_code"`
	Unit        string `json:"unit"`
	Procedure   string `json:"procedure"`
	Staff       string `json:"staff"`
	ReceivedAt  string `json:"received_at"`
	DueAt       string `json:"due_at"`
	ExpiresAt   string `json:"expires_at"`
}

// receiptJSON is the answer: the token is shown once, never stored.
type receiptJSON struct {
	Token       string `json:"token"`
	SurveyURL   string `json:"survey_url"`
	QRPNG       string `json:"qr_png"`
	QRSVG       string `json:"qr_svg"`
	SlipURL     string `json:"slip_url"`
	DossierCode string `json:"dossier_code"`
	ExpiresAt   string `json:"expires_at"`
}

// receptionist authenticates a caller who may issue receipts and finish
// dossiers: a reception or admin token or user. Kiosks carry the reception
// role to submit answers, but a kiosk issues nothing. The unit is checked
// separately (Covers). Errors: 401, 403.
func receptionist(d *web.Deps, c *fiber.Ctx) (*web.Principal, error) {
	p, err := web.Authenticate(d, c)
	if err != nil {
		return nil, err
	}
	if p.Kind == "kiosk" || (p.Role != survey.RoleReception && p.Role != survey.RoleAdmin) {
		return nil, survey.Errorf(survey.EFORBIDDEN, "Chỉ cán bộ tiếp nhận hoặc quản trị được cấp giấy tiếp nhận và ghi nhận trả kết quả. / Only reception staff or administrators issue receipts and finish dossiers.")
	}
	return p, nil
}

// checkUnit is 422 for an unknown unit, 403 for one outside p's subtree.
func checkUnit(db survey.OrgService, p *web.Principal, unit string) error {
	if unit == "" {
		return survey.FieldError("unit", "Thiếu mã đơn vị. / unit is required.")
	}
	if db.Unit(unit) == nil {
		return survey.FieldError("unit", "Đơn vị %q không tồn tại. / Unknown unit %q.", unit, unit)
	}
	if !p.Covers(db, unit) {
		return survey.Errorf(survey.EFORBIDDEN, "Đơn vị %q nằm ngoài phạm vi của tài khoản. / Unit %q is outside your scope.", unit, unit)
	}
	return nil
}

// toDossier converts the request: times are RFC 3339 or YYYY-MM-DD in the
// installation's zone; without received_at the dossier was received at
// received (now, or the stored time for a reprint). A due date alone on the
// day of receipt means that day; an expiry date alone means through the end
// of that day.
func (req *receiptRequest) toDossier(loc *time.Location, received time.Time) (*survey.Dossier, time.Time, error) {
	d := &survey.Dossier{Code: req.DossierCode, Unit: req.Unit, Procedure: req.Procedure, Staff: req.Staff}
	var err error
	if d.ReceivedAt, _, err = parseWhen("received_at", req.ReceivedAt, loc, false); err != nil {
		return nil, time.Time{}, err
	}
	if req.ReceivedAt == "" {
		d.ReceivedAt = received.In(loc)
	}
	var dateOnly bool
	if d.DueAt, dateOnly, err = parseWhen("due_at", req.DueAt, loc, true); err != nil {
		return nil, time.Time{}, err
	}
	if dateOnly && d.DueAt.Before(d.ReceivedAt) && survey.DayOf(d.DueAt, loc) == survey.DayOf(d.ReceivedAt, loc) {
		d.DueAt = d.ReceivedAt
	}
	expires, dateOnly, err := parseWhen("expires_at", req.ExpiresAt, loc, false)
	if err != nil {
		return nil, time.Time{}, err
	}
	if dateOnly {
		expires = survey.DayStart(survey.DayOf(expires, loc)+1, loc)
	}
	return d, expires, nil
}

// parseWhen reads RFC 3339, a local "YYYY-MM-DDTHH:MM[:SS]" or a date alone.
func parseWhen(field, s string, loc *time.Location, required bool) (t time.Time, dateOnly bool, err error) {
	if s == "" {
		if required {
			return t, false, survey.FieldError(field, "Thiếu %s. / %s is required.", field, field)
		}
		return t, false, nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, s, loc); err == nil {
		return t, true, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			if t.Year() < 2000 || t.Year() > 2999 {
				break
			}
			return t.In(loc), false, nil
		}
	}
	return t, false, survey.FieldError(field, "Ngày giờ %q không hợp lệ: dùng RFC 3339 (2026-03-10T09:30:00+07:00) hoặc YYYY-MM-DD. / Invalid time %q: use RFC 3339 or YYYY-MM-DD.", s, s)
}

// issueReceipt handles POST /api/v1/receipts: 201 with the token and the
// URLs of the survey, the QR images and the slip. Issuing again for a
// dossier code not yet answered gives a new token and invalidates the old
// one (a reprint, audited); an answered code, one of another unit, or a
// request whose dates, procedure or staff differ from the stored dossier is
// 409 with the field.
func issueReceipt(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, err := receptionist(d, c)
		if err != nil {
			return err
		}
		var req receiptRequest
		if err := web.DecodeJSON(c, &req); err != nil {
			return err
		}
		dossier, token, err := issueFor(d, p, &req)
		if e, ok := err.(*survey.Error); ok && e.Field == "code" {
			err = &survey.Error{Code: e.Code, Field: "dossier_code", Message: e.Message}
		}
		if err != nil {
			return err
		}
		base := d.PublicURL + "/api/v1/receipts/" + token
		return c.Status(fiber.StatusCreated).JSON(receiptJSON{Token: token, SurveyURL: surveyURL(d, token),
			QRPNG: base + "/qr.png", QRSVG: base + "/qr.svg", SlipURL: d.PublicURL + "/receipts/" + token + "/slip",
			DossierCode: dossier.Code, ExpiresAt: dossier.TokenExpires.In(d.Clock.Loc()).Format(time.RFC3339)})
	}
}

func surveyURL(d *web.Deps, token string) string { return d.PublicURL + "/r/" + token }
