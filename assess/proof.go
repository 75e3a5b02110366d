package assess

import (
	"fmt"
	"strconv"
)

// InclusionProof shows that a unit's cases are leaves of the input tree whose root is a published
// [Result]'s InputDigest, without revealing any other record: besides the unit's own cases it holds
// only the audit paths (RFC 6962 §2.1.1), hashes of subtrees that say nothing about their contents
// but the tree size. It proves inclusion, not completeness: that no other case of the unit was left
// out cannot be shown without revealing the other records.
type InclusionProof struct {
	Algorithm Algorithm    `json:"algorithm"`
	Root      Hash         `json:"root"`      // the result's InputDigest
	TreeSize  int64        `json:"tree_size"` // the number of records in the input
	Unit      string       `json:"unit"`
	Cases     []ProvenCase `json:"cases"`
}

// ProvenCase is one case of an [InclusionProof]: the record, its leaf index and its audit path.
type ProvenCase struct {
	Index int64      `json:"index"`
	Case  CaseRecord `json:"case"`
	Path  []Hash     `json:"path"`
}

// ProveUnit returns the inclusion proof of every case of unit in in, under the digest algorithm of s,
// against the input digest [Score] gives for in and s. It validates in as Score does. A unit with no
// case in in is an error wrapping [ErrInvalidInput].
func ProveUnit(in Input, s Scheme, unit string) (InclusionProof, error) {
	if err := s.Validate(); err != nil {
		return InclusionProof{}, err
	}
	if err := validateInput(&in, &s); err != nil {
		return InclusionProof{}, err
	}
	alg := s.algorithm()
	records, root, err := inputTree(&in, alg)
	if err != nil {
		return InclusionProof{}, err
	}
	x, err := newHasher(alg)
	if err != nil {
		return InclusionProof{}, err
	}
	byID := make(map[string]*CaseRecord)
	for i := range in.Cases {
		if in.Cases[i].Unit == unit {
			byID[in.Cases[i].ID] = &in.Cases[i]
		}
	}
	if len(byID) == 0 {
		return InclusionProof{}, fieldErr(ErrInvalidInput, "proof", "unit", clip(unit), "has no case in the input")
	}
	leaves := make([]Hash, len(records))
	for i := range records {
		leaves[i] = records[i].Hash
	}
	levels := treeLevels(x, leaves)
	p := InclusionProof{Algorithm: alg, Root: root, TreeSize: int64(len(records)), Unit: unit}
	for i, r := range records {
		if r.Kind != RecordCase {
			break // cases come first
		}
		if c, ok := byID[r.ID]; ok {
			p.Cases = append(p.Cases, ProvenCase{Index: int64(i), Case: *c, Path: auditPath(levels, i)})
		}
	}
	return p, nil
}

// VerifyInclusion checks p against a published result r: the same algorithm and root as r's input
// digest, every case of p belonging to p.Unit, and each case's leaf hash (recomputed from the record
// in p) reaching the root along its audit path. It returns nil or a [*MismatchError] naming the first
// case that fails, e.g. "proof.cases[case:C-7]".
func VerifyInclusion(p InclusionProof, r Result) error {
	if p.Algorithm != r.Algorithm {
		return &MismatchError{Path: "proof.algorithm", Want: string(r.Algorithm), Got: clip(string(p.Algorithm))}
	}
	if p.Root.String() != r.InputDigest {
		return &MismatchError{Path: "proof.root", Want: r.InputDigest, Got: p.Root.String()}
	}
	x, err := newHasher(p.Algorithm)
	if err != nil {
		return err
	}
	if len(p.Cases) == 0 {
		return &MismatchError{Path: "proof.cases", Want: "at least one case", Got: "none"}
	}
	var buf []byte
	for i := range p.Cases {
		pc := &p.Cases[i]
		where := "proof.cases[case:" + clip(pc.Case.ID) + "]"
		if pc.Case.Unit != p.Unit {
			return &MismatchError{Path: where + ".unit", Want: clip(p.Unit), Got: clip(pc.Case.Unit)}
		}
		if len(pc.Path) > 64 {
			return &MismatchError{Path: where + ".path", Want: "at most 64 hashes", Got: strconv.Itoa(len(pc.Path))}
		}
		buf = appendCaseLeaf(buf[:0], &pc.Case)
		if !verifyPath(x, pc.Index, p.TreeSize, x.leafPrefixed(buf), pc.Path, p.Root) {
			return &MismatchError{Path: where, Want: "a leaf of the tree with root " + p.Root.String(),
				Got: fmt.Sprintf("not included at index %d of %d", pc.Index, p.TreeSize)}
		}
	}
	return nil
}
