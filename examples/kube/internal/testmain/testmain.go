// Package testmain is the TestMain the differential suites share: it
// silences the Kubernetes controllers' logging (they log what they find odd
// on every pass; the suites compare what they do instead) and runs each
// rapid property a suite-chosen number of times unless -rapid.checks says
// otherwise.
package testmain

import (
	"flag"
	"io"
	"testing"

	"k8s.io/klog/v2"
)

// Run parses the flags, sets -rapid.checks to checks unless it was given,
// runs the tests and returns their exit code.
func Run(m *testing.M, checks string) int {
	fs := flag.NewFlagSet("klog", flag.ContinueOnError)
	klog.InitFlags(fs)
	for k, v := range map[string]string{"logtostderr": "false", "alsologtostderr": "false", "stderrthreshold": "FATAL"} {
		if err := fs.Set(k, v); err != nil {
			panic(err)
		}
	}
	klog.SetOutput(io.Discard)
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "rapid.checks" })
	if !set && flag.Lookup("rapid.checks") != nil { // a suite without rapid has no such flag
		if err := flag.Set("rapid.checks", checks); err != nil {
			panic(err)
		}
	}
	return m.Run()
}
