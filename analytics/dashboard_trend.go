package analytics

import (
	"hailong/analytics/engine"
	"math"
	"strconv"
	"strings"
)

// The trend chart: an SVG line chart drawn on the server, this period's
// months against the same months a year before. Its data is also given as
// a table (for screen readers, and for the exact figures).

// Chart geometry in SVG user units (the SVG scales to its box).
const (
	chartW, chartH             = 720, 240
	chartLeft, chartRight      = 44, 34
	chartTop, chartBottom      = 12, 32
	chartPlotW, chartPlotH     = chartW - chartLeft - chartRight, chartH - chartTop - chartBottom
	chartMinSpan, chartDefault = 20.0, 50.0
)

type dot struct {
	X, Y  float64
	Few   bool
	Title string
}

type tick struct {
	X, Y  float64
	Label string
}

type trendRow struct {
	Month, Cur, Prior, Delta string
	CurFew, PriorFew         bool
}

// trendView is the chart and its table.
type trendView struct {
	W, H, Left, Right, Top, Bottom int
	YLabelX, XLabelY               int
	CurPath, PriorPath             string
	CurDots, PriorDots             []dot
	YTicks, XTicks                 []tick
	Rows                           []trendRow
	HasData                        bool
	Markers                        []trendMarker // improvement actions (action_trend.go)
	Desc                           string        // the chart's description ("" = the index's)
}

// trendX is the x of point i of n: the months spread over the plot width.
func trendX(i, n int) float64 {
	if n <= 1 {
		return chartLeft + chartPlotW/2
	}
	return round1(chartLeft + float64(i)*float64(chartPlotW)/float64(n-1))
}

func (f fmtr) trend(points []engine.TrendPoint, minN int) trendView {
	v := trendView{W: chartW, H: chartH, Left: chartLeft, Right: chartW - chartRight, Top: chartTop, Bottom: chartH - chartBottom,
		YLabelX: chartLeft - 6, XLabelY: chartH - chartBottom + 20}
	lo, hi := yRange(points)
	y := func(val float64) float64 { return round1(chartTop + (hi-val)/(hi-lo)*chartPlotH) }
	x := func(i int) float64 { return trendX(i, len(points)) }
	var cur, prior strings.Builder
	curOpen, priorOpen := false, false
	for i, p := range points {
		row := trendRow{Month: f.Month(p.Period.From), Cur: "—", Prior: "—", Delta: "—"}
		every := max(1, (len(points)+11)/12)
		if i%every == 0 || i == len(points)-1 {
			v.XTicks = append(v.XTicks, tick{X: x(i), Label: row.Month})
		}
		if p.Current.OK {
			v.HasData = true
			row.Cur, row.CurFew = f.Pct(p.Current.Value), engine.TooFew(p.Current.N, minN)
			pathTo(&cur, &curOpen, x(i), y(p.Current.Value), row.CurFew)
			v.CurDots = append(v.CurDots, dot{x(i), y(p.Current.Value), row.CurFew, row.Month + ": " + row.Cur + " (n = " + f.Int(p.Current.N) + ")"})
		} else {
			curOpen = false
		}
		if p.Prior.OK {
			v.HasData = true
			row.Prior, row.PriorFew = f.Pct(p.Prior.Value), engine.TooFew(p.Prior.N, minN)
			pathTo(&prior, &priorOpen, x(i), y(p.Prior.Value), row.PriorFew)
			v.PriorDots = append(v.PriorDots, dot{x(i), y(p.Prior.Value), row.PriorFew, f.Month(p.Before.From) + ": " + row.Prior + " (n = " + f.Int(p.Prior.N) + ")"})
		} else {
			priorOpen = false
		}
		if p.Current.OK && p.Prior.OK {
			row.Delta = f.Delta(p.Current.Value - p.Prior.Value)
		}
		v.Rows = append(v.Rows, row)
	}
	v.CurPath, v.PriorPath = cur.String(), prior.String()
	tickStep := 10.0
	if hi-lo > 50 {
		tickStep = 20
	}
	for t := lo; t <= hi+0.001; t += tickStep {
		v.YTicks = append(v.YTicks, tick{Y: y(t), Label: f.Dec(t, 0)})
	}
	return v
}

// pathTo extends an SVG path, starting a new segment after a gap. A point
// with too few responses is a gap too: it is drawn as a hollow dot only, so
// that no line leads to or from a figure that is not reliable (a month with
// two days of answers would otherwise pull the line down or up).
func pathTo(b *strings.Builder, open *bool, x, y float64, few bool) {
	if few {
		*open = false
		return
	}
	if *open {
		b.WriteString(" L")
	} else {
		if b.Len() > 0 {
			b.WriteString(" ")
		}
		b.WriteString("M")
	}
	b.WriteString(strconv.FormatFloat(x, 'f', 1, 64) + " " + strconv.FormatFloat(y, 'f', 1, 64))
	*open = true
}

// yRange is the value axis: the data's range widened to tens, at least
// chartMinSpan points, within 0–100.
func yRange(points []engine.TrendPoint) (lo, hi float64) {
	lo, hi = 101, -1
	for _, p := range points {
		for _, fg := range []engine.Figure{p.Current, p.Prior} {
			if fg.OK {
				lo, hi = math.Min(lo, fg.Value), math.Max(hi, fg.Value)
			}
		}
	}
	if hi < 0 {
		return chartDefault, 100
	}
	lo, hi = math.Floor(lo/10)*10, math.Ceil(hi/10)*10
	if hi == lo {
		hi += 10
	}
	for hi-lo < chartMinSpan {
		if lo > 0 {
			lo -= 10
		} else {
			hi += 10
		}
	}
	return math.Max(0, lo), math.Min(100, hi)
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }
