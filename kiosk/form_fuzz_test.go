package kiosk

import (
	"net/url"
	"testing"
	"time"

	"hailong/survey"
)

// FuzzFormPost feeds arbitrary form bodies to the mobile form's parser
// (receipts with TT 01 facts, posters without): it never panics, and what
// it accepts without errors is a response the store validates.
func FuzzFormPost(f *testing.F) {
	for _, s := range []string{
		"c.overall=5&c.facilities=1&reasons=had_to_stand&comment=ok",
		"c.overall=0&f.tt01_contacts=2&lang=en",
		"c.overall=9", "c.overall=abc&c.overall=3", "c.nope=1", "reasons=nope&reasons=nope",
		"comment=" + url.QueryEscape("<script>alert(1)</script>\r\n"), "website_url=x&c.overall=4",
		"f.tt01_agencies=99", "%zz=1", "c.=1&f.=2",
	} {
		f.Add(s, true)
		f.Add(s, false)
	}
	sv := survey.DefaultSurveys()[1]
	if sv.Key != survey.SurveySipas {
		f.Fatalf("expected sipas, got %s", sv.Key)
	}
	sv.Version = 1
	f.Fuzz(func(t *testing.T, body string, facts bool) {
		vals, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		in, errs := parseForm(vals, sv, facts)
		if len(errs) > 0 || in.honeypot {
			return
		}
		r := in.response(sv)
		r.Channel, r.Unit, r.SubmittedAt, r.ReceivedAt = survey.ChannelQR, "so-a", time.Now(), time.Now()
		if err := r.Validate(sv); err != nil {
			t.Fatalf("parser accepted %q but the store refuses it: %v", body, err)
		}
	})
}
