package attach_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/internal/strictjson/strictjsontest"
	"github.com/hotline12345/hotline/internal/xtest"
	"github.com/hotline12345/hotline/server/attach"
)

// Fixtures: the first bytes of real files of each kind.
var (
	pdf  = []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
	png  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
	jpeg = []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
	elf  = append([]byte("\x7fELF\x02\x01\x01\x00"), make([]byte, 56)...)
	pe   = append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 56)...)
)

// zipWith returns the start of a ZIP whose first entry is named name.
func zipWith(name string) []byte {
	h := []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00")
	h = append(h, make([]byte, 16)...)
	h = append(h, byte(len(name)), 0, 0, 0)
	return append(h, name...)
}

func TestSniff(t *testing.T) {
	tests := []struct {
		name string
		head []byte
		want string
		err  error
	}{
		{"PDF", pdf, attach.TypePDF, nil},
		{"PNG", png, attach.TypePNG, nil},
		{"JPEG", jpeg, attach.TypeJPEG, nil},
		{"OFD is a ZIP whose first entry is OFD.xml (GB/T 33190)", zipWith("OFD.xml"), attach.TypeOFD, nil},
		{"another ZIP", zipWith("word/document.xml"), attach.TypeZip, nil},
		{"ELF", elf, "application/x-executable", attach.ErrExecutable},
		{"PE", pe, "application/x-msdownload", attach.ErrExecutable},
		{"Mach-O 64", []byte{0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1}, "application/x-mach-binary", attach.ErrExecutable},
		{"Java class", []byte{0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52}, "application/java-vm", attach.ErrExecutable},
		{"shell script", []byte("#!/bin/sh\nrm -rf /\n"), "text/x-shellscript", attach.ErrExecutable},
		{"WebAssembly", []byte("\x00asm\x01\x00\x00\x00"), "application/wasm", attach.ErrExecutable},
		{"Windows shortcut", []byte{0x4c, 0, 0, 0, 1, 0x14, 2, 0, 0, 0}, "application/x-ms-shortcut", attach.ErrExecutable},
		{"HTML is not trusted as anything else", []byte("<html><script>alert(1)</script>"), "text/html", nil},
		{"plain text", []byte("办结报告：已处理。"), attach.TypeText, nil},
		{"a PDF claim after other bytes is not a PDF", append([]byte("MZ"), pdf...), "application/x-msdownload", attach.ErrExecutable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := attach.Sniff(tt.head)
			assert.Equal(t, tt.want, got)
			if tt.err == nil {
				assert.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.err)
			var te *attach.TypeError
			require.ErrorAs(t, err, &te)
			assert.Contains(t, err.Error(), "whatever the file is called")
		})
	}
}

func TestCleanName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"办结报告.pdf", "办结报告.pdf"},
		{"../../etc/passwd", "passwd"},
		{`C:\Users\张三\报告.pdf`, "报告.pdf"},
		{"report\u202egnp.exe", "reportgnp.exe"}, // the right-to-left override that disguises .exe
		{"a\x00b\nc\td.pdf", "ab c d.pdf"},
		{"  ..hidden.pdf..  ", "hidden.pdf"},
		{"con.pdf", "_con.pdf"},
		{"LPT1", "_LPT1"},
		{`what?<is>this:"|*.pdf`, "what__is_this____.pdf"},
		{"", attach.DefaultName},
		{"...", attach.DefaultName},
		{"\xff\xfe.pdf", "_.pdf"},
		{"e\u0301.pdf", "\u00e9.pdf"}, // NFC
		{strings.Repeat("长", 100) + ".pdf", strings.Repeat("长", 65) + ".pdf"},
	}
	for _, tt := range tests {
		got := attach.CleanName(tt.in)
		assert.Equal(t, tt.want, got, "%q", tt.in)
		assert.LessOrEqual(t, len(got), attach.MaxNameBytes)
	}
}

