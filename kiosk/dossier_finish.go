package kiosk

import (
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// finishRequest is the JSON body of POST /api/v1/dossiers/{code}/finish.
type finishRequest struct {
	FinishedAt     string `json:"finished_at"`     // RFC 3339 or YYYY-MM-DD; default now
	SupplementDays *int   `json:"supplement_days"` // absent: keep the stored number
}

// dossierJSON is a dossier as the API shows it (never its token).
type dossierJSON struct {
	Code           string  `json:"code"`
	Unit           string  `json:"unit"`
	Procedure      string  `json:"procedure,omitempty"`
	Staff          string  `json:"staff,omitempty"`
	ReceivedAt     string  `json:"received_at"`
	DueAt          string  `json:"due_at"`
	FinishedAt     *string `json:"finished_at"`
	SupplementDays int     `json:"supplement_days"`
	Outcome        string  `json:"outcome"` // early, on_time, late, in_progress
	Answered       bool    `json:"answered"`
}

func toDossierJSON(d *survey.Dossier, loc *time.Location) dossierJSON {
	out := dossierJSON{Code: d.Code, Unit: d.Unit, Procedure: d.Procedure, Staff: d.Staff,
		ReceivedAt: d.ReceivedAt.In(loc).Format(time.RFC3339), DueAt: d.DueAt.In(loc).Format(time.RFC3339),
		SupplementDays: d.SupplementDays, Outcome: d.Outcome(loc).String(), Answered: d.Answered}
	if !d.FinishedAt.IsZero() {
		s := d.FinishedAt.In(loc).Format(time.RFC3339)
		out.FinishedAt = &s
	}
	return out
}

// finishDossier handles POST /api/v1/dossiers/{code}/finish: the result was
// returned. 200 with the dossier and its outcome (a second call corrects
// the first). The code is path-escaped by the caller (codes may hold "/").
func finishDossier(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, err := receptionist(d, c)
		if err != nil {
			return err
		}
		var req finishRequest
		if err := web.DecodeJSON(c, &req); err != nil {
			return err
		}
		code, err := url.PathUnescape(c.Params("code"))
		if err != nil {
			return survey.Errorf(survey.EMALFORMED, "Mã hồ sơ trong đường dẫn không hợp lệ. / Malformed dossier code in the path.")
		}
		out, err := finish(d, p, code, req.FinishedAt, req.SupplementDays)
		if err != nil {
			return err
		}
		return c.JSON(toDossierJSON(out, d.Clock.Loc()))
	}
}

// finish records the return of dossier code for p (API and reception page):
// finishedAt as RFC 3339 or a date ("" = now); a date alone on the day of
// receipt means that day. Errors: ENOTFOUND, EFORBIDDEN outside p's
// subtree, EINVALID (finished_at, supplement_days).
func finish(d *web.Deps, p *web.Principal, code, finishedAt string, supplement *int) (*survey.Dossier, error) {
	dos, err := d.Dossiers.Dossier(code)
	if err != nil {
		return nil, err
	}
	if !p.Covers(d.Org, dos.Unit) {
		return nil, survey.Errorf(survey.EFORBIDDEN, "Hồ sơ này thuộc đơn vị ngoài phạm vi của tài khoản. / This dossier belongs to a unit outside your scope.")
	}
	loc, now := d.Clock.Loc(), d.Clock.Now()
	finished := now
	if finishedAt != "" {
		var dateOnly bool
		if finished, dateOnly, err = parseWhen("finished_at", finishedAt, loc, false); err != nil {
			return nil, err
		}
		if dateOnly && finished.Before(dos.ReceivedAt) && survey.DayOf(finished, loc) == survey.DayOf(dos.ReceivedAt, loc) {
			finished = dos.ReceivedAt
		}
	}
	if finished.Sub(now) > survey.MaxFutureSkew {
		return nil, survey.FieldError("finished_at", "Ngày trả kết quả ở tương lai. / finished_at is in the future.")
	}
	out, err := d.Dossiers.FinishDossier(code, finished, supplement)
	if err != nil {
		return nil, err
	}
	// Finishing changes the official timeliness figures: keep a record.
	detail := out.Outcome(loc).String() + " " + out.FinishedAt.In(loc).Format(time.DateOnly)
	if err := d.Audit.Audit(survey.AuditEntry{Actor: p.Actor(), Action: "dossier.finish", Target: code, Detail: detail}); err != nil {
		d.Log.Error("audit", "action", "dossier.finish", "err", err)
	}
	return out, nil
}
