// Package statefulset decides what one pass of the Kubernetes StatefulSet
// controller does, as plain data: NextStatefulAction takes the set, the
// pods and claims observed, the current time and the release to follow
// (Options.Release, 1.34 to 1.37; zero is the newest), and returns the
// writes to issue, each with a Reason and a message, the pod progress
// waits on, the status to report and when to ask again. It does no I/O.
//
// # Identity
//
// A set named web with replicas n and spec.ordinals.start s owns ordinals
// s … s+n-1; pod web-<ordinal> lives in slot ordinal-s. A pod name is read
// at its last '-' followed only by digits (ParseOrdinal). Pods of the set
// with an ordinal outside the range are condemned. New pods get the labels
// statefulset.kubernetes.io/pod-name, apps.kubernetes.io/pod-index and
// controller-revision-hash, hostname = pod name, subdomain = serviceName,
// and one volume per claim template referencing claim
// <template>-<set>-<ordinal>. A live pod whose identity label or claim
// volumes are wrong is repaired in place (UpdatePod), never deleted for it.
//
// # One pass
//
// The pass follows the controller of the chosen release write for write:
//
//  1. Orphans that match the selector and the set's name are adopted; owned
//     pods that no longer match are released.
//  2. In-range slots, ascending. A Failed or Succeeded pod is deleted (its
//     replacement, with the same name and claims, comes on a later pass). A
//     missing pod is created after its missing claims, at the current
//     revision below the partition and the update revision otherwise (with
//     a RollingUpdate strategy that has no rollingUpdate, below
//     status.currentReplicas). Claims are created without owner
//     references; once observed, they get those the retention policy asks
//     for: right after their pod is created, on every pass while it is
//     Pending, and whenever a live pod is checked, in which case the pod is
//     written too. Under OrderedReady the scan stops at the first pod
//     created, terminating, not Running and Ready, or Ready for less than
//     minReadySeconds; under Parallel nothing stops it, and work is done in
//     slow-start batches (1, 2, 4 … 500) where a failing write (a claim
//     being deleted, a pod name another object holds) ends the pass after
//     its batch.
//  3. Claims of condemned pods get the owner references the retention policy
//     asks for (whenScaled=Delete points them at the pod, so garbage
//     collection removes them with it).
//  4. Condemned pods, highest ordinal first. OrderedReady deletes one per
//     pass and waits for terminating ones; a condemned pod that is not
//     available is deleted only if it is the first unavailable pod.
//     Parallel deletes all.
//  5. OnDelete stops here. RollingUpdate, from the highest slot down to the
//     partition (a slot index, counted from ordinals.start): delete the
//     first pod not at the update revision, one per pass even under
//     Parallel, or stop at a pod that is not available (Ready for
//     minReadySeconds) or is terminating. With the MaxUnavailableStatefulSet
//     gate (off up to 1.36, on in 1.37) unavailable pods in all slots use
//     up maxUnavailable (a percentage rounds down, minimum 1) and the rest
//     is spent on outdated pods, highest first; from 1.37 a Parallel set
//     first deletes its outdated pods that are already unavailable, then
//     spends what is left. A slot whose pod is missing holds, for this
//     step, the pod the pass creates there. Recreate (1.37, gate
//     StatefulSetRecreateStrategy) instead deletes every old pod at the
//     start of the pass and creates nothing until all are gone.
//
// Status counts the in-range and condemned pods: replicas (pods with a
// phase), ready (Running and Ready), available (Ready for minReadySeconds),
// current and updated (not terminating, by revision label). Each update
// deletion lowers currentReplicas. When under RollingUpdate updated = ready
// = replicas = spec.replicas, currentRevision becomes the update revision;
// under OnDelete, or a strategy type it does not know, it never advances. A
// set being deleted only gets status. History is trimmed after every pass,
// one that failed included.
//
// # Validation
//
// Validate is the API server's check (ValidateStatefulSet): the same
// errors in the same order, with the same paths and wording. A set it
// rejects may still reach the controller (stored before validation
// tightened, or a caller's own resource); NextStatefulAction plans it as
// the controller does and lists the problems in Result.Warnings. It errs
// only where the controller itself refuses or cannot index its replicas:
// no name, no selector or one that does not parse, negative replicas, a
// negative start ordinal or a negative partition under a rolling update.
// Default applies the apps/v1 defaults the API server stores.
//
// # Revisions
//
// Kubernetes names revisions by hashing the serialised template, which a
// pure library cannot reproduce. The caller passes the revision names:
// Set.Status.CurrentRevision (status.currentRevision; empty means the
// update revision) and Set.UpdateRevision (the ControllerRevision of the
// current template). Pods are compared by their controller-revision-hash
// label, which holds the full revision name. Creating the update revision
// is the caller's; trimming history is planned here: given Set.Revisions,
// the revisions that are neither current, update nor on any pod are
// deleted beyond spec.revisionHistoryLimit (default 10), lowest revision
// number first (DeleteRevision).
//
// # Beyond Kubernetes
//
// Result.Blocked names the pod a pass waits on and why. Two cases name a
// stuck rolling update (kubernetes/kubernetes#67250): WaitingForUpdatedPod,
// when the update waits for a pod already at the new revision (a broken
// template never gets there), and OutdatedPodUnhealthy, when OrderedReady
// waits for an old pod that is not Ready: Kubernetes never replaces such a
// pod by itself, even after the template is fixed, so it must be deleted.
//
// # Kubernetes releases
//
// Every entry point follows the release it is given (the zero Release is
// the newest). The StatefulSet controller, its validation and its defaults
// differ between the supported releases here:
//
//	release | gate                                         | behaviour                                                                                                                          | test
//	1.34    | MaxUnavailableStatefulSet (alpha, off)       | rollingUpdate.maxUnavailable is ignored: one pod at a time; Default leaves it unset                                                | TestMaxUnavailableDefaultByRelease_MaxUnavailableStatefulSet, TestDefaultMaxUnavailableByRelease_SetDefaults_StatefulSet
//	1.35    | MaxUnavailableStatefulSet (beta, off)        | as 1.34 unless turned on; turned on, a maxUnavailable that cannot be scaled fails the status write (StatusChanged false)            | TestInvalidMaxUnavailableStatusByRelease_updateStatefulSetStatus
//	1.35+   | -                                            | RequeueAt is the next availability check over every claimed pod, not minReadySeconds after the pass                                | TestRequeueByRelease_FindMinNextPodAvailabilityCheck
//	1.36+   | StaleControllerConsistencyStatefulSet (beta, on) | a pass whose observation is older than the controller's own last write (Options.Wrote, Options.Read) is skipped: Blocked StaleObservation | TestStaleObservationByRelease_EnsureReady
//	1.37    | MaxUnavailableStatefulSet (beta, on)         | maxUnavailable is spent by default (Default sets 1); a Parallel set first deletes its outdated pods that are already unavailable     | TestMaxUnavailableDefaultByRelease_MaxUnavailableStatefulSet, TestParallelBudgetTwoPhases_updateStatefulSetAfterInvariantEstablished, ExampleNextStatefulAction_release
//	1.37    | StatefulSetRecreateStrategy (alpha, off)     | on: the Recreate strategy deletes every old pod, creates nothing until they are gone, and tracks a Progressing condition; off: UnknownStrategy, no status, Blocked; before 1.37 an unknown type is a rolling update | TestRecreateByRelease_recreateDeleteAndWait
//	1.37    | StatefulSetRecreateStrategy                  | Validate accepts Recreate (without rollingUpdate) with the gate on and lists three strategy types                                  | TestValidateRecreateByRelease_ValidateStatefulSetSpec
//	1.37    | -                                            | an update completes under any strategy (OnDelete included), and status keeps and compares Status.Conditions                       | TestCompletionByRelease_completeUpdate, TestConditionsKeptByRelease_updateStatefulSet
//	1.35+   | -                                            | label keys and values in the selector and template labels are worded as apimachinery's content checks word them (lengths in bytes, "a valid label key") | TestValidateLengthWordingPerRelease (daemonset), TestWordsByRelease (labels)
//
// StatefulSetAutoDeletePVC (claim retention) is GA in 1.34 and its gate is
// gone from 1.35, on in every release. The differential suite in
// examples/kube runs each release's real controller, with
// MaxUnavailableStatefulSet and StatefulSetRecreateStrategy also switched
// from their defaults.
//
// # Differences from Kubernetes
//
// Every write and status of a pass is the controller's, as the
// differential suite in examples/kube checks against its code. Where they
// part:
//
//   - RequeueAt is the exact instant a Ready pod becomes available; the
//     1.34 controller re-queues the whole set minReadySeconds after every
//     pass that leaves any replica unavailable (from 1.35 it too asks again
//     at the instant, and so does RequeueAt, over every pod it claimed).
//   - A result creates at most 16384 pods, so a Parallel set with more
//     missing pods gets the rest on the next call (Kubernetes creates them
//     all in one pass).
//   - Ordinals above 2147483647 are not managed, since their pod names
//     cannot be read back (Kubernetes creates such a pod and then never
//     recognises it).
//   - A pod without a phase is reported (WaitingForStatus) rather than
//     created again; Kubernetes' create of it fails because it exists.
//   - Writes are planned as a controller issues them against its cache: a
//     claim fixed earlier in the pass is fixed again where Kubernetes does
//     so, and a write that would fail is still listed (with Blocked saying
//     why), as the controller sends it.
package statefulset
