package bench

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"
	_ "unsafe" // go:linkname

	"github.com/go-logr/logr"
	"github.com/google/go-cmp/cmp"
	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/client-go/tools/record"
	"k8s.io/klog/v2"
	batchdefaults "k8s.io/kubernetes/pkg/apis/batch/v1"
	kcronjob "k8s.io/kubernetes/pkg/controller/cronjob"
	"k8s.io/utils/ptr"

	"github.com/purectl/purectl/cronjob"
	"github.com/purectl/purectl/examples/kube/adapt"
	"github.com/purectl/purectl/examples/kube/internal/reach"
	"github.com/purectl/purectl/examples/kube/internal/testmain"
)

// cronJobSync is the controller's reconcile of one key: list the Jobs,
// clean up the history, syncCronJob, write the status.
//
//go:linkname cronJobSync k8s.io/kubernetes/pkg/controller/cronjob.(*ControllerV2).sync
func cronJobSync(jm *kcronjob.ControllerV2, ctx context.Context, key string) (*time.Duration, error)

// benchJobControl answers the controller's Job reads from a fixed list and
// counts its writes; it satisfies the controller's jobControlInterface.
type benchJobControl struct {
	jobs             map[string]*batchv1.Job
	created, deleted int
	last             *batchv1.Job
}

func (c *benchJobControl) GetJob(ns, name string) (*batchv1.Job, error) {
	if j, ok := c.jobs[name]; ok {
		return j.DeepCopy(), nil
	}
	return nil, apierrors.NewNotFound(schema.GroupResource{Group: "batch", Resource: "jobs"}, name)
}

func (c *benchJobControl) CreateJob(ns string, job *batchv1.Job) (*batchv1.Job, error) {
	c.created++
	j := job.DeepCopy()
	j.Namespace, j.UID = ns, "uid-created"
	c.last = j
	return j, nil
}

func (c *benchJobControl) DeleteJob(ns, name string) error { c.deleted++; return nil }

// benchCJControl records the last status written.
type benchCJControl struct {
	cj     *batchv1.CronJob
	status *batchv1.CronJobStatus
}

func (c *benchCJControl) GetCronJob(context.Context, string, string) (*batchv1.CronJob, error) {
	return c.cj.DeepCopy(), nil
}

func (c *benchCJControl) UpdateStatus(_ context.Context, cj *batchv1.CronJob) (*batchv1.CronJob, error) {
	c.status = &cj.Status
	return cj, nil
}

// formattingRecorder formats each event, as any recorder must, and drops
// it; it keeps the reasons of the last pass for the agreement check.
type formattingRecorder struct{ reasons []string }

func (r *formattingRecorder) Event(_ runtime.Object, eventtype, reason, message string) {
	r.reasons = append(r.reasons, eventtype+" "+reason+" "+message)
}

func (r *formattingRecorder) Eventf(_ runtime.Object, eventtype, reason, messageFmt string, args ...any) {
	r.reasons = append(r.reasons, eventtype+" "+reason+" "+fmt.Sprintf(messageFmt, args...))
}

func (r *formattingRecorder) AnnotatedEventf(o runtime.Object, _ map[string]string, eventtype, reason, messageFmt string, args ...any) {
	r.Eventf(o, eventtype, reason, messageFmt, args...)
}

