package survey

import (
	"testing"
)

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Nguyễn Thị Thu Hà":               "nguyen-thi-thu-ha",
		"Đặng Quốc Dũng":                  "dang-quoc-dung",
		"Sở Văn hóa, Thể thao và Du lịch": "so-van-hoa-the-thao-va-du-lich",
		"  Quầy 1 – Tiếp nhận hồ sơ ":     "quay-1-tiep-nhan-ho-so",
		"ỲÝỴỶỸ ƯỪỨỰỬỮ":                    "yyyyy-uuuuuu",
		"Phòng 2.05/B":                    "phong-2-05-b",
		"日本":                              "",
	} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}
