// Package cronjob runs purectl's cronjob.CronDue beside the Kubernetes
// v1.34 CronJob controller (pkg/controller/cronjob) on random trajectories
// and fails on any disagreement.
package cronjob

import (
	"os"
	"testing"

	"github.com/purectl/purectl/examples/kube/internal/testmain"
)

// TestMain runs each trajectory property 100 times unless -rapid.checks says
// otherwise: a trajectory is at least 20 passes, so CI runs over 2,000
// passes of the real controller.
func TestMain(m *testing.M) { os.Exit(testmain.Run(m, "100")) }
