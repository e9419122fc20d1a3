package jobdiff

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	batchdefaults "k8s.io/kubernetes/pkg/apis/batch/v1"
	"pgregory.net/rapid"

	"github.com/purectl/purectl/examples/kube/adapt"
	"github.com/purectl/purectl/examples/kube/internal/testmain"
	"github.com/purectl/purectl/job"
)

// job.Default against the API server's batch/v1 defaulting
// (SetObjectDefaults_Job) on random Jobs as users write them, including
// unset restart policies and condition patterns without a status.
func TestDefaultMatchesSetObjectDefaultsJob(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		raw := genRawJob(t)
		if rapid.Bool().Draw(t, "clearRestart") {
			raw.Spec.Template.Spec.RestartPolicy = ""
		}
		if p := raw.Spec.PodFailurePolicy; p != nil && rapid.Bool().Draw(t, "clearPatternStatus") {
			p.Rules = append(p.Rules, batchv1.PodFailurePolicyRule{Action: batchv1.PodFailurePolicyActionIgnore,
				OnPodConditions: []batchv1.PodFailurePolicyOnPodConditionsPattern{{Type: v1.DisruptionTarget}}})
		}
		if rapid.Bool().Draw(t, "bothUnset") {
			raw.Spec.Completions, raw.Spec.Parallelism = nil, nil
		}
		want := raw.DeepCopy()
		batchdefaults.SetObjectDefaults_Job(want)
		in, _ := adapt.Job(raw)
		before, _ := adapt.Job(raw)
		got := job.Default(in, testmain.Release())
		wantJob, _ := adapt.Job(want)
		if d := cmp.Diff(wantJob.Spec, got.Spec); d != "" {
			t.Fatalf("Default (-SetObjectDefaults_Job +purectl):\n%s", d)
		}
		if d := cmp.Diff(before, in); d != "" {
			t.Fatalf("Default modified its input:\n%s", d)
		}
	})
}
