package daemon

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
	_ "unsafe" // go:linkname

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/informers"
	clientset "k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/record"
	"k8s.io/client-go/util/flowcontrol"
	"k8s.io/client-go/util/workqueue"
	"k8s.io/klog/v2"
	"k8s.io/kubernetes/pkg/controller"
	"k8s.io/kubernetes/pkg/controller/daemon"
	testingclock "k8s.io/utils/clock/testing"

	"github.com/purectl/purectl/examples/kube/internal/reach"
)

//go:linkname syncDaemonSet k8s.io/kubernetes/pkg/controller/daemon.(*DaemonSetsController).syncDaemonSet
func syncDaemonSet(dsc *daemon.DaemonSetsController, ctx context.Context, key string) error

// upstream is one real controller for a whole trajectory. Between passes it
// keeps only what the real one keeps in memory that purectl receives as
// input: the failed-pod backoff. Everything else (client, informer stores,
// expectations, queue, pod control) is fresh every pass, so each pass starts
// with all earlier writes observed.
type upstream struct {
	dsc     *daemon.DaemonSetsController
	f       informers.SharedInformerFactory
	clock   *testingclock.FakeClock
	backoff *flowcontrol.Backoff

	// unmet leaves the next pass's expectations unmet, as after a create
	// the informer has not delivered yet.
	unmet bool
	// staleRead makes the next pass's pod cache older than a pod write the
	// controller recorded (from v1.36 its consistency store holds the pass).
	staleRead bool
}

func newUpstream(now time.Time) *upstream {
	client := fake.NewClientset()
	f := informers.NewSharedInformerFactory(client, 0)
	clk := testingclock.NewFakeClock(now)
	bo := flowcontrol.NewFakeBackOff(time.Second, 15*time.Minute, clk)
	dsc, err := daemon.NewDaemonSetsController(context.Background(), f.Apps().V1().DaemonSets(), f.Apps().V1().ControllerRevisions(),
		f.Core().V1().Pods(), f.Core().V1().Nodes(), client, bo)
	if err != nil {
		panic(err)
	}
	// The queues it made run goroutines; the passes use a recording queue.
	reach.Get(dsc, "queue").(workqueue.TypedRateLimitingInterface[string]).ShutDown()
	reach.Get(dsc, "nodeUpdateQueue").(workqueue.TypedRateLimitingInterface[string]).ShutDown()
	return &upstream{dsc: dsc, f: f, clock: clk, backoff: bo}
}

func (u *upstream) close() {
	reach.Get(u.dsc, "eventBroadcaster").(record.EventBroadcaster).Shutdown()
}

// write is one pod create or delete the controller issued.
type write struct {
	phase    int    // 1: the reconcile (manage), 2: the rolling update
	node     string // creates: the node of the pod's matchFields requirement
	pod      string // deletes: the pod; creates: the name the test gave it
	template *v1.PodTemplateSpec
	ref      *metav1.OwnerReference
}

// outcome is what one real pass did.
type outcome struct {
	creates, deletes []write
	adopt, release   []string
	status           appsv1.DaemonSetStatus
	revisions        []*appsv1.ControllerRevision
	requeue          time.Duration // shortest AddAfter, or -1 for none
	err              error
	// rollPods is the pod store as the rolling update read it (nil when
	// the step did not run): the normalisation of its map-order choices
	// needs the candidates it chose among.
	rollPods []*v1.Pod
	rolled   bool
}

