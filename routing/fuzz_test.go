package routing

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
)

func FuzzParseRegionCode(f *testing.F) {
	for _, s := range []string{"31", "3101", "310113", "310113003", "310113003001", "", "3", "31011300300a", "３１"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 64 {
			// Long inputs are plainly invalid; they only add coverage inside
			// fmt, which the fuzzer then spends its time minimising.
			if _, err := ParseRegionCode(s); err == nil {
				t.Fatalf("accepted %d bytes", len(s))
			}
			return
		}
		c, err := ParseRegionCode(s)
		if err != nil {
			if RegionCode(s).Valid() || RegionCode(s).Level() != "" {
				t.Fatalf("%q: error %v but valid", s, err)
			}
			return
		}
		if !c.Valid() || c.Level().Digits() != len(s) {
			t.Fatalf("%q: level %v", s, c.Level())
		}
		if !c.Contains(c) {
			t.Fatalf("%q does not contain itself", s)
		}
		if p := c.Parent(); p != "" && (!p.Contains(c) || p.Level().Digits() >= c.Level().Digits() || c.Level().Digits()-p.Level().Digits() > 3) {
			t.Fatalf("%q: bad parent %q", s, p)
		}
		if codeKey(c)&15 != uint64(len(c)) {
			t.Fatalf("%q: key %d", s, codeKey(c))
		}
	})
}

func FuzzParseMatterCode(f *testing.F) {
	for _, s := range []string{"05", "0502", "050203", "5", "05.02", "0502030", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 64 {
			if _, err := ParseMatterCode(s); err == nil {
				t.Fatalf("accepted %d bytes", len(s))
			}
			return
		}
		c, err := ParseMatterCode(s)
		if err != nil {
			if MatterCode(s).Valid() {
				t.Fatalf("%q: error %v but valid", s, err)
			}
			return
		}
		if c.Level()*2 != len(s) {
			t.Fatalf("%q: level %d", s, c.Level())
		}
		if p := c.Parent(); p != "" && (p.Level() != c.Level()-1 || !strings.HasPrefix(string(c), string(p))) {
			t.Fatalf("%q: bad parent %q", s, p)
		}
	})
}

