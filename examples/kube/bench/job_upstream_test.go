package bench

import (
	"context"
	"fmt"
	"slices"
	"syscall"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/klog/v2"
	batchdefaults "k8s.io/kubernetes/pkg/apis/batch/v1"
	"k8s.io/utils/ptr"

	"github.com/purectl/purectl/examples/kube/adapt"
	jobdiff "github.com/purectl/purectl/examples/kube/difftest/job"
	"github.com/purectl/purectl/examples/kube/internal/testmain"
	"github.com/purectl/purectl/job"
)

// indexedJobState is an Indexed Job of 100,000 completions running 10,000
// pods at a time, mid-way: indexes 0-39999 are done, 40000-40099 have just
// succeeded (their pods still carry the tracking finalizer), and 9,900 pods
// run indexes 40100-49999, half of them ready. A pass counts the 100
// successes, removes their finalizers and starts indexes 50000-50099.
func indexedJobState() (*batchv1.Job, []*v1.Pod) {
	const name, ns, uid = "render", "batch", types.UID("job-uid")
	k := &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns, UID: uid, Generation: 1},
		Spec: batchv1.JobSpec{
			Completions: ptr.To(int32(100_000)), Parallelism: ptr.To(int32(10_000)),
			CompletionMode: ptr.To(batchv1.IndexedCompletion),
			Selector:       &metav1.LabelSelector{MatchLabels: map[string]string{batchv1.ControllerUidLabel: string(uid)}},
			Template: v1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{batchv1.ControllerUidLabel: string(uid), batchv1.JobNameLabel: name}},
				Spec: v1.PodSpec{RestartPolicy: v1.RestartPolicyNever,
					Containers: []v1.Container{{Name: "render", Image: "render:1"}}},
			},
		},
		Status: batchv1.JobStatus{StartTime: ptr.To(metav1.NewTime(benchNow.Add(-time.Hour))), Active: 10_000, Ready: ptr.To(int32(4_950)),
			Terminating: ptr.To(int32(0)), Succeeded: 40_000, CompletedIndexes: "0-39999",
			UncountedTerminatedPods: &batchv1.UncountedTerminatedPods{}},
	}
	batchdefaults.SetObjectDefaults_Job(k)
	isController := true
	var pods []*v1.Pod
	for ix := 40_000; ix < 50_000; ix++ {
		p := &v1.Pod{
			ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("%s-%d-x", name, ix), Namespace: ns, UID: types.UID(fmt.Sprint("pod-", ix)),
				Labels:            map[string]string{batchv1.ControllerUidLabel: string(uid), batchv1.JobNameLabel: name, batchv1.JobCompletionIndexAnnotation: fmt.Sprint(ix)},
				Annotations:       map[string]string{batchv1.JobCompletionIndexAnnotation: fmt.Sprint(ix)},
				Finalizers:        []string{batchv1.JobTrackingFinalizer},
				CreationTimestamp: metav1.NewTime(benchNow.Add(-30 * time.Minute)),
				OwnerReferences:   []metav1.OwnerReference{{APIVersion: "batch/v1", Kind: "Job", Name: name, UID: uid, Controller: &isController}}},
			Spec:   v1.PodSpec{NodeName: fmt.Sprintf("node-%d", ix%500)},
			Status: v1.PodStatus{Phase: v1.PodRunning},
		}
		switch {
		case ix < 40_100:
			p.Status.Phase = v1.PodSucceeded
			p.Status.ContainerStatuses = []v1.ContainerStatus{{Name: "render", State: v1.ContainerState{Terminated: &v1.ContainerStateTerminated{
				ExitCode: 0, FinishedAt: metav1.NewTime(benchNow.Add(-time.Minute))}}}}
		case ix%2 == 0:
			p.Status.Conditions = []v1.PodCondition{{Type: v1.PodReady, Status: v1.ConditionTrue, LastTransitionTime: metav1.NewTime(benchNow.Add(-20 * time.Minute))}}
		}
		pods = append(pods, p)
	}
	return k, pods
}

// BenchmarkJobPassIndexed100000 is one Job controller pass over an Indexed
// Job of 100,000 completions with 10,000 pods: the real syncJob (informers
// already filled, expectations reset between passes) against
// job.JobProgress on the same state, checked to agree first.
func BenchmarkJobPassIndexed100000(b *testing.B) {
	k, pods := indexedJobState()
	up, err := jobdiff.NewUpstream(k, pods, benchNow)
	if err != nil {
		b.Fatal(err)
	}
	ctx := klog.NewContext(context.Background(), klog.Background().V(-1))
	out := up.Sync(ctx)
	if out.Err != nil {
		b.Fatal(out.Err)
	}
	j, st := adapt.Job(k)
	ourPods := make([]job.Pod, len(pods))
	for i, p := range pods {
		ourPods[i] = adapt.JobPod(p)
	}
	res, err := job.JobProgress(j, st, ourPods, benchNow, job.Options{Release: testmain.Release()})
	if err != nil {
		b.Fatal(err)
	}
	var theirs, ours []int
	for _, c := range out.SortedCreates() {
		theirs = append(theirs, c.Index())
	}
	for _, c := range res.Create {
		ours = append(ours, c.Index)
	}
	var removed []string
	for _, r := range res.RemoveFinalizers {
		removed = append(removed, r.Name)
	}
	slices.Sort(removed)
	last := out.Statuses[len(out.Statuses)-1]
	if !slices.Equal(theirs, ours) || len(ours) != 100 || !slices.Equal(out.PatchedSet(), removed) || len(removed) != 100 ||
		last.CompletedIndexes != res.Status.CompletedIndexes || last.Succeeded != res.Status.Succeeded || last.Active != res.Status.Active ||
		*last.Ready != res.Status.Ready {
		b.Fatalf("disagree: creates %d/%d, finalizers %d/%d, completed %q/%q, succeeded %d/%d, active %d/%d, ready %d/%d",
			len(theirs), len(ours), len(out.PatchedSet()), len(removed), last.CompletedIndexes, res.Status.CompletedIndexes,
			last.Succeeded, res.Status.Succeeded, last.Active, res.Status.Active, *last.Ready, res.Status.Ready)
	}
	b.Run("purectl", func(b *testing.B) {
		b.ReportAllocs()
		cpu := processCPU()
		for i := 0; i < b.N; i++ {
			if _, err := job.JobProgress(j, st, ourPods, benchNow, job.Options{Release: testmain.Release()}); err != nil {
				b.Fatal(err)
			}
		}
		reportCPU(b, cpu)
	})
	b.Run("kubernetes", func(b *testing.B) {
		b.ReportAllocs()
		cpu := processCPU()
		for i := 0; i < b.N; i++ {
			up.Reset()
			if o := up.Sync(ctx); o.Err != nil || len(o.Creates) != 100 {
				b.Fatalf("pass %d: %v, %d creates", i, o.Err, len(o.Creates))
			}
		}
		reportCPU(b, cpu)
	})
}

// processCPU is the CPU time (user and system, every thread) the process
// has used. On a shared, loaded machine wall time per op swings with the
// load; CPU time per op (reported as cpu-ns/op) hardly does.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(processCPU()-start)/float64(b.N), "cpu-ns/op")
}
