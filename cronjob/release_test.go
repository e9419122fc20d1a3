package cronjob

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/purectl/purectl/api"
)

// releases are the supported releases, oldest first.
var releases = []string{"1.34", "1.35", "1.36", "1.37"}

// TestCronJobReleasesNameTaken pins what a pass does when the due run's Job
// name is taken, release by release. Up to 1.36 syncCronJob reads the
// existing Job back with the request's empty namespace, finds nothing and
// fails the pass (retried with backoff); from 1.37 it reads from the
// CronJob's namespace: a Job the CronJob controls that status.active lacks
// is recorded there, anything else ends the pass without an error.
func TestCronJobReleasesNameTaken(t *testing.T) {
	const name = "mycronjob-24394200"
	const now = "2016-05-19T10:01:00Z"
	running := Job{Name: name, Namespace: "ns", UID: "u9"}
	done := complete(name, "u9", "2016-05-19T10:00:00Z", "2016-05-19T10:00:30Z")
	type want struct {
		outcome   Reason
		events    []Reason
		requeue   string
		lastSched string
		active    []ObjectReference
	}
	taken := want{outcome: ReasonNameTaken}
	adopted := want{outcome: ReasonAdoptedExistingJob, requeue: "2016-05-19T11:00:00.1Z", lastSched: "2016-05-19T10:00:00Z",
		active: []ObjectReference{{Name: name, Namespace: "ns", UID: "u9"}}}
	tests := []struct {
		name      string
		jobs      []Job
		active    []ObjectReference
		opts      Options
		upTo136   want
		from137   want
		extraEvts []Reason
	}{
		{name: "syncCronJob AlreadyExists: an unexpected running Job of this CronJob holds the name",
			jobs: []Job{running}, upTo136: taken, from137: adopted, extraEvts: []Reason{ReasonUnexpectedJob}},
		{name: "syncCronJob AlreadyExists: a finished Job of this CronJob holds the name (1.37 records it all the same)",
			jobs: []Job{done}, upTo136: taken, from137: adopted},
		{name: "syncCronJob AlreadyExists: the cache does not show the Job, which is someone else's (Options.AlreadyExists)",
			opts: Options{AlreadyExists: []string{name}}, upTo136: taken, from137: taken},
		{name: "syncCronJob AlreadyExists: the cache does not show the Job, which this CronJob controls (Options.AlreadyExistsJobs)",
			opts: Options{AlreadyExistsJobs: []Job{running}}, upTo136: taken, from137: adopted},
		{name: "syncCronJob AlreadyExists: the Job is already in status.active under another name (inActiveList by UID)",
			jobs: []Job{running}, active: []ObjectReference{{Name: "renamed", Namespace: "ns", UID: "u9"}},
			upTo136: taken, from137: want{outcome: ReasonNameTaken, active: []ObjectReference{{Name: "renamed", Namespace: "ns", UID: "u9"}}}},
	}
	for _, tc := range tests {
		for _, rel := range releases {
			t.Run(tc.name+"/"+rel, func(t *testing.T) {
				cj := base("0 * * * *")
				cj.Status.Active = tc.active
				opts := tc.opts
				opts.Release = Release{Version: rel}
				res, err := CronDue(cj, tc.jobs, utc(now), opts)
				if err != nil {
					t.Fatal(err)
				}
				w := tc.upTo136
				if rel == "1.37" {
					w = tc.from137
				}
				if w.outcome == ReasonNameTaken && rel != "1.37" {
					w.active = tc.active
				}
				if res.Outcome != w.outcome {
					t.Errorf("outcome %s (%s), want %s", res.Outcome, res.Message, w.outcome)
				}
				if res.Create != nil {
					t.Errorf("creates %s", res.Create.Name)
				}
				if d := cmp.Diff(append(tc.extraEvts, w.events...), eventReasons(res)); d != "" {
					t.Errorf("events (-want +got):\n%s", d)
				}
				var req, last time.Time
				if w.requeue != "" {
					req, _ = time.Parse(time.RFC3339Nano, w.requeue)
				}
				if w.lastSched != "" {
					last = utc(w.lastSched)
				}
				if !res.RequeueAt.Equal(req) {
					t.Errorf("requeue %s, want %s", res.RequeueAt, req)
				}
				if !res.Status.LastScheduleTime.Equal(last) {
					t.Errorf("lastScheduleTime %s, want %s", res.Status.LastScheduleTime, last)
				}
				if d := cmp.Diff(w.active, res.Status.Active); d != "" {
					t.Errorf("status.active (-want +got):\n%s", d)
				}
			})
		}
	}
}

