package web

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"hailong/survey"
)

// Metrics are the Prometheus metrics served at /metrics.
type Metrics struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	responses *prometheus.CounterVec
	refused   *prometheus.CounterVec
}

// NewMetrics registers the metrics; db may be nil (no size gauge).
func NewMetrics(db survey.Maintainer) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "hailong_http_requests_total", Help: "HTTP requests by method, route and status.",
	}, []string{"method", "route", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "hailong_http_request_duration_seconds", Help: "HTTP request latency by route.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
	}, []string{"method", "route"})
	m.responses = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "hailong_responses_stored_total", Help: "Survey responses stored, by channel.",
	}, []string{"channel"})
	m.refused = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "hailong_responses_refused_total",
		Help: "Submissions refused with a 4xx that a kiosk drops from its queue, by reason (submitted_at: outside the window of live submissions).",
	}, []string{"reason"})
	m.refused.WithLabelValues("submitted_at") // present at 0 from the start
	m.reg.MustRegister(m.requests, m.latency, m.responses, m.refused,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if db != nil {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "hailong_db_size_bytes", Help: "Size of the bbolt database file.",
		}, func() float64 { return float64(db.Size()) }))
	}
	return m
}

// Stored counts one stored response.
func (m *Metrics) Stored(ch survey.Channel) {
	if m != nil {
		m.responses.WithLabelValues(ch.String()).Inc()
	}
}

// Refused counts one submission refused for reason (a field name).
func (m *Metrics) Refused(reason string) {
	if m != nil {
		m.refused.WithLabelValues(reason).Inc()
	}
}

// Middleware records request counts and latency by route pattern (not raw
// path, so tokens in paths never become label values).
func (m *Metrics) Middleware() fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		err := c.Next()
		status := c.Response().StatusCode()
		if err != nil {
			if e, ok := err.(*fiber.Error); ok {
				status = e.Code
			} else {
				status = Status(survey.ErrorCode(err))
			}
		}
		route := c.Route().Path
		if status == fiber.StatusNotFound && route == "/" {
			route = "unmatched"
		}
		method := string(append([]byte(nil), c.Method()...))
		m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
		m.latency.WithLabelValues(method, route).Observe(time.Since(start).Seconds())
		return err
	}
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() fiber.Handler {
	return adaptor.HTTPHandler(promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
}

// Register adds a collector from another package (per-kiosk gauges, …) to
// the registry served at /metrics.
func (m *Metrics) Register(c prometheus.Collector) error {
	if m == nil {
		return nil
	}
	return m.reg.Register(c)
}
