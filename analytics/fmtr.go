package analytics

import "hailong/analytics/engine"

// fmtr is the pages' formatting (engine.Formatter: numbers, dates, labels
// in the page's language) with the page-specific wording the handlers add
// as methods of their own.
type fmtr struct{ engine.Formatter }

func newFmtr(lang string) fmtr { return fmtr{engine.NewFormatter(lang)} }
