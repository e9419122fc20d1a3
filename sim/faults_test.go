package sim_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/purectl/purectl/cronjob"
	"github.com/purectl/purectl/daemonset"
	"github.com/purectl/purectl/job"
	"github.com/purectl/purectl/ptr"
	"github.com/purectl/purectl/sim"
	"github.com/purectl/purectl/statefulset"
	"github.com/purectl/purectl/volume"
)

// agentWorld is a fresh DaemonSet "agent" on the named nodes.
func agentWorld(life sim.Lifecycle, nodes ...string) *sim.World {
	w := &sim.World{Now: t0, Lifecycle: life}
	for _, n := range nodes {
		w.Nodes = append(w.Nodes, daemonset.Node{Name: n})
	}
	w.DaemonSets = []sim.DaemonSet{{DaemonSet: daemonset.DaemonSet{Name: "agent", Namespace: "ns", UID: "ds-agent", Generation: 1,
		Spec: daemonset.Spec{
			Selector:    &daemonset.LabelSelector{MatchLabels: map[string]string{"app": "agent"}},
			Template:    daemonset.PodTemplate{Labels: map[string]string{"app": "agent"}},
			CurrentHash: "v1",
		}}}}
	return w
}

func run(t *testing.T, w *sim.World) sim.Timeline {
	t.Helper()
	tl, err := w.Run(w.Now.Add(time.Hour), 1000)
	if err != nil {
		t.Fatal(err)
	}
	return tl
}

