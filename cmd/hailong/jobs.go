package main

import (
	"log/slog"

	"hailong/survey"
)

// runLocked runs a scheduled job under the installation's job lock
// (survey.JobLock): with several servers on one database it runs on one of
// them at a time, and a server finding the lock held skips its turn. The
// jobs are safe to run again (an expired session is deleted once, an old
// comment removed once, a delivery enqueued once by its id), so the lock
// saves the duplicated work and keeps two servers from racing.
func runLocked(jobs survey.JobLock, log *slog.Logger, name string, fn func()) {
	unlock, ok, err := jobs.TryLock(name)
	if err != nil {
		log.Error("job lock unavailable: job skipped", "job", name, "err", err)
		return
	}
	if !ok {
		log.Debug("job running on another server: skipped", "job", name)
		return
	}
	defer unlock()
	fn()
}
