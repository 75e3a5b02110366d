package assess

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// GB/T 32905 test vector: SM3("abc").
func TestSM3Vector(t *testing.T) {
	sum := sm3.Sum([]byte("abc"))
	assert.Equal(t, "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0", hex.EncodeToString(sum[:]))
}

// 001 (十): results are generated from the data and reproducible. The digests of the fixture are
// pinned: a change here means the canonical encoding or a figure changed, and published digests from
// earlier versions would no longer verify.
func TestDigestsPinned(t *testing.T) {
	r, err := Score(fixtureInput(), StreetHotline(), marchQuery())
	require.NoError(t, err)
	assert.Equal(t, SM3, r.Algorithm, "SM3 is the default")
	assert.Len(t, r.Digest, 64)
	assert.Equal(t, goldenSM3InputDigest, r.InputDigest)
	assert.Equal(t, goldenSM3Digest, r.Digest)

	sha := StreetHotline()
	sha.Algorithm = SHA256
	r2, err := Score(fixtureInput(), sha, marchQuery())
	require.NoError(t, err)
	assert.Equal(t, SHA256, r2.Algorithm)
	assert.NotEqual(t, r.Digest, r2.Digest)
	assert.Equal(t, goldenSHA256InputDigest, r2.InputDigest)
	assert.Equal(t, goldenSHA256Digest, r2.Digest)
	assert.Equal(t, r.Units, r2.Units, "the algorithm changes only the digests")
	require.NoError(t, Verify(fixtureInput(), sha, r2))
	assert.ErrorIs(t, Verify(fixtureInput(), StreetHotline(), r2), ErrMismatch, "the scheme says SM3, the result SHA-256")

	d, err := DigestInput(fixtureInput(), SM3)
	require.NoError(t, err)
	assert.Equal(t, r.InputDigest, d)
}

const (
	goldenSM3InputDigest    = "920eda5c2461481df0db7ca0d58f6b5d77d5b54cbee58992b095623b51350672"
	goldenSM3Digest         = "eeae3891a4a366fb9b1a072b32b2bb55a9592084f6dffe37d8a7ba918401bcf1"
	goldenSHA256InputDigest = "5e114544f08c2f89f85be4fb6995939a9e50238269922861f8715f6fea3db039"
	goldenSHA256Digest      = "3260b12c84985e25ed525c70a924c394e486b87bed4145aea84b98c1ce715057"
	goldenSM3Empty          = "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b"
	goldenSM3One            = "2daef60e7a0b8f5e024c81cd2ab3109f2b4f155cf83adeb2ae5532f74a157fdf"
	goldenSM3Eight          = "bc48ba7a709184b5f2a631e1adeb8dc2a0d4c018c1d6cc89b5664fe154c93b38"
)

