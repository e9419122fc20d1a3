package daemonset

import (
	"time"

	"github.com/purectl/purectl/api"
	"github.com/purectl/purectl/internal/intstr"
)

// Shared types a caller builds, re-exported so that callers never import
// internal packages.
type (
	// LabelSelector is a metav1.LabelSelector: nil selects nothing, an empty
	// one selects everything.
	LabelSelector = api.LabelSelector
	// LabelRequirement is one matchExpressions entry of a LabelSelector.
	LabelRequirement = api.LabelRequirement
	// NodeSelector is a required node affinity: terms ORed, requirements ANDed.
	NodeSelector = api.NodeSelector
	// NodeSelectorTerm is one term of a NodeSelector.
	NodeSelectorTerm = api.NodeSelectorTerm
	// NodeSelectorRequirement is one matchExpressions or matchFields entry.
	NodeSelectorRequirement = api.NodeSelectorRequirement
	// Taint is a node taint.
	Taint = api.Taint
	// Toleration is a pod toleration.
	Toleration = api.Toleration
	// IntOrString is an int or a percentage such as "25%".
	IntOrString = api.IntOrString
	// TaintEffect is NoSchedule, PreferNoSchedule or NoExecute.
	TaintEffect = api.TaintEffect
	// TolerationOperator is Equal (or empty) or Exists.
	TolerationOperator = api.TolerationOperator
	// LabelOperator is a label selector operator.
	LabelOperator = api.LabelOperator
	// NodeSelectorOperator is a node selector operator.
	NodeSelectorOperator = api.NodeSelectorOperator
)

// Constants re-exported from the shared mechanics.
const (
	TaintEffectNoSchedule       = api.TaintEffectNoSchedule
	TaintEffectPreferNoSchedule = api.TaintEffectPreferNoSchedule
	TaintEffectNoExecute        = api.TaintEffectNoExecute

	TolerationOpEqual  = api.TolerationOpEqual
	TolerationOpExists = api.TolerationOpExists

	LabelOpIn           = api.LabelOpIn
	LabelOpNotIn        = api.LabelOpNotIn
	LabelOpExists       = api.LabelOpExists
	LabelOpDoesNotExist = api.LabelOpDoesNotExist

	NodeOpIn           = api.NodeOpIn
	NodeOpNotIn        = api.NodeOpNotIn
	NodeOpExists       = api.NodeOpExists
	NodeOpDoesNotExist = api.NodeOpDoesNotExist
	NodeOpGt           = api.NodeOpGt
	NodeOpLt           = api.NodeOpLt

	// FieldMetadataName is the node field a matchFields requirement names.
	FieldMetadataName = api.FieldMetadataName
)

// FromInt returns the integer IntOrString i.
func FromInt(i int32) IntOrString { return intstr.FromInt(i) }

// FromString returns the string IntOrString s, e.g. "25%".
func FromString(s string) IntOrString { return intstr.FromString(s) }

// Label keys the controller reads and writes on daemon pods.
const (
	// LabelRevisionHash carries the hash of the ControllerRevision a pod was
	// created from (apps/v1 controller-revision-hash).
	LabelRevisionHash = "controller-revision-hash"
	// LabelTemplateGeneration is the deprecated pod-template-generation label,
	// set when the DaemonSet carries the template-generation annotation.
	LabelTemplateGeneration = "pod-template-generation"
	// AnnotationTemplateGeneration is the deprecated DaemonSet annotation
	// that counts template changes (DaemonSet.TemplateGeneration).
	AnnotationTemplateGeneration = "deprecated.daemonset.template.generation"
)

// The taint keys of the tolerations the controller adds to every daemon pod.
const (
	TaintNodeNotReady           = "node.kubernetes.io/not-ready"
	TaintNodeUnreachable        = "node.kubernetes.io/unreachable"
	TaintNodeDiskPressure       = "node.kubernetes.io/disk-pressure"
	TaintNodeMemoryPressure     = "node.kubernetes.io/memory-pressure"
	TaintNodePIDPressure        = "node.kubernetes.io/pid-pressure"
	TaintNodeUnschedulable      = "node.kubernetes.io/unschedulable"
	TaintNodeNetworkUnavailable = "node.kubernetes.io/network-unavailable"
)

// StrategyType is the DaemonSet update strategy.
type StrategyType string

// The update strategies.
const (
	// RollingUpdate replaces old pods under the maxUnavailable/maxSurge budget.
	RollingUpdate StrategyType = "RollingUpdate"
	// OnDelete replaces a pod only after something else deleted it.
	OnDelete StrategyType = "OnDelete"
)

