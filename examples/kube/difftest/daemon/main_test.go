package daemon

import (
	"os"
	"testing"

	"github.com/purectl/purectl/examples/kube/internal/testmain"
)

// TestMain runs each trajectory property 100 times (about 2,000 passes per
// suite) unless -rapid.checks says otherwise.
func TestMain(m *testing.M) { os.Exit(testmain.Run(m, "100")) }
