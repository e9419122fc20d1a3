// Package jobdiff runs Kubernetes' own Job controller (syncJob of
// k8s.io/kubernetes/pkg/controller/job, of the release the module is built
// against; see internal/testmain) beside purectl's
// job.JobProgress on the same cluster state, and records what the real
// controller wrote, so that the trajectory tests in this package and the
// benchmarks in examples/kube/bench can compare the two.
package jobdiff

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	_ "unsafe" // go:linkname

	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/record"
	"k8s.io/client-go/util/workqueue"
	"k8s.io/klog/v2"
	"k8s.io/kubernetes/pkg/controller"
	jobcontroller "k8s.io/kubernetes/pkg/controller/job"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/purectl/purectl/examples/kube/internal/reach"
)

//go:linkname syncJob k8s.io/kubernetes/pkg/controller/job.(*Controller).syncJob
func syncJob(jm *jobcontroller.Controller, ctx context.Context, key string) error

// Create is one pod creation the controller asked for.
type Create struct {
	Template     v1.PodTemplateSpec
	GenerateName string
	Owner        metav1.OwnerReference
}

// Index is the completion index the created pod carries, or -1.
func (c Create) Index() int {
	v, ok := c.Template.Annotations[batchv1.JobCompletionIndexAnnotation]
	if !ok {
		return -1
	}
	var i int
	if _, err := fmt.Sscan(v, &i); err != nil {
		return -1
	}
	return i
}

// Outcome is everything one syncJob pass wrote or asked for.
type Outcome struct {
	// Creates are in the order the controller issued them; the
	// controller creates concurrently, so callers compare them sorted.
	Creates []Create
	// FailedCreates are the creations the API server refused
	// (Upstream.RefuseCreate), in the order issued.
	FailedCreates []Create
	// Deletes are pod names, in the order issued (concurrent, too).
	Deletes []string
	// Patches are the pods whose tracking finalizer was removed, one
	// entry per patch.
	Patches []string
	// Statuses are the job statuses written, in order; the last one is
	// the pass's result.
	Statuses []batchv1.JobStatus
	// Events are "Type Reason Message", as the controller recorded them.
	Events []string
	// Requeues are the delays of every AddAfter (or Add, as 0) the pass
	// made on the controller's queue.
	Requeues []time.Duration
	Err      error
}

// podControl records what the controller asks of pods.
type podControl struct {
	mu    sync.Mutex
	out   *Outcome
	u     *Upstream
	calls int // creates asked for in this pass
}

func (p *podControl) CreatePods(ctx context.Context, ns string, t *v1.PodTemplateSpec, obj runtime.Object, ref *metav1.OwnerReference) error {
	return p.CreatePodsWithGenerateName(ctx, ns, t, obj, ref, "")
}

func (p *podControl) CreatePodsWithGenerateName(_ context.Context, _ string, t *v1.PodTemplateSpec, _ runtime.Object, ref *metav1.OwnerReference, gen string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := Create{Template: *t.DeepCopy(), GenerateName: gen, Owner: *ref}
	call := p.calls
	p.calls++
	if p.u.RefuseCreate != nil && p.u.RefuseCreate(call, c.Index()) {
		p.out.FailedCreates = append(p.out.FailedCreates, c)
		return apierrors.NewServiceUnavailable("the server refused the create")
	}
	p.out.Creates = append(p.out.Creates, c)
	return nil
}

func (p *podControl) DeletePod(_ context.Context, _ string, name string, _ runtime.Object) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.out.Deletes = append(p.out.Deletes, name)
	return nil
}

func (p *podControl) PatchPod(_ context.Context, _ string, name string, data []byte) error {
	// The controller's only pod patch removes the tracking finalizer;
	// anything else would be a new behaviour the suite must learn about.
	var patch struct {
		Metadata map[string][]string `json:"metadata"`
	}
	if err := json.Unmarshal(data, &patch); err != nil || !slices.Equal(patch.Metadata["$deleteFromPrimitiveList/finalizers"], []string{batchv1.JobTrackingFinalizer}) {
		return fmt.Errorf("unexpected pod patch %s", data)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.out.Patches = append(p.out.Patches, name)
	return nil
}

// queue records the delays the controller asks for; everything else of
// the workqueue interface is unused by syncJob.
type queue struct {
	workqueue.TypedRateLimitingInterface[string]
	mu  sync.Mutex
	out *Outcome
}

func (q *queue) AddAfter(_ string, d time.Duration) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.out.Requeues = append(q.out.Requeues, d)
}

