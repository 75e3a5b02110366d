package attach

import (
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxNameBytes bounds a cleaned file name.
const MaxNameBytes = 200

// DefaultName is the name of a file whose own name cleans to nothing.
const DefaultName = "附件"

// reserved are the device names Windows will not open as files, whatever their extension.
var reserved = map[string]bool{"CON": true, "PRN": true, "AUX": true, "NUL": true,
	"COM1": true, "COM2": true, "COM3": true, "COM4": true, "COM5": true, "COM6": true, "COM7": true, "COM8": true, "COM9": true,
	"LPT1": true, "LPT2": true, "LPT3": true, "LPT4": true, "LPT5": true, "LPT6": true, "LPT7": true, "LPT8": true, "LPT9": true}

// CleanName returns a name safe to store, show and offer for download: the last element of a path
// (either separator), in Unicode NFC, without control, format (zero-width, bidirectional override)
// or line-separator characters, with the characters Windows forbids ( < > : " | ? * ) replaced by _,
// runs of white space as one space, no leading or trailing dots or spaces, a reserved device name
// (CON, NUL, COM1…) prefixed with _, at most [MaxNameBytes] bytes (the extension kept), and
// [DefaultName] when nothing is left. Chinese names stay as they are.
func CleanName(name string) string {
	name = strings.ToValidUTF8(name, "_")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = norm.NFC.String(name)
	var b strings.Builder
	space := false
	for _, r := range name {
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r), unicode.Is(unicode.Zl, r), unicode.Is(unicode.Zp, r),
			r == utf8.RuneError, unicode.Is(unicode.Co, r):
			continue
		case strings.ContainsRune(`<>:"|?*`, r):
			r = '_'
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	name = strings.Trim(b.String(), ". ")
	if name == "" {
		return DefaultName
	}
	base, _, _ := strings.Cut(name, ".")
	if reserved[strings.ToUpper(strings.TrimSpace(base))] {
		name = "_" + name
	}
	if len(name) > MaxNameBytes {
		ext := path.Ext(name)
		if len(ext) > 16 {
			ext = ""
		}
		cut := MaxNameBytes - len(ext)
		for cut > 0 && !utf8.RuneStart(name[cut]) {
			cut--
		}
		name = strings.TrimRight(name[:cut], ". ") + ext
	}
	return name
}

// extensions are the extensions a name may have for a sniffed type, the first the one [NameFor]
// adds.
var extensions = map[string][]string{
	TypePDF:  {".pdf"},
	TypeOFD:  {".ofd"},
	TypePNG:  {".png"},
	TypeJPEG: {".jpg", ".jpeg", ".jpe"},
	TypeGIF:  {".gif"},
	TypeWebP: {".webp"},
	TypeZip:  {".zip"},
	TypeText: {".txt"},
}

// NameFor returns [CleanName](name), with the extension of the sniffed type t appended when the
// name claims another (报告.exe holding a PDF is offered as 报告.exe.pdf), so that the name a
// downloader sees never contradicts the content.
func NameFor(name, t string) string {
	name = CleanName(name)
	exts, ok := extensions[t]
	if !ok {
		return name
	}
	ext := strings.ToLower(path.Ext(name))
	for _, e := range exts {
		if ext == e {
			return name
		}
	}
	if len(name)+len(exts[0]) > MaxNameBytes {
		cut := MaxNameBytes - len(exts[0])
		for cut > 0 && !utf8.RuneStart(name[cut]) {
			cut--
		}
		name = strings.TrimRight(name[:cut], ". ")
	}
	return name + exts[0]
}
