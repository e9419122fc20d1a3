// Package sim is a small in-memory cluster on a virtual clock that drives
// purectl's planners the way kube-controller-manager, the scheduler and the
// kubelets drive the real controllers: every pass's writes are applied, pods
// go Pending → Running → Ready (and, for Job pods, Succeeded or Failed) after
// configurable delays, and time jumps from one event to the next, so a whole
// rollout of hundreds of nodes or a week of CronJob runs is simulated in
// milliseconds.
//
// A World holds nodes, DaemonSets, StatefulSets, CronJobs, Jobs, pods,
// PersistentVolumeClaims, PersistentVolumes and StorageClasses. Step runs
// one pass of every controller, in that order (CronJobs create Jobs, Jobs
// create pods), then the PV controller (volume.BindClaims over the
// claims, with an external provisioner that creates each volume asked for
// after Lifecycle.Provision, and volume.SyncVolume over the volumes, which
// reclaims those whose claim is gone) and the scheduler's volume binding for StatefulSet
// pods (volume.SchedulePod: the pod's node is chosen first, then its claims
// with delayed binding are bound or provisioned there), and applies it
// all; Run steps and advances the clock until nothing is left to happen
// and returns the Timeline: pass by pass every write, and the state of
// each object measured from the world's own pods and claims.
//
// The world is deterministic: the same world gives the same timeline. It is
// meant for tests, demos and "what will this rollout do" questions. It
// models no scheduler capacity; every pod is bound to the node its
// controller aimed it at (a DaemonSet pod), to the node the scheduler chose
// for its volumes (a StatefulSet pod, when the world has nodes) or to no
// node in particular. A pod with claims starts only once they are Bound.
//
// # Faults
//
// Nothing fails unless a test says so, between Steps, deterministically:
//
//   - Node churn: AddNode, RemoveNode (its pods are garbage collected),
//     TaintNode, UntaintNode and SetNodeReady (the not-ready taints, and
//     the node's pods not Ready meanwhile).
//   - Pods out of band: DeletePod (someone else's delete), FailPod (the
//     containers exit, Failed or Succeeded), SetPodReady (a readiness probe
//     turning), FinishTermination (the grace period ends now).
//   - Claims out of band: DeleteClaim (a user's delete, held while a pod
//     uses the claim); the PV controller's volume worker then reclaims the
//     volume under its policy. Volumes and claims a user creates are
//     appended to World.Volumes and World.Claims.
//   - The API server and the caches: World.Faults sees every pod create and
//     delete of the DaemonSets, StatefulSets and Jobs, every Job finalizer
//     removal, the CronJobs' Job creates and deletes, and the PV
//     controller's volume and claim writes of each binding, and may lose it (refused this pass; Action.Lost) or, for a
//     create, make the new pod visible to the controllers only some passes
//     later, as a lagging watch does.
//
// Lifecycle.Manual stops the kubelets altogether, so that a rapid state
// machine moves each pod itself with those methods; the planners still run
// on every Step, and a test that then clears Manual lets the world settle.
//
// # StatefulSets and their volumes
//
// Each pass of a StatefulSet applies NextStatefulAction's writes: claims
// are created from StatefulSet.ClaimSpecs (their template's storage class,
// request and access modes), pods with their identity labels and claim
// volumes, owner references as the retention policy asks. The PV
// controller then decides every claim not yet Bound to a volume that names
// it, all together (volume.BindClaims): it binds, assigns the default
// class, or asks for a volume, which the provisioner creates pre-bound to
// the claim (pinned to the selected node when binding waited for one). The
// scheduler takes each StatefulSet pod without a node and, among the
// world's nodes, fewest pods first, picks the first where every claim of
// the pod can be satisfied (volume.SchedulePod): there it reserves the
// chosen volumes (claimRef) or selects the node for provisioning. Only
// volume constraints are checked (no taints, affinity or resources). A pod
// whose claims are Bound starts Lifecycle.Start later. Garbage collection
// deletes a claim once every owner it names is gone (whenScaled=Delete
// names the pod, whenDeleted=Delete the set); the volume worker then
// deletes a volume of reclaim policy Delete and Releases one of Retain. A set given a DeletionTimestamp has its pods
// deleted and is removed once they are gone, as foreground deletion does.
package sim

