package job

import (
	"reflect"
	"slices"

	"github.com/purectl/purectl/internal/field"
)

// TemplateMutability says which parts of a Job's pod template the API
// server lets an update change; everything else in the template is
// immutable.
type TemplateMutability struct {
	// SchedulingDirectives: the template's node affinity, nodeSelector,
	// tolerations and schedulingGates, and its labels and annotations.
	SchedulingDirectives bool
	// PodResources: the resources of each container and init container
	// (the same containers, by name and position).
	PodResources bool
}

// MutableTemplate says which pod template fields an update of job, whose
// stored status is status, may change at release rel, as the Job
// registry's update validation decides (validationOptionsForJob):
//
//   - before 1.35, and with MutableSchedulingDirectivesForSuspendedJobs
//     off, the scheduling directives of a suspended Job that never started
//     (no status.startTime);
//   - in 1.35 with the alpha gates on, the scheduling directives
//     (MutableSchedulingDirectivesForSuspendedJobs) and the resources
//     (MutablePodResourcesForSuspendedJobs) of a suspended Job whose
//     Suspended condition is True and that has no active pods;
//   - from 1.36, with those gates on by default, both of a suspended Job
//     without active pods that either never started or has the Suspended
//     condition True.
//
// A Job that is not suspended has an immutable template in every release.
// It errors only for an unusable release.
func MutableTemplate(job Job, status Status, rel Release) (TemplateMutability, error) {
	if err := field.CheckRelease(rel); err != nil {
		return TemplateMutability{}, err
	}
	suspended := job.Spec.Suspend
	notStarted := status.StartTime.IsZero()
	cond := false
	if c := findCondition(status.Conditions, ConditionSuspended); c != nil && c.Status == ConditionTrue {
		cond = true
	}
	idle := status.Active == 0
	var m TemplateMutability
	m.SchedulingDirectives = suspended && notStarted
	// 1.35 asks for the condition; 1.36 (shouldAllowMutablePodTemplate)
	// also accepts a Job that never started.
	allow := suspended && cond && idle
	if rel.AtLeast("1.36") {
		allow = suspended && (notStarted || cond) && idle
	}
	if rel.Enabled(MutablePodResourcesForSuspendedJobs) {
		// Only a suspended Job's resources may change at all.
		m.PodResources = allow
	}
	if rel.Enabled(MutableSchedulingDirectivesForSuspendedJobs) {
		m.SchedulingDirectives = allow
	}
	return m, nil
}

// ValidateUpdate checks an update of a stored Job, old, to job as the
// batch/v1 API server of release rel does (the Job registry's
// ValidateUpdate), after defaulting both, and returns the aggregate of
// every problem found (nil when valid): the create checks on the new Job
// (spec.managedBy included whatever JobManagedBy says, as only creation
// drops it), then the immutable fields: completions (an Indexed Job's may
// change together with parallelism), completionMode, podFailurePolicy,
// backoffLimitPerIndex, managedBy, successPolicy, and the pod template
// parts this package carries (restart policy, container names), which no
// release lets an update change (MutableTemplate lists what may change,
// none of which is carried here). A changed template is reported as the
// API server reports it, but without the template's value, which the API
// server prints whole.
func ValidateUpdate(old, job Job, rel Release) error {
	if err := field.CheckRelease(rel); err != nil {
		return err
	}
	s, o := defaults(job.Spec), defaults(old.Spec)
	// Only a create drops managedBy with JobManagedBy off; an update
	// validates it as with the gate on.
	onRel := Release{Version: rel.Version, FeatureGates: map[Gate]bool{}}
	for g, v := range rel.FeatureGates {
		if g != JobManagedBy {
			onRel.FeatureGates[g] = v
		}
	}
	errs := validate(job, s, onRel)
	sp := field.NewPath("spec")
	immutable := func(p *field.Path, value any, same bool) {
		if !same {
			errs = append(errs, field.Invalid(p, value, "field is immutable"))
		}
	}
	if s.CompletionMode != Indexed {
		immutable(sp.Child("completions"), s.Completions, ptrEqual(s.Completions, o.Completions))
	} else if !ptrEqual(s.Completions, o.Completions) && s.Completions != nil && *s.Completions != *s.Parallelism {
		errs = append(errs, field.Invalid(sp.Child("completions"), s.Completions, "can only be modified in tandem with spec.parallelism"))
	}
	t, ot := s.Template, o.Template
	immutable(sp.Child("template"), field.OmitValueType{}, t.RestartPolicy == ot.RestartPolicy &&
		slices.Equal(t.Containers, ot.Containers) && slices.Equal(t.InitContainers, ot.InitContainers))
	immutable(sp.Child("completionMode"), string(s.CompletionMode), s.CompletionMode == o.CompletionMode)
	immutable(sp.Child("podFailurePolicy"), podFailurePolicyValue(s.PodFailurePolicy),
		reflect.DeepEqual(podFailurePolicyJSON(s.PodFailurePolicy), podFailurePolicyJSON(o.PodFailurePolicy)))
	immutable(sp.Child("backoffLimitPerIndex"), s.BackoffLimitPerIndex, ptrEqual(s.BackoffLimitPerIndex, o.BackoffLimitPerIndex))
	var managedBy any
	if s.ManagedBy != "" {
		managedBy = s.ManagedBy
	}
	immutable(sp.Child("managedBy"), managedBy, s.ManagedBy == o.ManagedBy)
	immutable(sp.Child("successPolicy"), successPolicyValue(s.SuccessPolicy),
		reflect.DeepEqual(successPolicyValue(s.SuccessPolicy), successPolicyValue(o.SuccessPolicy)))
	return errs.ToAggregate()
}

func ptrEqual[T comparable](a, b *T) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

// podFailurePolicyJSON is a podFailurePolicy as the API server's internal
// type marshals it (Go field names; an empty list and no list alike, as
// its semantic equality has them).
func podFailurePolicyJSON(p *PodFailurePolicy) any {
	if p == nil {
		return nil
	}
	type exit struct {
		ContainerName *string
		Operator      ExitCodesOperator
		Values        []int32
	}
	type cond struct {
		Type   string
		Status ConditionStatus
	}
	type rule struct {
		Action          PodFailurePolicyAction
		OnExitCodes     *exit
		OnPodConditions []cond
	}
	var out struct{ Rules []rule }
	for _, r := range p.Rules {
		x := rule{Action: r.Action}
		if e := r.OnExitCodes; e != nil {
			x.OnExitCodes = &exit{Operator: e.Operator, Values: e.Values}
			if e.ContainerName != "" {
				x.OnExitCodes.ContainerName = &e.ContainerName
			}
			if len(e.Values) == 0 {
				x.OnExitCodes.Values = nil
			}
		}
		for _, c := range r.OnPodConditions {
			x.OnPodConditions = append(x.OnPodConditions, cond(c))
		}
		out.Rules = append(out.Rules, x)
	}
	return out
}

func podFailurePolicyValue(p *PodFailurePolicy) any {
	if p == nil {
		return nil
	}
	return jsonValue{podFailurePolicyJSON(p)}
}

func successPolicyValue(p *SuccessPolicy) any {
	if p == nil {
		return nil
	}
	return jsonValue{successPolicyJSON(p)}
}
