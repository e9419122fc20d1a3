package jobdiff

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	utilfeature "k8s.io/apiserver/pkg/util/feature"
	"k8s.io/component-base/featuregate"
	featuregatetesting "k8s.io/component-base/featuregate/testing"
	"k8s.io/klog/v2"
	"k8s.io/utils/ptr"
	"pgregory.net/rapid"

	"github.com/purectl/purectl/api"
	"github.com/purectl/purectl/examples/kube/adapt"
	"github.com/purectl/purectl/examples/kube/internal/testmain"
	"github.com/purectl/purectl/job"
)

// passesPerTrajectory is at least the 20 passes the suite promises.
const passesPerTrajectory = 20

// TestJobTrajectoriesAgreeWithSyncJob runs random Jobs through trajectories
// of passes; each pass runs the real controller's syncJob and
// job.JobProgress on the same state and compares everything either writes.
func TestJobTrajectoriesAgreeWithSyncJob(t *testing.T) {
	runTrajectories(t, testmain.Release())
}

// The Job gates this release lets its command line switch, each switched
// from its default in the real controller (for the test's duration) and in
// the Release asked of purectl. WorkloadWithJob is left alone: purectl does
// not model it.
func TestJobTrajectoriesWithEachGateSwitched(t *testing.T) {
	jobGates := []api.Gate{api.JobManagedBy, api.StaleControllerConsistencyJob,
		api.MutableSchedulingDirectivesForSuspendedJobs, api.MutablePodResourcesForSuspendedJobs}
	switched := 0
	for _, info := range testmain.Release().Gates() {
		if info.Locked || !slices.Contains(jobGates, info.Gate) {
			continue
		}
		switched++
		t.Run(fmt.Sprintf("%s=%v", info.Gate, !info.Default), func(t *testing.T) {
			featuregatetesting.SetFeatureGateDuringTest(t, utilfeature.DefaultFeatureGate, featuregate.Feature(info.Gate), !info.Default)
			rel := testmain.Release()
			rel.FeatureGates = map[api.Gate]bool{info.Gate: !info.Default}
			runTrajectories(t, rel)
		})
	}
	if switched == 0 {
		t.Fatalf("release %s lets no Job gate be switched", testmain.Release())
	}
}

// runTrajectories runs the trajectories with purectl following rel, which
// must be the release and gates the real controller runs with.
func runTrajectories(t *testing.T, rel api.Release) {
	ctx := klog.NewContext(context.Background(), klog.Background().V(-1))
	stats := map[string]int{}
	rapid.Check(t, func(t *rapid.T) {
		w := &world{job: genJob(t), pods: map[string]*v1.Pod{}, now: t0}
		if !rel.Enabled(api.JobManagedBy) {
			// The controller ignores spec.managedBy: every Job names
			// another controller, and both must act all the same.
			w.job.Spec.ManagedBy = ptr.To("example.com/queue")
		}
		for pass := 0; pass < passesPerTrajectory; pass++ {
			runPass(t, ctx, rel, w, pass, stats)
			for n := rapid.IntRange(1, 3).Draw(t, "events"); n > 0; n-- {
				w.event(t)
			}
		}
	})
	t.Logf("%s: %d passes compared", rel, stats["passes"])
	// A suite that never reached the interesting states proves little.
	for _, k := range []string{"create", "delete", "patch", "Complete", "Failed", "FailureTarget", "SuccessCriteriaMet",
		"Suspended", "requeue", "uncounted", "backoff", "pending", "stale", "managedBy", "failed create"} {
		if k == "stale" && !rel.Enabled(api.StaleControllerConsistencyJob) {
			continue // no consistency store before 1.36, or with the gate off
		}
		if k == "managedBy" && rel.Enabled(api.JobManagedBy) {
			continue
		}
		if stats[k] == 0 {
			t.Errorf("no pass reached %q: %v", k, stats)
		}
	}
}

