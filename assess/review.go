package assess

import (
	"fmt"
	"maps"
	"slices"
	"time"
)

// Review is one 好差评 rating of a government service (001 (一)–(四)). It names what was rated (matter,
// unit, window, staff), by whom (a hashed rater ID and device, never personal data: 001 (十)) and when.
type Review struct {
	ID         string               `json:"id"`
	Rating     Rating               `json:"rating"`               // overall rating
	Dimensions map[Dimension]Rating `json:"dimensions,omitempty"` // optional per-dimension ratings
	Channel    Channel              `json:"channel,omitempty"`
	Matter     string               `json:"matter,omitempty"` // service matter (事项) code
	Unit       string               `json:"unit"`             // rated unit
	Window     string               `json:"window,omitempty"`
	Staff      string               `json:"staff,omitempty"`
	Rater      string               `json:"rater,omitempty"`  // hashed rater ID
	Device     string               `json:"device,omitempty"` // hashed device ID
	At         time.Time            `json:"at"`
	// Unfounded marks a review ruled 不属实评价 on appeal review (000 §6 (二)): it is excluded from
	// every indicator. A review whose appeal is still pending is not unfounded and counts: only a
	// review 复核认定为不属实评价 is 不予采纳 (000 §6 (二)).
	Unfounded     bool `json:"unfounded,omitempty"`
	AppealPending bool `json:"appeal_pending,omitempty"`
	// Rectified marks a bad review whose problem was rectified and fed back (001 (六) "1、5、15").
	Rectified bool `json:"rectified,omitempty"`
}

// Counts reports whether r enters the indicators: every review except an unfounded one.
func (r Review) Counts() bool { return !r.Unfounded }

func (r Review) validate(i int) error {
	if r.ID == "" {
		return fieldErr(ErrInvalidInput, fmt.Sprintf("reviews[%d]", i), "id", "", "is empty")
	}
	bad := func(field, value, reason string) error {
		return fieldErr(ErrInvalidInput, fmt.Sprintf("reviews[%d] (id %s)", i, clip(r.ID)), field, value, reason)
	}
	switch {
	case r.Unit == "":
		return bad("unit", "", "is empty")
	case !r.Rating.Valid():
		return bad("rating", clip(string(r.Rating)), "is not one of the five ratings of 001 (二)")
	case r.Channel != "" && !r.Channel.Valid():
		return bad("channel", clip(string(r.Channel)), "is not a channel of 001 (一)")
	case r.At.IsZero():
		return bad("at", "", "is zero")
	}
	if len(r.Dimensions) == 0 {
		return nil
	}
	for _, d := range slices.Sorted(maps.Keys(r.Dimensions)) {
		if !d.Valid() {
			return bad("dimensions", clip(string(d)), "is not one of the six dimensions of 001 (二)")
		}
		if l := r.Dimensions[d]; !l.Valid() {
			return bad("dimensions."+string(d), clip(string(l)), "is not one of the five ratings of 001 (二)")
		}
	}
	return nil
}
