package report

import (
	"embed"
	"fmt"
	"html/template"
	"io"

	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/server/ledger"
)

// Sheet layouts of the workbook.
var (
	summarySheet = ledger.Sheet{Name: "概况", Columns: []ledger.Column{{Header: "项目", Width: 16}, {Header: "内容", Width: 80}}}
	unitSheet    = ledger.Sheet{Name: "单位指标", Columns: []ledger.Column{
		{Header: "单位", Width: 14}, {Header: "单位名称", Width: 22}, {Header: "受理量", Kind: ledger.Int},
		{Header: "先行联系率", Width: 18}, {Header: "按期办结率", Width: 18}, {Header: "实际解决率", Width: 18}, {Header: "满意率", Width: 18},
		{Header: "回访率", Width: 18}, {Header: "逾期办件量", Kind: ledger.Int}, {Header: "退单数", Kind: ledger.Int},
		{Header: "重复投诉数", Kind: ledger.Int}, {Header: "不满退回数", Kind: ledger.Int}, {Header: "督办次数", Kind: ledger.Int},
		{Header: "评价数", Kind: ledger.Int}, {Header: "差评数", Kind: ledger.Int}, {Header: "差评整改率", Width: 18},
		{Header: "好差评满意率", Width: 18}, {Header: "综合得分", Width: 10}, {Header: "排名", Width: 8}, {Header: "说明", Width: 36},
	}}
	rankingSheet = ledger.Sheet{Name: "综合排名", Columns: []ledger.Column{
		{Header: "名次", Kind: ledger.Int, Width: 8}, {Header: "单位", Width: 14}, {Header: "单位名称", Width: 22},
		{Header: "综合得分", Width: 10}, {Header: "样本量", Kind: ledger.Int}, {Header: "说明", Width: 40},
	}}
	countSheet = ledger.Sheet{Name: "分类统计", Columns: []ledger.Column{
		{Header: "范围", Width: 22}, {Header: "维度", Width: 8}, {Header: "代码", Width: 16}, {Header: "项目", Width: 30}, {Header: "件数", Kind: ledger.Int},
	}}
)

func rows(rs []ledger.Row) ledger.Rows {
	return func(yield func(ledger.Row, error) bool) {
		for _, r := range rs {
			if !yield(r, nil) {
				return
			}
		}
	}
}

// Summary lists the report's heading facts and the figures that make it checkable: the scheme and
// its version, the digests and the audit chain's head.
func (r *Report) Summary() [][2]string {
	scope := "全部单位"
	if r.Unit != "" {
		scope = r.Name(r.Unit) + "（" + r.Unit + "）"
	}
	loc := deadline.Location()
	return [][2]string{
		{"报告", r.Title + " " + r.Period.Label + " 月度通报"},
		{"范围", scope},
		{"统计周期", r.Period.Start.In(loc).Format("2006-01-02") + " 至 " + r.Period.End.In(loc).AddDate(0, 0, -1).Format("2006-01-02")},
		{"计算时间", r.AsOf.In(loc).Format(ledger.TimeLayout)},
		{"考核方案", fmt.Sprintf("%s（%s，版本 %s，%s）", r.Scheme.Label, r.Scheme.Name, r.Scheme.Version, r.Scheme.Source)},
		{"受理量", fmt.Sprint(r.District.Counts.Received)},
		{"未派单", fmt.Sprint(r.Undispatched)},
		{"摘要算法", string(r.Result.Algorithm)},
		{"输入摘要", r.Result.InputDigest},
		{"方案摘要", r.Result.SchemeDigest},
		{"结果摘要", r.Result.Digest},
		{"审计链", fmt.Sprintf("%d 条，链头 %s", r.Chain.Size, r.Chain.Head)},
	}
}

