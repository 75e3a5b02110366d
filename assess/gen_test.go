package assess

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// genInput returns a random but plausible input: nCases cases and nReviews reviews over nUnits units,
// received between February 1 and April 1 2025, with a mix of on-time, late, open and unfounded cases.
func genInput(rng *rand.Rand, nUnits, nCases, nReviews int) Input {
	start := on(time.February, 1, 0)
	span := int64(on(time.April, 1, 0).Sub(start))
	unitNames := make([]string, nUnits)
	for i := range unitNames {
		unitNames[i] = fmt.Sprintf("U%03d", i)
	}
	answer := func() Answer { return [...]Answer{NoAnswer, Yes, No}[rng.IntN(3)] }
	rating := func() Rating { return Ratings()[rng.IntN(5)] }
	in := Input{Cases: make([]CaseRecord, nCases), Reviews: make([]Review, nReviews)}
	for i := range in.Cases {
		recv := start.Add(time.Duration(rng.Int64N(span)))
		c := CaseRecord{
			ID: fmt.Sprintf("C%07d", i), Unit: unitNames[rng.IntN(nUnits)], ReceivedAt: recv,
			Complaint: rng.IntN(10) == 0, Unfounded: rng.IntN(50) == 0,
			Matter: fmt.Sprintf("M%d", rng.IntN(5)), Place: fmt.Sprintf("P%d", rng.IntN(5)),
		}
		if rng.IntN(10) != 0 {
			c.FirstContactDue = recv.Add(24 * time.Hour)
			switch rng.IntN(10) {
			case 0: // never contacted
			case 1:
				c.FirstContactAt = recv.Add(30 * time.Hour)
			default:
				c.FirstContactAt = recv.Add(time.Duration(rng.IntN(24)) * time.Hour)
			}
		}
		c.ReplyDue = recv.Add(5 * 24 * time.Hour)
		switch r := rng.IntN(20); {
		case r < 14:
			c.RepliedAt = recv.Add(time.Duration(1+rng.IntN(119)) * time.Hour)
		case r < 17:
			c.RepliedAt = recv.Add(time.Duration(121+rng.IntN(200)) * time.Hour)
		}
		if !c.RepliedAt.IsZero() && rng.IntN(10) != 0 {
			c.CallbackAt = c.RepliedAt.Add(time.Duration(1+rng.IntN(48)) * time.Hour)
			c.Contacted, c.Resolved, c.Attitude = answer(), answer(), answer()
			c.Satisfaction = [...]Rating{"", VerySatisfied, Satisfied, FairlySatisfied, Dissatisfied, VeryDissatisfied}[rng.IntN(6)]
		}
		c.ReportAccepted = answer()
		if rng.IntN(8) == 0 {
			c.Repeats = rng.IntN(4)
		}
		if rng.IntN(20) == 0 {
			c.Returns = 1
		}
		if rng.IntN(30) == 0 {
			c.Supervisions = 1 + rng.IntN(2)
		}
		in.Cases[i] = c
	}
	for i := range in.Reviews {
		r := Review{
			ID: fmt.Sprintf("R%07d", i), Unit: unitNames[rng.IntN(nUnits)], Rating: rating(),
			At: start.Add(time.Duration(rng.Int64N(span))), Rater: fmt.Sprintf("h%d", rng.IntN(nReviews/3+1)),
			Staff: fmt.Sprintf("S%d", rng.IntN(20)), Channel: ChannelServiceHall,
			Unfounded: rng.IntN(20) == 0, AppealPending: rng.IntN(20) == 0, Rectified: rng.IntN(2) == 0,
		}
		if rng.IntN(3) == 0 {
			r.Dimensions = map[Dimension]Rating{DimAttitude: rating(), DimEfficiency: rating()}
		}
		in.Reviews[i] = r
	}
	items := []string{"lead_hard_cases", "repeat_governance", "false_report", "cold_attitude"}
	for range nUnits / 2 {
		in.Adjustments = append(in.Adjustments, Adjustment{
			Unit: unitNames[rng.IntN(nUnits)], Item: items[rng.IntN(len(items))],
			Count: rng.IntN(3), At: start.Add(time.Duration(rng.Int64N(span))),
		})
	}
	return in
}

func shuffled(rng *rand.Rand, in Input) Input {
	out := Input{
		Cases:       append([]CaseRecord(nil), in.Cases...),
		Reviews:     append([]Review(nil), in.Reviews...),
		Adjustments: append([]Adjustment(nil), in.Adjustments...),
		Volumes:     append([]Volume(nil), in.Volumes...),
		Units:       append([]string(nil), in.Units...),
	}
	rng.Shuffle(len(out.Cases), func(i, j int) { out.Cases[i], out.Cases[j] = out.Cases[j], out.Cases[i] })
	rng.Shuffle(len(out.Reviews), func(i, j int) { out.Reviews[i], out.Reviews[j] = out.Reviews[j], out.Reviews[i] })
	rng.Shuffle(len(out.Adjustments), func(i, j int) {
		out.Adjustments[i], out.Adjustments[j] = out.Adjustments[j], out.Adjustments[i]
	})
	rng.Shuffle(len(out.Volumes), func(i, j int) { out.Volumes[i], out.Volumes[j] = out.Volumes[j], out.Volumes[i] })
	rng.Shuffle(len(out.Units), func(i, j int) { out.Units[i], out.Units[j] = out.Units[j], out.Units[i] })
	return out
}
