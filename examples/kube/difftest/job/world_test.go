package jobdiff

import (
	"fmt"
	"maps"
	"slices"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	batchdefaults "k8s.io/kubernetes/pkg/apis/batch/v1"
	"k8s.io/utils/ptr"
	"pgregory.net/rapid"

	"github.com/purectl/purectl/job"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// world is the in-memory cluster a trajectory runs in.
type world struct {
	job  *batchv1.Job
	pods map[string]*v1.Pod
	now  time.Time
	seq  int
	// backoff is purectl's explicit back-off record; store is the real
	// controller's in-memory one, carried from pass to pass.
	backoff job.BackoffRecord
	store   any
	// pending asks the next pass to run with unobserved creations (the
	// controller's expectations not satisfied).
	pending bool
}

func (w *world) podList() []*v1.Pod {
	out := make([]*v1.Pod, 0, len(w.pods))
	for _, k := range slices.Sorted(maps.Keys(w.pods)) {
		out = append(out, w.pods[k])
	}
	return out
}

// The pod failure policy rules a random Job picks from.
var pfpRules = []batchv1.PodFailurePolicyRule{
	{Action: batchv1.PodFailurePolicyActionFailJob, OnExitCodes: &batchv1.PodFailurePolicyOnExitCodesRequirement{
		ContainerName: ptr.To("main"), Operator: batchv1.PodFailurePolicyOnExitCodesOpIn, Values: []int32{42}}},
	{Action: batchv1.PodFailurePolicyActionIgnore, OnPodConditions: []batchv1.PodFailurePolicyOnPodConditionsPattern{
		{Type: v1.DisruptionTarget, Status: v1.ConditionTrue}}},
	{Action: batchv1.PodFailurePolicyActionIgnore, OnExitCodes: &batchv1.PodFailurePolicyOnExitCodesRequirement{
		Operator: batchv1.PodFailurePolicyOnExitCodesOpIn, Values: []int32{2, 3}}},
	{Action: batchv1.PodFailurePolicyActionCount, OnExitCodes: &batchv1.PodFailurePolicyOnExitCodesRequirement{
		Operator: batchv1.PodFailurePolicyOnExitCodesOpNotIn, Values: []int32{1, 42}}},
	{Action: batchv1.PodFailurePolicyActionFailJob, OnPodConditions: []batchv1.PodFailurePolicyOnPodConditionsPattern{
		{Type: v1.DisruptionTarget, Status: v1.ConditionTrue}}},
	{Action: batchv1.PodFailurePolicyActionFailIndex, OnExitCodes: &batchv1.PodFailurePolicyOnExitCodesRequirement{
		Operator: batchv1.PodFailurePolicyOnExitCodesOpIn, Values: []int32{3, 137}}},
}

var exitCodes = []int32{1, 2, 3, 42, 137}

func optInt32(t *rapid.T, label string, lo, hi int32) *int32 {
	if rapid.Bool().Draw(t, label+"Set") {
		return ptr.To(rapid.Int32Range(lo, hi).Draw(t, label))
	}
	return nil
}

// genJob draws a Job as stored: mostly one the API server accepts, and
// now and then one its validation rejects but the controller still acts on
// (stored before validation tightened, or written around it).
func genJob(t *rapid.T) *batchv1.Job {
	j := genRawJob(t)
	if rapid.IntRange(0, 4).Draw(t, "invalid") == 0 {
		invalidate(t, j, false)
	}
	batchdefaults.SetObjectDefaults_Job(j)
	return j
}

// invalidate breaks one rule of the batch/v1 validation. refusals adds the
// two the controller cannot act on at all.
func invalidate(t *rapid.T, j *batchv1.Job, refusals bool) {
	s := &j.Spec
	indexed := s.CompletionMode != nil && *s.CompletionMode == batchv1.IndexedCompletion
	n := 17
	if refusals {
		n = 19
	}
	switch rapid.IntRange(0, n).Draw(t, "breaks") {
	case 0:
		s.Parallelism = ptr.To(int32(-1))
		if s.Completions == nil {
			s.Completions = ptr.To(int32(2))
		}
	case 1:
		s.Completions = ptr.To(int32(-2))
		s.CompletionMode, s.SuccessPolicy, s.BackoffLimitPerIndex, s.MaxFailedIndexes = nil, nil, nil, nil
	case 2:
		s.BackoffLimit = ptr.To(int32(-1))
	case 3:
		s.ActiveDeadlineSeconds = ptr.To(int64(-5))
	case 4:
		s.TTLSecondsAfterFinished = ptr.To(int32(-1))
	case 5:
		s.PodFailurePolicy = nil
		s.Template.Spec.RestartPolicy = v1.RestartPolicyAlways
	case 6:
		if s.PodFailurePolicy == nil {
			s.PodFailurePolicy = &batchv1.PodFailurePolicy{}
		}
		s.Template.Spec.RestartPolicy = v1.RestartPolicyOnFailure
	case 7:
		s.CompletionMode, s.SuccessPolicy, s.MaxFailedIndexes = nil, nil, nil
		s.BackoffLimitPerIndex = ptr.To(int32(1))
	case 8:
		if indexed {
			s.BackoffLimitPerIndex = nil
			s.MaxFailedIndexes = ptr.To(int32(1))
		} else {
			s.MaxFailedIndexes = ptr.To(int32(0))
		}
	case 9:
		s.CompletionMode, s.BackoffLimitPerIndex, s.MaxFailedIndexes = nil, nil, nil
		s.SuccessPolicy = &batchv1.SuccessPolicy{Rules: []batchv1.SuccessPolicyRule{{SucceededCount: ptr.To(int32(1))}}}
	case 10:
		if indexed {
			s.SuccessPolicy = &batchv1.SuccessPolicy{Rules: []batchv1.SuccessPolicyRule{{SucceededCount: ptr.To(*s.Completions + 1)}}}
		} else {
			s.SuccessPolicy = &batchv1.SuccessPolicy{}
		}
	case 11, 12, 13, 14:
		s.Template.Spec.RestartPolicy = v1.RestartPolicyNever
		s.PodReplacementPolicy = nil
		rule := batchv1.PodFailurePolicyRule{Action: batchv1.PodFailurePolicyActionFailIndex, OnExitCodes: &batchv1.PodFailurePolicyOnExitCodesRequirement{
			Operator: batchv1.PodFailurePolicyOnExitCodesOpIn, Values: []int32{1}}}
		switch rapid.IntRange(0, 3).Draw(t, "badRule") {
		case 0: // FailIndex without backoffLimitPerIndex
			s.BackoffLimitPerIndex, s.MaxFailedIndexes = nil, nil
		case 1:
			rule.Action = batchv1.PodFailurePolicyActionIgnore
			rule.OnExitCodes.Values = []int32{0, 1}
		case 2:
			rule.Action = batchv1.PodFailurePolicyActionFailJob
			rule.OnExitCodes.Values = []int32{42, 1}
		case 3:
			rule.Action = batchv1.PodFailurePolicyActionCount
			rule.OnExitCodes.ContainerName = ptr.To("nope")
		}
		if s.PodFailurePolicy == nil {
			s.PodFailurePolicy = &batchv1.PodFailurePolicy{}
		}
		s.PodFailurePolicy.Rules = append([]batchv1.PodFailurePolicyRule{rule}, s.PodFailurePolicy.Rules...)
	case 15:
		if s.PodFailurePolicy == nil {
			s.PodFailurePolicy = &batchv1.PodFailurePolicy{}
			s.Template.Spec.RestartPolicy = v1.RestartPolicyNever
		}
		s.PodReplacementPolicy = ptr.To(batchv1.TerminatingOrFailed)
	case 16:
		s.ManagedBy = ptr.To("controller")
	case 17:
		s.CompletionMode = ptr.To(batchv1.CompletionMode("Random"))
		s.SuccessPolicy = nil
	case 18: // refused: Indexed without completions
		s.CompletionMode = ptr.To(batchv1.IndexedCompletion)
		s.Completions = nil
		s.Parallelism = ptr.To(int32(1))
		s.SuccessPolicy = nil // ValidateJob itself would dereference completions
	case 19: // refused: negative parallelism without completions
		s.Completions = nil
		s.Parallelism = ptr.To(int32(-1))
		s.CompletionMode, s.SuccessPolicy, s.BackoffLimitPerIndex, s.MaxFailedIndexes = nil, nil, nil, nil
	}
}

// genRawJob draws a valid Job as a user writes it, before defaulting.
func genRawJob(t *rapid.T) *batchv1.Job {
	name := rapid.SampledFrom([]string{"pi", "batch", "a-rather-long-job-name-that-is-close-to-the-limit-of-names"}).Draw(t, "name")
	uid := types.UID("job-uid-1")
	sel := map[string]string{batchv1.ControllerUidLabel: string(uid)}
	j := &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "ns", UID: uid, Generation: 1, CreationTimestamp: metav1.NewTime(t0)},
		Spec: batchv1.JobSpec{
			Selector: &metav1.LabelSelector{MatchLabels: sel},
			Template: v1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{batchv1.ControllerUidLabel: string(uid), batchv1.JobNameLabel: name,
					"controller-uid": string(uid), "job-name": name}},
				Spec: v1.PodSpec{
					Containers:    []v1.Container{{Name: "main", Image: "busybox"}},
					RestartPolicy: v1.RestartPolicyNever,
				},
			},
		},
	}
	s := &j.Spec
	if rapid.Bool().Draw(t, "sidecar") {
		s.Template.Spec.InitContainers = []v1.Container{{Name: "init", Image: "busybox", RestartPolicy: ptr.To(v1.ContainerRestartPolicyAlways)}}
	}
	indexed := len(name) < 40 && rapid.Bool().Draw(t, "indexed")
	if indexed {
		s.CompletionMode = ptr.To(batchv1.IndexedCompletion)
		s.Completions = ptr.To(rapid.Int32Range(0, 6).Draw(t, "completions"))
	} else {
		s.Completions = optInt32(t, "completions", 0, 6)
	}
	s.Parallelism = optInt32(t, "parallelism", 0, 4)
	s.BackoffLimit = optInt32(t, "backoffLimit", 0, 4)
	if indexed && rapid.Bool().Draw(t, "blpi") {
		s.BackoffLimitPerIndex = ptr.To(rapid.Int32Range(0, 2).Draw(t, "backoffLimitPerIndex"))
		if rapid.Bool().Draw(t, "hasMaxFailed") {
			s.MaxFailedIndexes = ptr.To(rapid.Int32Range(0, *s.Completions).Draw(t, "maxFailedIndexes"))
		}
	}
	s.ActiveDeadlineSeconds = (*int64)(nil)
	if rapid.IntRange(0, 3).Draw(t, "deadline") == 0 {
		s.ActiveDeadlineSeconds = ptr.To(rapid.SampledFrom([]int64{0, 30, 120, 3600}).Draw(t, "activeDeadlineSeconds"))
	}
	if rapid.IntRange(0, 2).Draw(t, "pfp") == 0 {
		var rules []batchv1.PodFailurePolicyRule
		for _, i := range rapid.SliceOfNDistinct(rapid.IntRange(0, len(pfpRules)-1), 0, 3, rapid.ID[int]).Draw(t, "rules") {
			r := *pfpRules[i].DeepCopy()
			if r.Action == batchv1.PodFailurePolicyActionFailIndex && s.BackoffLimitPerIndex == nil {
				continue
			}
			rules = append(rules, r)
		}
		s.PodFailurePolicy = &batchv1.PodFailurePolicy{Rules: rules}
	} else if rapid.Bool().Draw(t, "onFailure") {
		s.Template.Spec.RestartPolicy = v1.RestartPolicyOnFailure
	}
	if s.PodFailurePolicy == nil {
		switch rapid.IntRange(0, 2).Draw(t, "replacement") {
		case 1:
			s.PodReplacementPolicy = ptr.To(batchv1.Failed)
		case 2:
			s.PodReplacementPolicy = ptr.To(batchv1.TerminatingOrFailed)
		}
	}
	if indexed && *s.Completions > 0 && rapid.IntRange(0, 2).Draw(t, "sp") == 0 {
		c := *s.Completions
		var rule batchv1.SuccessPolicyRule
		if rapid.Bool().Draw(t, "spIndexes") {
			lo := rapid.Int32Range(0, c-1).Draw(t, "spLo")
			hi := rapid.Int32Range(lo, c-1).Draw(t, "spHi")
			ix := fmt.Sprint(lo)
			if hi > lo {
				ix = fmt.Sprintf("%d-%d", lo, hi)
			}
			rule.SucceededIndexes = &ix
			if rapid.Bool().Draw(t, "spCount") {
				rule.SucceededCount = ptr.To(rapid.Int32Range(1, hi-lo+1).Draw(t, "spCountN"))
			}
		} else {
			rule.SucceededCount = ptr.To(rapid.Int32Range(1, c).Draw(t, "spCountN"))
		}
		s.SuccessPolicy = &batchv1.SuccessPolicy{Rules: []batchv1.SuccessPolicyRule{rule}}
	}
	s.Suspend = ptr.To(rapid.IntRange(0, 4).Draw(t, "suspend") == 0)
	if rapid.Bool().Draw(t, "ttl") {
		s.TTLSecondsAfterFinished = ptr.To(rapid.SampledFrom([]int32{0, 60, 3600}).Draw(t, "ttlSecondsAfterFinished"))
	}
	return j
}

