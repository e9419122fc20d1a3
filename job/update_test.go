package job

import (
	"errors"
	"slices"
	"testing"

	"github.com/purectl/purectl/api"
)

// validationOptionsForJob (pkg/registry/batch/job) across releases: which
// template fields an update of a suspended Job may change.
func TestMutableTemplateFollowsValidationOptionsForJob(t *testing.T) {
	suspendedCond := []Condition{{Type: ConditionSuspended, Status: ConditionTrue, Reason: ReasonJobSuspended}}
	both := map[api.Gate]bool{MutableSchedulingDirectivesForSuspendedJobs: true, MutablePodResourcesForSuspendedJobs: true}
	none := map[api.Gate]bool{MutableSchedulingDirectivesForSuspendedJobs: false, MutablePodResourcesForSuspendedJobs: false}
	type state struct {
		name      string
		suspended bool
		status    Status
	}
	fresh := state{"suspended, never started", true, Status{}}
	paused := state{"suspended after running, condition set, no pods", true, Status{StartTime: at(0), Conditions: suspendedCond}}
	draining := state{"suspended, condition set, pods still active", true, Status{StartTime: at(0), Conditions: suspendedCond, Active: 1}}
	freshNoCondYet := state{"suspended, never started, no condition", true, Status{}}
	pausedNoCond := state{"suspended after running, no condition yet", true, Status{StartTime: at(0)}}
	running := state{"running", false, Status{StartTime: at(0), Active: 2}}
	cases := []struct {
		rel   Release
		st    state
		sched bool
		res   bool
	}{
		{gates("1.34", nil), fresh, true, false},
		{gates("1.34", nil), paused, false, false},
		{gates("1.35", nil), fresh, true, false},
		{gates("1.35", nil), paused, false, false},
		// 1.35 with the alpha gates wants the condition: a Job created
		// suspended loses the never-started allowance until it is set.
		{gates("1.35", both), freshNoCondYet, false, false},
		{gates("1.35", both), paused, true, true},
		{gates("1.35", both), draining, false, false},
		{gates("1.35", both), pausedNoCond, false, false},
		{gates("1.36", nil), fresh, true, true},
		{gates("1.36", nil), paused, true, true},
		{gates("1.36", nil), draining, false, false},
		{gates("1.36", nil), pausedNoCond, false, false},
		{gates("1.36", none), fresh, true, false},
		{gates("1.36", none), paused, false, false},
		{gates("1.37", nil), paused, true, true},
		{gates("1.37", nil), fresh, true, true},
		{gates("1.37", nil), running, false, false},
		{gates("1.34", nil), running, false, false},
	}
	for _, c := range cases {
		j := mkJob(func(j *Job) { j.Spec.Suspend = c.st.suspended })
		m, err := MutableTemplate(j, c.st.status, c.rel)
		if err != nil {
			t.Fatal(err)
		}
		if m.SchedulingDirectives != c.sched || m.PodResources != c.res {
			t.Errorf("%s %v, %s: %+v, want scheduling %v resources %v", c.rel, c.rel.FeatureGates, c.st.name, m, c.sched, c.res)
		}
	}
	if _, err := MutableTemplate(mkJob(), Status{}, gates("1.34", both)); err == nil {
		t.Error("1.34 accepted gates it does not know")
	}
}

