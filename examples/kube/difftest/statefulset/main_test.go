package statefulsetdiff

import (
	"flag"
	"io"
	"os"
	"testing"

	"k8s.io/klog/v2"
)

// TestMain runs each trajectory property 100 times (100 trajectories of 20
// to 30 passes: over 2,000 passes) unless -rapid.checks says otherwise; the
// long campaign is -rapid.checks=5000.
func TestMain(m *testing.M) {
	// The controller logs what it finds odd (an unknown retention policy);
	// the suite compares what it does instead.
	klog.LogToStderr(false)
	klog.SetOutput(io.Discard)
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "rapid.checks" })
	if !set {
		if err := flag.Set("rapid.checks", "100"); err != nil {
			panic(err)
		}
	}
	os.Exit(m.Run())
}
