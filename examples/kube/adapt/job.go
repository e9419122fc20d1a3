package adapt

import (
	"maps"
	"slices"

	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/purectl/purectl/job"
)

// JobSpec converts a Job's spec.
func JobSpec(s batchv1.JobSpec) job.Spec {
	out := job.Spec{
		Parallelism: s.Parallelism, Completions: s.Completions, ActiveDeadlineSeconds: s.ActiveDeadlineSeconds,
		BackoffLimit: s.BackoffLimit, BackoffLimitPerIndex: s.BackoffLimitPerIndex, MaxFailedIndexes: s.MaxFailedIndexes,
		TTLSecondsAfterFinished: s.TTLSecondsAfterFinished,
		Template:                job.PodTemplate{RestartPolicy: job.RestartPolicy(s.Template.Spec.RestartPolicy)},
	}
	if s.CompletionMode != nil {
		out.CompletionMode = job.CompletionMode(*s.CompletionMode)
	}
	if s.Suspend != nil {
		out.Suspend = *s.Suspend
	}
	if s.PodReplacementPolicy != nil {
		out.PodReplacementPolicy = job.PodReplacementPolicy(*s.PodReplacementPolicy)
	}
	if s.ManagedBy != nil {
		out.ManagedBy = *s.ManagedBy
	}
	for _, c := range s.Template.Spec.Containers {
		out.Template.Containers = append(out.Template.Containers, c.Name)
	}
	for _, c := range s.Template.Spec.InitContainers {
		out.Template.InitContainers = append(out.Template.InitContainers, c.Name)
	}
	if p := s.PodFailurePolicy; p != nil {
		out.PodFailurePolicy = &job.PodFailurePolicy{}
		for _, r := range p.Rules {
			rule := job.PodFailurePolicyRule{Action: job.PodFailurePolicyAction(r.Action)}
			if e := r.OnExitCodes; e != nil {
				rule.OnExitCodes = &job.OnExitCodes{Operator: job.ExitCodesOperator(e.Operator), Values: e.Values}
				if e.ContainerName != nil {
					rule.OnExitCodes.ContainerName = *e.ContainerName
				}
			}
			for _, c := range r.OnPodConditions {
				rule.OnPodConditions = append(rule.OnPodConditions, job.OnPodCondition{Type: string(c.Type), Status: job.ConditionStatus(c.Status)})
			}
			out.PodFailurePolicy.Rules = append(out.PodFailurePolicy.Rules, rule)
		}
	}
	if p := s.SuccessPolicy; p != nil {
		out.SuccessPolicy = &job.SuccessPolicy{}
		for _, r := range p.Rules {
			out.SuccessPolicy.Rules = append(out.SuccessPolicy.Rules, job.SuccessPolicyRule{SucceededIndexes: r.SucceededIndexes, SucceededCount: r.SucceededCount})
		}
	}
	return out
}

