package kiosk

import (
	"strconv"

	"hailong/static"
	"hailong/survey"
)

// The mobile form (templates/form.html): one column of real radio inputs in
// fieldsets, styled as faces, that works without JavaScript.

var (
	formCSS = static.URL("css/form.css")
	formJS  = static.URL("js/form.js")
)

// formView is what the form template renders.
type formView struct {
	Lang, Other  string            // the page's language and the other one
	T            map[string]string // form words in Lang
	Title        string
	Action       string // where the form posts: the page itself
	Agency       string
	About        []aboutRow // what is being rated (receipts)
	Intro        string
	Overall      question
	Facts        []question // TT 01 dossier facts (receipts only)
	Elements     []elementView
	Reasons      []choice
	Comment      string
	CommentMax   int
	CommentError string
	Errors       []formError // the summary at the top, in page order
	Honeypot     bool        // posters only: the receipt's token is its own proof
	FormToken    string      // posters only: proof of origin for header-less browsers (form_origin.go)
	CSS, JS      string
}

type aboutRow struct{ Label, Value string }

// question is a radio group: a criterion (faces and N/A) or a fact (options).
type question struct {
	Key, Name, Label string // Name is the form field: c.<key> or f.<key>
	Big              bool   // the overall question
	Options          []option
	NA               *option
	Error            string
}

type option struct {
	ID, Value string
	Score     int // data-score (criteria) or data-option (facts)
	Face      int // 1–5 for faces, 0 for a fact option
	Word      string
	Checked   bool
}

type elementView struct {
	Key, Legend string
	Questions   []question
}

type choice struct {
	ID, Key, Label string
	Checked        bool
}

type formError struct{ Href, Message string }

// formKind says what a form is about: a receipt's dossier or a poster's unit.
type formKind struct {
	poster bool
	action string
	agency string
	about  []aboutRow
	token  string // the poster's form token
}

// buildForm lays out survey sv in lang with the citizen's input and the
// field errors (by field name: c.<key>, f.<key>, reasons, comment).
func buildForm(sv *survey.Survey, lang string, k formKind, in *formInput, errs map[string]string) *formView {
	t := tr(lang)
	v := &formView{Lang: lang, Other: otherLang(lang), T: t, Action: k.action, Agency: k.agency, About: k.about,
		Comment: in.comment, CommentMax: survey.MaxComment, Honeypot: k.poster, FormToken: k.token, CSS: formCSS, JS: formJS}
	v.Title, v.Intro = t["receipt.title"], t["intro"]
	overallLabel := t["q.receipt"]
	if k.poster {
		v.Title, v.Intro, overallLabel = t["poster.title"], t["poster.intro"], t["q.poster"]
	}
	for _, c := range sv.Criteria {
		q := criterionQuestion(c, lang, in, errs)
		if c.Key == survey.OverallKey {
			q.Label, q.Big = overallLabel, true
			v.Overall = q
			continue
		}
		if n := len(v.Elements); n == 0 || v.Elements[n-1].Key != c.Element {
			v.Elements = append(v.Elements, elementView{Key: c.Element, Legend: elementLabel(sv, c.Element, lang)})
		}
		el := &v.Elements[len(v.Elements)-1]
		el.Questions = append(el.Questions, q)
	}
	if !k.poster {
		for _, f := range sv.Facts {
			v.Facts = append(v.Facts, factQuestion(f, lang, in, errs))
		}
	}
	for _, r := range sv.Reasons {
		v.Reasons = append(v.Reasons, choice{ID: "r-" + r.Key, Key: r.Key, Label: r.Label.In(lang), Checked: in.reasons[r.Key]})
	}
	v.CommentError = errs["comment"]
	v.Errors = summary(v, errs)
	return v
}

func elementLabel(sv *survey.Survey, key, lang string) string {
	for _, e := range sv.Elements {
		if e.Key == key {
			return e.Label.In(lang)
		}
	}
	return key
}

func criterionQuestion(c survey.Criterion, lang string, in *formInput, errs map[string]string) question {
	name := "c." + c.Key
	q := question{Key: c.Key, Name: name, Label: c.Label.In(lang), Error: errs[name]}
	chosen := in.raw[name]
	faces := faceOf[c.Scale]
	for i, w := range scaleWords(c.Scale, lang) {
		s := strconv.Itoa(i + 1)
		q.Options = append(q.Options, option{ID: "c-" + c.Key + "-" + s, Value: s, Score: i + 1, Face: faces[i], Word: w, Checked: chosen == s})
	}
	q.NA = &option{ID: "c-" + c.Key + "-na", Value: "na", Score: survey.NA, Word: formWords["na"].In(lang), Checked: chosen == "na"}
	return q
}

func factQuestion(f survey.Fact, lang string, in *formInput, errs map[string]string) question {
	name := "f." + f.Key
	q := question{Key: f.Key, Name: name, Label: f.Label.In(lang), Error: errs[name]}
	for i, o := range f.Options {
		s := strconv.Itoa(i)
		q.Options = append(q.Options, option{ID: "f-" + f.Key + "-" + s, Value: s, Score: i, Word: o.In(lang), Checked: in.raw[name] == s})
	}
	return q
}

// summary lists the errors in page order, each linking to its field's
// first control (the GOV.UK error summary).
func summary(v *formView, errs map[string]string) []formError {
	if len(errs) == 0 {
		return nil
	}
	var out []formError
	add := func(q question) {
		if q.Error != "" {
			out = append(out, formError{Href: "#" + q.Options[0].ID, Message: q.Error})
		}
	}
	add(v.Overall)
	for _, q := range v.Facts {
		add(q)
	}
	for _, el := range v.Elements {
		for _, q := range el.Questions {
			add(q)
		}
	}
	if m := errs["reasons"]; m != "" && len(v.Reasons) > 0 {
		out = append(out, formError{Href: "#" + v.Reasons[0].ID, Message: m})
	}
	if m := errs["comment"]; m != "" {
		out = append(out, formError{Href: "#comment", Message: m})
	}
	return out
}
