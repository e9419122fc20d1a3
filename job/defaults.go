package job

// Default returns the Job with the batch/v1 defaults the API server applies
// (SetObjectDefaults_Job): completions and parallelism 1 when both are
// unset, else parallelism 1; backoffLimit 6, or MaxInt32 when only
// backoffLimitPerIndex is set; completionMode NonIndexed;
// podReplacementPolicy Failed with a podFailurePolicy, else
// TerminatingOrFailed; status True on podFailurePolicy condition patterns
// that leave it empty; and, from the pod template defaults, restartPolicy
// Always when it is empty (which validation then rejects). With JobManagedBy
// off (possible on 1.34 only) it also drops spec.managedBy, as the API
// server's create strategy does. The defaults are the same in every
// supported release; Default does not check rel (an unsupported one
// answers as the newest; Validate and JobProgress report it). The input
// is not modified.
func Default(j Job, rel Release) Job {
	j.Spec = defaults(j.Spec)
	if !rel.Enabled(JobManagedBy) {
		j.Spec.ManagedBy = ""
	}
	if j.Spec.Template.RestartPolicy == "" {
		j.Spec.Template.RestartPolicy = RestartAlways
	}
	if pfp := j.Spec.PodFailurePolicy; pfp != nil && pfp.Rules != nil {
		rules := make([]PodFailurePolicyRule, len(pfp.Rules))
		for i, r := range pfp.Rules {
			if len(r.OnPodConditions) > 0 {
				conds := make([]OnPodCondition, len(r.OnPodConditions))
				for k, c := range r.OnPodConditions {
					if c.Status == "" {
						c.Status = ConditionTrue
					}
					conds[k] = c
				}
				r.OnPodConditions = conds
			}
			rules[i] = r
		}
		j.Spec.PodFailurePolicy = &PodFailurePolicy{Rules: rules}
	}
	return j
}
