// Package bench runs purectl and the equivalent Kubernetes helper paths in
// one benchmark run, so that their ratio is measured on the same machine at
// the same time. `go test -bench . ./bench/` prints both sides.
package bench
