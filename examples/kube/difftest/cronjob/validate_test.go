package cronjob

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/kubernetes/pkg/apis/batch"
	batchdefaults "k8s.io/kubernetes/pkg/apis/batch/v1"
	batchvalidation "k8s.io/kubernetes/pkg/apis/batch/validation"
	corevalidation "k8s.io/kubernetes/pkg/apis/core/validation"
	"k8s.io/utils/ptr"
	"pgregory.net/rapid"

	pure "github.com/purectl/purectl/cronjob"
	"github.com/purectl/purectl/examples/kube/adapt"
	"github.com/purectl/purectl/examples/kube/internal/testmain"
)

var (
	vNames = []string{"report", "a", "", "Bad_Name", "a.b", "-x", "x-", strings.Repeat("a", 52), strings.Repeat("a", 53),
		strings.Repeat("b", 64), strings.Repeat("c.", 127) + "c", strings.Repeat("d", 254)}
	vNamespaces = []string{"team", "default", "", "Team", "a.b", strings.Repeat("n", 63), strings.Repeat("n", 64), "-n"}
	vSchedules  = []string{"* * * * *", "0 9 * * 1-5", "@hourly", "@every 90m", "", "* * * *", "0 0 * * 7", "61 * * * *",
		"TZ=UTC 0 * * * *", "CRON_TZ=Europe/London 0 9 * * *", "@reboot", "@every", "0 0 30 2 *", "*/0 * * * *", "0 0 ? * MON"}
	vZones = []*string{nil, ptr.To(""), ptr.To("UTC"), ptr.To("Local"), ptr.To("local"), ptr.To("Europe/Ro me"), ptr.To("Mars/Base"),
		ptr.To("America/New_York"), ptr.To("-x/y"), ptr.To("a/../b"), ptr.To("Etc/GMT+5"), ptr.To("America/Argentina/Buenos_Aires"),
		ptr.To("Abcdefghijklmno/X"), ptr.To("Europe//London"), ptr.To("America/New_York/")}
	vDeadlines = []*int64{nil, ptr.To[int64](-1), ptr.To[int64](0), ptr.To[int64](200)}
	vPolicies  = []batchv1.ConcurrencyPolicy{"", batchv1.AllowConcurrent, batchv1.ForbidConcurrent, batchv1.ReplaceConcurrent, "Sometimes"}
	vLimits    = []*int32{nil, ptr.To[int32](-1), ptr.To[int32](0), ptr.To[int32](3)}
	// Object metadata: at most one bad entry per map, since the API server
	// reports a map's errors in map order.
	vLabels = []map[string]string{nil, {"app": "report"}, {"app": "report", "bad key": "v"}, {"app": "bad value!"},
		{"example.com/tier": "web", "x": strings.Repeat("v", 64)}, {"/x": ""}}
	vAnnotations = []map[string]string{nil, {"note": "anything at all: ü"}, {"Example.com/Mixed-Case": "ok", "no good": "x"},
		{"big": strings.Repeat("a", 256*1024)}, {"a/b/c": ""}}
	vGenerations = []int64{0, 1, 5, -1}
)

// genStored draws a CronJob with a valid, API-defaulted Job template and
// CronJob-level fields drawn freely (so undefaulted and invalid ones too).
func genStored(t *rapid.T, label string) *batchv1.CronJob {
	cj := &batchv1.CronJob{
		ObjectMeta: metav1.ObjectMeta{Name: rapid.SampledFrom(vNames).Draw(t, label+"name"), Namespace: rapid.SampledFrom(vNamespaces).Draw(t, label+"namespace"),
			UID: "cj-uid", ResourceVersion: "7", Generation: rapid.SampledFrom(vGenerations).Draw(t, label+"generation"),
			Labels: rapid.SampledFrom(vLabels).Draw(t, label+"labels"), Annotations: rapid.SampledFrom(vAnnotations).Draw(t, label+"annotations")},
		Spec: batchv1.CronJobSpec{
			JobTemplate: batchv1.JobTemplateSpec{Spec: batchv1.JobSpec{Template: v1.PodTemplateSpec{Spec: v1.PodSpec{RestartPolicy: v1.RestartPolicyOnFailure,
				Containers: []v1.Container{{Name: "c", Image: "busybox"}}}}}},
		},
	}
	batchdefaults.SetObjectDefaults_CronJob(cj)
	s := &cj.Spec
	s.Schedule = rapid.SampledFrom(vSchedules).Draw(t, label+"schedule")
	s.TimeZone = rapid.SampledFrom(vZones).Draw(t, label+"timeZone")
	s.StartingDeadlineSeconds = rapid.SampledFrom(vDeadlines).Draw(t, label+"deadline")
	s.ConcurrencyPolicy = rapid.SampledFrom(vPolicies).Draw(t, label+"policy")
	s.SuccessfulJobsHistoryLimit = rapid.SampledFrom(vLimits).Draw(t, label+"successfulLimit")
	s.FailedJobsHistoryLimit = rapid.SampledFrom(vLimits).Draw(t, label+"failedLimit")
	return cj
}

