package main

import (
	"bytes"
	"fmt"
	"hailong/survey/bolt"
	"math/rand"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"hailong/survey"
)

// buildBinary compiles hailong once per test binary run.
var buildOnce struct {
	sync.Once
	path string
	err  error
}

func hailongBinary(t testing.TB) string {
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "hailong-bin")
		if err != nil {
			buildOnce.err = err
			return
		}
		buildOnce.path = filepath.Join(dir, "hailong")
		out, err := exec.Command("go", "build", "-o", buildOnce.path, ".").CombinedOutput()
		if err != nil {
			buildOnce.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildOnce.err != nil {
		t.Fatal(buildOnce.err)
	}
	return buildOnce.path
}

func freePort(t testing.TB) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func startBinary(t *testing.T, bin, dir, addr string) *exec.Cmd {
	cmd := exec.Command(bin, "serve", "--data", dir, "--addr", addr)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 200; i++ {
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			return cmd
		}
		time.Sleep(25 * time.Millisecond)
	}
	cmd.Process.Kill()
	t.Fatalf("server did not start: %s", stderr.String())
	return nil
}

// TestCrashKeepsAcknowledged starts the real binary, has 64 clients submit
// with fresh idempotency keys, kills the server with SIGKILL mid-load, and
// checks on restart that every acknowledged id is stored, none twice, and
// the counts equal a rebuild. Three rounds, different kill times.
func TestCrashKeepsAcknowledged(t *testing.T) {
	bin := hailongBinary(t)
	dir, reception, _ := setup(t)
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	var acked []string
	attempted := 0
	for round := 0; round < 3; round++ {
		addr := freePort(t)
		cmd := startBinary(t, bin, dir, addr)
		killAfter := time.Duration(150+rng.Intn(600)) * time.Millisecond
		var mu sync.Mutex
		var wg sync.WaitGroup
		stop := time.Now().Add(killAfter + 500*time.Millisecond) // bounded: clients stop soon after the kill
		client := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
		for c := 0; c < 64; c++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < 2000 && time.Now().Before(stop); i++ {
					id := uuid.NewString()
					body := fmt.Sprintf(`{"id":%q,"survey":"quay","unit":"sct-van-phong","answers":{"overall":%d,"facilities":%d}}`, id, 1+i%5, 1+(i/5)%5)
					req, _ := http.NewRequest("POST", "http://"+addr+"/api/v1/responses", bytes.NewBufferString(body))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("Authorization", "Bearer "+reception)
					mu.Lock()
					attempted++
					mu.Unlock()
					resp, err := client.Do(req)
					if err != nil {
						time.Sleep(5 * time.Millisecond) // the server is down
						continue
					}
					resp.Body.Close()
					if resp.StatusCode == 201 {
						mu.Lock()
						acked = append(acked, id)
						mu.Unlock()
					}
				}
			}()
		}
		time.Sleep(killAfter)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()
		wg.Wait()
		t.Logf("round %d: killed after %v; %d acknowledged so far of %d attempted", round, killAfter, len(acked), attempted)
	}
	if len(acked) == 0 {
		t.Fatal("no submission was acknowledged: the load never reached the server")
	}
	db, err := bolt.Open(filepath.Join(dir, "hailong.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, id := range acked {
		if _, err := db.ResponseByID(id); err != nil {
			t.Fatalf("acknowledged %s is lost: %v", id, err)
		}
	}
	// Every stored response has its own id (each request used a fresh one),
	// so no id is stored twice exactly when responses == distinct ids.
	seen := map[string]bool{}
	ids := 0
	db.EachResponse(time.Time{}, time.Time{}, func(r *survey.Response) error { ids++; return nil })
	for _, id := range acked {
		seen[id] = true
	}
	if ids < len(seen) || ids > attempted {
		t.Fatalf("%d responses stored for %d acknowledged and %d attempted", ids, len(seen), attempted)
	}
	if n := db.IdemCount(); n != ids {
		t.Fatalf("%d idempotency keys for %d responses: some id is stored twice or lost", n, ids)
	}
	if ok, err := db.CheckAgg(); err != nil || !ok {
		t.Fatalf("counts differ from a rebuild after the crashes (err %v)", err)
	}
}
