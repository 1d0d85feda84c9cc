package engine

import (
	"hailong/analytics/engine/enginetest"
	"hailong/survey"
)

// The shared fixtures (analytics/engine/enginetest), by their short names.
type resp = enginetest.Resp

var (
	hcm          = enginetest.HCM
	testNow      = enginetest.TestNow
	mustOpen     = enginetest.MustOpen
	mustOrg      = enginetest.MustOrg
	threeLevel   = enginetest.ThreeLevel
	mustInsert   = enginetest.MustInsert
	repeat       = enginetest.Repeat
	day          = enginetest.Day
	mustDossiers = enginetest.MustDossiers
)

// newEngine is an engine over db with the default methodology.
func newEngine(s *survey.Services, surveyKey string) *Engine {
	return New(SourceOf(s), DefaultConfig, surveyKey)
}
