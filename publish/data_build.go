package publish

import (
	"encoding/json"

	"hailong/survey"
	"hailong/web"
)

// OpenData computes the open data (data.json) of period ("2025", "2025-q3";
// "" = the default period) from db exactly as GET /cong-khai/data.json
// serves it, without a cache: `hailong verify --log` recomputes the
// published figures from a replayed log with it. Errors as the route's.
func OpenData(db *survey.Services, period string) ([]byte, error) {
	s := newServer(&web.Deps{Services: db})
	r := &request{st: s.settings(), lang: "", today: survey.DayOf(db.Clock.Now(), db.Clock.Loc())}
	if !r.st.Enabled {
		return nil, errOff
	}
	var ok bool
	if period != "" {
		if r.choice, ok = parseChoice(period); !ok {
			return nil, errPeriod
		}
		if r.period, ok = r.st.window(r.choice, r.today); !ok {
			return nil, errNoData
		}
	} else {
		if r.choice, ok = r.st.defaultChoice(r.today); !ok {
			return nil, errNothing
		}
		r.period, _ = r.st.window(r.choice, r.today)
	}
	snap, err := s.snapshot(r)
	if err != nil {
		return nil, err
	}
	return json.Marshal(buildData(snap, publisher(db.Org)))
}
