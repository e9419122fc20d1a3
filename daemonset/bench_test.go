package daemonset

import (
	"fmt"
	"maps"
	"runtime"
	"testing"
	"time"
)

// benchCluster builds n nodes with 12 labels each, a NoSchedule taint on
// every 10th node and a NoExecute taint on every 50th, and daemon pods on
// every other node (ready, up to date).
func benchCluster(n int) ([]Node, []Pod, DaemonSet, time.Time) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	nodes := make([]Node, n)
	var pods []Pod
	for i := range nodes {
		name := fmt.Sprintf("node-%06d", i)
		l := make(map[string]string, 12)
		for k := 0; k < 10; k++ {
			l[fmt.Sprintf("example.com/label-%d", k)] = fmt.Sprintf("v%d", (i+k)%7)
		}
		l["kubernetes.io/os"] = "linux"
		l["kubernetes.io/hostname"] = name
		nodes[i] = Node{Name: name, Labels: l}
		switch {
		case i%50 == 0:
			nodes[i].Taints = []Taint{{Key: "maintenance", Effect: TaintEffectNoExecute}}
		case i%10 == 0:
			nodes[i].Taints = []Taint{{Key: "dedicated", Value: "db", Effect: TaintEffectNoSchedule}}
		case i%10 == 5:
			nodes[i].Taints = []Taint{{Key: TaintNodeUnschedulable, Effect: TaintEffectNoSchedule}}
		}
		if i%2 == 0 {
			pods = append(pods, Pod{
				Name: fmt.Sprintf("agent-%06d", i), Labels: map[string]string{"app": "agent", LabelRevisionHash: "h1"},
				ControllerUID: "uid-1", NodeName: name, Phase: PodRunning, Ready: true,
				ReadySince: now.Add(-time.Hour), CreationTimestamp: now.Add(-2 * time.Hour),
			})
		}
	}
	ds := DaemonSet{Name: "agent", UID: "uid-1", Generation: 1, Spec: Spec{
		Selector:    &LabelSelector{MatchLabels: map[string]string{"app": "agent"}},
		Template:    PodTemplate{Labels: map[string]string{"app": "agent"}, NodeSelector: map[string]string{"kubernetes.io/os": "linux"}},
		CurrentHash: "h1",
	}}
	return nodes, pods, ds, now
}

// BenchmarkPlanDaemonSet runs the sizes of the issue: 5,000 and 100,000
// nodes with 12 labels, some taints and pods on half of them (so each pass
// has thousands of creates, of which BurstReplicas are issued). The steady
// case has a pod on every node and nothing to do.
func BenchmarkPlanDaemonSet(b *testing.B) {
	for _, n := range []int{5000, 100000} {
		b.Run(fmt.Sprintf("nodes=%d", n), func(b *testing.B) {
			nodes, pods, ds, now := benchCluster(n)
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			b.ReportAllocs()
			c0, ok := threadCPU()
			for b.Loop() {
				if _, err := PlanDaemonSet(nodes, pods, ds, now, Options{}); err != nil {
					b.Fatal(err)
				}
			}
			if c1, _ := threadCPU(); ok {
				b.ReportMetric(float64((c1-c0).Nanoseconds())/float64(b.N)/float64(n), "cpu-ns/node")
			}
		})
	}
	for _, n := range []int{5000, 100000} {
		// The same passes over an index of the nodes, built once.
		b.Run(fmt.Sprintf("nodes=%d/indexed", n), func(b *testing.B) {
			nodes, pods, ds, now := benchCluster(n)
			ix, err := IndexNodes(nodes)
			if err != nil {
				b.Fatal(err)
			}
			want, _ := PlanDaemonSet(nodes, pods, ds, now, Options{})
			if got, err := PlanDaemonSet(nil, pods, ds, now, Options{Nodes: ix}); err != nil || len(got.Creates) != len(want.Creates) || got.Status != want.Status {
				b.Fatalf("indexed pass differs: %v", err)
			}
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			b.ReportAllocs()
			c0, ok := threadCPU()
			for b.Loop() {
				if _, err := PlanDaemonSet(nil, pods, ds, now, Options{Nodes: ix}); err != nil {
					b.Fatal(err)
				}
			}
			if c1, _ := threadCPU(); ok {
				b.ReportMetric(float64((c1-c0).Nanoseconds())/float64(b.N)/float64(n), "cpu-ns/node")
			}
		})
		b.Run(fmt.Sprintf("nodes=%d/index-build", n), func(b *testing.B) {
			nodes, _, _, _ := benchCluster(n)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := IndexNodes(nodes); err != nil {
					b.Fatal(err)
				}
			}
		})
		// One node relabelled and one joining (with a hostname value the
		// fleet has not seen), against rebuilding the index.
		b.Run(fmt.Sprintf("nodes=%d/index-update", n), func(b *testing.B) {
			nodes, _, _, _ := benchCluster(n)
			ix, err := IndexNodes(nodes)
			if err != nil {
				b.Fatal(err)
			}
			changed := nodes[n/2]
			changed.Labels = maps.Clone(changed.Labels)
			changed.Labels["zone"] = "relabelled"
			joining := Node{Name: "joining", Labels: maps.Clone(nodes[0].Labels)}
			joining.Labels["kubernetes.io/hostname"] = "joining"
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ix.Update([]Node{changed, joining}, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("nodes=5000/steady", func(b *testing.B) {
		nodes, pods, ds, now := benchCluster(5000)
		// Drop the pods on NoExecute nodes and put a ready pod on every node
		// that still needs one.
		kept := pods[:0]
		for _, p := range pods {
			if n := p.NodeName; n[len(n)-2:] != "00" && n[len(n)-2:] != "50" {
				kept = append(kept, p)
			}
		}
		pods = kept
		for i := range nodes {
			if i%2 == 1 {
				pods = append(pods, Pod{Name: fmt.Sprintf("agent-%06d", i), Labels: pods[0].Labels, ControllerUID: "uid-1",
					NodeName: nodes[i].Name, Phase: PodRunning, Ready: true, ReadySince: now.Add(-time.Hour), CreationTimestamp: now.Add(-time.Hour)})
			}
		}
		p, err := PlanDaemonSet(nodes, pods, ds, now, Options{})
		if err != nil || len(p.Creates)+len(p.Deletes) != 0 {
			b.Fatalf("not steady: %v, %d creates, %d deletes", err, len(p.Creates), len(p.Deletes))
		}
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			if _, err := PlanDaemonSet(nodes, pods, ds, now, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