func (w *world) newPod(tmpl v1.PodTemplateSpec, gen string, owner metav1.OwnerReference) *v1.Pod {
	w.seq++
	if gen == "" {
		gen = w.job.Name + "-"
	}
	p := &v1.Pod{ObjectMeta: *tmpl.ObjectMeta.DeepCopy(), Spec: *tmpl.Spec.DeepCopy()}
	p.Name = fmt.Sprintf("%sp%03d", gen, w.seq)
	p.Namespace = w.job.Namespace
	p.UID = types.UID(fmt.Sprintf("pod-uid-%03d", w.seq))
	p.CreationTimestamp = metav1.NewTime(w.now)
	p.OwnerReferences = []metav1.OwnerReference{owner}
	p.Status.Phase = v1.PodPending
	return p
}

func containerNames(p *v1.Pod) (regular []string, sidecars []string) {
	for _, c := range p.Spec.Containers {
		regular = append(regular, c.Name)
	}
	for _, c := range p.Spec.InitContainers {
		sidecars = append(sidecars, c.Name)
	}
	return regular, sidecars
}

func setReady(p *v1.Pod, status v1.ConditionStatus, now time.Time) {
	for i := range p.Status.Conditions {
		if p.Status.Conditions[i].Type == v1.PodReady {
			if p.Status.Conditions[i].Status != status {
				p.Status.Conditions[i].Status = status
				p.Status.Conditions[i].LastTransitionTime = metav1.NewTime(now)
			}
			return
		}
	}
	p.Status.Conditions = append(p.Status.Conditions, v1.PodCondition{Type: v1.PodReady, Status: status, LastTransitionTime: metav1.NewTime(now)})
}