// yearGapCronJob is an every-minute CronJob whose controller was away for a
// year, with 20 finished Jobs (14 succeeded, 6 failed; the last two still
// listed in status.active) for the history clean-up.
func yearGapCronJob() (*batchv1.CronJob, []*batchv1.Job) {
	last := benchNow.AddDate(-1, 0, 0)
	cj := &batchv1.CronJob{
		TypeMeta:   metav1.TypeMeta{Kind: "CronJob", APIVersion: "batch/v1"},
		ObjectMeta: metav1.ObjectMeta{Name: "report", Namespace: "team", UID: "cj-uid", CreationTimestamp: metav1.NewTime(last.AddDate(0, -1, 0))},
		Spec: batchv1.CronJobSpec{Schedule: "* * * * *", TimeZone: ptr.To("Europe/London"),
			JobTemplate: batchv1.JobTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "report"}},
				Spec: batchv1.JobSpec{Template: v1.PodTemplateSpec{Spec: v1.PodSpec{RestartPolicy: v1.RestartPolicyOnFailure,
					Containers: []v1.Container{{Name: "report", Image: "report:1"}}}}}}},
		Status: batchv1.CronJobStatus{LastScheduleTime: ptr.To(metav1.NewTime(last))},
	}
	batchdefaults.SetObjectDefaults_CronJob(cj)
	var jobs []*batchv1.Job
	for i := range 20 {
		sched := last.Add(time.Duration(i-19) * time.Minute)
		name := cronjob.JobName(cj.Name, sched)
		j := &batchv1.Job{
			ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: cj.Namespace, UID: types.UID("uid-" + name), CreationTimestamp: metav1.NewTime(sched),
				OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(cj, batchv1.SchemeGroupVersion.WithKind("CronJob"))}},
			Status: batchv1.JobStatus{StartTime: ptr.To(metav1.NewTime(sched.Add(time.Second)))},
		}
		cond := batchv1.JobComplete
		if i%3 == 2 {
			cond = batchv1.JobFailed
		}
		j.Status.Conditions = []batchv1.JobCondition{{Type: cond, Status: v1.ConditionTrue}}
		if cond == batchv1.JobComplete {
			j.Status.CompletionTime = ptr.To(metav1.NewTime(sched.Add(40 * time.Second)))
		}
		if i >= 18 {
			cj.Status.Active = append(cj.Status.Active, v1.ObjectReference{Kind: "Job", APIVersion: "batch/v1", Name: name, Namespace: cj.Namespace, UID: j.UID})
		}
		jobs = append(jobs, j)
	}
	return cj, jobs
}

