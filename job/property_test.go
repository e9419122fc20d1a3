package job

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// genJob draws a valid Job of small size with any mix of the features.
func genJob(t *rapid.T) Job {
	j := mkJob()
	if rapid.Bool().Draw(t, "indexed") {
		j.Spec.CompletionMode = Indexed
		j.Spec.Completions = p32(rapid.Int32Range(0, 8).Draw(t, "completions"))
		if rapid.Bool().Draw(t, "blpi") {
			j.Spec.BackoffLimitPerIndex = p32(rapid.Int32Range(0, 2).Draw(t, "blpi-limit"))
			if rapid.Bool().Draw(t, "maxFailed") {
				j.Spec.MaxFailedIndexes = p32(rapid.Int32Range(0, *j.Spec.Completions).Draw(t, "max-failed"))
			}
		}
		if rapid.Bool().Draw(t, "successPolicy") && *j.Spec.Completions > 0 {
			c := *j.Spec.Completions
			j.Spec.SuccessPolicy = &SuccessPolicy{Rules: []SuccessPolicyRule{{SucceededCount: p32(rapid.Int32Range(0, c).Draw(t, "sp-count"))}}}
		}
	} else if rapid.Bool().Draw(t, "has-completions") {
		j.Spec.Completions = p32(rapid.Int32Range(0, 8).Draw(t, "completions"))
	}
	j.Spec.Parallelism = p32(rapid.Int32Range(0, 4).Draw(t, "parallelism"))
	if rapid.Bool().Draw(t, "has-backoff") {
		j.Spec.BackoffLimit = p32(rapid.Int32Range(0, 4).Draw(t, "backoff"))
	}
	if rapid.Bool().Draw(t, "has-deadline") {
		j.Spec.ActiveDeadlineSeconds = p64(rapid.Int64Range(0, 600).Draw(t, "deadline"))
	}
	if rapid.Bool().Draw(t, "pfp") {
		rules := []PodFailurePolicyRule{
			{Action: ActionIgnore, OnPodConditions: []OnPodCondition{{Type: PodDisruptionTarget}}},
			{Action: ActionFailJob, OnExitCodes: &OnExitCodes{ContainerName: "main", Operator: OpIn, Values: []int32{42}}},
			{Action: ActionCount, OnExitCodes: &OnExitCodes{Operator: OpNotIn, Values: []int32{0}}},
		}
		if j.Spec.BackoffLimitPerIndex != nil {
			rules = append(rules, PodFailurePolicyRule{Action: ActionFailIndex, OnExitCodes: &OnExitCodes{Operator: OpIn, Values: []int32{2}}})
			rules[2], rules[3] = rules[3], rules[2]
		}
		j.Spec.PodFailurePolicy = &PodFailurePolicy{Rules: rules}
	} else if rapid.Bool().Draw(t, "onlyFailed") {
		j.Spec.PodReplacementPolicy = Failed
	}
	if j.Spec.PodFailurePolicy == nil && rapid.Bool().Draw(t, "onFailure") {
		j.Spec.Template.RestartPolicy = RestartOnFailure
	}
	j.Spec.Suspend = rapid.Float64Range(0, 1).Draw(t, "suspend") < 0.15
	return j
}

