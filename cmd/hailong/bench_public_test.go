package main

import (
	"net"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"hailong/demo"
	"hailong/survey"
)

// The public page under a burst: 64 clients on loopback GET /cong-khai and
// /cong-khai/data.json of the real server over the demo province (about
// 40 units and 240,000 responses), with the load generator and the bounds
// of the submission benchmark (loadRequests or loadTime, whichever comes
// first), each route without and with gzip. The first request of a route
// is timed apart (first-ms): the first of each period computes the figures,
// the others render them; the burst is then served from the minute-long
// cache.
//
//	go test -run '^$' -bench Public -benchtime 1x ./cmd/hailong
func BenchmarkPublic(b *testing.B) {
	m := MustRun(b, b.TempDir())
	if _, err := demo.Generate(m.DB, time.Now().In(m.DB.Loc()), 1); err != nil {
		b.Fatal(err)
	}
	mustSet(b, m.DB, func(s *survey.Settings) {
		s.Publish.Enabled, s.Publish.Groups = true, []string{"khoi-so", "khoi-xa", "khoi-benh-vien"}
	})
	year := time.Now().Format("2006")
	for _, path := range []string{"/cong-khai", "/cong-khai/data.json", "/cong-khai?unit=so-cong-thuong", "/cong-khai/data.json?p=" + year + "-q1"} {
		for _, gz := range []bool{false, true} {
			name := path
			if gz {
				name += "/gzip"
			}
			b.Run(name, func(b *testing.B) {
				t0 := time.Now()
				st, size := getStatus(m.Addr, path, gz)
				if st != 200 {
					b.Fatalf("%s: %d", path, st)
				}
				cold := time.Since(t0)
				for i := 0; i < b.N; i++ {
					report(b, loadGet(m.Addr, path, 64, gz))
				}
				b.ReportMetric(float64(cold.Microseconds())/1000, "first-ms")
				b.ReportMetric(float64(size), "bytes")
			})
		}
	}
	// The ceiling: a bare Fiber endpoint sending the same page's bytes, in the same run.
	page := fetchBody(b, m.Addr, "/cong-khai")
	b.Run("bare-fiber-same-bytes", func(b *testing.B) {
		app := fiber.New(fiber.Config{DisableStartupMessage: true})
		app.Get("/cong-khai", func(c *fiber.Ctx) error { c.Set("Content-Type", "text/html; charset=utf-8"); return c.Send(page) })
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		go app.Listener(ln)
		defer app.Shutdown()
		for i := 0; i < b.N; i++ {
			report(b, loadGet(ln.Addr().String(), "/cong-khai", 64, false))
		}
	})
}

// fetchBody GETs path once and returns its body.
func fetchBody(b *testing.B, addr, path string) []byte {
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.SetRequestURI("http://" + addr + path)
	if err := fasthttp.DoTimeout(req, resp, time.Minute); err != nil || resp.StatusCode() != 200 {
		b.Fatalf("%s: %v %d", path, err, resp.StatusCode())
	}
	return append([]byte(nil), resp.Body()...)
}

// getStatus GETs path once and returns the status and the body's size.
func getStatus(addr, path string, gz bool) (int, int) {
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.SetRequestURI("http://" + addr + path)
	if gz {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	if err := fasthttp.DoTimeout(req, resp, time.Minute); err != nil {
		return 0, 0
	}
	return resp.StatusCode(), len(resp.Body())
}

// loadGet is load (bench_test.go) for a GET of path; with gz the client
// accepts gzip, as browsers do.
func loadGet(addr, path string, clients int, gz bool) *loadResult {
	return loadRun(addr, clients, 200, func(req *fasthttp.Request) {
		req.SetRequestURI("http://" + addr + path)
		if gz {
			req.Header.Set("Accept-Encoding", "gzip")
		}
	})
}
