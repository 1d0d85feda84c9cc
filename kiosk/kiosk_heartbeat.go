package kiosk

import (
	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"

	"hailong/survey"
	"hailong/web"
)

// heartbeatRequest is the body of POST /api/v1/kiosk/heartbeat.
type heartbeatRequest struct {
	Queue   int    `json:"queue"`   // answers waiting in the device's offline queue
	Version string `json:"version"` // the kiosk app version the device runs
}

// kioskHeartbeat records that a paired kiosk is alive, with its queue depth
// and app version (every minute, and after its queue drains).
func kioskHeartbeat(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, err := web.Authenticate(d, c)
		if err != nil {
			return err
		}
		if p.Kind != "kiosk" {
			return survey.Errorf(survey.EFORBIDDEN, "Chỉ ki-ốt đã ghép nối mới gửi tín hiệu này. / Only a paired kiosk sends heartbeats.")
		}
		var req heartbeatRequest
		if err := web.DecodeJSON(c, &req); err != nil {
			return err
		}
		now := d.Clock.Now()
		if err := d.Kiosks.KioskSeen(p.Kiosk.ID, req.Queue, req.Version, now); err != nil {
			return err
		}
		return c.JSON(fiber.Map{"status": "ok", "now": now.UnixMilli(), "version": appVersion})
	}
}

// kioskCollector exposes every unrevoked kiosk's last heartbeat (Unix
// seconds, 0 if never seen) and offline queue depth, read from the store's
// cache at scrape time, so kiosks added later appear without a restart.
type kioskCollector struct {
	db              *survey.Services
	lastSeen, queue *prometheus.Desc
}

func newKioskCollector(db *survey.Services) *kioskCollector {
	return &kioskCollector{db: db,
		lastSeen: prometheus.NewDesc("hailong_kiosk_last_seen_seconds",
			"Unix time of the kiosk's last heartbeat (0: never seen).", []string{"kiosk"}, nil),
		queue: prometheus.NewDesc("hailong_kiosk_queue_depth",
			"Answers waiting in the kiosk's offline queue at its last heartbeat.", []string{"kiosk"}, nil),
	}
}

func (k *kioskCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- k.lastSeen
	ch <- k.queue
}

func (k *kioskCollector) Collect(ch chan<- prometheus.Metric) {
	for _, x := range k.db.Kiosks.Kiosks() {
		if x.Revoked {
			continue
		}
		seen := 0.0
		if !x.LastSeen.IsZero() {
			seen = float64(x.LastSeen.UnixMilli()) / 1000
		}
		ch <- prometheus.MustNewConstMetric(k.lastSeen, prometheus.GaugeValue, seen, x.ID)
		ch <- prometheus.MustNewConstMetric(k.queue, prometheus.GaugeValue, float64(x.Queue), x.ID)
	}
}
