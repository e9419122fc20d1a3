package daemon

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	podutil "k8s.io/kubernetes/pkg/api/v1/pod"
	"k8s.io/kubernetes/pkg/controller"
	dsutil "k8s.io/kubernetes/pkg/controller/daemon/util"
	"pgregory.net/rapid"

	"github.com/purectl/purectl/daemonset"
	"github.com/purectl/purectl/examples/kube/adapt"
	"github.com/purectl/purectl/examples/kube/internal/testmain"
)

// passesPerTrajectory is how many controller passes one generated case runs;
// DAEMON_PASSES overrides it for a longer campaign.
func passesPerTrajectory() int {
	if n, err := strconv.Atoi(os.Getenv("DAEMON_PASSES")); err == nil && n > 0 {
		return n
	}
	return 20
}

// TestSyncDaemonSetTrajectories runs the informer-fed controller: every
// write leaves the expectations unmet until the next pass, which sees it.
func TestSyncDaemonSetTrajectories(t *testing.T) { runTrajectories(t, false) }

// TestSyncDaemonSetTrajectoriesWritesObserved runs the controller with a pod
// control that makes every write visible at once (as in upstream's unit
// tests), against purectl with DaemonSet.WritesObserved.
func TestSyncDaemonSetTrajectoriesWritesObserved(t *testing.T) { runTrajectories(t, true) }

func runTrajectories(t *testing.T, observe bool) {
	var passes, rolledWithWrites, creates, deletes, rolls, revDeletes, errs, requeues, held, statusOnly atomic.Int64
	rapid.Check(t, func(t *rapid.T) {
		c := genCluster(t)
		u := newUpstream(c.now)
		defer u.close()
		for pass := range passesPerTrajectory() {
			// Now and then the informer-fed controller's cache lags: a
			// create not yet delivered leaves its expectations unmet, or a
			// pod write it recorded is newer than its pod cache.
			var lag daemonset.Unobserved
			if !observe {
				switch rapid.IntRange(0, 11).Draw(t, "lag") {
				case 0:
					lag.Creates = true
				case 1:
					lag.Adoptions = true
				case 2:
					lag.Deletes = true
				}
			}
			// A create is both an expectation and (from v1.36) a recorded
			// write; a delete only an expectation; an adoption only a
			// recorded write.
			u.unmet = lag.Creates || lag.Deletes
			u.staleRead = lag.Creates || lag.Adoptions
			out := u.sync(c, observe)
			plan, err := planOf(c, observe, true, lag)
			if err != nil {
				t.Fatalf("pass %d: purectl: %v", pass, err)
			}
			if plan.Skipped != "" && lag != (daemonset.Unobserved{}) {
				// Held by the consistency check: the controller fails the
				// pass before it reads anything, and writes nothing.
				if msg := compareHeld(c, out); msg != "" {
					t.Fatalf("pass %d at %s: %s (purectl: %s)\n%s", pass, c.now.Format(time.RFC3339), msg, plan.Skipped, describe(c))
				}
				held.Add(1)
				passes.Add(1)
				c.step(t)
				continue
			}
			if plan.StatusOnly {
				statusOnly.Add(1)
			}
			if msg := compare(c, out, plan, observe); msg != "" {
				t.Fatalf("pass %d at %s: %s\n%s", pass, c.now.Format(time.RFC3339), msg, describe(c))
			}
			// The history clean-up reads the pods as the pass found them,
			// which only the informer-fed run leaves in place.
			if !observe && !plan.StatusOnly { // a status-only pass cleans no history
				if msg := compareHistory(c, out); msg != "" {
					t.Fatalf("pass %d at %s: %s\n%s", pass, c.now.Format(time.RFC3339), msg, describe(c))
				}
			}
			exact, err := planOf(c, observe, false, lag)
			if err != nil {
				t.Fatalf("pass %d: purectl: %v", pass, err)
			}
			if msg := compareExactRequeue(c, plan, exact); msg != "" {
				t.Fatalf("pass %d at %s: %s\n%s", pass, c.now.Format(time.RFC3339), msg, describe(c))
			}
			// What this suite found about the real controller: fed by
			// informers, it never runs the rolling update in a pass whose
			// reconcile wrote anything (its expectations are unmet).
			if !observe && out.rolled && hasPhase(out, 1) {
				t.Fatalf("pass %d: the informer-fed controller rolled in the same pass as the reconcile's writes", pass)
			}
			passes.Add(1)
			revDeletes.Add(int64(len(revisionsDeleted(c, out))))
			if out.err != nil {
				errs.Add(1)
			}
			if out.requeue >= 0 {
				requeues.Add(1)
			}
			creates.Add(int64(len(out.creates)))
			deletes.Add(int64(len(out.deletes)))
			if out.rolled {
				rolls.Add(1)
				if observe && hasPhase(out, 1) {
					rolledWithWrites.Add(1)
				}
			}
			apply(c, out, plan)
			c.step(t)
		}
	})
	t.Logf("release %s: %d passes: %d creates, %d deletes, rolling update ran in %d (in %d of them after the reconcile's writes), "+
		"%d revisions deleted, %d passes with a requeue, %d failed passes, %d status-only (expectations unmet), %d held for a stale cache",
		testmain.Release(), passes.Load(), creates.Load(), deletes.Load(), rolls.Load(), rolledWithWrites.Load(), revDeletes.Load(),
		requeues.Load(), errs.Load(), statusOnly.Load(), held.Load())
	// The suite proves little if the interesting paths never came up.
	if passes.Load() >= 1000 && (creates.Load() == 0 || deletes.Load() == 0 || rolls.Load() == 0 || revDeletes.Load() == 0 ||
		observe && rolledWithWrites.Load() == 0) {
		t.Errorf("the trajectories never exercised creates, deletes, the rolling update or the history clean-up")
	}
}

