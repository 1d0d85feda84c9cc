package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkServe1M measures what SPEC "Memory and start" budgets, on the
// real binary: a database of N responses (default 1,000,000, env
// HAILONG_BENCH_N) is built with `hailong import`, then `hailong serve`
// is started and timed until /healthz answers; after summaries for every
// agency and a few breakdowns, the server's anonymous memory (RssAnon: Go
// heap and stacks, not the bbolt mmap) is read from /proc.
//
//	go test -run '^$' -bench Serve1M -benchtime 1x -timeout 30m ./cmd/hailong
func BenchmarkServe1M(b *testing.B) {
	n := 1000000
	if s := os.Getenv("HAILONG_BENCH_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	bin := hailongBinary(b)
	dir := b.TempDir()
	units := writeBenchCSV(b, dir, n)
	run := func(args ...string) string {
		out, err := exec.Command(bin, args...).CombinedOutput()
		if err != nil {
			b.Fatalf("%v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	run("import", "units", "--data", dir, filepath.Join(dir, "units.csv"))
	t0 := time.Now()
	run("import", "responses", "--data", dir, filepath.Join(dir, "responses.csv"))
	b.Logf("import of %d rows: %.1f s", n, time.Since(t0).Seconds())
	var tok struct{ Token string }
	_ = json.Unmarshal([]byte(run("token", "add", "--data", dir, "--role", "viewer", "--name", "bench")), &tok)
	st, _ := os.Stat(filepath.Join(dir, "hailong.db"))

	var starts []time.Duration
	var rss, rssAnon int
	for round := 0; round < 3; round++ {
		addr := freePort(b)
		cmd := exec.Command(bin, "serve", "--data", dir, "--addr", addr, "--backup-every", "0")
		t0 := time.Now()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		for i := 0; ; i++ {
			if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
				resp.Body.Close()
				break
			}
			if i > 4000 {
				cmd.Process.Kill()
				b.Fatal("server did not start in 20 s")
			}
			time.Sleep(5 * time.Millisecond)
		}
		starts = append(starts, time.Since(t0))
		if round == 2 {
			benchQueries(b, addr, tok.Token, units)
			rss, rssAnon = procMem(b, cmd.Process.Pid)
		}
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}
	sort.Slice(starts, func(i, j int) bool { return starts[i] < starts[j] })
	b.ReportMetric(float64(starts[1].Milliseconds()), "start-ms")
	b.ReportMetric(float64(rssAnon)/1024, "RssAnon-MB")
	b.ReportMetric(float64(rss)/1024, "VmRSS-MB")
	b.Logf("%d responses, file %.0f MB: start-up to /healthz %v (median of %v); after %d summaries: RssAnon %.1f MB, VmRSS %.1f MB",
		n, float64(st.Size())/1e6, starts[1].Round(time.Millisecond), starts, 2*len(units), float64(rssAnon)/1024, float64(rss)/1024)
}

// writeBenchCSV writes units.csv (30 agencies in one group under a
// province) and responses.csv (n quay responses over two years) into dir.
func writeBenchCSV(b *testing.B, dir string, n int) []string {
	var units []string
	u := "id,name,parent,group\nbench-tinh,UBND Tỉnh,,\n"
	for i := 1; i <= 30; i++ {
		id := fmt.Sprintf("so-%02d", i)
		units = append(units, id)
		u += fmt.Sprintf("%s,Sở số %d,bench-tinh,khoi-so\n", id, i)
	}
	if err := os.WriteFile(filepath.Join(dir, "units.csv"), []byte(u), 0o600); err != nil {
		b.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, "responses.csv"))
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("submitted_at,unit,channel,survey,overall,access,facilities,staff_attitude,staff_guidance,timeliness,website\n")
	rng := rand.New(rand.NewSource(1))
	start := time.Date(2024, 11, 1, 8, 0, 0, 0, time.FixedZone("ICT", 7*3600))
	step := 2 * 365 * 24 * time.Hour / time.Duration(n)
	score := func() string {
		if rng.Intn(10) == 0 {
			return ""
		}
		return strconv.Itoa(1 + min(4, rng.Intn(6)))
	}
	for i := 0; i < n; i++ {
		at := start.Add(time.Duration(i) * step)
		fmt.Fprintf(w, "%s,%s,kiosk,quay", at.Format(time.RFC3339), units[rng.Intn(len(units))])
		for c := 0; c < 7; c++ {
			w.WriteString(",")
			w.WriteString(score())
		}
		w.WriteString("\n")
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	return units
}

func benchQueries(b *testing.B, addr, token string, units []string) {
	get := func(path string) {
		req, _ := http.NewRequest("GET", "http://"+addr+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("%s: %d", path, resp.StatusCode)
		}
	}
	for _, u := range units {
		get("/api/v1/analytics/summary?unit=" + u + "&from=2025-11-01&to=2026-10-31")
		get("/api/v1/analytics/summary?unit=" + u + "&from=2024-11-01&to=2025-10-31")
	}
	get("/api/v1/analytics/summary")
}

// procMem reads VmRSS and RssAnon (kB) of a process.
func procMem(b *testing.B, pid int) (rss, anon int) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		v, _ := strconv.Atoi(f[1])
		switch f[0] {
		case "VmRSS:":
			rss = v
		case "RssAnon:":
			anon = v
		}
	}
	return rss, anon
}