// unitRow is a section's row of the unit sheet.
func unitRow(s Section) ledger.Row {
	x := s.Indicators
	total, rank, reason := "", "", ""
	if s.Total != nil {
		total = s.Total.Text(2)
	}
	if s.Standing != nil {
		if s.Standing.Rank > 0 {
			rank = fmt.Sprint(s.Standing.Rank)
		} else {
			rank = "不排名"
		}
		reason = s.Standing.Reason
	}
	unit := s.Unit
	if unit == "" {
		unit = "合计"
	}
	return ledger.Row{unit, s.Name, x.Received, RateText(x.FirstContact), RateText(x.OnTime), RateText(x.Resolution),
		RateText(x.Satisfaction), RateText(x.CallbackCoverage), x.Overdue, x.Returns, x.Repeats, x.Reopens, x.Supervisions,
		x.Reviews, x.BadReviews, RateText(x.Rectification), RateText(x.ReviewSatisfaction), total, rank, reason}
}

// UnitRows are the rows of the unit sheet: each unit's section, then the district's total (for the
// district report).
func (r *Report) UnitRows() []ledger.Row {
	var out []ledger.Row
	for _, s := range r.Units {
		out = append(out, unitRow(s))
	}
	if r.Unit == "" {
		out = append(out, unitRow(r.District))
	}
	return out
}

// RankingRows are the rows of the ranking sheet: the ranked units in order, then those not ranked.
func (r *Report) RankingRows() []ledger.Row {
	var out []ledger.Row
	for _, s := range append(append([]assess.Standing{}, r.Result.Ranking.Ranked...), r.Result.Ranking.NotRanked...) {
		var rank any
		if s.Rank > 0 {
			rank = s.Rank
		}
		out = append(out, ledger.Row{rank, s.Unit, r.Name(s.Unit), s.Total.Text(2), s.Sample, s.Reason})
	}
	return out
}

// CountRows are the rows of the counts sheet: the district's (or the unit's) tickets by kind, channel
// and matter.
func (r *Report) CountRows() []ledger.Row {
	var out []ledger.Row
	add := func(scope string, c Counts) {
		for _, g := range []struct {
			dim string
			cs  []Count
		}{{"类型", c.ByKind}, {"渠道", c.ByChannel}, {"事项", c.ByMatter}} {
			for _, x := range g.cs {
				out = append(out, ledger.Row{scope, g.dim, x.Key, x.Label, x.N})
			}
		}
	}
	if r.Unit == "" {
		add(r.Title+"（合计）", r.District.Counts)
	}
	for _, s := range r.Units {
		add(s.Name, s.Counts)
	}
	return out
}

// WriteXLSX writes the report as a workbook of four sheets: 概况, 单位指标, 综合排名, 分类统计.
func (r *Report) WriteXLSX(w io.Writer) error {
	wb, err := ledger.NewWorkbook()
	if err != nil {
		return err
	}
	defer wb.Close()
	var summary []ledger.Row
	for _, kv := range r.Summary() {
		summary = append(summary, ledger.Row{kv[0], kv[1]})
	}
	for _, s := range []struct {
		sheet ledger.Sheet
		rows  []ledger.Row
	}{{summarySheet, summary}, {unitSheet, r.UnitRows()}, {rankingSheet, r.RankingRows()}, {countSheet, r.CountRows()}} {
		if _, err := wb.AddSheet(s.sheet, rows(s.rows)); err != nil {
			return err
		}
	}
	if _, err := wb.WriteTo(w); err != nil {
		return err
	}
	return wb.Close()
}

//go:embed report.html
var templates embed.FS

var page = template.Must(template.New("report.html").Funcs(template.FuncMap{
	"rate":  RateText,
	"fixed": func(f assess.Fixed) string { return f.Text(2) },
}).ParseFS(templates, "report.html"))

// WriteHTML writes the report as a printable Chinese HTML page (A4, no external assets).
func (r *Report) WriteHTML(w io.Writer) error {
	return page.Execute(w, struct {
		*Report
		SummaryRows                           [][2]string
		UnitHead, RankHead, CountHead         []string
		UnitRowsHTML, RankRowsHTML, CountRows []ledger.Row
	}{r, r.Summary(), headers(unitSheet), headers(rankingSheet), headers(countSheet), r.UnitRows(), r.RankingRows(), r.CountRows()})
}

func headers(s ledger.Sheet) []string {
	out := make([]string, len(s.Columns))
	for i, c := range s.Columns {
		out[i] = c.Header
	}
	return out
}
