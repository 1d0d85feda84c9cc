package cells

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

func TestSafe(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`=HYPERLINK("http://x","y")`, `'=HYPERLINK("http://x","y")`},
		{"+1+1", "'+1+1"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"＝1+1", "'＝1+1"},
		{"＋1", "'＋1"},
		{"－1", "'－1"},
		{"＠SUM(A1)", "'＠SUM(A1)"},
		{"Sở Tư pháp", "Sở Tư pháp"},
		{"a=1", "a=1"},
		{"", ""},
	} {
		if got := Safe(c.in); got != c.want {
			t.Errorf("Safe(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// Text is protected wherever it is written, numbers never are: a negative
// change stays a number.
func TestCSVProtectsTextOnly(t *testing.T) {
	var buf bytes.Buffer
	w := NewCSV(&buf)
	w.Header([]string{"label", "delta", "n", "text_number"})
	w.Write(Text("-2+3"), Float(-0.27, 2), Int(-3), Text("-0.27"))
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	body := buf.String()
	if !strings.HasPrefix(body, "\uFEFF") {
		t.Fatal("no byte-order mark")
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[1], "|"); got != "'-2+3|-0.27|-3|'-0.27" {
		t.Errorf("row %q", got)
	}
	vals := Values("=1", Float(-0.27, 2), Int(uint64(7)), Text("@x"), nil, true, 1.5)
	want := []any{"'=1", -0.27, uint64(7), "'@x", nil, true, 1.5}
	for i := range want {
		if vals[i] != want[i] {
			t.Errorf("Values[%d] = %#v, want %#v", i, vals[i], want[i])
		}
	}
}