import (
	"slices"
	"time"

	"github.com/purectl/purectl/daemonset"
	"github.com/purectl/purectl/statefulset"
	"github.com/purectl/purectl/volume"
)

// Phase is a pod's status.phase.
type Phase string

// The pod phases the world uses.
const (
	Pending   Phase = "Pending"
	Running   Phase = "Running"
	Succeeded Phase = "Succeeded"
	Failed    Phase = "Failed"
)

// Lifecycle is how simulated pods behave. The zero value makes every pod
// start, become ready and terminate at once, and every Job pod succeed at
// once.
type Lifecycle struct {
	// Start is the time from creation until the pod is Running
	// (scheduling, image pull, container start).
	Start time.Duration
	// Ready is the time from Running until the Ready condition turns True.
	Ready time.Duration
	// Terminate is the grace period: from the delete until the pod stops.
	Terminate time.Duration
	// NeverReady, when set, picks pods that stay Running but never become
	// Ready (a crash-looping or misconfigured container). It sees the pod.
	NeverReady func(p *Pod) bool
	// Provision is the time an external provisioner takes from the PV
	// controller's request to the new volume.
	Provision time.Duration
	// Run is how long a Job pod's container runs before it exits.
	Run time.Duration
	// ExitCode, when set, is the exit code of a Job pod's container; zero
	// is success. It sees the pod (Index and Attempt say which run of
	// which index it is). Nil means every Job pod succeeds.
	ExitCode func(p *Pod) int32
	// Manual, when set, stops the kubelets: no pod starts, becomes ready,
	// exits or finishes terminating by itself, whatever the durations say.
	// A test then moves pods one at a time between Steps (SetPodReady,
	// FailPod, FinishTermination), as a state machine's events; clearing
	// it lets every pod catch up on the durations from the next Step.
	Manual bool
}

// Pod is a simulated pod.
type Pod struct {
	Name, Namespace, UID string
	Labels               map[string]string
	Annotations          map[string]string
	Finalizers           []string
	// Owner is the UID of the controlling object, Kind its kind
	// (KindDaemonSet, KindStatefulSet, KindJob): Job pods run to
	// completion, the others until deleted.
	Owner, Kind string
	// Node is where the pod runs once Running; Target is the node a
	// DaemonSet aimed it at (empty for other pods).
	Node, Target string
	Phase        Phase
	Ready        bool
	ReadySince   time.Time
	Created      time.Time
	// Running is when the pod became Running; zero before.
	Running time.Time
	// Deleted is when the delete was issued; zero while the pod lives.
	Deleted time.Time
	// Index is a Job pod's completion index (-1 when the Job is not
	// Indexed), the ordinal of a pod the world's StatefulSet made, -1 for
	// other pods; Attempt counts the pods created before this one for the
	// same Job and index.
	Index, Attempt int
	// ExitCode and Finished are set when a Job pod's container exits.
	ExitCode int32
	Finished time.Time
	// Restarts counts container restarts (restartPolicy OnFailure).
	Restarts int32
	// Volumes are the pod's persistentVolumeClaim volumes (StatefulSet
	// pods); the pod starts once every claim named is Bound.
	Volumes []statefulset.Volume
	// restartOnFailure: a non-zero exit restarts the container in place.
	restartOnFailure bool
	// volumesReady is when every claim of the pod was first seen Bound.
	volumesReady time.Time
	// why says why the scheduler left the pod without a node.
	why string
	// unready holds the Ready condition False (SetPodReady, SetNodeReady).
	unready bool
	// terminated: the grace period was cut short (FinishTermination).
	terminated bool
	// visibleAt is the first pass whose controllers see the pod (a create
	// that lags, Faults.Lag); zero is every pass.
	visibleAt int
}

