package qr_test

import (
	"bytes"
	"fmt"

	"github.com/hotline12345/hotline/server/qr"
)

// A window's code as SVG, for the printable sheet of a hall (version 5 at level High: 37 modules and
// the 4-module quiet zone on each side), and as PNG.
func ExampleSVG() {
	svg, err := qr.SVG("https://hotline.example.gov.cn/public/windows/bs-03")
	fmt.Println(err, bytes.HasPrefix(svg, []byte("<svg")), bytes.Contains(svg, []byte(`viewBox="0 0 45 45"`)))
	png, err := qr.PNG("https://hotline.example.gov.cn/public/windows/bs-03", 256)
	fmt.Println(err, bytes.HasPrefix(png, []byte("\x89PNG")))
	// Output:
	// <nil> true true
	// <nil> true
}
