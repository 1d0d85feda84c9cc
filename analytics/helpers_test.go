package analytics

import "hailong/analytics/engine/enginetest"

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
	marchAt      = enginetest.MarchAt
)
