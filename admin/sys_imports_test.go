package admin_test

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hailong/survey"
)

// Quản trị → Nhập dữ liệu lists the import batches and withdraws one, with
// a reason, for administrators only.
func TestImportsWithdraw(t *testing.T) {
	s := newServer(t)
	adm := s.login(t, "root", survey.RoleAdmin, "")
	mgr := s.login(t, "giamdoc", survey.RoleManager, "so-a")
	path := filepath.Join(t.TempDir(), "giay-2025.csv")
	csv := "submitted_at,unit,channel,survey,overall\n2025-03-01,so-a,paper,quay,5\n2025-03-02,so-b,paper,quay,1\n"
	if err := os.WriteFile(path, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := s.DB.ImportResponses(path, "cli:ops")
	if err != nil || st.Batch == "" || st.Rows != 2 {
		t.Fatalf("import: %+v %v", st, err)
	}
	_, body := adm.get("/admin/imports")
	mustContain(t, "list", body, "giay-2025.csv", "cli:ops", "2025-03-01 – 2025-03-02", `action="/admin/imports/`+st.Batch+`/withdraw"`, `data-action="withdraw"`)
	if code, _ := mgr.get("/admin/imports"); code != http.StatusForbidden {
		t.Errorf("a manager opened the imports page: %d", code)
	}
	if code, _ := mgr.post("/admin/imports/"+st.Batch+"/withdraw", url.Values{"reason": {"x"}}); code != http.StatusForbidden {
		t.Errorf("a manager withdrew: %d", code)
	}
	if code, _ := adm.postForm("/admin/imports/"+st.Batch+"/withdraw", url.Values{"reason": {"x"}}); code != http.StatusForbidden {
		t.Errorf("a withdrawal without CSRF: %d", code)
	}
	code, body := adm.post("/admin/imports/"+st.Batch+"/withdraw", url.Values{"reason": {"  "}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="reason-`+st.Batch+`-error"`) {
		t.Fatalf("a withdrawal without a reason: %d", code)
	}
	if s.DB.ResponseCount() != 2 {
		t.Fatal("refused withdrawals deleted responses")
	}
	if code, _ := adm.post("/admin/imports/"+st.Batch+"/withdraw", url.Values{"reason": {"Nhập nhầm tệp năm 2025"}}); code != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", code)
	}
	if n := s.DB.ResponseCount(); n != 0 {
		t.Fatalf("%d responses left after the withdrawal", n)
	}
	if ok, err := s.DB.CheckAgg(); err != nil || !ok {
		t.Fatalf("counts differ from a rebuild after the withdrawal (%v)", err)
	}
	_, body = adm.get("/admin/imports?ok=withdrawn")
	mustContain(t, "after", body, "Đã rút lại lô nhập", "Nhập nhầm tệp năm 2025", "root")
	if strings.Contains(body, `data-action="withdraw"`) {
		t.Error("a withdrawn batch still offers the withdraw button")
	}
	if code, _ := adm.post("/admin/imports/"+st.Batch+"/withdraw", url.Values{"reason": {"again"}}); code != http.StatusConflict {
		t.Errorf("a second withdrawal: %d, want 409", code)
	}
	if code, _ := adm.post("/admin/imports/999/withdraw", url.Values{"reason": {"x"}}); code != http.StatusNotFound {
		t.Errorf("an unknown batch: %d, want 404", code)
	}
	var found bool
	for _, e := range s.DB.AuditLog(20, zeroTime) {
		if e.Action == "import.withdraw" && e.Actor == "root" && e.Target == st.Batch && strings.Contains(e.Detail, "Nhập nhầm tệp năm 2025") {
			found = true
		}
	}
	if !found {
		t.Error("no audit entry for the withdrawal")
	}
}
