// Package cronjob runs purectl's cronjob.CronDue beside the Kubernetes
// v1.34 CronJob controller (pkg/controller/cronjob) on random trajectories
// and fails on any disagreement.
package cronjob

import (
	"flag"
	"os"
	"testing"
)

// TestMain runs each trajectory property 100 times unless -rapid.checks says
// otherwise: a trajectory is at least 20 passes, so CI runs over 2,000
// passes of the real controller.
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