func hasPhase(out outcome, phase int) bool {
	for _, w := range append(slices.Clone(out.creates), out.deletes...) {
		if w.phase == phase {
			return true
		}
	}
	return false
}

func planOf(c *cluster, observe, coarse bool, lag daemonset.Unobserved) (daemonset.Plan, error) {
	var pods []daemonset.Pod
	for _, p := range c.sortedPods() {
		pods = append(pods, adapt.DaemonPod(p))
	}
	ds := adapt.DaemonSet(c.ds)
	ds.FailedPodBackoff = c.backoff
	ds.WritesObserved = observe
	ds.RequeueAfterMinReady = coarse
	ds.Unobserved = lag
	return daemonset.PlanDaemonSet(adapt.Nodes(c.sortedNodes()), pods, ds, c.now, daemonset.Options{Release: testmain.Release()})
}

// compare reports the first difference between a real pass and purectl's
// plan for it, or "".
func compare(c *cluster, out outcome, plan daemonset.Plan, observe bool) string {
	if (out.err != nil) != (plan.Rollout.Blocked != "") {
		return fmt.Sprintf("controller error %v, purectl blocked %q", out.err, plan.Rollout.Blocked)
	}
	candNodes, candPods := candidates(c, out)
	failed := failedChoice(c)
	for name, group := range failed {
		candPods[name] = group
	}

	var kNodes, pNodes, kPods, pPods []string
	for _, w := range out.creates {
		kNodes = append(kNodes, w.node)
	}
	for _, cr := range plan.Creates {
		pNodes = append(pNodes, cr.Node)
	}
	for _, w := range out.deletes {
		kPods = append(kPods, w.pod)
	}
	for _, d := range plan.Deletes {
		pPods = append(pPods, d.Pod)
	}
	if msg := sameUpToChoice("creates on nodes", kNodes, pNodes, candNodes); msg != "" {
		return msg
	}
	if msg := sameUpToChoice("deletes of pods", kPods, pPods, candPods); msg != "" {
		return msg
	}

	// Every created pod: the controller's template (labels, the rewritten
	// node affinity, tolerations) against the pod purectl's plan describes.
	byNode := map[string]daemonset.Create{}
	for _, cr := range plan.Creates {
		byNode[cr.Node] = cr
	}
	for _, w := range out.creates {
		cr, ok := byNode[w.node]
		if !ok {
			continue // a different but equivalent choice, checked above
		}
		want := adapt.DaemonPodFor(c.ds, &plan, cr)
		// The pod the real pod control would send: the controller's
		// template and owner reference, made into a pod as upstream's
		// RealPodControl makes it (GetPodFromTemplate).
		real, err := controller.GetPodFromTemplate(w.template, c.ds, w.ref)
		if err != nil {
			return fmt.Sprintf("pod for %s: %v", w.node, err)
		}
		if !apiequality.Semantic.DeepEqual(real.Labels, want.Labels) {
			return fmt.Sprintf("pod for %s: labels %v, purectl %v", w.node, real.Labels, want.Labels)
		}
		if !apiequality.Semantic.DeepEqual(real.Annotations, want.Annotations) || real.GenerateName != want.GenerateName ||
			!apiequality.Semantic.DeepEqual(real.OwnerReferences, want.OwnerReferences) ||
			!apiequality.Semantic.DeepEqual(real.Finalizers, want.Finalizers) {
			return fmt.Sprintf("pod for %s: metadata differs (-controller +purectl):\n%s", w.node, cmp.Diff(real.ObjectMeta, want.ObjectMeta))
		}
		if !apiequality.Semantic.DeepEqual(real.Spec, want.Spec) {
			return fmt.Sprintf("pod for %s: spec differs (-controller +purectl):\n%s", w.node, cmp.Diff(real.Spec, want.Spec))
		}
	}

	if msg := sameSet("adoptions", out.adopt, names(plan.Adopt)); msg != "" {
		return msg
	}
	if msg := sameSet("releases", out.release, names(plan.Release)); msg != "" {
		return msg
	}

	got := adapt.DaemonSetStatus(c.ds, plan.Status)
	k := out.status
	// With writes observed at once, the status counts each node's oldest
	// pod after the pass's deletes. Where the two picked different failed
	// pods of one node (an order the controller leaves open, see
	// failedChoice), the pod left may differ in its template hash: one
	// side counts it updated, the other not. Failed pods are neither ready
	// nor available, so every other field still has one right answer.
	if observe && pickedDifferently(kPods, pPods, failed) {
		k.UpdatedNumberScheduled = got.UpdatedNumberScheduled
	}
	if k.ObservedGeneration != got.ObservedGeneration || k.DesiredNumberScheduled != got.DesiredNumberScheduled ||
		k.CurrentNumberScheduled != got.CurrentNumberScheduled || k.NumberMisscheduled != got.NumberMisscheduled ||
		k.NumberReady != got.NumberReady || k.UpdatedNumberScheduled != got.UpdatedNumberScheduled ||
		k.NumberAvailable != got.NumberAvailable || k.NumberUnavailable != got.NumberUnavailable {
		return fmt.Sprintf("status: controller %+v\npurectl %+v", statusLine(k), statusLine(got))
	}

	// The controller's requeue (DaemonSet.RequeueAfterMinReady): within 1 s.
	var kAt time.Time
	if out.requeue >= 0 {
		kAt = c.now.Add(out.requeue)
	}
	if kAt.IsZero() != plan.RequeueAt.IsZero() || !kAt.IsZero() && absDuration(kAt.Sub(plan.RequeueAt)) > time.Second {
		return fmt.Sprintf("requeue: controller %v, purectl %v", kAt, plan.RequeueAt)
	}
	return ""
}

