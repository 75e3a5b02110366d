package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/assess"
)

// A wall display's key (大屏令牌, 004 §14) is issued, hashed, expires and is revoked like any key, but
// it is no API key: Authenticate refuses it, and AuthenticateDisplay accepts it alone.
func TestDisplayKeys(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		now := at("2026-11-30 09:00")
		c, key, err := s.IssueCredential(ctx, admin, CredentialSpec{Unit: "office-bs", Role: RoleDisplay, Label: "大厅大屏",
			Expires: now.Add(7 * 24 * time.Hour)}, now)
		require.NoError(t, err)
		got, err := s.AuthenticateDisplay(ctx, key, now)
		require.NoError(t, err)
		assert.Equal(t, c, got)

		var ae *AuthError
		_, err = s.Authenticate(ctx, key, now)
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, AuthWrongUse, ae.Reason)
		assert.ErrorIs(t, err, ErrForbidden)
		_, err = s.RecordAuthFailure(ctx, ae, now)
		require.NoError(t, err, "a display key used as an API key is a failed login like any other")

		_, apiKey, err := s.IssueCredential(ctx, admin, CredentialSpec{Unit: "office-bs", Role: RoleHotlineOffice,
			Expires: now.Add(time.Hour)}, now)
		require.NoError(t, err)
		_, err = s.AuthenticateDisplay(ctx, apiKey, now)
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, AuthWrongUse, ae.Reason, "an API key opens no screen")

		_, err = s.AuthenticateDisplay(ctx, key, now.Add(7*24*time.Hour))
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, AuthExpired, ae.Reason)
		require.NoError(t, s.RevokeCredential(ctx, admin, c.ID, now))
		_, err = s.AuthenticateDisplay(ctx, key, now)
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, AuthRevoked, ae.Reason)

		_, _, err = s.IssueCredential(ctx, admin, CredentialSpec{Unit: "no-such-unit", Role: RoleDisplay, Expires: now.Add(time.Hour)}, now)
		assert.ErrorIs(t, err, ErrInvalid, "a display shows a unit of the directory")
	})
}

// A good review keeps its comment as a bad one does (001 (八): 评价内容公开), published masked; a
// comment over MaxComment is refused with nothing written.
func TestReviewComments(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		now := at("2026-11-30 09:00")
		good := assess.Review{ID: "R-good", Rating: assess.VerySatisfied, Unit: "unit-a", At: now}
		require.NoError(t, s.PutReviewWithComment(ctx, system, good, "", "办得很快，电话13812345678", now))
		res, err := s.IntakeReview(ctx, system, ReviewIntakeRequest{Review: assess.Review{ID: "R-fair", Rating: assess.FairlySatisfied,
			Unit: "unit-b", At: now}, Comment: "还可以"}, now)
		require.NoError(t, err)
		assert.Equal(t, "R-fair", res.Review)
		err = s.PutReviewWithComment(ctx, system, assess.Review{ID: "R-long", Rating: assess.Satisfied, Unit: "unit-a", At: now}, "",
			strings.Repeat("长", MaxComment+1), now)
		assert.ErrorIs(t, err, ErrInvalid)

		page, err := s.PublicReviews(ctx, PublicReviewFilter{})
		require.NoError(t, err)
		comments := map[string]string{}
		for _, r := range page.Items {
			comments[r.ID] = r.Comment
		}
		assert.Len(t, comments, 2, "the refused review was not written")
		assert.Contains(t, comments["R-good"], "办得很快")
		assert.NotContains(t, comments["R-good"], "13812345678", "scrubbed for the public")
		assert.Equal(t, "还可以", comments["R-fair"])
	})
}