// World is the simulated cluster.
type World struct {
	Now       time.Time
	Lifecycle Lifecycle
	Nodes     []daemonset.Node
	// DaemonSets, StatefulSets, CronJobs and Jobs are reconciled on every
	// Step, in that order of kinds and in slice order within a kind.
	DaemonSets   []DaemonSet
	StatefulSets []StatefulSet
	CronJobs     []CronJob
	Jobs         []Job
	Pods         []Pod
	// Claims, Volumes and StorageClasses are the PersistentVolumeClaims
	// (those StatefulSets create and any the caller adds), the
	// PersistentVolumes (the caller's and those provisioned) and the
	// classes that decide binding modes and provisioners.
	Claims         []Claim
	Volumes        []volume.Volume
	StorageClasses []volume.StorageClass
	// VolumeRelease is the Kubernetes release the PV controller and the
	// scheduler's volume binding follow (volume.Options.Release).
	VolumeRelease volume.Release
	// Faults are the API server's refusals and the caches' lag the world
	// injects into the controllers' writes; the zero value injects
	// none. It is read on every Step, so a test may change it between
	// Steps.
	Faults Faults
	// Passes counts the Steps run. Step raises it first, so the writes of
	// the first Step are of pass 1 (Write.Pass).
	Passes int

	seq int
	// provisioning holds the volumes asked of a provisioner, by name, and
	// when each will exist.
	provisioning map[string]time.Time
}

// Action is one write or event a controller issued in a pass.
type Action struct {
	// Object is the controller's object, e.g. "daemonset/kube-system/fluentd".
	Object string
	// Verb is "create", "delete", "update", "adopt", "release" (a pod
	// released, or a Job pod's finalizer removed), "bind" and "provision"
	// (a claim; Target is the volume), "schedule" (a pod; Target is the
	// node) or "event"; Target is what it acts on (a node, pod, claim or Job
	// name; for an event its type).
	Verb, Target string
	Reason       string
	Message      string
	// Lost says the API server refused the write (Faults.Lose, or a pod
	// create of a name in use): it changed nothing.
	Lost bool
}

// Pass is one step of the world.
type Pass struct {
	At           time.Time
	Actions      []Action
	DaemonSets   []DaemonSetState
	StatefulSets []StatefulSetState
	Jobs         []JobState
	CronJobs     []CronJobState
}

// Timeline is the passes of a Run and how it ended.
type Timeline struct {
	Passes []Pass
	// Finished is true when every DaemonSet and StatefulSet is done and
	// every Job has finished, and there is no CronJob (a CronJob never finishes). Stuck
	// is true when nothing more can happen and the world is not finished.
	// With neither, Run stopped at its limit.
	Finished, Stuck bool
	// End is the time of the last pass.
	End time.Time
}

// MaxUnavailableSeen is the most desired nodes of DaemonSet i that were
// without an available pod after any pass.
func (t Timeline) MaxUnavailableSeen(i int) int {
	m := 0
	for _, p := range t.Passes {
		if i < len(p.DaemonSets) {
			m = max(m, p.DaemonSets[i].Unavailable)
		}
	}
	return m
}

// Step runs the pods' lifecycle up to Now, then one pass of every controller,
// and applies the writes. A planner error stops the step and is returned.
func (w *World) Step() (Pass, error) {
	w.Passes++
	w.advancePods()
	pass := Pass{At: w.Now}
	for i := range w.DaemonSets {
		if err := w.stepDaemonSet(i, &pass); err != nil {
			return pass, err
		}
	}
	for i := 0; i < len(w.StatefulSets); i++ {
		gone, err := w.stepStatefulSet(i, &pass)
		if err != nil {
			return pass, err
		}
		if gone {
			i--
		}
	}
	for i := range w.CronJobs {
		if err := w.stepCronJob(i, &pass); err != nil {
			return pass, err
		}
	}
	for i := 0; i < len(w.Jobs); i++ {
		gone, err := w.stepJob(i, &pass)
		if err != nil {
			return pass, err
		}
		if gone {
			i--
		}
	}
	if err := w.stepVolumes(&pass); err != nil {
		return pass, err
	}
	if err := w.schedule(&pass); err != nil {
		return pass, err
	}
	for i := range w.StatefulSets {
		pass.StatefulSets = append(pass.StatefulSets, w.statefulSetState(&w.StatefulSets[i]))
	}
	return pass, nil
}

