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

// BenchmarkServe1M measures what SPEC "Memory and start", "Analytics" and
// "Storage" budget, on the real binary: a database of N responses (default
// 1,000,000, env HAILONG_BENCH_N; 10000000 for a national year) is built
// with `hailong import` (bulk transactions, which compacts the file when the
// rows came out of time order: HAILONG_BENCH_ORDER=agency writes the CSV
// grouped by agency, then by time), then `hailong serve` is started three
// times and timed until /healthz answers and until a first summary is
// answered; on the third, the anonymous memory (RssAnon: Go heap and
// stacks, not the bbolt mmap) is read from /proc after the start, then the
// full summary (every criterion and element, the previous year, the rank
// among the 30 agencies) is asked 200 times over HTTP for p50 / p99, and
// RssAnon read again. Last, with the server stopped, `hailong reindex` and
// `hailong compact` are timed.
//
//	go test -run '^$' -bench Serve1M -benchtime 1x -timeout 30m ./cmd/hailong
//	HAILONG_BENCH_N=10000000 go test -run '^$' -bench Serve1M -benchtime 1x -timeout 120m ./cmd/hailong
func BenchmarkServe1M(b *testing.B) {
	n := 1000000
	if s := os.Getenv("HAILONG_BENCH_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	bin := hailongBinary(b)
	dir := b.TempDir()
	units := writeBenchCSV(b, dir, n, os.Getenv("HAILONG_BENCH_ORDER"))
	run := func(args ...string) string {
		out, err := exec.Command(bin, withTestDB(b, args)...).CombinedOutput()
		if err != nil {
			b.Fatalf("%v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	run("import", "units", "--data", dir, filepath.Join(dir, "units.csv"))
	t0 := time.Now()
	imp := run("import", "responses", "--data", dir, filepath.Join(dir, "responses.csv"))
	importTime := time.Since(t0)
	os.Remove(filepath.Join(dir, "responses.csv"))
	b.Logf("import of %d rows: %.1f s (%.0f rows/s): %s", n, importTime.Seconds(), float64(n)/importTime.Seconds(), strings.TrimSpace(imp))
	var tok struct{ Token string }
	_ = json.Unmarshal([]byte(run("token", "add", "--data", dir, "--role", "viewer", "--name", "bench")), &tok)
	st, _ := os.Stat(filepath.Join(dir, "hailong.db"))

	summary := func(addr, unit string) time.Duration {
		req, _ := http.NewRequest("GET", "http://"+addr+"/api/v1/analytics/summary?unit="+unit+"&from=2025-11-01&to=2026-10-31", nil)
		req.Header.Set("Authorization", "Bearer "+tok.Token)
		t0 := time.Now()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var s struct {
			Rank               *struct{ Members int }
			Criteria, Elements []json.RawMessage
			Previous           struct{ Index struct{ Value *float64 } }
		}
		err = json.NewDecoder(resp.Body).Decode(&s)
		resp.Body.Close()
		d := time.Since(t0)
		if err != nil || resp.StatusCode != 200 || s.Rank == nil || s.Rank.Members != 30 || len(s.Criteria) != 7 || len(s.Elements) == 0 || s.Previous.Index.Value == nil {
			b.Fatalf("not a full summary: %d %v %+v", resp.StatusCode, err, s)
		}
		return d
	}
	var starts, firsts, calls []time.Duration
	var rssStart, rss, rssAnon int
	for round := 0; round < 3; round++ {
		addr := freePort(b)
		cmd := exec.Command(bin, withTestDB(b, []string{"serve", "--data", dir, "--addr", addr, "--backup-every", "0"})...)
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
			_, rssStart = procMem(b, cmd.Process.Pid)
		}
		summary(addr, units[round])
		firsts = append(firsts, time.Since(t0))
		if round == 2 {
			benchQueries(b, addr, tok.Token, units)
			for i := 0; i < 200; i++ {
				calls = append(calls, summary(addr, units[i%len(units)]))
			}
			rss, rssAnon = procMem(b, cmd.Process.Pid)
		}
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}
	sort.Slice(starts, func(i, j int) bool { return starts[i] < starts[j] })
	sort.Slice(firsts, func(i, j int) bool { return firsts[i] < firsts[j] })
	sort.Slice(calls, func(i, j int) bool { return calls[i] < calls[j] })
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

	if onPostgres { // HAILONG_TEST_DB=postgres: no file to measure or compact
		b.ReportMetric(float64(n)/importTime.Seconds(), "import-rows/s")
		b.ReportMetric(ms(starts[1]), "start-ms")
		b.ReportMetric(ms(calls[len(calls)/2]), "summary-p50-ms")
		b.ReportMetric(ms(calls[len(calls)*99/100]), "summary-p99-ms")
		b.Logf("%d responses on PostgreSQL: start-up to /healthz %v, to a first summary %v (medians of %v / %v); summary over HTTP p50 %.2f ms p99 %.2f ms; RssAnon %.1f MB (reindex not timed on PostgreSQL here)",
			n, starts[1].Round(time.Millisecond), firsts[1].Round(time.Millisecond), starts, firsts,
			ms(calls[len(calls)/2]), ms(calls[len(calls)*99/100]), float64(rssAnon)/1024)
		return
	}
	t1 := time.Now()
	run("reindex", "--data", dir)
	reindex := time.Since(t1)
	t2 := time.Now()
	out := run("compact", "--data", dir)
	compact := time.Since(t2)
	st2, _ := os.Stat(filepath.Join(dir, "hailong.db"))

	b.ReportMetric(float64(n)/importTime.Seconds(), "import-rows/s")
	b.ReportMetric(float64(st.Size())/float64(n), "bytes/response")
	b.ReportMetric(ms(starts[1]), "start-ms")
	b.ReportMetric(ms(firsts[1]), "start-to-summary-ms")
	b.ReportMetric(ms(calls[len(calls)/2]), "summary-p50-ms")
	b.ReportMetric(ms(calls[len(calls)*99/100]), "summary-p99-ms")
	b.ReportMetric(float64(rssStart)/1024, "RssAnon-start-MB")
	b.ReportMetric(float64(rssAnon)/1024, "RssAnon-MB")
	b.ReportMetric(float64(rss)/1024, "VmRSS-MB")
	b.ReportMetric(reindex.Seconds(), "reindex-s")
	b.ReportMetric(compact.Seconds(), "compact-s")
	b.Logf("%d responses, file %.0f MB (%.1f bytes/response): start-up to /healthz %v, to a first summary %v (medians of %v / %v); RssAnon %.1f MB after start, %.1f MB after %d summaries (VmRSS %.1f MB); summary over HTTP p50 %.2f ms p99 %.2f ms; reindex %.1f s; compact %.1f s (%.0f → %.0f MB: %s)",
		n, float64(st.Size())/1e6, float64(st.Size())/float64(n), starts[1].Round(time.Millisecond), firsts[1].Round(time.Millisecond), starts, firsts,
		float64(rssStart)/1024, float64(rssAnon)/1024, 2*len(units)+201, float64(rss)/1024,
		ms(calls[len(calls)/2]), ms(calls[len(calls)*99/100]), reindex.Seconds(), compact.Seconds(), float64(st.Size())/1e6, float64(st2.Size())/1e6, strings.TrimSpace(out))
}

// writeBenchCSV writes units.csv (30 agencies in one group under a
// province) and responses.csv (n quay responses over two years) into dir,
// in time order, or with order "agency" grouped by agency, then by time.
func writeBenchCSV(b *testing.B, dir string, n int, order string) []string {
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
	score := func(c int) string {
		if c > 0 && rng.Intn(10) == 0 { // overall always answered: a row needs one answer
			return ""
		}
		return strconv.Itoa(1 + min(4, rng.Intn(6)))
	}
	// The unit of each row is drawn as before; grouped by agency, each
	// agency's rows are written in one run, agency after agency.
	unitOf := make([]uint8, n)
	for i := range unitOf {
		unitOf[i] = uint8(rng.Intn(len(units)))
	}
	var line []byte
	row := func(i int) {
		line = start.Add(time.Duration(i)*step).AppendFormat(line[:0], time.RFC3339)
		line = append(line, ',')
		line = append(line, units[unitOf[i]]...)
		line = append(line, ",kiosk,quay"...)
		for c := 0; c < 7; c++ {
			line = append(line, ',')
			line = append(line, score(c)...)
		}
		line = append(line, '\n')
		w.Write(line)
	}
	if order == "agency" {
		for u := range units {
			for i := range n {
				if int(unitOf[i]) == u {
					row(i)
				}
			}
		}
	} else {
		for i := range n {
			row(i)
		}
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
