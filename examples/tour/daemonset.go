package main

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/purectl/purectl/daemonset"
	"github.com/purectl/purectl/sim"
)

func init() { register(10, "DaemonSet: one pod per node", daemonSetChapter) }

// getPods prints the pods like `kubectl get pods -o wide`, plus the image,
// and the DaemonSet's state as the world measures it.
func getPods(w io.Writer, world *sim.World, image map[string]string, st sim.DaemonSetState) {
	pods := slices.Clone(world.Pods)
	sort.Slice(pods, func(i, j int) bool { return pods[i].Node < pods[j].Node })
	fmt.Fprintf(w, "\n  $ kubectl get pods -o wide\n  %-12s %-6s %-8s %-6s %-11s %s\n", "NAME", "READY", "STATUS", "AGE", "IMAGE", "NODE")
	for _, p := range pods {
		ready := "0/1"
		if p.Ready {
			ready = "1/1"
		}
		fmt.Fprintf(w, "  %-12s %-6s %-8s %-6s %-11s %s\n", p.Name, ready, p.Phase,
			world.Now.Sub(p.Created).Round(time.Second), image[p.Labels[daemonset.LabelRevisionHash]], p.Node)
	}
	fmt.Fprintf(w, "  daemonset/nginx: desired %d, up-to-date %d, available %d\n\n", st.Desired, st.Updated, st.Available)
}

func daemonSetChapter(w io.Writer) error {
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	one := daemonset.FromInt(1)
	image := map[string]string{"6c5f7d": "nginx:1.15", "84b9c2": "nginx:1.14"}
	// Pods run 5s after creation, are Ready 5s later and take 10s to stop.
	world := &sim.World{Now: t0, Lifecycle: sim.Lifecycle{Start: 5 * time.Second, Ready: 5 * time.Second, Terminate: 10 * time.Second}}
	for _, n := range []string{"node-1", "node-2", "node-3"} {
		world.Nodes = append(world.Nodes, daemonset.Node{Name: n})
	}
	world.DaemonSets = []sim.DaemonSet{{DaemonSet: daemonset.DaemonSet{Name: "nginx", Namespace: "default", UID: "ds-1", Generation: 1, Spec: daemonset.Spec{
		Selector: &daemonset.LabelSelector{MatchLabels: map[string]string{"app": "nginx"}},
		Template: daemonset.PodTemplate{Labels: map[string]string{"app": "nginx"}},
		UpdateStrategy: daemonset.UpdateStrategy{Type: daemonset.RollingUpdate,
			RollingUpdate: &daemonset.RollingUpdateParams{MaxUnavailable: &one}},
		CurrentHash: "6c5f7d",
	}}}}
	ds := &world.DaemonSets[0]
	step := func(title string, change func()) error {
		fmt.Fprintf(w, "-- %s\n", title)
		change()
		tl, err := run(w, world, t0, time.Hour, noEvents)
		if err != nil {
			return err
		}
		getPods(w, world, image, tl.Passes[len(tl.Passes)-1].DaemonSets[0])
		return nil
	}

	if err := step("kubectl apply -f nginx-ds.yaml (nginx:1.15) on three nodes", func() {}); err != nil {
		return err
	}
	if err := step("kubectl delete pod on node-2: the controller recreates it once it is gone", func() {
		for i := range world.Pods {
			if world.Pods[i].Node == "node-2" {
				fmt.Fprintf(w, "  (deleting %s)\n", world.Pods[i].Name)
				world.Pods[i].Deleted = world.Now
			}
		}
	}); err != nil {
		return err
	}
	if err := step("kubectl drain node-3 --ignore-daemonsets: cordoned, the daemon stays", func() {
		world.Nodes[2].Taints = []daemonset.Taint{{Key: daemonset.TaintNodeUnschedulable, Effect: daemonset.TaintEffectNoSchedule}}
		e := daemonset.ExplainNode(world.Nodes[2], ds.DaemonSet, daemonset.Options{})
		fmt.Fprintf(w, "  explain node-3: %s (%s)\n", e.Reason, e.Message)
	}); err != nil {
		return err
	}
	if err := step("kubectl delete node node-3: pod GC removes its pod, desired drops to 2", func() {
		world.Nodes = world.Nodes[:2]
	}); err != nil {
		return err
	}
	if err := step("node-3 re-joins the cluster", func() {
		world.Nodes = append(world.Nodes, daemonset.Node{Name: "node-3"})
	}); err != nil {
		return err
	}
	if err := step("kubectl set image ds/nginx nginx=nginx:1.14 (RollingUpdate, maxUnavailable 1): one node at a time", func() {
		ds.Generation++
		ds.Spec.CurrentHash = "84b9c2"
	}); err != nil {
		return err
	}
	// An object stored before validation tightened: the API server would
	// refuse it today, but the controller acts on it with maxUnavailable 1.
	return step("back to nginx:1.15 on an old object with maxUnavailable 0 and maxSurge 0", func() {
		zero := daemonset.FromInt(0)
		ds.Generation++
		ds.Spec.CurrentHash = "6c5f7d"
		ds.Spec.UpdateStrategy.RollingUpdate = &daemonset.RollingUpdateParams{MaxUnavailable: &zero, MaxSurge: &zero}
		if plan, err := daemonset.PlanDaemonSet(world.Nodes, nil, ds.DaemonSet, world.Now, daemonset.Options{}); err == nil {
			for _, wn := range plan.Warnings {
				fmt.Fprintf(w, "  warning %s\n", strings.TrimSpace(wn.Error()))
			}
		}
	})
}
