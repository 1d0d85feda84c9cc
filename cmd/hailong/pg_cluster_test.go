package main

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"hailong/survey/pg/pgtest"
)

// Several app servers on one PostgreSQL database, as behind a load
// balancer (docs/DEPLOY.md): the tests start real servers in-process on
// one database and spread their own requests over them.

// pgInstall fills database url through the CLI as setup does: units, a
// reception token, the login "lan".
func pgInstall(t *testing.T, url string) (reception string) {
	t.Helper()
	dir := t.TempDir()
	csv := filepath.Join(dir, "units.csv")
	if err := os.WriteFile(csv, []byte(unitsCSV), 0o600); err != nil {
		t.Fatal(err)
	}
	mustCLI(t, "", "import", "units", "--db", url, csv)
	var tok struct{ Token string }
	if err := json.Unmarshal([]byte(mustCLI(t, "", "token", "add", "--db", url, "--role", "reception", "--unit", "so-cong-thuong", "--name", "Một cửa")), &tok); err != nil {
		t.Fatal(err)
	}
	mustCLI(t, "dung-mat-khau-1\n", "user", "add", "--db", url, "--username", "lan", "--role", "viewer", "--password-stdin")
	return tok.Token
}

// pgServers starts n servers on database url.
func pgServers(t *testing.T, url string, n int) []*Main {
	t.Helper()
	var ms []*Main
	for i := 0; i < n; i++ {
		m := &Main{Config: Config{Addr: "127.0.0.1:0", DB: url, Data: t.TempDir(), TZ: "Asia/Ho_Chi_Minh"},
			Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		if err := m.Run(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { m.Close() })
		ms = append(ms, m)
	}
	return ms
}

// roundRobin is the test's own load balancer: each call the next server.
type roundRobin struct {
	bases []string
	n     atomic.Uint64
}

func (rr *roundRobin) next() string { return rr.bases[(rr.n.Add(1)-1)%uint64(len(rr.bases))] }

func newRoundRobin(ms []*Main) *roundRobin {
	rr := &roundRobin{}
	for _, m := range ms {
		rr.bases = append(rr.bases, "http://"+m.Addr)
	}
	return rr
}

// TestTwoServersOneDatabase: the login throttle counts failures on both
// servers, a receipt answered on one is refused on the other, and one
// response id sent to both at once is stored once.
func TestTwoServersOneDatabase(t *testing.T) {
	db := pgtest.Cluster(t)
	reception := pgInstall(t, db)
	ms := pgServers(t, db, 2)
	rr := newRoundRobin(ms)
	t.Run("LoginThrottle", func(t *testing.T) {
		clients := map[string]*loginClient{}
		for _, b := range rr.bases {
			clients[b] = newLoginClient(t, b)
		}
		for i := 0; i < 5; i++ {
			if res, _ := clients[rr.next()].post(t, "lan", "sai-mat-khau", ""); res.StatusCode != http.StatusUnauthorized {
				t.Fatalf("wrong password %d: %d", i+1, res.StatusCode)
			}
		}
		for _, b := range rr.bases {
			if res, _ := clients[b].post(t, "lan", "dung-mat-khau-1", ""); res.StatusCode != http.StatusTooManyRequests {
				t.Fatalf("the right password after 5 failures spread over two servers, on %s: %d, want 429", b, res.StatusCode)
			}
		}
	})
	t.Run("ReceiptSingleUse", func(t *testing.T) {
		r := post(t, http.DefaultClient, rr.next()+"/api/v1/receipts", reception, "application/json", []byte(`{"dossier_code":"HS-2SRV-1","unit":"so-cong-thuong","received_at":"`+
			time.Now().Format(time.RFC3339)+`","due_at":"`+time.Now().AddDate(0, 0, 7).Format("2006-01-02")+`"}`))
		if r.Status != 201 {
			t.Fatalf("issue: %d %v", r.Status, r.Body)
		}
		token, _ := r.Body["token"].(string)
		answer := url.Values{"lang": {"vi"}, "c.overall": {"4"}, "c.staff_attitude": {"5"}, "c.online_speed": {"na"},
			"f.tt01_contacts": {"0"}, "f.tt01_complaint": {"0"}}.Encode()
		e := &receiptEnv{t: t}
		if p := e.do("POST", rr.bases[0]+"/r/"+token, "", "application/x-www-form-urlencoded", answer); p.Status != 200 {
			t.Fatalf("answer on server A: %d", p.Status)
		}
		if p := e.do("POST", rr.bases[1]+"/r/"+token, "", "application/x-www-form-urlencoded", answer); p.Status != 409 {
			t.Fatalf("the same receipt answered on server B: %d, want 409", p.Status)
		}
	})
	t.Run("IdempotentAcross", func(t *testing.T) {
		before := ms[0].DB.ResponseCount()
		id := uuid.NewString()
		body := []byte(`{"id":"` + id + `","survey":"quay","unit":"sct-van-phong","answers":{"overall":5}}`)
		var wg sync.WaitGroup
		var created, repeated atomic.Int32
		for i := 0; i < 20; i++ {
			wg.Add(1)
			go func(base string) {
				defer wg.Done()
				switch r := post(t, http.DefaultClient, base+"/api/v1/responses", reception, "application/json", body); r.Status {
				case 201:
					created.Add(1)
				case 200:
					repeated.Add(1)
				default:
					t.Errorf("submit: %d %v", r.Status, r.Body)
				}
			}(rr.next())
		}
		wg.Wait()
		if created.Load() != 1 || repeated.Load() != 19 {
			t.Fatalf("one id sent 20 times over two servers: %d created, %d repeats; want 1 and 19", created.Load(), repeated.Load())
		}
		if after := ms[1].DB.ResponseCount(); after != before+1 {
			t.Fatalf("responses stored: %d → %d, want one more", before, after)
		}
		if _, err := ms[0].DB.ResponseByID(id); err != nil {
			t.Fatal(err)
		}
	})
}
