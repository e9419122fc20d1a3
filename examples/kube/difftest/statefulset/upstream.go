// Package statefulsetdiff runs Kubernetes' own StatefulSet controller (the
// sync of k8s.io/kubernetes/pkg/controller/statefulset, of the release the
// suite is built against (testmain.Release), which claims
// pods and then calls StatefulSetControlInterface.UpdateStatefulSet) beside
// purectl's statefulset.NextStatefulAction on the same cluster state, and
// turns what either side writes into one comparable form, so that the
// trajectory tests in this package and the benchmarks in examples/kube/bench
// can compare the two.
//
// Each pass builds a fresh controller over a fake API server and informers
// holding exactly the world's objects (every earlier write observed), runs
// one sync, and compares with purectl: the ordered list of pod creations,
// deletions, updates, adoptions and releases, claim creations and owner
// updates, and revision deletions (each with what it writes, as canonical
// JSON); the status written (or that none is); the ConflictingController
// events; and that purectl's RequeueAt is no later than the controller's
// minReadySeconds re-queue.
//
// Revision names: the controller names a ControllerRevision by hashing its
// serialised template and creates it in the pass; purectl takes the name
// as an input (Set.UpdateRevision) and leaves creating it to the caller.
// Each pass hands purectl the name the controller found or created for the
// same template, so the mapping between the two sides' names is the
// identity. That is sound because purectl never derives anything from a
// name but equality: any one-to-one renaming of the revisions would give
// the same decisions, and this one lets every label and status field be
// compared exactly. Revision creation and renumbering are therefore not
// compared; revision deletions are.
//
// Normalise lists the other forms compared, each undoing an order the
// controller leaves to chance (Go map iteration, goroutines of a Parallel
// slow-start batch).
package statefulsetdiff

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"
	_ "unsafe" // go:linkname

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
	"k8s.io/client-go/tools/record"
	"k8s.io/client-go/util/workqueue"
	"k8s.io/klog/v2"
	"k8s.io/kubernetes/pkg/controller"
	"k8s.io/kubernetes/pkg/controller/history"
	sscontroller "k8s.io/kubernetes/pkg/controller/statefulset"

	"github.com/purectl/purectl/examples/kube/internal/reach"
)

//go:linkname syncStatefulSetKey k8s.io/kubernetes/pkg/controller/statefulset.(*StatefulSetController).sync
func syncStatefulSetKey(ssc *sscontroller.StatefulSetController, ctx context.Context, key string) error

// Cluster is the state one pass observes: the set and every pod, claim and
// ControllerRevision of its namespace.
type Cluster struct {
	Set       *appsv1.StatefulSet
	Pods      []*v1.Pod
	Claims    []*v1.PersistentVolumeClaim
	Revisions []*appsv1.ControllerRevision
}

// Write is one API write in a form both sides can produce: the verb, the
// object and, as canonical JSON, what is written.
type Write struct {
	Op   string // create, delete, update, adopt, release
	Kind string // Pod, PersistentVolumeClaim, ControllerRevision
	Name string
	// Body is what the write sets, as canonical JSON (empty for deletes).
	Body string
}

func (w Write) String() string {
	if w.Body == "" {
		return w.Op + " " + w.Kind + " " + w.Name
	}
	return w.Op + " " + w.Kind + " " + w.Name + " " + w.Body
}

// Outcome is what one pass of the real controller did.
type Outcome struct {
	// Writes are the pod, claim and revision-deletion writes in the order
	// the fake API server received them; revision creation and renumbering
	// are in RevisionWrites (purectl leaves them to the caller).
	Writes         []Write
	RevisionWrites []string
	// Status is the status written, nil if the pass wrote none.
	Status *appsv1.StatefulSetStatus
	// Listed are the revisions the pass listed (owned by the set or by no
	// one, matching its selector): what purectl is given as Set.Revisions.
	Listed []*appsv1.ControllerRevision
	// UpdateRevision is the name of the revision the pass found or
	// created for the set's template; CurrentRevision likewise for
	// status.currentRevision.
	UpdateRevision, CurrentRevision string
	// Events are "Type Reason Message" as recorded.
	Events []string
	// Requeues are the AddAfter delays the pass put on its queue.
	Requeues []time.Duration
	Err      error
	// After is the fake API server's content after the pass.
	After Cluster
}

// recordingQueue is the controller's work queue reduced to what a pass
// uses: it records AddAfter and ignores the rest.
type recordingQueue struct {
	workqueue.TypedRateLimitingInterface[string]
	mu    sync.Mutex
	after []time.Duration
}

func (q *recordingQueue) AddAfter(_ string, d time.Duration) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.after = append(q.after, d)
}
func (q *recordingQueue) Add(string)            {}
func (q *recordingQueue) AddRateLimited(string) {}
func (q *recordingQueue) Forget(string)         {}

