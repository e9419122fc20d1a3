package daemonset_test

import (
	"fmt"
	"time"

	"github.com/purectl/purectl/daemonset"
)

// The classic nginx DaemonSet on a three-node cluster: one pod per node.
func ExamplePlanDaemonSet() {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	nodes := []daemonset.Node{{Name: "node-1"}, {Name: "node-2"}, {Name: "node-3"}}
	ds := daemonset.DaemonSet{
		Name: "nginx", Namespace: "default", UID: "ds-uid", Generation: 1,
		Spec: daemonset.Spec{
			Selector:    &daemonset.LabelSelector{MatchLabels: map[string]string{"app": "nginx"}},
			Template:    daemonset.PodTemplate{Labels: map[string]string{"app": "nginx"}},
			CurrentHash: "7b8c9d",
		},
	}
	plan, err := daemonset.PlanDaemonSet(nodes, nil, ds, now, daemonset.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range plan.Creates {
		fmt.Printf("create on %s: %s\n", c.Node, c.Reason)
	}
	fmt.Println("labels of new pods:", plan.NewPodLabels)
	fmt.Printf("desired %d, current %d\n", plan.Status.DesiredNumberScheduled, plan.Status.CurrentNumberScheduled)
	// Output:
	// create on node-1: MissingPod
	// create on node-2: MissingPod
	// create on node-3: MissingPod
	// labels of new pods: map[app:nginx controller-revision-hash:7b8c9d]
	// desired 3, current 0
}

// A rolling update from nginx 1.15 to 1.14 with maxUnavailable 1: one old pod
// goes per pass, and its node gets the new pod on the next pass.
func ExamplePlanDaemonSet_rollingUpdate() {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	nodes := []daemonset.Node{{Name: "node-1"}, {Name: "node-2"}, {Name: "node-3"}}
	one := daemonset.FromInt(1)
	hashOf := map[string]string{"nginx:1.15": "h115", "nginx:1.14": "h114"}
	image := map[string]string{"h115": "nginx:1.15", "h114": "nginx:1.14"}
	ds := daemonset.DaemonSet{
		Name: "nginx", UID: "ds-uid", Generation: 2,
		Spec: daemonset.Spec{
			Selector: &daemonset.LabelSelector{MatchLabels: map[string]string{"app": "nginx"}},
			Template: daemonset.PodTemplate{Labels: map[string]string{"app": "nginx"}},
			UpdateStrategy: daemonset.UpdateStrategy{Type: daemonset.RollingUpdate,
				RollingUpdate: &daemonset.RollingUpdateParams{MaxUnavailable: &one}},
			CurrentHash: hashOf["nginx:1.14"],
		},
	}
	var pods []daemonset.Pod
	for i, n := range nodes {
		pods = append(pods, daemonset.Pod{
			Name: fmt.Sprintf("nginx-old-%d", i+1), Labels: map[string]string{"app": "nginx", daemonset.LabelRevisionHash: "h115"},
			ControllerUID: "ds-uid", NodeName: n.Name, Phase: daemonset.PodRunning, Ready: true,
			CreationTimestamp: now.Add(-time.Hour),
		})
	}
	for pass := 1; pass <= 7; pass++ {
		plan, err := daemonset.PlanDaemonSet(nodes, pods, ds, now, daemonset.Options{})
		if err != nil {
			fmt.Println(err)
			return
		}
		if len(plan.Creates)+len(plan.Deletes) == 0 {
			fmt.Printf("pass %d: done, %d of %d updated\n", pass, plan.Status.UpdatedNumberScheduled, plan.Status.DesiredNumberScheduled)
			break
		}
		for _, d := range plan.Deletes {
			fmt.Printf("pass %d: delete %s (%s) on %s: %s\n", pass, d.Pod, image[podHash(pods, d.Pod)], d.Node, d.Reason)
			pods = remove(pods, d.Pod)
		}
		for _, c := range plan.Creates {
			fmt.Printf("pass %d: create %s on %s: %s\n", pass, image[ds.Spec.CurrentHash], c.Node, c.Reason)
			pods = append(pods, daemonset.Pod{
				Name: "nginx-new-" + c.Node[len(c.Node)-1:], Labels: plan.NewPodLabels, ControllerUID: "ds-uid",
				NodeName: c.Node, Phase: daemonset.PodRunning, Ready: true, CreationTimestamp: now,
			})
		}
		now = now.Add(time.Minute)
	}
	// Output:
	// pass 1: delete nginx-old-1 (nginx:1.15) on node-1: RollingUpdate
	// pass 2: create nginx:1.14 on node-1: MissingPod
	// pass 3: delete nginx-old-2 (nginx:1.15) on node-2: RollingUpdate
	// pass 4: create nginx:1.14 on node-2: MissingPod
	// pass 5: delete nginx-old-3 (nginx:1.15) on node-3: RollingUpdate
	// pass 6: create nginx:1.14 on node-3: MissingPod
	// pass 7: done, 3 of 3 updated
}

func podHash(pods []daemonset.Pod, name string) string {
	for _, p := range pods {
		if p.Name == name {
			return p.Labels[daemonset.LabelRevisionHash]
		}
	}
	return ""
}

func remove(pods []daemonset.Pod, name string) []daemonset.Pod {
	var out []daemonset.Pod
	for _, p := range pods {
		if p.Name != name {
			out = append(out, p)
		}
	}
	return out
}

// ExplainNode names the constraint that keeps a pod off a node.
func ExampleExplainNode() {
	ds := daemonset.DaemonSet{Name: "agent", Spec: daemonset.Spec{Template: daemonset.PodTemplate{
		NodeSelector: map[string]string{"disktype": "ssd"},
	}}}
	for _, n := range []daemonset.Node{
		{Name: "a", Labels: map[string]string{"disktype": "ssd"}},
		{Name: "b", Labels: map[string]string{"disktype": "hdd"}},
		{Name: "c", Labels: map[string]string{"disktype": "ssd"},
			Taints: []daemonset.Taint{{Key: "dedicated", Value: "db", Effect: daemonset.TaintEffectNoSchedule}}},
		{Name: "d", Labels: map[string]string{"disktype": "ssd"},
			Taints: []daemonset.Taint{{Key: daemonset.TaintNodeUnschedulable, Effect: daemonset.TaintEffectNoSchedule}}},
	} {
		e := daemonset.ExplainNode(n, ds, daemonset.Options{})
		fmt.Printf("%s run=%v stay=%v %s: %s\n", n.Name, e.ShouldRun, e.ShouldContinueRunning, e.Reason, e.Message)
	}
	// Output:
	// a run=true stay=true Eligible: node a satisfies the template's node constraints and taints
	// b run=false stay=false NodeSelectorMismatch: node b: nodeSelector disktype=ssd: label is disktype=hdd
	// c run=false stay=true UntoleratedNoSchedule: node c has taint dedicated=db:NoSchedule that the pod does not tolerate: no new pod, an existing one may stay
	// d run=true stay=true Eligible: node d satisfies the template's node constraints and taints
}

// Validate reports API-style field errors.
func ExampleValidate() {
	zero := daemonset.FromInt(0)
	err := daemonset.Validate(daemonset.Spec{
		Selector: &daemonset.LabelSelector{MatchLabels: map[string]string{"app": "nginx"}},
		Template: daemonset.PodTemplate{Labels: map[string]string{"app": "web"}},
		UpdateStrategy: daemonset.UpdateStrategy{RollingUpdate: &daemonset.RollingUpdateParams{
			MaxUnavailable: &zero}},
	}, daemonset.Release{})

	fmt.Println(err)
	// Output:
	// [spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`, spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0]
}

// A rolling update with maxSurge 1 and maxUnavailable 0: the new pod starts
// next to the old one, which goes once its replacement is available.
func ExamplePlanDaemonSet_surge() {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	nodes := []daemonset.Node{{Name: "node-1"}, {Name: "node-2"}}
	zero, one := daemonset.FromInt(0), daemonset.FromInt(1)
	ds := daemonset.DaemonSet{
		Name: "agent", UID: "ds-uid",
		Spec: daemonset.Spec{
			Selector: &daemonset.LabelSelector{MatchLabels: map[string]string{"app": "agent"}},
			Template: daemonset.PodTemplate{Labels: map[string]string{"app": "agent"}},
			UpdateStrategy: daemonset.UpdateStrategy{RollingUpdate: &daemonset.RollingUpdateParams{
				MaxUnavailable: &zero, MaxSurge: &one}},
			CurrentHash: "v2",
		},
	}
	pods := []daemonset.Pod{
		{Name: "agent-a", Labels: map[string]string{"app": "agent", daemonset.LabelRevisionHash: "v1"}, ControllerUID: "ds-uid",
			NodeName: "node-1", Phase: daemonset.PodRunning, Ready: true, CreationTimestamp: now.Add(-time.Hour)},
		{Name: "agent-b", Labels: map[string]string{"app": "agent", daemonset.LabelRevisionHash: "v1"}, ControllerUID: "ds-uid",
			NodeName: "node-2", Phase: daemonset.PodRunning, Ready: true, CreationTimestamp: now.Add(-time.Hour)},
	}
	show := func(step string) {
		plan, _ := daemonset.PlanDaemonSet(nodes, pods, ds, now, daemonset.Options{})
		fmt.Printf("%s: %d available of %d\n", step, plan.Status.NumberAvailable, plan.Status.DesiredNumberScheduled)
		for _, c := range plan.Creates {
			fmt.Printf("  create on %s: %s\n", c.Node, c.Reason)
		}
		for _, d := range plan.Deletes {
			fmt.Printf("  delete %s: %s\n", d.Pod, d.Reason)
		}
		for _, h := range plan.Rollout.Holders {
			fmt.Printf("  surge budget held by %s: %s\n", h.Node, h.Reason)
		}
	}
	show("start")
	pods = append(pods, daemonset.Pod{Name: "agent-c", Labels: map[string]string{"app": "agent", daemonset.LabelRevisionHash: "v2"},
		ControllerUID: "ds-uid", NodeName: "node-1", Phase: daemonset.PodPending, CreationTimestamp: now})
	show("new pod pending")
	pods[2].Phase, pods[2].Ready = daemonset.PodRunning, true
	show("new pod ready")
	// Output:
	// start: 2 available of 2
	//   create on node-1: Surge
	// new pod pending: 2 available of 2
	//   surge budget held by node-1: NewPodUnavailable
	// new pod ready: 2 available of 2
	//   delete agent-a: SurgeComplete
}

// Default fills in what the API server would: the strategy and its budget,
// the history limit and the restart policy.
func ExampleDefault() {
	ds := daemonset.Default(daemonset.DaemonSet{Name: "nginx"}, daemonset.Release{})
	ru := ds.Spec.UpdateStrategy.RollingUpdate
	fmt.Println(ds.Spec.UpdateStrategy.Type, ru.MaxUnavailable, ru.MaxSurge, *ds.Spec.RevisionHistoryLimit, ds.Spec.Template.RestartPolicy)
	// Output:
	// RollingUpdate 1 0 10 Always
}

// An object stored before validation tightened: maxUnavailable and maxSurge
// both 0. The controller acts with maxUnavailable 1; the plan does the same
// and says what validation would reject.
func ExamplePlanDaemonSet_warnings() {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	zero := daemonset.FromInt(0)
	ds := daemonset.DaemonSet{
		Name: "nginx", UID: "ds-uid", Generation: 2,
		Spec: daemonset.Spec{
			Selector: &daemonset.LabelSelector{MatchLabels: map[string]string{"app": "nginx"}},
			Template: daemonset.PodTemplate{Labels: map[string]string{"app": "nginx"}},
			UpdateStrategy: daemonset.UpdateStrategy{Type: daemonset.RollingUpdate,
				RollingUpdate: &daemonset.RollingUpdateParams{MaxUnavailable: &zero, MaxSurge: &zero}},
			CurrentHash: "new",
		},
	}
	var pods []daemonset.Pod
	for _, n := range []string{"node-1", "node-2"} {
		pods = append(pods, daemonset.Pod{Name: "nginx-" + n, Labels: map[string]string{"app": "nginx", daemonset.LabelRevisionHash: "old"},
			ControllerUID: "ds-uid", NodeName: n, Phase: daemonset.PodRunning, Ready: true, ReadySince: now.Add(-time.Hour)})
	}
	plan, err := daemonset.PlanDaemonSet([]daemonset.Node{{Name: "node-1"}, {Name: "node-2"}}, pods, ds, now, daemonset.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range plan.Deletes {
		fmt.Println("delete", d.Pod, d.Reason)
	}
	fmt.Println("maxUnavailable", plan.Rollout.MaxUnavailable)
	for _, w := range plan.Warnings {
		fmt.Println("warning:", w)
	}
	// Output:
	// delete nginx-node-1 RollingUpdate
	// maxUnavailable 1
	// warning: spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0
}

// With writes observed at once, the rolling update runs in the same pass as
// the per-node step: the missing pod on node-3 is created and, with
// maxUnavailable 2, one old pod goes in the same pass.
func ExamplePlanDaemonSet_writesObserved() {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	two := daemonset.FromInt(2)
	ds := daemonset.DaemonSet{
		Name: "nginx", UID: "ds-uid", Generation: 2, WritesObserved: true,
		Spec: daemonset.Spec{
			Selector: &daemonset.LabelSelector{MatchLabels: map[string]string{"app": "nginx"}},
			Template: daemonset.PodTemplate{Labels: map[string]string{"app": "nginx"}},
			UpdateStrategy: daemonset.UpdateStrategy{Type: daemonset.RollingUpdate,
				RollingUpdate: &daemonset.RollingUpdateParams{MaxUnavailable: &two}},
			CurrentHash: "new",
		},
	}
	var pods []daemonset.Pod
	for _, n := range []string{"node-1", "node-2"} {
		pods = append(pods, daemonset.Pod{Name: "nginx-" + n, Labels: map[string]string{"app": "nginx", daemonset.LabelRevisionHash: "old"},
			ControllerUID: "ds-uid", NodeName: n, Phase: daemonset.PodRunning, Ready: true, ReadySince: now.Add(-time.Hour)})
	}
	nodes := []daemonset.Node{{Name: "node-1"}, {Name: "node-2"}, {Name: "node-3"}}
	plan, err := daemonset.PlanDaemonSet(nodes, pods, ds, now, daemonset.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range plan.Creates {
		fmt.Println("create on", c.Node, c.Reason, "affinity", c.RequiredNodeAffinity.Terms[0].MatchFields[0].Values)
	}
	for _, d := range plan.Deletes {
		fmt.Println("delete", d.Pod, d.Reason)
	}
	fmt.Println("rolling update evaluated:", plan.Rollout.Evaluated)
	// Output:
	// create on node-3 MissingPod affinity [node-3]
	// delete nginx-node-1 RollingUpdate
	// rolling update evaluated: true
}

// Which old revisions the controller deletes once the history is longer
// than revisionHistoryLimit: the oldest ones no pod still runs.
func ExampleHistoryToDelete() {
	one := int32(1)
	ds := daemonset.DaemonSet{Name: "nginx", UID: "ds-uid", Spec: daemonset.Spec{
		Selector:             &daemonset.LabelSelector{MatchLabels: map[string]string{"app": "nginx"}},
		RevisionHistoryLimit: &one,
		CurrentHash:          "h3",
	}}
	revs := []daemonset.Revision{{Name: "nginx-h1", Revision: 1, Hash: "h1"}, {Name: "nginx-h2", Revision: 2, Hash: "h2"}, {Name: "nginx-h3", Revision: 3, Hash: "h3"}}
	for _, r := range daemonset.HistoryToDelete(revs, nil, ds) {
		fmt.Println("delete", r.Name)
	}
	// Output:
	// delete nginx-h1
}

// A node update the controller skips, and one that makes it sync.
func ExampleNodeChanged() {
	before := daemonset.Node{Name: "node-1", Labels: map[string]string{"pool": "a"}}
	after := before
	fmt.Println(daemonset.NodeChanged(before, after))
	after.Taints = []daemonset.Taint{{Key: "dedicated", Value: "db", Effect: daemonset.TaintEffectNoExecute}}
	fmt.Println(daemonset.NodeChanged(before, after))
	ds := daemonset.DaemonSet{Name: "nginx", UID: "ds-uid", Spec: daemonset.Spec{
		Selector: &daemonset.LabelSelector{MatchLabels: map[string]string{"app": "nginx"}},
		Template: daemonset.PodTemplate{Labels: map[string]string{"app": "nginx"}},
	}}
	pods := []daemonset.Pod{{Name: "nginx-1", Labels: map[string]string{"app": "nginx"}, ControllerUID: "ds-uid", NodeName: "node-1"}}
	fmt.Println(daemonset.NodeUpdateSyncs(after, ds, pods, 0, daemonset.Options{}))
	// Output:
	// false
	// true
	// true
}

// A view that does not show a pod the controller created in an earlier
// pass: v1.35 recounts the status only (its expectations are unmet), while
// from v1.36 StaleControllerConsistencyDaemonSet holds the whole pass until
// the cache catches up.
func ExamplePlanDaemonSet_unobservedWrites() {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	nodes := []daemonset.Node{{Name: "node-1"}, {Name: "node-2"}}
	ds := daemonset.DaemonSet{Name: "agent", Namespace: "kube-system", UID: "u1", Generation: 2, ObservedGeneration: 1,
		Spec: daemonset.Spec{
			Selector: &daemonset.LabelSelector{MatchLabels: map[string]string{"app": "agent"}},
			Template: daemonset.PodTemplate{Labels: map[string]string{"app": "agent"}},
		},
		Unobserved: daemonset.Unobserved{Creates: true},
	}
	for _, v := range []string{"1.35", "1.36"} {
		plan, err := daemonset.PlanDaemonSet(nodes, nil, ds, now, daemonset.Options{Release: daemonset.Release{Version: v}})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s: creates %d, status only %v, desired %d, observedGeneration %d, skipped %q\n",
			v, len(plan.Creates), plan.StatusOnly, plan.Status.DesiredNumberScheduled, plan.Status.ObservedGeneration, plan.Skipped)
	}
	// Output:
	// 1.35: creates 0, status only true, desired 2, observedGeneration 1, skipped ""
	// 1.36: creates 0, status only false, desired 0, observedGeneration 0, skipped "daemonset agent: the cache does not show the controller's own writes yet (StaleControllerConsistencyDaemonSet); the pass is retried once it does"
}

// Several DaemonSets over one large fleet: index the nodes once, then plan
// each DaemonSet against the index. The plans are those of the node list.
func ExampleIndexNodes() {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	nodes := []daemonset.Node{
		{Name: "cpu-1", Labels: map[string]string{"kubernetes.io/os": "linux"}},
		{Name: "gpu-1", Labels: map[string]string{"kubernetes.io/os": "linux", "accelerator": "nvidia"}},
		{Name: "win-1", Labels: map[string]string{"kubernetes.io/os": "windows"}},
	}
	ix, err := daemonset.IndexNodes(nodes)
	if err != nil {
		fmt.Println(err)
		return
	}
	daemon := func(name string, nodeSelector map[string]string) daemonset.DaemonSet {
		return daemonset.DaemonSet{Name: name, Namespace: "kube-system", UID: name + "-uid", Generation: 1,
			Spec: daemonset.Spec{
				Selector:    &daemonset.LabelSelector{MatchLabels: map[string]string{"app": name}},
				Template:    daemonset.PodTemplate{Labels: map[string]string{"app": name}, NodeSelector: nodeSelector},
				CurrentHash: "1",
			}}
	}
	for _, ds := range []daemonset.DaemonSet{
		daemon("node-exporter", map[string]string{"kubernetes.io/os": "linux"}),
		daemon("gpu-plugin", map[string]string{"accelerator": "nvidia"}),
	} {
		// nil nodes: they come from Options.Nodes.
		plan, err := daemonset.PlanDaemonSet(nil, nil, ds, now, daemonset.Options{Nodes: ix})
		if err != nil {
			fmt.Println(err)
			return
		}
		var on []string
		for _, c := range plan.Creates {
			on = append(on, c.Node)
		}
		fmt.Println(ds.Name, "creates on", on)
	}
	// Output:
	// node-exporter creates on [cpu-1 gpu-1]
	// gpu-plugin creates on [gpu-1]
}

// An autoscaler asks what a new GPU node would get, and what the fleet
// gets once an old node is gone, without rebuilding its index.
func ExampleNodeIndex_Update() {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	ix, err := daemonset.IndexNodes([]daemonset.Node{
		{Name: "cpu-1", Labels: map[string]string{"kubernetes.io/os": "linux"}},
		{Name: "cpu-2", Labels: map[string]string{"kubernetes.io/os": "linux"}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	gpuPlugin := daemonset.DaemonSet{Name: "gpu-plugin", Namespace: "kube-system", UID: "gpu-plugin-uid", Generation: 1,
		Spec: daemonset.Spec{
			Selector:    &daemonset.LabelSelector{MatchLabels: map[string]string{"app": "gpu-plugin"}},
			Template:    daemonset.PodTemplate{Labels: map[string]string{"app": "gpu-plugin"}, NodeSelector: map[string]string{"accelerator": "nvidia"}},
			CurrentHash: "1",
		}}
	next, err := ix.Update([]daemonset.Node{
		{Name: "gpu-1", Labels: map[string]string{"kubernetes.io/os": "linux", "accelerator": "nvidia"}},
	}, []string{"cpu-2"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, x := range []*daemonset.NodeIndex{ix, next} {
		plan, err := daemonset.PlanDaemonSet(nil, nil, gpuPlugin, now, daemonset.Options{Nodes: x})
		if err != nil {
			fmt.Println(err)
			return
		}
		var on []string
		for _, c := range plan.Creates {
			on = append(on, c.Node)
		}
		var names []string
		for i := range x.Len() {
			names = append(names, x.Node(i).Name)
		}
		fmt.Println(names, "gpu-plugin creates on", on)
	}
	// Output:
	// [cpu-1 cpu-2] gpu-plugin creates on []
	// [cpu-1 gpu-1] gpu-plugin creates on [gpu-1]
}