func TestNameFor(t *testing.T) {
	tests := []struct{ name, typ, want string }{
		{"报告.pdf", attach.TypePDF, "报告.pdf"},
		{"报告.PDF", attach.TypePDF, "报告.PDF"},
		{"报告.exe", attach.TypePDF, "报告.exe.pdf"},
		{"photo.jpeg", attach.TypeJPEG, "photo.jpeg"},
		{"photo", attach.TypePNG, "photo.png"},
		{"", attach.TypeOFD, attach.DefaultName + ".ofd"},
		{"x.bin", "application/x-unknown", "x.bin"},
		{strings.Repeat("长", 66) + ".exe", attach.TypePDF, strings.Repeat("长", 65) + ".pdf"},
	}
	for _, tt := range tests {
		got := attach.NameFor(tt.name, tt.typ)
		assert.Equal(t, tt.want, got, tt.name)
		assert.LessOrEqual(t, len(got), attach.MaxNameBytes)
	}
}

// 000 §4 (三): 国办转办投诉建议办结报告经本单位分管领导审核盖章，审核文档以附件上传; 000 §6 (一): 提供书面申辩和举证.
func TestCheckRequirements(t *testing.T) {
	p := attach.Shanghai()
	assert.False(t, p.Requires(attach.SubjectAppeal, "file"), "000 §6 (一) does not say the evidence is uploaded")
	p.Required = append(p.Required, attach.AppealEvidenceOnFile())
	require.NoError(t, p.Validate())
	sc := []attach.Trait{attach.TraitStateCouncil}
	tests := []struct {
		name    string
		facts   attach.Facts
		missing attach.Purpose
		source  string
	}{
		{"000 §4 (三): a 国办 reply without its stamped report", attach.Facts{Subject: attach.SubjectTicket, Action: "reply", Traits: sc},
			attach.PurposeStampedReport, "000 §4 (三)"},
		{"000 §4 (三): a general attachment is not the stamped report", attach.Facts{Subject: attach.SubjectTicket, Action: "reply", Traits: sc,
			Present: []attach.Purpose{attach.PurposeGeneral}}, attach.PurposeStampedReport, "000 §4 (三)"},
		{"000 §4 (三): a 国办 reply with its stamped report", attach.Facts{Subject: attach.SubjectTicket, Action: "reply", Traits: sc,
			Present: []attach.Purpose{attach.PurposeGeneral, attach.PurposeStampedReport}}, "", ""},
		{"a reply to another ticket needs nothing", attach.Facts{Subject: attach.SubjectTicket, Action: "reply"}, "", ""},
		{"another action on a 国办 item needs nothing", attach.Facts{Subject: attach.SubjectTicket, Action: "first_contact", Traits: sc}, "", ""},
		{"000 §6 (一): an appeal without evidence", attach.Facts{Subject: attach.SubjectAppeal, Action: "file",
			Present: []attach.Purpose{attach.PurposeDefence}}, attach.PurposeEvidence, "000 §6 (一)"},
		{"000 §6 (一): an appeal with evidence", attach.Facts{Subject: attach.SubjectAppeal, Action: "file",
			Present: []attach.Purpose{attach.PurposeEvidence}}, "", ""},
		{"an objection needs nothing under 000", attach.Facts{Subject: attach.SubjectObjection, Action: "file"}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := p.Check(tt.facts)
			if tt.missing == "" {
				assert.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, attach.ErrMissing)
			var me *attach.MissingError
			require.ErrorAs(t, err, &me)
			assert.Equal(t, tt.missing, me.Purpose)
			assert.Equal(t, tt.source, me.Source)
			assert.Contains(t, err.Error(), tt.missing.Label())
		})
	}
	assert.True(t, p.Requires(attach.SubjectTicket, "reply"))
	assert.False(t, p.Requires(attach.SubjectTicket, "dispatch"))
}