// V1JobSpec is the Job spec JobSpec reads back as s. Its pod template has
// the restart policy and containers named as s has them, and no more.
func V1JobSpec(s job.Spec) batchv1.JobSpec {
	out := batchv1.JobSpec{
		Parallelism: clonePtr(s.Parallelism), Completions: clonePtr(s.Completions), ActiveDeadlineSeconds: clonePtr(s.ActiveDeadlineSeconds),
		BackoffLimit: clonePtr(s.BackoffLimit), BackoffLimitPerIndex: clonePtr(s.BackoffLimitPerIndex), MaxFailedIndexes: clonePtr(s.MaxFailedIndexes),
		TTLSecondsAfterFinished: clonePtr(s.TTLSecondsAfterFinished),
		Template:                v1.PodTemplateSpec{Spec: v1.PodSpec{RestartPolicy: v1.RestartPolicy(s.Template.RestartPolicy)}},
	}
	if s.CompletionMode != "" {
		m := batchv1.CompletionMode(s.CompletionMode)
		out.CompletionMode = &m
	}
	if s.Suspend {
		out.Suspend = &s.Suspend
	}
	if s.PodReplacementPolicy != "" {
		p := batchv1.PodReplacementPolicy(s.PodReplacementPolicy)
		out.PodReplacementPolicy = &p
	}
	if s.ManagedBy != "" {
		out.ManagedBy = &s.ManagedBy
	}
	for _, c := range s.Template.Containers {
		out.Template.Spec.Containers = append(out.Template.Spec.Containers, v1.Container{Name: c})
	}
	for _, c := range s.Template.InitContainers {
		out.Template.Spec.InitContainers = append(out.Template.Spec.InitContainers, v1.Container{Name: c})
	}
	if p := s.PodFailurePolicy; p != nil {
		out.PodFailurePolicy = &batchv1.PodFailurePolicy{}
		for _, r := range p.Rules {
			rule := batchv1.PodFailurePolicyRule{Action: batchv1.PodFailurePolicyAction(r.Action)}
			if e := r.OnExitCodes; e != nil {
				rule.OnExitCodes = &batchv1.PodFailurePolicyOnExitCodesRequirement{Operator: batchv1.PodFailurePolicyOnExitCodesOperator(e.Operator), Values: slices.Clone(e.Values)}
				if e.ContainerName != "" {
					name := e.ContainerName
					rule.OnExitCodes.ContainerName = &name
				}
			}
			for _, c := range r.OnPodConditions {
				rule.OnPodConditions = append(rule.OnPodConditions, batchv1.PodFailurePolicyOnPodConditionsPattern{Type: v1.PodConditionType(c.Type), Status: v1.ConditionStatus(c.Status)})
			}
			out.PodFailurePolicy.Rules = append(out.PodFailurePolicy.Rules, rule)
		}
	}
	if p := s.SuccessPolicy; p != nil {
		out.SuccessPolicy = &batchv1.SuccessPolicy{}
		for _, r := range p.Rules {
			out.SuccessPolicy.Rules = append(out.SuccessPolicy.Rules, batchv1.SuccessPolicyRule{SucceededIndexes: clonePtr(r.SucceededIndexes), SucceededCount: clonePtr(r.SucceededCount)})
		}
	}
	return out
}

// V1Job is the Job that Job reads back as j and st, except for what a Job
// object does not hold: the status's back-off record and the options the
// caller sets on job.Job (OperationsPending, WritesUnobserved, UpstreamQuirks).
func V1Job(j job.Job, st job.Status) *batchv1.Job {
	return &batchv1.Job{
		TypeMeta:   metav1.TypeMeta{APIVersion: "batch/v1", Kind: "Job"},
		ObjectMeta: objectMeta(j.Name, j.Namespace, j.UID, j.Generation, j.Labels, j.Annotations, j.CreationTimestamp, j.DeletionTimestamp),
		Spec:       V1JobSpec(j.Spec),
		Status:     JobStatus(st),
	}
}

// Job converts a Job and its status. The status's back-off record, which
// Kubernetes keeps in controller memory, starts fresh.
func Job(j *batchv1.Job) (job.Job, job.Status) {
	out := job.Job{Name: j.Name, Namespace: j.Namespace, UID: string(j.UID), Generation: j.Generation,
		Labels: j.Labels, Annotations: j.Annotations, CreationTimestamp: j.CreationTimestamp.Time,
		DeletionTimestamp: deletion(&j.ObjectMeta), Spec: JobSpec(j.Spec)}
	s := j.Status
	st := job.Status{
		StartTime: Time(s.StartTime), CompletionTime: Time(s.CompletionTime),
		Active: s.Active, Succeeded: s.Succeeded, Failed: s.Failed,
		CompletedIndexes: s.CompletedIndexes, FailedIndexes: s.FailedIndexes,
	}
	if s.Terminating != nil {
		st.Terminating = *s.Terminating
	}
	if s.Ready != nil {
		st.Ready = *s.Ready
	}
	if u := s.UncountedTerminatedPods; u != nil {
		for _, uid := range u.Succeeded {
			st.UncountedTerminatedPods.Succeeded = append(st.UncountedTerminatedPods.Succeeded, string(uid))
		}
		for _, uid := range u.Failed {
			st.UncountedTerminatedPods.Failed = append(st.UncountedTerminatedPods.Failed, string(uid))
		}
	}
	for _, c := range s.Conditions {
		st.Conditions = append(st.Conditions, job.Condition{Type: job.ConditionType(c.Type), Status: job.ConditionStatus(c.Status),
			LastProbeTime: c.LastProbeTime.Time, LastTransitionTime: c.LastTransitionTime.Time, Reason: job.Reason(c.Reason), Message: c.Message})
	}
	return out, st
}

