package demo

import (
	"sync/atomic"

	"hailong/survey"
)

// writer runs the bulk writes in order on a goroutine of their own, so that
// drawing the next chunk overlaps storing the last one (the store's insert
// is most of the time; the machine has two cores).
type writer struct {
	jobs   chan job
	done   chan struct{}
	err    error
	failed atomic.Bool // set after the first error: later writes are skipped
}

type job struct {
	run  func() error
	then func() // runs even when run is skipped
}

func newWriter() *writer {
	w := &writer{jobs: make(chan job, 8), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		for j := range w.jobs {
			if w.err == nil {
				if w.err = j.run(); w.err != nil {
					w.failed.Store(true)
				}
			}
			if j.then != nil {
				j.then()
			}
		}
	}()
	return w
}

// do queues a write, then a clean-up that runs even if the write is skipped
// after an earlier error. It blocks while eight are queued.
func (w *writer) do(run func() error, then func()) { w.jobs <- job{run, then} }

// wait waits for the queued writes and returns the first error.
func (w *writer) wait() error {
	close(w.jobs)
	<-w.done
	return w.err
}

// responseBuf is a reusable chunk of responses: the answer maps, fact maps
// and reason slices are allocated once and reused.
type responseBuf struct {
	pool  []survey.Response
	facts []map[string]int
	batch []*survey.Response
}

func newResponseBuf() *responseBuf {
	b := &responseBuf{pool: make([]survey.Response, chunk), facts: make([]map[string]int, chunk),
		batch: make([]*survey.Response, 0, chunk)}
	for i := range b.pool {
		b.pool[i].Answers = make(map[string]int, 8)
	}
	return b
}

// next returns the next free response of the chunk; qr says whether it needs
// a fact map.
func (b *responseBuf) next(qr bool) *survey.Response {
	i := len(b.batch)
	r := &b.pool[i]
	r.Facts = nil
	if qr {
		if b.facts[i] == nil {
			b.facts[i] = make(map[string]int, 3)
		}
		clear(b.facts[i])
		r.Facts = b.facts[i]
	}
	return r
}
