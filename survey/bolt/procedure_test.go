package bolt_test

import (
	"errors"
	"hailong/survey"
	"hailong/survey/bolt"
	"strings"
	"testing"
)

func TestProcedures(t *testing.T) {
	db := MustOpen(t)
	if ps := db.Procedures(); len(ps) != 0 {
		t.Fatalf("new store has a catalogue: %v", ps)
	}
	err := db.PutProcedures([]survey.Procedure{
		{Code: "2.000046.000.00.00.H42", Name: "Cấp Giấy phép kinh doanh bán lẻ sản phẩm rượu"},
		{Code: "1.001612", Name: "Đăng ký thành lập hộ kinh doanh"},
	})
	if err != nil {
		t.Fatal(err)
	}
	// Other meta keys that start alike are not procedures.
	if err := bolt.SetMeta(db, "procedures_seen", "x"); err != nil {
		t.Fatal(err)
	}
	ps := db.Procedures()
	if len(ps) != 2 || ps[0].Code != "1.001612" || ps[1].Name != "Cấp Giấy phép kinh doanh bán lẻ sản phẩm rượu" {
		t.Fatalf("catalogue %+v", ps)
	}
	if n := db.ProcedureName("1.001612"); n != "Đăng ký thành lập hộ kinh doanh" {
		t.Fatalf("name %q", n)
	}
	t.Run("Invalid", func(t *testing.T) {
		for _, c := range []struct {
			p     survey.Procedure
			field string
		}{
			{survey.Procedure{Code: "", Name: "Tên"}, "procedures[1].code"},
			{survey.Procedure{Code: "1.2", Name: ""}, "procedures[1].name"},
			{survey.Procedure{Code: "1.2", Name: "a\x00b"}, "procedures[1].name"},
			{survey.Procedure{Code: strings.Repeat("9", survey.MaxCode+1), Name: "Tên"}, "procedures[1].code"},
			{survey.Procedure{Code: "1.2", Name: strings.Repeat("ư", survey.MaxProcedureName+1)}, "procedures[1].name"},
		} {
			err := db.PutProcedures([]survey.Procedure{{Code: "ok.1", Name: "Hợp lệ"}, c.p})
			var e *survey.Error
			if !errors.As(err, &e) || e.Code != survey.EINVALID || e.Field != c.field {
				t.Errorf("%+v: %v, want EINVALID on %s", c.p, err, c.field)
			}
		}
		if len(db.Procedures()) != 2 || db.ProcedureName("ok.1") != "" {
			t.Fatal("a refused batch stored something")
		}
	})
	t.Run("Delete", func(t *testing.T) {
		if err := db.DeleteProcedure("1.001612"); err != nil {
			t.Fatal(err)
		}
		if db.ProcedureName("1.001612") != "" || len(db.Procedures()) != 1 {
			t.Fatal("not deleted")
		}
		var e *survey.Error
		if err := db.DeleteProcedure("1.001612"); !errors.As(err, &e) || e.Code != survey.ENOTFOUND {
			t.Fatalf("second delete: %v", err)
		}
		if bolt.Meta(db, "procedures_seen") != "x" {
			t.Fatal("a neighbouring meta key went too")
		}
	})
}

func TestImportProcedures(t *testing.T) {
	db := MustOpen(t)
	good := "\ufeffcode,name\r\n" +
		"1.001612,Đăng ký thành lập hộ kinh doanh\r\n" +
		"2.000046.000.00.00.H42,\"Cấp Giấy phép kinh doanh bán lẻ sản phẩm rượu, thuốc lá\"\r\n"
	st, err := db.ImportProcedures(strings.NewReader(good))
	if err != nil || st.Rows != 2 {
		t.Fatalf("import: %+v %v", st, err)
	}
	if n := db.ProcedureName("2.000046.000.00.00.H42"); n != "Cấp Giấy phép kinh doanh bán lẻ sản phẩm rượu, thuốc lá" {
		t.Fatalf("name %q", n)
	}
	// A second file renames and adds.
	if _, err := db.ImportProcedures(strings.NewReader("name,code\nĐăng ký hộ kinh doanh (sửa),1.001612\nCấp phép xây dựng,1.009972\n")); err != nil {
		t.Fatal(err)
	}
	if db.ProcedureName("1.001612") != "Đăng ký hộ kinh doanh (sửa)" || len(db.Procedures()) != 3 {
		t.Fatalf("after the second file: %+v", db.Procedures())
	}
	for name, c := range map[string]struct {
		csv   string
		lines []int
	}{
		"MissingColumn":  {"code\n1.1\n", []int{1}},
		"UnknownColumn":  {"code,name,fee\n1.1,Tên,0\n", []int{1}},
		"Empty":          {"", []int{1}},
		"NoRows":         {"code,name\n", []int{2}},
		"BadRows":        {"code,name\n1.1,Tên một\n,Không mã\n1.2,\n1.1,Tên trùng\n1.3,\"ok\n", []int{3, 4, 5, 6}},
		"NotUTF8":        {"code,name\n1.1,T\xe9n\n", []int{2}},
		"ControlInName":  {"code,name\n1.1,\"a\x01b\"\n", []int{2}},
		"WrongWidthLine": {"code,name\n1.1,Tên,thừa\n", []int{2}},
	} {
		t.Run(name, func(t *testing.T) {
			before := db.Procedures()
			_, err := db.ImportProcedures(strings.NewReader(c.csv))
			var ie *survey.ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("%v, want an *ImportError", err)
			}
			var lines []int
			for _, p := range ie.Problems {
				lines = append(lines, p.Line)
				if !strings.Contains(p.Message, " / ") {
					t.Errorf("line %d: message not in both languages: %q", p.Line, p.Message)
				}
			}
			if len(lines) != len(c.lines) {
				t.Fatalf("problems on lines %v, want %v: %+v", lines, c.lines, ie.Problems)
			}
			for i := range lines {
				if lines[i] != c.lines[i] {
					t.Fatalf("problems on lines %v, want %v", lines, c.lines)
				}
			}
			if after := db.Procedures(); len(after) != len(before) {
				t.Fatalf("a refused file changed the catalogue: %d → %d", len(before), len(after))
			}
		})
	}
}
