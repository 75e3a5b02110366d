package textnorm_test

import (
	"fmt"

	"github.com/hotline12345/hotline/ticket/internal/textnorm"
)

func ExampleString() {
	// Full width, case, a Kangxi-radical twin (⺠ for 民) and punctuation all fold away, so a word
	// list matches however the citizen or an evader typed it (002 §5).
	fmt.Println(textnorm.String("⺠族 分裂！ＡＢＣ"))
	r, ok := textnorm.Radical('⺠')
	fmt.Println(string(r), ok)
	// Output:
	// 民族分裂abc
	// 民 true
}
