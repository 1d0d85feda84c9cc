// Package cells writes the rows of spreadsheet exports (CSV and Excel) so
// that no text cell can be read as a formula (CSV injection), whatever the
// text: comments, unit and staff names, survey wording edited by an
// administrator. Text is the default: a cell is a number only when it is
// built from a Go number (Int, Float), so a new column cannot forget the
// protection and a negative figure (-0.27) stays a number.
package cells

import (
	"encoding/csv"
	"io"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Cell is one cell of an export row: text, or a number.
type Cell struct {
	text string
	num  any // the number for a numeric cell, nil for text
}

// Text is a text cell.
func Text(s string) Cell { return Cell{text: s} }

// Texts are text cells, one per string (a header row).
func Texts(ss ...string) []Cell {
	out := make([]Cell, len(ss))
	for i, s := range ss {
		out[i] = Text(s)
	}
	return out
}

// Int is a whole-number cell.
func Int[T ~int | ~int64 | ~uint | ~uint32 | ~uint64](n T) Cell {
	if n < 0 {
		return Cell{text: strconv.FormatInt(int64(n), 10), num: n}
	}
	return Cell{text: strconv.FormatUint(uint64(n), 10), num: n}
}

// Float is a number cell written with prec decimals (a decimal point).
func Float(x float64, prec int) Cell {
	return Cell{text: strconv.FormatFloat(x, 'f', prec, 64), num: x}
}

// String is the cell as CSV text: a number as written, text made safe.
func (c Cell) String() string {
	if c.num != nil {
		return c.text
	}
	return Safe(c.text)
}

// Value is the cell for an Excel row: the number itself, or safe text.
func (c Cell) Value() any {
	if c.num != nil {
		return c.num
	}
	return Safe(c.text)
}

// formulaStart are the characters with which a spreadsheet starts a formula
// (= + - @, and their full-width forms, which some spreadsheets convert),
// and tab and carriage return, which can hide one (OWASP "CSV Injection").
const formulaStart = "=+-@\t\r＝＋－＠"

// Safe keeps a spreadsheet from reading s as a formula: text starting with
// a formula character gets a leading apostrophe (which a spreadsheet reads
// as "this is text").
func Safe(s string) string {
	if r, _ := utf8.DecodeRuneInString(s); s != "" && strings.ContainsRune(formulaStart, r) {
		return "'" + s
	}
	return s
}

// Row is an Excel row of cells.
func Row(cs []Cell) []any {
	out := make([]any, len(cs))
	for i, c := range cs {
		out[i] = c.Value()
	}
	return out
}

// Values is an Excel row of mixed values: every string (or string-like
// value) made safe, cells by Value, numbers, booleans and nil as they are.
func Values(vals ...any) []any {
	out := make([]any, len(vals))
	for i, v := range vals {
		switch v := v.(type) {
		case Cell:
			out[i] = v.Value()
		case string:
			out[i] = Safe(v)
		case nil:
			out[i] = nil
		default:
			if rv := reflect.ValueOf(v); rv.Kind() == reflect.String {
				out[i] = Safe(rv.String())
			} else {
				out[i] = v
			}
		}
	}
	return out
}

// bom makes Excel read the CSV as UTF-8 (Vietnamese names).
const bom = "\uFEFF"

// CSV writes a CSV export: UTF-8 with a byte-order mark, comma-separated,
// every text cell made safe.
type CSV struct {
	w   *csv.Writer
	rec []string
	err error
}

// NewCSV starts a CSV export on w with the byte-order mark.
func NewCSV(w io.Writer) *CSV {
	_, err := io.WriteString(w, bom)
	return &CSV{w: csv.NewWriter(w), err: err}
}

// Header writes the header row.
func (c *CSV) Header(cols []string) error { return c.Write(Texts(cols...)...) }

// Write writes one row.
func (c *CSV) Write(row ...Cell) error {
	if c.err != nil {
		return c.err
	}
	c.rec = c.rec[:0]
	for _, cell := range row {
		c.rec = append(c.rec, cell.String())
	}
	c.err = c.w.Write(c.rec)
	return c.err
}

// Flush writes the buffered rows out; it reports the first error.
func (c *CSV) Flush() error {
	c.w.Flush()
	if c.err == nil {
		c.err = c.w.Error()
	}
	return c.err
}