func runPass(t *rapid.T, ctx context.Context, rel api.Release, w *world, pass int, stats map[string]int) {
	pods := w.podList()
	up, err := NewUpstream(w.job.DeepCopy(), deepCopies(pods), w.now)
	if err != nil {
		t.Fatal(err)
	}
	if w.store != nil {
		up.SetBackoffStore(w.store)
	}
	if w.pending {
		up.ExpectCreations(1)
		stats["pending"]++
	}
	// Every seventh pass the controller's informers lag behind its own
	// last write (no draw, so that kept seeds replay unchanged).
	unobserved := pass%7 == 6
	if unobserved {
		if err := up.MarkWritesUnobserved(w.job.DeepCopy()); err != nil {
			t.Fatal(err)
		}
	}
	// Some pod creates are refused (no draw either): both sides see the
	// same refusals, the controller in its pod control and purectl's
	// caller through Options.FailedCreates.
	up.RefuseCreate = func(call, index int) bool { return refusedCreate(pass, call, index) }
	before := w.job.DeepCopy()
	out := up.Sync(ctx)
	stale := staleCache(out.Err)
	if out.Err != nil && !stale && len(out.FailedCreates) == 0 {
		t.Fatalf("pass %d: syncJob: %v", pass, out.Err)
	}
	if stale {
		stats["stale"]++
	}

	j, st := adapt.Job(w.job)
	j.OperationsPending = w.pending
	j.WritesUnobserved = unobserved
	if m := j.Spec.ManagedBy; m != "" && m != job.ControllerName {
		stats["managedBy"]++
	}
	j.UpstreamQuirks = true
	st.Backoff = w.backoff
	jp := make([]job.Pod, len(pods))
	for i, p := range pods {
		jp[i] = adapt.JobPod(p)
	}
	res, err := job.JobProgress(j, st, jp, w.now, job.Options{Release: rel})
	if err != nil {
		t.Fatalf("pass %d: JobProgress: %v", pass, err)
	}
	var failed []int
	for i, c := range res.Create {
		if refusedCreate(pass, i, c.Index) {
			failed = append(failed, i)
		}
	}
	if len(failed) > 0 {
		stats["failed create"]++
		if res, err = job.JobProgress(j, st, jp, w.now, job.Options{Release: rel, FailedCreates: failed}); err != nil {
			t.Fatalf("pass %d: JobProgress with failed creates: %v", pass, err)
		}
	}
	if stale != (res.Skipped == job.ReasonStaleCache) {
		t.Fatalf("pass %d: syncJob waits for its cache: %v; JobProgress skipped: %q", pass, stale, res.Skipped)
	}
	if d := compare(w, before, out, res, up); d != "" {
		t.Fatalf("pass %d at %s, job %s\n%s\npods:\n%s\ndisagreement:\n%s", pass, w.now.Format(time.RFC3339),
			describeJob(before), describeStatus(before.Status), describePods(pods), d)
	}
	for k, n := range map[string]int{"create": len(out.Creates), "delete": len(out.Deletes), "patch": len(out.Patches),
		"requeue": len(out.Requeues), "uncounted": len(st.UncountedTerminatedPods.Succeeded) + len(st.UncountedTerminatedPods.Failed)} {
		if n > 0 {
			stats[k]++
		}
	}
	if st.Backoff.FailuresAfterLastSuccess > 0 {
		stats["backoff"]++
	}
	for _, c := range res.Status.Conditions {
		if c.Status == job.ConditionTrue {
			stats[string(c.Type)]++
		}
	}
	stats["passes"]++
	apply(t, w, out, res, up)
}

// refusedCreate says whether the API server refuses a pod create of the
// pass: an Indexed pod's by a hash of the pass and its index, one in five;
// on every fourth pass the second create of a NonIndexed Job's (the first
// of the second slow-start batch: the pods are alike, so which one does
// not matter, and position and call order agree).
func refusedCreate(pass, position, index int) bool {
	if index >= 0 {
		return (pass*7919+index*104729)%5 == 0
	}
	return pass%4 == 1 && position == 1
}

func deepCopies(pods []*v1.Pod) []*v1.Pod {
	out := make([]*v1.Pod, len(pods))
	for i, p := range pods {
		out[i] = p.DeepCopy()
	}
	return out
}