// finish ends a pod as the kubelet does: every container terminated at
// now, Ready turned False, the phase set.
func finish(p *v1.Pod, phase v1.PodPhase, code int32, now time.Time) {
	regular, sidecars := containerNames(p)
	term := func(name string, code int32) v1.ContainerStatus {
		return v1.ContainerStatus{Name: name, State: v1.ContainerState{Terminated: &v1.ContainerStateTerminated{ExitCode: code, FinishedAt: metav1.NewTime(now)}}}
	}
	restarts := map[string]int32{}
	for _, c := range p.Status.ContainerStatuses {
		restarts[c.Name] = c.RestartCount
	}
	p.Status.ContainerStatuses = nil
	for _, n := range regular {
		cs := term(n, code)
		cs.RestartCount = restarts[n]
		p.Status.ContainerStatuses = append(p.Status.ContainerStatuses, cs)
	}
	p.Status.InitContainerStatuses = nil
	for _, n := range sidecars {
		p.Status.InitContainerStatuses = append(p.Status.InitContainerStatuses, term(n, 0))
	}
	setReady(p, v1.ConditionFalse, now)
	p.Status.Phase = phase
}

func hasFinalizer(p *v1.Pod) bool { return slices.Contains(p.Finalizers, batchv1.JobTrackingFinalizer) }

