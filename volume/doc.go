// Package volume implements the decisions of the Kubernetes
// PersistentVolume controller, the PVC and PV protection controllers and
// the scheduler's volume binding, for every supported release (1.34 to
// 1.37, chosen by a Release), as pure functions: which volume a claim binds to and why, what binding writes, when
// to wait, provision or assign the default class, what happens to a volume
// when its claim goes away, in-use protection, and what access modes mean for
// pods. A caller passes in what it observed; it gets back plain data with a
// Reason and a message on every decision. Nothing here does I/O, reads a
// clock or keeps state between calls, and inputs are never modified.
//
// # Entry points
//
//   - BindPVC: the claim sync (syncClaim) for one claim. Unbound claims are
//     matched (FindMatch), otherwise the default class is assigned, the claim
//     waits for its first consumer, provisioning is asked for, or the claim
//     stays Pending with FailedBinding. Claims naming a volume are checked
//     against it; claims bound once are kept bound or declared Lost. With
//     Options.Node it answers the scheduler's question instead: can this
//     claim be satisfied on that node, by which volume or by provisioning.
//   - FindMatch: the search alone (FindMatchingVolume), allocation free on the
//     controller path. Explain lists every volume with the rule that rejects
//     it, for claims that stay Pending.
//   - BindClaims and Index: many claims against many volumes at once, never
//     giving one volume to two claims.
//   - SyncVolume: the volume sync (syncVolume) and reclaim policies.
//   - ClaimProtection, VolumeProtection: in-use protection finalizers.
//   - PodAccess: ReadWriteOnce, ReadWriteOncePod, ReadOnlyMany and
//     ReadWriteMany seen from pods.
//   - ValidateVolume, ValidateClaim: the API server's validation with
//     field-path errors (FieldError, usable with errors.As), worded as
//     pkg/apis/core/validation prints them.
//   - DefaultVolume, DefaultClaim, DefaultStorageClass: the API server's
//     core/v1 and storage/v1 defaults, for objects built by hand.
//
// Every entry point follows a Release: Options.Release and
// MatchOptions.Release, or a trailing rel argument (SyncVolume,
// ClaimProtection, Validate*, Default*). The zero Release is the newest
// supported one; a release or feature gate the cluster's own command line
// would refuse is an error.
//
// # Kubernetes releases
//
// What changes between the supported releases, and the test that pins it:
//
//	release    gate                                   behaviour                                                  test
//	1.34-1.35  VolumeAttributesClass (GA, may be off)  off: volumes with an attributes class are never chosen,    TestFindMatchingVolumeAttributesClassGateOff
//	                                                  a claim setting one is refused by the search (BindPVC
//	                                                  errors and BindClaims fails that claim when some volume
//	                                                  offers its access modes; SchedulePod unless PreFilter or
//	                                                  the selected-node fast path refuses the pod first), a     TestFindPodVolumesAttributesClassGateOff
//	                                                  named one stays Pending (VolumeMismatch)                   TestCheckVolumeSatisfyClaimAttributesClassGateOff
//	1.34-1.35  VolumeAttributesClass off              validation skips volumeAttributesClassName                 TestValidationOptionsVolumeAttributesClass
//	1.34-1.35  VolumeAttributesClass off              creating drops the attributes class (Default*)             TestDropDisabledFieldsVolumeAttributesClass
//	1.36-1.37  VolumeAttributesClass locked on        turning it off is an error                                 TestValidationOptionsVolumeAttributesClass
//	1.35-1.37  -                                      an empty CSI driver is only Required (1.34: also an        TestValidateCSIDriverNameEmpty
//	                                                  invalid name)
//	1.35-1.37  -                                      a claim selector's label keys and values are measured in   TestValidateClaimSelectorWordingByRelease
//	                                                  bytes (apimachinery's content package), not characters
//	1.34-1.37  HonorPVReclaimPolicy (locked on in     kubernetes.io/pv-controller finalizer kept in step with    TestHonorPVReclaimPolicyEveryRelease
//	           1.34-1.35, removed from 1.36)          the Delete policy alike on every release
//	1.36       PersistentVolumeClaimUnusedSinceTime   alpha, off: with it on, ClaimProtection keeps the claim's  TestPVCProtectionUpdateUnusedCondition
//	                                                  Unused condition on every live claim
//	1.37       PersistentVolumeClaimUnusedSinceTime   beta, on: the Unused condition, on Bound claims only        TestPVCProtectionUpdateUnusedCondition,
//	                                                                                                             ExampleClaimProtection
//	1.35-1.37  MutablePVNodeAffinity (alpha, off)     update validation only, which is not modelled              -
//
// Beyond these the PV controller, the protection controllers, the volume
// binding filter, and the PV, PVC and StorageClass validation and defaults
// decide alike in all four releases: 1.36 reorders the Delete policy (the
// deleter is looked up before the volume is read again) and retries failed
// syncs with a rate-limited queue, neither of which changes a decision
// here; 1.37 skips volume binding for a pod whose resize is deferred
// (InPlacePodVerticalScalingSchedulerPreemption), which SchedulePod, taking
// claims rather than pods, does not see; StorageCapacityScoring (beta, on
// in 1.37) changes scoring, which is not modelled.
//
// # Validation and the controller
//
// Where validation and the controller differ, this package follows the
// controller: BindPVC, BindClaims, SchedulePod and SyncVolume decide on any
// object the controller could observe (stored before validation tightened,
// or a caller's own resource) exactly as the controller does, and list what
// validation would reject in the result's Warnings. They return an error
// only where the controller's own sync fails (a claim's class without a
// binding mode; a claim searched for with an attributes class while that
// feature is off) or the release is not supported. In BindClaims such a
// claim fails alone, as the controller's sync of one claim does not stop
// the next: the others are decided and the error (ClaimErrors) names it.
//
// # Matching (FindMatch)
//
// The controller groups volumes by their canonical access-mode set and
// searches the sets that contain every requested mode, fewest modes first;
// the first set with a match wins, so a 100Gi ReadWriteOnce volume beats a
// 2Gi ReadWriteOnce+ReadOnlyMany one for a ReadWriteOnce claim. Within a set
// a volume is skipped when it is reserved for another claim (claimRef with
// another namespace/name, or another UID), smaller than the request, of
// another volumeMode (unset is Filesystem), of another
// volumeAttributesClassName, or being deleted. A volume whose claimRef names
// the claim wins its set at once, without looking at its phase, class or
// labels. Otherwise, with delayed binding (WaitForFirstConsumer) and no node
// nothing else qualifies; a volume must be Available, match the claim's
// selector and have the same storage class (the beta annotation wins over
// spec.storageClassName; unset and "" both mean "no class"). The smallest
// fitting volume is kept.
//
// The scheduler (Options.Node / MatchOptions.Node) searches the volumes of
// the claim's class in one flat list, checks the volume's node affinity
// against the node (a volume reserved for the claim that the node cannot
// reach ends the search without a match, leaving provisioning), checks
// access modes one by one (but not for a volume reserved for the claim,
// which it takes as is), and does not apply delayed binding. SchedulePod
// takes a pod's claims in increasing request size (equal ones in the pod's
// order) so that each claim sees the volumes the earlier ones left; a claim
// that names a volume without having finished binding, or is of immediate
// binding and unbound, makes every node infeasible; a claim the scheduler
// already gave a node is provisioned there and nowhere else.
//
// # Tie-break
//
// Where Kubernetes leaves the order open (map iteration, informer order),
// this package decides deterministically: access-mode sets with fewer modes
// first; sets of equal size by their mode list in the canonical order
// ReadWriteOnce < ReadOnlyMany < ReadWriteMany < ReadWriteOncePod (so
// {RWO,ROX} before {RWO,RWX} before {ROX,RWX}); within a set a volume
// reserved for the claim first, then the smallest capacity, then the
// smallest name. Volume names are unique in a cluster; should two volumes
// share a name, the earlier one in the input wins. BindClaims settles claims
// that name their volume first, then the others by namespace, name and UID.
//
// # Quantities
//
// Sizes are Quantity values, exact in the Kubernetes quantity syntax: an
// integral value that fits an int64 is kept as one (the fast path, one
// integer comparison); fractions (1500m) and decimal values beyond int64
// (800E, 950E) are kept as the decimal digits of the value in units of
// 10^-9, which still compare exactly and without allocation. Parsing
// rounds up to 10^-9 and caps binary-suffixed values at 2^63-1 as
// apimachinery does. A claim naming its volume compares whole bytes rounded
// up (1500m satisfies a request of 2), as the controller does there.
//
// # Lifecycle
//
// Volume phases: Pending (new), Available (free, or reserved by a claimRef
// without UID), Bound, Released (claim gone), Failed (automatic reclaim
// failed). Claim phases: Pending, Bound, Lost (bound once, then the volume
// vanished or went to another claim). When a claim goes away its volume is
// Released and then: Retain keeps it Released with its claimRef; Delete
// hands it to the external provisioner or CSI driver, deletes it in-tree
// (hostPath paths matching /tmp/.+ only) or fails it; Recycle (NFS and
// hostPath only) scrubs it and makes it Available once no pod that has not
// terminated uses the old claim.
//
// Before anything else the controller keeps a volume's and a claim's
// pv.kubernetes.io/migrated-to annotation in step with CSI migration, and
// the kubernetes.io/pv-controller finalizer on volumes an in-tree plugin
// provisioned with policy Delete: VolumeResult and ClaimUpdate carry those
// writes too.
//
// # Differences from Kubernetes
//
//   - Sizes are compared exactly everywhere. When a claim names its volume
//     the controller compares whole bytes as int64, which wraps beyond 2^63
//     bytes (8Ei); no real storage is that large, so no option is offered.
//   - Where Kubernetes leaves the order open (see Tie-break) the choice is
//     documented and repeatable; Kubernetes may pick another of equally
//     good volumes, or of two volumes reserved for one claim.
//   - BindClaims settles claims in its documented order; the controller
//     takes them in work-queue order. Each claim sees the volumes earlier
//     ones took, as the controller does once its own writes are in its cache.
//
// # Limits
//
//   - Exponents of quantities are limited to ±1000 (Kubernetes accepts
//     larger ones, which describe no real storage).
//   - In-tree provisioning: kube-controller-manager registers only the
//     hostPath provisioner, disabled by default; a class naming it gets the
//     provisioner annotations and ProvisioningFailed, as there. Other
//     kubernetes.io/ names fail unless CSI migration maps them to an external
//     CSI driver (aws-ebs, gce-pd, azure-disk, azure-file, cinder,
//     vsphere-volume, portworx-volume).
//   - The scheduler's CSI storage-capacity check and scoring, RWOP
//     preemption and update validation (immutable source and volumeMode,
//     node affinity under MutablePVNodeAffinity) are not modelled.
//   - No decision depends on time (ClaimProtection only stamps the Unused
//     condition with the caller's now): the controller's periodic resync
//     and its backoff between failed operations are the caller's loop, so
//     results carry no "ask again at" time.
package volume
