package survey

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// maskCases are comments as citizens write them, with what the dashboards
// and exports must show.
var maskCases = []struct{ name, in, want string }{
	{"Issue13", "CCCD 001234567890 0912345678", "CCCD [số ẩn] [số ẩn]"},
	{"PhoneSpaces", "Gọi tôi 0905 123 456 nhé", "Gọi tôi [số ẩn] nhé"},
	{"PhoneIntlDots", "sđt +84 905.123.456", "sđt [số ẩn]"},
	{"PhoneIntlSpaces", "Liên hệ +84 912 345 678 để hẹn lại", "Liên hệ [số ẩn] để hẹn lại"},
	{"Phone84", "số 84912345678 của tôi", "số [số ẩn] của tôi"},
	{"PhoneDots", "Cán bộ bảo gọi 0912.345.678 nhưng không ai nghe", "Cán bộ bảo gọi [số ẩn] nhưng không ai nghe"},
	{"PhoneDashes", "Đường dây nóng 091-234-5678 không liên lạc được", "Đường dây nóng [số ẩn] không liên lạc được"},
	{"Landline", "Gọi (028) 3822 1234 mãi không ai bắt máy", "Gọi [số ẩn] mãi không ai bắt máy"},
	{"LandlineNoSpace", "tổng đài (024)38221234.", "tổng đài [số ẩn]."},
	{"TwoPhones", "Số 0912345678 hoặc 0987 654 321", "Số [số ẩn] hoặc [số ẩn]"},
	{"TwoPhonesSideBySide", "0912 345 678 0987 654 321 gọi giúp", "[số ẩn] [số ẩn] gọi giúp"},
	{"CCCD", "CCCD 079123456789 bị sai", "CCCD [số ẩn] bị sai"},
	{"CCCDSpaced", "căn cước 079 123 456 789, xin sửa", "căn cước [số ẩn], xin sửa"},
	{"CMND", "CMND 123456789", "CMND [số ẩn]"},
	{"CMNDThenPhone", "CMND số 123456789, ĐT 0905123456", "CMND số [số ẩn], ĐT [số ẩn]"},
	{"TaxCode", "MST 0312345678 của công ty", "MST [số ẩn] của công ty"},
	{"TaxCodeBranch", "MST chi nhánh 0312345678-001 chưa cập nhật", "MST chi nhánh [số ẩn] chưa cập nhật"},
	{"LongRun", "mã giao dịch 12345678901234567890 bị lỗi", "mã giao dịch [số ẩn] bị lỗi"},
	{"Email", "mail nguyen.van.a@gmail.com giúp", "mail [email ẩn] giúp"},
	{"EmailDiacritics", "thư trần@cơquan.vn", "thư [email ẩn]"},
	{"EmailAndPhone", "Gửi về lan.tran@yahoo.com hoặc 0977.111.222", "Gửi về [email ẩn] hoặc [số ẩn]"},
	{"CounterThenPhone", "quầy số 3 0912345678 gọi lại", "quầy số 3 [số ẩn] gọi lại"},
	{"PhoneThenTimes", "gọi 0912345678 3 lần không được", "gọi [số ẩn] 3 lần không được"},
	{"WaitAndDate", "chờ 45 phút ở quầy 3, ngày 12-03-2026", "chờ 45 phút ở quầy 3, ngày 12-03-2026"},
	{"SlashDate", "Ngày 12/05/2025 tôi nộp hồ sơ, hẹn 19/05/2025", "Ngày 12/05/2025 tôi nộp hồ sơ, hẹn 19/05/2025"},
	{"Amount", "lệ phí 1.500.000 đồng", "lệ phí 1.500.000 đồng"},
	{"SmallAmount", "Phải nộp thêm 50.000 đồng mà không có biên lai", "Phải nộp thêm 50.000 đồng mà không có biên lai"},
	{"DossierCode", "Hồ sơ số 000.00.12.H34-250512-0001 trễ hẹn 5 ngày", "Hồ sơ số 000.00.12.H[số ẩn] trễ hẹn 5 ngày"},
	{"ShortDossier", "Hồ sơ HS-2025-0456 chưa có kết quả", "Hồ sơ HS-2025-0456 chưa có kết quả"},
	{"TimeOfDay", "Đến lúc 7 giờ 30, 8 giờ 15 mới được gọi", "Đến lúc 7 giờ 30, 8 giờ 15 mới được gọi"},
	{"Year", "Năm 2025 đã tốt hơn năm 2024 nhiều", "Năm 2025 đã tốt hơn năm 2024 nhiều"},
	{"FullWidthDigits", "ĐT ０９１２３４５６７８", "ĐT [số ẩn]"},
	{"Empty", "", ""},
}

func TestMaskPII(t *testing.T) {
	for _, c := range maskCases {
		t.Run(c.name, func(t *testing.T) {
			if got := MaskPII(c.in); got != c.want {
				t.Errorf("MaskPII(%q)\n got %q\nwant %q", c.in, got, c.want)
			}
			if run := longestRun(MaskPII(c.in)); run >= LongRun {
				t.Errorf("output keeps a run of %d digits", run)
			}
		})
	}
}

// longestRun is the longest run of digits in s, reading digits separated by
// a single space, dot or dash as one run.
func longestRun(s string) int {
	best, run, sep := 0, 0, false
	for _, r := range s {
		switch {
		case unicode.IsDigit(r):
			run++
			best = max(best, run)
			sep = false
		case !sep && run > 0 && strings.ContainsRune(" .-", r):
			sep = true
		default:
			run, sep = 0, false
		}
	}
	return best
}

// FuzzMaskPII checks the promise docs/SECURITY.md makes: whatever the
// comment, no run of LongRun or more digits survives masking.
func FuzzMaskPII(f *testing.F) {
	for _, c := range maskCases {
		f.Add(c.in)
	}
	for _, s := range []string{"1 2 3 4 5 6 7 8 9", "12345678 123456", "(((1)))2)3(4-5.6 7 8 9", "+84+84 84 84 84 84",
		"0123456789-001-002", "12-03-2026 9", "8-4-9-1-2-3-4-5-6-7-8", "1\u00a02\u00a03\u00a04.5.6.7.8.9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		out := MaskPII(s)
		if run := longestRun(out); run >= LongRun {
			t.Fatalf("MaskPII(%q) = %q keeps a run of %d digits", s, out, run)
		}
		if again := MaskPII(out); again != out {
			t.Fatalf("masking twice changes %q to %q", out, again)
		}
	})
}
