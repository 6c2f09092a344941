package testwait

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestWithin(t *testing.T) {
	calls := 0
	if !Within(time.Hour, func() bool { calls++; return calls == 3 }) || calls != 3 {
		t.Fatalf("a condition true on its third look: %d looks", calls)
	}
	if Within(30*time.Millisecond, func() bool { return false }) {
		t.Fatal("a condition never true was reported true")
	}
}

// sleepAllowed marks the one kind of sleep a test may take: outwaiting a timeout of the code
// under test, set small by the test, on purpose.
const sleepAllowed = "// outwaits:"

// The project's tests never sleep to let something happen (see docs/testing.md): every test
// file, and the helpers only tests use, is read for time.Sleep. A sleep that must stay says
// what it outwaits on the same line.
func TestNoSleepsInTests(t *testing.T) {
	root := filepath.Join("..", "..")
	helpers := map[string]bool{"e2e": true, "storetest": true, "testwait": true}
	var found []string
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); name == "node_modules" || strings.HasPrefix(name, ".") && path != root {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || !strings.HasSuffix(path, "_test.go") && !helpers[filepath.Base(filepath.Dir(path))] {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		lines := bufio.NewScanner(f)
		for n := 1; lines.Scan(); n++ {
			line := lines.Text()
			if strings.Contains(line, "time."+"Sleep(") && !strings.Contains(line, sleepAllowed) {
				found = append(found, filepath.ToSlash(path)+":"+strconv.Itoa(n)+": "+strings.TrimSpace(line))
			}
		}
		return lines.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range found {
		t.Errorf("a test sleeps; wait on the condition with testwait instead (or say what it outwaits with %q): %s", sleepAllowed, f)
	}
}
