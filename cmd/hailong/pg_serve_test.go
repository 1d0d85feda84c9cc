package main

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"hailong/survey/pg/pgtest"
)

// getStatus returns the status of a GET and its JSON body.
func getJSONStatus(t *testing.T, u string) (int, map[string]any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %d, not JSON: %q", u, resp.StatusCode, b)
	}
	return resp.StatusCode, m
}

// waitStatus polls u until it answers want (at most 60 s).
func waitStatus(t *testing.T, u string, want int) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		got, body := getJSONStatus(t, u)
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: still %d %v after 60 s, want %d", u, got, body, want)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestServeWaitsForDatabase: a server started while its PostgreSQL
// database is down starts anyway, answers 503 with a reason (health, API),
// serves once the database is up, and follows it down and up again.
func TestServeWaitsForDatabase(t *testing.T) {
	own := pgtest.NewOwn(t)
	url := own.Database(t)
	own.Stop(t)
	was := retryEvery
	retryEvery = 100 * time.Millisecond
	t.Cleanup(func() { retryEvery = was })
	m := &Main{Config: Config{Addr: "127.0.0.1:0", DB: url, TZ: "Asia/Ho_Chi_Minh", Data: t.TempDir()},
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := m.Run(); err != nil {
		t.Fatalf("a server whose database is down must start: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	base := "http://" + m.Addr
	status, body := getJSONStatus(t, base+"/healthz")
	if status != 503 || body["status"] != "unavailable" || body["reason"] != "database unreachable" {
		t.Fatalf("/healthz while the database is down: %d %v", status, body)
	}
	status, body = getJSONStatus(t, base+"/api/v1/openapi.json")
	if e, _ := body["error"].(map[string]any); status != 503 || e["code"] != "unavailable" {
		t.Fatalf("the API while the database is down: %d %v", status, body)
	}
	own.Start(t)
	waitStatus(t, base+"/healthz", 200)
	if status, _ := getJSONStatus(t, base+"/api/v1/openapi.json"); status != 200 {
		t.Fatalf("the API once the database is up: %d", status)
	}
	own.Stop(t)
	waitStatus(t, base+"/healthz", 503)
	own.Start(t)
	waitStatus(t, base+"/healthz", 200)
}
