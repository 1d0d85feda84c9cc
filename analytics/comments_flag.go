package analytics

import (
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// flagRequest is the form that changes, or proposes to change, one
// counting flag of one response: key (the response's storage key), the
// change as change=flag:op (the list's buttons) or flag (misuse |
// unverified) and op (set | clear), reason, and back (the list's URL).
type flagRequest struct {
	Key              uint64
	KeyText          string
	Flag, Op, Reason string
	Back             string
}

func readFlagRequest(c *fiber.Ctx) flagRequest {
	r := flagRequest{KeyText: strings.Clone(c.FormValue("key")), Flag: strings.Clone(c.FormValue("flag")),
		Op: strings.Clone(c.FormValue("op")), Reason: strings.Clone(c.FormValue("reason")), Back: strings.Clone(c.FormValue("back"))}
	if ch := c.FormValue("change"); ch != "" {
		r.Flag, r.Op, _ = strings.Cut(strings.Clone(ch), ":")
	}
	r.Key, _ = strconv.ParseUint(r.KeyText, 10, 64)
	return r
}

// check parses the change and finds the response, which must lie in the
// caller's subtree: EINVALID (field key) for a bad key, 404 for none, 403
// outside, EINVALID with the field for a bad flag or op.
func (r *flagRequest) check(c *fiber.Ctx, d *web.Deps) (*survey.Response, survey.Flags, survey.Flags, error) {
	if r.Key == 0 {
		return nil, 0, 0, survey.FieldError("key", "Mã phiếu không hợp lệ. / Invalid response key.")
	}
	resp, err := d.Responses.Response(r.Key)
	if err != nil {
		return nil, 0, 0, err
	}
	if !web.Who(c).Covers(d.Org, resp.Unit) {
		return nil, 0, 0, web.Forbid(resp.Unit)
	}
	set, clear, err := survey.ParseFlagChange(r.Flag, r.Op)
	return resp, set, clear, err
}

// postFlag handles POST /dashboard/comments/flag (administrators only: the
// ranked party does not change what counts; the CSRF token is checked by
// web.RequireUser): sets or clears the misuse or unverified flag of one
// response through SetResponseFlags, which moves its counts, marks it
// reclassified and writes the audit record and the change log with the
// reason, in one transaction; then back to the list (303). Without a
// reason: 422, the response's flag page with the message beside the field,
// nothing changed.
func postFlag(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		r := readFlagRequest(c)
		resp, set, clear, err := r.check(c, d)
		if err == nil {
			err = d.Responses.SetResponseFlags(r.KeyText, (resp.Flags|set)&^clear&survey.FlagsCounting, web.Who(c).Actor(), r.Reason)
		}
		if err != nil {
			return flagFormError(c, d, r, resp, err)
		}
		return c.Redirect(backTo(r.Back, r.Op), fiber.StatusSeeOther)
	}
}

// flagView is the page of one response's flags: the response as the list
// shows it, and the form that changes a flag (administrators) or proposes
// the change (managers), with the reason.
type flagView struct {
	F                fmtr
	Row              commentRow
	Admin            bool
	Action           string // where the form posts
	Flag, Op, Reason string
	Back             string
	Changes          []option // flag:op → label; Selected = the one asked
	Errors           map[string]string
	Pending          []survey.FlagProposal // open proposals for this response
}

// getFlagForm handles GET /dashboard/comments/flag?key=&flag=&op=&back=
// (managers and administrators, the response in their subtree): the flag
// page of one response.
func getFlagForm(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		r := flagRequest{KeyText: c.Query("key"), Flag: c.Query("flag"), Op: c.Query("op"), Back: c.Query("back")}
		r.Key, _ = strconv.ParseUint(r.KeyText, 10, 64)
		resp, _, _, err := r.check(c, d)
		if err != nil && survey.ErrorCode(err) != survey.EINVALID {
			return err
		}
		return renderFlagForm(c, d, r, resp, nil, fiber.StatusOK)
	}
}

// flagFormError renders the flag page with a validation error beside its
// field (422), or returns any other error.
func flagFormError(c *fiber.Ctx, d *web.Deps, r flagRequest, resp *survey.Response, err error) error {
	var se *survey.Error
	if resp == nil || survey.ErrorCode(err) != survey.EINVALID || !errors.As(err, &se) {
		return err
	}
	field := se.Field
	if field != "reason" && field != "note" {
		field = "change"
	}
	return renderFlagForm(c, d, r, resp, map[string]string{field: se.Message}, fiber.StatusUnprocessableEntity)
}

func renderFlagForm(c *fiber.Ctx, d *web.Deps, r flagRequest, resp *survey.Response, errs map[string]string, status int) error {
	p := web.Who(c)
	f := newFmtr(c.Query("lang"))
	pr := &pageReq{request: request{p: p, db: d.Services, eng: newEngine(d.Services, "")}, f: f, raw: map[string]string{}}
	v := &flagView{F: f, Row: pr.commentRow(d.Services, resp), Admin: p.Can(web.ActFlag), Flag: r.Flag, Op: r.Op,
		Reason: r.Reason, Back: r.Back, Errors: errs, Action: "/dashboard/proposals"}
	if v.Admin {
		v.Action = "/dashboard/comments/flag"
	}
	for _, ch := range flagChanges(f, resp.Flags) {
		ch.Selected = ch.Value == r.Flag+":"+r.Op
		v.Changes = append(v.Changes, ch)
	}
	for _, x := range d.Proposals.FlagProposals(survey.ProposalOpen) {
		if x.Response == resp.Key {
			v.Pending = append(v.Pending, x)
		}
	}
	title := f.T("Thay đổi cờ của phiếu", "Change a response's flags")
	if !v.Admin {
		title = f.T("Đề xuất thay đổi cờ", "Propose a flag change")
	}
	return pages.Render(c, status, "flag", &web.Page{Title: title, User: p, Nav: "dashboard", Lang: f.Lang(), Data: v})
}

// flagChanges are the changes a response's flags allow, as flag:op with
// their labels: set or clear misuse; clear unverified (verify) or set it.
func flagChanges(f fmtr, flags survey.Flags) []option {
	var out []option
	if flags&survey.FlagMisuse != 0 {
		out = append(out, option{"misuse:clear", f.T("Bỏ cờ lạm dụng (tính lại phiếu)", "Clear the misuse flag (count it again)"), false})
	} else {
		out = append(out, option{"misuse:set", f.T("Đánh dấu lạm dụng (không tính phiếu)", "Flag as misuse (do not count it)"), false})
	}
	if flags&survey.FlagUnverified != 0 {
		out = append(out, option{"unverified:clear", f.T("Xác nhận phiếu (bỏ cờ chưa xác minh)", "Verify (clear unverified)"), false})
	} else {
		out = append(out, option{"unverified:set", f.T("Đánh dấu chưa xác minh (không tính phiếu)", "Mark unverified (do not count it)"), false})
	}
	return out
}

// backTo is the comments list to return to (only that page, so the form
// cannot send anyone elsewhere), with done=<op> for the confirmation.
func backTo(back, op string) string {
	u, err := url.Parse(back)
	if err != nil || u.Path != "/dashboard/comments" || u.Host != "" || u.Scheme != "" || strings.ContainsAny(back, "\\\r\n") {
		u = &url.URL{Path: "/dashboard/comments"}
	}
	q := u.Query()
	q.Set("done", op)
	u.RawQuery = q.Encode()
	return u.String()
}
