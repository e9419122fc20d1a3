package statefulsetdiff

import (
	"os"
	"testing"

	"github.com/purectl/purectl/examples/kube/internal/testmain"
)

// TestMain runs each trajectory property 100 times (100 trajectories of 20
// to 30 passes: over 2,000 passes) unless -rapid.checks says otherwise; the
// long campaign is -rapid.checks=5000.
func TestMain(m *testing.M) { os.Exit(testmain.Run(m, "100")) }
