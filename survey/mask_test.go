package survey

import "testing"

func TestMaskPII(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Gọi tôi 0905 123 456 nhé", "Gọi tôi [số ẩn] nhé"},
		{"sđt +84 905.123.456", "sđt [số ẩn]"},
		{"CCCD 079123456789 bị sai", "CCCD [số ẩn] bị sai"},
		{"CMND 123456789", "CMND [số ẩn]"},
		{"mail nguyen.van.a@gmail.com giúp", "mail [email ẩn] giúp"},
		{"thư trần@cơquan.vn", "thư [email ẩn]"},
		{"chờ 45 phút ở quầy 3, ngày 12-03-2026", "chờ 45 phút ở quầy 3, ngày 12-03-2026"},
		{"lệ phí 1.500.000 đồng", "lệ phí 1.500.000 đồng"},
		{"", ""},
	} {
		if got := MaskPII(c.in); got != c.want {
			t.Errorf("MaskPII(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