// Controller holds one real controller wired to a fake API server and
// informers holding exactly one Cluster.
type Controller struct {
	ssc      *sscontroller.StatefulSetController
	control  sscontroller.StatefulSetControlInterface
	client   *fake.Clientset
	queue    *recordingQueue
	recorder *record.FakeRecorder
	hist     *historyRecorder
	set      *appsv1.StatefulSet
	pods     []*v1.Pod
}

// historyRecorder is the real ControllerRevision history, remembering the
// revisions it listed, created and renumbered, so the pass's update
// revision is known without recomputing the hash.
type historyRecorder struct {
	history.Interface
	mu      sync.Mutex
	listed  []*appsv1.ControllerRevision
	touched *appsv1.ControllerRevision
}

// list records the revisions a ListControllerRevisions call returned
// (whose signature differs between releases: see controller_*.go).
func (h *historyRecorder) list(revs []*appsv1.ControllerRevision, err error) ([]*appsv1.ControllerRevision, error) {
	h.mu.Lock()
	h.listed = revs
	h.mu.Unlock()
	return revs, err
}

func (h *historyRecorder) CreateControllerRevision(parent metav1.Object, r *appsv1.ControllerRevision, cc *int32) (*appsv1.ControllerRevision, error) {
	out, err := h.Interface.CreateControllerRevision(parent, r, cc)
	if err == nil {
		h.mu.Lock()
		h.touched = out
		h.mu.Unlock()
	}
	return out, err
}

func (h *historyRecorder) UpdateControllerRevision(r *appsv1.ControllerRevision, n int64) (*appsv1.ControllerRevision, error) {
	out, err := h.Interface.UpdateControllerRevision(r, n)
	if err == nil {
		h.mu.Lock()
		h.touched = out
		h.mu.Unlock()
	}
	return out, err
}

// New wires a real StatefulSet controller to a fake API server and
// informers that hold c, as the controller's own unit tests do: a fresh
// controller per pass models a controller whose earlier writes have all
// been observed.
func New(c Cluster) *Controller {
	objs := []runtime.Object{c.Set}
	for _, p := range c.Pods {
		objs = append(objs, p)
	}
	for _, pvc := range c.Claims {
		objs = append(objs, pvc)
	}
	for _, r := range c.Revisions {
		objs = append(objs, r)
	}
	client := fake.NewSimpleClientset(objs...)
	f := informers.NewSharedInformerFactory(client, 0)
	podInf, setInf := f.Core().V1().Pods(), f.Apps().V1().StatefulSets()
	pvcInf, revInf := f.Core().V1().PersistentVolumeClaims(), f.Apps().V1().ControllerRevisions()
	controller.AddPodControllerIndexer(podInf.Informer())
	for _, p := range c.Pods {
		_ = podInf.Informer().GetIndexer().Add(p)
	}
	for _, pvc := range c.Claims {
		_ = pvcInf.Informer().GetIndexer().Add(pvc)
	}
	for _, r := range c.Revisions {
		_ = revInf.Informer().GetIndexer().Add(r)
	}
	_ = setInf.Informer().GetIndexer().Add(c.Set)

	rec := record.NewFakeRecorder(1 << 16)
	hist := &historyRecorder{Interface: newHistory(client, revInf)}
	control := newControl(client, podInf, pvcInf, setInf, rec, hist)
	q := &recordingQueue{}
	ssc := &sscontroller.StatefulSetController{}
	reach.Set(ssc, "kubeClient", client)
	reach.Set(ssc, "control", control)
	reach.Set(ssc, "podControl", controller.RealPodControl{KubeClient: client, Recorder: rec})
	reach.Set(ssc, "podIndexer", podInf.Informer().GetIndexer())
	reach.Set(ssc, "podLister", podInf.Lister())
	reach.Set(ssc, "setLister", setInf.Lister())
	reach.Set(ssc, "queue", workqueue.TypedRateLimitingInterface[string](q))
	wireController(ssc)
	return &Controller{ssc: ssc, control: control, client: client, queue: q, recorder: rec, hist: hist, set: c.Set, pods: c.Pods}
}

// Control is the controller's StatefulSetControlInterface (for benchmarks
// of UpdateStatefulSet alone).
func (c *Controller) Control() sscontroller.StatefulSetControlInterface { return c.control }

// ClearActions forgets the writes recorded so far.
func (c *Controller) ClearActions() { c.client.ClearActions() }

