package analytics

// Exports for the public results page (package publish), which formats its
// figures exactly as the dashboard does rather than keeping a second copy of
// the number formatting.

// Formatter is the pages' number, date and label formatting for one
// language (dashboard_format.go): "76,29 %", "−0,27 điểm", "14.197" in
// Vietnamese, "76.29 %", "−0.27 points", "14,197" in English.
type Formatter = fmtr

// NewFormatter returns the formatting of lang ("en", else Vietnamese).
func NewFormatter(lang string) Formatter { return newFmtr(lang) }

// MethodText describes the index method in force, in the page's language,
// as the dashboard and the official report print it.
func (f fmtr) MethodText(m Method) string { return f.method(m) }
