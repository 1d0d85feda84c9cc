package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"time"

	"hailong/publish"
	"hailong/survey"
	"hailong/survey/bolt"
)

// The tamper-evident log's commands (docs/INTEGRITY.md):
//
//	hailong verify [--data DIR] [--heads FILE]
//	hailong verify --log FILE [--heads FILE] [--published data.json] [--period KEY]
//	hailong export log [--data DIR] FILE

var errVerify = errors.New("verification failed: the log, the data and the heads do not all agree")

func cmdVerify(args []string, stdout, stderr io.Writer) error {
	var c Config
	var headsPath, logPath, publishedPath, period string
	f := newFlags("verify")
	f.common(&c)
	f.str(&headsPath, "heads", "", "heads saved earlier from /cong-khai/heads.json")
	f.str(&logPath, "log", "", "an exported log (hailong export log): check it without the database")
	f.str(&publishedPath, "published", "", "with --log: a data.json saved from /cong-khai to compare the recomputed figures with")
	f.str(&period, "period", "", "with --log: the period to recompute (default: the one of --published, else the default period)")
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() != 0 {
		return usageError("verify takes no positional argument")
	}
	var heads []survey.Head
	if headsPath != "" {
		var err error
		if heads, err = readHeads(headsPath); err != nil {
			return err
		}
	}
	if logPath != "" {
		return verifyExport(logPath, heads, publishedPath, period, stdout)
	}
	db, err := cliStore(&c, false)
	if err != nil {
		return err
	}
	defer db.Close()
	rep, err := db.VerifyLog(heads, func(done, total uint64) {
		fmt.Fprintf(stderr, "\r%d / %d", done, total)
	})
	if err != nil {
		return err
	}
	fmt.Fprint(stderr, "\r")
	printReport(stdout, rep, headsPath)
	if rep.OK {
		fmt.Fprintf(stdout, "every stored response is in the log (%d) and every live response entry has its response\n", rep.RecordsFound)
		fmt.Fprintln(stdout, "OK: the log, the stored data and the heads agree")
		return nil
	}
	return errVerify
}

// readHeads reads a heads file: the JSON of /cong-khai/heads.json, or a
// bare array of heads.
func readHeads(path string) ([]survey.Head, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var hf survey.HeadsFile
	if err := json.Unmarshal(b, &hf); err == nil && hf.Heads != nil {
		return hf.Heads, nil
	}
	var hs []survey.Head
	if err := json.Unmarshal(b, &hs); err != nil {
		return nil, fmt.Errorf("%s: not a heads file (the JSON of /cong-khai/heads.json): %w", path, err)
	}
	return hs, nil
}

func printReport(w io.Writer, rep *survey.LogReport, headsPath string) {
	fmt.Fprintf(w, "recomputed %d entries (%d responses, %d changes) in %.2f s\n", rep.Entries, rep.Responses, rep.Changes, rep.Duration.Seconds())
	fmt.Fprintf(w, "stored heads compared: %d\n", rep.StoredHeads)
	if headsPath != "" {
		fmt.Fprintf(w, "published heads compared (%s): %d\n", headsPath, rep.FileHeads)
	}
	if rep.OK {
		return
	}
	fmt.Fprintf(w, "FIRST DIFFERENCE: %s\n", rep.Problem)
	if e := rep.Entry; e != nil {
		parts := []string{}
		if e.Seq > 0 {
			parts = append(parts, fmt.Sprintf("entry %d", e.Seq))
		}
		if e.Kind != "" {
			parts = append(parts, "kind "+e.Kind)
		}
		if rep.Day != "" {
			parts = append(parts, "day "+rep.Day)
		}
		if e.Key != 0 {
			parts = append(parts, fmt.Sprintf("response %d (submitted %s)", e.Key, time.Unix(0, int64(e.Key)).UTC().Format(time.RFC3339)))
		}
		fmt.Fprintf(w, "  %s\n", strings.Join(parts, ", "))
	}
}

