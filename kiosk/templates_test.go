package kiosk

import (
	"bytes"
	"hailong/survey"
	"strings"
	"testing"
)

// Every view renders, escapes what it is given, and links hashed assets.
func TestRenderEveryView(t *testing.T) {
	db := mustDB(t)
	k, _ := mustKiosk(t, db, "a-q1")
	page, err := buildPage(survey.ServicesOf(db), k)
	if err != nil {
		t.Fatal(err)
	}
	page.State.Unit.Name = "Sở <script>"
	page.Paired = "Ki-ốt «<b>» đã được ghép nối."
	data := map[string]any{
		"notice": notice{Title: "Tiêu đề <b>", Lines: []string{"Dòng <script>"}, English: []string{"Line"}},
		"kiosk":  page,
		"pair":   pairView{Code: "mã", Kiosk: "Ki-ốt <script>", Unit: "Sở Công Thương", Counter: "Quầy 1"},
	}
	for name, d := range formViewData(t, db) { // receipts, the mobile form, posters
		data[name] = d
	}
	for _, tmpl := range views.Templates() {
		name := tmpl.Name()
		if !strings.HasSuffix(name, ".html") && name != "" && !partials[name] {
			d, ok := data[name]
			if !ok {
				t.Errorf("view %q has no test data", name)
				continue
			}
			var buf bytes.Buffer
			if err := views.ExecuteTemplate(&buf, name, d); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			out := buf.String()
			if strings.Contains(out, "<script>") || !strings.Contains(out, "&lt;script&gt;") || !strings.Contains(out, ".css?v=") {
				t.Fatalf("%s: not escaped or no hashed CSS:\n%s", name, out)
			}
		}
	}
}
