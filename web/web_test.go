package web

import "testing"

func TestLogPathHidesSecrets(t *testing.T) {
	for in, want := range map[string]string{
		"/r/AbCdEf123":                "/r/…",
		"/receipts/AbC/slip":          "/receipts/…/slip",
		"/api/v1/receipts/AbC/qr.png": "/api/v1/receipts/…/qr.png",
		"/kiosk/pair/xyz":             "/kiosk/pair/…",
		"/api/v1/responses":           "/api/v1/responses",
		"/f/so-cong-thuong":           "/f/so-cong-thuong",
		"/api/v1/receipts":            "/api/v1/receipts",
	} {
		if got := LogPath(in); got != want {
			t.Errorf("LogPath(%q) = %q, want %q", in, got, want)
		}
	}
}