func (q *queue) Add(string)            { q.AddAfter("", 0) }
func (q *queue) AddRateLimited(string) { q.AddAfter("", 0) }

// Upstream is one real Job controller fed from an in-memory cluster. A
// fresh Upstream per pass models a controller whose earlier writes have
// all been observed.
type Upstream struct {
	jm    *jobcontroller.Controller
	key   string
	out   *Outcome
	clock *clocktesting.FakeClock
	// jobs is the Job informer's store (MarkWritesUnobserved moves its
	// resource version).
	jobs cache.Indexer
	pods *podControl
	// RefuseCreate, when set, says whether the API server refuses a pod
	// create: the call-th of the pass (from 0, in the order the
	// controller's goroutines make them) of a pod with that completion
	// index (-1 for NonIndexed).
	RefuseCreate func(call, index int) bool
}

// NewUpstream builds a controller whose informers hold job and pods, with
// a fake clock at now. job must be API-defaulted.
func NewUpstream(job *batchv1.Job, pods []*v1.Pod, now time.Time) (*Upstream, error) {
	ctx := klog.NewContext(context.Background(), klog.Background().V(10))
	client := fake.NewSimpleClientset()
	f := informers.NewSharedInformerFactory(client, 0)
	podInf, jobInf := f.Core().V1().Pods(), f.Batch().V1().Jobs()
	clk := clocktesting.NewFakeClock(now)
	jm, err := newController(ctx, podInf, jobInf, client, clk)
	if err != nil {
		return nil, err
	}
	u := &Upstream{jm: jm, key: job.Namespace + "/" + job.Name, out: &Outcome{}, clock: clk, jobs: jobInf.Informer().GetIndexer()}
	u.pods = &podControl{out: u.out, u: u}
	reach.Set(jm, "podControl", controller.PodControlInterface(u.pods))
	reach.Set(jm, "queue", workqueue.TypedRateLimitingInterface[string](&queue{out: u.out}))
	reach.Set(jm, "updateStatusHandler", func(_ context.Context, j *batchv1.Job) (*batchv1.Job, error) {
		u.out.Statuses = append(u.out.Statuses, *j.Status.DeepCopy())
		return j, nil
	})
	// The broadcaster's recorder starts a goroutine per controller; the
	// fake recorder keeps the events for comparison instead.
	reach.Get(jm, "broadcaster").(record.EventBroadcaster).Shutdown()
	reach.Set(jm, "recorder", record.EventRecorder(record.NewFakeRecorder(1000)))
	// The controller lists pods in its indexer's map order, which is
	// random; where a choice depends on that order (the last failed pod
	// of an index, kept for its failure counts, when two candidates each
	// win by a different measure), JobProgress takes pods by creation
	// time, name and UID. Listing them in that order makes the real
	// controller deterministic and comparable.
	reach.Set(jm, "podIndexer", cache.Indexer(orderedIndexer{podInf.Informer().GetIndexer()}))
	if err := jobInf.Informer().GetIndexer().Add(job); err != nil {
		return nil, err
	}
	idx := podInf.Informer().GetIndexer()
	for _, p := range pods {
		if err := idx.Add(p); err != nil {
			return nil, err
		}
	}
	return u, nil
}

// orderedIndexer lists pods by creation time, name and UID, the order
// JobProgress takes them in.
type orderedIndexer struct{ cache.Indexer }

func (o orderedIndexer) ByIndex(name, value string) ([]any, error) {
	objs, err := o.Indexer.ByIndex(name, value)
	slices.SortFunc(objs, func(a, b any) int {
		pa, oka := a.(*v1.Pod)
		pb, okb := b.(*v1.Pod)
		if !oka || !okb {
			return 0
		}
		if c := pa.CreationTimestamp.Compare(pb.CreationTimestamp.Time); c != 0 {
			return c
		}
		if c := strings.Compare(pa.Name, pb.Name); c != 0 {
			return c
		}
		return strings.Compare(string(pa.UID), string(pb.UID))
	})
	return objs, err
}