// compare returns a description of every disagreement, or "".
func compare(w *world, before *batchv1.Job, out Outcome, res job.Result, up *Upstream) string {
	var diffs []string
	add := func(what string, want, got any) {
		if d := cmp.Diff(want, got); d != "" {
			diffs = append(diffs, fmt.Sprintf("%s (-syncJob +purectl):\n%s", what, d))
		}
	}

	// Creations, by completion index: the controller creates from
	// concurrent goroutines, so only the multiset is observable.
	type create struct {
		Index        int
		GenerateName string
		Annotations  map[string]string
	}
	var wantC, gotC []create
	issued := Outcome{Creates: append(slices.Clone(out.Creates), out.FailedCreates...)}
	for _, c := range issued.SortedCreates() {
		gen := c.GenerateName
		if gen == "" {
			// NonIndexed pods get their name prefix from the pod
			// control ("<job>-"); the API server's name generator cuts
			// it to 58 characters, as purectl's GenerateName already is.
			gen = w.job.Name + "-"
			if len(gen) > 58 {
				gen = gen[:58]
			}
		}
		ann := map[string]string{}
		for k, v := range c.Template.Annotations {
			if strings.HasPrefix(k, "batch.kubernetes.io/") {
				ann[k] = v
			}
		}
		wantC = append(wantC, create{c.Index(), gen, ann})
		// The adapter must build the very pod the controller creates.
		if i := len(wantC) - 1; i < len(res.Create) {
			pod := adapt.JobPodFor(w.job, res.Create[i])
			c.GenerateName = gen
			add(fmt.Sprintf("pod created for index %d", c.Index()), createdPod(c), createdPodFrom(pod))
		}
	}
	for _, c := range res.Create {
		ann := map[string]string{}
		for k, v := range c.Annotations {
			ann[k] = v
		}
		gotC = append(gotC, create{c.Index, c.GenerateName, ann})
	}
	add("creates", wantC, gotC)

	// Deletions and finalizer removals. Pods the controller cannot tell
	// apart (equal under controller.ActivePods and sharing a completion
	// index) are picked in its informer's map order, which is random;
	// purectl breaks such ties by name. So a deleted pod is compared by
	// its class of indistinguishable pods, with whether its finalizer
	// went too; every other finalizer removal is compared by name.
	byName := map[string]*v1.Pod{}
	for _, p := range w.pods {
		byName[p.Name] = p
	}
	gotPatched := map[string]bool{}
	for _, d := range res.Delete {
		if d.RemoveFinalizer {
			gotPatched[d.Name] = true
		}
	}
	for _, r := range res.RemoveFinalizers {
		gotPatched[r.Name] = true
	}
	wantPatched := map[string]bool{}
	for _, n := range out.Patches {
		wantPatched[n] = true
	}
	var gotD []string
	for _, d := range res.Delete {
		gotD = append(gotD, d.Name)
	}
	add("deletes", deleteClasses(byName, out.Deletes, wantPatched), deleteClasses(byName, gotD, gotPatched))
	add("finalizer removals of pods not deleted", otherPatches(out.Deletes, wantPatched), otherPatches(gotD, gotPatched))

	// Status: the last write of the pass (the controller writes once to
	// record newly finished pods in uncountedTerminatedPods and once more
	// after removing their finalizers; purectl returns the state after
	// both), or the status as it was when nothing was written.
	want := before.Status
	if n := len(out.Statuses); n > 0 {
		want = out.Statuses[n-1]
	}
	add("status", statusView(want), statusView(adapt.JobStatus(res.Status)))
	// The first of those writes, which a caller makes before removing
	// finalizers: purectl's StatusBeforeRemovals. (When the removals leave
	// nothing uncounted to move, as for an Indexed Job's successes, it is
	// the only write.)
	if b := res.StatusBeforeRemovals; b != nil {
		if len(out.Statuses) == 0 {
			diffs = append(diffs, "purectl has a status to write before removals; the controller wrote none")
		} else {
			add("status before removals", statusView(out.Statuses[0]), statusView(adapt.JobStatus(*b)))
		}
	} else if len(out.Statuses) >= 2 && slices.ContainsFunc(out.Patches, func(name string) bool { return !slices.Contains(out.Deletes, name) }) {
		diffs = append(diffs, fmt.Sprintf("the controller wrote a status before removing finalizers (%+v); purectl has none", statusView(out.Statuses[0])))
	}

	var gotE []string
	for _, e := range res.Events {
		gotE = append(gotE, fmt.Sprintf("%s %s %s", e.Type, e.Reason, e.Message))
	}
	add("events", nilIfEmpty(out.Events), nilIfEmpty(gotE))

	// Back-off: the controller's in-memory record against purectl's
	// explicit one.
	n, last := up.Backoff()
	add("back-off record", job.BackoffRecord{FailuresAfterLastSuccess: n, LastFailureTime: last}, res.Status.Backoff)

	if !decided(res.Status) {
		// Once a pass has decided the Job's end (an interim or final
		// condition), a deadline requeue the controller queued earlier in
		// the same sync is moot: the next sync keeps the decision (a
		// finished Job is not synced at all), and what remains is waiting
		// for pods, which pod events drive.
		add("requeue", controllerRequeue(before, out, w.now), purectlRequeue(res, w.now))
	}
	return strings.Join(diffs, "\n")
}

