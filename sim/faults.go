package sim

import (
	"errors"
	"fmt"
	"slices"

	"github.com/purectl/purectl/daemonset"
)

// Faults are failures of the API server and of the controllers' caches
// that a World injects into the pod writes of its DaemonSets, StatefulSets
// and Jobs, the Job writes of its CronJobs and the PV controller's
// bindings. Both hooks see each write with the pass it belongs to, so a
// test decides deterministically which writes fail, e.g. "every write of
// pass 7" or "the second create". The zero value injects none.
type Faults struct {
	// Lose, when set, sees every pod create and delete a DaemonSet,
	// StatefulSet or Job issues, and every finalizer removal of a Job
	// ("release"); true means the API server refused it (a conflict, a
	// timeout, an admission webhook): the write changes nothing and is
	// recorded with Action.Lost. The controller, seeing the same pods on
	// its next pass, issues it again. A Job pass with a lost removal
	// keeps the status it wrote before the removals
	// (job.Result.StatusBeforeRemovals), as syncJob does.
	//
	// Lose also sees each Job create and delete of a CronJob (Object
	// "cronjob/<ns>/<name>", Target the Job) of the pass as first planned;
	// the pass is then decided again with the refusals
	// (cronjob.Options.FailedDeletes and CreateFailed), and a pass that
	// fails is retried a second later. And it sees the
	// PV controller's two writes of a binding, in order: the volume's
	// (Object "persistentvolume/<name>", Verb "bind", Target the claim's
	// "<namespace>/<name>") and then the claim's (Object the claim, Target
	// the volume). Once the volume's write went through, the volume stays
	// reserved for the claim and a later pass finishes the binding.
	Lose func(Write) bool
	// Lag, when set, sees every pod create that was not lost and returns
	// how many further passes the new pod stays out of the controllers'
	// view, as when the watch has not delivered it yet. The pod exists all
	// the same: the scheduler, the kubelet (its Lifecycle) and garbage
	// collection act on it, and a StatefulSet's create of its name again
	// is refused as already existing. A DaemonSet or Job that has such a
	// pod outstanding knows it, as the controller's expectations do, and
	// plans with daemonset.Unobserved.Creates or job.Job.OperationsPending.
	// Zero or less is no lag.
	Lag func(Write) int
}

// Write is one pod write a controller issued, as Faults sees it.
type Write struct {
	// Pass is World.Passes of the Step that issued it.
	Pass int
	// Object, Verb and Target are as in Action: the controller's object,
	// "create", "delete" or "release", and the node aimed at (a DaemonSet
	// create), the name prefix (a Job create) or the pod's name.
	Object, Verb, Target string
}

// lose asks Faults.Lose about a write.
func (w *World) lose(object, verb, target string) bool {
	return w.Faults.Lose != nil && w.Faults.Lose(Write{Pass: w.Passes, Object: object, Verb: verb, Target: target})
}

// lag is the first pass that sees a pod created now.
func (w *World) lag(object, target string) int {
	if w.Faults.Lag == nil {
		return 0
	}
	if n := w.Faults.Lag(Write{Pass: w.Passes, Object: object, Verb: "create", Target: target}); n > 0 {
		return w.Passes + n + 1
	}
	return 0
}

// hidden reports whether the controllers of this pass do not see the pod.
func (w *World) hidden(p *Pod) bool { return p.visibleAt > w.Passes }

// anyHidden reports whether some pod is not yet seen.
func (w *World) anyHidden() bool {
	return slices.ContainsFunc(w.Pods, func(p Pod) bool { return w.hidden(&p) })
}

// ErrNotFound is returned by the fault methods for a node or pod the world
// does not have.
var ErrNotFound = errors.New("not found")

// node returns the node called name.
func (w *World) node(name string) (*daemonset.Node, error) {
	i := slices.IndexFunc(w.Nodes, func(n daemonset.Node) bool { return n.Name == name })
	if i < 0 {
		return nil, fmt.Errorf("node %s: %w", name, ErrNotFound)
	}
	return &w.Nodes[i], nil
}

// pod returns the pod ns/name.
func (w *World) pod(ns, name string) (*Pod, error) {
	i := w.find(ns, name)
	if i < 0 {
		return nil, fmt.Errorf("pod %s/%s: %w", ns, name, ErrNotFound)
	}
	return &w.Pods[i], nil
}

// AddNode adds a node to the world (a node joining the cluster). It is an
// error if a node of its name exists.
func (w *World) AddNode(n daemonset.Node) error {
	if _, err := w.node(n.Name); err == nil {
		return fmt.Errorf("node %s already exists", n.Name)
	}
	n.Taints = slices.Clone(n.Taints)
	w.Nodes = append(w.Nodes, n)
	return nil
}

// RemoveNode removes a node (a node deleted or gone for good). Pod garbage
// collection removes the pods running on it at once; pods only aimed at it
// stay Pending for their controller to deal with.
func (w *World) RemoveNode(name string) error {
	if _, err := w.node(name); err != nil {
		return err
	}
	w.Nodes = slices.DeleteFunc(w.Nodes, func(n daemonset.Node) bool { return n.Name == name })
	w.Pods = slices.DeleteFunc(w.Pods, func(p Pod) bool { return p.Node == name })
	return nil
}

// TaintNode puts a taint on a node, replacing one of the same key and
// effect (an administrator cordoning or draining it, or a node problem).
func (w *World) TaintNode(name string, t daemonset.Taint) error {
	n, err := w.node(name)
	if err != nil {
		return err
	}
	n.Taints = slices.DeleteFunc(slices.Clone(n.Taints), func(x daemonset.Taint) bool { return x.Key == t.Key && x.Effect == t.Effect })
	n.Taints = append(n.Taints, t)
	return nil
}