func TestPolicyValidate(t *testing.T) {
	for _, p := range attach.Presets() {
		require.NoError(t, p.Validate(), p.Name)
	}
	tests := []struct {
		name, field string
		edit        func(*attach.Policy)
	}{
		{"no name", "name", func(p *attach.Policy) { p.Name = " " }},
		{"no limit", "max_bytes", func(p *attach.Policy) { p.MaxBytes = 0 }},
		{"limit too large", "max_bytes", func(p *attach.Policy) { p.MaxBytes = attach.MaxMaxBytes + 1 }},
		{"no types", "types", func(p *attach.Policy) { p.Types = nil }},
		{"type with parameters", "types[0]", func(p *attach.Policy) { p.Types[0] = "text/plain; charset=utf-8" }},
		{"a program", "types[1]", func(p *attach.Policy) { p.Types[1] = "application/x-executable" }},
		{"listed twice", "types[1]", func(p *attach.Policy) { p.Types[1] = p.Types[0] }},
		{"unknown purpose", "required[0].purpose", func(p *attach.Policy) { p.Required[0].Purpose = "selfie" }},
		{"unknown subject", "required[0].subject", func(p *attach.Policy) { p.Required[0].Subject = "tweet" }},
		{"unknown trait", "required[0].when[0]", func(p *attach.Policy) { p.Required[0].When[0] = "vip" }},
		{"no action", "required[0].action", func(p *attach.Policy) { p.Required[0].Action = "" }},
		{"no article", "required[1].source", func(p *attach.Policy) {
			p.Required = append(p.Required, attach.AppealEvidenceOnFile())
			p.Required[1].Source = ""
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := attach.Shanghai()
			tt.edit(&p)
			err := p.Validate()
			require.ErrorIs(t, err, attach.ErrInvalidPolicy)
			var pe *attach.PolicyError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tt.field, pe.Field)
		})
	}
	_, err := attach.Preset("nowhere")
	require.ErrorIs(t, err, attach.ErrInvalidPolicy)
}

func TestParsePolicy(t *testing.T) {
	valid := []byte(`{"name":"district","max_bytes":1048576,"types":["application/pdf"],
		"required":[{"subject":"ticket","action":"reply","when":["国办转办件"],"purpose":"审核盖章的办结报告","source":"000 §4 (三)"}]}`)
	p, err := attach.ParsePolicy(valid)
	require.NoError(t, err)
	assert.Equal(t, attach.PurposeStampedReport, p.Required[0].Purpose)
	assert.Equal(t, attach.TraitStateCouncil, p.Required[0].When[0])
	_, err = attach.ReadPolicy(bytes.NewReader(valid))
	require.NoError(t, err)
	for _, c := range strictjsontest.Cases(valid, attach.MaxPolicyBytes) {
		t.Run(c.Name, func(t *testing.T) {
			_, err := attach.ParsePolicy(c.Input)
			require.ErrorIs(t, err, attach.ErrInvalidPolicy)
			assert.ErrorIs(t, err, attach.ErrMalformed)
		})
	}
	_, err = attach.ParsePolicy([]byte(`{"name":"x","max_bytes":0,"types":["application/pdf"]}`))
	require.ErrorIs(t, err, attach.ErrInvalidPolicy)
	assert.NotErrorIs(t, err, attach.ErrMalformed)
}

