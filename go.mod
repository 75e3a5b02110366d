module github.com/hotline12345/hotline

go 1.26.0

require (
	github.com/emmansun/gmsm v0.44.0
	github.com/stretchr/testify v1.12.1
)

require (
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/text v0.44.0 // indirect
)
