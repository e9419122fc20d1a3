package job

import "github.com/purectl/purectl/internal/field"

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
