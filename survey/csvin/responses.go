package csvin

import (
	"bufio"
	"bytes"
	"container/heap"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"hailong/survey"
	"hash"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Responses are imported in two passes over the file, so that memory stays
// flat however long it is: the first validates every row and stores
// nothing; the second stores the rows in chunks, one transaction each, and
// if a chunk fails deletes what the earlier chunks stored.
//
// Responses are keyed by time, so rows in time order are appended, while
// rows out of order insert into the middle of bbolt's bucket: every row
// then rewrites a page, and the pages split half empty. Offices export
// grouped by agency, then by time: a few long runs, each in time order. The
// first pass notes where each run starts; when there are at most
// Responses.MaxRuns, the second reads the runs side by side (one buffered
// reader each over the same file) and stores their rows merged in time
// order, so that even such a file is appended. Files in any other order are
// stored as they come (and `hailong import` compacts the file afterwards).
// The merging costs PostgreSQL nothing.

// MaxRuns is the most runs the second pass merges unless Responses.MaxRuns
// says otherwise (a 16 KiB buffer each); a file with more is stored in
// file order.
const MaxRuns = 1024

// Responses is what an import of responses needs of a store.
type Responses struct {
	Now     time.Time      // ReceivedAt of every row, the same in both passes
	Loc     *time.Location // the installation's zone: times without one
	Surveys Surveys        // the current versions give the criterion columns
	// Prepare fills the server-side fields of a parsed row and validates it
	// against the survey and the organisation as a submission of any age
	// would be; it stores nothing. An EINVALID error is a problem of the row.
	Prepare func(r *survey.Response) error
	Chunk   int // rows stored per transaction (Batch.Insert)
	MaxRuns int // the most runs the second pass merges, MaxRuns but in tests (0: none)
	// Batch starts the import batch rec (what is known before the first
	// chunk: Actor, At, File, SHA256, FirstDay, LastDay), which stores the
	// rows.
	Batch func(rec survey.ImportBatch) Batch
}

// Surveys gives the current survey versions (survey.SurveyService).
type Surveys interface {
	SurveyKeys() []string
	Survey(key string, v int) *survey.Survey
}

// Batch stores the rows of one import of responses as an import batch.
type Batch interface {
	// Insert stores a chunk of prepared rows and lists them under the batch,
	// in one transaction; the first chunk also records the batch
	// (BatchImporting) and gives it its ID.
	Insert(rs []*survey.Response) error
	// Finish marks the batch stored (after the last chunk).
	Finish() error
	// Drop undoes a failed import: what the chunks stored, then the batch.
	Drop() error
	// ID is the batch's id, "" before the first chunk.
	ID() string
}

// responseFixed are the columns other than criteria, the first four required.
var responseFixed = []string{"submitted_at", "unit", "channel", "survey", "counter", "staff", "procedure", "reasons", "comment"}

type responseImport struct {
	h     *Responses
	path  string
	crits map[string]bool // criterion keys of the current survey versions
	fixed [9]int          // positions of responseFixed columns, -1 if absent
	cols  []critColumn
	off   int64       // byte offset of the row scan hands over
	runs  []importRun // runs of rows in time order, from the first pass; nil if too many
	hash  hash.Hash   // SHA-256 of the file's bytes, fed by the first pass
	first time.Time   // earliest and latest submitted_at, from the first pass
	last  time.Time
}

// importRun is a run of consecutive rows in time order.
type importRun struct {
	off  int64 // byte offset of its first row (after a BOM)
	line int   // line of its first row
	rows int
}

type critColumn struct {
	pos int
	key string
}

// Import stores the responses of a CSV file with the columns
// submitted_at,unit,channel,survey, one column per criterion key (a score,
// empty = not answered, "na" or 0 = not applicable), and optionally
// counter,staff,procedure,reasons (separated by '|'),comment. Each row
// answers the current version of its survey. All or nothing, streaming: the
// file is read twice and never held in memory. The rows are recorded as an
// import batch by actor (h.Batch). Errors: *ImportError
// (EINVALID) with line-numbered problems, EINVALID (actor), or an I/O error.
func (h Responses) Import(path, actor string) (survey.ImportStats, error) {
	if strings.TrimSpace(actor) == "" {
		return survey.ImportStats{}, survey.FieldError("actor", "Thiếu người nhập. / Who imports is required.")
	}
	start := time.Now()
	im := &responseImport{h: &h, path: path, crits: map[string]bool{}, runs: []importRun{}, hash: sha256.New()}
	for _, k := range h.Surveys.SurveyKeys() {
		for _, c := range h.Surveys.Survey(k, 0).Criteria {
			im.crits[c.Key] = true
		}
	}
	rows, err := im.validate()
	if err != nil {
		return survey.ImportStats{}, err
	}
	if rows == 0 {
		return survey.ImportStats{Duration: time.Since(start)}, nil
	}
	loc := h.Loc
	b := h.Batch(survey.ImportBatch{Actor: actor, At: h.Now.UTC(), File: filepath.Base(path),
		SHA256: hex.EncodeToString(im.hash.Sum(nil)), FirstDay: survey.DayString(survey.DayOf(im.first, loc)),
		LastDay: survey.DayString(survey.DayOf(im.last, loc))})
	im.hash = nil
	keys, err := im.store(rows, b)
	if err == nil {
		err = b.Finish()
	}
	if err != nil {
		if rerr := b.Drop(); rerr != nil {
			err = fmt.Errorf("%w; undoing the import also failed, %d imported responses may remain (batch %s, withdraw it): %v", err, len(keys), b.ID(), rerr)
		}
		return survey.ImportStats{}, err
	}
	return survey.ImportStats{Rows: len(keys), Duration: time.Since(start), Batch: b.ID()}, nil
}

// store is the second pass. One goroutine reads and prepares the rows into
// chunks while this one stores the previous chunk with b.Insert, so
// parsing costs no time beside the inserts. It returns the keys stored so
// far, also on error.
func (im *responseImport) store(rows int, b Batch) ([]uint64, error) {
	type chunk struct {
		pool []survey.Response // reused for every chunk it carries
		rs   []*survey.Response
	}
	free, full := make(chan *chunk, 2), make(chan *chunk, 1)
	for range 2 {
		free <- &chunk{pool: make([]survey.Response, im.h.Chunk), rs: make([]*survey.Response, 0, im.h.Chunk)}
	}
	var stop atomic.Bool // set when storing failed: the reader gives up
	var scanErr error
	go func() {
		defer close(full)
		c := <-free
		alloc := func() *survey.Response {
			r := &c.pool[len(c.rs)]
			resetResponse(r, im.h.Now)
			return r
		}
		keep := func(r *survey.Response, _ int) error {
			if slot := &c.pool[len(c.rs)]; r != slot {
				// A run's row (merge): the chunk takes it, the run
				// keeps the slot's storage for its next row.
				*slot, *r = *r, *slot
				r = slot
			}
			if err := im.h.Prepare(r); err != nil {
				return err
			}
			if c.rs = append(c.rs, r); len(c.rs) < im.h.Chunk {
				return nil
			}
			full <- c
			if c = <-free; stop.Load() {
				return errImportStopped
			}
			return nil
		}
		// The first pass found no problem: any now means the file or the
		// organisation changed in between, and stops the import.
		if len(im.runs) > 1 {
			scanErr = im.merge(keep)
		} else {
			scanErr = im.scan(1, alloc, keep)
		}
		if scanErr == nil && len(c.rs) > 0 {
			full <- c
		}
	}()
	keys := make([]uint64, 0, rows)
	var err error
	for c := range full {
		if err == nil {
			if err = b.Insert(c.rs); err != nil {
				stop.Store(true)
			}
		}
		if err == nil {
			for _, r := range c.rs {
				keys = append(keys, r.Key)
			}
		}
		c.rs = c.rs[:0]
		free <- c
	}
	if err == nil && scanErr != nil {
		err = scanErr
	}
	return keys, err
}

var errImportStopped = errors.New("import stopped")

func resetResponse(r *survey.Response, now time.Time) {
	ans, reasons := r.Answers, r.Reasons[:0]
	if ans == nil {
		ans = map[string]int{} // grows to the longest row it holds, then stays
	}
	clear(ans)
	*r = survey.Response{Answers: ans, Reasons: reasons, ReceivedAt: now}
}

// validate is the first pass; it stores nothing. One goroutine reads and
// parses the rows in batches while this one prepares them. It returns the
// number of rows, or the first problems by line as an *ImportError.
func (im *responseImport) validate() (rows int, err error) {
	const size = 512
	type batch struct {
		rs    [size]survey.Response
		lines []int
	}
	free, full := make(chan *batch, 4), make(chan *batch, 4)
	for range 4 {
		free <- &batch{lines: make([]int, 0, size)}
	}
	var stop atomic.Bool // enough problems: the reader gives up
	var readErr error
	go func() {
		defer close(full)
		b := <-free
		alloc := func() *survey.Response {
			r := &b.rs[len(b.lines)]
			resetResponse(r, im.h.Now)
			return r
		}
		im.runs = im.runs[:0]
		var last time.Time
		readErr = im.scan(survey.MaxImportProblems, alloc, func(r *survey.Response, line int) error {
			im.noteRow(r.SubmittedAt, line, &last)
			if b.lines = append(b.lines, line); len(b.lines) == size {
				full <- b
				b = <-free
			}
			if stop.Load() {
				return errImportStopped
			}
			return nil
		})
		if len(b.lines) > 0 {
			full <- b
		}
	}()
	var probs []survey.ImportProblem
	for b := range full {
		rows += len(b.lines)
		for i, line := range b.lines {
			if err != nil || len(probs) == survey.MaxImportProblems {
				break
			}
			probs, err = im.check(&b.rs[i], line, probs)
		}
		stop.Store(err != nil || len(probs) == survey.MaxImportProblems)
		b.lines = b.lines[:0]
		free <- b
	}
	if err != nil {
		return 0, err
	}
	var ie *survey.ImportError
	if errors.As(readErr, &ie) {
		probs = append(ie.Problems, probs...)
	} else if readErr != nil && readErr != errImportStopped {
		return 0, readErr
	}
	if len(probs) == 0 {
		return rows, nil
	}
	// Both lists are complete up to where the validator stopped.
	sort.SliceStable(probs, func(i, j int) bool { return probs[i].Line < probs[j].Line })
	return 0, &survey.ImportError{Problems: probs[:min(len(probs), survey.MaxImportProblems)]}
}

// noteRow records where a run of time-ordered rows starts (the second pass
// merges up to h.MaxRuns of them; beyond that, none) and the first and
// last submission times; last is the previous row's time.
func (im *responseImport) noteRow(at time.Time, line int, last *time.Time) {
	if im.runs != nil {
		if len(im.runs) == 0 || at.Before(*last) {
			if im.runs = append(im.runs, importRun{off: im.off, line: line}); len(im.runs) > im.h.MaxRuns {
				im.runs = nil
			}
		}
		if im.runs != nil {
			im.runs[len(im.runs)-1].rows++
		}
		*last = at
	}
	if im.first.IsZero() || at.Before(im.first) {
		im.first = at
	}
	if at.After(im.last) {
		im.last = at
	}
}

// check prepares one parsed row: a validation problem is added to probs
// (with the row's line), any other error is returned.
func (im *responseImport) check(r *survey.Response, line int, probs []survey.ImportProblem) ([]survey.ImportProblem, error) {
	perr := im.h.Prepare(r)
	if perr == nil {
		return probs, nil
	}
	var e *survey.Error
	if !errors.As(perr, &e) || e.Code != survey.EINVALID {
		return probs, perr
	}
	return append(probs, survey.ImportProblem{Line: line, Column: responseColumn(e.Field), Message: e.Message}), nil
}

// scan reads the file once, parses each row into a Response from alloc and
// hands the rows without problem to each, with their line. An EINVALID
// error from each is a problem of that line. scan stops after maxProblems
// problems and returns them as an *ImportError.
func (im *responseImport) scan(maxProblems int, alloc func() *survey.Response, each func(r *survey.Response, line int) error) error {
	f, err := os.Open(im.path)
	if err != nil {
		return err
	}
	defer f.Close()
	var src io.Reader = f
	if im.hash != nil {
		src = io.TeeReader(f, im.hash)
	}
	t, err := newTable(src, im.known, responseFixed[:4]...)
	if err != nil {
		return err
	}
	t.max = maxProblems
	im.columns(t)
	if err := t.failed(); err != nil {
		return err
	}
	for {
		ok, err := t.next()
		if err != nil {
			return err
		} else if !ok {
			return t.failed()
		}
		r := alloc()
		if !im.row(t, r) {
			continue
		}
		im.off = t.off
		if err := each(r, t.line); err != nil {
			if err := t.addErr(t.line, err, responseColumn); err != nil {
				return err
			}
		}
	}
}

// merge reads the runs of the first pass side by side, each from its own
// buffered reader over the one open file, and hands their rows to each in
// time order (the earlier run first on equal times). A run whose rows are
// no longer in order, or no longer as many, means the file changed.
func (im *responseImport) merge(each func(r *survey.Response, line int) error) error {
	f, err := os.Open(im.path)
	if err != nil {
		return err
	}
	defer f.Close()
	rs, err := im.openRuns(f)
	if err != nil {
		return err
	}
	h := make(mergeHeap, 0, len(rs))
	for _, m := range rs {
		if ok, err := im.advance(m); err != nil {
			return err
		} else if ok {
			h = append(h, m)
		}
	}
	heap.Init(&h)
	for len(h) > 0 {
		m := h[0]
		if err := each(m.r, m.t.line); err != nil {
			return err
		}
		if ok, err := im.advance(m); err != nil {
			return err
		} else if ok {
			heap.Fix(&h, 0)
		} else {
			heap.Pop(&h)
		}
	}
	return nil
}

// openRuns opens a reader on each run the first pass noted, over the one
// open file.
func (im *responseImport) openRuns(f *os.File) ([]*mergeRun, error) {
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	head := bufio.NewReader(io.NewSectionReader(f, 0, 3))
	var bom int64
	if b, _ := head.Peek(3); bytes.Equal(b, utf8BOM) {
		bom = 3
	}
	t, err := newTable(io.NewSectionReader(f, 0, fi.Size()), im.known, responseFixed[:4]...)
	if err != nil {
		return nil, err
	}
	t.max = 1
	im.columns(t)
	if err := t.failed(); err != nil {
		return nil, err
	}
	rs := make([]*mergeRun, len(im.runs))
	for i, run := range im.runs {
		end := fi.Size()
		if i+1 < len(im.runs) {
			end = bom + im.runs[i+1].off
		}
		cr := csv.NewReader(bufio.NewReaderSize(io.NewSectionReader(f, bom+run.off, end-bom-run.off), 16<<10))
		cr.ReuseRecord, cr.FieldsPerRecord = true, len(t.cols)
		rs[i] = &mergeRun{i: i, left: run.rows, r: &survey.Response{},
			t: &table{r: cr, cols: t.cols, idx: t.idx, max: 1, base: run.line - 1}}
	}
	return rs, nil
}

// advance reads a run's next row; false when the run is done. A run that
// no longer matches what the first pass saw means the file changed.
func (im *responseImport) advance(m *mergeRun) (bool, error) {
	ok, err := m.t.next()
	if err != nil {
		return false, err
	}
	if !ok || m.left == 0 {
		if m.left != 0 || ok || len(m.t.probs) > 0 {
			return false, fileChanged(m.t.line)
		}
		return false, nil
	}
	resetResponse(m.r, im.h.Now) // storage from a chunk slot (see keep in store)
	if !im.row(m.t, m.r) || (m.left < im.runs[m.i].rows && m.r.SubmittedAt.Before(m.last)) {
		return false, fileChanged(m.t.line)
	}
	m.left--
	m.last = m.r.SubmittedAt
	return true, nil
}

func fileChanged(line int) error {
	return &survey.ImportError{Problems: []survey.ImportProblem{{Line: line,
		Message: "Tệp đã thay đổi trong khi nhập. / The file changed during the import."}}}
}

// mergeRun is a run being read by merge: its current row, how many rows
// are left after it, and the time of its previous row.
type mergeRun struct {
	i    int
	t    *table
	r    *survey.Response
	left int
	last time.Time // time of the run's previous row
}

// mergeHeap orders runs by their current row's time, then by position.
type mergeHeap []*mergeRun

func (h mergeHeap) Len() int { return len(h) }
func (h mergeHeap) Less(i, j int) bool {
	a, b := h[i].r.SubmittedAt, h[j].r.SubmittedAt
	return a.Before(b) || a.Equal(b) && h[i].i < h[j].i
}
func (h mergeHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *mergeHeap) Push(x any)   { *h = append(*h, x.(*mergeRun)) }
func (h *mergeHeap) Pop() any {
	old := *h
	m := old[len(old)-1]
	*h = old[:len(old)-1]
	return m
}

func (im *responseImport) known(col string) bool {
	for _, c := range responseFixed {
		if c == col {
			return true
		}
	}
	return im.crits[col]
}

func (im *responseImport) columns(t *table) {
	for i, c := range responseFixed {
		im.fixed[i] = t.col(c)
	}
	im.cols = im.cols[:0]
	for i, c := range t.cols {
		if j, ok := t.idx[c]; ok && j == i && im.crits[c] && !isFixed(c) {
			im.cols = append(im.cols, critColumn{i, c})
		}
	}
	if len(im.cols) == 0 && len(t.probs) == 0 {
		t.add(1, "", "Thiếu cột tiêu chí (ví dụ overall). / No criterion column (e.g. overall).")
	}
}

func isFixed(col string) bool {
	for _, c := range responseFixed {
		if c == col {
			return true
		}
	}
	return false
}

// row parses the current row into r; problems are recorded in t.
//
// A date alone for submitted_at (paper forms carry only the day) means noon
// that day in the installation's zone, not midnight: noon is half a day from
// either edge, so the response stays on its day wherever a day is cut a few
// hours off (a report or export in UTC, a zone changed by reindex), where
// midnight would slip to the day before. Such rows show at 12h in the
// hour-of-day pattern.
func (im *responseImport) row(t *table, r *survey.Response) bool {
	loc, ok := im.h.Loc, true
	bad := func(col, msg string) { t.add(t.line, col, msg); ok = false }
	if s := t.get(im.fixed[0]); s == "" {
		bad("submitted_at", "Thiếu thời điểm trả lời. / Missing submission time.")
	} else if tm, dateOnly, good := parseTime(s, loc); !good {
		bad("submitted_at", badTime(s))
	} else if dateOnly {
		r.SubmittedAt = time.Date(tm.Year(), tm.Month(), tm.Day(), 12, 0, 0, 0, loc)
	} else {
		r.SubmittedAt = tm
	}
	r.Unit = t.get(im.fixed[1])
	if s := t.get(im.fixed[2]); s == "" {
		bad("channel", "Thiếu kênh. / Missing channel.")
	} else if ch, good := survey.ParseChannel(strings.ToLower(s)); !good {
		bad("channel", fmt.Sprintf("Kênh %q không hợp lệ (kiosk, qr, web, paper). / Invalid channel %q (kiosk, qr, web or paper).", s, s))
	} else {
		r.Channel = ch
	}
	r.Survey = t.get(im.fixed[3])
	r.Counter, r.Staff, r.Procedure = t.get(im.fixed[4]), t.get(im.fixed[5]), t.get(im.fixed[6])
	if s := t.get(im.fixed[7]); s != "" {
		for k := range strings.SplitSeq(s, "|") {
			if k = strings.TrimSpace(k); k != "" {
				r.Reasons = append(r.Reasons, k)
			}
		}
	}
	r.Comment = t.get(im.fixed[8])
	for _, c := range im.cols {
		s := strings.TrimSpace(t.rec[c.pos])
		if s == "" {
			continue
		}
		v, good := parseScore(s)
		if !good {
			bad(c.key, fmt.Sprintf("Điểm %q không hợp lệ: dùng một số của thang điểm, 0 hoặc na (không áp dụng), hoặc để trống. / Invalid score %q: use a number on the scale, 0 or na (not applicable), or leave it empty.", s, s))
			continue
		}
		r.Answers[c.key] = v
	}
	return ok
}

// parseScore reads a score; "na" (any case, or "n/a") is not applicable.
func parseScore(s string) (int, bool) {
	if len(s) == 1 && s[0] >= '0' && s[0] <= '9' {
		return int(s[0] - '0'), true
	}
	if strings.EqualFold(s, "na") || strings.EqualFold(s, "n/a") {
		return survey.NA, true
	}
	v, err := strconv.Atoi(s)
	return v, err == nil
}

// responseColumn maps a Prepare error's field to its CSV column.
func responseColumn(field string) string {
	if k, ok := strings.CutPrefix(field, "answers."); ok {
		return k
	}
	if isFixed(field) {
		return field
	}
	return ""
}
