package cronjob

import (
	"context"
	"fmt"
	"hash/fnv"
	"sort"
	"strconv"
	"strings"
	"time"
	_ "unsafe" // go:linkname

	"github.com/go-logr/logr"
	"github.com/robfig/cron/v3"
	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/record"
	kcronjob "k8s.io/kubernetes/pkg/controller/cronjob"

	"github.com/purectl/purectl/examples/kube/internal/reach"
	"k8s.io/klog/v2"
)

// sync is one reconcile of a CronJob key: list its Jobs, clean up the
// history, syncCronJob, write the status once; it returns the requeue delay.
//
//go:linkname syncKey k8s.io/kubernetes/pkg/controller/cronjob.(*ControllerV2).sync
func syncKey(jm *kcronjob.ControllerV2, ctx context.Context, key string) (*time.Duration, error)

// syncCronJob is the scheduling step alone, on Jobs handed in.
//
//go:linkname syncCronJob k8s.io/kubernetes/pkg/controller/cronjob.(*ControllerV2).syncCronJob
func syncCronJob(jm *kcronjob.ControllerV2, ctx context.Context, cj *batchv1.CronJob, jobs []*batchv1.Job) (*time.Duration, bool, error)

// cleanupFinishedJobs is the history clean-up alone.
//
//go:linkname cleanupFinishedJobs k8s.io/kubernetes/pkg/controller/cronjob.(*ControllerV2).cleanupFinishedJobs
func cleanupFinishedJobs(jm *kcronjob.ControllerV2, ctx context.Context, cj *batchv1.CronJob, js []*batchv1.Job) bool

// mostRecentScheduleTime is the controller's estimate of the run to start.
//
//go:linkname mostRecentScheduleTime k8s.io/kubernetes/pkg/controller/cronjob.mostRecentScheduleTime
func mostRecentScheduleTime(cj *batchv1.CronJob, now time.Time, schedule cron.Schedule, includeStartingDeadlineSeconds bool) (time.Time, *time.Time, int, error)

var jobsResource = schema.GroupResource{Group: "batch", Resource: "jobs"}

// cluster is the test's API server: the CronJob and every Job in its
// namespace as stored, plus which Jobs the controller's informer does not
// show yet (a lagging cache).
type cluster struct {
	cj     *batchv1.CronJob
	jobs   []*batchv1.Job
	hidden map[types.UID]bool
	now    time.Time
	uids   int
	// stale, when set, is the CronJob the informer shows for the next pass:
	// the copy from before the last status write, which the informer has
	// not delivered yet. Reads from the API (GetCronJob) see cj.
	stale *batchv1.CronJob
	// before is the CronJob as it was before the last pass's write, and
	// createdLast whether that pass created a Job.
	before      *batchv1.CronJob
	createdLast bool
}

// informed is the CronJob as the controller's informer shows it.
func (c *cluster) informed() *batchv1.CronJob {
	if c.stale != nil {
		return c.stale
	}
	return c.cj
}

func (c *cluster) job(ns, name string) *batchv1.Job {
	for _, j := range c.jobs {
		if j.Namespace == ns && j.Name == name {
			return j
		}
	}
	return nil
}

// refused is the API server's answer to a Job write of this pass that it
// refuses, or nil: about one write in ten, a fixed function of the pass's
// time and the write, so that the controller and purectl's caller meet the
// same refusals and the trajectories take no extra random draws (which
// would change what every kept seed replays). Every fourth refused create
// is the refusal of a namespace being deleted.
func (c *cluster) refused(verb, name string) error {
	h := fnv.New32a()
	fmt.Fprint(h, verb, name, c.now.UnixNano())
	switch v := h.Sum32(); {
	case v%10 != 0:
		return nil
	case verb == "create" && v%40 == 0:
		err := apierrors.NewForbidden(jobsResource, name, fmt.Errorf("namespace %s is being terminated", c.cj.Namespace))
		err.ErrStatus.Details.Causes = []metav1.StatusCause{{Type: v1.NamespaceTerminatingCause}}
		return err
	default:
		return apierrors.NewServiceUnavailable("the server is busy (" + verb + " " + name + ")")
	}
}

