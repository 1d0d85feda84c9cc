package main

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	"github.com/valyala/fasthttp"

	"hailong/survey"
	"hailong/web"
)

// The submission load benchmark: a load generator on loopback against (a) a
// bare Fiber endpoint that parses the same JSON and stores nothing and (b)
// the real server, which stores every response durably before its 201.
// Each run is bounded: at most loadRequests requests or loadTime, whichever
// comes first. Run with: make bench  (or go test -run '^$' -bench Submit -benchtime 1x ./cmd/hailong)

const (
	loadRequests = 60000
	loadTime     = 4 * time.Second
)

func payload(id string) []byte {
	// ~300 bytes, like a kiosk answer with all criteria and a reason.
	return []byte(`{"id":"` + id + `","survey":"quay","unit":"so-cong-thuong","counter":"sct-q1","procedure":"2.000889","answers":{"overall":4,"access":5,"facilities":2,"staff_attitude":4,"staff_guidance":5,"timeliness":4,"website":3},"reasons":["had_to_stand"],"submitted_at":"` + time.Now().Format(time.RFC3339) + `"}`)
}

type loadResult struct {
	n, errors int
	elapsed   time.Duration
	lat       []time.Duration
}

func (r *loadResult) pct(p float64) time.Duration {
	if len(r.lat) == 0 {
		return 0
	}
	return r.lat[int(float64(len(r.lat)-1)*p)]
}

// load sends submissions from `clients` concurrent connections to addr.
func load(addr, token string, clients int, newID func() string) *loadResult {
	return loadRun(addr, clients, 201, func(req *fasthttp.Request) {
		req.SetRequestURI("http://" + addr + "/api/v1/responses")
		req.Header.SetMethod("POST")
		req.Header.SetContentType("application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		req.SetBody(payload(newID()))
	})
}

// loadRun sends the requests fill makes from `clients` concurrent
// connections to addr, each timed, until loadRequests are sent or loadTime
// has passed; an answer other than want counts as an error.
func loadRun(addr string, clients, want int, fill func(*fasthttp.Request)) *loadResult {
	hc := &fasthttp.HostClient{Addr: addr, MaxConns: clients, ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second}
	var sent, errs atomic.Int64
	lats := make([][]time.Duration, clients)
	deadline := time.Now().Add(loadTime)
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < clients; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
			defer fasthttp.ReleaseRequest(req)
			defer fasthttp.ReleaseResponse(resp)
			for sent.Add(1) <= loadRequests && time.Now().Before(deadline) {
				req.Reset()
				fill(req)
				t0 := time.Now()
				err := hc.Do(req, resp)
				d := time.Since(t0)
				if err != nil || resp.StatusCode() != want {
					errs.Add(1)
					continue
				}
				lats[w] = append(lats[w], d)
			}
		}(w)
	}
	wg.Wait()
	r := &loadResult{elapsed: time.Since(start), errors: int(errs.Load())}
	for _, l := range lats {
		r.lat = append(r.lat, l...)
	}
	sort.Slice(r.lat, func(i, j int) bool { return r.lat[i] < r.lat[j] })
	r.n = len(r.lat)
	return r
}

func report(b *testing.B, r *loadResult) {
	b.ReportMetric(float64(r.n)/r.elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(r.pct(0.50).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(r.pct(0.99).Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(r.errors), "errors")
	if r.errors > 0 {
		b.Errorf("%d failed requests", r.errors)
	}
}

// bareServer is Fiber with the same JSON decoding and nothing stored.
func bareServer(b *testing.B) string {
	app := fiber.New(fiber.Config{DisableStartupMessage: true, BodyLimit: web.BodyLimit})
	app.Post("/api/v1/responses", func(c *fiber.Ctx) error {
		var req submitRequestForBench
		if err := web.DecodeJSON(c, &req); err != nil {
			return err
		}
		return c.Status(201).JSON(fiber.Map{"id": req.ID})
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go app.Listener(ln)
	b.Cleanup(func() { app.Shutdown() })
	return ln.Addr().String()
}

type submitRequestForBench struct {
	ID, Survey, Unit, Counter, Staff, Procedure, Channel, Comment string
	SubmittedAt                                                   string `json:"submitted_at"`
	Answers                                                       map[string]*int
	Facts                                                         map[string]int
	Reasons                                                       []string
}

func durableServer(b *testing.B) (addr, token string) {
	dir := b.TempDir()
	m := &Main{Config: Config{Addr: "127.0.0.1:0", Data: dir, DB: testAddr(b, dir)}, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := m.Run(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { m.Close() })
	if err := m.DB.PutUnits([]survey.Unit{{ID: "tinh", Name: "Tỉnh"}, {ID: "so-cong-thuong", Name: "Sở Công Thương", Parent: "tinh", Group: "khoi-so"}}); err != nil {
		b.Fatal(err)
	}
	if err := m.DB.PutCounter(survey.Counter{ID: "sct-q1", Unit: "so-cong-thuong", Name: "Quầy 1"}); err != nil {
		b.Fatal(err)
	}
	token, err := m.DB.AddToken(survey.Token{Role: survey.RoleReception, Name: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	return m.Addr, token
}

func BenchmarkSubmit(b *testing.B) {
	for _, clients := range []int{1, 8, 16, 64} {
		b.Run(fmt.Sprintf("bare/clients=%d", clients), func(b *testing.B) {
			addr := bareServer(b)
			for i := 0; i < b.N; i++ {
				report(b, load(addr, "x", clients, uuid.NewString))
			}
		})
		// Random (v4) ids as an outside system may send, and time-ordered
		// (v7) ids as the kiosk creates them: v4 keys dirty one page of the
		// idempotency index per submission, v7 keys append.
		for _, ids := range []struct {
			name string
			gen  func() string
		}{{"v4", uuid.NewString}, {"v7", func() string { return uuid.Must(uuid.NewV7()).String() }}} {
			b.Run(fmt.Sprintf("durable-%s/clients=%d", ids.name, clients), func(b *testing.B) {
				addr, token := durableServer(b)
				for i := 0; i < b.N; i++ {
					report(b, load(addr, token, clients, ids.gen))
				}
			})
		}
	}
}
