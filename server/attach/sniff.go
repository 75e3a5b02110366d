package attach

import (
	"bytes"
	"encoding/binary"
	"mime"
	"net/http"
)

// The media types [Sniff] names that the presets accept.
const (
	TypePDF  = "application/pdf"
	TypeOFD  = "application/ofd" // 版式文档 OFD, GB/T 33190: a ZIP container whose first entry is OFD.xml
	TypePNG  = "image/png"
	TypeJPEG = "image/jpeg"
	TypeGIF  = "image/gif"
	TypeWebP = "image/webp"
	TypeZip  = "application/zip"
	TypeText = "text/plain"
)

// SniffLen is how many leading bytes [Sniff] looks at.
const SniffLen = 512

// executableTypes are the types [Sniff] gives programs: never accepted, whatever a policy lists.
var executableTypes = []string{
	"application/x-executable",  // ELF
	"application/x-msdownload",  // PE / MS-DOS (MZ)
	"application/x-mach-binary", // Mach-O
	"application/java-vm",       // Java class, or a fat Mach-O (both start CA FE BA BE)
	"text/x-shellscript",        // #! scripts
	"application/wasm",          // WebAssembly
	"application/x-dex",         // Android Dalvik
	"application/x-ms-shortcut", // Windows .lnk, which runs what it points to
}

// magics are the signatures Sniff checks before net/http's table, most specific first.
var magics = []struct {
	prefix []byte
	typ    string
}{
	{[]byte("\x7fELF"), "application/x-executable"},
	{[]byte("MZ"), "application/x-msdownload"},
	{[]byte{0xfe, 0xed, 0xfa, 0xce}, "application/x-mach-binary"},
	{[]byte{0xfe, 0xed, 0xfa, 0xcf}, "application/x-mach-binary"},
	{[]byte{0xce, 0xfa, 0xed, 0xfe}, "application/x-mach-binary"},
	{[]byte{0xcf, 0xfa, 0xed, 0xfe}, "application/x-mach-binary"},
	{[]byte{0xca, 0xfe, 0xba, 0xbe}, "application/java-vm"},
	{[]byte("#!"), "text/x-shellscript"},
	{[]byte("\x00asm"), "application/wasm"},
	{[]byte("dex\n"), "application/x-dex"},
	{[]byte{0x4c, 0x00, 0x00, 0x00, 0x01, 0x14, 0x02, 0x00}, "application/x-ms-shortcut"},
	{[]byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}, "application/x-ole-storage"},
	{[]byte("%PDF-"), TypePDF},
}

// Sniff returns the media type of content beginning with head (its first [SniffLen] bytes, or all
// of it when shorter), read from the bytes alone: the signatures of programs (refused with a
// [*TypeError] wrapping [ErrExecutable]), PDF, OFD (a ZIP whose first entry is OFD.xml) and OLE
// compound files, then net/http's DetectContentType (PNG, JPEG, GIF, WebP, ZIP, text, HTML…), without
// parameters. A name or a declared Content-Type plays no part.
func Sniff(head []byte) (string, error) {
	if len(head) > SniffLen {
		head = head[:SniffLen]
	}
	for _, m := range magics {
		if bytes.HasPrefix(head, m.prefix) {
			if isExecutable(m.typ) {
				return m.typ, &TypeError{Type: m.typ, err: ErrExecutable}
			}
			return m.typ, nil
		}
	}
	if name, ok := zipFirstName(head); ok {
		if name == "OFD.xml" {
			return TypeOFD, nil
		}
		return TypeZip, nil
	}
	t, _, err := mime.ParseMediaType(http.DetectContentType(head))
	if err != nil {
		return "application/octet-stream", nil
	}
	return t, nil
}

func isExecutable(t string) bool {
	for _, e := range executableTypes {
		if e == t {
			return true
		}
	}
	return false
}

// zipFirstName returns the name of the first entry of a ZIP local file header at the start of head.
func zipFirstName(head []byte) (string, bool) {
	const fixed = 30
	if len(head) < fixed || !bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return "", false
	}
	n := int(binary.LittleEndian.Uint16(head[26:28]))
	if fixed+n > len(head) {
		return "", true
	}
	return string(head[fixed : fixed+n]), true
}
