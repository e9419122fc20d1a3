package daemonset

import (
	"os"
	"runtime"
	"testing"
	"time"
)

func TestXTiming(t *testing.T) {
	if os.Getenv("XTIMING") == "" {
		t.Skip()
	}
	sizes := []int{5000, 100000}
	type in struct {
		nodes []Node
		pods  []Pod
		ds    DaemonSet
		now   time.Time
	}
	ins := map[int]in{}
	for _, n := range sizes {
		nodes, pods, ds, now := benchCluster(n)
		ins[n] = in{nodes, pods, ds, now}
	}
	best := map[int]time.Duration{}
	for round := 0; round < 15; round++ {
		for _, n := range sizes {
			x := ins[n]
			runtime.GC()
			reps := 100000 / n
			s := time.Now()
			for range reps {
				PlanDaemonSet(x.nodes, x.pods, x.ds, x.now)
			}
			d := time.Since(s) / time.Duration(reps)
			if b, ok := best[n]; !ok || d < b {
				best[n] = d
			}
		}
	}
	for _, n := range sizes {
		t.Logf("n=%d best %v = %.0f ns/node", n, best[n], float64(best[n])/float64(n))
	}
}