// RestartPolicy is a pod restart policy; a DaemonSet template must use Always.
type RestartPolicy string

// The restart policies.
const (
	RestartAlways    RestartPolicy = "Always"
	RestartOnFailure RestartPolicy = "OnFailure"
	RestartNever     RestartPolicy = "Never"
)

// PodPhase is a pod's status.phase.
type PodPhase string

// The pod phases.
const (
	PodPending   PodPhase = "Pending"
	PodRunning   PodPhase = "Running"
	PodSucceeded PodPhase = "Succeeded"
	PodFailed    PodPhase = "Failed"
	PodUnknown   PodPhase = "Unknown"
)

// Node is what the planner needs of a node: its name, labels and taints.
// Conditions and spec.unschedulable play no part (the controller reads them
// only through the taints the node lifecycle controller sets).
type Node struct {
	Name   string
	Labels map[string]string
	Taints []Taint
}

// Pod is what the planner needs of a pod.
type Pod struct {
	Name string
	// Namespace of the pod; empty means the DaemonSet's namespace.
	Namespace string
	Labels    map[string]string
	// ControllerUID is the UID of the owner reference with controller=true;
	// empty for an orphan.
	ControllerUID string
	// NodeName is spec.nodeName; empty until the scheduler binds the pod.
	NodeName string
	// RequiredNodeAffinity is spec.affinity.nodeAffinity.required...; the
	// controller reads the target node of an unbound pod from its
	// matchFields metadata.name In [node] requirement.
	RequiredNodeAffinity *NodeSelector
	Phase                PodPhase
	// Ready is the Ready condition being True.
	Ready bool
	// ReadySince is the lastTransitionTime of the Ready condition.
	ReadySince        time.Time
	CreationTimestamp time.Time
	// Deleting is metadata.deletionTimestamp being set.
	Deleting bool
}

// PodTemplate is the part of spec.template the planner reads.
type PodTemplate struct {
	Labels map[string]string
	// NodeName is spec.template.spec.nodeName; when set the DaemonSet runs on
	// that node only.
	NodeName     string
	NodeSelector map[string]string
	// RequiredNodeAffinity is
	// affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution;
	// nil imposes nothing.
	RequiredNodeAffinity *NodeSelector
	Tolerations          []Toleration
	// HostNetwork adds the network-unavailable toleration.
	HostNetwork bool
	// RestartPolicy; empty means Always (the API default).
	RestartPolicy RestartPolicy
	// ActiveDeadlineSeconds must be nil for a DaemonSet.
	ActiveDeadlineSeconds *int64
}

// RollingUpdateParams is spec.updateStrategy.rollingUpdate. A nil field takes
// the apps/v1 default: maxUnavailable 1, maxSurge 0.
type RollingUpdateParams struct {
	MaxUnavailable *IntOrString
	MaxSurge       *IntOrString
}

// UpdateStrategy is spec.updateStrategy. The zero value is the apps/v1
// default, RollingUpdate with maxUnavailable 1.
type UpdateStrategy struct {
	// Type; empty means RollingUpdate.
	Type StrategyType
	// RollingUpdate; nil means the defaults. Ignored for OnDelete.
	RollingUpdate *RollingUpdateParams
}

// Spec is the DaemonSet spec, plus the hash of its current revision.
type Spec struct {
	Selector *LabelSelector
	Template PodTemplate
	// UpdateStrategy; the zero value is RollingUpdate, maxUnavailable 1.
	UpdateStrategy  UpdateStrategy
	MinReadySeconds int32
	// RevisionHistoryLimit; nil means 10. Only validated here: revisions
	// are the caller's business.
	RevisionHistoryLimit *int32
	// CurrentHash is the controller-revision-hash of the current
	// ControllerRevision (the FNV hash of the serialised template, which only
	// the caller can compute). A pod whose label equals it is up to date.
	CurrentHash string
}

// NodeBackoff is the failed-pod backoff of one node: the controller's only
// memory between passes, kept by the caller and handed back in. The plan
// returns the updated record.
type NodeBackoff struct {
	Node string
	// Generation is the DaemonSet's status.observedGeneration when the entry
	// was written; entries of another generation are ignored and dropped.
	Generation int64
	// LastUpdate is when a failed pod on the node was last deleted.
	LastUpdate time.Time
	// Delay is the current backoff: 1s, doubling, at most 15m.
	Delay time.Duration
}

