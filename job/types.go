package job

import "time"

// Job is the part of a batch/v1 Job the controller reads: its identity,
// whether it is being deleted, and its spec. Status is passed separately.
//
// The metadata fields are the same, with the same names and types, on
// every top-level object purectl's packages take; each says whether the
// Job controller reads it.
type Job struct {
	// Name and Namespace name the Job in messages, in generated pod names
	// and in the DNS check Indexed jobs need (their pods' hostnames are
	// <name>-<index>). Read.
	Name      string
	Namespace string
	// UID is the Job's metadata.uid; created pods name it in their
	// controller owner reference (PodCreation.Owner). Read.
	UID string
	// Generation is metadata.generation. Not read: the Job controller
	// reports no observedGeneration.
	Generation int64
	// Labels and Annotations are metadata.labels and metadata.annotations.
	// Not read: the pods' labels come from the pod template, and the
	// controller keeps no state in the Job's annotations.
	Labels      map[string]string
	Annotations map[string]string
	// CreationTimestamp is metadata.creationTimestamp. Not read: the
	// deadline runs from status.startTime.
	CreationTimestamp time.Time
	// DeletionTimestamp is set when the Job is being deleted; the zero
	// value means it is not. Read: a Job being deleted gets no new pods
	// and has its pods' finalizers removed.
	DeletionTimestamp time.Time
	// OperationsPending is controller-side knowledge, not part of the
	// Job: set it while pod creations or deletions issued by an earlier
	// pass have not shown up in the pods yet (the controller's
	// "expectations"). Such a pass neither creates nor deletes pods for
	// scaling, leaves the Suspended condition alone, and declares no
	// terminal condition (pods of a finishing Job are still stopped).
	OperationsPending bool
	// WritesUnobserved is controller-side knowledge too: set it when the
	// status or the pods passed do not yet show the writes of the previous
	// result (the controller's informer cache lags behind its own
	// writes). From 1.36, with StaleControllerConsistencyJob on, the
	// controller then skips the pass and retries later (Result.Skipped is
	// ReasonStaleCache); before, it acts on what it sees.
	WritesUnobserved bool
	// UpstreamQuirks reproduces reporting details of the real controller
	// that purectl otherwise corrects (see "Differences from Kubernetes"
	// in the package doc): before 1.36, on a pass where the pod-failure
	// back-off holds back creations, status.active is reported as 0; and
	// a pass that changes nothing else in the status drops the start time
	// and back-off record it computed, because syncJob does not write
	// such a status. Set it to match the controller field for field.
	UpstreamQuirks bool
	// Spec is the Job's spec; unset optional fields take the API server's
	// defaults (see Spec).
	Spec Spec
}

// Spec mirrors batch/v1 JobSpec, with the pod template flattened to what the
// controller needs. Nil pointers and empty strings are unset and are
// defaulted as the API server does: parallelism 1; completions 1 when both
// parallelism and completions are unset; backoffLimit 6 (MaxInt32 when only
// backoffLimitPerIndex is given); completionMode NonIndexed;
// podReplacementPolicy Failed with a podFailurePolicy, else
// TerminatingOrFailed.
type Spec struct {
	Parallelism           *int32
	Completions           *int32
	ActiveDeadlineSeconds *int64
	PodFailurePolicy      *PodFailurePolicy
	SuccessPolicy         *SuccessPolicy
	BackoffLimit          *int32
	BackoffLimitPerIndex  *int32
	MaxFailedIndexes      *int32
	// TTLSecondsAfterFinished is read on behalf of the TTL-after-finished
	// controller: once the Job finished this many seconds ago, the result
	// asks for the Job to be deleted.
	TTLSecondsAfterFinished *int32
	CompletionMode          CompletionMode
	Suspend                 bool
	PodReplacementPolicy    PodReplacementPolicy
	// ManagedBy names the controller in charge; anything other than ""
	// or ControllerName makes JobProgress step aside (Result.Skipped is
	// ReasonManagedByOther), unless the release has JobManagedBy off
	// (possible on 1.34 only), when the field is ignored.
	ManagedBy string
	Template  PodTemplate
}

// PodTemplate is the part of the Job's pod template the controller and the
// API validation look at.
type PodTemplate struct {
	RestartPolicy RestartPolicy
	// Containers and InitContainers are the container names; a
	// podFailurePolicy rule's containerName must be one of them.
	Containers     []string
	InitContainers []string
}

// CompletionMode says how completions are tracked.
type CompletionMode string

// The completion modes.
const (
	NonIndexed CompletionMode = "NonIndexed"
	Indexed    CompletionMode = "Indexed"
)

// PodReplacementPolicy says when a replacement pod may be created.
type PodReplacementPolicy string

