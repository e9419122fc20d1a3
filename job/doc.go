// Package job decides what one pass of the Kubernetes Job controller does,
// as plain data: JobProgress takes a Job, its status so far, the pods it
// owns and the current time, and returns the pods to create and delete, the
// tracking finalizers to remove, the new status and conditions, events,
// TTL expiry and when to ask again. It follows the Kubernetes release named
// in Options.Release, 1.34 to 1.37 (syncJob in pkg/controller/job), and a
// differential suite in examples/kube runs the real controller of each of
// those releases beside it on random trajectories.
//
// Semantics implemented:
//
//   - Counting: active, ready and terminating pods; finished pods are
//     counted once, when their tracking finalizer is removed; startTime is
//     set on the first pass of a Job that is not suspended.
//   - Terminal reasons, first match wins: an existing SuccessCriteriaMet or
//     FailureTarget condition; a podFailurePolicy FailJob rule;
//     backoffLimit (failed > limit, or with restartPolicy OnFailure the
//     container restarts of running and pending pods); activeDeadlineSeconds
//     (reached at equality); for backoffLimitPerIndex jobs maxFailedIndexes
//     and failed indexes; a successPolicy rule; and finally completions
//     reached (work-queue jobs: one success and nothing running). Active
//     pods of a finishing Job are deleted.
//   - Two-phase conditions: FailureTarget or SuccessCriteriaMet first, then
//     Failed or Complete (with the same reason and message) once no pod is
//     terminating and none is left uncounted; completionTime only for
//     Complete.
//   - Managing pods (manageJob): suspended jobs delete every active pod;
//     otherwise the wanted active count is min(completions − succeeded,
//     parallelism) (work queue: parallelism until the first success); extra
//     pods, pods without a valid index and duplicate indexes are deleted in
//     the controller's order (controller.ActivePods); a pass never both
//     deletes and creates; creations and scale-down deletions are capped at
//     500 a pass; Indexed jobs start the lowest pending indexes.
//   - Created pods: every PodCreation carries what the controller puts on
//     the pod (generate name, index label and annotations, the tracking
//     finalizer, the owner reference, hostname and JOB_COMPLETION_INDEX);
//     running pods seen without the finalizer raise a
//     TrackingFinalizerMissing warning event.
//   - Pod-failure back-off: 10 s doubling up to 10 minutes after
//     consecutive failures (a success resets it); the record the controller
//     keeps in memory is Status.Backoff here, passed from result to call.
//   - podReplacementPolicy: TerminatingOrFailed counts a pod being deleted
//     as failed and replaces it at once; Failed (before 1.37 also implied
//     by any podFailurePolicy) waits for phase Failed and keeps terminating pods'
//     slots and indexes busy.
//   - Indexed jobs: completedIndexes and failedIndexes in the controller's
//     interval form ("1,3-5,7", a run of two is "2,3"), read leniently.
//   - backoffLimitPerIndex: per-index failure counts carried on pod
//     annotations, delayed finalizer removal of each index's last failed
//     pod, per-index back-off, maxFailedIndexes.
//   - podFailurePolicy and successPolicy rules.
//   - Suspend and resume: resuming resets startTime (from 1.36 suspending
//     clears it).
//   - ttlSecondsAfterFinished: the Job is to be deleted once the time since
//     its Complete or Failed condition reaches the TTL (the TTL-after-
//     finished controller's decision).
//
// # Invalid objects
//
// Validate checks a Job as the batch/v1 API server does on create, after
// defaulting, with its field paths and wording; ValidateUpdate checks an
// update (the same, then the immutable fields); MutableTemplate says which
// pod template fields an update may change; Default applies the batch/v1
// defaults.
// The controller acts on Jobs that validation would reject (stored before
// validation tightened, or a caller's own resource), and so does
// JobProgress: it lists what Validate reports in Result.Warnings and
// decides as syncJob does (a negative backoffLimit fails at once, a
// backoffLimitPerIndex on a NonIndexed Job only switches off the global
// back-off, an unknown completion mode skips the Job with an
// UnknownCompletionMode event). It errors only where syncJob cannot act at
// all: an Indexed Job without completions, a negative parallelism without
// completions.
//
// # Cost
//
// A pass reads each pod once into a small view that holds no pointer and
// works on the views from then on. The lists a pass builds per pod are
// memory it hands back to a process-wide pool when it returns, for the
// next pass in any goroutine to reuse; nothing a pass returns refers to
// them, so results never depend on what ran before. One pass over an
// Indexed Job with 10,000 pods allocates about 140 KB, most of it the
// pods it creates.
//
// # Differences from Kubernetes
//
// Being a pure function, and exact where the controller is random or
// coarse, this package differs in these ways:
//   - Memory is input. Expectations are Job.OperationsPending; the back-off
//     record is Status.Backoff; adoption of orphans is the caller's
//     business (pass only pods the Job controls); a managedBy other than
//     the Job controller makes the pass a no-op (Result.Skipped), and so
//     does Job.WritesUnobserved where the release waits for its cache.
//   - Writes are the caller's. syncJob writes the status twice on a pass
//     that counts finished pods: first with them recorded in
//     uncountedTerminatedPods (Result.StatusBeforeRemovals), then, once
//     their finalizers are gone, with them counted (Result.Status). A
//     caller that writes both, in that order, with the finalizer removals
//     between, and stops when a removal fails, counts every pod exactly
//     once; one that only ever writes Status may count a pod twice when a
//     removal fails. Either way the next pass reads the uncounted lists.
//     Pod creates go out in the controller's slow-start batches
//     (CreateBatches: 1, 2, 4, ... pods), stopping after a batch with a
//     failure; asked again with the failed positions (Options.FailedCreates),
//     JobProgress gives the pass as the controller then ends it.
//   - Order. Where the controller's choice among equal pods follows its
//     informer's map order, pods are taken by creation time, name and UID,
//     so the result never depends on the order of the input.
//   - RequeueAt is the exact moment a decision would change. The
//     controller also queues a deadline check on a pass that has already
//     decided the Job's end, measures a resumed Job's deadline from the
//     start time before the reset, and never requeues a back-off sooner
//     than 1 s.
//   - GenerateName is the prefix the API server ends up with: the
//     controller asks for "<job>-" and the name generator cuts it to 58
//     characters.
//   - TrackingFinalizerMissing is purectl's own warning event.
//   - Reporting. On a pass where the back-off holds back creations syncJob
//     reports status.active 0; it drops a start time it set on a pass that
//     wrote nothing else, and stores the back-off record only with its
//     first status write. JobProgress reports the real count, the start
//     time and the record; set Job.UpstreamQuirks for syncJob's values
//     (the active count of 0 only before 1.36, which fixed it).
//
// # Kubernetes releases
//
// Options.Release (and the trailing Release of Validate and Default) picks
// the release and, optionally, single feature gates; the zero Release is
// the newest. A FeatureGates entry the release's command line would refuse
// (a gate it no longer registers, or one locked to its default) is an
// error. What differs, with the test that pins each difference:
//
//	release     gate                                  behaviour; test
//	1.34        JobManagedBy (beta, on)               spec.managedBy naming another controller makes the pass a
//	                                                  no-op; switched off, JobProgress ignores managedBy, Default
//	                                                  drops it and Validate does not check it;
//	                                                  TestManagedByExternalControllerFollowsJobManagedBy,
//	                                                  TestManagedByDroppedWhenJobManagedByIsOff
//	1.35-1.37   JobManagedBy (GA, locked)             managedBy always honoured, the override refused; same tests
//	1.35-1.37   -                                     a podFailurePolicy condition type is checked by apimachinery's
//	                                                  content package: lengths in bytes, not characters;
//	                                                  TestValidateConditionTypeWordingByRelease
//	1.34, 1.35+ PodIndexLabel (locked on; removed)    Indexed pods always carry the index label that
//	                                                  JOB_COMPLETION_INDEX reads; TestIndexLabelInEveryRelease,
//	                                                  TestRemovedAndLockedJobGatesAreRefused
//	1.35 (off), MutableSchedulingDirectivesFor-       the pass that sets Suspended=True clears status.startTime;
//	1.36+ (on)  SuspendedJobs                         TestSyncJobClearsStartTimeOnSuspendWithMutableSchedulingDirectives,
//	                                                  ExampleJobProgress_releases
//	1.35 (off), MutableSchedulingDirectivesFor-       MutableTemplate: which template fields an update of a
//	1.36+ (on)  SuspendedJobs, MutablePodResources-   suspended Job may change (before: the scheduling directives
//	            ForSuspendedJobs                      of a Job never started; 1.35 gated: both once Suspended=True
//	                                                  with no active pod; 1.36: also a Job never started);
//	                                                  TestMutableTemplateFollowsValidationOptionsForJob,
//	                                                  ExampleMutableTemplate
//	1.34        JobManagedBy off                      ValidateUpdate still checks spec.managedBy (only a create
//	                                                  drops it); TestValidateUpdateFollowsValidateJobUpdate
//	1.34-1.36;  (none)                                an update is checked by ValidateJob and ValidateJobUpdate
//	1.37                                              (the spec checks twice, each message listed once); from 1.37
//	                                                  by ValidateJobUpdate alone, which now includes the name
//	                                                  check: the same errors; TestValidateUpdateMatchesValidateJobUpdate
//	                                                  in the differential suite
//	1.36-1.37   (none)                                a pass held back by the pod-failure back-off reports the real
//	                                                  active count even with UpstreamQuirks;
//	                                                  TestManageJobReportsNoActivePodsWhileBackingOff
//	1.36-1.37   StaleControllerConsistencyJob         Job.WritesUnobserved skips the pass (Result.Skipped is
//	            (beta, on)                            StaleCache); before, the pass acts on what it is given;
//	                                                  TestSyncJobWaitsForOwnWritesWithStaleControllerConsistency
//	                                                  (and the differential suite, where the real controller's
//	                                                  informers lag behind its writes every seventh pass)
//	1.37        JobPodReplacementPolicy (removed)     only podReplacementPolicy Failed makes terminating pods wait;
//	                                                  a podFailurePolicy alone no longer does (the two differ on a
//	                                                  Job stored invalid only);
//	                                                  TestOnlyReplaceFailedPodsFollowsPodReplacementPolicyFrom137
//	1.37        JobPodReplacementPolicy,              always on; naming them in FeatureGates is refused (locked on
//	            JobBackoffLimitPerIndex,              in 1.34-1.36); TestRemovedAndLockedJobGatesAreRefused
//	            JobSuccessPolicy (removed)
//
// TestPropertyReleasesDifferOnlyWhereDocumented checks that nothing else
// differs on valid Jobs, and the differential suite runs each release's
// controller at its defaults and with each of these gates it lets be
// switched, switched. The batch/v1 defaults are the same in every
// release. Not modelled: WorkloadWithJob (alpha from 1.36, needs
// GenericWorkload), with which the controller creates a Workload and a
// PodGroup for gang-shaped Indexed Jobs and points their pods at the
// PodGroup, and the 1.37 spec.scheduling field that goes with it (the API
// server drops it on create while the gate is off). JobProgress refuses a
// Release with that gate on (a Forbidden error at
// release.featureGates[WorkloadWithJob], TestWorkloadWithJobRefused)
// rather than answer as if it were off.
package job