// BenchmarkCronJobYearGap is one CronJob pass after a one-year gap with 20
// finished Jobs: the real controller's sync (informer list, clean-up,
// syncCronJob, status write, through fake clients) against CronDue on the
// same state, checked to agree first.
func BenchmarkCronJobYearGap(b *testing.B) {
	cj, jobs := yearGapCronJob()
	ctx, cancel := context.WithCancel(klog.NewContext(context.Background(), logr.Discard()))
	defer cancel()
	client := fake.NewSimpleClientset()
	f := informers.NewSharedInformerFactory(client, 0)
	jm, err := kcronjob.NewControllerV2(ctx, f.Batch().V1().Jobs(), f.Batch().V1().CronJobs(), client)
	if err != nil {
		b.Fatal(err)
	}
	defer reach.Get(jm, "broadcaster").(record.EventBroadcaster).Shutdown()
	if err := f.Batch().V1().CronJobs().Informer().GetIndexer().Add(cj); err != nil {
		b.Fatal(err)
	}
	byName := map[string]*batchv1.Job{}
	for _, j := range jobs {
		byName[j.Name] = j
		if err := f.Batch().V1().Jobs().Informer().GetIndexer().Add(j); err != nil {
			b.Fatal(err)
		}
	}
	jc := &benchJobControl{jobs: byName}
	cc := &benchCJControl{cj: cj}
	rec := &formattingRecorder{}
	reach.Set(jm, "jobControl", jc)
	reach.Set(jm, "cronJobControl", cc)
	reach.Set(jm, "recorder", record.EventRecorder(rec))
	reach.Set(jm, "now", func() time.Time { return benchNow })
	key := cj.Namespace + "/" + cj.Name

	ourCJ := adapt.CronJob(cj)
	ourJobs := adapt.CronJobJobs(cj, jobs, testmain.Release())
	opts := cronjob.Options{Zone: time.UTC, Release: testmain.Release()}

	// Agree first.
	requeue, err := cronJobSync(jm, ctx, key)
	if err != nil || requeue == nil || cc.status == nil || jc.last == nil {
		b.Fatalf("controller: requeue %v, err %v, status written %v, created %v", requeue, err, cc.status != nil, jc.last != nil)
	}
	res, err := cronjob.CronDue(ourCJ, ourJobs, benchNow, opts)
	if err != nil {
		b.Fatal(err)
	}
	if res.Create == nil || res.Create.Name != jc.last.Name || len(res.Deletions) != jc.deleted || jc.created != 1 ||
		!benchNow.Add(*requeue).Equal(res.RequeueAt) {
		b.Fatalf("controller creates %s, deletes %d, requeues after %s; purectl %+v, %d deletions, at %s",
			jc.last.Name, jc.deleted, *requeue, res.Create, len(res.Deletions), res.RequeueAt)
	}
	st := adapt.CronJobStatus(res.Status)
	adapt.RecordCreatedJob(&st, jc.last)
	if got, want := adapt.CronJob(&batchv1.CronJob{Status: st}).Status, adapt.CronJob(&batchv1.CronJob{Status: *cc.status}).Status; !statusSame(got, want) {
		b.Fatalf("status: controller %+v, purectl %+v", want, got)
	}
	var ours []string
	for _, e := range res.Events {
		ours = append(ours, string(e.Type)+" "+string(e.Reason)+" "+e.Message)
	}
	theirs := append([]string(nil), rec.reasons...)
	sort.Strings(ours)
	sort.Strings(theirs)
	if fmt.Sprint(ours) != fmt.Sprint(theirs) {
		b.Fatalf("events: controller %q, purectl %q", theirs, ours)
	}
	if jc.deleted != 16 || res.Runs.Estimated <= 100 {
		b.Fatalf("the state is not what it should be: %d deletions, %d estimated misses", jc.deleted, res.Runs.Estimated)
	}

	b.Run("purectl", func(b *testing.B) {
		b.ReportAllocs()
		cpu := processCPU()
		defer func() { reportCPU(b, cpu) }()
		for i := 0; i < b.N; i++ {
			if _, err := cronjob.CronDue(ourCJ, ourJobs, benchNow, opts); err != nil {
				b.Fatal(err)
			}
		}
	})
	// A caller's own zone loader (Options.LoadLocation) bypasses CronDue's
	// memo of loaded zones; both load each zone once per process.
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		b.Fatal(err)
	}
	cached := opts
	cached.LoadLocation = func(name string) (*time.Location, error) {
		if name == "Europe/London" {
			return london, nil
		}
		return time.LoadLocation(name)
	}
	if res2, err := cronjob.CronDue(ourCJ, ourJobs, benchNow, cached); err != nil || cmp.Diff(res, res2) != "" {
		b.Fatalf("with a zone cache: %v\n%s", err, cmp.Diff(res, res2))
	}
	b.Run("purectl-zonecache", func(b *testing.B) {
		b.ReportAllocs()
		cpu := processCPU()
		defer func() { reportCPU(b, cpu) }()
		for i := 0; i < b.N; i++ {
			if _, err := cronjob.CronDue(ourCJ, ourJobs, benchNow, cached); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("kubernetes", func(b *testing.B) {
		b.ReportAllocs()
		cpu := processCPU()
		defer func() { reportCPU(b, cpu) }()
		for i := 0; i < b.N; i++ {
			rec.reasons = rec.reasons[:0]
			if _, err := cronJobSync(jm, ctx, key); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func statusSame(a, b cronjob.Status) bool {
	if !a.LastScheduleTime.Equal(b.LastScheduleTime) || !a.LastSuccessfulTime.Equal(b.LastSuccessfulTime) || len(a.Active) != len(b.Active) {
		return false
	}
	for i := range a.Active {
		if a.Active[i] != b.Active[i] {
			return false
		}
	}
	return true
}