// The pod replacement policies.
const (
	// TerminatingOrFailed replaces a pod as soon as it is being deleted.
	TerminatingOrFailed PodReplacementPolicy = "TerminatingOrFailed"
	// Failed replaces a pod only once it has reached phase Failed.
	Failed PodReplacementPolicy = "Failed"
)

// RestartPolicy is the pod template's restart policy.
type RestartPolicy string

// The restart policies; a Job accepts only OnFailure and Never.
const (
	RestartAlways    RestartPolicy = "Always"
	RestartOnFailure RestartPolicy = "OnFailure"
	RestartNever     RestartPolicy = "Never"
)

// PodFailurePolicy decides what a failed pod means for the Job.
type PodFailurePolicy struct {
	Rules []PodFailurePolicyRule
}

// PodFailurePolicyRule matches failed pods by exit codes or by pod
// conditions (exactly one of the two) and says what to do with them.
type PodFailurePolicyRule struct {
	Action          PodFailurePolicyAction
	OnExitCodes     *OnExitCodes
	OnPodConditions []OnPodCondition
}

// PodFailurePolicyAction is what a matching rule does.
type PodFailurePolicyAction string

// The pod failure policy actions.
const (
	// ActionFailJob fails the whole Job.
	ActionFailJob PodFailurePolicyAction = "FailJob"
	// ActionFailIndex fails the pod's index (needs backoffLimitPerIndex).
	ActionFailIndex PodFailurePolicyAction = "FailIndex"
	// ActionIgnore does not count the failure towards any limit.
	ActionIgnore PodFailurePolicyAction = "Ignore"
	// ActionCount counts the failure as usual.
	ActionCount PodFailurePolicyAction = "Count"
)

// OnExitCodes matches a pod when one of its containers (or the named one)
// terminated with a non-zero exit code that is In or NotIn Values.
type OnExitCodes struct {
	// ContainerName restricts the match to one container; "" means any.
	ContainerName string
	Operator      ExitCodesOperator
	Values        []int32
}

// ExitCodesOperator relates a container's exit code to the rule's values.
type ExitCodesOperator string

// The exit code operators.
const (
	OpIn    ExitCodesOperator = "In"
	OpNotIn ExitCodesOperator = "NotIn"
)

// OnPodCondition matches a pod that has a condition of Type with exactly
// Status (defaulted to True when empty).
type OnPodCondition struct {
	Type   string
	Status ConditionStatus
}

// SuccessPolicy lets an Indexed Job succeed before every index did.
type SuccessPolicy struct {
	Rules []SuccessPolicyRule
}

// SuccessPolicyRule is met when the listed indexes (all of them, or
// SucceededCount of them) succeeded, or, with only SucceededCount, when that
// many indexes succeeded at all.
type SuccessPolicyRule struct {
	// SucceededIndexes is an interval string such as "0,2-4"; nil means
	// unset.
	SucceededIndexes *string
	SucceededCount   *int32
}

// ConditionStatus is True, False or Unknown.
type ConditionStatus string

// The condition statuses.
const (
	ConditionTrue    ConditionStatus = "True"
	ConditionFalse   ConditionStatus = "False"
	ConditionUnknown ConditionStatus = "Unknown"
)

// ConditionType is the type of a Job condition.
type ConditionType string

// The Job condition types the controller writes.
const (
	ConditionSuspended          ConditionType = "Suspended"
	ConditionComplete           ConditionType = "Complete"
	ConditionFailed             ConditionType = "Failed"
	ConditionFailureTarget      ConditionType = "FailureTarget"
	ConditionSuccessCriteriaMet ConditionType = "SuccessCriteriaMet"
)

// Condition mirrors batch/v1 JobCondition.
type Condition struct {
	Type               ConditionType
	Status             ConditionStatus
	LastProbeTime      time.Time
	LastTransitionTime time.Time
	Reason             Reason
	Message            string
}

// Status mirrors batch/v1 JobStatus, plus the controller's in-memory
// pod-failure back-off record. Zero times mean unset.
type Status struct {
	Conditions     []Condition
	StartTime      time.Time
	CompletionTime time.Time
	Active         int32
	Succeeded      int32
	Failed         int32
	Terminating    int32
	Ready          int32
	// CompletedIndexes and FailedIndexes are interval strings ("1,3-5,7").
	// FailedIndexes is nil unless backoffLimitPerIndex is set.
	CompletedIndexes        string
	FailedIndexes           *string
	UncountedTerminatedPods UncountedTerminatedPods
	// Backoff is not part of the Kubernetes API: it is the record the Job
	// controller keeps in memory to space out replacements of failed pods.
	// Pass back the one from the previous result; the zero value is a
	// fresh record (as after a controller restart).
	Backoff BackoffRecord
}