func TestVerify(t *testing.T) {
	in, s := fixtureInput(), StreetHotline()
	r, err := Score(in, s, marchQuery())
	require.NoError(t, err)
	require.NoError(t, Verify(in, s, r))

	t.Run("survives a JSON round trip", func(t *testing.T) {
		b, err := json.Marshal(r)
		require.NoError(t, err)
		var back Result
		require.NoError(t, json.Unmarshal(b, &back))
		assert.NoError(t, Verify(in, s, back))
	})

	tests := []struct {
		name   string
		in     func() Input
		scheme func() Scheme
		tamper func(*Result)
		path   string
		change string
	}{
		{name: "a changed total", tamper: func(r *Result) { r.Units[0].Total += 1 }, path: "units[A].total"},
		{name: "a changed numerator", tamper: func(r *Result) { r.Units[0].Indicators.OnTime.Num++ }, path: "units[A].on_time"},
		{name: "a changed rank", tamper: func(r *Result) { r.Ranking.Ranked[0].Rank = 2 }, path: "ranking.ranked[0].rank"},
		{name: "a dropped unit", tamper: func(r *Result) { r.Units = r.Units[1:] }, path: "units.count"},
		{name: "only the digest", tamper: func(r *Result) { r.Digest = "00" }, path: "digest"},
		// The query (period, AsOf, algorithm) is read from the result itself, so a relabelled period
		// recomputes the same figures and is caught by the digest.
		{name: "a changed period label", tamper: func(r *Result) { r.Period.Label = "2025-04" }, path: "digest"},
		{name: "a moved period", tamper: func(r *Result) { r.Period = must(Month(2025, time.February)) }, path: "units[A].sample"},
		{name: "a changed algorithm", tamper: func(r *Result) { r.Algorithm = SHA256 }, path: "algorithm"},
		// 001 (十) 不可更改, made checkable: a change to the data is named by record.
		{name: "a removed case", in: func() Input { in := fixtureInput(); in.Cases = in.Cases[1:]; return in },
			path: "input[case:A1]", change: "missing"},
		{name: "a changed case", in: func() Input {
			in := fixtureInput()
			in.Cases[3].RepliedAt = in.Cases[3].RepliedAt.Add(time.Hour)
			return in
		},
			path: "input[case:A4]", change: "changed"},
		{name: "an added case", in: func() Input {
			in := fixtureInput()
			in.Cases = append(in.Cases, CaseRecord{ID: "Z9", Unit: "A", ReceivedAt: mar(30, 9)})
			return in
		}, path: "input[case:Z9]", change: "added"},
		{name: "a voided review", in: func() Input { in := fixtureInput(); in.Reviews[4].Unfounded = true; return in },
			path: "input[review:" + fixtureInput().Reviews[4].ID + "]", change: "changed"},
		{name: "a changed case of a public result", in: func() Input { in := fixtureInput(); in.Cases[0].Unit = "B"; return in },
			tamper: func(r *Result) { *r = r.Public() }, path: "input_digest"},
		{name: "records edited to hide a change", in: func() Input { in := fixtureInput(); in.Cases = in.Cases[1:]; return in },
			tamper: func(r *Result) {
				r.Records = slices.DeleteFunc(slices.Clone(r.Records), func(d RecordDigest) bool { return d.Key() == "case:A1" })
			}, path: "records"},
		{name: "a changed weight", scheme: func() Scheme {
			s := StreetHotline()
			s.Items[0].Weight, s.Items[1].Weight = Int(30), Int(20)
			return s
		}, path: "scheme_digest"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, s, r := fixtureInput(), StreetHotline(), r
			r.Units = append([]UnitScore(nil), r.Units...)
			r.Ranking.Ranked = append([]Standing(nil), r.Ranking.Ranked...)
			if tt.in != nil {
				in = tt.in()
			}
			if tt.scheme != nil {
				s = tt.scheme()
			}
			if tt.tamper != nil {
				tt.tamper(&r)
			}
			err := Verify(in, s, r)
			require.ErrorIs(t, err, ErrMismatch)
			var me *MismatchError
			require.True(t, errors.As(err, &me))
			assert.Equal(t, tt.path, me.Path)
			assert.Equal(t, tt.change, me.Change)
			assert.Contains(t, err.Error(), tt.path)
		})
	}

	t.Run("invalid input is reported as such", func(t *testing.T) {
		bad := fixtureInput()
		bad.Cases[0].Unit = ""
		assert.ErrorIs(t, Verify(bad, s, r), ErrInvalidInput)
	})
}

// The zone a time is given in never changes a digest or a figure: only the instant matters.
func TestDigestZoneInvariance(t *testing.T) {
	in := fixtureInput()
	utc := fixtureInput()
	for i := range utc.Cases {
		c := &utc.Cases[i]
		for _, p := range []*time.Time{&c.ReceivedAt, &c.FirstContactDue, &c.FirstContactAt, &c.ReplyDue, &c.RepliedAt, &c.CallbackAt} {
			if !p.IsZero() {
				*p = p.UTC()
			}
		}
	}
	for i := range utc.Reviews {
		utc.Reviews[i].At = utc.Reviews[i].At.UTC()
	}
	a, err := Score(in, StreetHotline(), marchQuery())
	require.NoError(t, err)
	b, err := Score(utc, StreetHotline(), marchQuery())
	require.NoError(t, err)
	assert.Equal(t, a.Digest, b.Digest)
	assert.Equal(t, a.InputDigest, b.InputDigest)
}

