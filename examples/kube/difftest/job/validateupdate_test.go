package jobdiff

import (
	"errors"
	"slices"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	"k8s.io/kubernetes/pkg/apis/batch"
	batchdefaults "k8s.io/kubernetes/pkg/apis/batch/v1"
	batchvalidation "k8s.io/kubernetes/pkg/apis/batch/validation"
	"k8s.io/utils/ptr"
	"pgregory.net/rapid"

	"github.com/purectl/purectl/examples/kube/adapt"
	"github.com/purectl/purectl/examples/kube/internal/testmain"
	"github.com/purectl/purectl/job"
)

// templateImmutable is the error for a changed pod template, whose value
// purectl does not print (the API server prints the whole template).
func templateImmutable(field, detail string) bool {
	return field == "spec.template" && detail == "field is immutable"
}

// job.ValidateUpdate against the Job registry's update checks of the
// release the suite is built against (ValidateJob and ValidateJobUpdate
// before 1.37, ValidateJobUpdate from 1.37), on stored Jobs and one change
// to a field purectl carries, now and then with a create rule broken too:
// the same errors, each once, word for word (the template error by its
// field and detail).
func TestValidateUpdateMatchesValidateJobUpdate(t *testing.T) {
	seen := map[string]int{}
	rapid.Check(t, func(t *rapid.T) {
		raw := genRawJob(t)
		raw.ResourceVersion = "1"
		batchdefaults.SetObjectDefaults_Job(raw)
		upd := raw.DeepCopy()
		s := &upd.Spec
		change := rapid.IntRange(0, 10).Draw(t, "change")
		switch change {
		case 1:
			s.Parallelism = ptr.To(rapid.Int32Range(0, 5).Draw(t, "parallelism"))
		case 2:
			c := rapid.Int32Range(0, 6).Draw(t, "completions")
			s.Completions = &c
			if rapid.Bool().Draw(t, "tandem") {
				s.Parallelism = ptr.To(c)
			}
		case 3:
			m := batchv1.IndexedCompletion
			if s.CompletionMode != nil && *s.CompletionMode == m {
				m = batchv1.NonIndexedCompletion
			}
			s.CompletionMode = &m
			if m == batchv1.IndexedCompletion && s.Completions == nil {
				// invalidate and the API server's success policy checks
				// read an Indexed Job's completions.
				s.Completions = ptr.To(int32(1))
			}
		case 4:
			s.BackoffLimitPerIndex = optInt32(t, "backoffLimitPerIndex", 0, 3)
		case 5:
			s.ManagedBy = ptr.To(rapid.SampledFrom([]string{"example.com/queue", batchv1.JobControllerName}).Draw(t, "managedBy"))
		case 6:
			if p := s.PodFailurePolicy; p != nil && len(p.Rules) > 0 {
				// purectl's rule list does not tell an empty list from
				// none (both print as null), so an emptied one is none.
				p.Rules = slices.Clip(p.Rules[:len(p.Rules)-1])
				if len(p.Rules) == 0 {
					p.Rules = nil
				}
			} else {
				s.PodFailurePolicy = &batchv1.PodFailurePolicy{Rules: []batchv1.PodFailurePolicyRule{*pfpRules[1].DeepCopy()}}
			}
		case 7:
			if s.SuccessPolicy != nil {
				s.SuccessPolicy = nil
			} else {
				s.SuccessPolicy = &batchv1.SuccessPolicy{Rules: []batchv1.SuccessPolicyRule{{SucceededCount: ptr.To(int32(1))}}}
			}
		case 8:
			if s.Template.Spec.RestartPolicy == v1.RestartPolicyNever {
				s.Template.Spec.RestartPolicy = v1.RestartPolicyOnFailure
			} else {
				s.Template.Spec.RestartPolicy = v1.RestartPolicyNever
			}
		case 9:
			s.Template.Spec.Containers[0].Name = "other"
		case 10:
			s.Suspend = ptr.To(!*s.Suspend)
		}
		if rapid.IntRange(0, 3).Draw(t, "break") == 0 {
			invalidate(t, upd, true)
		}
		batchdefaults.SetObjectDefaults_Job(upd)
		var oldInt, newInt batch.Job
		if err := batchdefaults.Convert_v1_Job_To_batch_Job(raw, &oldInt, nil); err != nil {
			t.Fatal(err)
		}
		if err := batchdefaults.Convert_v1_Job_To_batch_Job(upd, &newInt, nil); err != nil {
			t.Fatal(err)
		}
		var want []string
		wantTemplate := false
		for _, e := range validateJobUpdate(&newInt, &oldInt, batchvalidation.JobValidationOptions{RequirePrefixedLabels: true}) {
			switch {
			case templateImmutable(e.Field, e.Detail):
				wantTemplate = true
			case modelled(e) && !slices.Contains(want, e.Error()):
				want = append(want, e.Error())
			}
		}
		old, _ := adapt.Job(raw)
		j, _ := adapt.Job(upd)
		var got []string
		gotTemplate := false
		if err := job.ValidateUpdate(old, j, testmain.Release()); err != nil {
			var all *job.FieldErrors
			if !errors.As(err, &all) {
				t.Fatalf("%v is not a FieldErrors", err)
			}
			for _, e := range all.List {
				if templateImmutable(e.Field, e.Detail) {
					gotTemplate = true
					continue
				}
				got = append(got, e.Error())
			}
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(want, got) || wantTemplate != gotTemplate {
			t.Fatalf("change %d\nregistry  %q (template immutable: %v)\nValidateUpdate %q (template immutable: %v)", change, want, wantTemplate, got, gotTemplate)
		}
		if len(want) > 0 || wantTemplate {
			seen["rejected"]++
		} else {
			seen["accepted"]++
		}
	})
	if seen["rejected"] == 0 || seen["accepted"] == 0 {
		t.Errorf("one-sided draws: %v", seen)
	}
}