func containerStatuses(cs []v1.ContainerStatus, sidecars map[string]bool) []job.ContainerStatus {
	var out []job.ContainerStatus
	for _, c := range cs {
		s := job.ContainerStatus{Name: c.Name, RestartCount: c.RestartCount, Sidecar: sidecars[c.Name]}
		if t := c.State.Terminated; t != nil {
			s.Terminated = &job.ContainerTerminated{ExitCode: t.ExitCode, FinishedAt: t.FinishedAt.Time}
		}
		out = append(out, s)
	}
	return out
}

// JobPod converts a pod of a Job.
func JobPod(p *v1.Pod) job.Pod {
	out := job.Pod{Name: p.Name, UID: string(p.UID), Annotations: p.Annotations, Finalizers: p.Finalizers,
		CreationTimestamp: p.CreationTimestamp.Time, DeletionGracePeriodSeconds: p.DeletionGracePeriodSeconds,
		NodeName: p.Spec.NodeName, Phase: job.PodPhase(p.Status.Phase)}
	if p.DeletionTimestamp != nil {
		out.DeletionTimestamp = p.DeletionTimestamp.Time
	}
	for _, c := range p.Status.Conditions {
		out.Conditions = append(out.Conditions, job.PodCondition{Type: string(c.Type), Status: job.ConditionStatus(c.Status), LastTransitionTime: c.LastTransitionTime.Time})
	}
	sidecars := map[string]bool{}
	for _, c := range p.Spec.InitContainers {
		if c.RestartPolicy != nil && *c.RestartPolicy == v1.ContainerRestartPolicyAlways {
			sidecars[c.Name] = true
		}
	}
	out.ContainerStatuses = containerStatuses(p.Status.ContainerStatuses, nil)
	out.InitContainerStatuses = containerStatuses(p.Status.InitContainerStatuses, sidecars)
	return out
}

// V1JobPod is the pod JobPod reads back as p. An init container status
// marked Sidecar comes with an init container of that name whose restart
// policy is Always.
func V1JobPod(p job.Pod) *v1.Pod {
	out := &v1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: p.Name, UID: types.UID(p.UID), Annotations: maps.Clone(p.Annotations),
			Finalizers: slices.Clone(p.Finalizers), CreationTimestamp: metav1.NewTime(p.CreationTimestamp),
			DeletionTimestamp: MetaTime(p.DeletionTimestamp), DeletionGracePeriodSeconds: clonePtr(p.DeletionGracePeriodSeconds)},
		Spec:   v1.PodSpec{NodeName: p.NodeName},
		Status: v1.PodStatus{Phase: v1.PodPhase(p.Phase)},
	}
	for _, c := range p.Conditions {
		out.Status.Conditions = append(out.Status.Conditions, v1.PodCondition{Type: v1.PodConditionType(c.Type), Status: v1.ConditionStatus(c.Status),
			LastTransitionTime: metav1.NewTime(c.LastTransitionTime)})
	}
	out.Status.ContainerStatuses = v1ContainerStatuses(p.ContainerStatuses)
	out.Status.InitContainerStatuses = v1ContainerStatuses(p.InitContainerStatuses)
	always := v1.ContainerRestartPolicyAlways
	for _, c := range p.InitContainerStatuses {
		if c.Sidecar {
			out.Spec.InitContainers = append(out.Spec.InitContainers, v1.Container{Name: c.Name, RestartPolicy: &always})
		}
	}
	return out
}

func v1ContainerStatuses(cs []job.ContainerStatus) []v1.ContainerStatus {
	var out []v1.ContainerStatus
	for _, c := range cs {
		s := v1.ContainerStatus{Name: c.Name, RestartCount: c.RestartCount}
		if t := c.Terminated; t != nil {
			s.State.Terminated = &v1.ContainerStateTerminated{ExitCode: t.ExitCode, FinishedAt: metav1.NewTime(t.FinishedAt)}
		}
		out = append(out, s)
	}
	return out
}