// compareHeld checks a pass that purectl holds for unobserved writes: the
// controller failed it and wrote nothing, not even the status.
func compareHeld(c *cluster, out outcome) string {
	if out.err == nil || len(out.creates)+len(out.deletes)+len(out.adopt)+len(out.release) > 0 {
		return fmt.Sprintf("held pass: controller error %v, %d creates, %d deletes, %d adoptions, %d releases",
			out.err, len(out.creates), len(out.deletes), len(out.adopt), len(out.release))
	}
	if !apiequality.Semantic.DeepEqual(out.status, c.ds.Status) {
		return fmt.Sprintf("held pass: the controller wrote the status %+v", statusLine(out.status))
	}
	return ""
}

// compareHistory checks daemonset.HistoryToDelete against the revisions
// the controller's cleanupHistory deleted in the pass: those it held before
// and no longer does.
func compareHistory(c *cluster, out outcome) string {
	all := map[string]*appsv1.ControllerRevision{}
	for _, r := range out.revisions {
		all[r.Name] = r
	}
	for _, r := range c.revisions {
		if all[r.Name] == nil {
			all[r.Name] = r
		}
	}
	deleted := revisionsDeleted(c, out)
	if out.err != nil { // the clean-up runs only after a pass without error
		if len(deleted) > 0 {
			return fmt.Sprintf("history: the controller deleted %v in a failed pass", deleted)
		}
		return ""
	}
	var revs []daemonset.Revision
	for _, name := range slices.Sorted(maps.Keys(all)) {
		r := all[name]
		h, ok := r.Labels[appsv1.DefaultDaemonSetUniqueLabelKey]
		if !ok {
			h = r.Name
		}
		revs = append(revs, daemonset.Revision{Name: r.Name, Revision: r.Revision, Hash: h})
	}
	var pods []daemonset.Pod
	for _, p := range c.sortedPods() {
		pods = append(pods, adapt.DaemonPod(p))
	}
	ds := adapt.DaemonSet(c.ds)
	var got []string
	for _, r := range daemonset.HistoryToDelete(revs, pods, ds) {
		got = append(got, r.Name)
	}
	if !slices.Equal(sorted(deleted), sorted(got)) {
		return fmt.Sprintf("history: controller deleted %v, purectl %v (revisions %+v, limit %d)", sorted(deleted), sorted(got), revs, *c.ds.Spec.RevisionHistoryLimit)
	}
	return ""
}

