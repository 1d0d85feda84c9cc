// Package analytics is the HTTP side of the analytics: the JSON API under
// /api/v1/analytics/ (routes.go), the dashboard, criterion, comments and
// report pages, the CSV and Excel exports, and the improvement actions'
// pages and API. The figures come from package engine (analytics/engine),
// which holds the math and the queries and imports no HTTP package.
package analytics

import (
	"hailong/analytics/engine"
	"hailong/survey"
)

// newEngine returns the engine over the store's services with the
// installation's methodology (ConfigFrom) and the catalogue of surveyKey
// ("" = every survey).
func newEngine(db *survey.Services, surveyKey string) *engine.Engine {
	return engine.New(engine.SourceOf(db), ConfigFrom(db.Settings), surveyKey)
}
