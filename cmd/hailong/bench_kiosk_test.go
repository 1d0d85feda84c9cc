package main

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"hailong/survey"
	"hailong/web"
)

// BenchmarkKioskInteractive measures how soon the kiosk can take a tap on a
// CPU slowed 4× (Chromium's CPU throttling, as on a cheap tablet): the time
// from navigation start to DOMContentLoaded's end — the deferred kiosk.js
// has run and the faces have their handlers. The first load comes from the
// network (a fresh browser profile, right after pairing); later loads from
// the cache, as a kiosk reloads. For scale, the same fresh-profile
// navigation to a blank document (/healthz): what the browser itself costs.
// KIOSK_TIMING=1 prints each first load's navigation and resource timings.
//
//	go test -run '^$' -bench KioskInteractive -benchtime 1x ./cmd/hailong
func BenchmarkKioskInteractive(b *testing.B) {
	browser := mustBrowser(b)
	e := newKioskEnv(b, browser, survey.DefaultSettings().Kiosk)
	const domReady = `(function(){var n=performance.getEntriesByType("navigation")[0];return n.domContentLoadedEventEnd})()`
	// the page's own work: from the last byte of the HTML to DOMContentLoaded
	// (the time before it is the browser's navigation and the network)
	const afterResponse = `(function(){var n=performance.getEntriesByType("navigation")[0];return n.domContentLoadedEventEnd-n.responseEnd})()`
	// a device key made in-process, set as the cookie in fresh browser
	// profiles: each first load comes from the network, nothing cached, no
	// service worker yet
	code, err := e.m.DB.AddKiosk(survey.Kiosk{ID: "bench-kiosk", Unit: kioskUnit, Counter: kioskCounter, Name: "Bench"})
	if err != nil {
		b.Fatal(err)
	}
	_, key, err := e.m.DB.PairKiosk(code)
	if err != nil {
		b.Fatal(err)
	}
	host := strings.Split(e.m.Addr, ":")[0]
	var first, firstAfter []float64
	for i := 0; i < 15; i++ {
		tab, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
		err := chromedp.Do(tab, chromedp.EmulateViewport(1280, 800),
			cdpDo(emulation.SetCPUThrottlingRate, emulation.SetCPUThrottlingRateParams{Rate: 4}),
			cdpDo(network.SetCookie, network.SetCookieParams{Name: web.KioskCookie, Value: key, Domain: host, Path: "/"}),
			chromedp.Navigate(e.base+"/kiosk"), kScreen("start"))
		if err != nil {
			b.Fatal(err)
		}
		v, err := chromedp.Run(tab, chromedp.Evaluate[float64](domReady))
		if err != nil {
			b.Fatal(err)
		}
		first = append(first, v)
		w, err := chromedp.Run(tab, chromedp.Evaluate[float64](afterResponse))
		if err != nil {
			b.Fatal(err)
		}
		firstAfter = append(firstAfter, w)
		if os.Getenv("KIOSK_TIMING") != "" {
			t, _ := chromedp.Run(tab, chromedp.Evaluate[string](`(function(){var n=performance.getEntriesByType("navigation")[0];
				var o="nav: fetch "+n.fetchStart.toFixed(0)+" req "+n.requestStart.toFixed(0)+" resp "+n.responseStart.toFixed(0)+"-"+n.responseEnd.toFixed(0)+" domInteractive "+n.domInteractive.toFixed(0)+" dcl "+n.domContentLoadedEventStart.toFixed(0)+"-"+n.domContentLoadedEventEnd.toFixed(0);
				performance.getEntriesByType("resource").forEach(function(r){o+="\n  "+r.name.split("/").pop()+" "+r.startTime.toFixed(0)+" req "+r.requestStart.toFixed(0)+" end "+r.responseEnd.toFixed(0)});
				return o})()`))
			fmt.Fprintln(os.Stderr, t)
		}
		cancel()
	}
	// the floor: the same fresh-profile navigation to a document with no
	// markup, style or script (/healthz), at the same throttle
	var floor []float64
	for i := 0; i < 15; i++ {
		tab, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
		err := chromedp.Do(tab, chromedp.EmulateViewport(1280, 800),
			cdpDo(emulation.SetCPUThrottlingRate, emulation.SetCPUThrottlingRateParams{Rate: 4}),
			chromedp.Navigate(e.base+"/healthz"))
		if err != nil {
			b.Fatal(err)
		}
		v, err := chromedp.Run(tab, chromedp.Evaluate[float64](domReady))
		if err != nil {
			b.Fatal(err)
		}
		floor = append(floor, v)
		cancel()
	}
	// later loads: the paired kiosk reloading (HTTP cache and service worker)
	e.pair()
	e.run(cdpDo(emulation.SetCPUThrottlingRate, emulation.SetCPUThrottlingRateParams{Rate: 4}))
	var later []float64
	for i := 0; i < 10; i++ {
		e.run(chromedp.Reload(), kScreen("start"))
		later = append(later, kJS[float64](e, domReady))
	}
	med := func(v []float64) float64 { sort.Float64s(v); return v[len(v)/2] }
	b.ReportMetric(med(first), "first-load-p50-ms")
	b.ReportMetric(med(firstAfter), "first-html-to-ready-p50-ms")
	b.ReportMetric(med(later), "cached-p50-ms")
	b.ReportMetric(med(floor), "blank-doc-p50-ms")
	b.Logf("4× CPU throttle, navigation start → DOMContentLoaded end: first load (fresh profile) p50 %.0f ms %v, of which after the HTML arrived p50 %.0f ms %v; cached reloads p50 %.0f ms %v; a blank document (/healthz) in a fresh profile p50 %.0f ms %v",
		med(first), rounded(first), med(firstAfter), rounded(firstAfter), med(later), rounded(later), med(floor), rounded(floor))
}

func rounded(v []float64) []time.Duration {
	out := make([]time.Duration, len(v))
	for i, x := range v {
		out[i] = time.Duration(x) * time.Millisecond
	}
	return out
}

// cdpDo sends one DevTools command as a chromedp action.
func cdpDo[P any, R any](m cdp.Command[P, R], params P) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, m, params)
		return err
	})
}