// refMTH is RFC 6962 §2.1 written out recursively, independently of the package's tree code.
func refMTH(h func([]byte) []byte, leaves [][]byte) []byte {
	switch n := len(leaves); n {
	case 0:
		return h(nil)
	case 1:
		return h(append([]byte{0}, leaves[0]...))
	default:
		k := 1
		for k*2 < n {
			k *= 2
		}
		l, r := refMTH(h, leaves[:k]), refMTH(h, leaves[k:])
		return h(append(append([]byte{1}, l...), r...))
	}
}

func sm3Sum(b []byte) []byte    { s := sm3.Sum(b); return s[:] }
func sha256Sum(b []byte) []byte { s := sha256.Sum256(b); return s[:] }

// The canonical encoding written out byte by byte from the package doc, and the tree from RFC 6962,
// independently of the encoder: a verifier in another language can follow the doc and get the same
// input digest.
func TestCanonicalEncodingSpec(t *testing.T) {
	at := time.Date(2025, 3, 3, 9, 0, 0, 500, time.UTC)
	in := Input{
		Cases: []CaseRecord{
			{ID: "C2", Unit: "U", ReceivedAt: at},
			{ID: "C1", Unit: "U", Complaint: true, Matter: "噪声", Place: "P", ReceivedAt: at, ReplyDue: at.Add(time.Hour),
				CallbackAt: at.Add(2 * time.Hour), Resolved: No, Satisfaction: Dissatisfied, Repeats: 3, Supervisions: 1, Unfounded: true},
		},
		Reviews: []Review{{ID: "R1", Rating: Satisfied, Unit: "U", At: at, Channel: ChannelServiceHall, Rectified: true,
			Dimensions: map[Dimension]Rating{DimProcess: VerySatisfied, DimAttitude: Dissatisfied}}},
		Adjustments: []Adjustment{{Unit: "U", Item: "b", Count: 2, At: at}, {Unit: "U", Item: "a", At: at, Evidence: "x"}},
		Volumes:     []Volume{{Unit: "V", Count: 7}, {Unit: "U", Count: 300}},
		Units:       []string{"W", "", "W"},
	}
	var b []byte
	str := func(s string) { b = binary.AppendUvarint(b, uint64(len(s))); b = append(b, s...) }
	tm := func(t time.Time) {
		if t.IsZero() {
			b = append(b, 0)
			return
		}
		b = append(b, 1)
		b = binary.AppendVarint(b, t.Unix())
		b = binary.AppendUvarint(b, uint64(t.Nanosecond()))
	}
	ans := map[Answer]byte{NoAnswer: 0, Yes: 1, No: 2}
	rank := map[Rating]byte{"": 0, VerySatisfied: 1, Satisfied: 2, FairlySatisfied: 3, Dissatisfied: 4, VeryDissatisfied: 5}
	bit := map[bool]byte{false: 0, true: 1}
	caseLeaf := func(c CaseRecord) []byte {
		b = []byte{1} // tag: case
		str(c.ID)
		str(c.Unit)
		b = append(b, bit[c.Complaint])
		str(c.Matter)
		str(c.Place)
		for _, x := range []time.Time{c.ReceivedAt, c.FirstContactDue, c.FirstContactAt, c.ReplyDue, c.RepliedAt, c.CallbackAt} {
			tm(x)
		}
		b = append(b, ans[c.Contacted], ans[c.Resolved], rank[c.Satisfaction], ans[c.Attitude], ans[c.ReportAccepted])
		for _, n := range []int{c.Repeats, c.Returns, c.Reopens, c.Supervisions} {
			b = binary.AppendVarint(b, int64(n))
		}
		return append(b, bit[c.Unfounded])
	}
	var leaves [][]byte
	// Cases in canonical order: by FNV-1a of the ID.
	first, second := in.Cases[0], in.Cases[1]
	if fnv1a(second.ID) < fnv1a(first.ID) {
		first, second = second, first
	}
	leaves = append(leaves, caseLeaf(first), caseLeaf(second))
	b = []byte{2} // tag: review
	str("R1")
	b = append(b, rank[Satisfied])
	b = append(b, 2) // two dimensions, by name: "attitude" < "process"
	str("attitude")
	b = append(b, rank[Dissatisfied])
	str("process")
	b = append(b, rank[VerySatisfied])
	for _, s := range []string{"service_hall", "", "U", "", "", "", ""} { // channel, matter, unit, window, staff, rater, device
		str(s)
	}
	tm(at)
	b = append(b, 0, 0, 1) // unfounded, appeal pending, rectified
	leaves = append(leaves, b)
	// Adjustments, canonical IDs "U/a/2025-03-03T09:00:00.0000005Z#1" and "U/b/…#1", by FNV-1a of the ID.
	adjLeaf := func(a Adjustment) []byte {
		b = []byte{3}
		str(a.Unit)
		str(a.Item)
		b = binary.AppendVarint(b, int64(a.Count))
		tm(a.At)
		str(a.Evidence)
		return b
	}
	ida, idb := "U/a/2025-03-03T09:00:00.0000005Z#1", "U/b/2025-03-03T09:00:00.0000005Z#1"
	la, lb := adjLeaf(in.Adjustments[1]), adjLeaf(in.Adjustments[0])
	if fnv1a(idb) < fnv1a(ida) {
		la, lb = lb, la
	}
	leaves = append(leaves, la, lb)
	volLeaf := func(v Volume) []byte {
		b = []byte{4}
		str(v.Unit)
		return binary.AppendVarint(b, v.Count)
	}
	lu, lv := volLeaf(in.Volumes[1]), volLeaf(in.Volumes[0])
	if fnv1a("V") < fnv1a("U") {
		lu, lv = lv, lu
	}
	leaves = append(leaves, lu, lv)
	b = []byte{5}
	str("W")
	leaves = append(leaves, b)

	for alg, h := range map[Algorithm]func([]byte) []byte{SM3: sm3Sum, SHA256: sha256Sum} {
		got, err := DigestInput(in, alg)
		require.NoError(t, err)
		assert.Equal(t, hex.EncodeToString(refMTH(h, leaves)), got, alg)
		root, err := MerkleRoot(alg, leaves)
		require.NoError(t, err)
		assert.Equal(t, got, root.String())
	}

	s := StreetHotline()
	js, err := json.Marshal(s)
	require.NoError(t, err)
	b = nil
	str("hotline/assess/scheme/v2")
	str(string(js))
	sum := sm3.Sum(b)
	got, err := digestScheme(&s, SM3)
	require.NoError(t, err)
	assert.Equal(t, hex.EncodeToString(sum[:]), got)
}