// sync runs one pass of the real controller on the cluster c. With observe,
// the pod control applies every write to the pod store at once and tells
// the expectations, as the pod control of upstream's unit tests does.
func (u *upstream) sync(c *cluster, observe bool) outcome {
	objs := []runtime.Object{c.ds.DeepCopy()}
	for _, r := range c.revisions {
		objs = append(objs, r.DeepCopy())
	}
	client := fake.NewClientset(objs...)
	reach.Set(u.dsc, "kubeClient", clientset.Interface(client))
	reach.Set(u.dsc, "crControl", controller.ControllerRevisionControlInterface(controller.RealControllerRevisionControl{KubeClient: client}))
	podIndexer := u.f.Core().V1().Pods().Informer().GetIndexer()
	exp := &recExpectations{ControllerExpectationsInterface: controller.NewControllerExpectations(), pods: podIndexer}
	reach.Set(u.dsc, "expectations", controller.ControllerExpectationsInterface(exp))
	pc := &recPodControl{c: c, exp: exp, observe: observe, pods: podIndexer}
	reach.Set(u.dsc, "podControl", controller.PodControlInterface(pc))
	q := &recQueue{min: -1}
	reach.Set(u.dsc, "queue", workqueue.TypedRateLimitingInterface[string](q))

	replace(u.f.Apps().V1().DaemonSets().Informer().GetIndexer(), c.ds.DeepCopy())
	var revs, nodes, pods []any
	for _, r := range c.revisions {
		revs = append(revs, r.DeepCopy())
	}
	for _, n := range c.sortedNodes() {
		nodes = append(nodes, n.DeepCopy())
	}
	for _, p := range c.sortedPods() {
		pods = append(pods, p.DeepCopy())
	}
	must(u.f.Apps().V1().ControllerRevisions().Informer().GetIndexer().Replace(revs, ""))
	must(u.f.Core().V1().Nodes().Informer().GetIndexer().Replace(nodes, ""))
	podRV := ""
	if u.staleRead {
		podRV = "5"
		recordPodWrite(u.dsc, c.ds, "10")
	}
	must(podIndexer.Replace(pods, podRV))
	if u.unmet {
		must(exp.ControllerExpectationsInterface.SetExpectations(klog.Background(), c.ds.Namespace+"/"+c.ds.Name, 1, 0))
	}
	u.clock.SetTime(c.now)

	out := outcome{requeue: -1}
	out.err = syncDaemonSet(u.dsc, context.Background(), c.ds.Namespace+"/"+c.ds.Name)
	out.creates, out.deletes = pc.creates, pc.deletes
	out.adopt, out.release = pc.adopt, pc.release
	out.rollPods, out.rolled = exp.rollPods, exp.sets >= 2
	out.requeue = q.min
	got, err := client.AppsV1().DaemonSets(c.ds.Namespace).Get(context.Background(), c.ds.Name, metav1.GetOptions{})
	must(err)
	out.status = got.Status
	list, err := client.AppsV1().ControllerRevisions(c.ds.Namespace).List(context.Background(), metav1.ListOptions{})
	must(err)
	for i := range list.Items {
		out.revisions = append(out.revisions, &list.Items[i])
	}
	return out
}

func replace(idx cache.Indexer, objs ...any) { must(idx.Replace(objs, "")) }

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// recExpectations counts the controller's calls of SetExpectations (once at
// the start of each write batch: the reconcile's, then the rolling
// update's) and keeps the pod store as the second batch found it.
type recExpectations struct {
	controller.ControllerExpectationsInterface
	mu       sync.Mutex
	sets     int
	pods     cache.Indexer
	rollPods []*v1.Pod
}

func (e *recExpectations) SetExpectations(logger klog.Logger, key string, add, del int) error {
	e.mu.Lock()
	e.sets++
	if e.sets == 2 {
		for _, o := range e.pods.List() {
			e.rollPods = append(e.rollPods, o.(*v1.Pod))
		}
	}
	e.mu.Unlock()
	return e.ControllerExpectationsInterface.SetExpectations(logger, key, add, del)
}

func (e *recExpectations) phase() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.sets
}

// recPodControl records the controller's pod writes; the controller issues
// them from several goroutines.
type recPodControl struct {
	mu      sync.Mutex
	c       *cluster
	exp     *recExpectations
	observe bool
	pods    cache.Indexer

	creates, deletes []write
	adopt, release   []string
}

func (p *recPodControl) CreatePods(ctx context.Context, namespace string, template *v1.PodTemplateSpec, object runtime.Object, ref *metav1.OwnerReference) error {
	return p.CreatePodsWithGenerateName(ctx, namespace, template, object, ref, "")
}