// Run is one sync of the set's key.
func (c *Controller) Run(ctx context.Context) Outcome {
	ctx = klog.NewContext(ctx, klog.Background().V(10))
	var out Outcome
	out.Err = syncStatefulSetKey(c.ssc, ctx, c.set.Namespace+"/"+c.set.Name)
	out.Requeues = c.queue.after
	for {
		select {
		case e := <-c.recorder.Events:
			out.Events = append(out.Events, e)
			continue
		default:
		}
		break
	}
	out.Writes, out.RevisionWrites, out.Status = Writes(c.client.Actions())
	out.UpdateRevision, out.CurrentRevision = c.revisions()
	c.hist.mu.Lock()
	out.Listed = c.hist.listed
	c.hist.mu.Unlock()
	out.After = c.contents()
	return out
}

// revisions names the update and current revisions the pass used: the one
// it created or renumbered, else the newest it listed (as
// getStatefulSetRevisions decides); the current one is named by the
// set's status, if it exists, else it is the update revision.
func (c *Controller) revisions() (update, current string) {
	h := c.hist
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.touched != nil {
		update = h.touched.Name
	} else if len(h.listed) > 0 {
		revs := slices.Clone(h.listed)
		history.SortControllerRevisions(revs)
		update = revs[len(revs)-1].Name
	}
	current = update
	for _, r := range h.listed {
		if r.Name == c.set.Status.CurrentRevision {
			current = r.Name
		}
	}
	return update, current
}

func (c *Controller) contents() Cluster {
	var out Cluster
	tr := c.client.Tracker()
	ns := c.set.Namespace
	if o, err := tr.Get(appsv1.SchemeGroupVersion.WithResource("statefulsets"), ns, c.set.Name); err == nil {
		out.Set = o.(*appsv1.StatefulSet)
	}
	if o, err := tr.List(v1.SchemeGroupVersion.WithResource("pods"), v1.SchemeGroupVersion.WithKind("Pod"), ns); err == nil {
		for i := range o.(*v1.PodList).Items {
			out.Pods = append(out.Pods, &o.(*v1.PodList).Items[i])
		}
	}
	if o, err := tr.List(v1.SchemeGroupVersion.WithResource("persistentvolumeclaims"), v1.SchemeGroupVersion.WithKind("PersistentVolumeClaim"), ns); err == nil {
		for i := range o.(*v1.PersistentVolumeClaimList).Items {
			out.Claims = append(out.Claims, &o.(*v1.PersistentVolumeClaimList).Items[i])
		}
	}
	if o, err := tr.List(appsv1.SchemeGroupVersion.WithResource("controllerrevisions"), appsv1.SchemeGroupVersion.WithKind("ControllerRevision"), ns); err == nil {
		for i := range o.(*appsv1.ControllerRevisionList).Items {
			out.Revisions = append(out.Revisions, &o.(*appsv1.ControllerRevisionList).Items[i])
		}
	}
	return out
}

// Writes turns the fake API server's recorded actions into Writes (pods,
// claims, revision deletions), revision creations and renumberings, and
// the last status written.
func Writes(actions []k8stesting.Action) (writes []Write, revisionWrites []string, status *appsv1.StatefulSetStatus) {
	for _, a := range actions {
		res := a.GetResource().Resource
		// Create and update actions share one interface: tell them by verb.
		switch act := a.(type) {
		case k8stesting.CreateAction:
			if a.GetVerb() != "create" {
				if u, ok := a.(k8stesting.UpdateAction); ok && a.GetVerb() == "update" {
					w, st := update(u)
					writes = append(writes, w...)
					if st != nil {
						status = st
					}
					revisionWrites = append(revisionWrites, revUpdate(u)...)
				}
				break
			}
			switch obj := act.GetObject().(type) {
			case *v1.Pod:
				writes = append(writes, PodCreate(obj))
			case *v1.PersistentVolumeClaim:
				writes = append(writes, ClaimCreate(obj))
			case *appsv1.ControllerRevision:
				revisionWrites = append(revisionWrites, "create "+obj.Name)
			}
		case k8stesting.DeleteAction:
			switch res {
			case "pods":
				writes = append(writes, Write{Op: "delete", Kind: "Pod", Name: act.GetName()})
			case "controllerrevisions":
				writes = append(writes, Write{Op: "delete", Kind: "ControllerRevision", Name: act.GetName()})
			case "persistentvolumeclaims":
				writes = append(writes, Write{Op: "delete", Kind: "PersistentVolumeClaim", Name: act.GetName()})
			}
		case k8stesting.PatchAction:
			if res == "pods" {
				writes = append(writes, podPatch(act.GetName(), act.GetPatch()))
			} else {
				writes = append(writes, Write{Op: "patch", Kind: res, Name: act.GetName(), Body: string(act.GetPatch())})
			}
		}
	}
	return writes, revisionWrites, status
}