// Controller is the real controller, for callers that need to reach more
// of it (the benchmark resets its expectations between passes).
func (u *Upstream) Controller() *jobcontroller.Controller { return u.jm }

// Key is the Job's namespace/name.
func (u *Upstream) Key() string { return u.key }

// ExpectCreations marks n pod creations as issued but not yet observed,
// as after a pass whose writes the informers have not caught up with.
func (u *Upstream) ExpectCreations(n int) {
	exp := reach.Get(u.jm, "expectations").(controller.ControllerExpectationsInterface)
	exp.ExpectCreations(klog.Background(), u.key, n)
}

// BackoffStore is the controller's in-memory pod-failure back-off store;
// hand it to the next pass's Upstream with SetBackoffStore to keep the
// controller's memory across passes.
func (u *Upstream) BackoffStore() any { return reach.Get(u.jm, "podBackoffStore") }

// SetBackoffStore installs a store taken from an earlier pass.
func (u *Upstream) SetBackoffStore(s any) { reach.Set(u.jm, "podBackoffStore", s) }

// Backoff reads the controller's back-off record for the Job: failures
// since the last success and the latest failure time (zero when none).
func (u *Upstream) Backoff() (int32, time.Time) {
	store := reach.Get(reach.Get(u.jm, "podBackoffStore"), "store").(interface {
		GetByKey(string) (any, bool, error)
	})
	rec, ok, _ := store.GetByKey(u.key)
	if !ok {
		return 0, time.Time{}
	}
	n := reach.Get(rec, "failuresAfterLastSuccess").(int32)
	var last time.Time
	if t := reach.Get(rec, "lastFailureTime").(*time.Time); t != nil {
		last = *t
	}
	return n, last
}

// Sync runs syncJob once and returns what it did. Events are drained from
// the recorder in the order recorded.
func (u *Upstream) Sync(ctx context.Context) Outcome {
	*u.out = Outcome{}
	u.pods.calls = 0
	u.out.Err = syncJob(u.jm, ctx, u.key)
	rec := reach.Get(u.jm, "recorder").(*record.FakeRecorder)
	for len(rec.Events) > 0 {
		u.out.Events = append(u.out.Events, <-rec.Events)
	}
	out := *u.out
	return out
}

// Normalised views of an outcome: the controller issues creates, deletes
// and patches from concurrent goroutines, so their order is not
// observable; only the multiset is.

// SortedDeletes returns the deleted pod names, sorted.
func (o Outcome) SortedDeletes() []string { return sorted(o.Deletes) }

// PatchedSet returns the pods whose finalizer was removed, sorted, each
// once: a second removal of the same finalizer in one pass is a no-op.
func (o Outcome) PatchedSet() []string { return slices.Compact(sorted(o.Patches)) }

func sorted(xs []string) []string {
	out := slices.Clone(xs)
	slices.Sort(out)
	return out
}

// SortedCreates orders creations by completion index, then generate name.
func (o Outcome) SortedCreates() []Create {
	out := slices.Clone(o.Creates)
	slices.SortStableFunc(out, func(a, b Create) int {
		if a.Index() != b.Index() {
			return a.Index() - b.Index()
		}
		return strings.Compare(a.GenerateName, b.GenerateName)
	})
	return out
}

// Reset forgets what earlier passes of this controller expect to observe
// (pod creations and deletions, finalizer removals), so that the next Sync
// sees the informers' state as a fresh controller would, without building
// the informers again. The benchmark uses it to repeat one pass.
func (u *Upstream) Reset() {
	reach.Get(u.jm, "expectations").(controller.ControllerExpectationsInterface).DeleteExpectations(klog.Background(), u.key)
	store := reach.Get(reach.Get(u.jm, "finalizerExpectations"), "store").(interface {
		List() []any
		Delete(any) error
	})
	for _, o := range store.List() {
		_ = store.Delete(o)
	}
}
