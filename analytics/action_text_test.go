package analytics

import (
	"testing"

	"hailong/analytics/engine"
)

// The sentences that state an action's effect, for each verdict
// (docs/METHODOLOGY.md section 13; the figures are engine's).
func TestEffectSentences(t *testing.T) {
	today := day(2026, 3, 18)
	_, over := engine.EffectWindows(day(2025, 11, 1), 90) // ends 29 January: complete
	assess := func(b, a engine.Proportion, after engine.Period) engine.CriterionEffect {
		return engine.AssessEffect(engine.EffectInput{Key: "k", Before: b, After: a, AfterWindow: after, Today: today, MinN: 30})
	}
	t.Run("MethodologyExample", func(t *testing.T) {
		before, after := engine.Proportion{Pos: 250, N: 480}, engine.Proportion{Pos: 330, N: 468}
		_, w2 := engine.EffectWindows(day(2025, 10, 13), 90)
		ce := assess(before, after, w2)
		ae := &engine.ActionEffect{Window: 90}
		for lang, want := range map[string]string{
			"vi": "Tiêu chí “Bố trí quầy, trang thiết bị” tăng 18,4\u00a0điểm (từ 52,1\u00a0% lên 70,5\u00a0%), khác biệt có ý nghĩa thống kê.",
			"en": "Criterion “Counter layout & facilities” rose 18.4\u00a0points (from 52.1\u00a0% to 70.5\u00a0%), a statistically significant difference.",
		} {
			label := map[string]string{"vi": "Bố trí quầy, trang thiết bị", "en": "Counter layout & facilities"}[lang]
			if got := newFmtr(lang).effectSentence(label, ce, ae, 30); got != want {
				t.Errorf("%s:\n got %q\nwant %q", lang, got, want)
			}
		}
		if got := newFmtr("vi").pValue(ce.Diff.P); got != "p < 0,001" {
			t.Errorf("p-value written %q", got)
		}
	})
	t.Run("Fall", func(t *testing.T) {
		ce := assess(engine.Proportion{Pos: 240, N: 300}, engine.Proportion{Pos: 150, N: 300}, over)
		if s := newFmtr("vi").effectSentence("K", ce, &engine.ActionEffect{}, 30); s != "Tiêu chí “K” giảm 30,0\u00a0điểm (từ 80,0\u00a0% xuống 50,0\u00a0%), khác biệt có ý nghĩa thống kê." {
			t.Errorf("%q", s)
		}
	})
	t.Run("NoJump", func(t *testing.T) {
		ce := assess(engine.Proportion{Pos: 200, N: 400}, engine.Proportion{Pos: 206, N: 400}, over)
		s := newFmtr("en").effectSentence("K", ce, &engine.ActionEffect{}, 30)
		if s != "Criterion “K” rose 1.5\u00a0points (from 50.0\u00a0% to 51.5\u00a0%), not a statistically significant difference: no effect can be concluded." {
			t.Errorf("%q", s)
		}
	})
	t.Run("TooFew", func(t *testing.T) {
		ce := assess(engine.Proportion{Pos: 5, N: 29}, engine.Proportion{Pos: 40, N: 40}, over)
		s := newFmtr("vi").effectSentence("K", ce, &engine.ActionEffect{}, 30)
		if s != "Tiêu chí “K”: chưa đủ số phiếu để kết luận (trước: n = 29, sau: n = 40; cần ít nhất 30 mỗi khoảng)." {
			t.Errorf("%q", s)
		}
	})
	t.Run("TooEarly", func(t *testing.T) {
		_, open := engine.EffectWindows(today-20, 90)
		ce := assess(engine.Proportion{Pos: 150, N: 300}, engine.Proportion{Pos: 240, N: 300}, open)
		s := newFmtr("vi").effectSentence("K", ce, &engine.ActionEffect{Window: 90, DaysPassed: 20}, 30)
		if s != "Tiêu chí “K”: chưa đủ thời gian để kết luận — mới qua 20/90 ngày của khoảng sau khi hoàn thành." {
			t.Errorf("%q", s)
		}
	})
	t.Run("NotDone", func(t *testing.T) {
		if s := newFmtr("en").notDoneText(); s == "" {
			t.Error("no words for an action not done")
		}
	})
}
