package main

import (
	"fmt"
	"hailong/survey"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// backupSchedule copies the database every Every into Dir as
// hailong-YYYYMMDD-HHMMSS.db and keeps the newest Keep copies. It runs
// inside the server because the server holds the file's lock: a cron job
// running `hailong backup` would be refused while it serves.
type backupSchedule struct {
	DB    survey.Store
	Jobs  survey.JobLock // one server at a time
	Dir   string
	Every time.Duration
	Keep  int
	Log   *slog.Logger
	stop  chan struct{}
	done  chan struct{}
}

func (b *backupSchedule) start() error {
	if err := os.MkdirAll(b.Dir, 0o750); err != nil {
		return fmt.Errorf("backup folder: %w", err)
	}
	b.stop, b.done = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(b.done)
		t := time.NewTicker(b.Every)
		defer t.Stop()
		for {
			select {
			case <-b.stop:
				return
			case <-t.C:
				runLocked(b.Jobs, b.Log, "backup", func() { b.once(time.Now()) })
			}
		}
	}()
	return nil
}

// once takes one backup and prunes old ones; failures are logged, the
// server keeps running.
func (b *backupSchedule) once(now time.Time) {
	name := filepath.Join(b.Dir, "hailong-"+now.In(b.DB.Loc()).Format("20060102-150405")+".db")
	start := time.Now()
	n, err := b.DB.BackupFile(name)
	if err != nil {
		b.Log.Error("scheduled backup failed", "file", name, "err", err)
		return
	}
	b.Log.Info("scheduled backup", "file", name, "bytes", n, "took", time.Since(start).Round(time.Millisecond).String())
	old, _ := filepath.Glob(filepath.Join(b.Dir, "hailong-*.db"))
	sort.Strings(old) // the names sort by time
	for len(old) > b.Keep {
		if !strings.HasSuffix(old[0], ".db") {
			break
		}
		if err := os.Remove(old[0]); err != nil {
			b.Log.Error("removing an old backup", "file", old[0], "err", err)
		}
		old = old[1:]
	}
}

func (b *backupSchedule) close() {
	if b != nil && b.stop != nil {
		close(b.stop)
		<-b.done
	}
}
