package job

import (
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
