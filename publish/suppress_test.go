package publish

import (
	"reflect"
	"testing"
)

// heldCells lists the withheld cells of Suppress's answer.
func heldCells(out []bool) []int {
	var h []int
	for i, b := range out {
		if b {
			h = append(h, i)
		}
	}
	return h
}

// cellsOf makes cells of sizes n; held lists the ones under the minimum.
func cellsOf(n []uint64, held ...int) []Cell {
	cs := make([]Cell, len(n))
	for i, x := range n {
		cs[i].Size = x
	}
	for _, h := range held {
		cs[h].Held = true
	}
	return cs
}

func TestSuppress(t *testing.T) {
	// Cells 0 = year, 1–4 = quarters.
	year := []Set{{Total: 0, Parts: []int{1, 2, 3, 4}}}
	for _, tc := range []struct {
		name  string
		cells []Cell
		sets  []Set
		want  []int
	}{
		{"OneSmallQuarter", cellsOf([]uint64{142, 40, 35, 17, 50}, 3), year, []int{2, 3}},
		{"TwoSmallQuarters", cellsOf([]uint64{112, 40, 27, 17, 28}, 2, 3), year, []int{2, 3}},
		{"NothingSmall", cellsOf([]uint64{142, 40, 35, 17, 50}), year, nil},
		// Only one quarter begun: the year is that quarter.
		{"TotalWhenNoOtherPart", cellsOf([]uint64{17, 17}, 1), []Set{{Total: 0, Parts: []int{1}}}, []int{0, 1}},
		// An element is the mean of its criteria: the smaller other criterion goes.
		{"Mean", cellsOf([]uint64{90, 90, 20, 60}, 2), []Set{{Total: 0, Parts: []int{1, 2, 3}, Mean: true}}, []int{2, 3}},
		// The responses at no counter are never published: they hide a small counter.
		{"HiddenRemainder", []Cell{{Size: 100}, {Size: 10, Held: true}, {Size: 90, Hidden: true}},
			[]Set{{Total: 0, Parts: []int{1, 2}}}, []int{1, 2}},
		// Counters A, B × quarters Q1, Q2, with the agency's and the year's
		// totals: cells 0 A·Y, 1 A·Q1, 2 A·Q2, 3 B·Y, 4 B·Q1, 5 B·Q2, 6 agency·Q1,
		// 7 agency·Q2, 8 agency·Y. A·Q1 is small; withholding A·Q2 (its year)
		// leaves it as agency·Q1 − B·Q1, then B·Q1 leaves B·Q2 = B·Y − B·Q1…
		{"ChainAcrossSets", cellsOf([]uint64{60, 5, 55, 70, 40, 30, 45, 85, 130}, 1), []Set{
			{Total: 0, Parts: []int{1, 2}}, {Total: 3, Parts: []int{4, 5}}, {Total: 8, Parts: []int{6, 7}},
			{Total: 6, Parts: []int{1, 4}}, {Total: 7, Parts: []int{2, 5}}, {Total: 8, Parts: []int{0, 3}},
		}, []int{1, 2, 4, 5}},
		// A count set and a mean set on the same cells do not combine: cell 1's
		// n is not its value.
		{"MeasuresApart", cellsOf([]uint64{100, 10, 90, 95}, 1), []Set{
			{Measure: measureCount, Total: 0, Parts: []int{1, 2}},
			{Measure: measureValue, Total: 3, Parts: []int{1, 2}, Mean: true},
		}, []int{1, 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := Suppress(tc.cells, tc.sets)
			if got := heldCells(out); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("withheld %v, want %v", got, tc.want)
			}
			for _, m := range []int{measureCount, measureValue} {
				var ss []Set
				for _, s := range tc.sets {
					if s.Measure == m {
						ss = append(ss, s)
					}
				}
				for _, x := range determined(ss, out, len(out)) {
					if !tc.cells[x].Hidden {
						t.Errorf("cell %d can still be computed", x)
					}
				}
			}
		})
	}
}

// A set with two withheld cells does not protect them when another set
// fixes one: 10 = x + y with x small and y withheld, 8 = y + z with z
// shown gives y = 8 − z, then x = 10 − y. Suppress sees through the chain.
func TestSuppressDeterminedThroughChain(t *testing.T) {
	// Cells: 0 = 10, 1 = x (small), 2 = y, 3 = 8, 4 = z.
	cells := cellsOf([]uint64{10, 4, 6, 8, 2}, 1)
	cells[2].Held = true // withheld for another reason
	sets := []Set{{Total: 0, Parts: []int{1, 2}}, {Total: 3, Parts: []int{2, 4}}}
	if d := determined(sets, heldCells2(cells), len(cells)); len(d) == 0 {
		t.Fatal("y = 8 − 2 should be determined before suppression")
	}
	out := Suppress(cells, sets)
	if d := determined(sets, out, len(out)); len(d) != 0 {
		t.Fatalf("still determined: %v (withheld %v)", d, heldCells(out))
	}
}

func heldCells2(cs []Cell) []bool {
	out := make([]bool, len(cs))
	for i, c := range cs {
		out[i] = c.Held || c.Hidden
	}
	return out
}
