package bolt_test

import (
	"bytes"
	"hailong/survey/bolt"
	"os"
	"path/filepath"
	"testing"
)

// The import fuzz targets check one property: an import never panics, and
// either succeeds or returns an error and changes nothing. Each target opens
// one store (per fuzzing process) and lets successful imports accumulate.

func FuzzImportUnits(f *testing.F) {
	for _, s := range []string{
		"id,name,parent,group\nso-c,Sở C,tinh,khoi-so\nso-c-vp,Văn phòng,so-c,\n",
		"\ufeffname,id\nPhòng,p1\n",
		"id,name,parent\nx,X,y\ny,Y,x\n",
		"id,name,parent\nx,X,y\ny,Y,khong-co\n",
		"id,name\na,A\"b\n",
		"id,name,name\n",
		"id,name\nSo A,B\n",
		"id,name\na,S\xf4\n",
		"",
		"\"",
	} {
		f.Add([]byte(s))
	}
	db := MustOpen(f)
	MustOrg(f, db)
	f.Fuzz(func(t *testing.T, data []byte) {
		before := bolt.Digest(db)
		units := len(db.Units())
		st, err := db.ImportUnits(bytes.NewReader(data))
		if err != nil {
			if bolt.Digest(db) != before || len(db.Units()) != units {
				t.Fatalf("failed import (%v) changed the store", err)
			}
			return
		}
		if len(db.Units()) < units || len(db.Units()) > units+st.Rows {
			t.Fatalf("%d units after importing %d rows into %d", len(db.Units()), st.Rows, units)
		}
	})
}

func FuzzImportResponses(f *testing.F) {
	for _, s := range []string{
		responsesHeader + "2026-03-02 09:15:00,so-a,kiosk,quay,5,4,2,5,5,na,,,,,a-q1,nv-lan,1.001,had_to_stand|waited_long,\"a, \"\"b\"\"\"\n",
		responsesHeader + "2026-03-02,so-b,paper,sipas,4,,1,3,,,,5,4,na,,nv-hung,2.002,,\n",
		"submitted_at,unit,channel,survey,overall\n2026-03-03T10:00:00+07:00,so-a-vp,web,quay,0\n2026-03-03T10:00:00Z,so-a,qr,sipas,1\n",
		"submitted_at,unit,channel,survey,overall\n2026-03-03,so-a,web,quay,7\n",
		"submitted_at,unit,channel,survey,overall\n2999-03-03,so-a,web,quay,1\n",
		"submitted_at,unit,channel,survey,overall,mood\n",
		"\ufeffsubmitted_at,unit,channel,survey,overall\n2026-03-03,so-a,web,quay,1,2\n",
		"submitted_at,unit,channel,survey,overall,comment\n2026-03-03,so-a,web,quay,1,\"open\n",
		"submitted_at,unit,channel,survey,overall,comment\n2026-03-03,so-a,web,quay,1,\xff\n",
		"",
	} {
		f.Add([]byte(s))
	}
	db := MustOpen(f)
	MustOrg(f, db)
	path := filepath.Join(f.TempDir(), "fuzz.csv")
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		before, n := bolt.Digest(db), db.ResponseCount()
		st, err := db.ImportResponses(path, "admin")
		if err != nil {
			if db.ResponseCount() != n || bolt.Digest(db) != before {
				t.Fatalf("failed import (%v) changed the store", err)
			}
			return
		}
		if db.ResponseCount() != n+st.Rows {
			t.Fatalf("%d responses after importing %d rows into %d", db.ResponseCount(), st.Rows, n)
		}
	})
}

func FuzzImportDossiers(f *testing.F) {
	for _, s := range []string{
		"code,unit,procedure,received_at,due_at,finished_at,supplement_days\nHS-1,so-a,1.001,2026-03-02 08:30,2026-03-05,,\nHS-2,so-b,,2026-03-02T09:00:00+07:00,2026-03-02,2026-03-04,2\n",
		"code,unit,procedure,received_at,due_at,finished_at,supplement_days\nHS-1,so-a,1.001,2026-03-02,2026-03-05,2026-03-06,\n",
		"code,unit,received_at,due_at,staff\nHS-3,so-a,2026-03-02,2026-03-01,nv-lan\n",
		"code,unit,received_at,due_at,supplement_days\nHS-4,so-x,2026-03-02,2026-03-03,x\n",
		"code,unit,received_at,due_at\nHS-5,so-a,9999-12-31T23:59:59-23:59,9999-12-31T23:59:59-23:59\n",
		"code,unit,received_at\n",
		"",
	} {
		f.Add([]byte(s))
	}
	db := MustOpen(f)
	MustOrg(f, db)
	f.Fuzz(func(t *testing.T, data []byte) {
		before := bolt.Digest(db)
		if _, err := db.ImportDossiers(bytes.NewReader(data)); err != nil && bolt.Digest(db) != before {
			t.Fatalf("failed import (%v) changed the store", err)
		}
	})
}

func FuzzImportProcedures(f *testing.F) {
	for _, s := range []string{
		"code,name\n1.001612,Đăng ký thành lập hộ kinh doanh\n2.000046.000.00.00.H42,\"Cấp phép, bán lẻ\"\n",
		"\ufeffname,code\nTên,1.1\n",
		"code,name\n1.1,A\n1.1,B\n",
		"code,name\n,A\n1.2,\n",
		"code,name\n1.1,\"a\x01b\"\n",
		"code,name,fee\n1.1,A,0\n",
		"code,name\n1.1,S\xf4\n",
		"code,name\n",
		"",
		"\"",
	} {
		f.Add([]byte(s))
	}
	db := MustOpen(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		before := bolt.Digest(db)
		n := len(db.Procedures())
		st, err := db.ImportProcedures(bytes.NewReader(data))
		if err != nil {
			if bolt.Digest(db) != before || len(db.Procedures()) != n {
				t.Fatalf("failed import (%v) changed the store", err)
			}
			return
		}
		if got := len(db.Procedures()); got < n || got > n+st.Rows || st.Rows == 0 {
			t.Fatalf("%d procedures after importing %d rows into %d", got, st.Rows, n)
		}
		for _, p := range db.Procedures() {
			if err := p.Validate(); err != nil {
				t.Fatalf("stored an invalid entry %+v: %v", p, err)
			}
		}
	})
}