// deleteClasses describes deleted pods by what the controller's deletion
// order can see of them, sorted.
func deleteClasses(pods map[string]*v1.Pod, names []string, patched map[string]bool) []string {
	var out []string
	for _, n := range names {
		p := pods[n]
		if p == nil {
			out = append(out, "unknown pod "+n)
			continue
		}
		regular, sidecar := int32(0), int32(0)
		for _, c := range p.Status.ContainerStatuses {
			regular = max(regular, c.RestartCount)
		}
		for _, c := range p.Status.InitContainerStatuses {
			sidecar = max(sidecar, c.RestartCount)
		}
		ready, since := podReady(p)
		class := fmt.Sprintf("index=%s node=%v phase=%s ready=%v", p.Annotations[batchv1.JobCompletionIndexAnnotation],
			p.Spec.NodeName != "", p.Status.Phase, ready)
		if ready {
			class += " since=" + since.UTC().Format(time.TimeOnly)
		}
		class += fmt.Sprintf(" restarts=%d/%d created=%s deleted=%v finalizer=%v", regular, sidecar,
			p.CreationTimestamp.UTC().Format(time.TimeOnly), p.DeletionTimestamp != nil, hasFinalizer(p))
		if patched[n] {
			class += " finalizer removed"
		}
		out = append(out, class)
	}
	slices.Sort(out)
	return out
}

