// Package cronjob runs purectl's cronjob.CronDue beside the Kubernetes
// CronJob controller (pkg/controller/cronjob) of the release the suite is
// built against (v1.34 by default, others through .ci/difftest-release) on
// random trajectories and fails on any disagreement; purectl is asked for
// the same release (testmain.Release).
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
