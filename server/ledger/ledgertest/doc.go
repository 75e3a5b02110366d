// Package ledgertest is what a test of a ledger export needs to check a file against the rows it was
// written from: [Text], how a row's value reads back from the CSV or XLSX file. It is imported by
// tests only (the ledger package's own and the API's).
package ledgertest
