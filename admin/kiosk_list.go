package admin

import (
	"sort"
	"time"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// staleAfter is how long a paired kiosk may stay silent before the list
// tags it: its heartbeat comes far more often.
const staleAfter = 5 * time.Minute

// kiosksView is the kiosks page: every kiosk in view with its state, and
// the form to add one.
type kiosksView struct {
	orgForm
	Filter   string
	Units    []orgChoice
	Counters []orgChoice // "unit — counter", for the form
	Rows     []kioskRow
}

// kioskRow is a kiosk as the lists and its page show it.
type kioskRow struct {
	ID, Name, Unit, UnitName, Counter, CounterName string
	State, StateClass                              string
	Pending                                        bool   // an unused pairing link exists
	SeenAgo, SeenAt, SeenISO                       string // "" = never seen
	Stale                                          bool
	Queue                                          int
	Version                                        string
	PairedAt, CreatedAt                            string
}

func listKiosks(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		return renderKiosks(c, d, &kiosksView{}, fiber.StatusOK)
	}
}

func renderKiosks(c *fiber.Ctx, d *web.Deps, v *kiosksView, status int) error {
	root, err := scopeRoot(c, d)
	if err != nil {
		return err
	}
	if c.Query("unit") != "" {
		v.Filter = root
	}
	mine := web.Who(c).Unit
	v.Units = unitChoices(d.Services, mine, "")
	byUnit := map[string][]survey.Counter{}
	for _, x := range d.Counters.Counters("") {
		byUnit[x.Unit] = append(byUnit[x.Unit], x)
	}
	for _, u := range orgFlatten(orgTree(d.Services, mine), "") {
		for _, x := range byUnit[u.ID] {
			v.Counters = append(v.Counters, orgChoice{ID: x.ID, Label: u.Name + " — " + x.Name})
		}
	}
	shown := orgInScope(d.Services, root)
	pos := orgUnitOrder(d.Services)
	now := d.Clock.Now()
	for _, k := range d.Kiosks.Kiosks() {
		if shown[k.Unit] {
			v.Rows = append(v.Rows, kioskRowOf(d.Services, k, now))
		}
	}
	sort.Slice(v.Rows, func(i, j int) bool {
		a, b := v.Rows[i], v.Rows[j]
		if pos[a.Unit] != pos[b.Unit] {
			return pos[a.Unit] < pos[b.Unit]
		}
		return a.ID < b.ID
	})
	return pages.Render(c, status, "org_kiosks", orgPage(c, "Ki-ốt / Kiosks", v))
}

// kioskRowOf describes a kiosk: paired or not, last seen (in the
// installation's zone), stale when paired and silent for over staleAfter.
func kioskRowOf(db *survey.Services, k survey.Kiosk, now time.Time) kioskRow {
	r := kioskRow{ID: k.ID, Name: k.Name, Unit: k.Unit, UnitName: orgUnitName(db.Org, k.Unit), Counter: k.Counter,
		Queue: k.Queue, Version: k.Version, Pending: k.PairHash != nil,
		PairedAt: orgTime(db.Clock, k.PairedAt), CreatedAt: orgTime(db.Clock, k.CreatedAt)}
	if x := db.Counters.Counter(k.Counter); x != nil {
		r.CounterName = x.Name
	}
	switch {
	case k.Revoked:
		r.State, r.StateClass = "Đã thu hồi / Revoked", "tag-bad"
	case k.KeyHash != nil:
		r.State, r.StateClass = "Đã ghép nối / Paired", "tag-ok"
	default:
		r.State, r.StateClass = "Chưa ghép nối / Not paired", ""
	}
	if !k.LastSeen.IsZero() {
		r.SeenAgo, r.SeenAt, r.SeenISO = orgAgo(now, k.LastSeen), orgTime(db.Clock, k.LastSeen), k.LastSeen.UTC().Format(time.RFC3339)
	}
	if !k.Revoked && k.KeyHash != nil {
		last := k.LastSeen
		if last.IsZero() { // paired, no heartbeat yet
			last = k.PairedAt
		}
		r.Stale = now.Sub(last) > staleAfter
	}
	return r
}
