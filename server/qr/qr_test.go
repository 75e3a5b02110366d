package qr_test

import (
	"bytes"
	"encoding/xml"
	"image"
	"image/color"
	"image/png"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	gozxingqr "github.com/makiuchi-d/gozxing/qrcode"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/server/qr"
)

const url = "https://hotline.example.gov.cn/public/windows/bs-03?staff=0301"

// decode reads a code back with a pure-Go decoder (gozxing, test only).
func decode(t testing.TB, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	require.NoError(t, err)
	res, err := gozxingqr.NewQRCodeReader().Decode(bmp, nil)
	require.NoError(t, err)
	return res.GetText()
}

// The PNG decodes back to the window's URL (001 (四)).
func TestPNGDecodes(t *testing.T) {
	for _, size := range []int{qr.MinSize * 2, 256, 1024} {
		b, err := qr.PNG(url, size)
		require.NoError(t, err)
		img, err := png.Decode(bytes.NewReader(b))
		require.NoError(t, err)
		assert.Equal(t, size, img.Bounds().Dx())
		assert.Equal(t, url, decode(t, img), "size %d", size)
	}
}

var run = regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-(\d+)z`)

// rasterize paints the SVG's runs, scale pixels a module, the way a viewer would.
func rasterize(t testing.TB, svg []byte, scale int) image.Image {
	t.Helper()
	m := regexp.MustCompile(`viewBox="0 0 (\d+) (\d+)"`).FindSubmatch(svg)
	require.NotNil(t, m)
	n, _ := strconv.Atoi(string(m[1]))
	img := image.NewGray(image.Rect(0, 0, n*scale, n*scale))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for _, r := range run.FindAllSubmatch(svg, -1) {
		x, _ := strconv.Atoi(string(r[1]))
		y, _ := strconv.Atoi(string(r[2]))
		w, _ := strconv.Atoi(string(r[3]))
		for dy := range scale {
			for dx := range w * scale {
				img.SetGray(x*scale+dx, y*scale+dy, color.Gray{})
			}
		}
	}
	return img
}

// The SVG is well-formed and, drawn, decodes back to the same URL.
func TestSVGDecodes(t *testing.T) {
	svg, err := qr.SVG(url)
	require.NoError(t, err)
	require.NoError(t, wellFormed(svg))
	assert.True(t, bytes.HasPrefix(svg, []byte(`<svg xmlns="http://www.w3.org/2000/svg"`)))
	assert.Equal(t, url, decode(t, rasterize(t, svg, 6)))
	cjk := "https://hotline.example.gov.cn/public/windows/宝山-03"
	svg, err = qr.SVG(cjk)
	require.NoError(t, err)
	assert.Equal(t, cjk, decode(t, rasterize(t, svg, 6)))
}

func wellFormed(b []byte) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := d.Token()
		if err != nil {
			if err.Error() == "EOF" {
				return nil
			}
			return err
		}
	}
}

func TestRefusals(t *testing.T) {
	for name, f := range map[string]func() error{
		"empty":     func() error { _, err := qr.SVG(""); return err },
		"too long":  func() error { _, err := qr.SVG(strings.Repeat("x", qr.MaxContent+1)); return err },
		"bad utf-8": func() error { _, err := qr.PNG("\xff", 256); return err },
		"too small": func() error { _, err := qr.PNG(url, qr.MinSize-1); return err },
		"too large": func() error { _, err := qr.PNG(url, qr.MaxSize+1); return err },
	} {
		assert.ErrorIs(t, f(), qr.ErrInvalid, name)
	}
}
