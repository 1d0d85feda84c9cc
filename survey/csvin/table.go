// Package csvin reads the CSV files of the imports (units, procedures,
// dossiers, responses) for both stores: the table reader, the line-numbered
// problems and their messages, the two passes of the response import. What
// differs per store comes in as hooks: how rows are checked against it and
// how they are stored (survey/bolt, survey/pg).
package csvin

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"hailong/survey"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// table reads a CSV file row by row, with the columns named by its header.
type table struct {
	r     *csv.Reader
	cols  []string       // names in file order
	idx   map[string]int // name → position
	rec   []string       // current row (reused by the next read)
	line  int            // line where the current row starts
	off   int64          // byte offset where the current row starts (after a BOM)
	base  int            // lines before the reader's start (a run read from its middle)
	probs []survey.ImportProblem
	max   int // problems collected before reading stops
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// newTable reads the header. known reports whether a column name is
// accepted; required columns must be present. Header problems are in
// t.probs.
func newTable(r io.Reader, known func(string) bool, required ...string) (*table, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if b, _ := br.Peek(3); bytes.Equal(b, utf8BOM) {
		br.Discard(3)
	}
	t := &table{r: csv.NewReader(br), idx: map[string]int{}, max: survey.MaxImportProblems}
	t.r.ReuseRecord = true // FieldsPerRecord 0: every row must have the header's width
	header, err := t.r.Read()
	var pe *csv.ParseError
	switch {
	case err == io.EOF:
		t.add(1, "", "Tệp trống: thiếu dòng tiêu đề. / The file is empty: the header row is missing.")
		return t, nil
	case errors.As(err, &pe):
		t.add(1, "", csvMessage(pe))
		return t, nil
	case err != nil:
		return nil, err
	}
	seen := map[string]bool{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		switch {
		case !utf8.ValidString(h):
			t.add(1, "", notUTF8)
		case name == "":
			t.add(1, "", fmt.Sprintf("Cột thứ %d không có tên. / Column %d has no name.", i+1, i+1))
		case seen[name]:
			t.add(1, name, fmt.Sprintf("Cột %q bị lặp. / Column %q appears twice.", name, name))
		case !known(name):
			t.add(1, name, fmt.Sprintf("Cột %q không được hỗ trợ. / Unknown column %q.", name, name))
		default:
			t.idx[name] = i
		}
		seen[name] = true
		t.cols = append(t.cols, name)
	}
	for _, name := range required {
		if _, ok := t.idx[name]; !ok {
			t.add(1, name, fmt.Sprintf("Thiếu cột %q. / Missing column %q.", name, name))
		}
	}
	return t, nil
}

const notUTF8 = "Không phải văn bản UTF-8 hợp lệ (hãy lưu tệp dạng CSV UTF-8). / Not valid UTF-8 text (save the file as CSV UTF-8)."

// add records a problem, up to t.max.
func (t *table) add(line int, col, msg string) {
	if len(t.probs) < t.max {
		t.probs = append(t.probs, survey.ImportProblem{Line: line, Column: col, Message: msg})
	}
}

func (t *table) full() bool { return len(t.probs) >= t.max }

// col returns the position of a column, -1 if the file has none.
func (t *table) col(name string) int {
	if i, ok := t.idx[name]; ok {
		return i
	}
	return -1
}

// get returns field i of the current row ("" for an absent column), trimmed.
func (t *table) get(i int) string {
	if i < 0 {
		return ""
	}
	return strings.TrimSpace(t.rec[i])
}

// next reads the next well-formed row. Rows that cannot be split into the
// header's columns, or that are not UTF-8, are recorded as problems and
// skipped. It returns false at the end of the file or once enough problems
// are collected; err is a read error.
func (t *table) next() (bool, error) {
	for !t.full() {
		t.off = t.r.InputOffset()
		rec, err := t.r.Read()
		if err == io.EOF {
			return false, nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			t.add(t.base+pe.StartLine, "", csvMessage(pe))
			continue
		} else if err != nil {
			return false, err
		}
		t.rec = rec
		t.line, _ = t.r.FieldPos(0)
		t.line += t.base
		valid := true
		for i, f := range rec {
			if !utf8.ValidString(f) {
				t.add(t.line, t.cols[i], notUTF8)
				valid = false
			}
		}
		if valid {
			return true, nil
		}
	}
	return false, nil
}

func csvMessage(pe *csv.ParseError) string {
	switch {
	case errors.Is(pe.Err, csv.ErrFieldCount):
		return "Số cột của dòng khác với dòng tiêu đề. / The line has a different number of fields than the header."
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return fmt.Sprintf("Dấu \" nằm trong ô không được bao bởi dấu \" (ký tự %d). / Bare \" in a field that is not quoted (character %d).", pe.Column, pe.Column)
	case errors.Is(pe.Err, csv.ErrQuote):
		return fmt.Sprintf("Thiếu hoặc thừa dấu \" (dòng %d, ký tự %d). / Extraneous or missing \" in a quoted field (line %d, character %d).", pe.Line, pe.Column, pe.Line, pe.Column)
	}
	return "Lỗi định dạng CSV. / CSV syntax error: " + pe.Err.Error()
}

func (t *table) failed() error {
	if len(t.probs) == 0 {
		return nil
	}
	sort.SliceStable(t.probs, func(i, j int) bool { return t.probs[i].Line < t.probs[j].Line })
	return &survey.ImportError{Problems: t.probs}
}

// addErr records a validation error from the domain (*Error) under its
// field's column; col maps a field name to a column name.
func (t *table) addErr(line int, err error, col func(field string) string) error {
	var e *survey.Error
	if !errors.As(err, &e) || e.Code != survey.EINVALID {
		return err
	}
	t.add(line, col(e.Field), e.Message)
	return nil
}

func sameName(field string) string { return field }

// indexed splits "units[3].parent" into 3 and "parent".
func indexed(field, prefix string) (int, string, bool) {
	rest, ok := strings.CutPrefix(field, prefix+"[")
	if !ok {
		return 0, "", false
	}
	num, name, ok := strings.Cut(rest, "].")
	i, err := strconv.Atoi(num)
	return i, name, ok && err == nil
}

// parseTime reads RFC 3339, or a local time "YYYY-MM-DD HH:MM[:SS]" (a
// space or 'T' between), or a date alone "YYYY-MM-DD" (dateOnly).
func parseTime(s string, loc *time.Location) (t time.Time, dateOnly, ok bool) {
	if len(s) == 10 {
		t, err := time.ParseInLocation(time.DateOnly, s, loc)
		return t, true, err == nil
	}
	if len(s) > 10 && s[10] == ' ' {
		s = s[:10] + "T" + s[11:]
	}
	layouts := []string{"2006-01-02T15:04:05", "2006-01-02T15:04"}
	if strings.ContainsAny(s, "Zz+") || strings.LastIndexByte(s, '-') > 10 {
		layouts = []string{time.RFC3339}
	}
	for _, layout := range layouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, false, true
		}
	}
	return time.Time{}, false, false
}