// verifyExport checks an exported log and recomputes the published figures
// from it: the entries are replayed into a temporary store and the open data
// is computed by the same code as /cong-khai/data.json.
func verifyExport(path string, heads []survey.Head, publishedPath, period string, stdout io.Writer) error {
	var published map[string]any
	now := time.Now()
	if publishedPath != "" {
		b, err := os.ReadFile(publishedPath)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(b, &published); err != nil {
			return fmt.Errorf("%s: %w", publishedPath, err)
		}
		if p, ok := published["period"].(map[string]any); ok && period == "" {
			period, _ = p["key"].(string)
		}
		if g, ok := published["generated_at"].(string); ok {
			if t, err := time.Parse(time.RFC3339, g); err == nil {
				now = t // the published file's day: the same "to date" windows
			}
		}
	}
	dir, err := os.MkdirTemp("", "hailong-verify-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	rep, db, err := bolt.VerifyExport(path, heads, filepath.Join(dir, "replay"), func() time.Time { return now })
	if err != nil {
		return err
	}
	printReport(stdout, rep, "heads file")
	if !rep.OK {
		return errVerify
	}
	defer db.Close()
	body, err := publish.OpenData(survey.ServicesOf(db), period)
	if err != nil {
		return fmt.Errorf("recomputing the open data: %w", err)
	}
	var got map[string]any
	if err := json.Unmarshal(body, &got); err != nil {
		return err
	}
	printFigures(stdout, got)
	if published == nil {
		fmt.Fprintln(stdout, "OK: the chain and the heads agree; figures recomputed (give --published data.json to compare)")
		return nil
	}
	if diff := compareFigures(published, got); diff != "" {
		fmt.Fprintf(stdout, "FIGURES DIFFER: %s\n", diff)
		return errors.New("the published figures differ from the ones recomputed from the log")
	}
	fmt.Fprintln(stdout, "OK: the chain and the heads agree, and every published figure equals the one recomputed from the log")
	fmt.Fprintln(stdout, "(dossier timeliness and the 766 figures of dossiers and cases are not in the log and were not compared)")
	return nil
}

// printFigures prints each agency's index, n and rank.
func printFigures(w io.Writer, data map[string]any) {
	if p, ok := data["period"].(map[string]any); ok {
		fmt.Fprintf(w, "figures of %v (%v – %v), method %v, min n %v:\n", p["key"], p["from"], p["to"], data["method"], data["min_n"])
	}
	groups, _ := data["groups"].([]any)
	for _, g := range groups {
		gm, _ := g.(map[string]any)
		units, _ := gm["units"].([]any)
		for _, u := range units {
			um, _ := u.(map[string]any)
			fmt.Fprintf(w, "  %-24v index %-6v n %-6v rank %v\n", um["id"], orDash(um["index"]), orDash(um["responses"]), orDash(um["rank"]))
		}
	}
}

func orDash(v any) any {
	if v == nil {
		return "—"
	}
	return v
}

// compareFigures compares two open data files, leaving out what the log
// does not cover (generated_at, dossier timeliness, the 766 figures of
// dossiers and cases); "" when equal, else
// the first differing path.
func compareFigures(a, b map[string]any) string {
	strip := func(m map[string]any) {
		delete(m, "generated_at")
		groups, _ := m["groups"].([]any)
		for _, g := range groups {
			gm, _ := g.(map[string]any)
			units, _ := gm["units"].([]any)
			for _, u := range units {
				if um, ok := u.(map[string]any); ok {
					delete(um, "dossiers")
					delete(um, "satisfaction_766") // dossiers and cases
				}
			}
		}
	}
	strip(a)
	strip(b)
	return firstDiff("", a, b)
}

func firstDiff(path string, a, b any) string {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			return path
		}
		keys := make([]string, 0, len(x)+len(y))
		for k := range x {
			keys = append(keys, k)
		}
		for k := range y {
			if _, ok := x[k]; !ok {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			if d := firstDiff(path+"."+k, x[k], y[k]); d != "" {
				return d
			}
		}
		return ""
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return path + " (length)"
		}
		for i := range x {
			if d := firstDiff(fmt.Sprintf("%s[%d]", path, i), x[i], y[i]); d != "" {
				return d
			}
		}
		return ""
	}
	if !reflect.DeepEqual(a, b) {
		return fmt.Sprintf("%s: published %v, recomputed %v", path, a, b)
	}
	return ""
}

func cmdExport(what string, args []string, stdout io.Writer) error {
	if what != "log" {
		return usageError("expected 'export log FILE'")
	}
	var c Config
	f := newFlags("export log")
	f.common(&c)
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() != 1 {
		return usageError("export log needs the FILE to write")
	}
	db, err := cliStore(&c, false)
	if err != nil {
		return err
	}
	defer db.Close()
	path := f.Arg(0)
	tmp, err := os.CreateTemp(filepath.Dir(path), ".hailong-log-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	start := time.Now()
	if err := db.ExportLog(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	st, _ := tmp.Stat()
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return printJSON(stdout, map[string]any{"file": path, "bytes": st.Size(), "seconds": time.Since(start).Seconds()})
}
