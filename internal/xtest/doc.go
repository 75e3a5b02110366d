// Package xtest holds the test fixtures that tests in several of the module's packages need alike,
// so that each is written once: [Stream], a large file made as it is read, and [PeakHeap], the most
// a piece of code grew the heap by. It is imported by tests only.
package xtest