// JobPodFor builds the pod a creation asks for: the Job's pod template with
// everything the creation adds (generate name, labels, annotations,
// finalizers, the controller owner reference, the hostname and the
// environment variables of every container and init container that lacks
// them), as the Job controller creates it.
func JobPodFor(j *batchv1.Job, c job.PodCreation) *v1.Pod {
	t := j.Spec.Template.DeepCopy()
	pod := &v1.Pod{
		ObjectMeta: metav1.ObjectMeta{GenerateName: c.GenerateName, Namespace: j.Namespace, Labels: t.Labels,
			Annotations: t.Annotations, Finalizers: t.Finalizers},
		Spec: t.Spec,
	}
	if len(c.Labels) > 0 {
		pod.Labels = withAll(pod.Labels, c.Labels)
	}
	if len(c.Annotations) > 0 {
		pod.Annotations = withAll(pod.Annotations, c.Annotations)
	}
	for _, f := range c.Finalizers {
		if !slices.Contains(pod.Finalizers, f) {
			pod.Finalizers = append(pod.Finalizers, f)
		}
	}
	if o := c.Owner; o.Kind != "" {
		controller, block := o.Controller, o.BlockOwnerDeletion
		pod.OwnerReferences = []metav1.OwnerReference{{APIVersion: o.APIVersion, Kind: o.Kind, Name: o.Name, UID: types.UID(o.UID),
			Controller: &controller, BlockOwnerDeletion: &block}}
	}
	if c.Hostname != "" {
		pod.Spec.Hostname = c.Hostname
	}
	for _, e := range c.Env {
		env := v1.EnvVar{Name: e.Name, ValueFrom: &v1.EnvVarSource{FieldRef: &v1.ObjectFieldSelector{FieldPath: e.FieldPath}}}
		for _, cs := range [][]v1.Container{pod.Spec.InitContainers, pod.Spec.Containers} {
			for i := range cs {
				if !hasEnv(cs[i].Env, env.Name) {
					cs[i].Env = append(cs[i].Env, env)
				}
			}
		}
	}
	return pod
}

func hasEnv(env []v1.EnvVar, name string) bool {
	for _, e := range env {
		if e.Name == name {
			return true
		}
	}
	return false
}

func withAll(m, add map[string]string) map[string]string {
	out := make(map[string]string, len(m)+len(add))
	for k, v := range m {
		out[k] = v
	}
	for k, v := range add {
		out[k] = v
	}
	return out
}

// JobStatus converts the planned status back.
func JobStatus(s job.Status) batchv1.JobStatus {
	out := batchv1.JobStatus{
		StartTime: MetaTime(s.StartTime), CompletionTime: MetaTime(s.CompletionTime),
		Active: s.Active, Succeeded: s.Succeeded, Failed: s.Failed,
		Terminating: &s.Terminating, Ready: &s.Ready,
		CompletedIndexes: s.CompletedIndexes, FailedIndexes: s.FailedIndexes,
		UncountedTerminatedPods: &batchv1.UncountedTerminatedPods{},
	}
	for _, uid := range s.UncountedTerminatedPods.Succeeded {
		out.UncountedTerminatedPods.Succeeded = append(out.UncountedTerminatedPods.Succeeded, types.UID(uid))
	}
	for _, uid := range s.UncountedTerminatedPods.Failed {
		out.UncountedTerminatedPods.Failed = append(out.UncountedTerminatedPods.Failed, types.UID(uid))
	}
	for _, c := range s.Conditions {
		out.Conditions = append(out.Conditions, batchv1.JobCondition{Type: batchv1.JobConditionType(c.Type), Status: v1.ConditionStatus(c.Status),
			LastProbeTime: metav1.NewTime(c.LastProbeTime), LastTransitionTime: metav1.NewTime(c.LastTransitionTime),
			Reason: string(c.Reason), Message: c.Message})
	}
	return out
}