// genPods draws pods with unique names in any state.
func genPods(t *rapid.T) []Pod {
	n := rapid.IntRange(0, 12).Draw(t, "pods")
	pods := make([]Pod, n)
	for i := range pods {
		p := Pod{Name: fmt.Sprintf("p%02d", i), UID: fmt.Sprintf("u%02d", i),
			Phase:             rapid.SampledFrom([]PodPhase{PodPending, PodRunning, PodSucceeded, PodFailed, PodUnknown}).Draw(t, "phase"),
			CreationTimestamp: at(rapid.IntRange(0, 50).Draw(t, "created")),
			NodeName:          rapid.SampledFrom([]string{"", "n1"}).Draw(t, "node"),
		}
		if rapid.Float64Range(0, 1).Draw(t, "tracked") < 0.8 {
			p.Finalizers = []string{TrackingFinalizer}
		}
		if ix := rapid.IntRange(-2, 9).Draw(t, "index"); ix >= -1 {
			p.Annotations = map[string]string{AnnotationCompletionIndex: fmt.Sprint(ix)}
			if fc := rapid.IntRange(-1, 3).Draw(t, "failcount"); fc >= 0 {
				p.Annotations[AnnotationIndexFailureCount] = fmt.Sprint(fc)
			}
		}
		if rapid.Float64Range(0, 1).Draw(t, "deleted") < 0.2 {
			p.DeletionTimestamp = at(rapid.IntRange(0, 80).Draw(t, "deleted-at"))
		}
		if rapid.Bool().Draw(t, "ready") {
			p.Conditions = append(p.Conditions, PodCondition{Type: PodReady, Status: ConditionTrue, LastTransitionTime: at(rapid.IntRange(0, 50).Draw(t, "ready-at"))})
		}
		if rapid.Float64Range(0, 1).Draw(t, "disrupted") < 0.2 {
			p.Conditions = append(p.Conditions, PodCondition{Type: PodDisruptionTarget, Status: ConditionTrue})
		}
		if p.Phase == PodFailed || p.Phase == PodSucceeded {
			code := int32(0)
			if p.Phase == PodFailed {
				code = rapid.SampledFrom([]int32{0, 1, 2, 42}).Draw(t, "code")
			}
			p.ContainerStatuses = []ContainerStatus{{Name: "main", Terminated: &ContainerTerminated{ExitCode: code, FinishedAt: at(rapid.IntRange(0, 90).Draw(t, "finished"))}}}
		} else {
			p.ContainerStatuses = []ContainerStatus{{Name: "main", RestartCount: rapid.Int32Range(0, 2).Draw(t, "restarts")}}
		}
		pods[i] = p
	}
	return pods
}

func genStatus(t *rapid.T) Status {
	st := Status{Succeeded: rapid.Int32Range(0, 3).Draw(t, "st-succeeded"), Failed: rapid.Int32Range(0, 3).Draw(t, "st-failed")}
	if rapid.Bool().Draw(t, "started") {
		st.StartTime = at(rapid.IntRange(0, 60).Draw(t, "start"))
	}
	st.CompletedIndexes = rapid.SampledFrom([]string{"", "0", "1,2", "0-3", "5-9", "x,1"}).Draw(t, "completed")
	if rapid.Bool().Draw(t, "suspended-before") {
		st.Conditions = append(st.Conditions, Condition{Type: ConditionSuspended, Status: ConditionTrue, Reason: ReasonJobSuspended, Message: "Job suspended"})
	}
	if rapid.Float64Range(0, 1).Draw(t, "has-backoff-record") < 0.3 {
		st.Backoff = BackoffRecord{FailuresAfterLastSuccess: rapid.Int32Range(0, 5).Draw(t, "bo-n"), LastFailureTime: at(rapid.IntRange(0, 90).Draw(t, "bo-t"))}
	}
	return st
}

func clonePods(ps []Pod) []Pod {
	out := make([]Pod, len(ps))
	for i, p := range ps {
		q := p
		if p.Annotations != nil {
			q.Annotations = map[string]string{}
			for k, v := range p.Annotations {
				q.Annotations[k] = v
			}
		}
		q.Finalizers = slices.Clone(p.Finalizers)
		q.Conditions = slices.Clone(p.Conditions)
		q.ContainerStatuses = slices.Clone(p.ContainerStatuses)
		for k := range q.ContainerStatuses {
			if c := q.ContainerStatuses[k].Terminated; c != nil {
				cc := *c
				q.ContainerStatuses[k].Terminated = &cc
			}
		}
		q.InitContainerStatuses = slices.Clone(p.InitContainerStatuses)
		out[i] = q
	}
	return out
}

