package admin_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"hailong/survey"
	"hailong/survey/storetest"
)

var pairURLRE = regexp.MustCompile(`id="pair-url"[^>]*>http://example\.test/kiosk/pair/([A-Za-z0-9_-]+)</textarea>`)

// pairCode returns the code of the pairing link shown on a page.
func pairCode(t *testing.T, body string) string {
	t.Helper()
	m := pairURLRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no pairing link on the page")
	}
	if strings.Contains(body, `href="http://example.test/kiosk/pair/`) {
		t.Fatal("the pairing link is clickable: the admin's own browser would become the kiosk")
	}
	return m[1]
}

func TestOrgKioskLifecycle(t *testing.T) {
	s := newServer(t)
	orgFixture(t, s)
	mgr := s.login(t, "giamdoc", survey.RoleManager, "so-a")
	adm := s.login(t, "quantri", survey.RoleAdmin, "")
	// The ranked party does not create what submits: a manager sees kiosks
	// but neither adds one nor makes a pairing link (docs/SECURITY.md).
	if st, _ := mgr.post("/admin/kiosks", url.Values{"name": {"Ki-ốt Quầy 1"}, "unit": {"so-a"}, "counter": {"a-q1"}}); st != http.StatusForbidden {
		t.Fatalf("a manager added a kiosk: %d", st)
	}
	if s.DB.Kiosk("so-a-kiosk-1") != nil {
		t.Fatal("the refused kiosk was stored")
	}
	if _, body := mgr.get("/admin/kiosks"); strings.Contains(body, `action="/admin/kiosks" class="stack"`) || !strings.Contains(body, "data-kiosk-admin-only") {
		t.Fatal("the manager's kiosk page offers the add form")
	}
	st, body := adm.post("/admin/kiosks", url.Values{"name": {"Ki-ốt Quầy 1"}, "unit": {"so-a"}, "counter": {"a-q1"}})
	if st != http.StatusCreated {
		t.Fatalf("add: %d", st)
	}
	orgWant(t, "link page", body, "Ki-ốt Quầy 1", "Sở A", "Quầy 1", "một lần")
	code := pairCode(t, body)
	k, key, err := s.DB.PairKiosk(code)
	if err != nil || k.ID != "so-a-kiosk-1" || k.Counter != "a-q1" {
		t.Fatalf("pair with the shown link: %v %+v", err, k)
	}
	if _, body := mgr.get("/admin/kiosks/" + k.ID); strings.Contains(body, code) {
		t.Fatal("the kiosk page shows the pairing code again")
	}

	t.Run("LastSeenAndStale", func(t *testing.T) {
		now := s.DB.Now()
		if err := s.DB.KioskSeen(k.ID, 4, "1.2", now.Add(-10*time.Minute)); err != nil {
			t.Fatal(err)
		}
		_, body := mgr.get("/admin/kiosks")
		local := now.Add(-10 * time.Minute).In(s.DB.Loc()).Format("02/01/2006 15:04:05")
		orgWant(t, "stale kiosk", body, "Đã ghép nối", `tag-bad">Mất liên lạc`, "10 phút trước", local, `<td class="num">4</td>`)
		if err := s.DB.KioskSeen(k.ID, 0, "1.2", now); err != nil {
			t.Fatal(err)
		}
		if _, body = mgr.get("/admin/kiosks"); strings.Contains(body, "tag-bad\">Mất liên lạc") {
			t.Fatal("a kiosk seen just now is tagged stale")
		}
		orgWant(t, "fresh kiosk", body, "vừa xong")
	})

	t.Run("Repair", func(t *testing.T) {
		if st, _ := mgr.post("/admin/kiosks/"+k.ID+"/pair", nil); st != http.StatusForbidden {
			t.Fatalf("a manager made a pairing link: %d", st)
		}
		if _, body := mgr.get("/admin/kiosks/" + k.ID); strings.Contains(body, `/pair"`) {
			t.Fatal("the manager's kiosk page offers a pairing link")
		}
		st, body := adm.post("/admin/kiosks/"+k.ID+"/pair", nil)
		if st != http.StatusOK {
			t.Fatalf("re-pair: %d", st)
		}
		code2 := pairCode(t, body)
		if storetest.Must(s.DB.KioskByKey(key)) == nil {
			t.Fatal("the paired device stopped before the new link was opened")
		}
		_, key2, err := s.DB.PairKiosk(code2)
		if err != nil || storetest.Must(s.DB.KioskByKey(key2)) == nil || storetest.Must(s.DB.KioskByKey(key)) != nil {
			t.Fatalf("after re-pairing: %v", err)
		}
		key = key2
	})

	t.Run("Revoke", func(t *testing.T) {
		if st, _ := mgr.post("/admin/kiosks/"+k.ID+"/revoke", nil); st != http.StatusSeeOther {
			t.Fatalf("revoke: %d", st)
		}
		if storetest.Must(s.DB.KioskByKey(key)) != nil {
			t.Fatal("the device key still authenticates after revoke")
		}
		_, body := mgr.get("/admin/kiosks/" + k.ID + "?ok=kiosk-revoked") // where the redirect goes
		orgWant(t, "revoked kiosk", body, `tag-bad">Đã thu hồi`, `class="flash"`)
		if strings.Contains(body, "/revoke") {
			t.Error("a revoked kiosk still offers revoke")
		}
	})

	t.Run("RepairReinstates", func(t *testing.T) {
		_, body := adm.post("/admin/kiosks/"+k.ID+"/pair", nil)
		_, key3, err := s.DB.PairKiosk(pairCode(t, body))
		if err != nil || storetest.Must(s.DB.KioskByKey(key3)) == nil {
			t.Fatalf("reinstate: %v", err)
		}
	})

	var actions []string
	for _, e := range s.DB.AuditLog(50, time.Time{}) {
		if e.Target == k.ID {
			actions = append(actions, e.Action)
		}
	}
	if got := strings.Join(actions, ","); got != "kiosk.pair,kiosk.revoke,kiosk.pair,kiosk.create" {
		t.Fatalf("audit for %s: %s", k.ID, got)
	}
}