func TestParseMeta(t *testing.T) {
	tests := []struct {
		name                       string
		purpose, file, disposition string
		want                       attach.Meta
		field                      string
	}{
		{"defaults", "", "", "", attach.Meta{Purpose: attach.PurposeGeneral, Name: attach.DefaultName}, ""},
		{"label", "审核盖章的办结报告", "报告.pdf", "", attach.Meta{Purpose: attach.PurposeStampedReport, Name: "报告.pdf"}, ""},
		{"RFC 5987 filename*", "evidence", "", `attachment; filename*=UTF-8''%E4%B8%BE%E8%AF%81.pdf`,
			attach.Meta{Purpose: attach.PurposeEvidence, Name: "举证.pdf"}, ""},
		{"plain filename, path stripped", "", "", `attachment; filename="../a.png"`, attach.Meta{Purpose: attach.PurposeGeneral, Name: "a.png"}, ""},
		{"the name parameter wins", "", "b.png", `attachment; filename="a.png"`, attach.Meta{Purpose: attach.PurposeGeneral, Name: "b.png"}, ""},
		{"unknown purpose", "selfie", "", "", attach.Meta{}, "purpose"},
		{"name not UTF-8", "", "\xff", "", attach.Meta{}, "name"},
		{"name too long", "", strings.Repeat("a", attach.MaxMetaBytes+1), "", attach.Meta{}, "name"},
		{"bad disposition", "", "", `attachment; filename="a`, attach.Meta{}, "Content-Disposition"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := attach.ParseMeta(tt.purpose, tt.file, tt.disposition)
			if tt.field == "" {
				require.NoError(t, err)
				assert.Equal(t, tt.want, m)
				return
			}
			require.ErrorIs(t, err, attach.ErrMalformed)
			var me *attach.MetaError
			require.ErrorAs(t, err, &me)
			assert.Equal(t, tt.field, me.Field)
		})
	}
}

func TestSum(t *testing.T) {
	s := attach.SumOf([]byte("abc"))
	// GB/T 32905 example 1: SM3("abc").
	assert.Equal(t, "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0", s.String())
	back, err := attach.ParseSum(s.String())
	require.NoError(t, err)
	assert.Equal(t, s, back)
	for _, bad := range []string{"", "66C7F0F462EEEDD9D1F2D46BDC10E4E24167C4875CF2F7A2297DA02B8F4BA8E0", strings.Repeat("g", 64), "abc"} {
		_, err := attach.ParseSum(bad)
		assert.ErrorIs(t, err, attach.ErrInvalidSum, bad)
	}
}

// infected refuses any upload containing its signature.
type infected struct{ sig string }

func (s infected) Name() string { return "test scanner" }
func (s infected) Start(context.Context) (attach.Scan, error) {
	return &infectedScan{sig: s.sig}, nil
}

type infectedScan struct {
	sig string
	buf bytes.Buffer
}

func (s *infectedScan) Write(p []byte) (int, error) { return s.buf.Write(p) }
func (s *infectedScan) Verdict() error {
	if strings.Contains(s.buf.String(), s.sig) {
		return &attach.InfectedError{Signature: "EICAR-Test-File"}
	}
	return nil
}