func (c *cluster) visible() []*batchv1.Job {
	var out []*batchv1.Job
	for _, j := range c.jobs {
		if !c.hidden[j.UID] {
			out = append(out, j)
		}
	}
	return out
}

func (c *cluster) newUID() types.UID {
	c.uids++
	return types.UID(fmt.Sprintf("uid-%d", c.uids))
}

// jobControl is the controller's job client, answering from the cluster and
// recording writes; creates and deletes take effect when the pass is
// applied. It satisfies the controller's jobControlInterface.
type jobControl struct {
	c       *cluster
	created []*batchv1.Job
	ns      []string // namespace argument of each create
	deleted []string // namespace/name of each delete, in order
	issued  []string // the same with the refused ones
	// refusedCreate names the Job of a create the API server refused.
	refusedCreate string
}

func (r *jobControl) GetJob(ns, name string) (*batchv1.Job, error) {
	if j := r.c.job(ns, name); j != nil {
		return j.DeepCopy(), nil
	}
	return nil, apierrors.NewNotFound(jobsResource, name)
}

func (r *jobControl) CreateJob(ns string, job *batchv1.Job) (*batchv1.Job, error) {
	if r.c.job(ns, job.Name) != nil {
		return nil, apierrors.NewAlreadyExists(jobsResource, job.Name)
	}
	if err := r.c.refused("create", job.Name); err != nil {
		r.refusedCreate = job.Name
		return nil, err
	}
	stored := job.DeepCopy()
	stored.Namespace = ns
	stored.UID = r.c.newUID()
	r.created = append(r.created, stored)
	r.ns = append(r.ns, ns)
	return stored.DeepCopy(), nil
}

func (r *jobControl) DeleteJob(ns, name string) error {
	if r.c.job(ns, name) == nil {
		return apierrors.NewNotFound(jobsResource, name)
	}
	r.issued = append(r.issued, ns+"/"+name)
	if err := r.c.refused("delete", name); err != nil {
		return err
	}
	r.deleted = append(r.deleted, ns+"/"+name)
	return nil
}

// cjControl is the controller's CronJob client: reads return the stored
// CronJob, status writes are recorded.
type cjControl struct {
	c       *cluster
	updates []*batchv1.CronJob
}

func (r *cjControl) GetCronJob(_ context.Context, ns, name string) (*batchv1.CronJob, error) {
	if r.c.cj.Namespace == ns && r.c.cj.Name == name {
		return r.c.cj.DeepCopy(), nil
	}
	return nil, apierrors.NewNotFound(schema.GroupResource{Group: "batch", Resource: "cronjobs"}, name)
}

func (r *cjControl) UpdateStatus(_ context.Context, cj *batchv1.CronJob) (*batchv1.CronJob, error) {
	if cj.ResourceVersion != r.c.cj.ResourceVersion {
		// The API server refuses a write from a stale copy.
		return nil, apierrors.NewConflict(schema.GroupResource{Group: "batch", Resource: "cronjobs"}, cj.Name, fmt.Errorf("the object has been modified"))
	}
	r.updates = append(r.updates, cj.DeepCopy())
	return cj, nil
}

// driver holds one real controller whose informer caches, clients, event
// recorder and clock are replaced before every pass. The CronJob
// controller keeps no memory between passes beyond its work queue (no
// expectations, no backoff), so reusing it is the same as a fresh one.
type driver struct {
	jm       *kcronjob.ControllerV2
	jobs     cache.Indexer
	cronJobs cache.Indexer
	stop     func()
}

