package web_test

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/hotline12345/hotline/server/web"
)

func ExampleWorkdays() {
	fmt.Println(web.Workdays(2))
	fmt.Println(web.Workdays(-1))
	// Output:
	// 剩 2 个工作日
	// 超期 1 个工作日
}

func ExamplePages_Render() {
	p, err := web.New()
	if err != nil {
		panic(err)
	}
	var b bytes.Buffer
	err = p.Render(&b, "rate_done", map[string]any{"Title": "感谢您的评价", "Data": map[string]any{"Message": "已收到。"}})
	fmt.Println(err, strings.Contains(b.String(), "<h1>感谢您的评价</h1>"), strings.HasPrefix(b.String(), "<!DOCTYPE html>"))
	// Output: <nil> true true
}