func (p *recPodControl) CreatePodsWithGenerateName(ctx context.Context, namespace string, template *v1.PodTemplateSpec, object runtime.Object, ref *metav1.OwnerReference, _ string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	w := write{phase: p.exp.phase(), node: targetNode(&template.Spec), pod: p.c.newName(), template: template.DeepCopy(), ref: ref}
	p.creates = append(p.creates, w)
	if p.observe {
		must(p.pods.Add(p.c.podFor(w)))
		p.exp.CreationObserved(klog.FromContext(ctx), namespace+"/"+object.(metav1.Object).GetName())
	}
	return nil
}

func (p *recPodControl) DeletePod(ctx context.Context, namespace, name string, object runtime.Object) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.deletes = append(p.deletes, write{phase: p.exp.phase(), pod: name})
	if p.observe {
		o, ok, _ := p.pods.GetByKey(namespace + "/" + name)
		if ok {
			if gone, marked := deleted(o.(*v1.Pod), p.c.now); gone {
				must(p.pods.Delete(o))
			} else {
				must(p.pods.Update(marked))
			}
		}
		p.exp.DeletionObserved(klog.FromContext(ctx), namespace+"/"+object.(metav1.Object).GetName())
	}
	return nil
}

func (p *recPodControl) PatchPod(_ context.Context, namespace, name string, data []byte) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	release := strings.Contains(string(data), `"$patch":"delete"`)
	if release {
		p.release = append(p.release, name)
	} else {
		p.adopt = append(p.adopt, name)
	}
	if p.observe {
		if o, ok, _ := p.pods.GetByKey(namespace + "/" + name); ok {
			pod := o.(*v1.Pod).DeepCopy()
			setOwner(pod, p.c.ds, !release)
			must(p.pods.Update(pod))
		}
	}
	return nil
}

// deleted is a delete as the API server does it: an unbound or finished pod
// goes at once, any other gets a deletion timestamp.
func deleted(pod *v1.Pod, now time.Time) (gone bool, marked *v1.Pod) {
	if pod.Spec.NodeName == "" || pod.Status.Phase == v1.PodSucceeded || pod.Status.Phase == v1.PodFailed {
		return true, nil
	}
	marked = pod.DeepCopy()
	if marked.DeletionTimestamp == nil {
		t := metav1.NewTime(now)
		marked.DeletionTimestamp = &t
	}
	return false, marked
}

func setOwner(pod *v1.Pod, ds *appsv1.DaemonSet, own bool) {
	pod.OwnerReferences = nil
	if own {
		pod.OwnerReferences = []metav1.OwnerReference{*metav1.NewControllerRef(ds, appsv1.SchemeGroupVersion.WithKind("DaemonSet"))}
	}
}

// targetNode is the node of a created pod's matchFields requirement.
func targetNode(spec *v1.PodSpec) string {
	a := spec.Affinity
	if a == nil || a.NodeAffinity == nil || a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution == nil {
		return ""
	}
	for _, t := range a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms {
		for _, r := range t.MatchFields {
			if r.Key == "metadata.name" && r.Operator == v1.NodeSelectorOpIn && len(r.Values) == 1 {
				return r.Values[0]
			}
		}
	}
	return ""
}

// recQueue is the controller's work queue reduced to what a pass can show:
// the shortest delay it asked to be synced again after.
type recQueue struct {
	mu  sync.Mutex
	min time.Duration
}

func (q *recQueue) AddAfter(_ string, d time.Duration) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.min < 0 || d < q.min {
		q.min = d
	}
}
func (q *recQueue) Add(string)             {}
func (q *recQueue) Len() int               { return 0 }
func (q *recQueue) Get() (string, bool)    { return "", true }
func (q *recQueue) Done(string)            {}
func (q *recQueue) ShutDown()              {}
func (q *recQueue) ShutDownWithDrain()     {}
func (q *recQueue) ShuttingDown() bool     { return true }
func (q *recQueue) AddRateLimited(string)  {}
func (q *recQueue) Forget(string)          {}
func (q *recQueue) NumRequeues(string) int { return 0 }
func (q *recQueue) String() string         { return fmt.Sprint(q.min) }

var _ workqueue.TypedRateLimitingInterface[string] = (*recQueue)(nil)