// revisionsDeleted are the revisions the cluster held before the pass and
// the controller's clientset no longer holds after it.
func revisionsDeleted(c *cluster, out outcome) []string {
	after := map[string]bool{}
	for _, r := range out.revisions {
		after[r.Name] = true
	}
	var deleted []string
	for _, r := range c.revisions {
		if !after[r.Name] {
			deleted = append(deleted, r.Name)
		}
	}
	return deleted
}

// compareExactRequeue checks purectl's exact requeue against the coarse
// one the controller uses: the rest of the plan is the same, and where the
// controller asks again, purectl asks no later (allowing 1 s, the
// comparison's resolution); purectl may ask where the controller relies on a
// pod event instead.
func compareExactRequeue(c *cluster, coarse, exact daemonset.Plan) string {
	a, b := coarse, exact
	a.RequeueAt, b.RequeueAt = time.Time{}, time.Time{}
	if d := cmp.Diff(a, b); d != "" {
		return "the requeue option changed more than the requeue:\n" + d
	}
	if !coarse.RequeueAt.IsZero() && (exact.RequeueAt.IsZero() || exact.RequeueAt.After(coarse.RequeueAt.Add(time.Second))) {
		return fmt.Sprintf("exact requeue %v after the controller's %v", exact.RequeueAt, coarse.RequeueAt)
	}
	if !exact.RequeueAt.IsZero() && !exact.RequeueAt.After(c.now) {
		return fmt.Sprintf("exact requeue %v not after now", exact.RequeueAt)
	}
	return ""
}

// sameUpToChoice compares two multisets of names exactly outside choice,
// and by how many of each group of choice each picks. A group is a set of
// candidates among which the controller picks in an order it does not
// define: the rolling update's old available pods to delete or nodes to
// surge onto, beyond the budget (Go map order), and a node's failed pods
// competing for its one backoff slot (informer index order). Its pick is
// random, so only how many it picks is defined; purectl picks by name.
// Every candidate of a group is interchangeable for that pass's rules, so
// the counts are exactly what the controller defines.
func sameUpToChoice(what string, k, p []string, choice map[string]string) string {
	split := func(names []string) ([]string, map[string]int) {
		var out []string
		in := map[string]int{}
		for _, s := range names {
			if g, ok := choice[s]; ok {
				in[g]++
			} else {
				out = append(out, s)
			}
		}
		slices.Sort(out)
		return out, in
	}
	kOut, kIn := split(k)
	pOut, pIn := split(p)
	if !slices.Equal(kOut, pOut) || !maps.Equal(kIn, pIn) {
		return fmt.Sprintf("%s: controller %v, purectl %v (interchangeable candidates %v)", what, sorted(k), sorted(p), choice)
	}
	return ""
}