// TestCronJobReleasesTZPrefixWithoutSchedule: robfig/cron v3.0.1 panics
// on "TZ=UTC". Up to 1.34 syncCronJob lets the panic crash the controller,
// which CronDue reports as its error; from 1.35 it recovers it
// (ParseCronScheduleWithPanicRecovery) and records UnparseableSchedule.
// Validation words the schedule error the same in every release.
func TestCronJobReleasesTZPrefixWithoutSchedule(t *testing.T) {
	const detail = "invalid schedule format: runtime error: slice bounds out of range [:-1]"
	for _, rel := range releases {
		t.Run(rel, func(t *testing.T) {
			cj := base("TZ=UTC")
			res, err := CronDue(cj, nil, utc("2016-05-19T10:01:00Z"), Options{Release: Release{Version: rel}})
			if rel == "1.34" {
				var fe *FieldErrors
				if !errors.As(err, &fe) || !strings.Contains(err.Error(), detail) {
					t.Fatalf("1.34: error %v, want the schedule's field error", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := []Event{
				{EventWarning, ReasonUnsupportedSchedule, `CRON_TZ or TZ used in schedule "TZ=UTC" is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`},
				{EventWarning, ReasonUnparseableSchedule, `unparseable schedule: "TZ=UTC" : ` + detail},
			}
			if d := cmp.Diff(want, res.Events); d != "" {
				t.Errorf("events (-want +got):\n%s", d)
			}
			if res.Outcome != ReasonUnparseableSchedule || !res.RequeueAt.IsZero() {
				t.Errorf("outcome %s requeue %s", res.Outcome, res.RequeueAt)
			}
			err = ValidateCreate(cj, Release{Version: rel})
			if err == nil || !strings.Contains(err.Error(), `spec.schedule: Invalid value: "TZ=UTC": `+detail) {
				t.Errorf("ValidateCreate: %v", err)
			}
		})
	}
	// A suspended CronJob stops before the schedule is parsed, so even the
	// 1.34 controller survives it.
	cj := base("TZ=UTC")
	cj.Spec.Suspend = true
	if res, err := CronDue(cj, nil, utc("2016-05-19T10:01:00Z"), Options{Release: Release{Version: "1.34"}}); err != nil || res.Outcome != ReasonSuspended {
		t.Errorf("suspended on 1.34: %v %v", res.Outcome, err)
	}
}

// TestCronJobReleasesScheduledAnnotation: the scheduled-timestamp
// annotation is on every created Job in every release (the
// CronJobsScheduledAnnotation gate is GA and locked on in 1.34 and gone
// from 1.35), and the gate cannot be turned off.
func TestCronJobReleasesScheduledAnnotation(t *testing.T) {
	for _, rel := range releases {
		res, err := CronDue(base("0 * * * *"), nil, utc("2016-05-19T10:01:00Z"), Options{Release: Release{Version: rel}})
		if err != nil {
			t.Fatal(err)
		}
		if res.Create == nil || res.Create.Annotations[ScheduledTimestampAnnotation] != "2016-05-19T10:00:00Z" {
			t.Errorf("%s: created %+v", rel, res.Create)
		}
	}
	_, err := CronDue(base("0 * * * *"), nil, utc("2016-05-19T10:01:00Z"),
		Options{Release: Release{Version: "1.34", FeatureGates: map[api.Gate]bool{api.CronJobsScheduledAnnotation: false}}})
	if err == nil {
		t.Error("1.34 accepts turning off a gate locked on")
	}
	_, err = CronDue(base("0 * * * *"), nil, utc("2016-05-19T10:01:00Z"),
		Options{Release: Release{Version: "1.35", FeatureGates: map[api.Gate]bool{api.CronJobsScheduledAnnotation: true}}})
	if err == nil {
		t.Error("1.35 accepts a gate it no longer registers")
	}
}

// TestCronJobReleasesValidateRefusesUnknownRelease: Validate, ValidateCreate
// and ValidateUpdate refuse a release they cannot follow.
func TestCronJobReleasesValidateRefusesUnknownRelease(t *testing.T) {
	cj := base("0 * * * *")
	bad := Release{Version: "1.20"}
	for name, err := range map[string]error{"Validate": Validate(cj, bad), "ValidateCreate": ValidateCreate(cj, bad), "ValidateUpdate": ValidateUpdate(cj, cj, bad)} {
		if err == nil || !strings.Contains(err.Error(), "release.version") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestValidateObjectMeta: the metadata checks of ValidateObjectMeta and
// ValidateObjectMetaUpdate on the fields CronJob carries.
func TestValidateObjectMeta(t *testing.T) {
	for _, rel := range releases {
		r := Release{Version: rel}
		cj := base("0 * * * *")
		cj.Generation = -1
		cj.Labels = map[string]string{"ok": "v", "bad key!": "v", "k": "bad value!"}
		cj.Annotations = map[string]string{"Example.com/Fine": "x", "no good": "y", "big": strings.Repeat("x", 256*1024)}
		err := ValidateCreate(cj, r)
		for _, w := range []string{
			`metadata.generation: Invalid value: -1: must be greater than or equal to 0`,
			`metadata.labels: Invalid value: "bad key!": name part must consist of`,
			`metadata.labels: Invalid value: "bad value!": a valid label must be`,
			`metadata.annotations: Invalid value: "no good": name part must consist of`,
			`metadata.annotations: Too long: may not be more than 262144 bytes`,
		} {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("%s create: %v lacks %q", rel, err, w)
			}
		}
		if err != nil && strings.Contains(err.Error(), "Example.com") {
			t.Errorf("%s: an upper-case annotation key is refused: %v", rel, err)
		}
		old := base("0 * * * *")
		old.Generation = 4
		upd := old
		upd.Generation = 3
		upd.DeletionTimestamp = utc("2016-05-20T00:00:00Z")
		err = ValidateUpdate(upd, old, r)
		for _, w := range []string{`metadata.generation: Invalid value: 3: must not be decremented`, `metadata.deletionTimestamp: Invalid value:`} {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("%s update: %v lacks %q", rel, err, w)
			}
		}
		// The controller runs on all of it and lists it as warnings.
		res, err := CronDue(cj, nil, utc("2016-05-19T10:01:00Z"), Options{Release: r})
		want := 4
		if rel == "1.37" {
			want = 5 // the negative generation too
		}
		if err != nil || res.Outcome != ReasonRunStarted || len(res.Warnings) != want {
			t.Errorf("%s CronDue: %v %s %v", rel, err, res.Outcome, res.Warnings)
		}
	}
}

// TestCronJobReleasesLabelKeyWording: ValidateObjectMeta's key and value
// checks (util/validation's IsQualifiedName and IsValidLabelValue up to
// 1.34, content.IsLabelKey and content.IsLabelValue from 1.35) word a key
// with two slashes and an overlong key or value differently.
func TestCronJobReleasesLabelKeyWording(t *testing.T) {
	long := strings.Repeat("v", 64)
	for _, rel := range releases {
		cj := base("0 * * * *")
		cj.Labels = map[string]string{"a/b/c": "v", "k": long}
		cj.Annotations = map[string]string{"x/y/z": "", long: ""}
		key, unit := "a valid label key must consist of", "bytes"
		if rel == "1.34" {
			key, unit = "a qualified name must consist of", "characters"
		}
		err := ValidateCreate(cj, Release{Version: rel})
		for _, w := range []string{
			`metadata.labels: Invalid value: "a/b/c": ` + key,
			`metadata.labels: Invalid value: "` + long + `": must be no more than 63 ` + unit,
			`metadata.annotations: Invalid value: "x/y/z": ` + key,
			`metadata.annotations: Invalid value: "` + long + `": name part must be no more than 63 ` + unit,
		} {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %v lacks %q", rel, err, w)
			}
		}
	}
}

// TestCronJobReleasesGenerationOnUpdate: from 1.37 ValidateObjectMetaUpdate
// also refuses a negative metadata.generation (before only a create did),
// so Validate and CronDue's warnings list it there.
func TestCronJobReleasesGenerationOnUpdate(t *testing.T) {
	for _, rel := range releases {
		r := Release{Version: rel}
		cj := base("0 * * * *")
		cj.Generation = -1
		err := Validate(cj, r)
		res, perr := CronDue(cj, nil, utc("2016-05-19T10:01:00Z"), Options{Release: r})
		if perr != nil {
			t.Fatal(perr)
		}
		if rel != "1.37" {
			if err != nil || res.Warnings != nil {
				t.Errorf("%s: %v, warnings %v", rel, err, res.Warnings)
			}
			continue
		}
		const want = "metadata.generation: Invalid value: -1: must be greater than or equal to 0"
		if err == nil || err.Error() != want || len(res.Warnings) != 1 || res.Warnings[0].Error() != want {
			t.Errorf("1.37: %v, warnings %v", err, res.Warnings)
		}
		old := cj
		old.Generation = 2
		if err := ValidateUpdate(cj, old, r); err == nil || err.Error() != "["+want+", metadata.generation: Invalid value: -1: must not be decremented]" {
			t.Errorf("1.37 update: %v", err)
		}
	}
}