func TestIngest(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	bs, err := attach.NewDir(dir)
	require.NoError(t, err)
	p := attach.Shanghai()
	p.MaxBytes = 4096

	t.Run("a PDF is stored under its SM3 sum and read back verified", func(t *testing.T) {
		b, err := p.Ingest(ctx, bytes.NewReader(pdf), bs, nil)
		require.NoError(t, err)
		assert.Equal(t, attach.SumOf(pdf), b.Sum)
		assert.Equal(t, int64(len(pdf)), b.Size)
		assert.Equal(t, attach.TypePDF, b.Type)
		r, err := bs.Open(ctx, b.Sum)
		require.NoError(t, err)
		got, err := io.ReadAll(attach.Verified(r, b.Sum))
		require.NoError(t, err)
		assert.Equal(t, pdf, got)
		require.NoError(t, r.Close())
	})
	t.Run("the same bytes twice are stored once", func(t *testing.T) {
		_, err := p.Ingest(ctx, bytes.NewReader(png), bs, nil)
		require.NoError(t, err)
		_, err = p.Ingest(ctx, bytes.NewReader(png), bs, nil)
		require.NoError(t, err)
		n := 0
		require.NoError(t, filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && filepath.Base(path) == attach.SumOf(png).String() {
				n++
			}
			return err
		}))
		assert.Equal(t, 1, n)
	})
	tests := []struct {
		name string
		body []byte
		sc   attach.Scanner
		err  error
	}{
		{"an executable named .pdf", elf, nil, attach.ErrExecutable},
		{"a type the policy does not list", []byte("<html>x</html>"), nil, attach.ErrType},
		{"empty", nil, nil, attach.ErrEmpty},
		{"one byte over the limit", append(bytes.Clone(pdf), make([]byte, 4097-len(pdf))...), nil, attach.ErrTooLarge},
		{"a virus", append(bytes.Clone(pdf), "X5O!P%@AP"...), infected{sig: "X5O!P%@AP"}, attach.ErrInfected},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused and nothing is kept", func(t *testing.T) {
			_, err := p.Ingest(ctx, bytes.NewReader(tt.body), bs, tt.sc)
			require.ErrorIs(t, err, tt.err)
			_, err = bs.Open(ctx, attach.SumOf(tt.body))
			assert.ErrorIs(t, err, attach.ErrNotFound)
			left, err := os.ReadDir(filepath.Join(dir, "tmp"))
			require.NoError(t, err)
			assert.Empty(t, left, "staging files left behind")
		})
	}
	t.Run("exactly the limit is accepted", func(t *testing.T) {
		body := append(bytes.Clone(pdf), make([]byte, 4096-len(pdf))...)
		b, err := p.Ingest(ctx, bytes.NewReader(body), bs, nil)
		require.NoError(t, err)
		assert.Equal(t, int64(4096), b.Size)
	})
	t.Run("a blob changed at rest is not passed on", func(t *testing.T) {
		body := append(bytes.Clone(pdf), "original"...)
		b, err := p.Ingest(ctx, bytes.NewReader(body), bs, nil)
		require.NoError(t, err)
		h := b.Sum.String()
		require.NoError(t, os.WriteFile(filepath.Join(dir, h[:2], h[2:4], h), append(bytes.Clone(pdf), "tampered"...), 0o600))
		r, err := bs.Open(ctx, b.Sum)
		require.NoError(t, err)
		defer r.Close()
		_, err = io.ReadAll(attach.Verified(r, b.Sum))
		assert.ErrorIs(t, err, attach.ErrCorrupt)
	})
}

// A 20 MB upload streams: Ingest allocates a small fixed amount whatever the size, never a copy of
// the file.
func TestIngestStreams(t *testing.T) {
	ctx := context.Background()
	bs, err := attach.NewDir(t.TempDir())
	require.NoError(t, err)
	p := attach.Shanghai()
	const size = 20 << 20
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	b, err := p.Ingest(ctx, &xtest.Stream{Head: pdf, N: size}, bs, nil)
	runtime.ReadMemStats(&after)
	require.NoError(t, err)
	assert.Equal(t, int64(size), b.Size)
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("a %d-byte upload allocated %d bytes in total", size, allocated)
	assert.Less(t, allocated, uint64(1<<20), "Ingest must stream, not buffer the file")
}

func FuzzSniff(f *testing.F) {
	for _, s := range [][]byte{pdf, png, jpeg, elf, pe, zipWith("OFD.xml"), zipWith(""), []byte("PK\x03\x04"), {}} {
		f.Add(s)
	}
	p := attach.Shanghai()
	f.Fuzz(func(t *testing.T, head []byte) {
		typ, err := attach.Sniff(head)
		if err == nil && p.Allows(typ) {
			for _, magic := range []string{"\x7fELF", "MZ", "#!"} {
				if bytes.HasPrefix(head, []byte(magic)) {
					t.Fatalf("%q accepted as %s", head, typ)
				}
			}
		}
		if typ == "" {
			t.Fatal("no type")
		}
	})
}

func FuzzCleanName(f *testing.F) {
	for _, s := range []string{"报告.pdf", "../../x", "a\u202eb", "con", "\xff", strings.Repeat("长", 100) + ".pdf", " . "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		got := attach.CleanName(name)
		switch {
		case got == "", len(got) > attach.MaxNameBytes, !utf8.ValidString(got),
			strings.ContainsAny(got, "/\\\x00\n\r<>:\"|?*"), strings.ContainsRune(got, '\u202e'),
			strings.HasPrefix(got, "."), strings.HasSuffix(got, "."), strings.HasPrefix(got, " "):
			t.Fatalf("CleanName(%q) = %q", name, got)
		}
		if again := attach.CleanName(got); again != got {
			t.Fatalf("not idempotent: %q → %q → %q", name, got, again)
		}
		if n := attach.NameFor(name, attach.TypePDF); len(n) > attach.MaxNameBytes || !strings.HasSuffix(strings.ToLower(n), ".pdf") {
			t.Fatalf("NameFor(%q) = %q", name, n)
		}
	})
}

