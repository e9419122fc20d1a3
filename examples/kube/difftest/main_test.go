package difftest

import (
	"os"
	"testing"

	"github.com/purectl/purectl/examples/kube/internal/testmain"
)

// TestMain runs every differential property 2,000 times unless -rapid.checks
// says otherwise: agreement with Kubernetes is the point of this package,
// and the cases are cheap.
func TestMain(m *testing.M) { os.Exit(testmain.Run(m, "2000")) }
