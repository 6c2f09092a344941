package store

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestMigrationNumbersAreOneChangeEach(t *testing.T) {
	for _, dialect := range []string{SQLite, Postgres} {
		if _, err := loadMigrations(migrations, dialect); err != nil {
			t.Fatalf("%s: %v", dialect, err)
		}
	}
	sql := &fstest.MapFile{Data: []byte("SELECT 1;")}
	ok := fstest.MapFS{"migrations/common/0001_init.sql": sql, "migrations/sqlite/0001_search.sql": sql}
	all, err := loadMigrations(ok, SQLite)
	if err != nil || len(all) != 1 || len(all[0].files) != 2 {
		t.Fatalf("a common file and its engine's part of one number: %v %v", all, err)
	}
	clash := fstest.MapFS{"migrations/common/0004_a.sql": sql, "migrations/common/0004_b.sql": sql,
		"migrations/sqlite/0001_search.sql": sql}
	if _, err := loadMigrations(clash, SQLite); err == nil || !strings.Contains(err.Error(), "share number 4") {
		t.Fatalf("two changes numbered 4 accepted: %v", err)
	}
}
