package survey_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"hailong/survey"
)

func TestCalendar(t *testing.T) {
	hcm, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	cal := survey.NewCalendar(hcm, survey.DefaultHolidays())
	at := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, hcm) }
	day := func(t time.Time) string { return t.In(hcm).Format(time.DateTime) }
	for _, c := range []struct {
		name string
		from time.Time
		n    int
		want string
	}{
		{"Weekend", at(2026, 3, 6, 9), 1, "2026-03-09 23:59:59"},           // Friday → Monday
		{"SameDayLate", at(2026, 3, 2, 23), 0, "2026-03-02 23:59:59"},      // n = 0: end of the day
		{"Tet", at(2026, 2, 13, 10), 1, "2026-02-23 23:59:59"},             // Friday before Tết → Monday after
		{"ReunificationDay", at(2026, 4, 29, 8), 2, "2026-05-05 23:59:59"}, // 30/4, 1/5, weekend
		{"GioTo", at(2026, 4, 24, 8), 1, "2026-04-28 23:59:59"},            // Monday 27/4 observed
		{"NationalDay", at(2026, 8, 31, 8), 1, "2026-09-03 23:59:59"},
		{"NewYear", at(2025, 12, 31, 8), 1, "2026-01-02 23:59:59"},
		{"TenDays", at(2026, 3, 2, 9), 10, "2026-03-16 23:59:59"},
		{"UTCInstant", time.Date(2026, 3, 6, 18, 0, 0, 0, time.UTC), 1, "2026-03-09 23:59:59"}, // Saturday 01:00 in Hà Nội
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := day(cal.AddWorkdays(c.from, c.n)); got != c.want {
				t.Fatalf("AddWorkdays(%s, %d) = %s, want %s", day(c.from), c.n, got, c.want)
			}
		})
	}
	if n := cal.WorkdaysBetween(at(2026, 4, 24, 9), at(2026, 5, 5, 9)); n != 4 { // 28, 29 April, 4, 5 May
		t.Fatalf("WorkdaysBetween = %d, want 4", n)
	}
	if n := cal.WorkdaysBetween(at(2026, 5, 5, 9), at(2026, 4, 24, 9)); n != 0 {
		t.Fatalf("WorkdaysBetween backwards = %d, want 0", n)
	}
	var zero survey.Calendar
	if !zero.Workday(time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)) || zero.Workday(time.Date(2026, 3, 7, 12, 0, 0, 0, time.UTC)) {
		t.Fatal("the zero calendar: weekends only")
	}
}

func TestDefaultHolidays(t *testing.T) {
	hs := survey.DefaultHolidays()
	days := make([]string, len(hs))
	for i, h := range hs {
		if err := h.Validate(); err != nil {
			t.Fatalf("%+v: %v", h, err)
		}
		d, _ := time.Parse(time.DateOnly, h.Day)
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
			t.Fatalf("%s falls on a %s", h.Day, wd)
		}
		days[i] = h.Day
	}
	if !slices.IsSorted(days) || len(slices.Compact(slices.Clone(days))) != len(days) {
		t.Fatalf("days not sorted or repeated: %v", days)
	}
	for _, want := range []string{"2026-01-01", "2026-02-17", "2026-04-27", "2026-04-30", "2026-05-01", "2026-09-02"} {
		if !slices.Contains(days, want) {
			t.Fatalf("%s missing", want)
		}
	}
}

func TestNormalizeMobile(t *testing.T) {
	for in, want := range map[string]string{
		"0912345678": "0912345678", "0912 345 678": "0912345678", "+84 912 345 678": "0912345678",
		"84-912-345-678": "0912345678", "039.123.4567": "0391234567", "0587654321": "0587654321",
		"0712345678": "0712345678", "0812345678": "0812345678",
		"": "", "091234567": "", "09123456789": "", "0212345678": "", "1912345678": "", "09123a5678": "",
		"+840912345678": "", "(091) 2345678": "", "0912345678 ": "0912345678", "0６12345678": "",
	} {
		got, ok := survey.NormalizeMobile(in)
		if got != want || ok != (want != "") {
			t.Errorf("NormalizeMobile(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestCheckContact(t *testing.T) {
	for _, c := range []struct {
		in    survey.Contact
		field string
	}{
		{survey.Contact{Phone: " 0912 345 678 "}, ""},
		{survey.Contact{Email: "lan@so-a.gov.vn", Name: "Nguyễn Thị Lan"}, ""},
		{survey.Contact{Phone: "0912345678", Email: "lan@x.vn"}, ""},
		{survey.Contact{}, "contact"},
		{survey.Contact{Name: "Lan"}, "contact"},
		{survey.Contact{Phone: "12345"}, "phone"},
		{survey.Contact{Email: "lan@x"}, "email"},
		{survey.Contact{Email: "Lan <lan@x.vn>"}, "email"},
		{survey.Contact{Email: "lan@x.vn", Name: "<b>Lan</b>"}, "name"},
		{survey.Contact{Email: "lan@x.vn", Name: "Lan\nAn"}, "name"},
	} {
		in := c.in
		err := survey.CheckContact(&in)
		if got := fieldOf(err); got != c.field || (c.field != "" && survey.ErrorCode(err) != survey.EINVALID) {
			t.Errorf("CheckContact(%+v) = %v, want field %q", c.in, err, c.field)
		}
	}
	c := survey.Contact{Phone: "+84 912-345-678", Email: " lan@x.vn "}
	if err := survey.CheckContact(&c); err != nil || c.Phone != "0912345678" || c.Email != "lan@x.vn" {
		t.Fatalf("normalised %+v, %v", c, err)
	}
}

func fieldOf(err error) string {
	var se *survey.Error
	if errors.As(err, &se) {
		return se.Field
	}
	return ""
}
