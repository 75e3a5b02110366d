module github.com/hotline12345/hotline

go 1.26

require (
	github.com/emmansun/gmsm v0.44.0 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/stretchr/testify v1.12.1 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
)
