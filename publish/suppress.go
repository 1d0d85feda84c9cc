package publish

import "math"

// Complementary suppression (docs/OPEN_DATA.md "Withheld figures"). A
// figure under the minimum n is withheld, but a withheld quarter is the year
// minus the other quarters, a withheld counter is the agency minus the
// other counters, a withheld criterion is its element's mean times the
// number of criteria minus the others. Suppress withholds enough further
// figures that no withheld one can be computed from the shown ones through
// any combination of these sets, not only one subtraction.

// Cell is one figure of the additive sets.
type Cell struct {
	Size   uint64 // its n: the smallest shown part is withheld first
	Held   bool   // withheld (under the minimum n): must not be computable
	Hidden bool   // never published (the responses at no counter), need not be protected
}

// Set is an additive set: Total = Σ Parts, or with Mean, Total = mean of
// Parts. Sets with different Measures (counts, values) share no unknowns:
// a row's n and its value are different numbers.
type Set struct {
	Measure int
	Total   int
	Parts   []int
	Mean    bool
}

// Suppress returns the cells to withhold: the held ones and enough others
// that no held cell is determined by the shown ones. It withholds one cell
// at a time, each time for a held cell that can still be computed, in a set
// containing it: the smallest shown part, else the total; and repeats until
// none can be computed (a cell withheld for another set may expose a third).
func Suppress(cells []Cell, sets []Set) []bool {
	out := make([]bool, len(cells))
	for i, c := range cells {
		out[i] = c.Held || c.Hidden
	}
	var byMeasure [][]Set // in the order of Measure, so that the choice is the same at every run
	for _, s := range sets {
		for len(byMeasure) <= s.Measure {
			byMeasure = append(byMeasure, nil)
		}
		byMeasure[s.Measure] = append(byMeasure[s.Measure], s)
	}
	for guard := 0; guard <= len(cells); guard++ {
		more := false
		for _, ss := range byMeasure {
			for _, x := range determined(ss, out, len(cells)) {
				if cells[x].Hidden {
					continue
				}
				if y := complement(cells, ss, out, x); y >= 0 {
					out[y], more = true, true
					break
				}
			}
		}
		if !more {
			break
		}
	}
	return out
}

// members lists a set's cells, the total first.
func (s Set) members() []int { return append([]int{s.Total}, s.Parts...) }

// determined lists the withheld cells whose value the shown cells fix
// through the sets: Gaussian elimination over the withheld cells' columns
// (the shown ones are known constants); a cell is determined when a reduced
// row has it as its only unknown.
func determined(sets []Set, out []bool, n int) []int {
	col := map[int]int{}
	var vars []int
	for _, s := range sets {
		for _, c := range s.members() {
			if _, ok := col[c]; !ok && out[c] {
				col[c] = len(vars)
				vars = append(vars, c)
			}
		}
	}
	rows := make([][]float64, 0, len(sets))
	for _, s := range sets {
		r := make([]float64, len(vars))
		k := 1.0
		if s.Mean {
			k = float64(len(s.Parts))
		}
		if j, ok := col[s.Total]; ok {
			r[j] += k
		}
		for _, p := range s.Parts {
			if j, ok := col[p]; ok {
				r[j]--
			}
		}
		rows = append(rows, r)
	}
	reduce(rows, len(vars))
	var found []int
	for _, r := range rows {
		only, count := -1, 0
		for j, v := range r {
			if math.Abs(v) > 1e-9 {
				only, count = j, count+1
			}
		}
		if count == 1 {
			found = append(found, vars[only])
		}
	}
	return found
}

// reduce brings rows to reduced row echelon form in place.
func reduce(rows [][]float64, cols int) {
	r := 0
	for c := 0; c < cols && r < len(rows); c++ {
		p := r
		for i := r + 1; i < len(rows); i++ {
			if math.Abs(rows[i][c]) > math.Abs(rows[p][c]) {
				p = i
			}
		}
		if math.Abs(rows[p][c]) < 1e-9 {
			continue
		}
		rows[r], rows[p] = rows[p], rows[r]
		pv := rows[r][c]
		for j := range rows[r] {
			rows[r][j] /= pv
		}
		for i := range rows {
			if i != r && math.Abs(rows[i][c]) > 1e-9 {
				f := rows[i][c]
				for j := range rows[i] {
					rows[i][j] -= f * rows[r][j]
				}
			}
		}
		r++
	}
}

// complement picks the cell to withhold for the determined cell x: in a
// set containing x, the smallest shown part; when every part there is
// withheld, x is computed through a withheld neighbour, and the search goes
// on from the neighbours, nearest first. Sets with fewer withheld cells
// come first; a total is taken only when no part is left anywhere (the
// year is the official figure). -1: none left.
func complement(cells []Cell, sets []Set, out []bool, x int) int {
	seen, level, total := map[int]bool{x: true}, []int{x}, -1
	for len(level) > 0 {
		best, bestHeld := -1, 0
		var next []int
		for _, c := range level {
			for _, s := range sets {
				if !s.has(c) {
					continue
				}
				held, pick := 0, -1
				for _, m := range s.members() {
					switch {
					case out[m] && !seen[m]:
						seen[m] = true
						next = append(next, m)
						fallthrough
					case out[m]:
						held++
					}
				}
				for _, p := range s.Parts {
					if !out[p] && (pick < 0 || cells[p].Size < cells[pick].Size) {
						pick = p
					}
				}
				if pick >= 0 && (best < 0 || held < bestHeld) {
					best, bestHeld = pick, held
				}
				if total < 0 && !out[s.Total] {
					total = s.Total
				}
			}
		}
		if best >= 0 {
			return best
		}
		level = next
	}
	return total
}

func (s Set) has(c int) bool {
	for _, m := range s.members() {
		if m == c {
			return true
		}
	}
	return false
}
