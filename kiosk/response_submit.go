package kiosk

import (
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"hailong/survey"
	"hailong/web"
)

// submitRequest is the JSON body of POST /api/v1/responses.
type submitRequest struct {
	ID          string          `json:"id"`
	Survey      string          `json:"survey"`
	Version     int             `json:"version"` // the survey version shown (0 = the latest)
	Unit        string          `json:"unit"`
	Counter     string          `json:"counter"`
	Staff       string          `json:"staff"`
	Procedure   string          `json:"procedure"`
	Channel     string          `json:"channel"`
	Answers     map[string]*int `json:"answers"` // null or 0 = not applicable
	Facts       map[string]int  `json:"facts"`
	Reasons     []string        `json:"reasons"`
	Comment     string          `json:"comment"`
	SubmittedAt string          `json:"submitted_at"`
}

// toResponse converts the request for the caller p. Kiosks are bound to
// their unit and counter and always use the kiosk channel.
func (req *submitRequest) toResponse(p *web.Principal) (*survey.Response, error) {
	r := &survey.Response{ID: req.ID, Survey: req.Survey, Version: req.Version, Unit: req.Unit, Counter: req.Counter, Staff: req.Staff,
		Procedure: req.Procedure, Reasons: req.Reasons, Comment: req.Comment, Facts: req.Facts,
		Answers: make(map[string]int, len(req.Answers))}
	for k, v := range req.Answers {
		if v != nil {
			r.Answers[k] = *v
		} else {
			r.Answers[k] = survey.NA
		}
	}
	if req.SubmittedAt != "" {
		t, err := time.Parse(time.RFC3339Nano, req.SubmittedAt)
		if err != nil {
			return nil, survey.FieldError("submitted_at", "Thời điểm phải theo RFC 3339, ví dụ 2026-03-10T09:30:00+07:00. / submitted_at must be RFC 3339, e.g. 2026-03-10T09:30:00+07:00.")
		}
		r.SubmittedAt = t
	}
	if p.Kind == "kiosk" {
		k := p.Kiosk
		if req.Channel != "" && req.Channel != "kiosk" {
			return nil, survey.FieldError("channel", "Ki-ốt chỉ gửi qua kênh kiosk. / A kiosk submits on the kiosk channel only.")
		}
		if r.Unit != "" && r.Unit != k.Unit {
			return nil, survey.Errorf(survey.EFORBIDDEN, "Ki-ốt này thuộc đơn vị khác. / This kiosk belongs to another unit.")
		}
		if r.Counter != "" && k.Counter != "" && r.Counter != k.Counter {
			return nil, survey.Errorf(survey.EFORBIDDEN, "Ki-ốt này thuộc quầy khác. / This kiosk belongs to another counter.")
		}
		r.Unit, r.Kiosk, r.Channel = k.Unit, k.ID, survey.ChannelKiosk
		if k.Counter != "" {
			r.Counter = k.Counter
		}
		return r, nil // an empty survey becomes the unit's kiosk survey
	}
	switch req.Channel {
	case "", "web":
		r.Channel = survey.ChannelWeb
	case "qr":
		r.Channel = survey.ChannelQR
	case "kiosk":
		return nil, survey.FieldError("channel", "Kênh kiosk chỉ dành cho ki-ốt đã ghép nối. / The kiosk channel is for paired kiosks.")
	case "paper":
		return nil, survey.FieldError("channel", "Phiếu giấy chỉ nhập bằng lệnh import. / Paper responses come only by import.")
	default:
		return nil, survey.FieldError("channel", "Kênh %q không hợp lệ (web, qr). / Unknown channel %q (web, qr).", req.Channel, req.Channel)
	}
	if r.Survey == "" {
		return nil, survey.FieldError("survey", "Thiếu mã phiếu khảo sát. / survey is required.")
	}
	if r.Unit == "" {
		return nil, survey.FieldError("unit", "Thiếu mã đơn vị. / unit is required.")
	}
	return r, nil
}

// submitResponse handles POST /api/v1/responses: 201 {"id"} when stored, 200
// with the same id when that id was stored before (nothing new stored).
func submitResponse(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, err := web.Authenticate(d, c)
		if err != nil {
			return err
		}
		if !p.Can("submit") {
			return survey.Errorf(survey.EFORBIDDEN, "Vai trò %q không được gửi phiếu. / Role %q may not submit responses.", p.Role, p.Role)
		}
		var req submitRequest
		if err := web.DecodeJSON(c, &req); err != nil {
			return err
		}
		r, err := req.toResponse(p)
		if err != nil {
			return err
		}
		if p.Kind == "kiosk" {
			fillStaff(d.Services, r)
			if r.Survey == "" {
				r.Survey = d.Surveys.SurveyFor(r.Unit, survey.UseKiosk)
			}
		}
		if p.Kind != "kiosk" && d.Org.Unit(r.Unit) != nil && !p.Covers(d.Org, r.Unit) {
			return survey.Errorf(survey.EFORBIDDEN, "Đơn vị %q nằm ngoài phạm vi của mã truy cập. / Unit %q is outside this token's units.", r.Unit, r.Unit)
		}
		if r.ID == "" {
			r.ID = uuid.NewString()
		}
		r.Device = p.Device()
		created, err := d.Responses.Submit(r)
		if err != nil {
			if e := (*survey.Error)(nil); errors.As(err, &e) && e.Field == "submitted_at" {
				d.Metrics.Refused("submitted_at") // outside the window: a kiosk drops it from its queue
			}
			return err
		}
		out := fiber.Map{"id": r.ID}
		if code := d.Integrity.ConfirmationCode(r); code != "" {
			out["code"] = code // docs/INTEGRITY.md: the citizen's check at /cong-khai/xac-minh
		}
		if !created {
			return c.Status(fiber.StatusOK).JSON(out)
		}
		d.Metrics.Stored(r.Channel)
		return c.Status(fiber.StatusCreated).JSON(out)
	}
}

// fillStaff settles who a kiosk rating is about. The page sends the staff
// member it showed when the citizen answered (an answer queued offline may
// arrive after a change of shift); without one, it is whoever is signed on
// at the kiosk's counter now. A staff id that no longer fits the unit (the
// staff member was moved meanwhile) is replaced the same way rather than
// refused: a queued answer must not be lost over it.
func fillStaff(db *survey.Services, r *survey.Response) {
	if r.Staff != "" {
		s := db.Staff.StaffMember(r.Staff)
		if s != nil && (db.Org.InSubtree(r.Unit, s.Unit) || db.Org.InSubtree(s.Unit, r.Unit)) {
			return
		}
		r.Staff = ""
	}
	if s := db.Counters.OnDuty(r.Counter); s != nil {
		r.Staff = s.ID
	}
}
