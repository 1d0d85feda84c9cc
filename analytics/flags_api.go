package analytics

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// flagsAPIRequest is the body of POST /api/v1/responses/{ref}/flags.
type flagsAPIRequest struct {
	Flag   string `json:"flag"`   // misuse | unverified
	Op     string `json:"op"`     // set | clear
	Reason string `json:"reason"` // required
}

// apiSetFlags handles POST /api/v1/responses/{ref}/flags (administrators:
// a session with its CSRF header; no token role may change what counts):
// {"flag", "op", "reason"} → 200 {"id", "key", "flags"} after the change,
// through SetResponseFlags as the comments page does; 422 with the field
// ("reason", "flag", "op") and nothing changed; ref is the response's UUID
// or storage key; outside the caller's subtree 403.
func apiSetFlags(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req flagsAPIRequest
		if err := web.DecodeJSON(c, &req); err != nil {
			return err
		}
		ref := strings.Clone(c.Params("ref"))
		resp, err := d.Responses.ResponseByID(ref)
		if survey.ErrorCode(err) == survey.EINVALID { // not a UUID: a storage key
			key, perr := strconv.ParseUint(ref, 10, 64)
			if perr != nil || key == 0 {
				return survey.FieldError("ref", "Mã phiếu không hợp lệ. / Invalid response reference.")
			}
			resp, err = d.Responses.Response(key)
		}
		if err != nil {
			return err
		}
		if !web.Who(c).Covers(d.Org, resp.Unit) {
			return web.Forbid(resp.Unit)
		}
		set, clear, err := survey.ParseFlagChange(req.Flag, req.Op)
		if err != nil {
			return err
		}
		if err := d.Responses.SetResponseFlags(ref, (resp.Flags|set)&^clear&survey.FlagsCounting, web.Who(c).Actor(), req.Reason); err != nil {
			return err
		}
		now, err := d.Responses.Response(resp.Key)
		if err != nil {
			return err
		}
		return c.JSON(fiber.Map{"id": now.ID, "key": now.Key, "flags": strings.Split(now.Flags.String(), ",")})
	}
}
