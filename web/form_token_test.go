package web

import (
	"testing"
	"time"
)

// A form token is valid for its purpose, its client and maxAge only.
func TestFormToken(t *testing.T) {
	ck := &ClientKeys{key: []byte("k")}
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	tok := ck.FormToken("client-a", "poster:a", now)
	for _, c := range []struct {
		name, client, purpose, tok string
		at                         time.Time
		ok                         bool
	}{
		{"Valid", "client-a", "poster:a", tok, now.Add(59 * time.Minute), true},
		{"ErrExpired", "client-a", "poster:a", tok, now.Add(61 * time.Minute), false},
		{"ErrFuture", "client-a", "poster:a", tok, now.Add(-2 * time.Minute), false},
		{"ErrOtherPurpose", "client-a", "poster:b", tok, now, false},
		{"ErrOtherClient", "client-b", "poster:a", tok, now, false},
		{"ErrTampered", "client-a", "poster:a", tok[:len(tok)-1] + "x", now, false},
		{"ErrMalformed", "client-a", "poster:a", "x.y", now, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := ck.CheckFormToken(c.client, c.purpose, c.tok, c.at, time.Hour); got != c.ok {
				t.Fatalf("got %v, want %v", got, c.ok)
			}
		})
	}
}