func badTime(s string) string {
	return fmt.Sprintf("Ngày giờ %q không hợp lệ (dùng YYYY-MM-DD, YYYY-MM-DD HH:MM:SS hoặc RFC 3339). / Invalid date %q (use YYYY-MM-DD, YYYY-MM-DD HH:MM:SS or RFC 3339).", s, s)
}

// storeError maps an "items[i].field" validation error of a bulk store call
// back to the file line of item i.
func (t *table) storeError(err error, prefix string, lines []int) error {
	var e *survey.Error
	if !errors.As(err, &e) || e.Code != survey.EINVALID {
		return err
	}
	i, field, ok := indexed(e.Field, prefix)
	if !ok || i < 0 || i >= len(lines) {
		return err
	}
	t.add(lines[i], field, e.Message)
	return t.failed()
}

// readRows reads every data row of t with row, which builds a value from the
// current row and gives its key and its validation error (recorded at the
// row's line, the row skipped). A key already seen is recorded in field with
// the message dup gives (the key and the line it was first on). The rows,
// their lines and each key's first line come back in file order.
func readRows[T any](t *table, row func() (T, string, error), field string, dup func(key string, first int) string) ([]T, []int, map[string]int, error) {
	var rows []T
	var lines []int
	first := map[string]int{}
	for {
		ok, err := t.next()
		if err != nil {
			return nil, nil, nil, err
		} else if !ok {
			return rows, lines, first, nil
		}
		v, key, err := row()
		if err != nil {
			if err := t.addErr(t.line, err, sameName); err != nil {
				return nil, nil, nil, err
			}
			continue
		}
		if l, seen := first[key]; seen {
			t.add(t.line, field, dup(key, l))
			continue
		}
		first[key] = t.line
		rows, lines = append(rows, v), append(lines, t.line)
	}
}
