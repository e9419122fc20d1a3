package adapt

import (
	"fmt"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/purectl/purectl/job"
)

// An Indexed version of the documentation's pi Job (4 completions, 2 at a
// time) runs through the adapters: created pods carry the index label,
// annotation, hostname and environment, the kubelet finishes them, and the
// Job completes with completedIndexes 0-3.
func TestIndexedJobCompletesThroughAdapters(t *testing.T) {
	k := readOne[*batchv1.Job](t, "job.yaml", "Job")
	k.Namespace, k.UID = "default", types.UID("job-uid")
	four, two := int32(4), int32(2)
	indexed := batchv1.IndexedCompletion
	k.Spec.Completions, k.Spec.Parallelism, k.Spec.CompletionMode = &four, &two, &indexed
	k.Spec.Template.Spec.InitContainers = []v1.Container{{Name: "prep", Image: "busybox"}}
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	var pods []*v1.Pod
	for pass := 0; pass < 12; pass++ {
		j, st := Job(k)
		var ps []job.Pod
		for _, p := range pods {
			ps = append(ps, JobPod(p))
		}
		res, err := job.JobProgress(j, st, ps, now)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range res.Create {
			p := JobPodFor(k, c)
			idx := fmt.Sprint(c.Index)
			if p.Labels[job.AnnotationCompletionIndex] != idx || p.Annotations[job.AnnotationCompletionIndex] != idx ||
				p.Spec.Hostname != fmt.Sprintf("pi-%d", c.Index) || !hasEnv(p.Spec.Containers[0].Env, "JOB_COMPLETION_INDEX") ||
				!hasEnv(p.Spec.InitContainers[0].Env, "JOB_COMPLETION_INDEX") || p.Finalizers[0] != job.TrackingFinalizer {
				t.Fatalf("pod for index %d lacks its identity: %+v", c.Index, p.ObjectMeta)
			}
			p.Name, p.UID = fmt.Sprintf("pi-%d-%d", c.Index, pass), types.UID(fmt.Sprintf("uid-%d-%d", c.Index, pass))
			p.CreationTimestamp = metav1.NewTime(now)
			pods = append(pods, p)
		}
		if len(res.Create) > 2 {
			t.Fatalf("pass %d creates %d pods with parallelism 2", pass, len(res.Create))
		}
		removed := map[string]bool{}
		for _, r := range res.RemoveFinalizers {
			removed[r.Name] = true
		}
		var kept []*v1.Pod
		for _, p := range pods {
			if !removed[p.Name] {
				kept = append(kept, p)
			}
		}
		pods = kept
		k.Status = JobStatus(res.Status)
		for _, c := range k.Status.Conditions {
			if c.Type == batchv1.JobComplete && c.Status == v1.ConditionTrue {
				if k.Status.CompletedIndexes != "0-3" || k.Status.Succeeded != 4 {
					t.Fatalf("completed with %q, %d succeeded", k.Status.CompletedIndexes, k.Status.Succeeded)
				}
				return
			}
		}
		// The kubelet runs every pod to success a minute later.
		now = now.Add(time.Minute)
		for _, p := range pods {
			p.Status.Phase = v1.PodSucceeded
		}
	}
	t.Fatalf("the Job did not complete: %+v", k.Status)
}
