package kiosk

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
)

// Form fields: c.<criterion> = 1…scale or "na"; f.<fact> = option index;
// reasons (repeated); comment; lang; and on posters the honeypot, a field
// people never see (a bot that fills it is thanked and nothing is stored).
const honeypotField = "website_url"

// formInput is a parsed form post: what to store, and the raw choices to
// show again beside any error.
type formInput struct {
	raw      map[string]string // c.* and f.* as sent
	answers  map[string]int
	facts    map[string]int
	reasons  map[string]bool
	order    []string // reasons in survey order
	comment  string
	lang     string
	honeypot bool
}

func emptyInput() *formInput {
	return &formInput{raw: map[string]string{}, answers: map[string]int{}, facts: map[string]int{}, reasons: map[string]bool{}}
}

// isFormPost reports whether the body is a browser form.
func isFormPost(c *fiber.Ctx) bool {
	ct := strings.ToLower(strings.TrimSpace(strings.SplitN(c.Get(fiber.HeaderContentType), ";", 2)[0]))
	return ct == fiber.MIMEApplicationForm || ct == fiber.MIMEMultipartForm
}

// formValues copies the posted fields out of Fiber's buffers.
func formValues(c *fiber.Ctx) map[string][]string {
	out := map[string][]string{}
	if strings.HasPrefix(strings.ToLower(c.Get(fiber.HeaderContentType)), fiber.MIMEMultipartForm) {
		if mf, err := c.MultipartForm(); err == nil {
			for k, vs := range mf.Value {
				out[k] = append(out[k], vs...)
			}
		}
		return out
	}
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		out[string(k)] = append(out[string(k)], string(v))
	})
	return out
}

// parseForm reads the post against survey sv (facts only when asked) and
// returns the input and the field errors, in lang.
func parseForm(vals map[string][]string, sv *survey.Survey, withFacts bool) (*formInput, map[string]string) {
	in := emptyInput()
	in.lang = langOf(first(vals["lang"]))
	t := tr(in.lang)
	errs := map[string]string{}
	for name, vs := range vals {
		key, isCrit := strings.CutPrefix(name, "c.")
		if isCrit {
			if c, _ := sv.Criterion(key); c != nil {
				in.raw[name] = vs[0]
				if score, ok := parseScore(vs, c.Scale); ok {
					in.answers[key] = score
				} else {
					errs[name] = t["err.choice"]
				}
			}
			continue
		}
		if key, isFact := strings.CutPrefix(name, "f."); isFact && withFacts {
			if f, _ := sv.Fact(key); f != nil {
				in.raw[name] = vs[0]
				if n, err := strconv.Atoi(vs[0]); err == nil && len(vs) == 1 && n >= 0 && n < len(f.Options) {
					in.facts[key] = n
				} else {
					errs[name] = t["err.choice"]
				}
			}
		}
	}
	for _, r := range vals["reasons"] {
		if sv.Reason(r) < 0 {
			errs["reasons"] = t["err.reasons"]
			continue
		}
		in.reasons[r] = true
	}
	for _, r := range sv.Reasons {
		if in.reasons[r.Key] {
			in.order = append(in.order, r.Key)
		}
	}
	in.comment, in.honeypot = first(vals["comment"]), first(vals[honeypotField]) != ""
	if msg := checkComment(&in.comment, t); msg != "" {
		errs["comment"] = msg
	}
	if len(in.answers) == 0 && len(errs) == 0 {
		errs["c."+survey.OverallKey] = t["err.none"]
	}
	return in, errs
}

func parseScore(vs []string, scale int) (int, bool) {
	if len(vs) != 1 {
		return 0, false
	}
	if vs[0] == "na" {
		return survey.NA, true
	}
	n, err := strconv.Atoi(vs[0])
	return n, err == nil && n >= 1 && n <= scale
}

// checkComment normalises the comment (browsers send CRLF; the limit
// counts a line break once) and returns the error, if any.
func checkComment(s *string, t map[string]string) string {
	if !utf8.ValidString(*s) {
		*s = strings.ToValidUTF8(*s, "")
		return t["err.utf8"]
	}
	*s = strings.TrimSpace(strings.ReplaceAll(*s, "\r\n", "\n"))
	if utf8.RuneCountInString(*s) > survey.MaxComment {
		return t["err.comment"]
	}
	return ""
}

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

// response is the input as a response of survey sv (unit, channel and
// links are set by the caller).
func (in *formInput) response(sv *survey.Survey) *survey.Response {
	return &survey.Response{Survey: sv.Key, Version: sv.Version, Answers: in.answers, Facts: in.facts,
		Reasons: in.order, Comment: in.comment}
}
