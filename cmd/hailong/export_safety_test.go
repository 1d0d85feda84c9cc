package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// getAs fetches path as c (its session or its token) and returns the body.
func getAs(t *testing.T, c *caller, base, path string) []byte {
	t.Helper()
	req, _ := http.NewRequest("GET", base+path, nil)
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	cl := c.client
	if cl == nil {
		cl = &http.Client{Timeout: 20 * time.Second}
	}
	res, err := cl.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, res.StatusCode, b)
	}
	return b
}

// postComment submits a kiosk-style response with comment through the API.
func postComment(t *testing.T, base, token, comment string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"survey": "quay", "unit": "so-cong-thuong", "answers": map[string]int{"overall": 2},
		"comment": comment})
	req, _ := http.NewRequest("POST", base+"/api/v1/responses", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode/100 != 2 {
		t.Fatalf("submit: %d %s", res.StatusCode, b)
	}
}

// Issue 13: two numbers written side by side ("CCCD 001234567890
// 0912345678") were read as one 22-digit run and shown unmasked on the
// comments page and in the exports.
func TestCommentMaskThroughServer(t *testing.T) {
	dir, reception, viewerTok := setup(t)
	m := MustRun(t, dir)
	base := "http://" + m.Addr
	postComment(t, base, reception, "CCCD 001234567890 0912345678 gọi giúp, chờ 45 phút ở quầy 3")
	postComment(t, base, reception, "Liên hệ +84 912 345 678 hoặc (028) 3822 1234, MST 0312345678-001")
	viewer := loginAs(t, m, "xem", "viewer", "so-cong-thuong")
	token := &caller{name: "token", bearer: viewerTok}
	for _, p := range []struct {
		who  *caller
		path string
	}{
		{viewer, "/dashboard/comments?unit=so-cong-thuong"},
		{viewer, "/reports/official?unit=so-cong-thuong"},
		{token, "/exports/responses.csv?unit=so-cong-thuong"},
	} {
		body := string(getAs(t, p.who, base, p.path))
		for _, secret := range []string{"001234567890", "0912345678", "912 345 678", "3822 1234", "0312345678"} {
			if strings.Contains(body, secret) {
				t.Errorf("%s shows %q", p.path, secret)
			}
		}
		if p.path != "/reports/official?unit=so-cong-thuong" && !strings.Contains(body, "CCCD [số ẩn] [số ẩn] gọi giúp, chờ 45 phút ở quầy 3") {
			t.Errorf("%s: masked comment missing", p.path)
		}
	}
}