func FuzzParseMeta(f *testing.F) {
	f.Add("stamped_report", "报告.pdf", "")
	f.Add("", "", `attachment; filename*=UTF-8''%E4%B8%BE.pdf`)
	f.Add("举证材料", "", `form-data; name="f"; filename="a\"b.pdf"`)
	f.Fuzz(func(t *testing.T, purpose, name, disposition string) {
		m, err := attach.ParseMeta(purpose, name, disposition)
		if err != nil {
			var me *attach.MetaError
			if !errors.As(err, &me) || me.Field == "" {
				t.Fatalf("error without a field: %v", err)
			}
			return
		}
		if !m.Purpose.Valid() || m.Name == "" || len(m.Name) > attach.MaxNameBytes || strings.ContainsAny(m.Name, "/\\") {
			t.Fatalf("ParseMeta(%q, %q, %q) = %+v", purpose, name, disposition, m)
		}
	})
}

func FuzzParsePolicy(f *testing.F) {
	f.Add([]byte(`{"name":"x","max_bytes":10,"types":["application/pdf"]}`))
	f.Add([]byte(`{"name":"x","max_bytes":10,"types":["application/pdf"],"required":[{"subject":"appeal","action":"file","purpose":"evidence","source":"000"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := attach.ParsePolicy(data)
		if err != nil {
			if !errors.Is(err, attach.ErrInvalidPolicy) {
				t.Fatalf("error not wrapping ErrInvalidPolicy: %v", err)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("parsed an invalid policy: %v", err)
		}
	})
}

// A process killed mid-upload leaves its temporary file; PurgeStaged removes those last written before
// the given instant and leaves uploads in progress, committed blobs and foreign files alone.
func TestDirPurgeStaged(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	bs, err := attach.NewDir(root)
	require.NoError(t, err)
	b, err := attach.Shanghai().Ingest(ctx, bytes.NewReader(pdf), bs, nil)
	require.NoError(t, err)

	cutOff, err := bs.Create(ctx) // never committed nor aborted
	require.NoError(t, err)
	_, err = cutOff.Write([]byte("half an upload"))
	require.NoError(t, err)
	inProgress, err := bs.Create(ctx)
	require.NoError(t, err)
	_, err = inProgress.Write([]byte("still coming"))
	require.NoError(t, err)
	foreign := filepath.Join(root, "tmp", "notes.txt")
	require.NoError(t, os.WriteFile(foreign, []byte("an operator's file"), 0o600))

	tmp, err := os.ReadDir(filepath.Join(root, "tmp"))
	require.NoError(t, err)
	day := time.Now().Add(-25 * time.Hour)
	for _, e := range tmp { // age every staging file but the one in progress, and the foreign file
		info, err := e.Info()
		require.NoError(t, err)
		if info.Size() == int64(len("half an upload")) || e.Name() == "notes.txt" {
			require.NoError(t, os.Chtimes(filepath.Join(root, "tmp", e.Name()), day, day))
		}
	}
	n, err := bs.PurgeStaged(time.Now().Add(-24 * time.Hour))
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	left, err := os.ReadDir(filepath.Join(root, "tmp"))
	require.NoError(t, err)
	assert.Len(t, left, 2, "the upload in progress and the foreign file stay")
	require.NoError(t, inProgress.Commit(ctx, attach.SumOf([]byte("still coming"))))
	r, err := bs.Open(ctx, b.Sum)
	require.NoError(t, err)
	require.NoError(t, r.Close())
}
