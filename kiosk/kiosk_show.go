package kiosk

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"hailong/static"
	"hailong/survey"
	"hailong/web"
)

// The kiosk's shell: the page and the assets it needs, which the service
// worker keeps so that a reload while offline still shows the kiosk.
const (
	kioskCSS = "css/kiosk.css"
	kioskJS  = "js/kiosk.js"
	workerJS = "js/sw.js"
)

var kioskFonts = []string{
	"fonts/be-vietnam-pro-vietnamese-600-normal.woff2",
	"fonts/be-vietnam-pro-latin-600-normal.woff2",
}

// Intervals of the page's background work, in seconds.
const (
	heartbeatEvery = 60 // POST /api/v1/kiosk/heartbeat
	pollEvery      = 20 // GET /kiosk/state.json
)

// shell lists the URLs the service worker caches at install.
func shell() []string {
	out := []string{"/kiosk", static.URL(kioskCSS), static.URL(kioskJS)}
	for _, f := range kioskFonts {
		out = append(out, static.URL(f))
	}
	return out
}

// appVersion identifies the kiosk app (templates, assets, service worker):
// a page whose version differs from the server's reloads when idle.
var appVersion = func() string {
	h := sha256.New()
	_ = fs.WalkDir(templateFS, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := templateFS.ReadFile(p)
			h.Write(b)
		}
		return err
	})
	h.Write([]byte(strings.Join(shell(), "\n") + static.URL(workerJS)))
	return hex.EncodeToString(h.Sum(nil))[:12]
}()

// appHeader marks the kiosk page (as opposed to a notice) for the service worker.
const appHeader = "X-Hailong-Kiosk"

// named is an id with its display name.
type named struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// staffView is the staff card of the start screen.
type staffView struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Position string `json:"position"`
	Photo    string `json:"photo"` // URL, "" when there is none: the page shows initials
	Initials string `json:"initials"`
}

// stateView is GET /kiosk/state.json, polled by the page.
type stateView struct {
	Now     int64      `json:"now"` // server clock, Unix ms: the device corrects its own
	Version string     `json:"version"`
	Unit    named      `json:"unit"`
	Counter *named     `json:"counter"`
	Staff   *staffView `json:"staff"`
	Idle    float64    `json:"idle"`   // seconds
	Thanks  float64    `json:"thanks"` // seconds
	Partial string     `json:"partial"`
	// Pace is the least time, in seconds, between the server accepting one
	// answer and the kiosk sending the next: the misuse interval and a
	// margin, so that a queue drained after an outage is not a burst.
	Pace float64 `json:"pace"`
}

// paceMargin is added to the misuse interval between two deliveries.
const paceMargin = 500 * time.Millisecond

func buildState(db *survey.Services, k *survey.Kiosk) stateView {
	st := stateView{Now: db.Clock.Now().UnixMilli(), Version: appVersion, Unit: named{ID: k.Unit, Name: k.Unit}}
	if u := db.Org.Unit(k.Unit); u != nil {
		st.Unit.Name = u.Name
	}
	if c := db.Counters.Counter(k.Counter); c != nil {
		st.Counter = &named{ID: c.ID, Name: c.Name}
		if s := db.Counters.OnDuty(c.ID); s != nil {
			st.Staff = &staffView{ID: s.ID, Name: s.Name, Position: s.Position, Photo: photoURL(s.Photo), Initials: initials(s.Name)}
		}
	}
	set := db.Settings.Settings().Kiosk
	st.Idle, st.Thanks, st.Partial = set.Idle.Seconds(), set.Thanks.Seconds(), set.Partial
	st.Pace = (set.MisuseInterval + paceMargin).Seconds()
	return st
}

// photoURL maps Staff.Photo to a URL: a path or data: URL is used as is; a
// content hash is looked up under /photos/ (served with the staff admin
// pages). A photo that fails to load falls back to initials on the page.
func photoURL(p string) string {
	switch {
	case p == "":
		return ""
	case strings.HasPrefix(p, "/"), strings.HasPrefix(p, "data:image/"):
		return p
	case survey.ValidID(p):
		return "/photos/" + p
	}
	return ""
}

// initials are shown in a circle when a staff member has no photo:
// "Nguyễn Thị Lan" → "NL".
func initials(name string) string {
	f := strings.Fields(name)
	if len(f) == 0 {
		return ""
	}
	first, _ := utf8.DecodeRuneInString(f[0])
	out := string(unicode.ToUpper(first))
	if len(f) > 1 {
		last, _ := utf8.DecodeRuneInString(f[len(f)-1])
		out += string(unicode.ToUpper(last))
	}
	return out
}

// pageView is what the kiosk template renders.
type pageView struct {
	State    stateView
	T        map[string]string // Vietnamese texts by data-t key
	Overall  critView
	Criteria []critView
	Reasons  []string
	Keys     []string // the contact screen's keypad, in order (keypad)
	Data     clientData
	Paired   string // the pairing confirmation, right after pairing only
	// VerifyURL is where a citizen checks a confirmation code (shown on
	// the thanks screen with the code).
	VerifyURL string
	CSS, JS   string
	Fonts     []string
}

// keypad is the contact screen's keys, three a row as on a telephone:
// "clear" (✕) empties the number, "del" (⌫) removes its last digit.
var keypad = []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "del"}

type critView struct {
	Key   string
	Faces []faceView
}