// UncountedTerminatedPods lists UIDs of finished pods an earlier pass
// recorded but has not yet added to the counters (a controller that stopped
// between its two status writes leaves them). JobProgress adds each to the
// counters once its pod's finalizer is gone or removed in this pass; the
// lists it returns keep only pods whose finalizer stays (a failed pod whose
// index awaits its replacement, or one past the per-pass cap).
type UncountedTerminatedPods struct {
	Succeeded []string
	Failed    []string
}

// BackoffRecord counts pod failures since the last success and when the
// latest of them happened; it sets the delay before a new pod is created.
type BackoffRecord struct {
	FailuresAfterLastSuccess int32
	LastFailureTime          time.Time
}

// Pod is an owned pod of the Job as the controller observed it. Pass only
// pods the Job controls (adoption is the caller's business).
type Pod struct {
	Name string
	UID  string
	// Annotations carries the completion index and, with
	// backoffLimitPerIndex, the per-index failure counts (see the
	// Annotation constants).
	Annotations map[string]string
	// Finalizers holds TrackingFinalizer while the pod is still to be
	// counted.
	Finalizers                 []string
	CreationTimestamp          time.Time
	DeletionTimestamp          time.Time
	DeletionGracePeriodSeconds *int64
	NodeName                   string
	Phase                      PodPhase
	Conditions                 []PodCondition
	ContainerStatuses          []ContainerStatus
	InitContainerStatuses      []ContainerStatus
}

// PodPhase is the pod's lifecycle phase.
type PodPhase string

// The pod phases.
const (
	PodPending   PodPhase = "Pending"
	PodRunning   PodPhase = "Running"
	PodSucceeded PodPhase = "Succeeded"
	PodFailed    PodPhase = "Failed"
	PodUnknown   PodPhase = "Unknown"
)

// PodCondition is one of the pod's conditions (Ready, DisruptionTarget, ...).
type PodCondition struct {
	Type               string
	Status             ConditionStatus
	LastTransitionTime time.Time
}

// The pod condition types the controller looks at.
const (
	PodReady            = "Ready"
	PodDisruptionTarget = "DisruptionTarget"
)

// ContainerStatus is the observed state of one container.
type ContainerStatus struct {
	Name         string
	RestartCount int32
	// Sidecar marks an init container whose spec has restartPolicy
	// Always; only those init containers count for a pod's finish time.
	Sidecar bool
	// Terminated is set when the container's current state is terminated.
	Terminated *ContainerTerminated
}

// ContainerTerminated is a terminated container's exit.
type ContainerTerminated struct {
	ExitCode   int32
	FinishedAt time.Time
}

// Well-known names the controller reads and writes on pods.
const (
	// TrackingFinalizer keeps a finished pod around until it is counted.
	TrackingFinalizer = "batch.kubernetes.io/job-tracking"
	// AnnotationCompletionIndex holds an Indexed job pod's index.
	AnnotationCompletionIndex = "batch.kubernetes.io/job-completion-index"
	// AnnotationIndexFailureCount holds how many counted failures the
	// pod's index had before this pod.
	AnnotationIndexFailureCount = "batch.kubernetes.io/job-index-failure-count"
	// AnnotationIndexIgnoredFailureCount holds how many ignored failures
	// the pod's index had before this pod.
	AnnotationIndexIgnoredFailureCount = "batch.kubernetes.io/job-index-ignored-failure-count"
	// ControllerName is the spec.managedBy value of the built-in controller.
	ControllerName = "kubernetes.io/job-controller"
)

// Result is what one Job controller pass decides.
type Result struct {
	// Create lists the pods to create, by ascending completion index for
	// Indexed jobs.
	Create []PodCreation
	// Delete lists the pods to delete, first to delete first (the
	// controller's deletion order).
	Delete []PodDeletion
	// RemoveFinalizers lists the pods whose TrackingFinalizer is to be
	// removed because they have been counted (or need not be), sorted by
	// pod name. Pods in Delete with RemoveFinalizer set are not repeated.
	RemoveFinalizers []FinalizerRemoval
	// Status is the Job status after this pass, with the pods above
	// counted.
	Status Status
	// StatusBeforeRemovals, when set, is the status syncJob writes before
	// it removes any finalizer: the pods this pass counts are listed in
	// uncountedTerminatedPods instead of the counters (an Indexed Job's
	// succeeded pods go straight to completedIndexes), together with the
	// pass's other changes and any interim FailureTarget or
	// SuccessCriteriaMet condition. Write it first, then remove the
	// finalizers, then write Status. If a removal fails, stop after the
	// first write: the next pass finds the pod in uncountedTerminatedPods
	// and counts it once, where writing Status and leaving the finalizer
	// would count it a second time. The pods it adds to the uncounted
	// lists follow those already there, in UID order. Nil when the pass
	// removes no finalizer, or when syncJob would not write before
	// removing them; a caller whose removal then fails writes no status.
	StatusBeforeRemovals *Status
	// Events are the events the controller would record, in order.
	Events []Event
	// DeleteJob is set when ttlSecondsAfterFinished has expired.
	DeleteJob *JobDeletion
	// RequeueAt is the earliest time at which a new pass would decide
	// differently only because time passed (deadline, back-off, TTL);
	// zero when nothing is pending.
	RequeueAt time.Time
	// Skipped says why the pass did nothing at all (the status is the one
	// passed in, nothing is created, deleted or recorded): the Job is
	// managed by another controller (ReasonManagedByOther), or the
	// controller waits for its cache to show its own writes
	// (ReasonStaleCache; it retries with its rate limiter, so RequeueAt
	// is zero). Empty on a pass that ran.
	Skipped Reason
	// Warnings lists what the API server's validation (Validate) would
	// reject in the Job. The controller acts on such an object all the
	// same (one stored before validation tightened, or a caller's own
	// resource), and so does JobProgress.
	Warnings []*FieldError
}