func FuzzReadRegions(f *testing.F) {
	seed, err := os.ReadFile("testdata/shanghai-counties.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(RegionCSVHeader + "\n310113,宝山区,3101,county\n310113003,友谊路街道,310113,town\n"))
	f.Add([]byte(RegionCSVHeader + "\n31,上海市,,province\n31,沪,,province\n"))
	f.Add([]byte(RegionCSVHeader + "\n\"31\",\"上海\"\"市\",,province\n"))
	f.Add([]byte("\x1f\x8b\x08\x00"))
	f.Add([]byte(""))
	// Seeds from issue 9: truncated gzip, a field over MaxRecordBytes (plain
	// and gzipped), one record over many lines inside one pair of quotes,
	// odd quoting, a long run of rows.
	gz := gzipOf(f, []byte(RegionCSVHeader+"\n31,上海市,,province\n3101,市辖区,31,city\n"))
	f.Add(gz[:len(gz)/2])
	f.Add(gz[:len(gz)-4])
	huge := []byte(RegionCSVHeader + "\n31,\"" + strings.Repeat("名", MaxRecordBytes/3+1) + "\",,province\n")
	f.Add(huge)
	f.Add(gzipOf(f, huge))
	f.Add([]byte(RegionCSVHeader + "\n31,\"" + strings.Repeat("a\n", 200) + "\",,province\n"))
	f.Add([]byte(RegionCSVHeader + "\n31,\"\"\"\"\"\",,province\n"))
	f.Add([]byte(RegionCSVHeader + "\n31,\"上\"海\",,province\n"))
	f.Add([]byte(RegionCSVHeader + "\n31,\"上海\r\n\",,province\r\n"))
	f.Add([]byte(RegionCSVHeader + "\n" + strings.Repeat("31,上海市,,province\n", 2000)))
	f.Add([]byte(RegionCSVHeader + "\n31,上海市,,\n"))
	f.Add([]byte(RegionCSVHeader + "\n31,上海市,,help\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tree, err := ReadRegions(bytes.NewReader(data))
		if err != nil {
			return
		}
		// What loads writes back and loads to the same tree.
		var buf bytes.Buffer
		if err := tree.WriteCSV(&buf); err != nil {
			t.Fatal(err)
		}
		back, err := ReadRegions(&buf)
		if err != nil {
			t.Fatalf("reload: %v\n%s", err, buf.String())
		}
		if !slices.Equal(slices.Collect(tree.All()), slices.Collect(back.All())) {
			t.Fatal("round trip changed the tree")
		}
		for r := range tree.All() {
			if got, ok := tree.Region(r.Code); !ok || got != r {
				t.Fatalf("lookup %s: %v %v", r.Code, got, ok)
			}
			anc := tree.Ancestors(r.Code)
			if len(anc) == 0 || anc[len(anc)-1] != r || anc[0].Level != tree.RootLevel() {
				t.Fatalf("ancestors of %s: %v", r.Code, anc)
			}
		}
	})
}

func FuzzReadUnitsCSV(f *testing.F) {
	seed, err := os.ReadFile("testdata/youyilu-units.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte("id,name,kind\nx,甲,street\n"))
	f.Add([]byte("id,name,kind,areas,territorial\nx,甲,街镇,310113003|310113007,是\n"))
	f.Add([]byte("id,name\n"))
	f.Add([]byte("id,name,kind,kinds\nx,甲,street,help\n"))
	f.Add([]byte("id,name,kind\n\"" + strings.Repeat("x\n", 300) + "\",甲,street\n"))
	f.Add([]byte("id,name,kind\nx,\"" + strings.Repeat("名", MaxRecordBytes/3+1) + "\",street\n"))
	f.Add([]byte("id,name,kind\nx,\"\"\"甲\"\"\",street\n"))
	f.Add([]byte("id,name,kind\n" + strings.Repeat("x,甲,street\n", 1000)))
	tree := loadTree(f)
	matters, _ := loadFixture(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		units, err := ReadUnitsCSV(bytes.NewReader(data))
		if err != nil {
			return
		}
		for i := range units {
			if err := checkUnitRow("units", i+1, &units[i]); err != nil {
				t.Fatalf("accepted a row that fails its own check: %v", err)
			}
		}
		// Building may fail on references, but must not panic.
		_, _ = NewDirectory(tree, matters, units)
	})
}

func FuzzReadMattersCSV(f *testing.F) {
	f.Add([]byte(MatterCSVHeader + "\n03,住房管理,条线,住房\n0302,群租整治,,\n"))
	f.Add([]byte("name,code\nx,07\n"))
	f.Add([]byte("code,name,kind\n07,社区治理,属地\n0701,x,sector_line\n"))
	f.Add([]byte("code,name,kind\n07,\"" + strings.Repeat("名", MaxNameBytes) + "\",属地\n"))
	f.Add([]byte("code,name,kind\n07,\"a\n\"\"b\",属地\n"))
	tree := loadTree(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		ms, err := ReadMattersCSV(bytes.NewReader(data))
		if err != nil {
			return
		}
		dir, err := NewDirectory(tree, ms, nil)
		if err != nil {
			return
		}
		for m := range dir.Matters() {
			if m.Kind == "" {
				t.Fatalf("matter %s kept no kind", m.Code)
			}
		}
	})
}

func FuzzReadDirectory(f *testing.F) {
	seed, err := os.ReadFile("testdata/baoshan.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(`{"matters":[{"code":"07","name":"社区治理","kind":"属地"}],"units":[{"id":"g","name":"宝山区人民政府","kind":"区政府","areas":["310113"],"territorial":true,"matters":["07"]}]}`))
	f.Add([]byte(`{"units":[{"id":"a","name":"甲","kind":"street","parent":"a"}]}`))
	f.Add([]byte(`{}`))
	// Seeds from issue 9: trailing data, duplicate and case-variant keys,
	// the old wire value of 求助, a unit whose areas × matters is large.
	f.Add([]byte(`{"units":[]}}`))
	f.Add([]byte(`{"units":[{"id":"a","id":"b","name":"甲","kind":"street"}]}`))
	f.Add([]byte(`{"Units":[{"ID":"a","name":"甲","kind":"street"}]}`))
	f.Add([]byte(`{"units":[{"id":"a","name":"甲","kind":"street","kinds":["help"]}]}`))
	f.Add([]byte(`null`))
	tree := loadTree(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		dir, err := ReadDirectory(bytes.NewReader(data), tree)
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := dir.WriteJSON(&buf); err != nil {
			t.Fatal(err)
		}
		back, err := ReadDirectory(&buf, tree)
		if err != nil {
			t.Fatalf("reload: %v", err)
		}
		if !slices.EqualFunc(slices.Collect(dir.Units()), slices.Collect(back.Units()), func(a, b Unit) bool {
			x, _ := json.Marshal(a)
			y, _ := json.Marshal(b)
			return bytes.Equal(x, y)
		}) {
			t.Fatal("round trip changed the units")
		}
		// Any request over a valid directory routes without panicking and
		// keeps the invariants.
		r, err := NewRouter(dir, Shanghai())
		if err != nil {
			t.Fatal(err)
		}
		for m := range dir.Matters() {
			req := Request{Place: "310113003001", Matters: []MatterCode{m.Code}}
			if d, err := r.Route(req); err == nil {
				checkInvariants(t, dir, req, d)
			}
		}
	})
}

