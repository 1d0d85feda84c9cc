package main

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The intended arrows between packages are written once, in the "arrows"
// block of docs/ARCHITECTURE.md; this test reads that block and fails when
// a package imports one it must not (or a module it must never use), or
// when a package is missing from the list.
func TestImportArrows(t *testing.T) {
	root := filepath.Join("..", "..")
	rules := readArrows(t, filepath.Join(root, "docs", "ARCHITECTURE.md"))
	imports := packageImports(t, root)
	for pkg, imps := range imports {
		r, ok := rules[pkg]
		if !ok {
			t.Errorf("package %s is not in the arrows block of docs/ARCHITECTURE.md", pkg)
			continue
		}
		for _, imp := range imps {
			if inner, ok := strings.CutPrefix(imp, "hailong/"); ok {
				if !r.any && !r.may[inner] {
					t.Errorf("%s imports %s: not allowed by docs/ARCHITECTURE.md", pkg, inner)
				}
				continue
			}
			for _, bad := range r.never {
				if imp == bad || strings.HasPrefix(imp, bad+"/") {
					t.Errorf("%s imports %s: docs/ARCHITECTURE.md says never %s", pkg, imp, bad)
				}
			}
		}
	}
	for pkg := range rules {
		if _, ok := imports[pkg]; !ok {
			t.Errorf("docs/ARCHITECTURE.md lists %s, which has no Go files", pkg)
		}
	}
}

type arrowRule struct {
	any   bool            // "*": may import every package (the wiring)
	may   map[string]bool // packages of this module it may import
	never []string        // import paths (and their subpackages) it must not use
}

// readArrows parses lines "pkg -> a b c ; never x y" between ```arrows and ```.
func readArrows(t *testing.T, path string) map[string]arrowRule {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(b), "```arrows\n")
	if !ok {
		t.Fatalf("%s has no ```arrows block", path)
	}
	block, _, _ = strings.Cut(block, "```")
	rules := map[string]arrowRule{}
	for _, line := range strings.Split(block, "\n") {
		pkg, rest, ok := strings.Cut(line, "->")
		if !ok {
			continue
		}
		allowed, never, _ := strings.Cut(rest, "; never")
		r := arrowRule{may: map[string]bool{}, never: strings.Fields(never)}
		for _, p := range strings.Fields(allowed) {
			switch p {
			case "*":
				r.any = true
			case "(nothing)":
			default:
				r.may[p] = true
			}
		}
		rules[strings.TrimSpace(pkg)] = r
	}
	if len(rules) == 0 {
		t.Fatal("the arrows block is empty")
	}
	return rules
}

// packageImports reads the imports of every package's non-test files, by
// directory relative to the module root.
func packageImports(t *testing.T, root string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "node_modules") && p != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(p))
		rel = filepath.ToSlash(rel)
		if _, ok := out[rel]; !ok {
			out[rel] = nil
		}
		for _, is := range f.Imports {
			ip, _ := strconv.Unquote(is.Path.Value)
			out[rel] = append(out[rel], ip)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for k := range out {
		sort.Strings(out[k])
	}
	return out
}
