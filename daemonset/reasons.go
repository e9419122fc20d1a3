package daemonset

// Reason is a machine-readable cause carried by every action, budget holder
// and node explanation.
type Reason string

// Reasons for node eligibility (ExplainNode).
const (
	// ReasonEligible: the node satisfies every constraint; a pod runs there.
	ReasonEligible Reason = "Eligible"
	// ReasonNodeNameMismatch: the template pins another node.
	ReasonNodeNameMismatch Reason = "NodeNameMismatch"
	// ReasonNodeSelectorMismatch: a nodeSelector pair is missing on the node.
	ReasonNodeSelectorMismatch Reason = "NodeSelectorMismatch"
	// ReasonNodeAffinityMismatch: no required node affinity term matches.
	ReasonNodeAffinityMismatch Reason = "NodeAffinityMismatch"
	// ReasonUntoleratedNoSchedule: an untolerated NoSchedule taint blocks new
	// pods; an existing pod may stay.
	ReasonUntoleratedNoSchedule Reason = "UntoleratedNoSchedule"
	// ReasonUntoleratedNoExecute: an untolerated NoExecute taint; existing
	// pods must go too.
	ReasonUntoleratedNoExecute Reason = "UntoleratedNoExecute"
)

// Reasons for creates.
const (
	// ReasonMissingPod: an eligible node has no daemon pod.
	ReasonMissingPod Reason = "MissingPod"
	// ReasonSurgeReplacement: surge is allowed and every pod on the node is
	// being deleted or finished, so a replacement starts at once.
	ReasonSurgeReplacement Reason = "SurgeReplacement"
	// ReasonReplaceUnavailable: an old pod is not available; its new pod is
	// created next to it without using the surge budget.
	ReasonReplaceUnavailable Reason = "ReplaceUnavailable"
	// ReasonSurge: a new pod next to an available old one, within maxSurge.
	ReasonSurge Reason = "Surge"
)

// Reasons for deletes.
const (
	// ReasonFailedDaemonPod: a failed pod is deleted so a fresh one can start
	// (a Warning event upstream).
	ReasonFailedDaemonPod Reason = "FailedDaemonPod"
	// ReasonSucceededDaemonPod: a daemon pod exited successfully.
	ReasonSucceededDaemonPod Reason = "SucceededDaemonPod"
	// ReasonDuplicatePod: more pods on one node than the strategy allows.
	ReasonDuplicatePod Reason = "DuplicatePod"
	// ReasonNodeIneligible: the node no longer accepts the pod (selector,
	// affinity, nodeName or an untolerated NoExecute taint).
	ReasonNodeIneligible Reason = "NodeIneligible"
	// ReasonNodeGone: an unscheduled pod targets a node that no longer exists.
	ReasonNodeGone Reason = "NodeGone"
	// ReasonOldUnavailable: an old pod that is not available is replaced
	// regardless of the budget.
	ReasonOldUnavailable Reason = "OldPodUnavailable"
	// ReasonRollingUpdate: an available old pod is deleted within
	// maxUnavailable.
	ReasonRollingUpdate Reason = "RollingUpdate"
	// ReasonSurgeComplete: the new pod next to an old one is available.
	ReasonSurgeComplete Reason = "SurgeComplete"
	// ReasonOldNotReady: with surge, an old pod that is not ready next to a
	// new pod.
	ReasonOldNotReady Reason = "OldPodNotReady"
	// ReasonMovedAway: with surge, an old available pod on a node that should
	// no longer run one, deleted once enough pods elsewhere are available.
	ReasonMovedAway Reason = "MovedAway"
)

// Reasons for ownership changes and budget holders.
const (
	// ReasonAdopt: an orphan whose labels match the selector.
	ReasonAdopt Reason = "Adopt"
	// ReasonRelease: a pod whose labels no longer match the selector.
	ReasonRelease Reason = "Release"
	// ReasonNoPod: an eligible node without a usable pod holds budget.
	ReasonNoPod Reason = "NoPod"
	// ReasonExcessPods: a node with several old or several new pods.
	ReasonExcessPods Reason = "ExcessPods"
	// ReasonBothRevisions: a node with an old and a new pod.
	ReasonBothRevisions Reason = "BothRevisions"
	// ReasonNewUnavailable: a new pod that is not available yet.
	ReasonNewUnavailable Reason = "NewPodUnavailable"
)