// FuzzRoute builds requests from fuzzed text over the fixture: never a
// panic, and a decision keeps the invariants of the property tests.
func FuzzRoute(f *testing.F) {
	f.Add("310113003001", "020101", "", "", "", byte(0))
	f.Add("310113003", "0701", "yy-gov", "", "", byte(1))
	f.Add("310113003001", "010201", "", "sh-dsjzx", "bs-xzfwzx", byte(7))
	f.Add("310104", "0901", "bs-gov", "bs-gov", "", byte(3))
	f.Add("3101130030", "05.02", "nobody", "x", "y", byte(255))
	dir := loadDirectory(f)
	withObjection := Shanghai()
	withObjection.ObjectionAuthority = "sh-office"
	routers := []*Router{newRouter(f, dir, Shanghai()), newRouter(f, dir, Hebi()), newRouter(f, dir, StreetHotline()), newRouter(f, dir, withObjection)}
	f.Fuzz(func(t *testing.T, place, matters, exclude, returner, suggested string, flags byte) {
		req := Request{Place: RegionCode(place)}
		if all := Kinds(); int(flags%8) < len(all) {
			req.Kind = all[flags%8]
		} else if flags%8 == 7 {
			req.Kind = "help" // the old wire value: refused
		}
		for m := range strings.SplitSeq(matters, ",") {
			req.Matters = append(req.Matters, MatterCode(m))
		}
		if exclude != "" {
			req.Exclude = []string{exclude}
		}
		if returner != "" {
			req.Returns = append(req.Returns, Return{Unit: returner, SuggestedUnit: suggested, Upheld: flags&8 != 0})
			if flags&16 != 0 && suggested != "" {
				req.Returns = append(req.Returns, Return{Unit: suggested, SuggestedUnit: returner, Upheld: flags&32 != 0})
			}
		}
		d, err := routers[int(flags>>6)%len(routers)].Route(req)
		if err != nil {
			return
		}
		checkInvariants(t, dir, req, d)
	})
}

func FuzzParsePolicy(f *testing.F) {
	for _, p := range Presets() {
		b, err := json.Marshal(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"fallback_level": "乡级", "objection_authority": "sh-office", "max_returns": 0}`))
	f.Add([]byte(`{"fallback_level": "village"}`))
	f.Add([]byte(`{"fallback_level": 3}`))
	// Seeds from issue 9: huge counts, trailing data, duplicate and
	// case-variant keys.
	f.Add([]byte(`{"name": "x", "fallback_level": "county", "max_returns": 9223372036854775807, "buck_passing_bounces": -9223372036854775808}`))
	f.Add([]byte(`{"name": "x", "fallback_level": "county", "max_returns": 1e400}`))
	f.Add([]byte(`{"name": "x", "fallback_level": "county"}}`))
	f.Add([]byte(`{"name": "x", "name": "y", "fallback_level": "county"}`))
	f.Add([]byte(`{"NAME": "x", "fallback_level": "county"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := ReadPolicy(bytes.NewReader(data)); err != nil && !errors.Is(err, ErrInvalidPolicy) {
			t.Fatalf("ReadPolicy error does not wrap ErrInvalidPolicy: %v", err)
		}
		p, err := ParsePolicy(data)
		if err != nil {
			if !errors.Is(err, ErrInvalidPolicy) {
				t.Fatalf("error does not wrap ErrInvalidPolicy: %v", err)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("accepted an invalid policy: %v", err)
		}
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParsePolicy(b)
		if err != nil || back != p {
			t.Fatalf("round trip: %+v → %s → %+v, %v", p, b, back, err)
		}
	})
}

func gzipOf(tb testing.TB, data []byte) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}