// DaemonSet is the object the planner reconciles. Its metadata fields are
// those every purectl package's top-level object has; each says whether
// the controller reads it.
type DaemonSet struct {
	// Name is metadata.name; read: it names the created pods
	// (Plan.NewPodGenerateName) and their owner reference.
	Name string
	// Namespace is metadata.namespace; read: only pods of this namespace
	// (or with none) are the DaemonSet's.
	Namespace string
	// UID is metadata.uid; read: it tells the DaemonSet's pods (their
	// controller reference) from others.
	UID string
	// Generation is metadata.generation; reported as observedGeneration.
	Generation int64
	// Labels is metadata.labels; not read (created pods carry the
	// template's labels).
	Labels map[string]string
	// Annotations is metadata.annotations; read for the deprecated
	// template-generation annotation (AnnotationTemplateGeneration) when
	// TemplateGeneration is empty, nothing else.
	Annotations map[string]string
	// CreationTimestamp is metadata.creationTimestamp; not read.
	CreationTimestamp time.Time
	// DeletionTimestamp is metadata.deletionTimestamp; zero: not being
	// deleted. Read: a DaemonSet being deleted is not synced (Plan.Skipped).
	DeletionTimestamp time.Time

	// ObservedGeneration is status.observedGeneration, part of the failed-pod
	// backoff key.
	ObservedGeneration int64
	// TemplateGeneration is the value of the deprecated annotation
	// deprecated.daemonset.template.generation; empty means the one in
	// Annotations, if any. It is read as an integer; a value that does not
	// parse is ignored.
	TemplateGeneration string
	Spec               Spec
	// FailedPodBackoff is the backoff record the previous plan returned.
	FailedPodBackoff []NodeBackoff

	// WritesObserved says that the caller's writes become visible before
	// the controller looks again within the same pass, as with a pod
	// control that updates the caller's cache at once (the one upstream's
	// unit tests use). Then the rolling-update step runs in the same pass
	// as the per-node reconcile, on the pods as they are once its creates
	// and deletes are applied, and the status counts the pods as they are
	// after both steps. False is the informer-fed controller: creates and
	// deletes leave its expectations unmet, so the rolling update waits for
	// a pass where the reconcile has nothing to do.
	//
	// A delete is applied as the API server applies it: an unbound or
	// finished pod disappears, any other pod is marked as being deleted. A
	// created pod is the Create's pod (not ready, unbound, created now);
	// it sorts after the older pods of its creation time, and should a
	// later step of the pass delete it, its name is a placeholder starting
	// with a tilde.
	WritesObserved bool
	// RequeueAfterMinReady asks for the controller's own requeue instead
	// of the exact one: now plus minReadySeconds when some counted pod is
	// ready but not yet available, and now plus the current backoff delay
	// when a failed pod waits for its backoff. See Plan.RequeueAt.
	RequeueAfterMinReady bool
	// Unobserved says which of the controller's own writes of earlier
	// passes the view handed in (the pods, this DaemonSet) does not show
	// yet. The zero value, everything observed, is what a caller that
	// applies each plan before asking again has.
	Unobserved Unobserved
}

// Unobserved lists the kinds of the controller's own earlier writes that
// are missing from the view a pass is given, as with an informer cache
// that lags behind. The controller guards against two of them differently
// in different releases:
//
//   - Every release: while a created pod is missing, or a deleted one is
//     still shown as before its delete, the controller's expectations are
//     unmet and the pass only recounts the status from what it sees,
//     without raising observedGeneration (Plan.StatusOnly): nothing is
//     created, deleted or rolled; adoptions and releases still happen.
//   - From 1.36 (StaleControllerConsistencyDaemonSet, beta, on): while a
//     pod it created or adopted, or the status it wrote, is missing, the
//     pass does nothing at all (Plan.Skipped) and is retried with the work
//     queue's rate limit once the cache catches up. Deletes are not
//     tracked this way (a delete returns no resource version), so
//     Deletes alone still gives a status-only pass.
//
// Before 1.36 an adoption or status write that is not yet seen changes
// nothing: the controller acts on the view it has.
type Unobserved struct {
	// Creates: a pod created by an earlier pass is not among the pods.
	Creates bool
	// Deletes: a pod deleted by an earlier pass is still among the pods as
	// it was before the delete.
	Deletes bool
	// Adoptions: a pod adopted by an earlier pass still shows no
	// controller reference.
	Adoptions bool
	// Status: the DaemonSet's status is older than the one an earlier pass
	// wrote.
	Status bool
}

// Status is the DaemonSet status the controller would write.
type Status struct {
	ObservedGeneration     int64
	DesiredNumberScheduled int
	CurrentNumberScheduled int
	NumberMisscheduled     int
	NumberReady            int
	UpdatedNumberScheduled int
	NumberAvailable        int
	NumberUnavailable      int
}