// pickedDifferently reports that the two sides deleted different pods of
// some group of choice.
func pickedDifferently(k, p []string, choice map[string]string) bool {
	in := func(names []string) []string {
		var out []string
		for _, n := range names {
			if _, ok := choice[n]; ok {
				out = append(out, n)
			}
		}
		return sorted(out)
	}
	return !slices.Equal(in(k), in(p))
}

// failedChoice groups the failed pods that compete for one node's backoff
// slot in an order the controller leaves open: two or more failed pods,
// not being deleted, of the kind it visits first (pods it owns before
// orphans it adopts).
func failedChoice(c *cluster) map[string]string {
	sel, err := metav1.LabelSelectorAsSelector(c.ds.Spec.Selector)
	if err != nil {
		return nil
	}
	owned, orphans := map[string][]string{}, map[string][]string{}
	for _, p := range c.sortedPods() {
		if p.Status.Phase != v1.PodFailed || p.DeletionTimestamp != nil || !sel.Matches(labels.Set(p.Labels)) {
			continue
		}
		n, err := dsutil.GetTargetNodeName(p)
		if err != nil {
			continue
		}
		switch ref := metav1.GetControllerOf(p); {
		case ref == nil:
			orphans[n] = append(orphans[n], p.Name)
		case ref.UID == c.ds.UID:
			owned[n] = append(owned[n], p.Name)
		}
	}
	out := map[string]string{}
	for n := range c.nodes {
		first := owned[n]
		if len(first) == 0 {
			first = orphans[n]
		}
		if len(first) < 2 {
			continue
		}
		for _, name := range first {
			out[name] = "failed on " + n
		}
	}
	return out
}

// sameSet compares two sets; the controller claims pods again in each of
// its steps, so it may patch one pod more than once a pass.
func sameSet(what string, k, p []string) string {
	ks := slices.Compact(sorted(k))
	if !slices.Equal(ks, sorted(p)) {
		return fmt.Sprintf("%s: controller %v, purectl %v", what, ks, sorted(p))
	}
	return ""
}

func sorted(s []string) []string { s = slices.Clone(s); slices.Sort(s); return s }

func names(cs []daemonset.OwnerChange) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Pod)
	}
	return out
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

func statusLine(s appsv1.DaemonSetStatus) string {
	return fmt.Sprintf("observed %d desired %d current %d misscheduled %d ready %d updated %d available %d unavailable %d",
		s.ObservedGeneration, s.DesiredNumberScheduled, s.CurrentNumberScheduled, s.NumberMisscheduled, s.NumberReady,
		s.UpdatedNumberScheduled, s.NumberAvailable, s.NumberUnavailable)
}