func newDriver(t tb) *driver {
	ctx, cancel := context.WithCancel(klog.NewContext(context.Background(), logr.Discard()))
	client := fake.NewSimpleClientset()
	f := informers.NewSharedInformerFactory(client, 0)
	jm, err := kcronjob.NewControllerV2(ctx, f.Batch().V1().Jobs(), f.Batch().V1().CronJobs(), client)
	if err != nil {
		t.Fatal(err)
	}
	d := &driver{jm: jm, jobs: f.Batch().V1().Jobs().Informer().GetIndexer(),
		cronJobs: f.Batch().V1().CronJobs().Informer().GetIndexer()}
	b := reach.Get(jm, "broadcaster").(record.EventBroadcaster)
	d.stop = func() { b.Shutdown(); cancel() }
	return d
}

// upstreamPass is what the real controller did in one pass.
type upstreamPass struct {
	created *batchv1.Job // with the namespace of the create call
	issued  []string     // the deletes issued, refused ones included
	// refusedCreate names the Job of a create the API server refused.
	refusedCreate string
	deleted       []string
	status        batchv1.CronJobStatus // written, or the stored one when not written
	written       bool
	events        []string // "Type Reason message"
	requeue       *time.Duration
	err           error
}

// run feeds the informers from the cluster (the hidden Jobs left out) and
// runs one sync of the CronJob's key at c.now.
func (d *driver) run(t tb, c *cluster) upstreamPass {
	if err := d.cronJobs.Replace([]any{c.informed().DeepCopy()}, ""); err != nil {
		t.Fatal(err)
	}
	var objs []any
	for _, j := range c.visible() {
		objs = append(objs, j.DeepCopy())
	}
	if err := d.jobs.Replace(objs, ""); err != nil {
		t.Fatal(err)
	}
	jc := &jobControl{c: c}
	cc := &cjControl{c: c}
	rec := record.NewFakeRecorder(1000)
	now := c.now
	reach.Set(d.jm, "jobControl", jc)
	reach.Set(d.jm, "cronJobControl", cc)
	reach.Set(d.jm, "recorder", record.EventRecorder(rec))
	reach.Set(d.jm, "now", func() time.Time { return now })

	ctx := klog.NewContext(context.Background(), logr.Discard())
	requeue, err := syncKey(d.jm, ctx, c.cj.Namespace+"/"+c.cj.Name)
	out := upstreamPass{deleted: jc.deleted, issued: jc.issued, refusedCreate: jc.refusedCreate, requeue: requeue, err: err, status: *c.cj.Status.DeepCopy()}
	if len(jc.created) > 1 {
		t.Fatalf("the controller created %d Jobs in one pass", len(jc.created))
	}
	if len(jc.created) == 1 {
		out.created = jc.created[0]
	}
	if n := len(cc.updates); n > 0 {
		out.status = *cc.updates[n-1].Status.DeepCopy()
		out.written = true
	}
	close(rec.Events)
	for e := range rec.Events {
		out.events = append(out.events, e)
	}
	return out
}

// apply makes the pass's writes to the cluster: deletions, the created Job
// (owned by the CronJob, not started yet), the status.
func (c *cluster) apply(p upstreamPass) {
	for _, key := range p.deleted {
		ns, name, _ := strings.Cut(key, "/")
		for i, j := range c.jobs {
			if j.Namespace == ns && j.Name == name {
				c.jobs = append(c.jobs[:i], c.jobs[i+1:]...)
				break
			}
		}
	}
	c.before, c.createdLast = c.cj.DeepCopy(), p.created != nil
	c.stale = nil
	if p.created != nil {
		j := p.created.DeepCopy()
		j.CreationTimestamp = metav1.NewTime(c.now)
		c.jobs = append(c.jobs, j)
	}
	if p.written {
		c.cj.Status = *p.status.DeepCopy()
		rv, _ := strconv.Atoi(c.cj.ResourceVersion)
		c.cj.ResourceVersion = strconv.Itoa(rv + 1)
	}
	sort.Slice(c.jobs, func(a, b int) bool { return c.jobs[a].Name < c.jobs[b].Name })
}

// tb is what the helpers need of *testing.T and *rapid.T alike.
type tb interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}