type faceView struct {
	Score int
	Face  int    // which face to draw (1 = very dissatisfied … 5)
	Word  string // data-t key of the word under it
}

// clientData is the page's JSON data block (not executed: CSP allows it).
type clientData struct {
	Version   string                       `json:"v"`
	Survey    string                       `json:"survey"`
	SurveyV   int                          `json:"survey_version"`
	Worker    string                       `json:"sw"`
	State     stateView                    `json:"state"`
	Scales    map[string]int               `json:"scales"`
	Heartbeat int                          `json:"heartbeat"`
	Poll      int                          `json:"poll"`
	T         map[string]map[string]string `json:"t"`
}

func faces(key string, scale int) critView {
	cv := critView{Key: key}
	for i, f := range faceOf[scale] {
		cv.Faces = append(cv.Faces, faceView{Score: i + 1, Face: f, Word: fmt.Sprintf("w%d.%d", scale, i+1)})
	}
	return cv
}

func buildPage(db *survey.Services, k *survey.Kiosk) (*pageView, error) {
	key := db.Surveys.SurveyFor(k.Unit, survey.UseKiosk)
	sv := db.Surveys.Survey(key, 0)
	if sv == nil {
		return nil, survey.Errorf(survey.EINTERNAL, "survey %q is missing", key)
	}
	v := &pageView{State: buildState(db, k), T: dictionary(sv, "vi"), Keys: keypad, CSS: static.URL(kioskCSS), JS: static.URL(kioskJS)}
	for _, f := range kioskFonts {
		v.Fonts = append(v.Fonts, static.URL(f))
	}
	v.Data = clientData{Version: appVersion, Survey: sv.Key, SurveyV: sv.Version, Worker: "/kiosk/sw.js", State: v.State,
		Scales: map[string]int{}, Heartbeat: heartbeatEvery, Poll: pollEvery,
		T: map[string]map[string]string{"vi": v.T, "en": dictionary(sv, "en")}}
	for _, c := range sv.Criteria {
		v.Data.Scales[c.Key] = c.Scale
		if c.Key == survey.OverallKey {
			v.Overall = faces(c.Key, c.Scale)
		} else {
			v.Criteria = append(v.Criteria, faces(c.Key, c.Scale))
		}
	}
	for _, r := range sv.Reasons {
		v.Reasons = append(v.Reasons, r.Key)
	}
	return v, nil
}

// pairedKiosk returns the kiosk whose device cookie the request carries,
// nil for none; an error (503) when the store could not be asked.
func pairedKiosk(d *web.Deps, c *fiber.Ctx) (*survey.Kiosk, error) {
	if key := c.Cookies(web.KioskCookie); key != "" {
		k, err := d.Kiosks.KioskByKey(key)
		if err != nil {
			return nil, web.StoreDown(err)
		}
		return k, nil
	}
	return nil, nil
}

// kioskPage serves the kiosk to a paired device, and a clear notice (not an
// error) to any other browser.
func kioskPage(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		k, err := pairedKiosk(d, c)
		if err != nil {
			return err
		}
		if k == nil {
			return render(c, fiber.StatusOK, "notice", notice{
				Title:   "Thiết bị này chưa được ghép nối",
				Lines:   []string{"Ki-ốt cần được ghép nối với một đơn vị trước khi nhận đánh giá.", "Cán bộ quản trị: chạy lệnh hailong kiosk add rồi mở liên kết ghép nối trên thiết bị này."},
				English: []string{"This device is not paired. Administrator: run hailong kiosk add and open the pairing link on this device."},
			})
		}
		v, err := buildPage(d.Services, k)
		if err != nil {
			return err
		}
		if base := d.PublicURL; base != "" {
			v.VerifyURL = base + "/cong-khai/xac-minh"
		} else {
			v.VerifyURL = c.BaseURL() + "/cong-khai/xac-minh"
		}
		if c.Query("paired") == "1" {
			v.Paired = "Ki-ốt «" + k.Name + "» đã được ghép nối với " + v.State.Unit.Name
			if v.State.Counter != nil {
				v.Paired += ", " + v.State.Counter.Name
			}
			v.Paired += "."
		}
		c.Set(fiber.HeaderCacheControl, "no-cache")
		c.Set(appHeader, appVersion) // the service worker keeps only this page, never a notice
		return render(c, fiber.StatusOK, "kiosk", v)
	}
}

// kioskState serves GET /kiosk/state.json to a paired kiosk: names, who is
// on duty at its counter, the settings and the server's clock.
func kioskState(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		k, err := pairedKiosk(d, c)
		if err != nil {
			return err
		}
		if k == nil {
			return survey.Errorf(survey.EUNAUTHORIZED, "Thiết bị chưa được ghép nối hoặc đã bị thu hồi. / This device is not paired or was revoked.")
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(buildState(d.Services, k))
	}
}

// kioskWorker serves the service worker from /kiosk/ with the header that
// lets it control /kiosk itself, its shell list prepended.
func kioskWorker(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, "text/javascript; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "no-cache")
	c.Set("Service-Worker-Allowed", "/kiosk")
	return c.SendString(workerSource)
}

var workerSource = func() string {
	var b strings.Builder
	b.WriteString("var VERSION = \"" + appVersion + "\";\nvar SHELL = [")
	for i, u := range shell() {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("\"" + u + "\"")
	}
	b.WriteString("];\n")
	b.Write(static.Bytes(workerJS))
	return b.String()
}()