// candidates are the rolling update's interchangeable choices, worked out
// with upstream's own exported helpers from the pod store as that step read
// it: without surge, old available pods alone on their node; with surge,
// nodes whose only pod is an old available one (to surge onto), and such
// pods on nodes that should no longer run one (to delete).
func candidates(c *cluster, out outcome) (nodes, pods map[string]string) {
	nodes, pods = map[string]string{}, map[string]string{}
	if !out.rolled {
		return nodes, pods
	}
	ds := c.ds
	hash := currentHash(out.revisions)
	gen, err := dsutil.GetTemplateGeneration(ds)
	if err != nil {
		gen = nil
	}
	sel, err := metav1.LabelSelectorAsSelector(ds.Spec.Selector)
	if err != nil {
		return nodes, pods
	}
	byNode := map[string][]*v1.Pod{}
	for _, p := range out.rollPods {
		ref := metav1.GetControllerOf(p)
		if !sel.Matches(labels.Set(p.Labels)) || ref != nil && ref.UID != ds.UID || ref == nil && p.DeletionTimestamp != nil {
			continue
		}
		if podutil.IsPodTerminal(p) && p.DeletionTimestamp != nil {
			continue
		}
		n, err := dsutil.GetTargetNodeName(p)
		if err != nil {
			continue
		}
		byNode[n] = append(byNode[n], p)
	}
	desired := 0
	for _, n := range c.nodes {
		if run, _ := nodeShouldRun(n, ds); run {
			desired++
		}
	}
	maxSurge, err := dsutil.SurgeCount(ds, desired)
	if err != nil {
		return nodes, pods
	}
	now := metav1.NewTime(c.now)
	for name, ps := range byNode {
		var nw, old []*v1.Pod
		for _, p := range ps {
			if p.DeletionTimestamp != nil {
				continue
			}
			if dsutil.IsPodUpdated(p, hash, gen) {
				nw = append(nw, p)
			} else {
				old = append(old, p)
			}
		}
		if len(nw) != 0 || len(old) != 1 || !podutil.IsPodAvailable(old[0], ds.Spec.MinReadySeconds, now) {
			continue
		}
		if maxSurge == 0 {
			pods[old[0].Name] = "rolling"
			continue
		}
		node := c.nodes[name]
		if node == nil {
			continue
		}
		if run, _ := nodeShouldRun(node, ds); run {
			nodes[name] = "rolling"
		} else {
			pods[old[0].Name] = "rolling"
		}
	}
	return nodes, pods
}

// currentHash is the hash label of the newest revision.
func currentHash(revs []*appsv1.ControllerRevision) string {
	var best *appsv1.ControllerRevision
	for _, r := range revs {
		if best == nil || r.Revision > best.Revision {
			best = r
		}
	}
	if best == nil {
		return ""
	}
	return best.Labels[appsv1.DefaultDaemonSetUniqueLabelKey]
}

// apply lands the controller's writes (which purectl agreed with) in the
// cluster: owner changes, deletes, creates, the status and the revisions it
// wrote, and purectl's backoff record.
func apply(c *cluster, out outcome, plan daemonset.Plan) {
	for _, n := range out.adopt {
		if p := c.pods[n]; p != nil {
			p = p.DeepCopy()
			setOwner(p, c.ds, true)
			c.pods[n] = p
		}
	}
	for _, n := range out.release {
		if p := c.pods[n]; p != nil {
			p = p.DeepCopy()
			setOwner(p, c.ds, false)
			c.pods[n] = p
		}
	}
	for _, w := range out.deletes {
		c.delete(w.pod)
	}
	for _, w := range out.creates {
		c.pods[w.pod] = c.podFor(w)
	}
	c.ds.Status = out.status
	c.revisions = out.revisions
	c.backoff = plan.FailedPodBackoff
}

func describe(c *cluster) string {
	var b strings.Builder
	s := c.ds.Spec
	fmt.Fprintf(&b, "daemonset gen %d observed %d strategy %s", c.ds.Generation, c.ds.Status.ObservedGeneration, s.UpdateStrategy.Type)
	if ru := s.UpdateStrategy.RollingUpdate; ru != nil {
		fmt.Fprintf(&b, " maxUnavailable %v maxSurge %v", ru.MaxUnavailable, ru.MaxSurge)
	}
	fmt.Fprintf(&b, " minReadySeconds %d hash %s\n", s.MinReadySeconds, adapt.DaemonSet(c.ds).Spec.CurrentHash)
	for _, n := range c.sortedNodes() {
		run, cont := nodeShouldRun(n, c.ds)
		fmt.Fprintf(&b, "node %s labels %v taints %v run %v continue %v\n", n.Name, n.Labels, n.Spec.Taints, run, cont)
	}
	for _, p := range c.sortedPods() {
		ready, since := podReady(p)
		fmt.Fprintf(&b, "pod %s node %q target %q labels %v phase %s ready %v since %s created %s deleting %v owner %v\n",
			p.Name, p.Spec.NodeName, targetNode(&p.Spec), p.Labels, p.Status.Phase, ready, since.Format(time.RFC3339),
			p.CreationTimestamp.Format(time.RFC3339), p.DeletionTimestamp != nil, metav1.GetControllerOf(p) != nil)
	}
	fmt.Fprintf(&b, "backoff %+v\n", c.backoff)
	return b.String()
}
