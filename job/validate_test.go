package job

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// Validate words its messages and field paths as the API server does, and
// JobProgress lists the same problems in Result.Warnings.
func TestValidation(t *testing.T) {
	cases := []struct {
		name string
		job  Job
		want string // one of the errors, in full
	}{
		{"negative parallelism", mkJob(parallelism(-1)), "spec.parallelism: Invalid value: -1: must be greater than or equal to 0"},
		{"negative completions", mkJob(completions(-2)), "spec.completions: Invalid value: -2: must be greater than or equal to 0"},
		{"negative backoffLimit", mkJob(backoffLimit(-1)), "spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0"},
		{"negative deadline", mkJob(deadline(-5)), "spec.activeDeadlineSeconds: Invalid value: -5: must be greater than or equal to 0"},
		{"negative ttl", mkJob(func(j *Job) { j.Spec.TTLSecondsAfterFinished = p32(-1) }), "spec.ttlSecondsAfterFinished: Invalid value: -1: must be greater than or equal to 0"},
		{"Always rejected", mkJob(func(j *Job) { j.Spec.Template.RestartPolicy = RestartAlways }),
			`spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"`},
		{"empty rejected", mkJob(func(j *Job) { j.Spec.Template.RestartPolicy = "" }),
			`spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"`},
		{"unknown", mkJob(func(j *Job) { j.Spec.Template.RestartPolicy = "Sometimes" }),
			`spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "OnFailure", "Never"`},
		{"podFailurePolicy needs Never", mkJob(pfp(), func(j *Job) { j.Spec.Template.RestartPolicy = RestartOnFailure }),
			`spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified`},
		{"unknown completion mode", mkJob(func(j *Job) { j.Spec.CompletionMode = "Random" }),
			`spec.completionMode: Unsupported value: "Random": supported values: "NonIndexed", "Indexed"`},
		{"Indexed needs completions", mkJob(indexed, parallelism(2)), "spec.completions: Required value: when completion mode is Indexed"},
		{"Indexed parallelism limit", mkJob(indexed, completions(5), parallelism(100_001)),
			"spec.parallelism: Invalid value: 100001: must be less than or equal to 100000 when completion mode is Indexed"},
		{"hostname must be a DNS label", mkJob(indexed, completions(10), func(j *Job) { j.Name = strings.Repeat("a", 62) }),
			"metadata.name: Invalid value: \"" + strings.Repeat("a", 62) + "\": will not able to create pod with invalid DNS label: " + strings.Repeat("a", 62) + "-9"},
		{"backoffLimitPerIndex needs Indexed", mkJob(perIndex(1)), "spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode"},
		{"maxFailedIndexes needs backoffLimitPerIndex", mkJob(indexed, completions(3), func(j *Job) { j.Spec.MaxFailedIndexes = p32(1) }),
			"spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified"},
		{"maxFailedIndexes at most completions", mkJob(indexed, completions(10), perIndex(1), func(j *Job) { j.Spec.MaxFailedIndexes = p32(11) }),
			"spec.maxFailedIndexes: Invalid value: 11: must be less than or equal to completions"},
		{"high completions need maxFailedIndexes", mkJob(indexed, completions(100_001), perIndex(1)),
			"spec.maxFailedIndexes: Required value: must be specified when completions is above 100000"},
		{"high completions limit parallelism", mkJob(indexed, completions(100_001), parallelism(50_000), perIndex(1), func(j *Job) { j.Spec.MaxFailedIndexes = p32(1) }),
			"spec.parallelism: Invalid value: 50000: must be less than or equal to 10000 when completions are above 100000 and used with backoff limit per index"},
		{"high completions limit maxFailedIndexes", mkJob(indexed, completions(100_001), perIndex(1), func(j *Job) { j.Spec.MaxFailedIndexes = p32(10_001) }),
			"spec.maxFailedIndexes: Invalid value: 10001: must be less than or equal to 10000 when completions are above 100000 and used with backoff limit per index"},
		{"FailIndex needs backoffLimitPerIndex", mkJob(pfp(PodFailurePolicyRule{Action: ActionFailIndex, OnPodConditions: []OnPodCondition{{Type: "X"}}})),
			`spec.podFailurePolicy.rules[0].action: Invalid value: "FailIndex": requires the backoffLimitPerIndex to be set`},
		{"unknown action", mkJob(pfp(PodFailurePolicyRule{Action: "Retry", OnPodConditions: []OnPodCondition{{Type: "X"}}})),
			`spec.podFailurePolicy.rules[0].action: Unsupported value: "Retry": supported values: "Count", "FailIndex", "FailJob", "Ignore"`},
		{"In 0 forbidden", mkJob(pfp(PodFailurePolicyRule{Action: ActionCount, OnExitCodes: &OnExitCodes{Operator: OpIn, Values: []int32{0, 1}}})),
			"spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator"},
		{"duplicate exit code", mkJob(pfp(PodFailurePolicyRule{Action: ActionCount, OnExitCodes: &OnExitCodes{Operator: OpNotIn, Values: []int32{1, 1}}})),
			"spec.podFailurePolicy.rules[0].onExitCodes.values[1]: Duplicate value: 1"},
		{"unknown container", mkJob(pfp(PodFailurePolicyRule{Action: ActionCount, OnExitCodes: &OnExitCodes{ContainerName: "nope", Operator: OpIn, Values: []int32{1}}})),
			`spec.podFailurePolicy.rules[0].onExitCodes.containerName: Invalid value: "nope": must be one of the container or initContainer names in the pod template`},
		{"rule with both exit codes and conditions prints no value", mkJob(pfp(PodFailurePolicyRule{Action: ActionCount,
			OnExitCodes: &OnExitCodes{Operator: OpIn, Values: []int32{1}}, OnPodConditions: []OnPodCondition{{Type: "X"}}})),
			"spec.podFailurePolicy.rules[0]: Invalid value: specifying both OnExitCodes and OnPodConditions is not supported"},
		{"rule with neither exit codes nor conditions prints no value", mkJob(pfp(PodFailurePolicyRule{Action: ActionCount})),
			"spec.podFailurePolicy.rules[0]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required"},
		{"too many rules", mkJob(pfp(make([]PodFailurePolicyRule, 21)...)), "spec.podFailurePolicy.rules: Too many: 21: must have at most 20 items"},
		{"replacement policy must be Failed", mkJob(pfp(), func(j *Job) { j.Spec.PodReplacementPolicy = TerminatingOrFailed }),
			`spec.podReplacementPolicy: Unsupported value: "TerminatingOrFailed": supported values: "Failed"`},
		{"Indexed only", mkJob(func(j *Job) {
			j.Spec.SuccessPolicy = &SuccessPolicy{Rules: []SuccessPolicyRule{{SucceededCount: p32(1)}}}
		}),
			`spec.successPolicy: Invalid value: {"Rules":[{"SucceededIndexes":null,"SucceededCount":1}]}: requires indexed completion mode`},
		{"count at most completions", mkJob(indexed, completions(3), func(j *Job) {
			j.Spec.SuccessPolicy = &SuccessPolicy{Rules: []SuccessPolicyRule{{SucceededCount: p32(4)}}}
		}), "spec.successPolicy.rules[0].succeededCount: Invalid value: 4: must be less than or equal to 3 (the number of specified completions)"},
		{"count at most listed indexes", mkJob(indexed, completions(5), func(j *Job) {
			j.Spec.SuccessPolicy = &SuccessPolicy{Rules: []SuccessPolicyRule{{SucceededIndexes: pstr("0,1"), SucceededCount: p32(3)}}}
		}), "spec.successPolicy.rules[0].succeededCount: Invalid value: 3: must be less than or equal to 2 (the number of indexes in the specified succeededIndexes field)"},
		{"a rule needs a field", mkJob(indexed, completions(5), func(j *Job) {
			j.Spec.SuccessPolicy = &SuccessPolicy{Rules: []SuccessPolicyRule{{}}}
		}), "spec.successPolicy.rules[0]: Required value: at least one of succeededCount or succeededIndexes must be specified"},
		{"strictly increasing indexes", mkJob(indexed, completions(5), func(j *Job) {
			j.Spec.SuccessPolicy = &SuccessPolicy{Rules: []SuccessPolicyRule{{SucceededIndexes: pstr("3-3")}}}
		}), `spec.successPolicy.rules[0].succeededIndexes: Invalid value: "3-3": error parsing succeededIndexes: non-increasing order, previous: 3, current: 3`},
		{"indexes below completions", mkJob(indexed, completions(5), func(j *Job) {
			j.Spec.SuccessPolicy = &SuccessPolicy{Rules: []SuccessPolicyRule{{SucceededIndexes: pstr("1,5")}}}
		}), `spec.successPolicy.rules[0].succeededIndexes: Invalid value: "1,5": error parsing succeededIndexes: too large index: "5"`},
		{"managedBy must be domain-prefixed", mkJob(func(j *Job) { j.Spec.ManagedBy = "controller" }),
			`spec.managedBy: Invalid value: "controller": must be a domain-prefixed path (such as "acme.io/foo")`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := Validate(c.job, Release{})
			if err == nil {
				t.Fatalf("no error, want %q", c.want)
			}
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("%v is not a *FieldError", err)
			}
			var all *FieldErrors
			if !errors.As(err, &all) {
				t.Fatalf("%v is not a *FieldErrors", err)
			}
			var found []string
			for _, e := range all.Unwrap() {
				found = append(found, e.Error())
			}
			if !slices.Contains(found, c.want) {
				t.Errorf("want %q among %q", c.want, found)
			}
			res, _ := JobProgress(c.job, Status{}, nil, at(0), Options{})
			var warned []string
			for _, e := range res.Warnings {
				warned = append(warned, e.Error())
			}
			if !slices.Equal(warned, found) {
				t.Errorf("JobProgress warns %q, Validate reports %q", warned, found)
			}
		})
	}
}