// ValidateJobUpdate (and, before 1.37, the ValidateJob the registry runs
// beside it): the create checks on the new Job, then the immutable fields.
func TestValidateUpdateFollowsValidateJobUpdate(t *testing.T) {
	old := mkJob(indexed, completions(3), parallelism(3), perIndex(1), func(j *Job) {
		j.Spec.ManagedBy = "example.com/queue"
		j.Spec.SuccessPolicy = &SuccessPolicy{Rules: []SuccessPolicyRule{{SucceededCount: p32(2)}}}
	}, pfp(PodFailurePolicyRule{Action: ActionFailJob, OnExitCodes: &OnExitCodes{ContainerName: "main", Operator: OpIn, Values: []int32{42}}}))
	cases := []struct {
		name   string
		change func(*Job)
		want   []string
	}{
		{"nothing", func(*Job) {}, nil},
		{"parallelism and suspend may change", func(j *Job) { j.Spec.Parallelism = p32(1); j.Spec.Suspend = true }, nil},
		{"Indexed completions in tandem with parallelism", func(j *Job) { j.Spec.Completions, j.Spec.Parallelism = p32(5), p32(5) }, nil},
		{"Indexed completions alone", func(j *Job) { j.Spec.Completions = p32(5) },
			[]string{"spec.completions: Invalid value: 5: can only be modified in tandem with spec.parallelism"}},
		{"NonIndexed completions", func(j *Job) {
			j.Spec.CompletionMode, j.Spec.BackoffLimitPerIndex, j.Spec.SuccessPolicy = "", nil, nil
		}, []string{
			`spec.completionMode: Invalid value: "NonIndexed": field is immutable`,
			"spec.backoffLimitPerIndex: Invalid value: null: field is immutable",
			"spec.successPolicy: Invalid value: null: field is immutable",
		}},
		{"restart policy", func(j *Job) { j.Spec.Template.RestartPolicy = RestartOnFailure }, []string{
			`spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified`,
			"spec.template: Invalid value: field is immutable",
		}},
		{"managedBy", func(j *Job) { j.Spec.ManagedBy = "" },
			[]string{"spec.managedBy: Invalid value: null: field is immutable"}},
		{"podFailurePolicy", func(j *Job) { j.Spec.PodFailurePolicy.Rules[0].OnExitCodes.Values = []int32{43} },
			[]string{`spec.podFailurePolicy: Invalid value: {"Rules":[{"Action":"FailJob","OnExitCodes":{"ContainerName":"main","Operator":"In","Values":[43]},"OnPodConditions":null}]}: field is immutable`}},
		{"successPolicy", func(j *Job) {
			j.Spec.SuccessPolicy = &SuccessPolicy{Rules: []SuccessPolicyRule{{SucceededCount: p32(1)}}}
		},
			[]string{`spec.successPolicy: Invalid value: {"Rules":[{"SucceededIndexes":null,"SucceededCount":1}]}: field is immutable`}},
		{"backoffLimitPerIndex", func(j *Job) { j.Spec.BackoffLimitPerIndex = p32(2) },
			[]string{"spec.backoffLimitPerIndex: Invalid value: 2: field is immutable"}},
	}
	for _, rel := range releases {
		for _, c := range cases {
			j := old
			j.Spec.PodFailurePolicy = &PodFailurePolicy{Rules: []PodFailurePolicyRule{old.Spec.PodFailurePolicy.Rules[0]}}
			e := *old.Spec.PodFailurePolicy.Rules[0].OnExitCodes
			j.Spec.PodFailurePolicy.Rules[0].OnExitCodes = &e
			c.change(&j)
			var got []string
			if err := ValidateUpdate(old, j, rel); err != nil {
				var all *FieldErrors
				if !errors.As(err, &all) {
					t.Fatalf("%v is not a *FieldErrors", err)
				}
				for _, fe := range all.Unwrap() {
					got = append(got, fe.Error())
				}
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("%s, %s:\n got %q\nwant %q", rel, c.name, got, c.want)
			}
		}
	}
	// With JobManagedBy off only a create drops managedBy: an update
	// validates it.
	bad := mkJob(func(j *Job) { j.Spec.ManagedBy = "controller" })
	err := ValidateUpdate(bad, bad, gates("1.34", map[api.Gate]bool{JobManagedBy: false}))
	if err == nil || err.Error() != `spec.managedBy: Invalid value: "controller": must be a domain-prefixed path (such as "acme.io/foo")` {
		t.Errorf("1.34 JobManagedBy=false update: %v", err)
	}
	if Validate(bad, gates("1.34", map[api.Gate]bool{JobManagedBy: false})) != nil {
		t.Error("the create check does validate managedBy with the gate off")
	}
}