func step(t *testing.T, w *sim.World) sim.Pass {
	t.Helper()
	p, err := w.Step()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// livePods maps each node to the names of the live pods on it or aimed at
// it.
func livePods(w *sim.World) map[string][]string {
	out := map[string][]string{}
	for _, p := range w.Pods {
		if p.Deleted.IsZero() && (p.Phase == sim.Pending || p.Phase == sim.Running) {
			n := p.Node
			if n == "" {
				n = p.Target
			}
			out[n] = append(out[n], p.Name)
		}
	}
	return out
}

func podOn(t *testing.T, w *sim.World, node string) *sim.Pod {
	t.Helper()
	for i := range w.Pods {
		if p := &w.Pods[i]; p.Node == node || p.Node == "" && p.Target == node {
			return p
		}
	}
	t.Fatalf("no pod on node %s: %+v", node, w.Pods)
	return nil
}

func TestAddAndRemoveNode(t *testing.T) {
	w := agentWorld(sim.Lifecycle{}, "n1", "n2")
	run(t, w)
	if err := w.AddNode(daemonset.Node{Name: "n2"}); err == nil {
		t.Fatal("a second node n2 was added")
	}
	if err := w.AddNode(daemonset.Node{Name: "n3"}); err != nil {
		t.Fatal(err)
	}
	if tl := run(t, w); !tl.Finished {
		t.Fatal("did not finish after a node joined")
	}
	if got := livePods(w); len(got) != 3 || len(got["n3"]) != 1 {
		t.Fatalf("pods by node after n3 joined: %v", got)
	}
	if err := w.RemoveNode("n1"); err != nil {
		t.Fatal(err)
	}
	// Pod garbage collection is at once, before any Step.
	if got := livePods(w); len(got) != 2 || got["n1"] != nil {
		t.Fatalf("pods by node after n1 left: %v", got)
	}
	if err := w.RemoveNode("n1"); !errors.Is(err, sim.ErrNotFound) {
		t.Fatalf("removing a missing node: %v", err)
	}
	if tl := run(t, w); !tl.Finished || len(livePods(w)) != 2 {
		t.Fatalf("finished %v, pods %v", tl.Finished, livePods(w))
	}
}

func TestTaintAndUntaintNode(t *testing.T) {
	w := agentWorld(sim.Lifecycle{}, "n1", "n2")
	run(t, w)
	if err := w.TaintNode("n1", daemonset.Taint{Key: "maintenance", Effect: daemonset.TaintEffectNoExecute}); err != nil {
		t.Fatal(err)
	}
	run(t, w)
	if got := livePods(w); got["n1"] != nil || len(got["n2"]) != 1 {
		t.Fatalf("the DaemonSet kept its pod on a NoExecute-tainted node: %v", got)
	}
	if err := w.UntaintNode("n1", "maintenance"); err != nil {
		t.Fatal(err)
	}
	if len(w.Nodes[0].Taints) != 0 {
		t.Fatalf("taints left: %v", w.Nodes[0].Taints)
	}
	run(t, w)
	if got := livePods(w); len(got["n1"]) != 1 {
		t.Fatalf("no pod back on the untainted node: %v", got)
	}
	if err := w.TaintNode("n9", daemonset.Taint{Key: "k"}); !errors.Is(err, sim.ErrNotFound) {
		t.Fatalf("tainting a missing node: %v", err)
	}
}

func TestSetNodeReady(t *testing.T) {
	w := agentWorld(sim.Lifecycle{}, "n1", "n2")
	run(t, w)
	if err := w.SetNodeReady("n1", false); err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(w.Nodes[0].Taints, func(x daemonset.Taint) bool {
		return x.Key == daemonset.TaintNodeNotReady && x.Effect == daemonset.TaintEffectNoExecute
	}) {
		t.Fatalf("no not-ready taint: %v", w.Nodes[0].Taints)
	}
	w.Now = w.Now.Add(time.Minute)
	step(t, w)
	step(t, w)
	// DaemonSet pods tolerate not-ready: the pod stays, not Ready.
	if p := podOn(t, w, "n1"); p.Ready || !p.Deleted.IsZero() {
		t.Fatalf("pod on the NotReady node: %+v", p)
	}
	if p := podOn(t, w, "n2"); !p.Ready {
		t.Fatalf("pod on the Ready node is not Ready: %+v", p)
	}
	if err := w.SetNodeReady("n1", true); err != nil {
		t.Fatal(err)
	}
	step(t, w)
	if p := podOn(t, w, "n1"); !p.Ready || len(w.Nodes[0].Taints) != 0 {
		t.Fatalf("node back: pod %+v, taints %v", p, w.Nodes[0].Taints)
	}
}

func TestDeletePodOutOfBand(t *testing.T) {
	w := agentWorld(sim.Lifecycle{Terminate: 30 * time.Second}, "n1")
	run(t, w)
	first := podOn(t, w, "n1").Name
	if err := w.DeletePod("ns", first); err != nil {
		t.Fatal(err)
	}
	if err := w.DeletePod("ns", first); err == nil {
		t.Fatal("a second delete of the same pod was accepted")
	}
	if err := w.DeletePod("ns", "nope"); !errors.Is(err, sim.ErrNotFound) {
		t.Fatalf("deleting a missing pod: %v", err)
	}
	if tl := run(t, w); !tl.Finished || !tl.End.Equal(t0.Add(30*time.Second)) {
		t.Fatalf("finished %v at %v", tl.Finished, tl.End)
	}
	if got := livePods(w)["n1"]; len(got) != 1 || got[0] == first || len(w.Pods) != 1 {
		t.Fatalf("pods on n1 after the delete: %v (all %d)", got, len(w.Pods))
	}
}

func TestFailPod(t *testing.T) {
	w := agentWorld(sim.Lifecycle{}, "n1", "n2")
	run(t, w)
	failed, done := podOn(t, w, "n1").Name, podOn(t, w, "n2").Name
	if err := w.FailPod("ns", failed, 137); err != nil {
		t.Fatal(err)
	}
	if err := w.FailPod("ns", done, 0); err != nil {
		t.Fatal(err)
	}
	if err := w.FailPod("ns", done, 1); err == nil {
		t.Fatal("an ended pod failed again")
	}
	phases := map[string]sim.Phase{}
	for _, p := range w.Pods {
		phases[p.Name] = p.Phase
	}
	if phases[failed] != sim.Failed || phases[done] != sim.Succeeded {
		t.Fatalf("phases %v", phases)
	}
	p := step(t, w)
	deleted := map[string]bool{}
	for _, a := range p.Actions {
		if a.Verb == "delete" {
			deleted[a.Target] = true
		}
	}
	if !deleted[failed] || !deleted[done] {
		t.Fatalf("the DaemonSet did not delete its ended pods: %+v", p.Actions)
	}
}

// With Manual, pods move only when told, whatever the clock does.
func TestManualLifecycle(t *testing.T) {
	w := agentWorld(sim.Lifecycle{Manual: true}, "n1", "n2")
	for range 3 {
		step(t, w)
		w.Now = w.Now.Add(time.Hour)
	}
	if len(w.Pods) != 2 {
		t.Fatalf("%d pods", len(w.Pods))
	}
	for _, p := range w.Pods {
		if p.Phase != sim.Pending || p.Node != "" {
			t.Fatalf("pod moved by itself: %+v", p)
		}
	}
	a, b := podOn(t, w, "n1").Name, podOn(t, w, "n2").Name
	if err := w.SetPodReady("ns", a, true); err != nil {
		t.Fatal(err)
	}
	if p := podOn(t, w, "n1"); p.Phase != sim.Running || !p.Ready || p.Node != "n1" || !p.ReadySince.Equal(w.Now) {
		t.Fatalf("after SetPodReady: %+v", p)
	}
	if err := w.SetPodReady("ns", a, false); err != nil {
		t.Fatal(err)
	}
	if err := w.DeletePod("ns", b); err != nil {
		t.Fatal(err)
	}
	w.Lifecycle.Terminate = time.Second
	w.Now = w.Now.Add(time.Hour)
	step(t, w)
	if len(w.Pods) != 2 || podOn(t, w, "n1").Ready {
		t.Fatalf("manual world moved: %+v", w.Pods)
	}
	if err := w.SetPodReady("ns", b, true); err == nil {
		t.Fatal("a pod being deleted was made ready")
	}
	if err := w.FinishTermination("ns", a); err == nil {
		t.Fatal("a live pod's termination was finished")
	}
	if err := w.FinishTermination("ns", b); err != nil {
		t.Fatal(err)
	}
	if len(w.Pods) != 1 {
		t.Fatalf("the terminated pod is still there: %+v", w.Pods)
	}
	// Clearing Manual: the world catches up, but the held readiness stays
	// False until it is turned back.
	w.Lifecycle.Manual = false
	run(t, w)
	if got := livePods(w); len(got["n2"]) != 1 || podOn(t, w, "n1").Ready || podOn(t, w, "n2").Phase != sim.Running {
		t.Fatalf("after Manual was cleared: %+v", w.Pods)
	}
	if err := w.SetPodReady("ns", a, true); err != nil {
		t.Fatal(err)
	}
	if tl := run(t, w); !tl.Finished {
		t.Fatal("did not finish once the probe recovered")
	}
}

func TestLoseWrites(t *testing.T) {
	w := agentWorld(sim.Lifecycle{}, "n1", "n2")
	var seen []sim.Write
	w.Faults.Lose = func(wr sim.Write) bool {
		seen = append(seen, wr)
		return wr.Pass == 1 || wr.Pass == 3 && wr.Verb == "delete"
	}
	p := step(t, w)
	if len(w.Pods) != 0 || len(p.Actions) != 2 || !p.Actions[0].Lost || !p.Actions[1].Lost {
		t.Fatalf("pass 1's creates were not lost: pods %d, actions %+v", len(w.Pods), p.Actions)
	}
	p = step(t, w)
	if len(w.Pods) != 2 || slices.ContainsFunc(p.Actions, func(a sim.Action) bool { return a.Lost }) {
		t.Fatalf("pass 2 did not create: pods %d, actions %+v", len(w.Pods), p.Actions)
	}
	victim := podOn(t, w, "n1").Name
	if err := w.FailPod("ns", victim, 1); err != nil {
		t.Fatal(err)
	}
	p = step(t, w) // pass 3: the delete of the failed pod is lost
	if len(p.Actions) == 0 || !p.Actions[0].Lost || p.Actions[0].Target != victim || !podOn(t, w, "n1").Deleted.IsZero() {
		t.Fatalf("pass 3's delete was not lost: %+v", p.Actions)
	}
	w.Now = w.Now.Add(daemonset.BackoffMax) // past the failed-pod backoff the lost delete started
	p = step(t, w)
	if len(p.Actions) == 0 || p.Actions[0].Lost || p.Actions[0].Verb != "delete" || p.Actions[0].Target != victim {
		t.Fatalf("pass 4 did not retry the delete: %+v", p.Actions)
	}
	want := sim.Write{Pass: 1, Object: "daemonset/ns/agent", Verb: "create", Target: "n1"}
	if len(seen) < 1 || seen[0] != want {
		t.Fatalf("first write seen %+v, want %+v", seen, want)
	}
}

// A DaemonSet create that shows up late: the controller's expectations keep
// it from creating a second pod on the node meanwhile.
func TestLagCreatesKeepsExpectations(t *testing.T) {
	w := agentWorld(sim.Lifecycle{}, "n1", "n2")
	w.Faults.Lag = func(wr sim.Write) int {
		if wr.Target == "n1" && wr.Pass == 1 {
			return 3
		}
		return 0
	}
	for pass := 1; pass <= 6; pass++ {
		p := step(t, w)
		if got := livePods(w); len(got["n1"]) > 1 || len(got["n2"]) > 1 {
			t.Fatalf("pass %d: a node runs two pods: %v (%+v)", pass, got, p.Actions)
		}
		creates := 0
		for _, a := range p.Actions {
			if a.Verb == "create" {
				creates++
			}
		}
		if pass == 1 && creates != 2 || pass > 1 && len(p.Actions) != 0 {
			t.Fatalf("pass %d wrote %+v", pass, p.Actions)
		}
	}
	if st := w.DaemonSets[0].ObservedGeneration; st != 1 {
		t.Fatalf("observedGeneration %d once the pod was seen", st)
	}
}

// A StatefulSet create that shows up late is created again, and the API
// server refuses the name in use.
func TestLagStatefulSetCreateIsRefusedAgain(t *testing.T) {
	w := &sim.World{Now: t0}
	w.StatefulSets = []sim.StatefulSet{{Set: statefulset.Set{Name: "web", Namespace: "ns", UID: "sts-web", Generation: 1,
		Spec: statefulset.Spec{Replicas: ptr.To(int32(2)), PodManagementPolicy: statefulset.Parallel,
			Selector: &statefulset.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
			Template: statefulset.PodTemplate{Labels: map[string]string{"app": "web"}}, ServiceName: "web"},
		UpdateRevision: "r1"}}}
	w.Faults.Lag = func(wr sim.Write) int {
		if wr.Target == "web-0" && wr.Pass == 1 {
			return 2
		}
		return 0
	}
	var refused []string
	for range 6 {
		p := step(t, w)
		for _, a := range p.Actions {
			if a.Verb == "create" && a.Lost {
				refused = append(refused, fmt.Sprint(w.Passes, a.Target))
			}
		}
		names := map[string]int{}
		for _, p := range w.Pods {
			names[p.Name]++
		}
		if names["web-0"] > 1 || names["web-1"] > 1 {
			t.Fatalf("pass %d: duplicate pods %v", w.Passes, names)
		}
	}
	if !slices.Equal(refused, []string{"2web-0", "3web-0"}) {
		t.Fatalf("refused creates %v, want web-0 in passes 2 and 3", refused)
	}
	if st := w.StatefulSets[0]; st.Status.ReadyReplicas != 2 {
		t.Fatalf("status %+v once web-0 is seen", st.Status)
	}
}

// boundWorld has three static volumes of the given policies and a claim
// for each, bound by the world's PV controller.
func boundWorld(t *testing.T, policies ...volume.ReclaimPolicy) *sim.World {
	t.Helper()
	w := &sim.World{Now: t0}
	for i, pol := range policies {
		w.Volumes = append(w.Volumes, volume.Volume{Name: fmt.Sprint("pv-", i), Spec: volume.VolumeSpec{
			Capacity: volume.MustParseQuantity("1Gi"), AccessModes: []volume.AccessMode{volume.ReadWriteOnce}, ReclaimPolicy: pol,
			Source: volume.VolumeSource{NFS: &volume.NFSSource{Server: "nfs", Path: fmt.Sprint("/", i)}}}})
		w.Claims = append(w.Claims, sim.Claim{Claim: volume.Claim{Namespace: "ns", Name: fmt.Sprint("c-", i), UID: fmt.Sprint("uid-c-", i),
			Spec: volume.ClaimSpec{StorageClassName: ptr.To(""), AccessModes: []volume.AccessMode{volume.ReadWriteOnce},
				Request: volume.MustParseQuantity(fmt.Sprint(i+1, "00Mi")), VolumeName: fmt.Sprint("pv-", i)}}})
	}
	for range 3 {
		step(t, w)
	}
	for _, c := range w.Claims {
		if c.Status.Phase != volume.ClaimBound {
			t.Fatalf("claim %s is %s", c.Name, c.Status.Phase)
		}
	}
	return w
}

func TestDeleteClaimReclaimsItsVolume(t *testing.T) {
	w := boundWorld(t, volume.Retain, volume.Recycle, volume.Delete)
	for _, n := range []string{"c-0", "c-1", "c-2"} {
		if err := w.DeleteClaim("ns", n); err != nil {
			t.Fatal(err)
		}
	}
	if len(w.Claims) != 0 {
		t.Fatalf("unused claims not gone at once: %+v", w.Claims)
	}
	if err := w.DeleteClaim("ns", "c-0"); !errors.Is(err, sim.ErrNotFound) {
		t.Fatalf("deleting a missing claim: %v", err)
	}
	step(t, w)
	phases := map[string]string{}
	for _, v := range w.Volumes {
		phases[v.Name] = string(v.Status.Phase)
		if v.Spec.ClaimRef != nil && v.Spec.ClaimRef.UID != "" && (v.Status.Phase == volume.VolumeAvailable || v.Status.Phase == volume.VolumeBound) {
			t.Fatalf("volume %s keeps claimRef %+v as %s", v.Name, v.Spec.ClaimRef, v.Status.Phase)
		}
	}
	// Retain: Released; Recycle (NFS): scrubbed and Available; Delete on
	// NFS: no plugin deletes it, so it Fails.
	want := map[string]string{"pv-0": "Released", "pv-1": "Available", "pv-2": "Failed"}
	if fmt.Sprint(phases) != fmt.Sprint(want) {
		t.Fatalf("volume phases %v, want %v", phases, want)
	}
}

// A provisioned volume of policy Delete goes with its claim; a claim a pod
// uses waits for the pod.
func TestDeleteClaimInUseWaitsForItsPod(t *testing.T) {
	now := volume.Immediate
	w := &sim.World{Now: t0, StorageClasses: []volume.StorageClass{{Name: "fast", Provisioner: "fast.csi.example.com", VolumeBindingMode: &now}}}
	w.Claims = []sim.Claim{{Claim: volume.Claim{Namespace: "ns", Name: "data", UID: "uid-data", Spec: volume.ClaimSpec{
		StorageClassName: ptr.To("fast"), AccessModes: []volume.AccessMode{volume.ReadWriteOnce}, Request: volume.MustParseQuantity("1Gi")}}}}
	w.Pods = []sim.Pod{{Name: "user", Namespace: "ns", UID: "uid-user", Kind: sim.KindStatefulSet, Index: -1, Phase: sim.Pending, Created: t0,
		Volumes: []statefulset.Volume{{Name: "data", ClaimName: "data"}}}}
	run(t, w)
	if len(w.Volumes) != 1 || w.Claims[0].Status.Phase != volume.ClaimBound || w.Pods[0].Phase != sim.Running {
		t.Fatalf("not set up: volumes %d, claim %s, pod %s", len(w.Volumes), w.Claims[0].Status.Phase, w.Pods[0].Phase)
	}
	if err := w.DeleteClaim("ns", "data"); err != nil {
		t.Fatal(err)
	}
	if err := w.DeleteClaim("ns", "data"); err == nil {
		t.Fatal("a second delete of the claim was accepted")
	}
	step(t, w)
	if len(w.Claims) != 1 || len(w.Volumes) != 1 {
		t.Fatalf("the claim in use went: claims %d, volumes %d", len(w.Claims), len(w.Volumes))
	}
	if err := w.DeletePod("ns", "user"); err != nil {
		t.Fatal(err)
	}
	run(t, w)
	if len(w.Claims) != 0 || len(w.Volumes) != 0 {
		t.Fatalf("after the pod went: claims %+v, volumes %+v", w.Claims, w.Volumes)
	}
}

// A Job whose pod writes and finalizer removals the API server refuses
// now and then, and whose new pods some passes do not see yet, still
// finishes, never runs more pods than parallelism, and never counts more
// pods than finished: a pass with a lost removal keeps the status written
// before the removals (job.Result.StatusBeforeRemovals), so its pods are
// counted once, later.
func TestJobWithLostWritesCountsEveryPodOnce(t *testing.T) {
	runsWithLostRemovals := 0
	defer func() {
		if runsWithLostRemovals == 0 {
			t.Error("no run lost a finalizer removal")
		}
	}()
	rapid.Check(t, func(t *rapid.T) {
		completions := int32(rapid.IntRange(1, 12).Draw(t, "completions"))
		parallelism := int32(rapid.IntRange(1, 4).Draw(t, "parallelism"))
		j := indexedJob(completions, parallelism, 100)
		if rapid.Bool().Draw(t, "nonIndexed") {
			j.Spec.CompletionMode = job.NonIndexed
		}
		j.Options.Release.Version = rapid.SampledFrom(releases).Draw(t, "release")
		// Lost writes stop after a while, so that the Job can finish.
		lossy := rapid.IntRange(5, 60).Draw(t, "lossyPasses")
		every := rapid.IntRange(2, 4).Draw(t, "loseEvery")
		seen := 0
		w := &sim.World{Now: t0, Lifecycle: sim.Lifecycle{Run: time.Duration(rapid.IntRange(1, 60).Draw(t, "run")) * time.Second,
			ExitCode: func(p *sim.Pod) int32 { return int32(p.Attempt % 2) }}, // every first attempt fails
			Jobs: []sim.Job{j}}
		w.Faults.Lose = func(wr sim.Write) bool {
			seen++
			return wr.Pass <= lossy && seen%every == 0
		}
		// Some creates are seen only passes later: the controller's
		// expectations (Job.OperationsPending) keep it from creating the
		// same pods again meanwhile.
		lag := rapid.IntRange(0, 3).Draw(t, "lag")
		w.Faults.Lag = func(wr sim.Write) int {
			if wr.Pass <= lossy && seen%3 == 1 {
				return lag
			}
			return 0
		}
		lostRemovals := 0
		for pass := 0; pass < 3000; pass++ {
			// One pass, then the clock moves on to the next event.
			tl, err := w.Run(t0.Add(48*time.Hour), 1)
			if err != nil {
				t.Fatal(err)
			}
			if tl.Stuck {
				t.Fatalf("pass %d: stuck with status %+v", pass, w.Jobs[0].Status)
			}
			p := tl.Passes[0]
			for _, a := range p.Actions {
				if a.Lost && a.Verb == "release" {
					lostRemovals++
				}
			}
			if r := p.Jobs[0].Running; r > int(parallelism) {
				t.Fatalf("pass %d: %d pods running, parallelism %d", pass, r, parallelism)
			}
			st := w.Jobs[0].Status
			var succeeded, failed int32
			for _, pod := range w.Pods {
				switch pod.Phase {
				case sim.Succeeded:
					succeeded++
				case sim.Failed:
					failed++
				}
			}
			if st.Succeeded > succeeded || st.Failed > failed {
				t.Fatalf("pass %d: status counts %d succeeded and %d failed; only %d and %d pods finished so", pass, st.Succeeded, st.Failed, succeeded, failed)
			}
			if p.Jobs[0].Finished {
				if st.Succeeded != completions {
					t.Fatalf("finished with %d succeeded, want %d", st.Succeeded, completions)
				}
				if lostRemovals > 0 {
					runsWithLostRemovals++
				}
				return
			}
		}
		t.Fatalf("the Job did not finish (%d removals lost)", lostRemovals)
	})
}

// A claim whose sync fails (its class has no binding mode) does not stop
// the PV controller's pass: the other claims are bound, the refused one
// stays Pending.
func TestRefusedClaimLeavesTheOthersBound(t *testing.T) {
	w := &sim.World{Now: t0, StorageClasses: []volume.StorageClass{{Name: "broken", Provisioner: volume.NoProvisioner}}}
	w.Volumes = []volume.Volume{{Name: "pv-0", Spec: volume.VolumeSpec{
		Capacity: volume.MustParseQuantity("1Gi"), AccessModes: []volume.AccessMode{volume.ReadWriteOnce}, ReclaimPolicy: volume.Retain,
		Source: volume.VolumeSource{NFS: &volume.NFSSource{Server: "nfs", Path: "/0"}}}}}
	for _, cl := range []string{"broken", ""} {
		w.Claims = append(w.Claims, sim.Claim{Claim: volume.Claim{Namespace: "ns", Name: "c-" + cl, UID: "uid-c-" + cl,
			Spec: volume.ClaimSpec{StorageClassName: ptr.To(cl), AccessModes: []volume.AccessMode{volume.ReadWriteOnce},
				Request: volume.MustParseQuantity("1Gi")}}})
	}
	for range 3 {
		step(t, w)
	}
	phases := map[string]volume.ClaimPhase{}
	for _, c := range w.Claims {
		phases[c.Name] = c.Status.Phase
	}
	if phases["c-"] != volume.ClaimBound || phases["c-broken"] == volume.ClaimBound {
		t.Fatalf("claim phases %v", phases)
	}
}

// Bindings whose volume or claim write the API server refuses are finished
// on later passes: a claim's volume write that went through leaves the
// volume reserved for it (the controller's pre-bound path), and once the
// writes go through, every claim holds the volume it holds with no faults.
// No volume is ever given to two claims meanwhile.
func TestClaimsWithLostBindWritesEndBoundOnce(t *testing.T) {
	halfBound := 0
	defer func() {
		if halfBound == 0 {
			t.Error("no run lost a claim's write after its volume's")
		}
	}()
	sizes := []string{"1Gi", "2Gi", "5Gi"}
	rapid.Check(t, func(t *rapid.T) {
		clean, lossy := &sim.World{Now: t0}, &sim.World{Now: t0}
		nv := rapid.IntRange(1, 6).Draw(t, "volumes")
		for i := range nv {
			v := volume.Volume{Name: fmt.Sprint("pv-", i), Spec: volume.VolumeSpec{
				Capacity: volume.MustParseQuantity(rapid.SampledFrom(sizes).Draw(t, "pvSize")), AccessModes: []volume.AccessMode{volume.ReadWriteOnce},
				ReclaimPolicy: volume.Retain, Source: volume.VolumeSource{NFS: &volume.NFSSource{Server: "nfs", Path: fmt.Sprint("/", i)}}}}
			clean.Volumes, lossy.Volumes = append(clean.Volumes, v), append(lossy.Volumes, v)
		}
		nc := rapid.IntRange(1, 6).Draw(t, "claims")
		for i := range nc {
			c := sim.Claim{Claim: volume.Claim{Namespace: "ns", Name: fmt.Sprint("c-", i), UID: fmt.Sprint("uid-c-", i),
				Spec: volume.ClaimSpec{StorageClassName: ptr.To(""), AccessModes: []volume.AccessMode{volume.ReadWriteOnce},
					Request: volume.MustParseQuantity(rapid.SampledFrom(sizes).Draw(t, "claimSize"))}}}
			clean.Claims, lossy.Claims = append(clean.Claims, c), append(lossy.Claims, c)
		}
		until := rapid.IntRange(1, 12).Draw(t, "lossyPasses")
		loseVolume := rapid.Float64Range(0, 1).Draw(t, "loseVolume")
		loseClaim := rapid.Float64Range(0, 1).Draw(t, "loseClaim")
		seed := rapid.Uint64().Draw(t, "seed")
		roll := func(p float64) bool { // deterministic per draw
			seed = seed*6364136223846793005 + 1442695040888963407
			return float64(seed>>11)/(1<<53) < p
		}
		lostClaimWrites := 0
		lossy.Faults.Lose = func(wr sim.Write) bool {
			if wr.Verb != "bind" || wr.Pass > until {
				return false
			}
			if strings.HasPrefix(wr.Object, "persistentvolume/") {
				return roll(loseVolume)
			}
			if roll(loseClaim) {
				lostClaimWrites++
				return true
			}
			return false
		}
		bindings := func(w *sim.World) map[string]string {
			out := map[string]string{}
			owner := map[string]string{}
			for _, c := range w.Claims {
				if c.Status.Phase != volume.ClaimBound {
					continue
				}
				if prev, ok := owner[c.Spec.VolumeName]; ok {
					t.Fatalf("volume %s bound to %s and %s", c.Spec.VolumeName, prev, c.Name)
				}
				owner[c.Spec.VolumeName] = c.Name
				out[c.Name] = c.Spec.VolumeName
			}
			for _, v := range w.Volumes {
				if r := v.Spec.ClaimRef; r != nil && owner[v.Name] != "" && r.Name != owner[v.Name] {
					t.Fatalf("claim %s is bound to %s, whose claimRef names %s", owner[v.Name], v.Name, r.Name)
				}
			}
			return out
		}
		for range 8 {
			if _, err := clean.Step(); err != nil {
				t.Fatal(err)
			}
		}
		for range until + 8 {
			if _, err := lossy.Step(); err != nil {
				t.Fatal(err)
			}
			bindings(lossy)
		}
		if want, got := bindings(clean), bindings(lossy); fmt.Sprint(want) != fmt.Sprint(got) {
			t.Fatalf("bindings with lost writes %v, without %v", got, want)
		}
		if lostClaimWrites > 0 {
			halfBound++
		}
	})
}

// A CronJob whose Job creates and deletes the API server refuses for a
// while: no scheduled run gets two Jobs, Forbid never overlaps, and once
// the writes go through again the runs go on and the history limits hold.
func TestCronJobWithLostWritesRunsEachTimeOnce(t *testing.T) {
	lostCreates, lostDeletes := 0, 0
	defer func() {
		if lostCreates == 0 || lostDeletes == 0 {
			t.Errorf("lost creates %d, lost deletes %d: a kind of refusal was never tried", lostCreates, lostDeletes)
		}
	}()
	rapid.Check(t, func(t *rapid.T) {
		policy := rapid.SampledFrom([]cronjob.ConcurrencyPolicy{cronjob.AllowConcurrent, cronjob.ForbidConcurrent, cronjob.ReplaceConcurrent}).Draw(t, "policy")
		run := time.Duration(rapid.IntRange(1, 12).Draw(t, "runMinutes")) * time.Minute
		lossy := time.Duration(rapid.IntRange(0, 90).Draw(t, "lossyMinutes")) * time.Minute
		p := rapid.Float64Range(0, 0.9).Draw(t, "loseShare")
		seed := rapid.Uint64().Draw(t, "seed")
		w := &sim.World{Now: t0, Lifecycle: sim.Lifecycle{Start: time.Second, Run: run},
			CronJobs: []sim.CronJob{{CronJob: cronjob.CronJob{Name: "report", Namespace: "batch", CreationTimestamp: t0.Add(-time.Second),
				Spec: cronjob.Spec{Schedule: "*/5 * * * *", ConcurrencyPolicy: policy}},
				JobSpec: job.Spec{Template: job.PodTemplate{RestartPolicy: job.RestartNever, Containers: []string{"report"}}}}}}
		w.Faults.Lose = func(wr sim.Write) bool {
			if !strings.HasPrefix(wr.Object, "cronjob/") || w.Now.Sub(t0) >= lossy {
				return false
			}
			seed = seed*6364136223846793005 + 1442695040888963407
			return float64(seed>>11)/(1<<53) < p
		}
		end := t0.Add(3 * time.Hour)
		tl, err := w.Run(end, 20000)
		if err != nil {
			t.Fatal(err)
		}
		created := map[string]bool{}
		for _, ps := range tl.Passes {
			if policy == cronjob.ForbidConcurrent && ps.CronJobs[0].Active > 1 {
				t.Fatalf("%d Jobs active at %v under Forbid", ps.CronJobs[0].Active, ps.At)
			}
			for _, a := range ps.Actions {
				if a.Object != "cronjob/batch/report" {
					continue
				}
				switch {
				case a.Lost && a.Verb == "create":
					lostCreates++
				case a.Lost && a.Verb == "delete":
					lostDeletes++
				case a.Verb == "create":
					if created[a.Target] {
						t.Fatalf("Job %s created twice (again at %v)", a.Target, ps.At)
					}
					created[a.Target] = true
				}
			}
		}
		// Without Forbid every run starts, on time or seconds later: a
		// refused create is retried a second later, and a run is superseded
		// only by the next one, five minutes (hundreds of retries) on.
		if policy != cronjob.ForbidConcurrent {
			for at := t0.Truncate(5 * time.Minute).Add(5 * time.Minute); at.Before(end.Add(-time.Minute)); at = at.Add(5 * time.Minute) {
				if name := cronjob.JobName("report", at); !created[name] {
					t.Fatalf("the run at %v has no Job %s", at, name)
				}
			}
		}
		names := map[string]bool{}
		for _, j := range w.Jobs {
			if names[j.Name] {
				t.Fatalf("two Jobs named %s", j.Name)
			}
			names[j.Name] = true
		}
		last := tl.Passes[len(tl.Passes)-1].CronJobs[0]
		if gap := end.Sub(last.LastSchedule); gap > run+10*time.Minute {
			t.Fatalf("the last run was scheduled at %v, %v before the end: the CronJob stopped", last.LastSchedule, gap)
		}
		if limit := cronjob.DefaultSuccessfulJobsHistoryLimit + cronjob.DefaultFailedJobsHistoryLimit; last.Jobs-last.Active > limit {
			t.Fatalf("%d finished Jobs kept at the end, limits %d", last.Jobs-last.Active, limit)
		}
	})
}
