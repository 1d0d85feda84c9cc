package analytics

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// postProposal handles POST /dashboard/proposals (managers, and admins):
// the flag page's or the comments list's form as a proposal for an
// administrator (docs/SECURITY.md "The ranked party"). The response must lie
// in the caller's subtree; a missing reason is 422 on the flag page with
// nothing stored. Then back to the list with done=proposed (303).
func postProposal(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		r := readFlagRequest(c)
		resp, set, clear, err := r.check(c, d)
		if err == nil {
			_, err = d.Proposals.ProposeFlags(survey.FlagProposal{Response: r.Key, Set: set, Clear: clear, Reason: r.Reason, By: web.Who(c).Actor()})
		}
		if err != nil {
			return flagFormError(c, d, r, resp, err)
		}
		return c.Redirect(backTo(r.Back, "proposed"), fiber.StatusSeeOther)
	}
}

// proposalRow is one proposal as the list shows it, with its response.
type proposalRow struct {
	survey.FlagProposal
	Change, StateText, StateClass string
	When, Decided                 string
	Row                           commentRow
	Found                         bool // the response is still stored
}

type proposalsView struct {
	F         fmtr
	Admin     bool
	Show      string // open | all
	Rows      []proposalRow
	Open, All string
}

// getProposals handles GET /dashboard/proposals?show=open|all (managers see
// the proposals for their subtree's responses; administrators every one,
// with the forms that confirm or refuse): the open ones by default, the
// newest first.
func getProposals(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p := web.Who(c)
		f := newFmtr(c.Query("lang"))
		show := c.Query("show", "open")
		state := survey.ProposalOpen
		switch show {
		case "open":
		case "all":
			state = ""
		default:
			return survey.FieldError("show", "show phải là open hoặc all. / show must be open or all.")
		}
		pr := &pageReq{request: request{p: p, db: d.Services, eng: newEngine(d.Services, "")}, f: f, raw: map[string]string{}}
		v := &proposalsView{F: f, Admin: p.Can(web.ActFlag), Show: show, Open: "/dashboard/proposals", All: "/dashboard/proposals?show=all"}
		loc := d.Clock.Loc()
		for _, x := range d.Proposals.FlagProposals(state) {
			if !p.Covers(d.Org, x.Unit) {
				continue
			}
			row := proposalRow{FlagProposal: x, Change: proposalChange(f, x), When: f.Time(x.At, loc)}
			row.StateText, row.StateClass = proposalState(f, x.State)
			if !x.DecidedAt.IsZero() {
				row.Decided = f.Time(x.DecidedAt, loc)
			}
			if resp, err := d.Responses.Response(x.Response); err == nil {
				row.Row, row.Found = pr.commentRow(d.Services, resp), true
			}
			v.Rows = append(v.Rows, row)
		}
		flash := ""
		switch c.Query("done") {
		case "confirmed":
			flash = f.T("Đã xác nhận đề xuất; cờ của phiếu đã được thay đổi.", "The proposal is confirmed and the response's flags changed.")
		case "refused":
			flash = f.T("Đã từ chối đề xuất; phiếu giữ nguyên.", "The proposal is refused; the response is unchanged.")
		}
		return pages.Render(c, fiber.StatusOK, "proposals", &web.Page{Title: f.T("Đề xuất thay đổi cờ", "Flag proposals"),
			User: p, Nav: "dashboard", Lang: f.Lang(), Flash: flash, Data: v})
	}
}

// postDecision handles POST /dashboard/proposals/:id (administrators):
// decision=confirm|refuse and an optional note. Confirming changes the
// response's flags in the same transaction (counts, audit record with the
// proposal's reason, change log). Then back to the list (303).
func postDecision(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id := strings.Clone(c.Params("id"))
		var confirm bool
		switch c.FormValue("decision") {
		case "confirm":
			confirm = true
		case "refuse":
		default:
			return survey.FieldError("decision", "decision phải là confirm hoặc refuse. / decision must be confirm or refuse.")
		}
		x, err := d.Proposals.FlagProposal(id)
		if err != nil {
			return err
		}
		if !web.Who(c).Covers(d.Org, x.Unit) {
			return web.Forbid(x.Unit)
		}
		if _, err := d.Proposals.DecideFlagProposal(id, confirm, web.Who(c).Actor(), strings.Clone(c.FormValue("note"))); err != nil {
			return err
		}
		done := "refused"
		if confirm {
			done = "confirmed"
		}
		return c.Redirect("/dashboard/proposals?done="+done, fiber.StatusSeeOther)
	}
}

// proposalChange names a proposal's change for people.
func proposalChange(f fmtr, x survey.FlagProposal) string {
	var out []string
	if x.Set&survey.FlagMisuse != 0 {
		out = append(out, f.T("đánh dấu lạm dụng", "flag as misuse"))
	}
	if x.Clear&survey.FlagMisuse != 0 {
		out = append(out, f.T("bỏ cờ lạm dụng", "clear misuse"))
	}
	if x.Set&survey.FlagUnverified != 0 {
		out = append(out, f.T("đánh dấu chưa xác minh", "mark unverified"))
	}
	if x.Clear&survey.FlagUnverified != 0 {
		out = append(out, f.T("xác nhận phiếu (bỏ cờ chưa xác minh)", "verify (clear unverified)"))
	}
	return strings.Join(out, ", ")
}

func proposalState(f fmtr, state string) (string, string) {
	switch state {
	case survey.ProposalConfirmed:
		return f.T("Đã xác nhận", "Confirmed"), "tag-ok"
	case survey.ProposalRefused:
		return f.T("Đã từ chối", "Refused"), "tag-bad"
	}
	return f.T("Chờ quản trị xử lý", "Awaiting an administrator"), ""
}
