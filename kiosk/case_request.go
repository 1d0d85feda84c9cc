package kiosk

import (
	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// caseRequest is the JSON body of POST /api/v1/responses/{id}/case: the
// kiosk's contact screen after a dissatisfied answer. The kiosk queues it
// behind the response and sends it once the response is acknowledged.
type caseRequest struct {
	Kind    string `json:"kind"` // survey.CaseAskReply (default) or survey.CasePetition
	Phone   string `json:"phone"`
	Email   string `json:"email"`
	Consent bool   `json:"consent"` // the citizen pressed "agree and send" under the consent sentence
}

// openCaseForKiosk handles POST /api/v1/responses/{id}/case: 201
// {"case": id}; 401 without a paired kiosk's cookie; 403 for any other
// caller; 404 for a response unknown or not from this kiosk (alike); 409
// when the response has a case already; 422 for a bad contact (field
// phone, email or contact), a missing consent or an unknown kind.
func openCaseForKiosk(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, err := web.Authenticate(d, c)
		if err != nil {
			return err
		}
		if p.Kind != "kiosk" {
			return survey.Errorf(survey.EFORBIDDEN, "Chỉ ki-ốt đã ghép nối gửi được yêu cầu này. / Only a paired kiosk may send this request.")
		}
		var req caseRequest
		if err := web.DecodeJSON(c, &req); err != nil {
			return err
		}
		id := c.Params("id")
		r, err := d.Responses.ResponseByID(id)
		if survey.ErrorCode(err) == survey.EINVALID || (err == nil && r.Kiosk != p.Kiosk.ID) {
			err = survey.Errorf(survey.ENOTFOUND, "Không có phiếu này. / No such response.")
		}
		if err != nil {
			return err
		}
		if !req.Consent {
			return survey.FieldError("consent", "Cần sự đồng ý của người dân. / The citizen's consent is required.")
		}
		kind, contact, err := req.check(d.Clock)
		if err != nil {
			return err
		}
		cs, err := d.Cases.OpenCaseFromResponse(id, kind, contact)
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(fiber.Map{"case": cs.ID})
	}
}

// check returns the kind and the contact asked for (nil: a petition
// without one).
func (req *caseRequest) check(clock survey.Clock) (string, *survey.Contact, error) {
	switch req.Kind {
	case "", survey.CaseAskReply:
		req.Kind = survey.CaseAskReply
	case survey.CasePetition:
		if req.Phone == "" && req.Email == "" {
			return req.Kind, nil, nil
		}
	default:
		return "", nil, survey.FieldError("kind", "Loại yêu cầu phải là reply hoặc petition. / kind must be reply or petition.")
	}
	return req.Kind, &survey.Contact{Phone: req.Phone, Email: req.Email, ConsentAt: clock.Now()}, nil
}
