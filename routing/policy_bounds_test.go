package routing

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A count a request can never reach is refused, not accepted as silent nonsense: a request carries at
// most MaxRequestReturns returns, so max_returns (004 §12 (一)) and buck_passing_bounces (004 §12 (二)
// 1) above it would validate and never take effect (issue 9: "validates but never matches").
func TestPolicyCountsWithinRequestBound(t *testing.T) {
	for _, field := range []string{"max_returns", "buck_passing_bounces"} {
		for _, v := range []int{MaxRequestReturns + 1, 1 << 32, math.MaxInt} {
			p := Shanghai()
			if field == "max_returns" {
				p.MaxReturns = v
			} else {
				p.BuckPassingBounces = v
			}
			err := p.Validate()
			require.ErrorIs(t, err, ErrInvalidPolicy, "%s=%d", field, v)
			var pe *PolicyError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, field, pe.Field)
			assert.Contains(t, pe.Reason, fmt.Sprint(MaxRequestReturns))
		}
		p := Shanghai()
		p.MaxReturns, p.BuckPassingBounces = MaxRequestReturns, MaxRequestReturns
		assert.NoError(t, p.Validate(), "the bound itself can be reached")
	}
}
