// Package programs holds, as runnable examples, the first programs people
// write with purectl, each against the public API only: an autoscaler asking
// which daemon pods a new node would get, a batch runner driving an Indexed
// Job to completion, and a CronJob catching up after its controller was down
// for a weekend. `go test ./examples/programs` runs them and checks their
// output.
package programs
