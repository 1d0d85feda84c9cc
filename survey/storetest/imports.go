package storetest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hailong/survey"
)

// csvFile writes content to a temporary file and returns its path.
func csvFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "import.csv")
	must(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

var importCases = []testCase{
	{"ImportUnits", func(t *testing.T, e *env) {
		e.org(t)
		st, err := e.ImportUnits(strings.NewReader("\ufeffid,name,parent,group\r\n" +
			"so-c-vp,Văn phòng Sở C,so-c,\r\n" +
			"so-c,\"Sở C, tỉnh X\",tinh,khoi-moi\r\n" +
			"so-a,Sở A (mới),tinh,khoi-so\r\n"))
		must(t, err)
		equal(t, "rows", st.Rows, 3)
		if u := e.Unit("so-c"); u == nil || u.Name != "Sở C, tỉnh X" || u.Group != "khoi-moi" {
			t.Fatalf("imported unit %+v", u)
		}
		equal(t, "updated name", e.Unit("so-a").Name, "Sở A (mới)")
		equalSlice(t, "Subtree(so-c)", sorted(e.Subtree("so-c")), []string{"so-c", "so-c-vp"})
		equalSlice(t, "Groups", ids(e.Groups(), func(g survey.Group) string { return g.ID }), []string{"khoi-moi", "khoi-so"})
	}},
	{"ImportUnits/Errors", func(t *testing.T, e *env) {
		e.org(t)
		for _, c := range []struct {
			csv  string
			line int
			col  string
		}{
			{"id,name,parent,group\nso-c,Sở C,tinh,\nSở D,Sở D,,\n", 3, "id"},
			{"id,name,parent,group\nso-c,Sở C,tinh,\nso-d,Sở D,nope,\n", 3, "parent"},
			{"id,name,parent,group\nso-c,Sở C,,\nso-c,Lần hai,,\n", 3, "id"},
			{"id,name,parent,group\nso-c,Sở C,,\nso-d,,,\n", 3, "name"},
			{"name,parent\nSở C,\n", 1, "id"},
		} {
			_, err := e.ImportUnits(strings.NewReader(c.csv))
			wantImportErr(t, err, c.line, c.col)
		}
		equal(t, "units after refused imports", len(e.Units()), 4)
	}},
	{"ImportProcedures", func(t *testing.T, e *env) {
		st, err := e.ImportProcedures(strings.NewReader("code,name\n1.001,Cấp phép A\n2.002,\"Cấp phép B, lần đầu\"\n"))
		must(t, err)
		equal(t, "rows", st.Rows, 2)
		equal(t, "ProcedureName", e.ProcedureName("2.002"), "Cấp phép B, lần đầu")
		_, err = e.ImportProcedures(strings.NewReader("code,name\n3.003,C\n1.001,Đổi tên\n3.003,Lặp\n"))
		wantImportErr(t, err, 4, "code")
		_, err = e.ImportProcedures(strings.NewReader("code,name\n3.003,C\n,Không mã\n"))
		wantImportErr(t, err, 3, "code")
		equalSlice(t, "Procedures", e.Procedures(), []survey.Procedure{{Code: "1.001", Name: "Cấp phép A"}, {Code: "2.002", Name: "Cấp phép B, lần đầu"}})
	}},
	{"ImportDossiers", func(t *testing.T, e *env) {
		e.org(t)
		tok := e.issue(t, e.dossier("HS-001"))
		st, err := e.ImportDossiers(strings.NewReader("code,unit,procedure,received_at,due_at,finished_at,supplement_days\n" +
			"HS-002,so-b,1.001,2026-03-01,2026-03-05,2026-03-04,\n" +
			"HS-001,so-a,1.001," + e.dossier("").ReceivedAt.Format(time.RFC3339) + "," + e.dossier("").DueAt.Format(time.RFC3339) + ",2026-03-06 10:00,1\n"))
		must(t, err)
		equal(t, "rows", st.Rows, 2)
		d, err := e.Dossier("HS-002")
		must(t, err)
		if d.Unit != "so-b" || !d.ReceivedAt.Equal(e.at(2026, 3, 1, 0, 0)) || d.Outcome(e.Loc()) != survey.Early {
			t.Fatalf("imported dossier %+v", d)
		}
		d, err = e.ReceiptByToken(tok) // the re-import kept the receipt
		must(t, err)
		if !d.FinishedAt.Equal(e.at(2026, 3, 6, 10, 0)) || d.SupplementDays != 1 {
			t.Fatalf("updated dossier %+v", d)
		}
	}},
	{"ImportDossiers/Errors", func(t *testing.T, e *env) {
		e.org(t)
		head := "code,unit,procedure,received_at,due_at,finished_at,supplement_days\n"
		ok := "HS-002,so-b,1.001,2026-03-01,2026-03-05,,\n"
		for _, c := range []struct {
			row, col string
		}{
			{"HS-003,nope,1.001,2026-03-01,2026-03-05,,\n", "unit"},
			{"HS-003,so-a,1.001,01/03/2026,2026-03-05,,\n", "received_at"},
			{"HS-003,so-a,1.001,2026-03-05,2026-03-01,,\n", "due_at"},
			{"HS-003,so-a,1.001,2026-03-01,2026-03-05,,x\n", "supplement_days"},
		} {
			_, err := e.ImportDossiers(strings.NewReader(head + ok + c.row))
			wantImportErr(t, err, 3, c.col)
		}
		_, err := e.Dossier("HS-002")
		wantErr(t, err, survey.ENOTFOUND)
	}},
	{"ImportResponses", func(t *testing.T, e *env) {
		e.org(t)
		path := csvFile(t, "submitted_at,unit,channel,survey,overall,facilities,website,counter,staff,procedure,reasons,comment\n"+
			"2026-02-10,so-a,paper,quay,5,2,na,a-q1,nv-lan,1.001,had_to_stand|glass_partition,Phải đứng\n"+
			"2026-02-11 08:30,so-b,paper,quay,4,,0,,,,,\n"+
			"2026-02-12T09:00:00+07:00,so-a-vp,kiosk,quay,1,1,1,,,,,\n")
		st, err := e.ImportResponses(path, "admin")
		must(t, err)
		equal(t, "rows", st.Rows, 3)
		equal(t, "ResponseCount", e.ResponseCount(), 3)
		var rs []*survey.Response
		must(t, e.EachResponse(time.Time{}, time.Time{}, func(r *survey.Response) error { rs = append(rs, r); return nil }))
		equal(t, "stored", len(rs), 3)
		first := rs[0]
		if first.Unit != "so-a" || first.Channel != survey.ChannelPaper || first.Counter != "a-q1" || first.Staff != "nv-lan" ||
			first.Answers["facilities"] != 2 || first.Answers["website"] != survey.NA || len(first.Reasons) != 2 ||
			first.Comment != "Phải đứng" || survey.DayOf(first.SubmittedAt, e.Loc()) != survey.DayOf(e.at(2026, 2, 10, 12, 0), e.Loc()) {
			t.Fatalf("imported %+v", first)
		}
		if _, ok := rs[1].Answers["facilities"]; ok || rs[1].Answers["website"] != survey.NA {
			t.Fatalf("empty = not answered, 0 = N/A: %+v", rs[1].Answers)
		}
		e.checkCounts(t, "after ImportResponses", rs)
	}},
	{"ImportResponses/Errors", func(t *testing.T, e *env) {
		e.org(t)
		head := "submitted_at,unit,channel,survey,overall\n"
		ok := "2026-02-10,so-a,paper,quay,5\n"
		for _, c := range []struct {
			row, col string
		}{
			{"2026-02-11,so-a,paper,quay,6\n", "overall"},
			{"2026-02-11,nope,paper,quay,4\n", "unit"},
			{"2026-02-11,so-a,fax,quay,4\n", "channel"},
			{"2026-02-11,so-a,paper,nope,4\n", "survey"},
			{"hôm qua,so-a,paper,quay,4\n", "submitted_at"},
		} {
			_, err := e.ImportResponses(csvFile(t, head+ok+c.row), "admin")
			wantImportErr(t, err, 3, c.col)
		}
		_, err := e.ImportResponses(csvFile(t, "submitted_at,unit,channel,survey,bogus\n"+ok), "admin")
		wantImportErr(t, err, 1, "bogus")
		_, err = e.ImportResponses(filepath.Join(t.TempDir(), "missing.csv"), "admin")
		if err == nil {
			t.Fatal("importing a missing file succeeded")
		}
		equal(t, "ResponseCount", e.ResponseCount(), 0)
		equal(t, "counted", e.responses(t, e.all(survey.DimBase)), 0)
	}},
}