// rfc6962Leaves are the leaf inputs of the RFC 6962 reference test data (certificate-transparency).
var rfc6962Leaves = [][]byte{
	{}, {0x00}, {0x10}, {0x20, 0x21}, {0x30, 0x31}, {0x40, 0x41, 0x42, 0x43},
	{0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57},
	{0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f},
}

// With SHA-256 the input tree is RFC 6962's: the roots of the first n reference leaves, n = 0…8, are
// the reference roots.
func TestMerkleRFC6962Vectors(t *testing.T) {
	want := []string{
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
		"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
		"aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
		"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
		"4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
		"76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
		"ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
		"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
	}
	for n, w := range want {
		got, err := MerkleRoot(SHA256, rfc6962Leaves[:n])
		require.NoError(t, err)
		assert.Equal(t, w, got.String(), "%d leaves", n)
	}
}

// The same construction with SM3, pinned: fixed inputs, fixed roots.
func TestMerkleSM3Pinned(t *testing.T) {
	want := map[int]string{
		0: goldenSM3Empty,
		1: goldenSM3One,
		8: goldenSM3Eight,
	}
	for n, w := range want {
		got, err := MerkleRoot(SM3, rfc6962Leaves[:n])
		require.NoError(t, err)
		assert.Equal(t, w, got.String(), "%d leaves", n)
		assert.Equal(t, w, hex.EncodeToString(refMTH(sm3Sum, rfc6962Leaves[:n])), "%d leaves (reference)", n)
	}
}

