package daemonset

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestManage(t *testing.T) {
	two := nodesN(2)
	cases := []struct {
		name  string
		nodes []Node
		pods  []Pod
		ds    DaemonSet
		want  []string
	}{
		{"R1 create on every eligible node without a pod", two, []Pod{pod("a", "n1", 5)}, testDS(), []string{"create n2 MissingPod"}},
		{"R2 failed pod deleted", two, []Pod{phase(pod("a", "n1", 5), PodFailed), pod("b", "n2", 5)}, testDS(),
			[]string{"delete a FailedDaemonPod"}},
		{"R2 succeeded pod deleted", two, []Pod{phase(pod("a", "n1", 5), PodSucceeded), pod("b", "n2", 5)}, testDS(),
			[]string{"delete a SucceededDaemonPod"}},
		{"R2 pods being deleted are left alone and the node gets nothing yet", two, []Pod{deleting(pod("a", "n1", 5)), pod("b", "n2", 5)}, testDS(), nil},
		{"R3 duplicates: the oldest stays whatever its readiness", two,
			[]Pod{pod("young", "n1", 1), notReady(pod("oldest", "n1", 9)), pod("mid", "n1", 5), pod("b", "n2", 5)}, testDS(),
			[]string{"delete mid DuplicatePod", "delete young DuplicatePod"}},
		{"R3 bound pods come before unbound ones in pod order", two,
			[]Pod{unbound(pod("older-unbound", "n1", 9)), pod("bound", "n1", 1), pod("b", "n2", 5)}, testDS(),
			[]string{"delete older-unbound DuplicatePod"}},
		{"R3 equal creation times: by name", two,
			[]Pod{pod("z", "n1", 5), pod("y", "n1", 5), pod("b", "n2", 5)}, testDS(),
			[]string{"delete z DuplicatePod"}},
		{"R3 no surge: a node whose only pod failed gets no pod this pass", nodesN(1),
			[]Pod{phase(pod("a", "n1", 5), PodFailed)}, testDS(), []string{"delete a FailedDaemonPod"}},
		{"R4 surge: a node whose pods are all going gets a new pod at once", nodesN(1),
			[]Pod{deleting(pod("a", "n1", 5))}, testDS(surge(FromInt(1))), []string{"create n1 SurgeReplacement"}},
		{"R4 surge: ready old pod and new pod not yet available both stay", nodesN(1),
			[]Pod{old(pod("o", "n1", 9)), notReady(pod("n", "n1", 1))}, testDS(surge(FromInt(1))), nil},
		{"R4 surge: old pod not ready goes", nodesN(1),
			[]Pod{notReady(old(pod("o", "n1", 9))), notReady(pod("n", "n1", 1))}, testDS(surge(FromInt(1))),
			[]string{"delete o OldPodNotReady"}},
		{"R4 surge: new pod available, old goes", nodesN(1),
			[]Pod{old(pod("o", "n1", 9)), pod("n", "n1", 1)}, testDS(surge(FromString("10%"))),
			[]string{"delete o SurgeComplete"}},
		{"R4 surge: the oldest new and oldest old stay, others go", nodesN(1),
			[]Pod{old(pod("o1", "n1", 9)), old(pod("o2", "n1", 8)), notReady(pod("n1p", "n1", 2)), notReady(pod("n2p", "n1", 1))},
			testDS(surge(FromInt(1))), []string{"delete n2p DuplicatePod", "delete o2 DuplicatePod"}},
		{"R5 untolerated NoExecute removes every pod not being deleted",
			[]Node{{Name: "n1", Taints: []Taint{{Key: "k", Effect: TaintEffectNoExecute}}}},
			[]Pod{pod("a", "n1", 5), deleting(pod("b", "n1", 4)), phase(pod("c", "n1", 3), PodFailed)}, testDS(),
			[]string{"delete a NodeIneligible", "delete c NodeIneligible"}},
		{"R5 selector no longer matches", []Node{{Name: "n1", Labels: map[string]string{"role": "db"}}},
			[]Pod{pod("a", "n1", 5)}, testDS(func(ds *DaemonSet) { ds.Spec.Template.NodeSelector = map[string]string{"role": "web"} }),
			[]string{"delete a NodeIneligible"}},
		{"R6 untolerated NoSchedule keeps a running pod and creates none",
			[]Node{{Name: "n1", Taints: []Taint{{Key: "k", Effect: TaintEffectNoSchedule}}}, {Name: "n2", Taints: []Taint{{Key: "k", Effect: TaintEffectNoSchedule}}}},
			[]Pod{pod("a", "n1", 5)}, testDS(), nil},
		{"M2 finished pods being deleted are invisible, so the node gets a new pod", nodesN(1),
			[]Pod{deleting(phase(pod("a", "n1", 5), PodSucceeded))}, testDS(), []string{"create n1 MissingPod"}},
		{"M3 unbound pods belong to their affinity target", nodesN(2),
			[]Pod{unbound(pod("a", "n1", 5)), unbound(pod("b", "n2", 5))}, testDS(), nil},
		{"M3 a pod without a target node is skipped", nodesN(1),
			[]Pod{func() Pod { p := pod("a", "", 5); return p }()}, testDS(), []string{"create n1 MissingPod"}},
		{"M4 unbound pod on a vanished node is deleted, a bound one is left to pod GC", nodesN(1),
			[]Pod{pod("a", "n1", 5), unbound(pod("u", "gone", 5)), pod("b", "gone2", 5)}, testDS(),
			[]string{"delete u NodeGone"}},
		{"E7 node conditions: a cordoned node still runs the daemon",
			[]Node{{Name: "n1", Taints: []Taint{{Key: TaintNodeUnschedulable, Effect: TaintEffectNoSchedule}}}},
			nil, testDS(), []string{"create n1 MissingPod"}},
		{"ownership: pods of other controllers and namespaces are ignored", nodesN(1),
			[]Pod{func() Pod { p := pod("x", "n1", 5); p.ControllerUID = "other"; return p }(),
				func() Pod { p := pod("y", "n1", 5); p.Namespace = "elsewhere"; return p }()},
			testDS(), []string{"create n1 MissingPod"}},
		{"ownership: a released pod no longer counts", nodesN(1),
			[]Pod{func() Pod { p := pod("x", "n1", 5); p.Labels = map[string]string{"app": "other"}; return p }()},
			testDS(), []string{"create n1 MissingPod"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := PlanDaemonSet(c.nodes, c.pods, c.ds, t0, Options{})
			must.NoError(t, err)
			if diff := cmp.Diff(c.want, summary(p)); diff != "" {
				t.Errorf("actions (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOwnership(t *testing.T) {
	orphan := pod("orphan", "n1", 5)
	orphan.ControllerUID = ""
	orphanDeleting := deleting(pod("orphan-going", "n1", 5))
	orphanDeleting.ControllerUID = ""
	released := pod("released", "n2", 5)
	released.Labels = map[string]string{"app": "x"}
	p, err := PlanDaemonSet(nodesN(2), []Pod{orphan, orphanDeleting, released}, testDS(), t0, Options{})
	must.NoError(t, err)
	must.Len(t, p.Adopt, 1)
	must.Equal(t, "orphan", p.Adopt[0].Pod)
	must.Len(t, p.Release, 1)
	must.Equal(t, "released", p.Release[0].Pod)
	must.Equal(t, []string{"create n2 MissingPod"}, summary(p), "the adopted orphan counts as n1's pod")
}

func TestFailedPodBackoff(t *testing.T) {
	nodes := nodesN(1)
	failed := []Pod{phase(pod("f1", "n1", 5), PodFailed)}
	ds := testDS()

	p, err := PlanDaemonSet(nodes, failed, ds, t0, Options{})
	must.NoError(t, err)
	must.Equal(t, []string{"delete f1 FailedDaemonPod"}, summary(p))
	must.Equal(t, []NodeBackoff{{Node: "n1", Generation: 3, LastUpdate: t0, Delay: time.Second}}, p.FailedPodBackoff)

	// F2: within the delay the next failed pod waits; ask again when it ends.
	ds.FailedPodBackoff = p.FailedPodBackoff
	failed2 := []Pod{phase(pod("f2", "n1", 1), PodFailed)}
	p, err = PlanDaemonSet(nodes, failed2, ds, t0.Add(999*time.Millisecond), Options{})
	must.NoError(t, err)
	must.Empty(t, summary(p))
	must.Equal(t, t0.Add(time.Second), p.RequeueAt)
	must.Equal(t, ds.FailedPodBackoff, p.FailedPodBackoff)

	// At exactly lastUpdate+delay the backoff is over; the delay doubles.
	p, err = PlanDaemonSet(nodes, failed2, ds, t0.Add(time.Second), Options{})
	must.NoError(t, err)
	must.Equal(t, []string{"delete f2 FailedDaemonPod"}, summary(p))
	must.Equal(t, 2*time.Second, p.FailedPodBackoff[0].Delay)

	// Two failed pods on one node in one pass: the second waits for the backoff.
	p, err = PlanDaemonSet(nodes, []Pod{phase(pod("a", "n1", 5), PodFailed), phase(pod("b", "n1", 4), PodFailed)}, testDS(), t0, Options{})
	must.NoError(t, err)
	must.Equal(t, []string{"delete a FailedDaemonPod"}, summary(p))
	must.Equal(t, t0.Add(time.Second), p.RequeueAt)

	// The delay is capped at 15 minutes.
	ds.FailedPodBackoff = []NodeBackoff{{Node: "n1", Generation: 3, LastUpdate: t0.Add(-10 * time.Minute), Delay: 10 * time.Minute}}
	p, err = PlanDaemonSet(nodes, failed2, ds, t0, Options{})
	must.NoError(t, err)
	must.Equal(t, []string{"delete f2 FailedDaemonPod"}, summary(p))
	must.Equal(t, BackoffMax, p.FailedPodBackoff[0].Delay)

	// An entry of another observed generation, or untouched for more than
	// 30 minutes, is forgotten.
	for _, e := range []NodeBackoff{
		{Node: "n1", Generation: 2, LastUpdate: t0, Delay: time.Minute},
		{Node: "n1", Generation: 3, LastUpdate: t0.Add(-31 * time.Minute), Delay: 15 * time.Minute},
	} {
		ds.FailedPodBackoff = []NodeBackoff{e}
		p, err = PlanDaemonSet(nodes, failed2, ds, t0, Options{})
		must.NoError(t, err)
		must.Equal(t, []string{"delete f2 FailedDaemonPod"}, summary(p))
		must.Equal(t, time.Second, p.FailedPodBackoff[0].Delay)
	}

	// Entries of other nodes are carried over.
	ds.FailedPodBackoff = []NodeBackoff{{Node: "zz", Generation: 3, LastUpdate: t0, Delay: 4 * time.Second}}
	p, err = PlanDaemonSet(nodes, failed2, ds, t0, Options{})
	must.NoError(t, err)
	must.Equal(t, []string{"n1", "zz"}, []string{p.FailedPodBackoff[0].Node, p.FailedPodBackoff[1].Node})
}

func TestRollingUpdateNoSurge(t *testing.T) {
	oldPods := func(n int) []Pod {
		var ps []Pod
		for i := 1; i <= n; i++ {
			ps = append(ps, old(pod(fmt.Sprintf("p%d", i), fmt.Sprintf("n%d", i), 10)))
		}
		return ps
	}
	cases := []struct {
		name        string
		nodes       []Node
		pods        []Pod
		ds          DaemonSet
		want        []string
		unavailable int
		maxU        int
	}{
		{"default maxUnavailable is 1; node-name order", nodesN(3), oldPods(3), testDS(),
			[]string{"delete p1 RollingUpdate"}, 0, 1},
		{"U2 int maxUnavailable", nodesN(4), oldPods(4), testDS(unavailable(FromInt(2))),
			[]string{"delete p1 RollingUpdate", "delete p2 RollingUpdate"}, 0, 2},
		{"U2 percent rounds up: 26% of 4 is 2", nodesN(4), oldPods(4), testDS(unavailable(FromString("26%"))),
			[]string{"delete p1 RollingUpdate", "delete p2 RollingUpdate"}, 0, 2},
		{"U2 ints are not capped", nodesN(2), oldPods(2), testDS(unavailable(FromInt(10))),
			[]string{"delete p1 RollingUpdate", "delete p2 RollingUpdate"}, 0, 10},
		{"N3 a new pod not yet available holds the budget", nodesN(3),
			append(oldPods(3)[1:], notReady(pod("fresh", "n1", 1))), testDS(), nil, 1, 1},
		{"N4 an unavailable old pod goes even beyond the budget", nodesN(3),
			[]Pod{notReady(old(pod("p1", "n1", 10))), notReady(old(pod("p2", "n2", 10))), old(pod("p3", "n3", 10))}, testDS(),
			[]string{"delete p1 OldPodUnavailable", "delete p2 OldPodUnavailable"}, 2, 1},
		{"N2 a node with a pod being deleted holds the budget", nodesN(2),
			[]Pod{deleting(old(pod("p1", "n1", 10))), old(pod("p2", "n2", 10))}, testDS(), nil, 1, 1},
		{"U4 an eligible node without a pod holds the budget, but manage acts first", nodesN(2),
			[]Pod{old(pod("p2", "n2", 10))}, testDS(), []string{"create n1 MissingPod"}, 0, 1},
		{"minReadySeconds: ready but not long enough is unavailable", nodesN(2),
			[]Pod{pod("fresh", "n1", 1), old(pod("p2", "n2", 10))},
			testDS(func(ds *DaemonSet) { ds.Spec.MinReadySeconds = 120 }), nil, 1, 1},
		{"minReadySeconds: ready for longer is available", nodesN(2),
			[]Pod{pod("fresh", "n1", 3), old(pod("p2", "n2", 10))},
			testDS(func(ds *DaemonSet) { ds.Spec.MinReadySeconds = 120 }), []string{"delete p2 RollingUpdate"}, 0, 1},
		{"old pods on nodes that may stay but should not run are candidates",
			[]Node{{Name: "n1", Taints: []Taint{{Key: "k", Effect: TaintEffectNoSchedule}}}},
			oldPods(1), testDS(unavailable(FromInt(1))), []string{"delete p1 RollingUpdate"}, 0, 1},
		{"OnDelete never replaces a healthy old pod", nodesN(2), oldPods(2), testDS(onDelete), nil, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := PlanDaemonSet(c.nodes, c.pods, c.ds, t0, Options{})
			must.NoError(t, err)
			if diff := cmp.Diff(c.want, summary(p)); diff != "" {
				t.Errorf("actions (-want +got):\n%s", diff)
			}
			must.Equal(t, c.unavailable, p.Rollout.Unavailable, "unavailable")
			must.Equal(t, c.maxU, p.Rollout.MaxUnavailable, "maxUnavailable")
			must.Equal(t, c.unavailable, len(p.Rollout.Holders), "budget holders")
		})
	}
}

func TestRollingUpdateSurge(t *testing.T) {
	cases := []struct {
		name  string
		nodes []Node
		pods  []Pod
		ds    DaemonSet
		want  []string
		surge int
	}{
		{"S7 surge candidates within maxSurge, node-name order", nodesN(3),
			[]Pod{old(pod("p1", "n1", 9)), old(pod("p2", "n2", 9)), old(pod("p3", "n3", 9))}, testDS(surge(FromInt(2))),
			[]string{"create n1 Surge", "create n2 Surge"}, 0},
		{"S5 a new pod not available holds the surge budget", nodesN(3),
			[]Pod{old(pod("p1", "n1", 9)), notReady(pod("q1", "n1", 1)), old(pod("p2", "n2", 9)), old(pod("p3", "n3", 9))},
			testDS(surge(FromInt(1))), nil, 1},
		{"S4 an unavailable old pod gets its new pod at once, beyond maxSurge", nodesN(3),
			[]Pod{old(pod("p1", "n1", 9)), notReady(pod("q1", "n1", 1)), notReady(old(pod("p2", "n2", 9))), old(pod("p3", "n3", 9))},
			testDS(surge(FromInt(1))), []string{"create n2 ReplaceUnavailable"}, 1},
		{"S4 an unavailable old pod on a node that should not run goes",
			[]Node{{Name: "n1", Taints: []Taint{{Key: "k", Effect: TaintEffectNoSchedule}}}, {Name: "n2"}},
			[]Pod{notReady(old(pod("p1", "n1", 9))), pod("q2", "n2", 9)}, testDS(surge(FromInt(1))),
			[]string{"delete p1 OldPodUnavailable"}, 0},
		{"S6 an available old pod where none should run goes only if availability stays above desired",
			[]Node{{Name: "n1", Taints: []Taint{{Key: "k", Effect: TaintEffectNoSchedule}}}, {Name: "n2"}},
			[]Pod{old(pod("p1", "n1", 9)), pod("q2", "n2", 9)}, testDS(surge(FromInt(1))),
			[]string{"delete p1 MovedAway"}, 0},
		{"S6 ... and stays while the pod elsewhere is not available",
			[]Node{{Name: "n1", Taints: []Taint{{Key: "k", Effect: TaintEffectNoSchedule}}}, {Name: "n2"}},
			[]Pod{old(pod("p1", "n1", 9)), notReady(pod("q2", "n2", 9))}, testDS(surge(FromInt(1))), nil, 0},
		{"S1 duplicates count as surging", nodesN(2),
			[]Pod{pod("a", "n1", 9), pod("b", "n1", 8), old(pod("p2", "n2", 9))}, testDS(surge(FromInt(1))),
			[]string{"delete b DuplicatePod"}, 0},
		{"U2 surge percent rounds up: 10% of 3 is 1", nodesN(3),
			[]Pod{old(pod("p1", "n1", 9)), old(pod("p2", "n2", 9)), old(pod("p3", "n3", 9))}, testDS(surge(FromString("10%"))),
			[]string{"create n1 Surge"}, 0},
		{"an old pod on a vanished node blocks the surge step", nodesN(2),
			[]Pod{old(pod("p1", "n1", 9)), old(pod("p2", "n2", 9)), old(pod("px", "gone", 9))}, testDS(surge(FromInt(1))),
			nil, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := PlanDaemonSet(c.nodes, c.pods, c.ds, t0, Options{})
			must.NoError(t, err)
			if diff := cmp.Diff(c.want, summary(p)); diff != "" {
				t.Errorf("actions (-want +got):\n%s", diff)
			}
			must.Equal(t, c.surge, p.Rollout.Surging)
		})
	}
	p, err := PlanDaemonSet(nodesN(2), []Pod{old(pod("p1", "n1", 9)), old(pod("p2", "n2", 9)), old(pod("px", "gone", 9))}, testDS(surge(FromInt(1))), t0, Options{})
	must.NoError(t, err)
	must.Contains(t, p.Rollout.Blocked, "px")
}

func TestStatus(t *testing.T) {
	nodes := []Node{{Name: "n1"}, {Name: "n2"}, {Name: "n3"}, {Name: "n4"},
		{Name: "t1", Taints: []Taint{{Key: "k", Effect: TaintEffectNoSchedule}}}}
	pods := []Pod{
		pod("a", "n1", 10),                            // ready, available, updated
		old(pod("b", "n2", 1)),                        // ready, not available for minReadySeconds 120
		notReady(pod("c", "n3", 10)),                  // not ready
		phase(pod("c2", "n3", 1), PodFailed),          // second pod ignored by status
		pod("m", "t1", 10),                            // misscheduled
		deleting(phase(pod("z", "n4", 1), PodFailed)), // invisible
	}
	ds := testDS(func(ds *DaemonSet) { ds.Spec.MinReadySeconds = 120; ds.Generation = 7 })
	p, err := PlanDaemonSet(nodes, pods, ds, t0, Options{})
	must.NoError(t, err)
	want := Status{ObservedGeneration: 7, DesiredNumberScheduled: 4, CurrentNumberScheduled: 3, NumberMisscheduled: 1,
		NumberReady: 2, UpdatedNumberScheduled: 2, NumberAvailable: 1, NumberUnavailable: 3}
	must.Equal(t, want, p.Status)
	// b became ready one minute ago; it is available once 2 minutes have passed.
	must.Equal(t, t0.Add(time.Minute), p.RequeueAt)
}

func TestTemplateGenerationLabel(t *testing.T) {
	ds := testDS(func(ds *DaemonSet) { ds.TemplateGeneration = "4" })
	p1 := old(pod("a", "n1", 5))
	p1.Labels[LabelTemplateGeneration] = "4"
	p, err := PlanDaemonSet(nodesN(2), []Pod{p1}, ds, t0, Options{})
	must.NoError(t, err)
	must.Equal(t, 1, p.Status.UpdatedNumberScheduled, "H3: the deprecated generation label also marks a pod updated")
	must.Equal(t, map[string]string{"app": "d", LabelRevisionHash: "new", LabelTemplateGeneration: "4"}, p.NewPodLabels)

	// The annotation is read as a number: "04" is generation 4; junk is ignored.
	ds.TemplateGeneration = "04"
	p, err = PlanDaemonSet(nodesN(2), []Pod{p1}, ds, t0, Options{})
	must.NoError(t, err)
	must.Equal(t, 1, p.Status.UpdatedNumberScheduled)
	ds.TemplateGeneration = "four"
	p, err = PlanDaemonSet(nodesN(2), []Pod{p1}, ds, t0, Options{})
	must.NoError(t, err)
	must.Equal(t, 0, p.Status.UpdatedNumberScheduled)
	must.Equal(t, map[string]string{"app": "d", LabelRevisionHash: "new"}, p.NewPodLabels)
}

func TestBurstReplicas(t *testing.T) {
	p, err := PlanDaemonSet(nodesN(300), nil, testDS(), t0, Options{})
	must.NoError(t, err)
	must.Len(t, p.Creates, BurstReplicas)
	must.Equal(t, 50, p.DeferredCreates)
	for i := 1; i < len(p.Creates); i++ {
		must.Less(t, p.Creates[i-1].Node, p.Creates[i].Node)
	}
	// The 250 smallest names: n1..n99 and n100..n299 sort before n3xx... check
	// that nothing kept sorts after anything deferred.
	kept := map[string]bool{}
	for _, c := range p.Creates {
		kept[c.Node] = true
	}
	last := p.Creates[len(p.Creates)-1].Node
	for _, n := range nodesN(300) {
		if !kept[n.Name] {
			must.Greater(t, n.Name, last)
		}
	}
}

func TestSkippedAndInputErrors(t *testing.T) {
	p, err := PlanDaemonSet(nodesN(1), nil, testDS(func(ds *DaemonSet) { ds.DeletionTimestamp = t0 }), t0, Options{})
	must.NoError(t, err)
	must.NotEmpty(t, p.Skipped)
	must.Empty(t, p.Creates)

	_, err = PlanDaemonSet([]Node{{Name: "a"}, {Name: "a"}}, nil, testDS(), t0, Options{})
	var fe *FieldError
	must.True(t, errors.As(err, &fe))
	must.Equal(t, "nodes[1].name", fe.Field)

	_, err = PlanDaemonSet(nodesN(1), []Pod{pod("a", "n1", 1), pod("a", "n1", 2)}, testDS(), t0, Options{})
	must.True(t, errors.As(err, &fe))
	must.Equal(t, ErrorTypeDuplicate, fe.Type)

	// The node's pods are in list order (oldest first), where a third pod
	// may sit between the two of one name; the later one is named.
	dups := []Pod{pod("a", "n1", 3), pod("b", "n1", 2), pod("a", "n1", 1)}
	dups[0].CreationTimestamp, dups[1].CreationTimestamp, dups[2].CreationTimestamp = t0.Add(-3*time.Minute), t0.Add(-2*time.Minute), t0.Add(-time.Minute)
	_, err = PlanDaemonSet(nodesN(1), dups, testDS(), t0, Options{})
	must.True(t, errors.As(err, &fe))
	must.Equal(t, ErrorTypeDuplicate, fe.Type)
	must.Equal(t, "pods[2].name", fe.Field)
}

func TestNewPodTolerations(t *testing.T) {
	secs := int64(300)
	ds := testDS(func(ds *DaemonSet) {
		ds.Spec.Template.HostNetwork = true
		ds.Spec.Template.Tolerations = []Toleration{
			{Key: TaintNodeNotReady, Operator: TolerationOpExists, Effect: TaintEffectNoExecute, TolerationSeconds: &secs},
			{Key: "dedicated", Operator: TolerationOpEqual, Value: "x", Effect: TaintEffectNoSchedule},
		}
	})
	p, err := PlanDaemonSet(nodesN(1), nil, ds, t0, Options{})
	must.NoError(t, err)
	want := []Toleration{
		{Key: TaintNodeNotReady, Operator: TolerationOpExists, Effect: TaintEffectNoExecute}, // E8: replaced, seconds lost
		{Key: "dedicated", Operator: TolerationOpEqual, Value: "x", Effect: TaintEffectNoSchedule},
		{Key: TaintNodeUnreachable, Operator: TolerationOpExists, Effect: TaintEffectNoExecute},
		{Key: TaintNodeDiskPressure, Operator: TolerationOpExists, Effect: TaintEffectNoSchedule},
		{Key: TaintNodeMemoryPressure, Operator: TolerationOpExists, Effect: TaintEffectNoSchedule},
		{Key: TaintNodePIDPressure, Operator: TolerationOpExists, Effect: TaintEffectNoSchedule},
		{Key: TaintNodeUnschedulable, Operator: TolerationOpExists, Effect: TaintEffectNoSchedule},
		{Key: TaintNodeNetworkUnavailable, Operator: TolerationOpExists, Effect: TaintEffectNoSchedule},
	}
	must.Equal(t, want, p.NewPodTolerations)
	must.Equal(t, int64(300), *ds.Spec.Template.Tolerations[0].TolerationSeconds, "input untouched")
}

func TestSurgeWaitsForMinReadySeconds(t *testing.T) {
	// R4/S5: the old pod stays until the new one has been ready for
	// minReadySeconds; the plan says when to look again.
	ds := testDS(surge(FromInt(1)), func(ds *DaemonSet) { ds.Spec.MinReadySeconds = 60 })
	newPod := pod("n", "n1", 0)
	newPod.ReadySince = t0.Add(-30 * time.Second)
	pods := []Pod{old(pod("o", "n1", 9)), newPod}
	p, err := PlanDaemonSet(nodesN(1), pods, ds, t0, Options{})
	must.NoError(t, err)
	must.Empty(t, summary(p))
	must.Equal(t, t0.Add(30*time.Second), p.RequeueAt)
	must.Equal(t, 1, p.Rollout.Surging)

	p, err = PlanDaemonSet(nodesN(1), pods, ds, p.RequeueAt, Options{})
	must.NoError(t, err)
	must.Equal(t, []string{"delete o SurgeComplete"}, summary(p))
}

func TestRolloutWaitsForManage(t *testing.T) {
	// B3: a pass with per-node work leaves the rolling update to the next.
	pods := []Pod{old(pod("p1", "n1", 9))}
	p, err := PlanDaemonSet(nodesN(2), pods, testDS(), t0, Options{})
	must.NoError(t, err)
	must.Equal(t, []string{"create n2 MissingPod"}, summary(p))
	must.True(t, !p.Rollout.Evaluated, "rollout must wait")
	must.Equal(t, 1, p.Rollout.MaxUnavailable)

	pods = append(pods, pod("p2", "n2", 1))
	p, err = PlanDaemonSet(nodesN(2), pods, testDS(), t0, Options{})
	must.NoError(t, err)
	must.True(t, p.Rollout.Evaluated)
	must.Equal(t, []string{"delete p1 RollingUpdate"}, summary(p))
}

func TestBudgetHoldersNameTheNodes(t *testing.T) {
	pods := []Pod{notReady(pod("fresh", "n2", 1)), old(pod("p1", "n1", 9)), old(pod("p3", "n3", 9)), deleting(old(pod("p4", "n4", 9)))}
	p, err := PlanDaemonSet(nodesN(4), pods, testDS(unavailable(FromInt(3))), t0, Options{})
	must.NoError(t, err)
	var got []string
	for _, h := range p.Rollout.Holders {
		got = append(got, h.Node+" "+string(h.Reason))
		must.Contains(t, h.Message, h.Node)
	}
	must.Equal(t, []string{"n2 NewPodUnavailable", "n4 NoPod"}, got)
	must.Equal(t, []string{"delete p1 RollingUpdate"}, summary(p), "3 - 2 unavailable leaves room for one")
}

func TestMessagesNameTheCause(t *testing.T) {
	nodes := []Node{{Name: "n1", Taints: []Taint{{Key: "gpu", Value: "busy", Effect: TaintEffectNoExecute}}}}
	p, err := PlanDaemonSet(nodes, []Pod{pod("a", "n1", 5)}, testDS(), t0, Options{})
	must.NoError(t, err)
	must.Len(t, p.Deletes, 1)
	must.Contains(t, p.Deletes[0].Message, "gpu=busy:NoExecute")
	must.Contains(t, p.Deletes[0].Message, "a")
	must.Equal(t, 0, len(p.NewPodLabels))
}

func TestManyPodsOnOneNode(t *testing.T) {
	// More pods than the insertion sort handles: the oldest still stays.
	var pods []Pod
	for i := 0; i < 40; i++ {
		pods = append(pods, pod(fmt.Sprintf("p%02d", i), "n1", (i*7)%40+1))
	}
	p, err := PlanDaemonSet(nodesN(1), pods, testDS(), t0, Options{})
	must.NoError(t, err)
	must.Len(t, p.Deletes, 39)
	for _, d := range p.Deletes {
		if d.Pod == "p17" { // age (17*7)%40+1 = 40 minutes: the oldest
			t.Fatalf("the oldest pod was deleted")
		}
	}
}
