package legs_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/server/storetest/legs"
)

func TestRecord(t *testing.T) {
	file := filepath.Join(t.TempDir(), "legs.tsv")
	t.Setenv(legs.EnvFile, file)
	t.Run("sqlite", func(t *testing.T) { legs.Record(t, "sqlite") })
	t.Run("postgres", func(t *testing.T) {
		legs.Record(t, "postgres")
		t.Skip("no server")
	})
	got, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Equal(t, "sqlite\tPASS\tTestRecord/sqlite\npostgres\tSKIP\tTestRecord/postgres\n", string(got))
}

func TestRecordWithoutFileDoesNothing(t *testing.T) {
	t.Setenv(legs.EnvFile, "")
	legs.Record(t, "sqlite")
}

func Example() {
	// In a leg's subtest: legs.Record(t, "postgres"), before anything may skip it. With
	// HOTLINE_TEST_LEGS_FILE unset it does nothing; with it set, the leg's outcome is appended.
	fmt.Println(legs.EnvFile)
	// Output:
	// HOTLINE_TEST_LEGS_FILE
}