// Create asks for one daemon pod on a node. The pod is the template with
// Plan.NewPodLabels and Plan.NewPodTolerations, the template's annotations,
// the owner reference Plan.NewPodOwner, a name generated from
// Plan.NewPodGenerateName, its required node affinity replaced by the single
// term matchFields metadata.name In [Node], and spec.nodeName left empty for
// the scheduler: everything the controller sets on a daemon pod.
type Create struct {
	Node string
	// RequiredNodeAffinity is the pod's required node affinity as the
	// controller rewrites it: the single term matchFields metadata.name
	// In [Node]; the template's required terms are dropped, its preferred
	// terms and other affinities are kept.
	RequiredNodeAffinity *NodeSelector
	Reason               Reason
	Message              string
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

// Delete asks to delete one pod.
type Delete struct {
	Pod string
	// Node the pod is mapped to (spec.nodeName, or its affinity target).
	Node    string
	Reason  Reason
	Message string
}

// OwnerChange asks to adopt an orphan (add the controller reference) or to
// release a pod (remove it) whose labels stopped matching the selector.
type OwnerChange struct {
	Pod     string
	Reason  Reason
	Message string
}

// BudgetHolder is a node that holds part of the rolling-update budget: it
// counts against maxUnavailable (no surge) or maxSurge (surge).
type BudgetHolder struct {
	Node    string
	Reason  Reason
	Message string
}

// Rollout describes the rolling-update step of the pass.
type Rollout struct {
	// Evaluated is false for OnDelete, and when the pass already had create
	// or delete work and DaemonSet.WritesObserved is false: like the
	// controller waiting for its expectations, the rolling update runs on
	// the next pass, once that work is observed.
	Evaluated bool
	// MaxUnavailable and MaxSurge are the budgets scaled against
	// DesiredNumberScheduled (percentages rounded up; both zero gives
	// maxUnavailable 1).
	MaxUnavailable int
	MaxSurge       int
	// Unavailable (no surge) or Surging (surge) is how much of the budget
	// is in use before this pass's deletions or creations.
	Unavailable int
	Surging     int
	// Holders are the nodes counted in Unavailable or Surging, by node name.
	Holders []BudgetHolder
	// Blocked is non-empty when the controller would fail this step (an
	// old pod is mapped to a node that is not in the node list, or
	// maxUnavailable or maxSurge is not an integer or a percentage).
	Blocked string
}

// Plan is what one controller pass does.
type Plan struct {
	// Creates, by node name.
	Creates []Create
	// Deletes, by node name then pod name.
	Deletes []Delete
	// Adopt and Release, by pod name.
	Adopt   []OwnerChange
	Release []OwnerChange
	// DeferredCreates and DeferredDeletes count the actions left for a
	// later pass because a pass issues at most BurstReplicas of each.
	DeferredCreates int
	DeferredDeletes int
	// NewPodLabels and NewPodTolerations are what a created pod carries:
	// the template labels plus the revision labels, and the template
	// tolerations merged with the controller's. Nil without creates.
	NewPodLabels      map[string]string
	NewPodTolerations []Toleration
	// NewPodOwner is the controller reference of a created pod (apps/v1
	// DaemonSet, controller and blockOwnerDeletion set); zero without
	// creates.
	NewPodOwner OwnerReference
	// NewPodGenerateName is a created pod's metadata.generateName, the
	// DaemonSet's name and a dash; empty without creates.
	NewPodGenerateName string
	// FailedPodBackoff is the updated backoff record, by node name; a pass
	// held for unobserved writes returns the record it was given (less the
	// entries that have expired).
	FailedPodBackoff []NodeBackoff
	Status           Status
	Rollout          Rollout
	// RequeueAt is the earliest instant at which a call with the same inputs
	// would decide differently only because time passed (a pod reaching
	// minReadySeconds, a backoff running out); zero if none. With
	// DaemonSet.RequeueAfterMinReady it is the controller's own, coarser
	// requeue instead.
	RequeueAt time.Time
	// Skipped is non-empty when the DaemonSet is not synced at all (it is
	// being deleted, its selector is empty, or from 1.36 the view lacks the
	// controller's own writes, see Unobserved); then the plan is otherwise
	// empty but for Warnings.
	Skipped string
	// StatusOnly says the pass only recounted the status and reconciled
	// ownership, as the controller does while its expectations are unmet
	// (Unobserved.Creates or Deletes): no creates, deletes or rolling
	// update, and Status.ObservedGeneration stays the DaemonSet's.
	StatusOnly bool
	// Warnings lists what the API server's validation (Validate) would
	// reject in the spec. The controller acts on such an object all the
	// same (one stored before validation tightened, or a caller's own
	// resource), and so does the plan.
	Warnings []*FieldError
}