// Contract 2 and 3: inputs are not modified, and the order of pods does not
// change the result.
func TestPropertyPureAndOrderIndependent(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		j := genJob(t)
		st := genStatus(t)
		pods := genPods(t)
		now := at(rapid.IntRange(0, 700).Draw(t, "now"))
		rel := genRelease(t)
		j.WritesUnobserved = rapid.IntRange(0, 9).Draw(t, "unobserved") == 0
		podsCopy, stCopy := clonePods(pods), cloneStatus(st)
		res, err := JobProgress(j, st, pods, now, Options{Release: rel})
		if err != nil {
			t.Fatalf("generated job is invalid: %v", err)
		}
		if d := cmp.Diff(podsCopy, pods); d != "" {
			t.Fatalf("pods modified:\n%s", d)
		}
		if d := cmp.Diff(stCopy, st); d != "" {
			t.Fatalf("status modified:\n%s", d)
		}
		shuffled := rapid.Permutation(pods).Draw(t, "shuffled")
		again, err := JobProgress(j, st, shuffled, now, Options{Release: rel})
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(res, again); d != "" {
			t.Fatalf("result depends on pod order:\n%s", d)
		}
		// Every action carries a reason and a message (contract 6).
		for _, c := range res.Create {
			if c.Reason == "" || c.Message == "" {
				t.Fatalf("creation without reason: %+v", c)
			}
		}
		for _, d := range res.Delete {
			if d.Reason == "" || d.Message == "" {
				t.Fatalf("deletion without reason: %+v", d)
			}
		}
		for _, f := range res.RemoveFinalizers {
			if f.Reason == "" || f.Message == "" {
				t.Fatalf("finalizer removal without reason: %+v", f)
			}
		}
		if len(res.Create) > 0 && len(res.Delete) > 0 {
			t.Fatalf("created and deleted in one pass")
		}
		if !res.RequeueAt.IsZero() && res.RequeueAt.Before(now) {
			t.Fatalf("RequeueAt %v is before now %v", res.RequeueAt, now)
		}
	})
}

// Contract 4: any input, however odd, gives a result or an error.
func TestPropertyNeverPanics(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		j := Job{Name: rapid.SampledFrom([]string{"", "j", "Bad_Name"}).Draw(t, "name"), Spec: Spec{
			Parallelism:           ptrOrNil(t, "par", math.MinInt32, math.MaxInt32),
			Completions:           ptrOrNil(t, "comp", math.MinInt32, math.MaxInt32),
			BackoffLimit:          ptrOrNil(t, "bl", math.MinInt32, math.MaxInt32),
			BackoffLimitPerIndex:  ptrOrNil(t, "blpi", -1, math.MaxInt32),
			MaxFailedIndexes:      ptrOrNil(t, "mfi", -1, math.MaxInt32),
			CompletionMode:        rapid.SampledFrom([]CompletionMode{"", NonIndexed, Indexed, "x"}).Draw(t, "mode"),
			Suspend:               rapid.Bool().Draw(t, "suspend"),
			PodReplacementPolicy:  rapid.SampledFrom([]PodReplacementPolicy{"", Failed, TerminatingOrFailed, "x"}).Draw(t, "prp"),
			Template:              PodTemplate{RestartPolicy: rapid.SampledFrom([]RestartPolicy{"", RestartNever, RestartOnFailure, RestartAlways}).Draw(t, "rp")},
			ActiveDeadlineSeconds: p64(rapid.Int64().Draw(t, "ads")),
		}}
		st := genStatus(t)
		st.Active = rapid.Int32().Draw(t, "active")
		fi := rapid.SampledFrom([]string{"", "0-", "-1", "99999999999999999999", "3-1,0"}).Draw(t, "failedIdx")
		st.FailedIndexes = &fi
		j.WritesUnobserved = rapid.Bool().Draw(t, "unobserved")
		_, _ = JobProgress(j, st, genPods(t), time.Unix(rapid.Int64Range(-1<<40, 1<<40).Draw(t, "now"), 0), Options{Release: genRelease(t)})
	})
}

func ptrOrNil(t *rapid.T, label string, lo, hi int32) *int32 {
	if rapid.Bool().Draw(t, label+"-set") {
		return p32(rapid.Int32Range(lo, hi).Draw(t, label))
	}
	return nil
}

// cluster is a tiny in-memory cluster that applies each pass's result.
type cluster struct {
	rel    Release
	job    Job
	status Status
	pods   []Pod
	now    time.Time
	nextID int
	done   []Condition // conditions when the Job finished
}

func (c *cluster) pass(t *rapid.T) Result {
	res, err := JobProgress(c.job, c.status, c.pods, c.now, Options{Release: c.rel})
	if err != nil {
		t.Fatalf("pass failed: %v", err)
	}
	c.check(t, res)
	for _, d := range res.Delete {
		for i := range c.pods {
			if c.pods[i].UID == d.UID {
				c.pods[i].DeletionTimestamp = c.now
				if d.RemoveFinalizer {
					c.pods[i].Finalizers = nil
				}
			}
		}
	}
	for _, f := range res.RemoveFinalizers {
		for i := range c.pods {
			if c.pods[i].UID == f.UID {
				c.pods[i].Finalizers = nil
			}
		}
	}
	for _, cr := range res.Create {
		c.nextID++
		ann := map[string]string{}
		for k, v := range cr.Annotations {
			ann[k] = v
		}
		c.pods = append(c.pods, Pod{Name: fmt.Sprintf("%s%d", cr.GenerateName, c.nextID), UID: fmt.Sprint("uid", c.nextID),
			Annotations: ann, Finalizers: []string{TrackingFinalizer}, CreationTimestamp: c.now, Phase: PodPending,
			ContainerStatuses: []ContainerStatus{{Name: "main"}}})
	}
	c.status = res.Status
	return res
}

