package main

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	k8stypes "k8s.io/apimachinery/pkg/types"

	"github.com/purectl/purectl/cronjob"
	"github.com/purectl/purectl/daemonset"
	"github.com/purectl/purectl/examples/kube/adapt"
	"github.com/purectl/purectl/examples/kube/manifest"
	"github.com/purectl/purectl/job"
	"github.com/purectl/purectl/sim"
	"github.com/purectl/purectl/statefulset"
	"github.com/purectl/purectl/volume"
)

// assumedProvisioner provisions the claims whose class the manifests lack.
const assumedProvisioner = "simulated.csi.purectl.dev"

// storage fills the world's classes, volumes and claims from the manifests
// and the observed state. A class the claims name (or, with no default
// class, a default one) that no manifest holds is assumed to exist, with
// Immediate binding and an external provisioner, and a note says so.
func (c *cluster) storage(w *sim.World, ns string, names []string, out io.Writer) error {
	for _, o := range c.all() {
		switch obj := o.Obj.(type) {
		case *storagev1.StorageClass:
			w.StorageClasses = append(w.StorageClasses, volume.DefaultStorageClass(adapt.StorageClass(obj), volume.Release{}))
		case *v1.PersistentVolume:
			v, err := adapt.PersistentVolume(obj)
			if err != nil {
				return fmt.Errorf("persistentvolume/%s: %w", obj.Name, err)
			}
			w.Volumes = append(w.Volumes, v)
		case *v1.PersistentVolumeClaim:
			if namespaceOf(obj.Namespace) != ns {
				continue
			}
			k := obj.DeepCopy()
			k.Namespace = ns
			if k.UID == "" {
				k.UID = k8stypes.UID("uid-" + k.Name)
			}
			claim, err := adapt.PersistentVolumeClaim(k)
			if err != nil {
				return fmt.Errorf("persistentvolumeclaim/%s: %w", k.Name, err)
			}
			w.Claims = append(w.Claims, sim.Claim{Claim: volume.DefaultClaim(claim, volume.Release{}), OwnerRefs: adapt.StatefulClaim(k).OwnerRefs})
		}
	}
	for _, cl := range w.Claims {
		name := cl.Spec.VolumeName
		if name == "" || slices.ContainsFunc(w.Volumes, func(v volume.Volume) bool { return v.Name == name }) {
			continue
		}
		// The claim names a volume the files do not hold: it is taken to
		// exist, bound to the claim, as the claim says.
		size := cl.Status.Capacity
		if !size.IsSet() {
			size = cl.Spec.Request
		}
		w.Volumes = append(w.Volumes, volume.Volume{Name: name, Spec: volume.VolumeSpec{
			ClaimRef: &volume.ObjectReference{Namespace: cl.Namespace, Name: cl.Name, UID: cl.UID}, Capacity: size,
			AccessModes: slices.Clone(cl.Spec.AccessModes), StorageClassName: volume.ClaimClass(&cl.Claim), ReclaimPolicy: volume.Retain,
			Source: volume.VolumeSource{CSI: &volume.CSISource{Driver: assumedProvisioner, VolumeHandle: name}}},
			Status: volume.VolumeStatus{Phase: volume.VolumeBound}})
		fmt.Fprintf(out, "Assuming PersistentVolume %q exists, bound to claim %s, as no file holds it.\n", name, cl.Name)
	}
	have := map[string]bool{}
	for _, sc := range w.StorageClasses {
		have[sc.Name] = true
	}
	mode := volume.Immediate
	for _, name := range names {
		if name == "" || have[name] {
			continue
		}
		have[name] = true
		if name == "\x00default" {
			if volume.DefaultClass(w.StorageClasses) != nil {
				continue
			}
			name = "standard"
			w.StorageClasses = append(w.StorageClasses, volume.StorageClass{Name: name, Provisioner: assumedProvisioner, VolumeBindingMode: &mode,
				Annotations: map[string]string{volume.AnnDefaultClass: "true"}})
			fmt.Fprintf(out, "Assuming a default StorageClass %q (Immediate binding, an external provisioner), as no manifest holds one.\n", name)
			continue
		}
		w.StorageClasses = append(w.StorageClasses, volume.StorageClass{Name: name, Provisioner: assumedProvisioner, VolumeBindingMode: &mode})
		fmt.Fprintf(out, "Assuming StorageClass %q exists (Immediate binding, an external provisioner), as no manifest holds it.\n", name)
	}
	return nil
}

