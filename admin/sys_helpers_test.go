package admin_test

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

var zeroTime time.Time

// Helpers of the installation pages' tests: read a rendered form the way a
// browser would submit it.

var (
	formRE   = regexp.MustCompile(`(?s)<form[^>]*action="([^"]*)"[^>]*>(.*?)</form>`)
	inputRE  = regexp.MustCompile(`<input\b[^>]*>`)
	selectRE = regexp.MustCompile(`(?s)<select\b[^>]*name="([^"]*)"[^>]*>(.*?)</select>`)
	optionRE = regexp.MustCompile(`<option\b[^>]*value="([^"]*)"[^>]*>`)
	attrRE   = regexp.MustCompile(`\b(name|value|type)="([^"]*)"`)
)

// formValues returns the values the form posting to action would send as
// rendered: text and hidden inputs, checked boxes, selected options.
func formValues(t *testing.T, body, action string) url.Values {
	t.Helper()
	for _, m := range formRE.FindAllStringSubmatch(body, -1) {
		if html.UnescapeString(m[1]) != action {
			continue
		}
		v := url.Values{}
		for _, in := range inputRE.FindAllString(m[2], -1) {
			a := map[string]string{}
			for _, kv := range attrRE.FindAllStringSubmatch(in, -1) {
				a[kv[1]] = html.UnescapeString(kv[2])
			}
			if a["name"] == "" || (a["type"] == "checkbox" && !strings.Contains(in, " checked")) {
				continue
			}
			v.Add(a["name"], a["value"])
		}
		for _, s := range selectRE.FindAllStringSubmatch(m[2], -1) {
			chosen := ""
			for i, o := range optionRE.FindAllStringSubmatch(s[2], -1) {
				if i == 0 || strings.Contains(o[0], " selected") {
					chosen = html.UnescapeString(o[1])
				}
			}
			v.Set(s[1], chosen)
		}
		v.Del("_csrf")
		return v
	}
	t.Fatalf("no form posting to %s", action)
	return nil
}

// mustContain fails unless body contains every want.
func mustContain(t *testing.T, what, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("%s: missing %q", what, w)
		}
	}
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, x := range v {
		out[k] = append([]string(nil), x...)
	}
	return out
}