// PodCreation is one pod to create from the template. A caller that builds
// the pod from the Job's pod template and adds every field below gets the
// pod the Job controller creates; in particular Finalizers must be added,
// or the finished pod is never counted (the next passes then report a
// TrackingFinalizerMissing warning event).
type PodCreation struct {
	// Index is the completion index, or -1 for NonIndexed jobs.
	Index int
	// GenerateName is the name prefix for the new pod (metadata.generateName).
	GenerateName string
	// Hostname is <job>-<index> for Indexed jobs (spec.hostname), empty
	// otherwise.
	Hostname string
	// Labels are added to the template's labels: for Indexed jobs the
	// completion index under AnnotationCompletionIndex; nil otherwise.
	Labels map[string]string
	// Annotations are added to the template's annotations: the completion
	// index and, with backoffLimitPerIndex, the per-index failure counts.
	Annotations map[string]string
	// Finalizers are added to the template's finalizers unless present:
	// always TrackingFinalizer.
	Finalizers []string
	// Owner is the controller owner reference the pod carries.
	Owner OwnerReference
	// Env is added to every container and init container of the template
	// that does not define a variable of that name already: for Indexed
	// jobs JOB_COMPLETION_INDEX, read from the index label.
	Env     []EnvVar
	Reason  Reason
	Message string
}

// OwnerReference is a metadata.ownerReferences entry.
type OwnerReference struct {
	APIVersion         string
	Kind               string
	Name               string
	UID                string
	Controller         bool
	BlockOwnerDeletion bool
}

// EnvVar is an environment variable whose value comes from a field of the
// pod (env[].valueFrom.fieldRef.fieldPath).
type EnvVar struct {
	Name      string
	FieldPath string
}

// Names the controller puts on created pods.
const (
	// CompletionIndexEnv is the environment variable that holds an
	// Indexed job pod's index.
	CompletionIndexEnv = "JOB_COMPLETION_INDEX"
	// CompletionIndexFieldPath is where CompletionIndexEnv reads it from.
	CompletionIndexFieldPath = "metadata.labels['" + AnnotationCompletionIndex + "']"
)

// PodDeletion is one pod to delete.
type PodDeletion struct {
	Name string
	UID  string
	// RemoveFinalizer says the tracking finalizer is removed before the
	// deletion, so that the pod is never counted as failed (scale-down,
	// suspension). Pods deleted because the Job finishes keep it and
	// appear in RemoveFinalizers when they are counted.
	RemoveFinalizer bool
	Reason          Reason
	Message         string
}

// FinalizerRemoval is one pod whose tracking finalizer is removed.
type FinalizerRemoval struct {
	Name string
	UID  string
	// CountedAs says which counter the pod was added to.
	CountedAs Counted
	Reason    Reason
	Message   string
}

// Counted says how a pod was accounted for when its finalizer was removed.
type Counted string

// How pods are counted.
const (
	CountedSucceeded Counted = "Succeeded"
	CountedFailed    Counted = "Failed"
	// CountedIgnored is a failure a podFailurePolicy Ignore rule matched.
	CountedIgnored Counted = "Ignored"
	// CountedNone is a pod released without counting (already counted
	// index, invalid index, or not finished while the Job is deleted or
	// succeeds).
	CountedNone Counted = "None"
)

// JobDeletion asks for the Job to be deleted (foreground propagation).
type JobDeletion struct {
	Reason  Reason
	Message string
}

// EventType is Normal or Warning.
type EventType string

// The event types.
const (
	EventNormal  EventType = "Normal"
	EventWarning EventType = "Warning"
)

// Event is an event the controller would record on the Job.
type Event struct {
	Type    EventType
	Reason  Reason
	Message string
}
