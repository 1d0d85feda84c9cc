package analytics

import (
	"sort"
	"strconv"
	"time"

	"hailong/analytics/engine"
	"hailong/survey"
)

// Alerts: a criterion, or a child unit's criterion, whose share of negative
// answers over the last AlertDays days of the period (with at least the
// minimum n) is at or above AlertNegative percent (both in
// survey.Settings.Analytics).

type alertView struct {
	Title, Text, Reasons, Href string
	Actions                    []option // open improvement actions on it (Value: link, Label: title)
	NewAction                  string   // invites one when none is open (managers and admins)
}

type alertsView struct {
	Window, Rule string
	Items        []alertView
}

// alertConfig reads the alert settings.
func alertConfig(db survey.SettingsService) (days int, threshold float64) {
	a := db.Settings().Analytics
	return a.AlertDays, a.AlertNegative
}

func (r *pageReq) alerts(db *survey.Services) (alertsView, error) {
	f, e, minN := r.f, r.eng, r.eng.Cfg.MinN
	days, threshold := alertConfig(db.Settings)
	win := engine.LastDays(days, r.period.To)
	v := alertsView{Window: f.Range(win),
		Rule: f.T("Tỉ lệ không hài lòng từ ", "Negative share at or above ") + f.Pct(threshold) +
			f.T(" trong ", " over the last ") + strconv.Itoa(days) + f.T(" ngày gần nhất, n ≥ ", " days, n ≥ ") + strconv.Itoa(minN)}
	labels := reasonLabels(db.Surveys)
	add := func(unit, unitName string, pp engine.PainPoint, href string) error {
		a := alertView{Title: f.Text(e.Cat.Criterion(pp.Key).Label), Href: href,
			Text: f.Pct(pp.Value) + f.T(" ý kiến không hài lòng (", " negative (") + f.Int(pp.Negative) + "/" + f.Int(pp.N) + ")"}
		if unitName != "" {
			a.Title = unitName + " — " + a.Title
		}
		a.Reasons = f.reasonList(pp.Reasons, labels)
		var err error
		if a.Actions, a.NewAction, err = r.actionLinks(db, unit, pp.Key); err != nil {
			return err
		}
		v.Items = append(v.Items, a)
		return nil
	}
	points, _, err := e.PainPoints(r.filter, win, 2)
	if err != nil {
		return v, err
	}
	for _, pp := range points {
		if pp.OK && !engine.TooFew(pp.N, minN) && pp.Value >= threshold {
			if err := add(r.filter.Unit, "", pp, r.link("/dashboard/criteria/"+pp.Key)); err != nil {
				return v, err
			}
		}
	}
	children := e.Org().Children(r.filter.Unit)
	if r.filter.Unit == "" || len(children) > 100 {
		return v, nil
	}
	for _, child := range children {
		g := r.filter
		g.Unit = child
		pts, _, err := e.PainPoints(g, win, 2)
		if err != nil {
			return v, err
		}
		for _, pp := range pts { // most negative first: the worst one that counts
			if pp.OK && !engine.TooFew(pp.N, minN) && pp.Value >= threshold {
				if err := add(child, e.Org().Name(child), pp, r.link("/dashboard/criteria/"+pp.Key, "unit", child)); err != nil {
					return v, err
				}
				break
			}
		}
	}
	return v, nil
}

// reasonList writes "Phải đứng 64,00 %; Vách kính 40,00 %".
func (f fmtr) reasonList(rs []engine.ReasonShare, labels map[string]survey.Text) string {
	s := ""
	for i, rr := range rs {
		if i > 0 {
			s += "; "
		}
		l, ok := labels[rr.Key]
		name := rr.Key
		if ok {
			name = f.Text(l)
		}
		s += name
		if rr.OK {
			s += " " + f.Pct(rr.Share)
		}
	}
	return s
}

// kioskRow is one kiosk's health.
type kioskRow struct {
	Name, Unit, LastSeen, Queue, Status, Class string
}

// kioskStale is how long without a heartbeat (sent every 60 s) a kiosk is
// shown as offline, as docs/KIOSK.md suggests for alerts.
const kioskStale = 5 * time.Minute

// kiosks lists the paired kiosks of the page's units.
func (r *pageReq) kiosks(db *survey.Services) []kioskRow {
	f := r.f
	in := map[string]bool{}
	g := r.filter
	r.eng.Expand(&g)
	for _, u := range g.Units {
		in[u] = true
	}
	ks := db.Kiosks.Kiosks()
	sort.Slice(ks, func(i, j int) bool { return ks[i].Name < ks[j].Name })
	var out []kioskRow
	now := db.Clock.Now()
	for _, k := range ks {
		if k.Revoked || !in[k.Unit] {
			continue
		}
		row := kioskRow{Name: k.Name, Unit: r.eng.Org().Name(k.Unit), Queue: strconv.Itoa(k.Queue),
			LastSeen: f.T("chưa kết nối", "never"), Status: f.T("Chưa kết nối", "Never seen"), Class: "tag"}
		if !k.LastSeen.IsZero() {
			row.LastSeen = f.Time(k.LastSeen, db.Clock.Loc())
			row.Status, row.Class = f.T("Mất kết nối", "Offline"), "tag tag-bad"
			if now.Sub(k.LastSeen) < kioskStale {
				row.Status, row.Class = f.T("Hoạt động", "Online"), "tag tag-ok"
			}
		}
		if k.Queue > 0 {
			row.Status += f.T(" · còn phiếu chờ gửi", " · answers queued")
		}
		out = append(out, row)
	}
	return out
}
