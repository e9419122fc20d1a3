package job

// Reason says why the controller did something. Condition reasons are the
// strings Kubernetes writes; action reasons are purectl's own.
type Reason string

// Condition reasons, as Kubernetes writes them (the same in every
// supported release).
const (
	ReasonJobSuspended             Reason = "JobSuspended"
	ReasonJobResumed               Reason = "JobResumed"
	ReasonBackoffLimitExceeded     Reason = "BackoffLimitExceeded"
	ReasonDeadlineExceeded         Reason = "DeadlineExceeded"
	ReasonPodFailurePolicy         Reason = "PodFailurePolicy"
	ReasonMaxFailedIndexesExceeded Reason = "MaxFailedIndexesExceeded"
	ReasonFailedIndexes            Reason = "FailedIndexes"
	ReasonCompletionsReached       Reason = "CompletionsReached"
	ReasonSuccessPolicy            Reason = "SuccessPolicy"
)

// Event reasons, as Kubernetes records them (failure events use the
// condition reason).
const (
	ReasonSuspendedEvent       Reason = "Suspended"
	ReasonResumedEvent         Reason = "Resumed"
	ReasonCompleted            Reason = "Completed"
	ReasonTooManySucceededPods Reason = "TooManySucceededPods"
	// ReasonUnknownCompletionMode: the Job is skipped, its completion
	// mode is neither NonIndexed nor Indexed.
	ReasonUnknownCompletionMode Reason = "UnknownCompletionMode"
	// ReasonTrackingFinalizerMissing is purectl's own warning: running
	// pods of the Job lack TrackingFinalizer, so their completion will
	// never be counted (they were created without PodCreation.Finalizers).
	ReasonTrackingFinalizerMissing Reason = "TrackingFinalizerMissing"
)

// Action reasons.
const (
	// ReasonStartPods: fewer pods run than wanted.
	ReasonStartPods Reason = "StartPods"
	// ReasonTooManyActive: more pods run than wanted (parallelism lowered
	// or few completions left).
	ReasonTooManyActive Reason = "TooManyActive"
	// ReasonInvalidIndex: an Indexed job pod without a valid index below
	// completions.
	ReasonInvalidIndex Reason = "InvalidIndex"
	// ReasonDuplicateIndex: another active pod holds the same index.
	ReasonDuplicateIndex Reason = "DuplicateIndex"
	// ReasonJobSuspendedPods: the Job is suspended, its pods are stopped.
	ReasonJobSuspendedPods Reason = "SuspendPods"
	// ReasonJobFinishing: the Job reached a terminal condition; its
	// remaining pods are stopped.
	ReasonJobFinishing Reason = "JobFinishing"
	// ReasonPodFinished: a finished pod has been counted.
	ReasonPodFinished Reason = "PodFinished"
	// ReasonJobDeleting: the Job is being deleted, its pods are released.
	ReasonJobDeleting Reason = "JobDeleting"
	// ReasonTTLExpired: ttlSecondsAfterFinished has passed.
	ReasonTTLExpired Reason = "TTLExpired"
)

// Reasons for a pass that did nothing (Result.Skipped).
const (
	// ReasonManagedByOther: spec.managedBy names another controller.
	ReasonManagedByOther Reason = "ManagedByOtherController"
	// ReasonStaleCache: Job.WritesUnobserved with
	// StaleControllerConsistencyJob on; the controller waits until its
	// cache shows its own writes.
	ReasonStaleCache Reason = "StaleCache"
)
