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
		res, err := job.JobProgress(j, st, ps, now, job.Options{})
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

// JobPodFor copies every field of a creation onto the template: the
// finalizer next to the template's own, the owner with the Job's UID, the
// index label beside the template labels, and JOB_COMPLETION_INDEX only
// where a container does not set it already.
func TestJobPodForCarriesTheCreation(t *testing.T) {
	k := readOne[*batchv1.Job](t, "job.yaml", "Job")
	k.Namespace, k.UID = "default", types.UID("job-uid")
	k.Spec.Template.Labels = map[string]string{"app": "pi"}
	k.Spec.Template.Finalizers = []string{"example.com/keep"}
	k.Spec.Template.Spec.Containers = append(k.Spec.Template.Spec.Containers, v1.Container{Name: "own",
		Env: []v1.EnvVar{{Name: "JOB_COMPLETION_INDEX", Value: "mine"}}})
	two := int32(2)
	indexed := batchv1.IndexedCompletion
	k.Spec.Completions, k.Spec.CompletionMode = &two, &indexed
	j, st := Job(k)
	res, err := job.JobProgress(j, st, nil, time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC), job.Options{})
	if err != nil || len(res.Create) == 0 {
		t.Fatalf("%v, %d creates", err, len(res.Create))
	}
	p := JobPodFor(k, res.Create[0])
	o := p.OwnerReferences
	if len(o) != 1 || o[0].UID != "job-uid" || o[0].Kind != "Job" || !*o[0].Controller || !*o[0].BlockOwnerDeletion {
		t.Errorf("owner %+v", o)
	}
	if fmt.Sprint(p.Finalizers) != "[example.com/keep batch.kubernetes.io/job-tracking]" {
		t.Errorf("finalizers %v", p.Finalizers)
	}
	if p.Labels["app"] != "pi" || p.Labels[job.AnnotationCompletionIndex] != "0" || k.Spec.Template.Labels[job.AnnotationCompletionIndex] != "" {
		t.Errorf("labels %v (template %v)", p.Labels, k.Spec.Template.Labels)
	}
	own := p.Spec.Containers[1].Env
	if len(own) != 1 || own[0].Value != "mine" || !hasEnv(p.Spec.Containers[0].Env, "JOB_COMPLETION_INDEX") {
		t.Errorf("env %+v / %+v", p.Spec.Containers[0].Env, own)
	}
	if len(k.Spec.Template.Spec.Containers[0].Env) != 0 {
		t.Error("the Job's template was modified")
	}
}
