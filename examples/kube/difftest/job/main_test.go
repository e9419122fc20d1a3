package jobdiff

import (
	"flag"
	"os"
	"testing"
)

// TestMain runs each property 100 times (100 trajectories of 20 passes:
// 2,000 passes) unless -rapid.checks says otherwise; the long campaign is
// -rapid.checks=5000.
func TestMain(m *testing.M) {
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