// Run steps until the world is finished, nothing more can happen, passes
// have run, or the clock would pass until, whichever comes first. Between
// passes the clock jumps to the next event: a pod starting, becoming ready,
// exiting or finishing its termination, or a controller's requeue time. A
// pass that wrote something is followed by one at the same instant, as a
// controller syncs again once it observes its own writes (or, for a write
// that was lost, retries it), and so is one while a created pod is not yet
// seen (Faults.Lag counts passes).
func (w *World) Run(until time.Time, passes int) (Timeline, error) {
	var tl Timeline
	for len(tl.Passes) < passes {
		p, err := w.Step()
		if err != nil {
			return tl, err
		}
		tl.Passes = append(tl.Passes, p)
		tl.End = p.At
		if wrote(p) || w.anyHidden() {
			continue // a pod not yet seen (Faults.Lag) is seen some passes on
		}
		if w.finished(p) {
			tl.Finished = true
			return tl, nil
		}
		next, ok := w.nextEvent()
		if !ok {
			tl.Stuck = true
			return tl, nil
		}
		if next.After(until) {
			return tl, nil
		}
		w.Now = next
	}
	return tl, nil
}

// wrote reports whether a pass changed the world (events alone do not).
func wrote(p Pass) bool {
	return slices.ContainsFunc(p.Actions, func(a Action) bool { return a.Verb != "event" })
}

func (w *World) finished(p Pass) bool {
	if len(w.CronJobs) > 0 {
		return false
	}
	for _, d := range p.DaemonSets {
		if !d.Done {
			return false
		}
	}
	for _, s := range p.StatefulSets {
		if !s.Done {
			return false
		}
	}
	for _, j := range p.Jobs {
		if !j.Finished {
			return false
		}
	}
	return true
}

func (w *World) nodeSet() map[string]bool {
	nodes := make(map[string]bool, len(w.Nodes))
	for _, n := range w.Nodes {
		nodes[n.Name] = true
	}
	return nodes
}

// advancePods applies every lifecycle transition due by Now, in time order
// per pod (a pod can start, become ready and exit in one jump).
func (w *World) advancePods() {
	nodes := w.nodeSet()
	live := w.Pods[:0]
	for _, p := range w.Pods {
		if w.advancePod(&p, nodes) {
			live = append(live, p)
		}
	}
	clear(w.Pods[len(live):])
	w.Pods = live
}

// advancePod moves one pod on to Now and reports whether it still exists.
func (w *World) advancePod(p *Pod, nodes map[string]bool) bool {
	l := &w.Lifecycle
	if p.Node != "" && !nodes[p.Node] {
		return false // pod garbage collection of pods on vanished nodes
	}
	if !p.Deleted.IsZero() {
		stop := p.Deleted.Add(l.Terminate)
		if p.terminated {
			stop = p.Finished
		} else if l.Manual || w.Now.Before(stop) {
			return true
		}
		return p.stop(stop)
	}
	if l.Manual {
		return true
	}
	if start, ok := w.startAt(p, nodes); ok && !w.Now.Before(start) {
		p.Node, p.Phase, p.Running = p.Target, Running, start
	}
	for p.Phase == Running {
		readyAt := p.Running.Add(l.Ready)
		if !p.Ready && !p.unready && !w.neverReady(p) && !w.Now.Before(readyAt) {
			p.Ready, p.ReadySince = true, readyAt
		}
		if !p.runsToCompletion() {
			break
		}
		exitAt := p.Running.Add(l.Run)
		if w.Now.Before(exitAt) {
			break
		}
		code := int32(0)
		if l.ExitCode != nil {
			code = l.ExitCode(p)
		}
		if code != 0 && p.restartOnFailure {
			// The kubelet restarts the container in place; the pod stays
			// Running and not Ready until the new container is.
			p.Restarts++
			p.Attempt++
			p.Running, p.Ready = exitAt, false
			continue
		}
		p.ExitCode, p.Finished, p.Ready = code, exitAt, false
		p.Phase = Succeeded
		if code != 0 {
			p.Phase = Failed
		}
	}
	return true
}

