// Package publish is the public, read-only face of an installation
// (docs/PUBLICATION.md, docs/OPEN_DATA.md): the results page /cong-khai, an
// embeddable widget and SVG badge per agency, and the open data as JSON and
// CSV. Nothing here needs a login, so nothing here may show a comment, a
// staff name (unless an administrator publishes staff-level figures), or a
// figure under the minimum n. Figures come from the analytics engine over
// the store's counts and are cached for a minute.
package publish

import (
	"bytes"
	"embed"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"hailong/analytics/engine"
	"hailong/survey"
	"hailong/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// pages are the page, the notice, the widget; parsed once at start-up.
var pages = web.ParsePages(templateFS, "templates/*.html", "")

// Cache bounds: snapshots (one per period) and rendered outputs (per
// period, language, agency and kind) live TTL; the outputs weigh at most
// maxOutputBytes in all (a page is ~45 KB with its gzip form, the demo
// province's data.json ~220 KB), so that requests for every period and
// agency cannot grow the heap beyond it.
const (
	TTL            = time.Minute
	maxSnaps       = 32
	maxOutputs     = 512
	maxOutputBytes = 16 << 20
	pageMaxAge     = 60  // seconds a browser or proxy may reuse the page
	fileMaxAge     = 300 // the widget, the badge and the data files
)

// server holds the caches of one installation.
type server struct {
	d      *web.Deps
	snaps  *cache[*snapshot]
	fams   *cache[*family]
	outs   *cache[*output]
	mu     sync.Mutex
	last   Settings // the settings of the last request
	loaded bool
}

// Routes registers the public routes (no login).
func Routes(app fiber.Router, d *web.Deps) {
	s := newServer(d)
	app.Get("/cong-khai", s.getPage)
	app.Get("/cong-khai/widget/:unit", s.getWidget)
	app.Get("/cong-khai/badge/:unit.svg", s.getBadge)
	app.Get("/cong-khai/data.json", s.getJSON)
	app.Get("/cong-khai/data.csv", s.getCSV)
	app.Get("/cong-khai/heads.json", s.getHeads)
	v := &verifier{d: d, limit: web.NewLimiter(d.Limits, "verify", codeLookups, codeWindow)}
	app.Get("/cong-khai/xac-minh", v.getVerify)
}

// newServer returns the caches of one installation.
func newServer(d *web.Deps) *server {
	return &server{d: d, snaps: newCache[*snapshot](maxSnaps, TTL), fams: newCache[*family](maxSnaps, TTL), outs: newCache[*output](maxOutputs, TTL).weighed(maxOutputBytes, outputSize)}
}

// settings returns the settings in force, read at every request (the
// store caches them). When they differ from the last request's, every
// cached value is dropped; the cache keys carry the settings' fingerprint
// too, so no stale value is ever served.
func (s *server) settings() Settings {
	st := settingsOf(s.d.Settings.Settings())
	s.mu.Lock()
	changed := !s.loaded || st.fingerprint != s.last.fingerprint
	s.last, s.loaded = st, true
	s.mu.Unlock()
	if changed {
		s.snaps.clear()
		s.fams.clear()
		s.outs.clear()
	}
	return st
}

// request is a parsed public request: the settings, the language, the
// period and the agency.
type request struct {
	st     Settings
	lang   string
	today  int32
	choice choice
	period engine.Period
	unit   string
}

// Errors of public requests: the message is shown as is, in both languages.
var (
	errOff     = survey.Errorf(survey.ENOTFOUND, "Kết quả đánh giá chưa được công bố. / The results are not published yet.")
	errLang    = &survey.Error{Code: survey.EINVALID, Field: "lang", Message: "Ngôn ngữ phải là vi hoặc en. / lang must be vi or en."}
	errPeriod  = &survey.Error{Code: survey.EINVALID, Field: "p", Message: "Kỳ không hợp lệ: dùng năm (2025) hoặc quý (2025-q3). / Invalid period: use a year (2025) or a quarter (2025-q3)."}
	errNoData  = &survey.Error{Code: survey.ENOTFOUND, Field: "p", Message: "Chưa có số liệu công bố cho kỳ này. / Nothing is published for this period."}
	errNoUnit  = &survey.Error{Code: survey.ENOTFOUND, Field: "unit", Message: "Không có đơn vị này trong danh sách công khai. / This unit is not among the published ones."}
	errNothing = survey.Errorf(survey.ENOTFOUND, "Chưa có kỳ nào được công bố. / No period is published yet.")
)

// parse reads lang, p and the agency (unit, or the route's :unit). Unknown
// query parameters are ignored: portals and social networks append their own.
func (s *server) parse(c *fiber.Ctx, unit string) (*request, error) {
	db := s.d.Services
	r := &request{st: s.settings(), lang: "vi", today: survey.DayOf(db.Clock.Now(), db.Clock.Loc()), unit: strings.Clone(unit)}
	switch c.Query("lang") {
	case "", "vi":
	case "en":
		r.lang = "en"
	default:
		return r, errLang
	}
	if !r.st.Enabled {
		return r, errOff
	}
	var ok bool
	// Values from the query live in Fiber's reused buffers: copy what is kept.
	if key := strings.Clone(c.Query("p")); key != "" {
		if r.choice, ok = parseChoice(strings.ToLower(key)); !ok {
			return r, errPeriod
		}
		if r.period, ok = r.st.window(r.choice, r.today); !ok {
			return r, errNoData
		}
	} else {
		if r.choice, ok = r.st.defaultChoice(r.today); !ok {
			return r, errNothing
		}
		r.period, _ = r.st.window(r.choice, r.today)
	}
	if r.unit != "" && (!survey.ValidID(r.unit) || !r.st.UnitPublic(db.Org.Unit(r.unit))) {
		return r, errNoUnit
	}
	return r, nil
}

// snapshot returns the (cached) snapshot of r's period.
func (s *server) snapshot(r *request) (*snapshot, error) {
	return s.snaps.get("snap|"+r.choice.Key+"|"+r.st.fingerprint, func() (*snapshot, error) {
		return build(s.d.Services, r.st, r.choice, r.period, func(y int) (*family, error) { return s.family(r, y) })
	})
}

// family returns the (cached) family of year y: the figures of the year and
// its quarters, withheld alike for every period's page and data.
func (s *server) family(r *request, y int) (*family, error) {
	key := "fam|" + strconv.Itoa(y) + "|" + strconv.Itoa(int(r.today)) + "|" + r.st.fingerprint
	return s.fams.get(key, func() (*family, error) { return buildFamily(s.d.Services, r.st, y, r.today) })
}

// cached returns the output of kind for r, rendering it with fn from the
// snapshot on a miss.
func (s *server) cached(r *request, kind string, fn func(*snapshot) (*output, error)) (*output, error) {
	key := kind + "|" + r.choice.Key + "|" + r.lang + "|" + r.unit + "|" + r.st.fingerprint
	return s.outs.get(key, func() (*output, error) {
		snap, err := s.snapshot(r)
		if err != nil {
			return nil, err
		}
		if r.unit != "" && snap.unit(r.unit) == nil {
			return nil, errNoUnit // added to a public group after the snapshot was taken: visible within a minute
		}
		return fn(snap)
	})
}

// render executes template tmpl of page name into bytes.
func render(name, tmpl string, p *web.Page) ([]byte, error) {
	if p.Lang == "" {
		p.Lang = "vi"
	}
	var buf bytes.Buffer
	if err := pages[name].ExecuteTemplate(&buf, tmpl, p); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// publisher names the installation: its top-level units.
func publisher(db survey.OrgService) string {
	var names []string
	for _, u := range db.Units() {
		if u.Parent == "" {
			names = append(names, u.Name)
		}
	}
	return strings.Join(names, "; ")
}