// The levels the proofs are cut from give the RFC's root for every size, and every audit path
// verifies with RFC 9162's algorithm — and fails for a wrong index, leaf or sibling.
func TestMerkleAuditPaths(t *testing.T) {
	x, err := newHasher(SHA256)
	require.NoError(t, err)
	for n := 1; n <= 70; n++ {
		data := make([][]byte, n)
		leaves := make([]Hash, n)
		for i := range data {
			data[i] = []byte{byte(i), byte(n)}
			leaves[i] = x.leaf(data[i])
		}
		levels := treeLevels(x, leaves)
		root := levels[len(levels)-1][0]
		require.Equal(t, hex.EncodeToString(refMTH(sha256Sum, data)), root.String(), "n=%d", n)
		par, err := treeRoot(SHA256, leaves)
		require.NoError(t, err)
		require.Equal(t, root, par)
		for m := range n {
			path := auditPath(levels, m)
			require.True(t, verifyPath(x, int64(m), int64(n), leaves[m], path, root), "n=%d m=%d", n, m)
			if n > 1 {
				assert.False(t, verifyPath(x, int64((m+1)%n), int64(n), leaves[m], path, root), "wrong index n=%d m=%d", n, m)
				assert.False(t, verifyPath(x, int64(m), int64(n), leaves[(m+1)%n], path, root), "wrong leaf n=%d m=%d", n, m)
				bad := slices.Clone(path)
				bad[0][0] ^= 1
				assert.False(t, verifyPath(x, int64(m), int64(n), leaves[m], bad, root), "tampered sibling")
			}
		}
	}
}

// Big trees are hashed on several goroutines: the root does not depend on the schedule.
func TestMerkleParallelRoot(t *testing.T) {
	x, err := newHasher(SM3)
	require.NoError(t, err)
	leaves := make([]Hash, 3*treeChunk+17)
	for i := range leaves {
		leaves[i] = x.leaf([]byte{byte(i), byte(i >> 8), byte(i >> 16)})
	}
	levels := treeLevels(x, leaves)
	got, err := treeRoot(SM3, leaves)
	require.NoError(t, err)
	assert.Equal(t, levels[len(levels)-1][0], got)
}

// The tree over the roots of chunks of c leaves (c a power of two) is the RFC 6962 tree, for every
// size around the powers of two and every chunk size and number of workers.
func TestMerkleChunkedRoot(t *testing.T) {
	x, err := newHasher(SHA256)
	require.NoError(t, err)
	leaves := make([]Hash, 300)
	for i := range leaves {
		leaves[i] = x.leaf([]byte{byte(i), byte(i >> 8)})
	}
	for n := 0; n <= len(leaves); n++ {
		want := x.empty()
		if n > 0 {
			levels := treeLevels(x, leaves[:n])
			want = levels[len(levels)-1][0]
		}
		for _, c := range []int{1, 2, 4, 8, 64} {
			for _, procs := range []int{1, 2, 3} {
				got, err := chunkedRoot(SHA256, hashList(leaves[:n]), n, c, procs)
				require.NoError(t, err)
				require.Equal(t, want, got, "n=%d c=%d procs=%d", n, c, procs)
			}
		}
	}
}

// The input digest of 9,000 generated cases and 1,200 reviews, pinned: several hashing chunks and
// workers. (The figures depend on genInput: change both together.) The permutation test checks that
// neither the input order nor the schedule of the workers changes it.
func TestDigestPinnedGenerated(t *testing.T) {
	in := genInput(rand.New(rand.NewPCG(7, 7)), 30, 9000, 1200)
	require.Less(t, 2*hashChunk, len(in.Cases))
	for alg, want := range map[Algorithm]string{
		SM3:    goldenGeneratedSM3,
		SHA256: goldenGeneratedSHA256,
	} {
		got, err := DigestInput(in, alg)
		require.NoError(t, err)
		assert.Equal(t, want, got, alg)
		got, err = DigestInput(shuffled(rand.New(rand.NewPCG(1, 2)), in), alg)
		require.NoError(t, err)
		assert.Equal(t, want, got, "shuffled, %s", alg)
	}
}

const (
	goldenGeneratedSM3    = "18670f04da038e09aab9554a5e7fcac1fd6e46ef9d744025acfb5b9e36e91022"
	goldenGeneratedSHA256 = "e85085d2e23ca301d06032a764ce45caf3cde66cffa93d8f6c9dc433275ea9f4"
)

func TestDimensionsByName(t *testing.T) {
	want := Dimensions()
	slices.Sort(want)
	assert.Equal(t, want, dimensionsByName[:])
}