func internal(t *rapid.T, cj *batchv1.CronJob) *batch.CronJob {
	out := &batch.CronJob{}
	if err := batchdefaults.Convert_v1_CronJob_To_batch_CronJob(cj, out, nil); err != nil {
		t.Fatal(err)
	}
	return out
}

// upstreamErrors runs a validation function, turning the panic robfig/cron
// v3.0.1 raises on "TZ=UTC"-like schedules into a marker.
func upstreamErrors(f func() []string) (errs []string, panicked bool) {
	defer func() {
		if r := recover(); r != nil {
			errs, panicked = nil, true
		}
	}()
	return f(), false
}

func pureErrors(err error) []string {
	if err == nil {
		return nil
	}
	var agg *pure.FieldErrors
	if !errors.As(err, &agg) {
		return []string{"not a field error list: " + err.Error()}
	}
	var out []string
	for _, e := range agg.List {
		out = append(out, e.Error())
	}
	return out
}

// checkSame compares purectl's field errors with the API server's. The
// job template is valid, so no error may name it.
func checkSame(t *rapid.T, what string, kube func() []string, ours []string) {
	want, panicked := upstreamErrors(kube)
	if panicked {
		// Released v1.34 validation panics inside robfig/cron on a TZ prefix
		// without a schedule (1.35 recovers it); purectl reports the
		// schedule as invalid, worded as 1.35 words it.
		if testmain.Release().AtLeast("1.35") {
			t.Fatalf("%s: validation panics on release %s", what, testmain.Release())
		}
		if !strings.Contains(strings.Join(ours, "\n"), "spec.schedule: Invalid value") {
			t.Fatalf("%s: the API server panics; purectl says %q", what, ours)
		}
		return
	}
	for _, w := range want {
		if strings.Contains(w, "jobTemplate") {
			t.Fatalf("%s: the generated job template is invalid: %s", what, w)
		}
	}
	if d := cmp.Diff(want, ours, cmpopts.EquateEmpty()); d != "" {
		t.Fatalf("%s (-apiserver +purectl):\n%s", what, d)
	}
}

// listStrings renders a field.ErrorList the way purectl's list is
// rendered: one string per error, duplicates dropped (ToAggregate drops
// them on both sides).
func listStrings[E interface{ Error() string }](list []E) []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range list {
		if s := e.Error(); !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// TestValidateAgainstAPIServer: ValidateCreate, ValidateUpdate and Validate
// against ValidateCronJobCreate and ValidateCronJobUpdate on the same
// objects: the same errors, paths, values and details, in the same order.
func TestValidateAgainstAPIServer(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cj := genStored(t, "")
		opts := corevalidation.PodValidationOptions{}
		checkSame(t, "create", func() []string {
			return listStrings(batchvalidation.ValidateCronJobCreate(internal(t, cj), opts))
		}, pureErrors(pure.ValidateCreate(adapt.CronJob(cj), testmain.Release())))

		old := cj.DeepCopy()
		if rapid.Bool().Draw(t, "changed") {
			old = genStored(t, "old.")
			old.Name, old.Namespace = cj.Name, cj.Namespace
		}
		checkSame(t, fmt.Sprintf("update from schedule %q zone %v", old.Spec.Schedule, ptrString(old.Spec.TimeZone)), func() []string {
			return listStrings(batchvalidation.ValidateCronJobUpdate(internal(t, cj), internal(t, old), opts))
		}, pureErrors(pure.ValidateUpdate(adapt.CronJob(cj), adapt.CronJob(old), testmain.Release())))

		checkSame(t, "unchanged", func() []string {
			return listStrings(batchvalidation.ValidateCronJobUpdate(internal(t, cj), internal(t, cj), opts))
		}, pureErrors(pure.Validate(adapt.CronJob(cj), testmain.Release())))
	})
}

// TestDefaultAgainstSetDefaults: Default against SetObjectDefaults_CronJob
// on CronJobs with each defaulted field set or unset.
func TestDefaultAgainstSetDefaults(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cj := &batchv1.CronJob{ObjectMeta: metav1.ObjectMeta{Name: "report", Namespace: "team"}, Spec: batchv1.CronJobSpec{Schedule: "@daily"}}
		if rapid.Bool().Draw(t, "policySet") {
			cj.Spec.ConcurrencyPolicy = rapid.SampledFrom(policies).Draw(t, "policy")
		}
		if rapid.Bool().Draw(t, "suspendSet") {
			cj.Spec.Suspend = ptr.To(rapid.Bool().Draw(t, "suspend"))
		}
		cj.Spec.SuccessfulJobsHistoryLimit = rapid.SampledFrom(vLimits).Draw(t, "successfulLimit")
		cj.Spec.FailedJobsHistoryLimit = rapid.SampledFrom(vLimits).Draw(t, "failedLimit")
		cj.Spec.StartingDeadlineSeconds = rapid.SampledFrom(vDeadlines).Draw(t, "deadline")
		cj.Spec.TimeZone = rapid.SampledFrom(vZones).Draw(t, "timeZone")
		ours := pure.Default(adapt.CronJob(cj), testmain.Release())
		batchdefaults.SetObjectDefaults_CronJob(cj)
		if d := cmp.Diff(adapt.CronJob(cj), ours); d != "" {
			t.Fatalf("(-SetDefaults +purectl):\n%s", d)
		}
	})
}
