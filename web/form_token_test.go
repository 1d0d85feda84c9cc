package web

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
)

// A form token is valid for its purpose, its client and maxAge only.
func TestFormToken(t *testing.T) {
	ck := &ClientKeys{key: []byte("k")}
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	var tok string
	app := fiber.New()
	app.Get("/make", func(c *fiber.Ctx) error { tok = ck.FormToken(c, "poster:a", now); return nil })
	app.Get("/check", func(c *fiber.Ctx) error {
		at, _ := time.Parse(time.RFC3339, c.Query("at"))
		if ck.CheckFormToken(c, c.Query("purpose"), c.Query("tok"), at, time.Hour) {
			return c.SendStatus(200)
		}
		return c.SendStatus(403)
	})
	if _, err := app.Test(httptest.NewRequest("GET", "/make", nil)); err != nil || tok == "" {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, purpose, tok string
		at                 time.Time
		status             int
	}{
		{"Valid", "poster:a", tok, now.Add(59 * time.Minute), 200},
		{"ErrExpired", "poster:a", tok, now.Add(61 * time.Minute), 403},
		{"ErrFuture", "poster:a", tok, now.Add(-2 * time.Minute), 403},
		{"ErrOtherPurpose", "poster:b", tok, now, 403},
		{"ErrTampered", "poster:a", tok[:len(tok)-1] + "x", now, 403},
		{"ErrMalformed", "poster:a", "x.y", now, 403},
	} {
		t.Run(c.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/check?purpose="+c.purpose+"&tok="+c.tok+"&at="+c.at.Format(time.RFC3339), nil)
			if resp, err := app.Test(req); err != nil || resp.StatusCode != c.status {
				t.Fatalf("got %v %v, want %d", resp.StatusCode, err, c.status)
			}
		})
	}
}