// check holds the invariants over whole trajectories.
func (c *cluster) check(t *rapid.T, res Result) {
	st := res.Status
	par := int32(1)
	if c.job.Spec.Parallelism != nil {
		par = *c.job.Spec.Parallelism
	}
	if c.job.Spec.Completions == nil && st.Succeeded > 0 {
		// A work-queue Job that saw a success starts nothing more and
		// leaves running pods alone, even above a lowered parallelism.
		if len(res.Create) > 0 {
			t.Fatalf("work queue with %d successes created pods", st.Succeeded)
		}
	} else if st.Active > par {
		t.Fatalf("active %d above parallelism %d", st.Active, par)
	}
	if comp := c.job.Spec.Completions; comp != nil && st.Succeeded > *comp {
		t.Fatalf("succeeded %d above completions %d", st.Succeeded, *comp)
	}
	if st.Active < 0 || st.Ready < 0 || st.Terminating < 0 || st.Ready > st.Active {
		t.Fatalf("bad counters %+v", st)
	}
	complete := findCondition(st.Conditions, ConditionComplete)
	failed := findCondition(st.Conditions, ConditionFailed)
	if complete != nil && failed != nil && complete.Status == ConditionTrue && failed.Status == ConditionTrue {
		t.Fatalf("both Complete and Failed")
	}
	if c.done != nil {
		if len(res.Create)+len(res.Delete)+len(res.RemoveFinalizers) > 0 {
			t.Fatalf("a finished Job acted: %+v", res)
		}
		if d := cmp.Diff(c.done, st.Conditions); d != "" {
			t.Fatalf("a finished Job changed its conditions:\n%s", d)
		}
	} else if finishedCondition(st.Conditions) != nil {
		c.done = slices.Clone(st.Conditions)
		if complete != nil && st.CompletionTime.IsZero() {
			t.Fatalf("Complete without completionTime")
		}
		// The interim condition comes strictly before the final one.
		interim := ConditionFailureTarget
		if complete != nil {
			interim = ConditionSuccessCriteriaMet
		}
		if findCondition(st.Conditions, interim) == nil {
			t.Fatalf("final condition without %s: %v", interim, condSummary(st.Conditions))
		}
	}
}

func (c *cluster) pick(t *rapid.T, label string, ok func(*Pod) bool) *Pod {
	var cand []int
	for i := range c.pods {
		if ok(&c.pods[i]) {
			cand = append(cand, i)
		}
	}
	if len(cand) == 0 {
		t.Skip("no pod to act on")
	}
	return &c.pods[cand[rapid.IntRange(0, len(cand)-1).Draw(t, label)]]
}

func isActive(p *Pod) bool { return !terminal(p.Phase) && p.DeletionTimestamp.IsZero() }

func (c *cluster) finish(p *Pod, phase PodPhase, code int32) {
	p.Phase = phase
	p.ContainerStatuses = []ContainerStatus{{Name: "main", Terminated: &ContainerTerminated{ExitCode: code, FinishedAt: c.now}}}
}

// terminate moves a pod being deleted along: it fails, or once it carries
// no finalizer, disappears.
func (c *cluster) terminate(i int) {
	p := &c.pods[i]
	if len(p.Finalizers) == 0 {
		c.pods = slices.Delete(c.pods, i, i+1)
		return
	}
	if !terminal(p.Phase) {
		c.finish(p, PodFailed, 137)
	}
}

func (c *cluster) runnable() bool {
	s := c.job.Spec
	return !s.Suspend && (s.Parallelism == nil || *s.Parallelism > 0)
}