func update(act k8stesting.UpdateAction) ([]Write, *appsv1.StatefulSetStatus) {
	switch obj := act.GetObject().(type) {
	case *v1.Pod:
		return []Write{PodUpdate(obj)}, nil
	case *v1.PersistentVolumeClaim:
		return []Write{ClaimUpdate(obj)}, nil
	case *appsv1.StatefulSet:
		if act.GetSubresource() == "status" {
			st := obj.Status
			return nil, &st
		}
	}
	return nil, nil
}

func revUpdate(act k8stesting.UpdateAction) []string {
	if obj, ok := act.GetObject().(*appsv1.ControllerRevision); ok {
		return []string{fmt.Sprintf("renumber %s %d", obj.Name, obj.Revision)}
	}
	return nil
}

// podPatch reads the controller-reference patches of ClaimPods: one that
// deletes an owner reference releases the pod, one that sets it adopts.
func podPatch(name string, patch []byte) Write {
	var p struct {
		Metadata struct {
			OwnerReferences []map[string]any `json:"ownerReferences"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(patch, &p); err == nil && len(p.Metadata.OwnerReferences) == 1 {
		ref := p.Metadata.OwnerReferences[0]
		if ref["$patch"] == "delete" {
			return Write{Op: "release", Kind: "Pod", Name: name}
		}
		return Write{Op: "adopt", Kind: "Pod", Name: name, Body: canonical(map[string]any{"kind": ref["kind"], "name": ref["name"], "uid": ref["uid"]})}
	}
	return Write{Op: "patch", Kind: "Pod", Name: name, Body: string(patch)}
}

// canonical is v as JSON, with empty and nil maps and slices at the top
// level left out: the API does not tell them apart.
func canonical(v any) string {
	if m, ok := v.(map[string]any); ok {
		m = maps.Clone(m)
		for k, x := range m {
			if rv := reflect.ValueOf(x); x == nil || (rv.Kind() == reflect.Map || rv.Kind() == reflect.Slice) && rv.Len() == 0 {
				delete(m, k)
			}
		}
		v = m
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// ownerRefsBody writes owner references as the API stores them, keeping
// their order (the controller appends its own after the others).
func ownerRefsBody(refs []metav1.OwnerReference) []map[string]any {
	out := []map[string]any{}
	for _, r := range refs {
		out = append(out, map[string]any{"apiVersion": r.APIVersion, "kind": r.Kind, "name": r.Name, "uid": string(r.UID),
			"controller": r.Controller != nil && *r.Controller, "blockOwnerDeletion": r.BlockOwnerDeletion != nil && *r.BlockOwnerDeletion})
	}
	return out
}

// sortedVolumes orders a pod's volumes by name. The controller builds the
// claim volumes of a pod from a Go map (updateStorage), so their order is
// random there; a pod's volume order has no meaning to the kubelet.
func sortedVolumes(vs []v1.Volume) []v1.Volume {
	vs = slices.Clone(vs)
	slices.SortStableFunc(vs, func(a, b v1.Volume) int { return strings.Compare(a.Name, b.Name) })
	return vs
}

// PodCreate is the Write of creating pod.
func PodCreate(pod *v1.Pod) Write {
	spec := pod.Spec.DeepCopy()
	spec.Volumes = sortedVolumes(spec.Volumes)
	return Write{Op: "create", Kind: "Pod", Name: pod.Name, Body: canonical(map[string]any{
		"namespace": pod.Namespace, "labels": pod.Labels, "annotations": pod.Annotations,
		"ownerReferences": ownerRefsBody(pod.OwnerReferences), "finalizers": pod.Finalizers, "spec": spec})}
}

// PodUpdate is the Write of updating pod to this content.
func PodUpdate(pod *v1.Pod) Write {
	return Write{Op: "update", Kind: "Pod", Name: pod.Name, Body: canonical(map[string]any{
		"namespace": pod.Namespace, "labels": pod.Labels, "volumes": sortedVolumes(pod.Spec.Volumes),
		"ownerReferences": ownerRefsBody(pod.OwnerReferences)})}
}

// ClaimCreate is the Write of creating claim.
func ClaimCreate(c *v1.PersistentVolumeClaim) Write {
	return Write{Op: "create", Kind: "PersistentVolumeClaim", Name: c.Name, Body: canonical(map[string]any{
		"namespace": c.Namespace, "labels": c.Labels, "annotations": c.Annotations,
		"ownerReferences": ownerRefsBody(c.OwnerReferences), "spec": c.Spec})}
}

// ClaimUpdate is the Write of updating claim (the controller changes only
// its owner references).
func ClaimUpdate(c *v1.PersistentVolumeClaim) Write {
	return Write{Op: "update", Kind: "PersistentVolumeClaim", Name: c.Name, Body: canonical(map[string]any{
		"ownerReferences": ownerRefsBody(c.OwnerReferences)})}
}