// stop ends a deleted pod's containers at the given time and reports
// whether the pod still exists: it is gone once no finalizer holds it.
func (p *Pod) stop(at time.Time) bool {
	if p.Phase == Pending || p.Phase == Running {
		p.Phase, p.Ready, p.Finished = Failed, false, at
		if p.runsToCompletion() {
			p.ExitCode = 137 // the kubelet killed the container
		}
	}
	return len(p.Finalizers) > 0
}

// noIndex is the Index of pods that are not Indexed Job pods.
const noIndex = -1

// runsToCompletion: Job pods exit; the others run until deleted. A pod
// without a Kind is a Job pod when no node was aimed at.
func (p *Pod) runsToCompletion() bool { return p.Kind == KindJob || p.Kind == "" && p.Target == "" }

// startAt is when a Pending pod starts Running, if it can: Lifecycle.Start
// after its creation or, for a pod with claims, after they are all Bound;
// a StatefulSet pod waits for the scheduler when the world has nodes, and
// a pod aimed at a node waits for that node. It records when the claims
// were first seen Bound.
func (w *World) startAt(p *Pod, nodes map[string]bool) (time.Time, bool) {
	if p.Phase != Pending || !p.Deleted.IsZero() {
		return time.Time{}, false
	}
	if p.Target != "" && !nodes[p.Target] || p.Target == "" && p.Kind == KindStatefulSet && len(nodes) > 0 {
		return time.Time{}, false
	}
	from := p.Created
	if len(p.Volumes) > 0 {
		if p.volumesReady.IsZero() {
			if w.unboundClaim(p) != "" {
				return time.Time{}, false
			}
			p.volumesReady = w.Now
		}
		from = later(from, p.volumesReady)
	}
	return from.Add(w.Lifecycle.Start), true
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func (w *World) neverReady(p *Pod) bool {
	return w.Lifecycle.NeverReady != nil && w.Lifecycle.NeverReady(p)
}

// nextEvent is the earliest instant after Now at which a pod changes or a
// controller asked to be called again.
func (w *World) nextEvent() (time.Time, bool) {
	var next time.Time
	consider := func(t time.Time) {
		if t.After(w.Now) && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	nodes := w.nodeSet()
	l := &w.Lifecycle
	for i := range w.Pods {
		p := &w.Pods[i]
		switch {
		case l.Manual:
			// Pods move only when the caller moves them.
		case !p.Deleted.IsZero():
			consider(p.Deleted.Add(l.Terminate))
		case p.Phase == Pending:
			if start, ok := w.startAt(p, nodes); ok {
				consider(start)
			}
		case p.Phase == Running:
			if !p.Ready && !p.unready && !w.neverReady(p) {
				consider(p.Running.Add(l.Ready))
			}
			if p.runsToCompletion() {
				consider(p.Running.Add(l.Run))
			}
		}
	}
	for _, d := range w.DaemonSets {
		consider(d.requeue)
	}
	for _, s := range w.StatefulSets {
		consider(s.requeue)
	}
	for _, t := range w.provisioning {
		consider(t)
	}
	for _, c := range w.CronJobs {
		consider(c.requeue)
	}
	for _, j := range w.Jobs {
		consider(j.requeue)
	}
	return next, !next.IsZero()
}

// find returns the index of the pod ns/name, or -1.
func (w *World) find(ns, name string) int {
	return slices.IndexFunc(w.Pods, func(p Pod) bool { return p.Name == name && p.Namespace == ns })
}

// deletePod issues a delete (once).
func (w *World) deletePod(ns, name string) {
	if j := w.find(ns, name); j >= 0 && w.Pods[j].Deleted.IsZero() {
		w.Pods[j].Deleted = w.Now
	}
}

// nextName returns a unique suffix for generated names.
func (w *World) nextName(prefix string) string {
	w.seq++
	return prefix + fmtSeq(w.seq)
}

func fmtSeq(n int) string {
	const digits = "0123456789abcdefghijklmnopqrstuvwxyz"
	b := []byte{'0', '0', '0', '0', '0'}
	for i := len(b) - 1; i >= 0 && n > 0; i-- {
		b[i] = digits[n%36]
		n /= 36
	}
	return string(b)
}