func simulateStatefulSet(c *cluster, s simulation, o manifest.Object, out io.Writer) error {
	ss := o.Obj.(*appsv1.StatefulSet).DeepCopy()
	ss.Namespace = namespaceOf(ss.Namespace)
	if ss.UID == "" {
		ss.UID = "simulated-uid"
	}
	set := adapt.StatefulSet(ss, nil)
	if id, _ := identity(o); ss.Status.UpdateRevision != "" && !c.newTemplate[id] {
		set.UpdateRevision = ss.Status.UpdateRevision
	}
	if s.life.Terminate < 0 {
		s.life.Terminate = gracePeriod(ss.Spec.Template.Spec.TerminationGracePeriodSeconds)
	}
	if s.broken {
		s.life.NeverReady = func(p *sim.Pod) bool { return p.Labels[statefulset.RevisionLabel] == set.UpdateRevision }
	}
	w := &sim.World{Now: c.now, Lifecycle: s.life}
	for _, n := range c.nodes {
		w.Nodes = append(w.Nodes, adapt.Node(n))
	}
	specs := map[string]volume.ClaimSpec{}
	var classes []string
	for _, t := range ss.Spec.VolumeClaimTemplates {
		claim, err := adapt.PersistentVolumeClaim(&v1.PersistentVolumeClaim{Spec: t.Spec})
		if err != nil {
			return fmt.Errorf("volumeClaimTemplates %s: %w", t.Name, err)
		}
		specs[t.Name] = volume.DefaultClaim(claim, volume.Release{}).Spec
		if claim.Spec.StorageClassName == nil {
			classes = append(classes, "\x00default")
		} else {
			classes = append(classes, *claim.Spec.StorageClassName)
		}
	}
	w.StatefulSets = []sim.StatefulSet{{Set: set, ClaimSpecs: specs}}
	if err := c.storage(w, ss.Namespace, classes, out); err != nil {
		return err
	}
	for _, p := range c.pods {
		if namespaceOf(p.Namespace) != ss.Namespace {
			continue
		}
		sp := adapt.StatefulPod(p)
		owner := ""
		if isOwnedBy(p.OwnerReferences, "StatefulSet", ss.Name) {
			owner = string(ss.UID)
		}
		pod := sim.Pod{Name: p.Name, Namespace: ss.Namespace, UID: cmp.Or(string(p.UID), "uid-"+p.Name), Labels: p.Labels,
			Owner: owner, Kind: sim.KindStatefulSet, Node: p.Spec.NodeName, Target: p.Spec.NodeName, Phase: sim.Phase(sp.Phase),
			Ready: sp.Ready, ReadySince: sp.ReadySince, Created: p.CreationTimestamp.Time, Volumes: sp.Volumes, Index: -1}
		if pod.Phase == "" {
			pod.Phase = sim.Pending
		}
		if pod.Phase == sim.Running {
			pod.Running = pod.Created
		}
		w.Pods = append(w.Pods, pod)
	}
	ensureNodes(w, out)
	if s.fromOld {
		fromOldStatefulSet(w, c.now)
	}
	tl, err := w.Run(c.now.Add(s.until), 100000)
	if err != nil {
		return err
	}
	first := tl.Passes[0].StatefulSets[0]
	policy := cmp.Or(string(ss.Spec.PodManagementPolicy), string(statefulset.OrderedReady))
	fmt.Fprintf(out, "Simulating statefulset.apps/%s in %s (%d replicas, %s, %d claim templates) on %d nodes: volumes provisioned in %v, pods Running %v after they can start, Ready %v later, gone %v after a delete; minReadySeconds %d.\n\n",
		ss.Name, ss.Namespace, first.Replicas, policy, len(specs), len(w.Nodes), s.life.Provision, s.life.Start, s.life.Ready, s.life.Terminate, ss.Spec.MinReadySeconds)
	tw := tabwriter.NewWriter(out, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tPASS\tCREATED\tDELETED\tUNAVAILABLE\tREADY\tNOT READY\tTERMINATING\tUPDATED\tCLAIMS BOUND\tREASONS")
	var prev *sim.StatefulSetState
	for i, p := range tl.Passes {
		st := p.StatefulSets[0]
		created, deleted, reasons := timelineWrites(p.Actions, "statefulset/")
		if len(created)+len(deleted) == 0 && prev != nil && sameSetState(*prev, st) {
			continue
		}
		prev = &st
		fmt.Fprintf(tw, "+%v\t%d\t%s\t%s\t%d/%d\t%d/%d\t%d\t%d\t%d/%d\t%d/%d\t%s\n", since(c.now, p.At), i+1, list(created), list(deleted),
			max(st.Replicas-st.Available, 0), st.Replicas, st.Ready, st.Replicas, st.NotReady, st.Terminating, st.Updated, st.Replicas, st.Bound, st.Claims, reasons)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	last := tl.Passes[len(tl.Passes)-1].StatefulSets[0]
	return ending(out, tl, c.now, fmt.Sprintf("%d/%d pods Ready, %d updated, %d/%d claims Bound", last.Ready, last.Replicas, last.Updated, last.Bound, last.Claims), last.Blocked)
}

// fromOldStatefulSet puts into every ordinal of the set an available pod of
// an earlier revision, with its claims bound to volumes made for them.
func fromOldStatefulSet(w *sim.World, now time.Time) {
	s := &w.StatefulSets[0]
	set := statefulset.Default(s.Set, s.Options.Release)
	n, start := int32(1), int32(0)
	if set.Spec.Replicas != nil {
		n = *set.Spec.Replicas
	}
	if set.Spec.Ordinals != nil {
		start = set.Spec.Ordinals.Start
	}
	s.Status = statefulset.Status{ObservedGeneration: s.Generation, Replicas: n, ReadyReplicas: n, AvailableReplicas: n,
		CurrentReplicas: n, CurrentRevision: oldRevision, UpdateRevision: oldRevision}
	if s.Generation > 0 {
		s.Status.ObservedGeneration = s.Generation - 1
	}
	w.Pods = slices.DeleteFunc(w.Pods, func(p sim.Pod) bool { return p.Owner == s.UID })
	for ord := start; ord < start+n; ord++ {
		name := statefulset.PodName(s.Name, ord)
		labels := maps.Clone(set.Spec.Template.Labels)
		if labels == nil {
			labels = map[string]string{}
		}
		labels[statefulset.RevisionLabel] = oldRevision
		labels[statefulset.PodNameLabel] = name
		labels[statefulset.PodIndexLabel] = strconv.Itoa(int(ord))
		node := ""
		if len(w.Nodes) > 0 {
			node = w.Nodes[int(ord-start)%len(w.Nodes)].Name
		}
		pod := sim.Pod{Name: name, Namespace: s.Namespace, UID: "uid-" + name, Labels: labels, Owner: s.UID, Kind: sim.KindStatefulSet,
			Node: node, Target: node, Phase: sim.Running, Ready: true, Index: int(ord),
			ReadySince: now.Add(-time.Hour), Created: now.Add(-time.Hour), Running: now.Add(-time.Hour)}
		for _, t := range set.Spec.VolumeClaimTemplates {
			claim := statefulset.ClaimName(t.Name, s.Name, ord)
			pod.Volumes = append(pod.Volumes, statefulset.Volume{Name: t.Name, ClaimName: claim})
			if slices.ContainsFunc(w.Claims, func(c sim.Claim) bool { return c.Name == claim && c.Namespace == s.Namespace }) {
				continue
			}
			spec := s.ClaimSpecs[t.Name]
			spec.VolumeName = "pv-" + claim
			uid := "uid-" + claim
			w.Claims = append(w.Claims, sim.Claim{Claim: volume.Claim{Namespace: s.Namespace, Name: claim, UID: uid, Spec: spec,
				Annotations: map[string]string{volume.AnnBindCompleted: "yes", volume.AnnBoundByController: "yes"},
				Status:      volume.ClaimStatus{Phase: volume.ClaimBound, AccessModes: spec.AccessModes, Capacity: spec.Request}}})
			w.Volumes = append(w.Volumes, volume.Volume{Name: "pv-" + claim, Spec: volume.VolumeSpec{
				ClaimRef: &volume.ObjectReference{Namespace: s.Namespace, Name: claim, UID: uid}, Capacity: spec.Request,
				AccessModes: spec.AccessModes, StorageClassName: volume.ClaimClass(&volume.Claim{Spec: spec}), ReclaimPolicy: volume.Delete,
				Source: volume.VolumeSource{CSI: &volume.CSISource{Driver: assumedProvisioner, VolumeHandle: claim}}},
				Status: volume.VolumeStatus{Phase: volume.VolumeBound}})
		}
		w.Pods = append(w.Pods, pod)
	}
}

func sameSetState(a, b sim.StatefulSetState) bool {
	return a.Ready == b.Ready && a.Available == b.Available && a.NotReady == b.NotReady && a.Updated == b.Updated && a.Bound == b.Bound &&
		a.Claims == b.Claims && a.Pods == b.Pods && a.Terminating == b.Terminating
}

// ensureNodes adds the nodes the world's pods run on that it lacks (pods
// on a vanished node would be garbage-collected), with a note.
func ensureNodes(w *sim.World, out io.Writer) {
	for _, p := range w.Pods {
		if p.Node == "" || slices.ContainsFunc(w.Nodes, func(n daemonset.Node) bool { return n.Name == p.Node }) {
			continue
		}
		w.Nodes = append(w.Nodes, daemonset.Node{Name: p.Node, Labels: map[string]string{"kubernetes.io/hostname": p.Node}})
		fmt.Fprintf(out, "Assuming node %q exists: pod %s runs there.\n", p.Node, p.Name)
	}
}

// since is the time from start to t as printed: to the millisecond (a
// pod becomes available a nanosecond after minReadySeconds).
func since(start, t time.Time) time.Duration { return t.Sub(start).Round(time.Millisecond) }

func gracePeriod(g *int64) time.Duration {
	if g == nil {
		return 30 * time.Second // the API default
	}
	return time.Duration(*g) * time.Second
}

// timelineWrites lists the objects a pass created and deleted by the
// controller whose object names start with prefix, and counts every write
// and event of the pass by verb and reason.
func timelineWrites(actions []sim.Action, prefix string) (created, deleted []string, reasons string) {
	counts := map[string]int{}
	for _, a := range actions {
		counts[a.Verb+" "+a.Reason]++
		if !strings.HasPrefix(a.Object, prefix) {
			continue
		}
		switch a.Verb {
		case "create":
			created = append(created, a.Target)
		case "delete":
			deleted = append(deleted, a.Target)
		}
	}
	return created, deleted, reasonList(counts)
}

func list(names []string) string {
	if len(names) == 0 {
		return "-"
	}
	return strings.Join(names, ",")
}

// ending prints how the run ended: finished, stuck (and on what), or
// stopped at the end of the window.
func ending(out io.Writer, tl sim.Timeline, start time.Time, state, blocked string) error {
	took := since(start, tl.End)
	fmt.Fprintln(out)
	switch {
	case tl.Finished:
		fmt.Fprintf(out, "Finished after %v (%d passes): %s.\n", took, len(tl.Passes), state)
	case tl.Stuck:
		fmt.Fprintf(out, "Stuck after %v (%d passes), nothing more will happen: %s; waiting on %s.\n", took, len(tl.Passes), state, cmp.Or(blocked, "nothing known"))
	default:
		fmt.Fprintf(out, "Not finished when the simulation stopped at +%v (%d passes): %s", took, len(tl.Passes), state)
		if blocked != "" {
			fmt.Fprintf(out, "; waiting on %s", blocked)
		}
		fmt.Fprintln(out, ".")
	}
	return nil
}

// jobLifecycle is the lifecycle of Job pods: they run for --pod-run and the
// first --pod-fail-first attempts of each index (of the Job, when it is
// not Indexed) exit 1.
func jobLifecycle(s simulation, grace *int64) sim.Lifecycle {
	life := s.life
	life.Run = s.run
	if life.Terminate < 0 {
		life.Terminate = gracePeriod(grace)
	}
	if n := s.failFirst; n > 0 {
		life.ExitCode = func(p *sim.Pod) int32 {
			if p.Attempt < n {
				return 1
			}
			return 0
		}
	}
	return life
}

// jobPods converts the observed pods a Job owns.
func (c *cluster) jobPods(ns, name, uid string) []sim.Pod {
	var out []sim.Pod
	for _, p := range c.pods {
		if namespaceOf(p.Namespace) != ns || !isOwnedBy(p.OwnerReferences, "Job", name) {
			continue
		}
		jp := adapt.JobPod(p)
		index := -1
		if v, ok := p.Annotations[job.AnnotationCompletionIndex]; ok {
			if i, err := strconv.Atoi(v); err == nil {
				index = i
			}
		}
		pod := sim.Pod{Name: p.Name, Namespace: ns, UID: cmp.Or(string(p.UID), "uid-"+p.Name), Annotations: p.Annotations,
			Finalizers: p.Finalizers, Owner: uid, Kind: sim.KindJob, Node: p.Spec.NodeName, Phase: sim.Phase(jp.Phase),
			Created: p.CreationTimestamp.Time, Index: index}
		if pod.Phase == "" {
			pod.Phase = sim.Pending
		}
		if pod.Phase == sim.Running {
			pod.Running = pod.Created
		}
		out = append(out, pod)
	}
	return out
}

func simulateJob(c *cluster, s simulation, o manifest.Object, out io.Writer) error {
	k := o.Obj.(*batchv1.Job).DeepCopy()
	k.Namespace = namespaceOf(k.Namespace)
	if k.UID == "" {
		k.UID = "simulated-uid"
	}
	j, st := adapt.Job(k)
	w := &sim.World{Now: c.now, Lifecycle: jobLifecycle(s, k.Spec.Template.Spec.TerminationGracePeriodSeconds),
		Jobs: []sim.Job{{Job: j, Status: st, UID: string(k.UID), Created: cmp.Or(k.CreationTimestamp.Time, c.now)}}}
	w.Pods = c.jobPods(k.Namespace, k.Name, string(k.UID))
	ensureNodes(w, out)
	tl, err := w.Run(c.now.Add(s.until), 100000)
	if err != nil {
		return err
	}
	spec := job.Default(j, job.Release{}).Spec
	mode := cmp.Or(string(spec.CompletionMode), string(job.NonIndexed))
	fmt.Fprintf(out, "Simulating job.batch/%s in %s (%s, completions %s, parallelism %s, backoffLimit %s): pods Running %v after creation, exiting %v later; the first %d attempts of each %s fail.\n\n",
		k.Name, k.Namespace, mode, ptrString(spec.Completions), ptrString(spec.Parallelism), ptrString(spec.BackoffLimit),
		w.Lifecycle.Start, w.Lifecycle.Run, s.failFirst, map[bool]string{true: "index", false: "Job"}[spec.CompletionMode == job.Indexed])
	tw := tabwriter.NewWriter(out, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tPASS\tCREATED\tDELETED\tACTIVE\tSUCCEEDED\tFAILED\tCONDITION\tREASONS")
	var prev *sim.JobState
	last := sim.JobState{Name: k.Name}
	for i, p := range tl.Passes {
		if len(p.Jobs) == 0 {
			continue // deleted (ttlSecondsAfterFinished)
		}
		st := p.Jobs[0]
		last = st
		created, deleted, reasons := timelineWrites(p.Actions, "job/")
		if len(created)+len(deleted) == 0 && prev != nil && *prev == st {
			continue
		}
		prev = &st
		fmt.Fprintf(tw, "+%v\t%d\t%s\t%s\t%d\t%d\t%d\t%s\t%s\n", since(c.now, p.At), i+1, list(created), list(deleted),
			st.Running, st.Succeeded, st.Failed, condition(st), reasons)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	state := fmt.Sprintf("%d pods succeeded, %d failed", last.Succeeded, last.Failed)
	if last.Condition != "" {
		state = fmt.Sprintf("%s (%s), %s", last.Condition, last.Reason, state)
	}
	blocked := ""
	if last.Running > 0 {
		blocked = fmt.Sprintf("%d pods still running", last.Running)
	}
	return ending(out, tl, c.now, state, blocked)
}

func condition(st sim.JobState) string {
	if st.Condition == "" {
		return "-"
	}
	return string(st.Condition) + "/" + string(st.Reason)
}

func ptrString(p *int32) string {
	if p == nil {
		return "unset"
	}
	return strconv.Itoa(int(*p))
}

func simulateCronJob(c *cluster, s simulation, o manifest.Object, out io.Writer) error {
	k := o.Obj.(*batchv1.CronJob).DeepCopy()
	k.Namespace = namespaceOf(k.Namespace)
	if k.UID == "" {
		k.UID = "simulated-uid"
	}
	if k.CreationTimestamp.IsZero() {
		k.CreationTimestamp.Time = c.created
	}
	cj := adapt.CronJob(k)
	w := &sim.World{Now: c.now, Lifecycle: jobLifecycle(s, k.Spec.JobTemplate.Spec.Template.Spec.TerminationGracePeriodSeconds),
		CronJobs: []sim.CronJob{{CronJob: cj, JobSpec: adapt.JobSpec(k.Spec.JobTemplate.Spec), Options: cronjob.Options{Zone: time.UTC, Exact: true}}}}
	for _, obj := range c.all() {
		kj, ok := obj.Obj.(*batchv1.Job)
		if !ok || namespaceOf(kj.Namespace) != k.Namespace || !isOwnedBy(kj.OwnerReferences, "CronJob", k.Name) {
			continue
		}
		kj = kj.DeepCopy()
		kj.Namespace = k.Namespace
		uid := cmp.Or(string(kj.UID), "uid-"+kj.Name)
		j, st := adapt.Job(kj)
		w.Jobs = append(w.Jobs, sim.Job{Job: j, Status: st, Owner: string(k.UID), UID: uid, Created: cmp.Or(kj.CreationTimestamp.Time, c.now)})
		w.Pods = append(w.Pods, c.jobPods(k.Namespace, kj.Name, uid)...)
	}
	ensureNodes(w, out)
	tl, err := w.Run(c.now.Add(s.until), 1000000)
	if err != nil {
		return err
	}
	policy := cmp.Or(string(k.Spec.ConcurrencyPolicy), string(batchv1.AllowConcurrent))
	fmt.Fprintf(out, "Simulating cronjob.batch/%s in %s (schedule %q, %s) from %s for %v: Job pods Running %v after creation, exiting %v later.\n\n",
		k.Name, k.Namespace, k.Spec.Schedule, policy, c.now.Format(time.RFC3339), s.until, w.Lifecycle.Start, w.Lifecycle.Run)
	tw := tabwriter.NewWriter(out, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tPASS\tCREATED\tDELETED\tJOBS\tACTIVE\tLAST SCHEDULE\tREASONS")
	created := 0
	var prev *sim.CronJobState
	for i, p := range tl.Passes {
		st := p.CronJobs[0]
		var made, gone []string
		counts := map[string]int{}
		for _, a := range p.Actions {
			if !strings.HasPrefix(a.Object, "cronjob/") {
				continue
			}
			counts[a.Verb+" "+a.Reason]++
			switch a.Verb {
			case "create":
				made = append(made, a.Target)
			case "delete":
				gone = append(gone, a.Target)
			}
		}
		created += len(made)
		if len(made)+len(gone) == 0 && prev != nil && prev.Jobs == st.Jobs && prev.Active == st.Active {
			continue
		}
		prev = &st
		last := "-"
		if !st.LastSchedule.IsZero() {
			last = st.LastSchedule.Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "+%v\t%d\t%s\t%s\t%d\t%d\t%s\t%s\n", since(c.now, p.At), i+1, list(made), list(gone), st.Jobs, st.Active, last, reasonList(counts))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(out, "\n%d Jobs created in %v (%d passes); a CronJob never finishes.\n", created, since(c.now, tl.End), len(tl.Passes))
	return nil
}