// gone says whether the API server would have removed the pod: deleted,
// no finalizer left, and either never scheduled or already terminal.
func gone(p *v1.Pod) bool {
	return p.DeletionTimestamp != nil && len(p.Finalizers) == 0 &&
		(p.Spec.NodeName == "" || p.Status.Phase == v1.PodSucceeded || p.Status.Phase == v1.PodFailed)
}

func (w *world) deletePod(p *v1.Pod) {
	if p.DeletionTimestamp == nil {
		p.DeletionTimestamp = ptr.To(metav1.NewTime(w.now))
		p.DeletionGracePeriodSeconds = ptr.To(int64(30))
	}
	if gone(p) {
		delete(w.pods, p.Name)
	}
}

// event applies one random change of the world between two passes.
func (w *world) event(t *rapid.T) {
	pods := w.podList()
	pick := func(label string, ok func(*v1.Pod) bool) *v1.Pod {
		var c []*v1.Pod
		for _, p := range pods {
			if ok(p) {
				c = append(c, p)
			}
		}
		if len(c) == 0 {
			return nil
		}
		return rapid.SampledFrom(c).Draw(t, label)
	}
	live := func(p *v1.Pod) bool { return p.Status.Phase == v1.PodPending || p.Status.Phase == v1.PodRunning }
	switch rapid.IntRange(0, 16).Draw(t, "event") {
	case 0, 1:
		d := rapid.SampledFrom([]time.Duration{time.Second, 5 * time.Second, 10 * time.Second, 20 * time.Second,
			time.Minute, 10 * time.Minute, time.Hour, 49 * time.Hour}).Draw(t, "jump")
		w.now = w.now.Add(d)
	case 2: // the scheduler binds a pod
		if p := pick("bind", func(p *v1.Pod) bool { return p.Spec.NodeName == "" && p.DeletionTimestamp == nil }); p != nil {
			p.Spec.NodeName = "node-1"
		}
	case 3: // containers start
		if p := pick("start", func(p *v1.Pod) bool { return p.Spec.NodeName != "" && p.Status.Phase == v1.PodPending }); p != nil {
			p.Status.Phase = v1.PodRunning
			regular, _ := containerNames(p)
			p.Status.ContainerStatuses = nil
			for _, n := range regular {
				p.Status.ContainerStatuses = append(p.Status.ContainerStatuses, v1.ContainerStatus{Name: n,
					State: v1.ContainerState{Running: &v1.ContainerStateRunning{StartedAt: metav1.NewTime(w.now)}}})
			}
			setReady(p, v1.ConditionFalse, w.now)
		}
	case 4: // readiness flips
		if p := pick("ready", func(p *v1.Pod) bool { return p.Status.Phase == v1.PodRunning }); p != nil {
			st := v1.ConditionTrue
			if ready, _ := podReady(p); ready {
				st = v1.ConditionFalse
			}
			setReady(p, st, w.now)
		}
	case 5, 6: // success
		if p := pick("succeed", func(p *v1.Pod) bool { return p.Status.Phase == v1.PodRunning }); p != nil {
			finish(p, v1.PodSucceeded, 0, w.now)
			if gone(p) {
				delete(w.pods, p.Name)
			}
		}
	case 7, 8: // failure with an exit code, sometimes after a disruption
		if p := pick("fail", live); p != nil {
			if rapid.IntRange(0, 3).Draw(t, "disrupted") == 0 {
				p.Status.Conditions = append(p.Status.Conditions, v1.PodCondition{Type: v1.DisruptionTarget, Status: v1.ConditionTrue,
					Reason: "PreemptionByScheduler", LastTransitionTime: metav1.NewTime(w.now)})
			}
			finish(p, v1.PodFailed, rapid.SampledFrom(exitCodes).Draw(t, "exitCode"), w.now)
			if gone(p) {
				delete(w.pods, p.Name)
			}
		}
	case 9: // a container restarts in place (restartPolicy OnFailure)
		if w.job.Spec.Template.Spec.RestartPolicy == v1.RestartPolicyOnFailure {
			if p := pick("restart", func(p *v1.Pod) bool { return p.Status.Phase == v1.PodRunning }); p != nil && len(p.Status.ContainerStatuses) > 0 {
				p.Status.ContainerStatuses[0].RestartCount++
			}
		}
	case 10: // eviction or a user's delete
		if p := pick("evict", func(p *v1.Pod) bool { return p.DeletionTimestamp == nil }); p != nil {
			if live(p) && rapid.Bool().Draw(t, "evictCondition") {
				p.Status.Conditions = append(p.Status.Conditions, v1.PodCondition{Type: v1.DisruptionTarget, Status: v1.ConditionTrue,
					Reason: "EvictionByEvictionAPI", LastTransitionTime: metav1.NewTime(w.now)})
			}
			w.deletePod(p)
		}
	case 11: // the kubelet finishes terminating a deleted pod
		if p := pick("terminated", func(p *v1.Pod) bool { return p.DeletionTimestamp != nil && live(p) }); p != nil {
			finish(p, v1.PodFailed, 137, w.now)
			if gone(p) {
				delete(w.pods, p.Name)
			}
		}
	case 12: // suspend or resume
		w.job.Spec.Suspend = ptr.To(!*w.job.Spec.Suspend)
		w.job.Generation++
	case 13: // parallelism changes
		w.job.Spec.Parallelism = ptr.To(rapid.Int32Range(0, 4).Draw(t, "newParallelism"))
		w.job.Generation++
	case 14: // the next pass runs before its writes were observed
		w.pending = true
	case 16: // an elastic Indexed Job scales completions and parallelism together
		if m := w.job.Spec.CompletionMode; m != nil && *m == batchv1.IndexedCompletion && w.job.Spec.Completions != nil &&
			*w.job.Spec.Completions == *w.job.Spec.Parallelism && w.job.Spec.BackoffLimitPerIndex == nil {
			n := rapid.Int32Range(0, 6).Draw(t, "elastic")
			w.job.Spec.Completions, w.job.Spec.Parallelism = ptr.To(n), ptr.To(n)
			w.job.Generation++
		}
	case 15:
		if rapid.IntRange(0, 9).Draw(t, "deleteJob") == 0 && w.job.DeletionTimestamp == nil {
			w.job.DeletionTimestamp = ptr.To(metav1.NewTime(w.now))
		}
	}
}

func podReady(p *v1.Pod) (bool, time.Time) {
	for _, c := range p.Status.Conditions {
		if c.Type == v1.PodReady {
			return c.Status == v1.ConditionTrue, c.LastTransitionTime.Time
		}
	}
	return false, time.Time{}
}
