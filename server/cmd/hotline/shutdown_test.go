package main

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server/secure"
	"github.com/hotline12345/hotline/server/store"
)

// Intakes keep arriving while serve shuts down: every intake answered 201 is in the database
// afterwards (graceful shutdown loses no acknowledged write).
func TestShutdownLosesNoAcknowledgedIntake(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hotline.db")
	ctx := context.Background()
	keys, err := secure.LoadKeys(env(map[string]string{"HOTLINE_KEY": testKey}))
	require.NoError(t, err)
	st, err := store.Open(ctx, db, store.Options{Keys: keys})
	require.NoError(t, err)
	admin := store.Principal{Actor: "admin", Unit: "city", Role: store.RoleAdmin}
	now := time.Now()
	require.NoError(t, st.PutUnit(ctx, admin, routing.Unit{ID: "office-bs", Name: "宝山区热线办",
		Kind: routing.UnitDistrictGovernment, Areas: []routing.RegionCode{"310113"}}, now))
	_, secret, err := st.CreateCredential(ctx, admin, "office-bs", store.RoleHotlineOffice, "test", now)
	require.NoError(t, err)
	require.NoError(t, st.Close())

	base, _, stderr, stop := startServeOn(t, db)
	body := `{"channel":"phone","kind":"complaint","content":"路灯不亮","place":{"region_code":"310113001"}}`
	client := &http.Client{Timeout: 10 * time.Second}
	var mu sync.Mutex
	var acked []string
	var wg sync.WaitGroup
	quit := make(chan struct{})
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-quit:
					return
				default:
				}
				req, _ := http.NewRequest(http.MethodPost, base+"/v1/tickets", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+secret)
				resp, err := client.Do(req)
				if err != nil {
					return // the listener closed
				}
				var out struct{ ID string }
				_ = json.NewDecoder(resp.Body).Decode(&out)
				resp.Body.Close()
				if resp.StatusCode == http.StatusCreated {
					mu.Lock()
					acked = append(acked, out.ID)
					mu.Unlock()
				}
			}
		})
	}
	time.Sleep(300 * time.Millisecond)
	require.NoError(t, stop(), "stderr: %s", stderr.String())
	close(quit)
	wg.Wait()
	require.NotEmpty(t, acked, "some intakes were acknowledged; stderr: %s", stderr.String())

	st, err = store.Open(ctx, db, store.Options{Keys: keys})
	require.NoError(t, err)
	defer st.Close()
	office := store.Principal{Actor: "check", Unit: "office-bs", Role: store.RoleHotlineOffice}
	for _, id := range acked {
		_, err := st.Get(ctx, office, id)
		assert.NoError(t, err, "acknowledged intake %s", id)
	}
	t.Logf("%d intakes acknowledged, all stored", len(acked))
}