func otherPatches(deleted []string, patched map[string]bool) []string {
	var out []string
	for n := range patched {
		if !slices.Contains(deleted, n) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

func nilIfEmpty[T any](xs []T) []T {
	if len(xs) == 0 {
		return nil
	}
	return xs
}

// podView is what a created pod must carry, as the controller builds it.
type podView struct {
	GenerateName string
	Labels       map[string]string
	Annotations  map[string]string
	Finalizers   []string
	Owner        string
	Hostname     string
	Env          map[string][]string
}

func createdPod(c Create) podView {
	gen := c.GenerateName
	v := podView{GenerateName: gen, Labels: c.Template.Labels, Annotations: c.Template.Annotations, Finalizers: c.Template.Finalizers,
		Owner: fmt.Sprintf("%s/%s %s/%s controller=%v block=%v", c.Owner.APIVersion, c.Owner.Kind, c.Owner.Name, c.Owner.UID,
			*c.Owner.Controller, *c.Owner.BlockOwnerDeletion),
		Hostname: c.Template.Spec.Hostname, Env: envs(c.Template.Spec)}
	return v
}

func createdPodFrom(p *v1.Pod) podView {
	o := p.OwnerReferences[0]
	return podView{GenerateName: p.GenerateName, Labels: p.Labels, Annotations: p.Annotations, Finalizers: p.Finalizers,
		Owner:    fmt.Sprintf("%s/%s %s/%s controller=%v block=%v", o.APIVersion, o.Kind, o.Name, o.UID, *o.Controller, *o.BlockOwnerDeletion),
		Hostname: p.Spec.Hostname, Env: envs(p.Spec)}
}

func envs(s v1.PodSpec) map[string][]string {
	out := map[string][]string{}
	for _, cs := range [][]v1.Container{s.InitContainers, s.Containers} {
		for _, c := range cs {
			for _, e := range c.Env {
				v := e.Value
				if e.ValueFrom != nil && e.ValueFrom.FieldRef != nil {
					v = "fieldRef:" + e.ValueFrom.FieldRef.FieldPath
				}
				out[c.Name] = append(out[c.Name], e.Name+"="+v)
			}
		}
	}
	return out
}

// statusView is a Job status with nil and empty told apart only where the
// API does (FailedIndexes); uncountedTerminatedPods' lists compare as sets
// of UIDs.
type statusViewT struct {
	Conditions                         []string
	StartTime, CompletionTime          string
	Active, Succeeded, Failed          int32
	Terminating, Ready                 string
	CompletedIndexes                   string
	FailedIndexes                      string
	UncountedSucceeded, UncountedFaild []string
}

func statusView(s batchv1.JobStatus) statusViewT {
	v := statusViewT{Active: s.Active, Succeeded: s.Succeeded, Failed: s.Failed, CompletedIndexes: s.CompletedIndexes}
	for _, c := range s.Conditions {
		v.Conditions = append(v.Conditions, fmt.Sprintf("%s=%s reason=%q message=%q probe=%s transition=%s", c.Type, c.Status, c.Reason, c.Message,
			c.LastProbeTime.UTC().Format(time.RFC3339), c.LastTransitionTime.UTC().Format(time.RFC3339)))
	}
	if s.StartTime != nil {
		v.StartTime = s.StartTime.UTC().Format(time.RFC3339)
	}
	if s.CompletionTime != nil {
		v.CompletionTime = s.CompletionTime.UTC().Format(time.RFC3339)
	}
	// purectl always reports the counts; the controller leaves a nil
	// pointer only on a status it never wrote, where 0 is the meaning.
	v.Terminating = fmt.Sprint(derefOr0(s.Terminating))
	v.Ready = fmt.Sprint(derefOr0(s.Ready))
	if s.FailedIndexes != nil {
		v.FailedIndexes = "set:" + *s.FailedIndexes
	}
	if u := s.UncountedTerminatedPods; u != nil {
		for _, x := range u.Succeeded {
			v.UncountedSucceeded = append(v.UncountedSucceeded, string(x))
		}
		for _, x := range u.Failed {
			v.UncountedFaild = append(v.UncountedFaild, string(x))
		}
	}
	slices.Sort(v.UncountedSucceeded)
	slices.Sort(v.UncountedFaild)
	return v
}

func derefOr0(p *int32) int32 {
	if p == nil {
		return 0
	}
	return *p
}

// controllerRequeue is the earliest delay the controller asked for.
// A Job that resumes in this pass is requeued by the controller for its
// deadline measured from the start time before the resume reset it; that
// early pass changes nothing (the reset start time is then used), so it is
// mapped to the deadline from the reset start time, which purectl reports.
func controllerRequeue(before *batchv1.Job, out Outcome, now time.Time) string {
	if len(out.Requeues) == 0 {
		return "none"
	}
	d := slices.Min(out.Requeues)
	if n := len(out.Statuses); n > 0 && before.Spec.ActiveDeadlineSeconds != nil && resumedIn(before.Status, out.Statuses[n-1]) {
		deadline := time.Duration(*before.Spec.ActiveDeadlineSeconds) * time.Second
		var rest []time.Duration
		dropped := false
		for _, r := range out.Requeues {
			// Only the deadline's own request is replaced; a back-off
			// request of the same length stays.
			if !dropped && before.Status.StartTime != nil && r == deadline-now.Sub(before.Status.StartTime.Time) {
				dropped = true
				continue
			}
			rest = append(rest, r)
		}
		rest = append(rest, deadline)
		d = slices.Min(rest)
	}
	return d.String()
}

func resumedIn(old, cur batchv1.JobStatus) bool {
	was, is := suspended(old), suspended(cur)
	return was == "True" && is == "False"
}

func suspended(s batchv1.JobStatus) string {
	for _, c := range s.Conditions {
		if c.Type == batchv1.JobSuspended {
			return string(c.Status)
		}
	}
	return ""
}

func decided(s job.Status) bool {
	for _, c := range s.Conditions {
		switch c.Type {
		case job.ConditionComplete, job.ConditionFailed, job.ConditionSuccessCriteriaMet, job.ConditionFailureTarget:
			if c.Status == job.ConditionTrue {
				return true
			}
		}
	}
	return false
}

// purectlRequeue is RequeueAt as a delay. A finished Job's RequeueAt is
// the TTL expiry, which the TTL-after-finished controller (not syncJob)
// acts on, so it is left out.
func purectlRequeue(res job.Result, now time.Time) string {
	if res.RequeueAt.IsZero() {
		return "none"
	}
	for _, c := range res.Status.Conditions {
		if (c.Type == job.ConditionComplete || c.Type == job.ConditionFailed) && c.Status == job.ConditionTrue {
			return "none"
		}
	}
	return res.RequeueAt.Sub(now).String()
}

// apply writes what both sides agreed on into the world.
func apply(t *rapid.T, w *world, out Outcome, res job.Result, up *Upstream) {
	crash := len(out.Statuses) >= 2 && rapid.IntRange(0, 9).Draw(t, "crash") == 0
	for _, c := range out.SortedCreates() {
		p := w.newPod(c.Template, c.GenerateName, c.Owner)
		w.pods[p.Name] = p
	}
	for _, name := range out.Deletes {
		if p := w.pods[name]; p != nil {
			if slices.Contains(out.Patches, name) {
				// deleteJobPods removes the finalizer first.
				p.Finalizers = slices.DeleteFunc(p.Finalizers, func(f string) bool { return f == batchv1.JobTrackingFinalizer })
			}
			w.deletePod(p)
		}
	}
	if crash {
		// The controller stops after its first status write: the
		// newly finished pods are recorded as uncounted, their
		// finalizers are still on, and the restarted controller (like a
		// fresh purectl caller) has no back-off memory.
		w.job.Status = out.Statuses[0]
		w.backoff, w.store = job.BackoffRecord{}, nil
		w.pending = false
		return
	}
	for _, name := range out.Patches {
		if p := w.pods[name]; p != nil {
			p.Finalizers = slices.DeleteFunc(p.Finalizers, func(f string) bool { return f == batchv1.JobTrackingFinalizer })
			if gone(p) {
				delete(w.pods, name)
			}
		}
	}
	if n := len(out.Statuses); n > 0 {
		w.job.Status = out.Statuses[n-1]
	}
	w.backoff = res.Status.Backoff
	w.store = up.BackoffStore()
	w.pending = false
}

func describeJob(j *batchv1.Job) string {
	s := j.Spec
	var b strings.Builder
	fmt.Fprintf(&b, "%s mode=%s completions=%v parallelism=%v backoffLimit=%v", j.Name, *s.CompletionMode, p32(s.Completions), p32(s.Parallelism), p32(s.BackoffLimit))
	fmt.Fprintf(&b, " blpi=%v maxFailedIndexes=%v suspend=%v restart=%s replacement=%v", p32(s.BackoffLimitPerIndex), p32(s.MaxFailedIndexes), *s.Suspend,
		s.Template.Spec.RestartPolicy, *s.PodReplacementPolicy)
	if s.ActiveDeadlineSeconds != nil {
		fmt.Fprintf(&b, " activeDeadlineSeconds=%d", *s.ActiveDeadlineSeconds)
	}
	if s.PodFailurePolicy != nil {
		fmt.Fprintf(&b, " pfp=")
		for _, r := range s.PodFailurePolicy.Rules {
			if r.OnExitCodes != nil {
				fmt.Fprintf(&b, "[%s exit %s %v]", r.Action, r.OnExitCodes.Operator, r.OnExitCodes.Values)
			} else {
				fmt.Fprintf(&b, "[%s cond %v]", r.Action, r.OnPodConditions)
			}
		}
	}
	if s.SuccessPolicy != nil {
		for _, r := range s.SuccessPolicy.Rules {
			fmt.Fprintf(&b, " successPolicy[indexes=%v count=%v]", ps(r.SucceededIndexes), p32(r.SucceededCount))
		}
	}
	if j.DeletionTimestamp != nil {
		b.WriteString(" DELETING")
	}
	return b.String()
}

func p32(p *int32) string {
	if p == nil {
		return "nil"
	}
	return fmt.Sprint(*p)
}

func ps(p *string) string {
	if p == nil {
		return "nil"
	}
	return *p
}

func describeStatus(s batchv1.JobStatus) string {
	return fmt.Sprintf("status %+v", statusView(s))
}

func describePods(pods []*v1.Pod) string {
	var b strings.Builder
	for _, p := range pods {
		fmt.Fprintf(&b, "  %s uid=%s phase=%s node=%q fin=%v ann=%v created=%s", p.Name, p.UID, p.Status.Phase, p.Spec.NodeName,
			hasFinalizer(p), p.Annotations, p.CreationTimestamp.UTC().Format(time.TimeOnly))
		if p.DeletionTimestamp != nil {
			fmt.Fprintf(&b, " deleted=%s", p.DeletionTimestamp.UTC().Format(time.TimeOnly))
		}
		for _, c := range p.Status.Conditions {
			fmt.Fprintf(&b, " %s=%s@%s", c.Type, c.Status, c.LastTransitionTime.UTC().Format(time.TimeOnly))
		}
		for _, c := range p.Status.ContainerStatuses {
			if c.State.Terminated != nil {
				fmt.Fprintf(&b, " %s:exit=%d@%s", c.Name, c.State.Terminated.ExitCode, c.State.Terminated.FinishedAt.UTC().Format(time.TimeOnly))
			}
			if c.RestartCount > 0 {
				fmt.Fprintf(&b, " %s:restarts=%d", c.Name, c.RestartCount)
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}