// The Job state machine: pods start, succeed, fail with exit codes and get
// disrupted; time passes; the controller's result is applied after every
// pass. At the end everything that runs succeeds and the Job must finish.
func TestStateMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		j := genJob(t)
		j.Spec.Suspend = false
		if j.Spec.Template.RestartPolicy == RestartOnFailure {
			j.Spec.Template.RestartPolicy = RestartNever
		}
		c := &cluster{rel: genRelease(t), job: j, now: base}
		disruptions := 0
		t.Repeat(map[string]func(*rapid.T){
			"passNow": func(t *rapid.T) { c.pass(t) },
			"scale": func(t *rapid.T) {
				c.job.Spec.Parallelism = p32(rapid.Int32Range(0, 4).Draw(t, "new-parallelism"))
			},
			"suspendOrResume": func(t *rapid.T) { c.job.Spec.Suspend = !c.job.Spec.Suspend },
			"pass": func(t *rapid.T) {
				c.now = c.now.Add(time.Duration(rapid.IntRange(0, 40).Draw(t, "tick")) * time.Second)
				c.pass(t)
			},
			"start": func(t *rapid.T) {
				p := c.pick(t, "start", func(p *Pod) bool { return isActive(p) && p.Phase == PodPending })
				p.Phase, p.NodeName = PodRunning, "node"
			},
			"succeed": func(t *rapid.T) {
				c.finish(c.pick(t, "succeed", isActive), PodSucceeded, 0)
			},
			"fail": func(t *rapid.T) {
				c.finish(c.pick(t, "fail", isActive), PodFailed, rapid.SampledFrom([]int32{1, 2, 42}).Draw(t, "code"))
			},
			"disrupt": func(t *rapid.T) {
				if disruptions >= 3 {
					t.Skip("enough disruptions")
				}
				disruptions++
				p := c.pick(t, "disrupt", isActive)
				p.Conditions = append(p.Conditions, PodCondition{Type: PodDisruptionTarget, Status: ConditionTrue})
				p.DeletionTimestamp = c.now
			},
			"terminate": func(t *rapid.T) {
				var cand []int
				for i := range c.pods {
					if !c.pods[i].DeletionTimestamp.IsZero() {
						cand = append(cand, i)
					}
				}
				if len(cand) == 0 {
					t.Skip("nothing terminating")
				}
				c.terminate(cand[rapid.IntRange(0, len(cand)-1).Draw(t, "terminate")])
			},
			"gc": func(t *rapid.T) {
				c.pods = slices.DeleteFunc(c.pods, func(p Pod) bool { return terminal(p.Phase) && len(p.Finalizers) == 0 })
			},
		})
		c.job.Spec.Suspend = false
		if !c.runnable() {
			return
		}
		// Drain: everything running succeeds, terminating pods go away,
		// time jumps to the next wake-up. The Job must finish.
		for step := 0; step < 300 && c.done == nil; step++ {
			res := c.pass(t)
			for i := len(c.pods) - 1; i >= 0; i-- {
				p := &c.pods[i]
				switch {
				case !p.DeletionTimestamp.IsZero():
					c.terminate(i)
				case isActive(p):
					c.finish(p, PodSucceeded, 0)
				}
			}
			if !res.RequeueAt.IsZero() && res.RequeueAt.After(c.now) {
				c.now = res.RequeueAt
			} else {
				c.now = c.now.Add(time.Second)
			}
		}
		if c.done == nil {
			t.Fatalf("the Job did not finish: status %+v, %d pods", c.status, len(c.pods))
		}
	})
}

// jobGates are the gates that change what this package does.
var jobGates = []Gate{JobManagedBy, StaleControllerConsistencyJob, MutableSchedulingDirectivesForSuspendedJobs,
	MutablePodResourcesForSuspendedJobs}

// genRelease draws a supported release and, for each of jobGates the
// release lets its command line set, maybe an override.
func genRelease(t *rapid.T) Release {
	rel := Release{Version: rapid.SampledFrom([]string{"1.34", "1.35", "1.36", "1.37"}).Draw(t, "release")}
	for _, info := range rel.Gates() {
		if info.Locked || !slices.Contains(jobGates, info.Gate) || !rapid.Bool().Draw(t, "override "+string(info.Gate)) {
			continue
		}
		if rel.FeatureGates == nil {
			rel.FeatureGates = map[Gate]bool{}
		}
		rel.FeatureGates[info.Gate] = rapid.Bool().Draw(t, string(info.Gate))
	}
	return rel
}
