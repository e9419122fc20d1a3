package daemonset

import (
	"fmt"
	"testing"
	"time"
)

// runPasses drives passes over a tiny cluster: each plan is applied (deletes
// remove the pod, creates add a bound, not yet ready pod of the current
// revision) and, between the listed passes, every pod is made ready when
// ready[i] is true. It returns the creates and deletes of each pass.
func runPasses(t *testing.T, nodes []Node, pods []Pod, ds DaemonSet, ready []bool) []string {
	t.Helper()
	now := t0
	var out []string
	seq := 0
	for i, mark := range ready {
		p, err := PlanDaemonSet(nodes, pods, ds, now, Options{})
		must.NoError(t, err)
		for _, d := range p.Deletes {
			for k := range pods {
				if pods[k].Name == d.Pod {
					pods = append(pods[:k], pods[k+1:]...)
					break
				}
			}
		}
		for _, c := range p.Creates {
			seq++
			np := pod(fmt.Sprintf("new%02d", seq), c.Node, 0)
			np.Labels = map[string]string{"app": "d", LabelRevisionHash: ds.Spec.CurrentHash}
			np.Ready, np.ReadySince, np.CreationTimestamp = false, time.Time{}, now
			pods = append(pods, np)
		}
		out = append(out, fmt.Sprintf("pass %d: %d creates, %d deletes", i+1, len(p.Creates), len(p.Deletes)))
		now = now.Add(time.Second)
		if mark {
			for k := range pods {
				if !pods[k].Ready {
					pods[k].Ready, pods[k].ReadySince = true, now
				}
			}
		}
	}
	return out
}

// The upstream surge sequence (5 nodes, maxSurge 2): 2 new pods, then each
// time they are ready, their old pods go and the next new pods start. The
// upstream test's fake pod control observes deletes at once, so there one
// sync both deletes and creates; here, as against a real API server, the
// creates come in the pass after the deletes.
func TestSequenceMaxSurge(t *testing.T) {
	var pods []Pod
	for i := 1; i <= 5; i++ {
		pods = append(pods, old(pod(fmt.Sprintf("o%d", i), fmt.Sprintf("n%d", i), 60)))
	}
	got := runPasses(t, nodesN(5), pods, testDS(surge(FromInt(2))), []bool{false, true, false, false, true, false, false, true, false, false})
	want := []string{
		"pass 1: 2 creates, 0 deletes",
		"pass 2: 0 creates, 0 deletes",
		"pass 3: 0 creates, 2 deletes",
		"pass 4: 2 creates, 0 deletes",
		"pass 5: 0 creates, 0 deletes",
		"pass 6: 0 creates, 2 deletes",
		"pass 7: 1 creates, 0 deletes",
		"pass 8: 0 creates, 0 deletes",
		"pass 9: 0 creates, 1 deletes",
		"pass 10: 0 creates, 0 deletes",
	}
	must.Equal(t, want, got)
}

// The upstream maxUnavailable sequence (5 nodes, maxUnavailable 2): deletes
// in one sync, creates in the next, as upstream.
func TestSequenceMaxUnavailable(t *testing.T) {
	var pods []Pod
	for i := 1; i <= 5; i++ {
		pods = append(pods, old(pod(fmt.Sprintf("o%d", i), fmt.Sprintf("n%d", i), 60)))
	}
	got := runPasses(t, nodesN(5), pods, testDS(unavailable(FromInt(2))), []bool{false, true, false, true, false, true, false})
	want := []string{
		"pass 1: 0 creates, 2 deletes",
		"pass 2: 2 creates, 0 deletes",
		"pass 3: 0 creates, 2 deletes",
		"pass 4: 2 creates, 0 deletes",
		"pass 5: 0 creates, 1 deletes",
		"pass 6: 1 creates, 0 deletes",
		"pass 7: 0 creates, 0 deletes",
	}
	must.Equal(t, want, got)
}
