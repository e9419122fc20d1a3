package statefulset

// Reason is a short machine-readable cause, carried by every Action, Blocked
// and Event.
type Reason string

// Reasons for actions.
const (
	// ReasonPodMissing: a slot in the ordinal range has no pod.
	ReasonPodMissing Reason = "PodMissing"
	// ReasonClaimMissing: a pod about to be created, or a Pending pod, lacks a claim.
	ReasonClaimMissing Reason = "ClaimMissing"
	// ReasonPodFinished: the pod Failed or Succeeded and is replaced by a
	// pod of the same identity once it is gone.
	ReasonPodFinished Reason = "PodFinished"
	// ReasonScaleDown: the pod's ordinal is outside the range.
	ReasonScaleDown Reason = "ScaleDown"
	// ReasonRollingUpdate: the pod is not at the update revision.
	ReasonRollingUpdate Reason = "RollingUpdate"
	// ReasonIdentityRepair: the pod's identity label or claim volumes
	// differ from what its ordinal implies.
	ReasonIdentityRepair Reason = "IdentityRepair"
	// ReasonClaimRetention: the claim's owner references do not match the
	// retention policy.
	ReasonClaimRetention Reason = "ClaimRetention"
	// ReasonAdopt: an orphan pod matches the set.
	ReasonAdopt Reason = "Adopt"
	// ReasonRelease: an owned pod no longer matches the set.
	ReasonRelease Reason = "Release"
	// ReasonRevisionHistoryLimit: a revision no pod uses is beyond
	// revisionHistoryLimit.
	ReasonRevisionHistoryLimit Reason = "RevisionHistoryLimit"
	// ReasonRecreate: the Recreate update deletes a pod not at the update
	// revision (1.37, gate StatefulSetRecreateStrategy).
	ReasonRecreate Reason = "Recreate"
)

// Reasons for Blocked.
const (
	// ReasonSetDeleting: the set is being deleted; only status is computed.
	ReasonSetDeleting Reason = "SetDeleting"
	// ReasonWaitingForRunningReady: OrderedReady waits for this pod to be
	// Running and Ready.
	ReasonWaitingForRunningReady Reason = "WaitingForRunningReady"
	// ReasonWaitingForAvailable: the pod is Ready but not yet for
	// minReadySeconds.
	ReasonWaitingForAvailable Reason = "WaitingForAvailable"
	// ReasonWaitingForTermination: the pod is being deleted.
	ReasonWaitingForTermination Reason = "WaitingForTermination"
	// ReasonWaitingForStatus: the pod exists but has no phase yet.
	ReasonWaitingForStatus Reason = "WaitingForStatus"
	// ReasonWaitingForCreation: the pod was created in this pass.
	ReasonWaitingForCreation Reason = "WaitingForCreation"
	// ReasonWaitingForReplacement: a finished pod was deleted and comes back
	// on a later pass.
	ReasonWaitingForReplacement Reason = "WaitingForReplacement"
	// ReasonStaleClaim: a claim of the pod to create still belongs to the
	// previous pod of that name and is about to be garbage-collected.
	ReasonStaleClaim Reason = "StaleClaim"
	// ReasonPodNameTaken: a pod with the name of the pod to create exists
	// but is not the set's (another owner, or labels the selector does not
	// match), so creating it fails.
	ReasonPodNameTaken Reason = "PodNameTaken"
	// ReasonInvalidMaxUnavailable: maxUnavailable cannot be scaled, so the
	// rolling update fails.
	ReasonInvalidMaxUnavailable Reason = "InvalidMaxUnavailable"
	// ReasonClaimTerminating: a claim the pod needs is being deleted.
	ReasonClaimTerminating Reason = "ClaimTerminating"
	// ReasonMaxUnavailable: the rolling update's unavailability budget is used up.
	ReasonMaxUnavailable Reason = "MaxUnavailable"
	// ReasonWaitingForUpdatedPod: the rolling update waits for a pod already
	// at the update revision to become healthy. If it never does, the new
	// template is broken and the update is stuck until the template is fixed
	// (kubernetes/kubernetes#67250).
	ReasonWaitingForUpdatedPod Reason = "WaitingForUpdatedPod"
	// ReasonOutdatedPodUnhealthy: progress waits for a pod that is not at
	// the update revision and not healthy. Kubernetes never replaces it by
	// itself (kubernetes/kubernetes#67250): delete it to let it come back at
	// the update revision.
	ReasonOutdatedPodUnhealthy Reason = "OutdatedPodUnhealthy"
	// ReasonRecreateWaiting: the Recreate update waits for the pods not at
	// the update revision to be gone before it creates any.
	ReasonRecreateWaiting Reason = "RecreateWaiting"
	// ReasonStaleObservation: with StaleControllerConsistencyStatefulSet
	// (on from 1.36) the observation is older than the controller's own
	// last writes for the set (Options.Read behind Options.Wrote), so the
	// pass is skipped; ask again once it has caught up.
	ReasonStaleObservation Reason = "StaleObservation"
)

// Reasons for warnings.
const (
	// ReasonConflictingController: a claim has a controller owner other than
	// the set or its pod, so the retention policy cannot be applied.
	ReasonConflictingController Reason = "ConflictingController"
	// ReasonUnknownStrategy: the set asks for the Recreate strategy on a
	// 1.37 controller whose StatefulSetRecreateStrategy gate is off; the
	// controller records this Warning and does nothing else but trim
	// history. It is also Blocked's reason then.
	ReasonUnknownStrategy Reason = "UnknownStrategy"
)
