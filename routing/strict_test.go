package routing

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/hotline12345/hotline/internal/strictjson/strictjsontest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 9: every JSON loader refuses the shared table of malformed inputs
// (trailing data, duplicate and case-variant keys, oversize …).
func TestPolicyLoadersRefuseMalformed(t *testing.T) {
	valid, err := json.Marshal(Shanghai())
	require.NoError(t, err)
	_, err = ParsePolicy(valid)
	require.NoError(t, err)
	for _, c := range strictjsontest.Cases(valid, MaxPolicyBytes) {
		t.Run(c.Name, func(t *testing.T) {
			assert.NotPanics(t, func() {
				_, err := ParsePolicy(c.Input)
				assert.Error(t, err)
				assert.ErrorIs(t, err, ErrInvalidPolicy)
				_, err = ReadPolicy(bytes.NewReader(c.Input))
				assert.Error(t, err)
				assert.ErrorIs(t, err, ErrInvalidPolicy)
			})
		})
	}
}

func TestDirectoryLoaderRefusesMalformed(t *testing.T) {
	tree := loadTree(t)
	// The fixture's JSON needs the street's CSV units; a self-contained valid
	// document is the whole fixture written out.
	var buf bytes.Buffer
	require.NoError(t, loadDirectory(t).WriteJSON(&buf))
	valid := buf.Bytes()
	_, err := ReadDirectory(bytes.NewReader(valid), tree)
	require.NoError(t, err)
	for _, c := range strictjsontest.Cases(valid, MaxDirectoryBytes) {
		t.Run(c.Name, func(t *testing.T) {
			assert.NotPanics(t, func() {
				_, err := ReadDirectory(bytes.NewReader(c.Input), tree)
				assert.Error(t, err)
			})
		})
	}
	// Inside an item too: a duplicate or case-variant key is refused, not "last wins".
	for name, doc := range map[string]string{
		"duplicate key in a unit":    `{"units": [{"id": "a", "name": "甲", "kind": "street", "name": "乙"}]}`,
		"case-variant key in a unit": `{"units": [{"id": "a", "Name": "甲", "kind": "street"}]}`,
		"case-variant key alone":     `{"units": [{"ID": "a", "name": "甲", "kind": "street"}]}`,
		"duplicate key in a matter":  `{"matters": [{"code": "07", "code": "08", "name": "x", "kind": "territorial"}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ReadDirectory(bytes.NewReader([]byte(doc)), tree)
			assert.Error(t, err)
		})
	}
}
