package web_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/server/web"
)

func TestPagesParse(t *testing.T) {
	p, err := web.New()
	require.NoError(t, err)
	assert.Contains(t, p.Names(), "ticket")
	assert.Contains(t, p.Names(), "screen")
	assert.NotContains(t, p.Names(), "layout")
	var b bytes.Buffer
	err = p.Render(&b, "nope", nil)
	assert.True(t, errors.Is(err, web.ErrNoPage))
	assert.Empty(t, b.String())
}

func TestFormatting(t *testing.T) {
	at := time.Date(2026, 11, 30, 1, 2, 0, 0, time.UTC)
	assert.Equal(t, "2026-11-30 09:02", web.When(at))
	assert.Equal(t, "—", web.When(time.Time{}))
	assert.Equal(t, "2026-11-30", web.Date(at))
	assert.Equal(t, "剩 3 个工作日", web.Workdays(3))
	assert.Equal(t, "今日到期", web.Workdays(0))
	assert.Equal(t, "超期 2 个工作日", web.Workdays(-2))
	assert.Equal(t, "66.7%", web.Percent(2, 3))
	assert.Equal(t, "—", web.Percent(1, 0))
}

func TestStatic(t *testing.T) {
	for _, name := range []string{"style.css", "app.js", "suggest.js"} {
		f, err := web.Static().Open(name)
		require.NoError(t, err, name)
		f.Close()
	}
}
