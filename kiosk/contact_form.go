package kiosk

import (
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// The contact step of the mobile forms (receipt /r/{token}, poster
// /f/{unit}): after a stored answer with a dissatisfied rating, the thanks
// page offers to leave a mobile number or an e-mail address so that the
// office can reply, or to file a formal petition. The answer is stored
// first and never depends on this step. The step posts to /contact/{id},
// {id} the response's UUID, with a follow-up token: a form token
// (web.ClientKeys.FormToken) whose purpose names the response, so it
// proves the post follows a thanks page this server showed for that
// response within contactTTL. It is not bound to the client's address (a
// phone may move from Wi-Fi to mobile data meanwhile); the store opens at
// most one case per response, so a token cannot be used twice.

// contactTTL is how long the step can be sent after the answer: time to
// read and type, short enough that an old page cannot be replayed later.
const contactTTL = 30 * time.Minute

func contactPurpose(responseID string) string { return "contact\x00" + responseID }

// contactView is the step on the thanks page (templates/contact.html).
type contactView struct {
	Lang, JS      string
	Action, Token string
	T             map[string]string
	Consent       string // the consent sentence, naming the agency
	Phone, Email  string
	Petition      bool
	Errors        []formError       // the summary, in field order
	FieldErr      map[string]string // field → message beside it
}

// contactStep is the step for the stored response r, or nil when r has no
// dissatisfied answer.
func contactStep(d *web.Deps, lang, agency string, sv *survey.Survey, r *survey.Response) *contactView {
	if r.ID == "" || !sv.AnyNegative(r) {
		return nil
	}
	return newContactView(d, lang, agency, r.ID)
}

func newContactView(d *web.Deps, lang, agency, id string) *contactView {
	t := tr(lang)
	return &contactView{Lang: lang, JS: formJS, Action: "/contact/" + id, T: t, FieldErr: map[string]string{},
		Token:   d.Clients.FormToken("", contactPurpose(id), d.Clock.Now()),
		Consent: fmt.Sprintf(t["contact.consent"], agency)}
}

// contactInput is the step's form, parsed.
type contactInput struct {
	lang, token, do string
	phone, email    string
	petition        bool
}

func parseContact(c *fiber.Ctx) contactInput {
	vals := formValues(c)
	return contactInput{lang: langOf(first(vals["lang"])), token: first(vals["t"]), do: first(vals["do"]),
		phone: first(vals["phone"]), email: first(vals["email"]), petition: first(vals["petition"]) == "1"}
}

// sendContact handles POST /contact/{id}: 200 the case's number (or, for
// "no, thank you", a plain thanks with nothing stored); 422 the step again
// with the message beside the field; 409 a case exists for the response;
// 404 for an unknown response or a forged or expired token (alike).
func sendContact(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id := c.Params("id")
		in := parseContact(c)
		if !d.Clients.CheckFormToken("", contactPurpose(id), in.token, d.Clock.Now(), contactTTL) {
			return contactNotFound(c, in.lang)
		}
		r, err := d.Responses.ResponseByID(id)
		if survey.ErrorCode(err) == survey.ENOTFOUND || survey.ErrorCode(err) == survey.EINVALID {
			return contactNotFound(c, in.lang)
		} else if err != nil {
			return err
		}
		agency := unitTitle(d.Org, r.Unit)
		if d.ProvenanceOf(c) == web.ProvCrossSite { // as the forms: the token would do, the browser says no
			return renderDone(c, fiber.StatusForbidden, in.lang, "crosssite", agency, nil, nil)
		}
		if !isFormPost(c) {
			return renderDone(c, fiber.StatusUnsupportedMediaType, in.lang, "badtype", agency, nil, nil)
		}
		if in.do != "send" {
			return renderDone(c, fiber.StatusOK, in.lang, "contact.skipped", agency, nil, nil)
		}
		kind, contact := in.request(d.Clock.Now())
		cs, err := d.Cases.OpenCaseFromResponse(id, kind, contact)
		switch survey.ErrorCode(err) {
		case "":
			key := "contact.sent"
			if contact == nil {
				key = "petition.sent"
			}
			return renderDone(c, fiber.StatusOK, in.lang, key, agency, func(string) []any { return []any{cs.ID} }, nil)
		case survey.ECONFLICT:
			return renderDone(c, fiber.StatusConflict, in.lang, "contact.already", agency, nil, nil)
		case survey.ENOTFOUND:
			return contactNotFound(c, in.lang)
		case survey.EINVALID:
			return renderContactError(c, d, in, agency, id, err)
		}
		return err
	}
}

// request is what the citizen asked: a petition or a reply, with the
// contact (nil for a petition without one).
func (in contactInput) request(now time.Time) (string, *survey.Contact) {
	kind := survey.CaseAskReply
	if in.petition {
		kind = survey.CasePetition
	}
	if in.petition && in.phone == "" && in.email == "" {
		return kind, nil
	}
	return kind, &survey.Contact{Phone: in.phone, Email: in.email, ConsentAt: now}
}

// renderContactError renders the step again (422) with what was typed and
// the store's complaint beside its field.
func renderContactError(c *fiber.Ctx, d *web.Deps, in contactInput, agency, id string, err error) error {
	field := "contact"
	if e, ok := err.(*survey.Error); ok {
		switch e.Field {
		case "phone", "email", "response":
			field = e.Field
		}
	}
	v := doneViewOf(in.lang, "contact.fix", agency, nil, nil)
	cv := newContactView(d, in.lang, agency, id)
	cv.Phone, cv.Email, cv.Petition = in.phone, in.email, in.petition
	msg := cv.T["err."+field]
	href := "#phone" // the first field, also for "contact" and "response"
	if field == "email" {
		href = "#email"
	}
	cv.FieldErr[field] = msg
	cv.Errors = []formError{{Href: href, Message: msg}}
	v.Contact = cv
	noStore(c)
	return render(c, fiber.StatusUnprocessableEntity, "form_done", v)
}

func contactNotFound(c *fiber.Ctx, lang string) error {
	minutes := int(contactTTL / time.Minute)
	return renderDone(c, fiber.StatusNotFound, lang, "contact.notfound", "", func(string) []any { return []any{minutes} }, nil)
}
