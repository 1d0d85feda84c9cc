package analytics

import (
	"sort"
	"strconv"

	"hailong/analytics/engine"
	"hailong/survey"
)

// ActionWindow is the installation's window length (the setting
// Analytics.ActionWindowDays).
func ActionWindow(db survey.SettingsService) int { return db.Settings().Analytics.ActionWindowDays }

// sortActions orders actions for lists: overdue first (the longest overdue
// first), then the other open ones by due date, then the done ones, the
// latest done first.
func sortActions(as []survey.Action, today string) {
	rank := func(a *survey.Action) int {
		switch {
		case a.Overdue(today):
			return 0
		case a.Open():
			return 1
		}
		return 2
	}
	sort.SliceStable(as, func(i, j int) bool {
		a, b := &as[i], &as[j]
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra < rb
		}
		if a.Open() {
			if a.Due != b.Due {
				return a.Due < b.Due
			}
		} else if a.Done != b.Done {
			return a.Done > b.Done
		}
		return idOrder(a.ID, b.ID)
	})
}

// idOrder orders numeric ids numerically, before any other id.
func idOrder(a, b string) bool {
	x, errA := strconv.ParseUint(a, 10, 64)
	y, errB := strconv.ParseUint(b, 10, 64)
	if errA == nil && errB == nil {
		return x < y
	}
	if (errA == nil) != (errB == nil) {
		return errA == nil
	}
	return a < b
}

// relatedActions are the actions the caller p may read that concern unit:
// those of unit's subtree, and those of an ancestor of unit (an action for
// the whole agency concerns its departments too), optionally only those
// targeting criterion key and only the open ones.
func relatedActions(db *survey.Services, cover, unit, key string, openOnly bool) ([]survey.Action, error) {
	all, err := db.Actions.Actions(survey.ActionQuery{Unit: cover})
	if err != nil {
		return nil, err
	}
	var out []survey.Action
	for _, a := range all {
		if openOnly && !a.Open() {
			continue
		}
		if key != "" && !contains(a.Criteria, key) && !contains(a.Criteria, engine.BaseKey(key)) {
			continue
		}
		if unit == "" || db.Org.InSubtree(a.Unit, unit) || db.Org.InSubtree(unit, a.Unit) {
			out = append(out, a)
		}
	}
	return out, nil
}
