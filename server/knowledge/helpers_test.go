package knowledge_test

import (
	"io"

	"github.com/xuri/excelize/v2"
)

// writeSheet writes rows as a one-sheet workbook, for the refusal tests.
func writeSheet(w io.Writer, rows [][]any) error {
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return err
		}
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			return err
		}
	}
	return f.Write(w)
}
