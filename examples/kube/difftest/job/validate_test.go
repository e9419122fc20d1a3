package jobdiff

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/kubernetes/pkg/apis/batch"
	batchdefaults "k8s.io/kubernetes/pkg/apis/batch/v1"
	batchvalidation "k8s.io/kubernetes/pkg/apis/batch/validation"
	"pgregory.net/rapid"

	"github.com/purectl/purectl/examples/kube/adapt"
	"github.com/purectl/purectl/examples/kube/internal/testmain"
	"github.com/purectl/purectl/job"
)

// modelled says whether purectl's Validate covers an API error: the spec's
// own fields and the restart policy, and the hostname check on the name;
// not the pod template, the selector or the rest of the object metadata.
func modelled(e *field.Error) bool {
	switch {
	case e.Field == "spec.template.spec.restartPolicy":
		return true
	case strings.HasPrefix(e.Field, "spec.template"), strings.HasPrefix(e.Field, "spec.selector"):
		return false
	case strings.HasPrefix(e.Field, "metadata"):
		return strings.Contains(e.Detail, "will not able to create pod")
	}
	return true
}

// job.Validate against the API server's create validation (ValidateJob of
// pkg/apis/batch/validation, ValidateJobCreate from 1.37) of the release the
// suite is built against, after SetObjectDefaults_Job, on valid Jobs and on Jobs that
// break one rule: the same errors, word for word. JobProgress lists them as
// Warnings and errors only where the controller cannot act.
func TestValidateMatchesValidateJob(t *testing.T) {
	broke := 0
	rapid.Check(t, func(t *rapid.T) {
		raw := genRawJob(t)
		refusable := rapid.Bool().Draw(t, "break")
		if refusable {
			invalidate(t, raw, true)
		}
		batchdefaults.SetObjectDefaults_Job(raw)
		var internal batch.Job
		if err := batchdefaults.Convert_v1_Job_To_batch_Job(raw, &internal, nil); err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, e := range validateJobCreate(&internal, batchvalidation.JobValidationOptions{RequirePrefixedLabels: true}) {
			if modelled(e) {
				want = append(want, e.Error())
			}
		}
		j, st := adapt.Job(raw)
		var got []string
		if err := job.Validate(j, testmain.Release()); err != nil {
			var all *job.FieldErrors
			if !errors.As(err, &all) {
				t.Fatalf("%v is not a FieldErrors", err)
			}
			for _, e := range all.Unwrap() {
				got = append(got, e.Error())
			}
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(want, got) {
			t.Fatalf("ValidateJob %q\nValidate  %q", want, got)
		}
		if len(want) > 0 {
			broke++
		}
		res, err := job.JobProgress(j, st, nil, t0, job.Options{Release: testmain.Release()})
		var warned []string
		for _, e := range res.Warnings {
			warned = append(warned, e.Error())
		}
		slices.Sort(warned)
		if !slices.Equal(warned, got) {
			t.Fatalf("Warnings %q, Validate %q", warned, got)
		}
		// syncJob dereferences completions of an Indexed Job and slices
		// past its pods for a negative parallelism without completions;
		// those alone are refused.
		s := raw.Spec
		refused := s.Completions == nil && (*s.CompletionMode == "Indexed" || *s.Parallelism < 0)
		if (err != nil) != refused {
			t.Fatalf("JobProgress error %v, want one: %v", err, refused)
		}
	})
	if broke == 0 {
		t.Error("no invalid Job was drawn")
	}
}