// Valid Jobs at the edges of the limits pass.
func TestValidationAccepts(t *testing.T) {
	for name, j := range map[string]Job{
		"defaults":                 mkJob(),
		"OnFailure":                mkJob(func(j *Job) { j.Spec.Template.RestartPolicy = RestartOnFailure }),
		"Indexed, completions 1":   mkJob(indexed),
		"parallelism 0":            mkJob(parallelism(0)),
		"Indexed 100000 parallel":  mkJob(indexed, completions(100_000), parallelism(100_000)),
		"BLPI high completions":    mkJob(indexed, completions(100_001), parallelism(10_000), perIndex(1), func(j *Job) { j.Spec.MaxFailedIndexes = p32(10_000) }),
		"managed by the built-in":  mkJob(func(j *Job) { j.Spec.ManagedBy = ControllerName }),
		"pod failure policy, full": mkJob(indexed, completions(3), perIndex(1), pfp(PodFailurePolicyRule{Action: ActionFailIndex, OnExitCodes: &OnExitCodes{ContainerName: "main", Operator: OpIn, Values: []int32{1, 2, 3}}})),
	} {
		if err := Validate(j, Release{}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestValidateIndexes(t *testing.T) {
	cases := []struct {
		s     string
		total int
		ok    bool
	}{
		{"", 0, true}, {"0", 1, true}, {"1,2", 2, true}, {"0-2,4,6-9", 8, true},
		{"2,1", 0, false}, {"1-1", 0, false}, {"1-2-3", 0, false}, {"a", 0, false}, {"10", 0, false}, {"0-10", 0, false}, {"1,", 0, false},
	}
	for _, c := range cases {
		n, err := validateIndexes(c.s, 10)
		if (err == nil) != c.ok || (c.ok && n != c.total) {
			t.Errorf("validateIndexes(%q) = %d, %v; want %d, ok=%v", c.s, n, err, c.total, c.ok)
		}
	}
}

// validateIndexesFormat returns 0 with its error, so validateSuccessPolicy
// also reports a positive succeededCount against an unparsable
// succeededIndexes (found by the update differential).
func TestValidateSuccessPolicyCountsUnparsableIndexesAsNone(t *testing.T) {
	j := mkJob(indexed, completions(2), func(j *Job) {
		j.Spec.SuccessPolicy = &SuccessPolicy{Rules: []SuccessPolicyRule{{SucceededIndexes: pstr("5"), SucceededCount: p32(1)}}}
	})
	err := Validate(j, Release{})
	want := []string{
		`spec.successPolicy.rules[0].succeededIndexes: Invalid value: "5": error parsing succeededIndexes: too large index: "5"`,
		"spec.successPolicy.rules[0].succeededCount: Invalid value: 1: must be less than or equal to 0 (the number of indexes in the specified succeededIndexes field)",
	}
	var all *FieldErrors
	if !errors.As(err, &all) {
		t.Fatalf("%v", err)
	}
	var got []string
	for _, e := range all.List {
		got = append(got, e.Error())
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// From 1.35 a pod-condition type is checked as a label key by
// apimachinery's content package: its name part is measured in bytes.
func TestValidateConditionTypeWordingByRelease(t *testing.T) {
	long := strings.Repeat("C", 64)
	j := mkJob(pfp(PodFailurePolicyRule{Action: ActionIgnore, OnPodConditions: []OnPodCondition{{Type: long}}}))
	for v, unit := range map[string]string{"1.34": "characters", "1.36": "bytes"} {
		err := Validate(j, Release{Version: v})
		want := "spec.podFailurePolicy.rules[0].onPodConditions[0].type: Invalid value: \"" + long + "\": name part must be no more than 63 " + unit
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v\nwant %s", v, err, want)
		}
	}
}
