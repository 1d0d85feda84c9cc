package admin_test

import (
	"fmt"
	"hailong/survey/bolt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"hailong/survey"
)

var dispositionRE = regexp.MustCompile(`^attachment; filename="hailong-\d{8}-\d{4}\.db"$`)

// TestBackupWhileWriting downloads a backup while responses keep arriving:
// the download is a valid database and the writers never wait for it.
func TestBackupWhileWriting(t *testing.T) {
	s := newServer(t)
	adm := s.login(t, "root", survey.RoleAdmin, "")
	s.login(t, "xem", survey.RoleViewer, "so-b")
	var wg sync.WaitGroup
	errs := make(chan error, 1)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 200; i++ {
			r := &survey.Response{Survey: "quay", Channel: survey.ChannelWeb, Unit: "so-a", Answers: map[string]int{"overall": 1 + i%5}}
			if _, err := s.DB.Submit(r); err != nil {
				errs <- err
				return
			}
		}
	}()
	for i := 0; i < 3; i++ {
		req, _ := http.NewRequest("POST", s.URL+"/admin/backup", strings.NewReader(url.Values{"_csrf": {adm.CSRF}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, err := adm.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("download: %d, %v", res.StatusCode, err)
		}
		if cd := res.Header.Get("Content-Disposition"); !dispositionRE.MatchString(cd) {
			t.Errorf("Content-Disposition %q", cd)
		}
		if n, _ := strconv.Atoi(res.Header.Get("Content-Length")); n != len(data) || n == 0 {
			t.Errorf("Content-Length %d, body %d bytes", n, len(data))
		}
		checkBackup(t, data)
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		t.Fatalf("a write failed during the backup: %v", err)
	}
	if n := s.DB.ResponseCount(); n != 200 {
		t.Errorf("%d responses stored", n)
	}
	e := s.DB.AuditLog(1, zeroTime)
	if len(e) != 1 || e[0].Action != "backup.download" || !strings.HasPrefix(e[0].Target, "hailong-") {
		t.Errorf("audit %+v", e)
	}
}

// checkBackup opens a downloaded copy as a database.
func checkBackup(t *testing.T, data []byte) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "hailong.db")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		t.Fatalf("open the backup: %v", err)
	}
	defer db.Close()
	if db.User("root") == nil || db.User("xem") == nil || db.Unit("so-a") == nil || db.Survey("quay", 0) == nil {
		t.Error("the backup lacks users, units or surveys")
	}
	if n := db.ResponseCount(); n > 200 {
		t.Errorf("%d responses in the backup", n)
	}
}

func TestAuditPages(t *testing.T) {
	s := newServer(t)
	adm := s.login(t, "root", survey.RoleAdmin, "")
	for i := 0; i < 60; i++ {
		if err := s.DB.Audit(survey.AuditEntry{Actor: "cli", Action: "test.entry", Target: fmt.Sprintf("muc-%02d", i), Detail: "<script>alert(1)</script>"}); err != nil {
			t.Fatal(err)
		}
	}
	_, body := adm.get("/admin/audit")
	if n := strings.Count(body, "<code>test.entry</code>"); n != 50 {
		t.Errorf("first page: %d test rows", n)
	}
	mustContain(t, "first page", body, "muc-59", "&lt;script&gt;alert(1)&lt;/script&gt;", "Asia/Ho_Chi_Minh")
	if strings.Contains(body, "<script>alert(1)") {
		t.Error("detail not escaped")
	}
	next := regexp.MustCompile(`href="/admin/audit\?before=(\d+)"`).FindStringSubmatch(body)
	if next == nil {
		t.Fatal("no link to older entries")
	}
	_, body = adm.get("/admin/audit?before=" + next[1])
	if n := strings.Count(body, "<code>test.entry</code>"); n != 10 || !strings.Contains(body, "muc-00") || strings.Contains(body, "muc-10<") || !strings.Contains(body, "<code>login</code>") {
		t.Errorf("second page: %d rows", n)
	}
	if strings.Contains(body, "?before=") {
		t.Error("a link past the oldest entry")
	}
}