// UntaintNode removes every taint of the key from a node.
func (w *World) UntaintNode(name, key string) error {
	n, err := w.node(name)
	if err != nil {
		return err
	}
	n.Taints = slices.DeleteFunc(slices.Clone(n.Taints), func(x daemonset.Taint) bool { return x.Key == key })
	return nil
}

// SetNodeReady turns a node's Ready condition as the node lifecycle
// controller sees it. A node going NotReady gets the not-ready taints
// (NoSchedule and NoExecute) and the Ready condition of its pods turns
// False until the node is Ready again, when the taints go and its pods may
// become Ready again.
func (w *World) SetNodeReady(name string, ready bool) error {
	if err := w.UntaintNode(name, daemonset.TaintNodeNotReady); err != nil {
		return err
	}
	n, _ := w.node(name)
	if !ready {
		n.Taints = append(n.Taints, daemonset.Taint{Key: daemonset.TaintNodeNotReady, Effect: daemonset.TaintEffectNoSchedule},
			daemonset.Taint{Key: daemonset.TaintNodeNotReady, Effect: daemonset.TaintEffectNoExecute})
	}
	for i := range w.Pods {
		if p := &w.Pods[i]; p.Node == name {
			p.unready = !ready
			if !ready {
				p.Ready = false
			}
		}
	}
	return nil
}

// DeletePod deletes a pod out of band, as kubectl, an eviction or another
// controller would: it terminates after Lifecycle.Terminate (or at
// FinishTermination when Lifecycle.Manual). It is an error if the pod is
// missing or already being deleted.
func (w *World) DeletePod(ns, name string) error {
	p, err := w.pod(ns, name)
	if err != nil {
		return err
	}
	if !p.Deleted.IsZero() {
		return fmt.Errorf("pod %s/%s is already being deleted", ns, name)
	}
	p.Deleted = w.Now
	return nil
}

// FailPod ends a pod's containers now with the exit code, whatever its
// Lifecycle: an OOM kill, an eviction by the kubelet, a crash (Failed), or
// a container that simply exits 0 (Succeeded). A pod aimed at a node is
// bound there first. It is an error if the pod is missing or has ended.
func (w *World) FailPod(ns, name string, exitCode int32) error {
	p, err := w.pod(ns, name)
	if err != nil {
		return err
	}
	if p.Phase != Pending && p.Phase != Running {
		return fmt.Errorf("pod %s/%s has ended (%s)", ns, name, p.Phase)
	}
	if p.Node == "" {
		p.Node = p.Target
	}
	p.Phase, p.Ready, p.ExitCode, p.Finished = Succeeded, false, exitCode, w.Now
	if exitCode != 0 {
		p.Phase = Failed
	}
	return nil
}

// SetPodReady turns a pod's Ready condition now, whatever its Lifecycle.
// True starts a Pending pod at once (bound to the node it is aimed at, once
// that node exists and its claims are Bound) and makes it Ready; false
// makes a pod not Ready (a failing readiness probe) and keeps it so until
// SetPodReady(true). It is an error if the pod is missing, being deleted,
// has ended, or (for true) cannot start yet.
func (w *World) SetPodReady(ns, name string, ready bool) error {
	p, err := w.pod(ns, name)
	if err != nil {
		return err
	}
	switch {
	case !p.Deleted.IsZero():
		return fmt.Errorf("pod %s/%s is being deleted", ns, name)
	case p.Phase != Pending && p.Phase != Running:
		return fmt.Errorf("pod %s/%s has ended (%s)", ns, name, p.Phase)
	}
	if !ready {
		p.Ready, p.unready = false, true
		return nil
	}
	if p.Phase == Pending {
		if _, ok := w.startAt(p, w.nodeSet()); !ok {
			return fmt.Errorf("pod %s/%s cannot start yet (no node or claims not bound)", ns, name)
		}
		p.Node, p.Phase, p.Running = p.Target, Running, w.Now
	}
	p.unready = false
	if !p.Ready {
		p.Ready, p.ReadySince = true, w.Now
	}
	return nil
}

// FinishTermination ends a deleted pod's grace period now: its containers
// stop and, unless a finalizer holds it, the pod is gone at once. It is an
// error if the pod is missing or not being deleted.
func (w *World) FinishTermination(ns, name string) error {
	i := w.find(ns, name)
	if i < 0 {
		return fmt.Errorf("pod %s/%s: %w", ns, name, ErrNotFound)
	}
	p := &w.Pods[i]
	if p.Deleted.IsZero() {
		return fmt.Errorf("pod %s/%s is not being deleted", ns, name)
	}
	at := w.Now
	if p.terminated {
		at = p.Finished
	}
	p.terminated = true
	if !p.stop(at) {
		w.Pods = slices.Delete(w.Pods, i, i+1)
	}
	return nil
}

// DeleteClaim deletes a PersistentVolumeClaim out of band, as a user
// would. A claim no running or pending pod uses is gone at once; one in use
// is marked deleted and goes once its pods have ended or are gone, as PVC
// protection holds it. Either way the PV controller then reclaims its
// volume under the volume's reclaim policy. It is an error if the claim is
// missing or already being deleted.
func (w *World) DeleteClaim(ns, name string) error {
	i := w.findClaim(ns, name)
	if i < 0 {
		return fmt.Errorf("claim %s/%s: %w", ns, name, ErrNotFound)
	}
	if !w.Claims[i].DeletionTimestamp.IsZero() {
		return fmt.Errorf("claim %s/%s is already being deleted", ns, name)
	}
	if w.claimInUse(ns, name) {
		w.Claims[i].DeletionTimestamp = w.Now
		return nil
	}
	w.Claims = slices.Delete(w.Claims, i, i+1)
	return nil
}
