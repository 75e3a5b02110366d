package demo

import (
	"bytes"
	"embed"
	"fmt"
	"slices"

	"github.com/hotline12345/hotline/routing"
)

//go:embed data/shanghai-counties.csv data/shanghai-310113.csv data/directory.json
var data embed.FS

// District is the region code of 宝山区 and Street that of 友谊路街道 (统计用区划代码 2023).
const (
	District = "310113"
	Street   = "310113003"
)

// Directory returns the demo district's directory: the region tree (上海市's districts and every
// division of 宝山区), the dispatch catalogue and the units.
func Directory() (*routing.Directory, error) {
	counties, err := data.ReadFile("data/shanghai-counties.csv")
	if err != nil {
		return nil, err
	}
	baoshan, err := data.ReadFile("data/shanghai-310113.csv")
	if err != nil {
		return nil, err
	}
	tree, err := routing.ReadRegions(bytes.NewReader(counties), bytes.NewReader(baoshan))
	if err != nil {
		return nil, fmt.Errorf("demo: regions: %w", err)
	}
	dir, err := data.ReadFile("data/directory.json")
	if err != nil {
		return nil, err
	}
	d, err := routing.ReadDirectory(bytes.NewReader(dir), tree)
	if err != nil {
		return nil, fmt.Errorf("demo: directory: %w", err)
	}
	return d, nil
}

// lists returns the directory's regions, matters and units as the store takes them.
func lists(d *routing.Directory) ([]routing.Region, []routing.Matter, []routing.Unit) {
	regions := slices.Collect(d.Tree().All())
	matters := slices.Collect(d.Matters())
	units := slices.Collect(d.Units())
	return regions, matters, units
}
