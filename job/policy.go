package job

import "fmt"

// matchPolicy finds the first podFailurePolicy rule that matches a failed
// pod. It returns the action ("" when none matched), whether the failure
// counts, and for FailJob the message Kubernetes writes. Rules with an
// action or operator this version does not know are skipped.
func matchPolicy(pfp *PodFailurePolicy, namespace string, p *Pod) (PodFailurePolicyAction, bool, string) {
	if pfp == nil {
		return "", true, ""
	}
	for i := range pfp.Rules {
		r := &pfp.Rules[i]
		switch r.Action {
		case ActionFailJob, ActionFailIndex, ActionIgnore, ActionCount:
		default:
			continue
		}
		var what string
		if r.OnExitCodes != nil {
			c := matchExitCodes(p, r.OnExitCodes)
			if c == nil {
				continue
			}
			if r.Action == ActionFailJob {
				what = fmt.Sprintf("Container %s for pod %s/%s failed with exit code %d matching %s rule at index %d",
					c.Name, namespace, p.Name, c.Terminated.ExitCode, r.Action, i)
			}
		} else if len(r.OnPodConditions) > 0 {
			t, ok := matchConditions(p, r.OnPodConditions)
			if !ok {
				continue
			}
			if r.Action == ActionFailJob {
				what = fmt.Sprintf("Pod %s/%s has condition %s matching %s rule at index %d",
					namespace, p.Name, t, r.Action, i)
			}
		} else {
			continue
		}
		return r.Action, r.Action != ActionIgnore, what
	}
	return "", true, ""
}

// matchExitCodes looks at the regular containers, then the init containers,
// for one that terminated with a non-zero code the requirement selects.
func matchExitCodes(p *Pod, req *OnExitCodes) *ContainerStatus {
	if c := matchExitCodesIn(p.ContainerStatuses, req); c != nil {
		return c
	}
	return matchExitCodesIn(p.InitContainerStatuses, req)
}

func matchExitCodesIn(cs []ContainerStatus, req *OnExitCodes) *ContainerStatus {
	for i := range cs {
		c := &cs[i]
		if c.Terminated == nil || c.Terminated.ExitCode == 0 {
			continue
		}
		if req.ContainerName != "" && req.ContainerName != c.Name {
			continue
		}
		in := false
		for _, v := range req.Values {
			if v == c.Terminated.ExitCode {
				in = true
				break
			}
		}
		switch req.Operator {
		case OpIn:
			if in {
				return c
			}
		case OpNotIn:
			if !in {
				return c
			}
		}
	}
	return nil
}

func matchConditions(p *Pod, patterns []OnPodCondition) (string, bool) {
	for _, pat := range patterns {
		want := pat.Status
		if want == "" {
			want = ConditionTrue
		}
		for i := range p.Conditions {
			if c := &p.Conditions[i]; c.Type == pat.Type && c.Status == want {
				return c.Type, true
			}
		}
	}
	return "", false
}
