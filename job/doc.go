// Package job decides what one pass of the Kubernetes Job controller does,
// as plain data: JobProgress takes a Job, its status so far, the pods it
// owns and the current time, and returns the pods to create and delete, the
// tracking finalizers to remove, the new status and conditions, events,
// TTL expiry and when to ask again. It follows Kubernetes v1.34.
//
// Semantics implemented (rule ids of the purectl Job spec in brackets):
//
//   - Counting [A1–A3]: active, ready and terminating pods; finished pods
//     are counted once, when their tracking finalizer is removed; startTime
//     is set on the first pass of a Job that is not suspended.
//   - Terminal reasons, first match wins [T1–T10]: an existing
//     SuccessCriteriaMet or FailureTarget condition; a podFailurePolicy
//     FailJob rule; backoffLimit (failed > limit, or with restartPolicy
//     OnFailure the container restarts of running and pending pods);
//     activeDeadlineSeconds (reached at equality); for backoffLimitPerIndex
//     jobs maxFailedIndexes and failed indexes; a successPolicy rule; and
//     finally completions reached (work-queue jobs: one success and nothing
//     running). Active pods of a finishing Job are deleted.
//   - Two-phase conditions [C1–C7]: FailureTarget or SuccessCriteriaMet
//     first, then Failed or Complete (with the same reason and message) once
//     no pod is terminating; completionTime only for Complete.
//   - manageJob [M1–M9]: suspended jobs delete every active pod; otherwise
//     the wanted active count is min(completions − succeeded, parallelism)
//     (work queue: parallelism until the first success); extra pods,
//     pods without a valid index and duplicate indexes are deleted in the
//     controller's order (unscheduled, Pending < Unknown < Running, not ready,
//     ready for less time, more restarts, newer; ties by name); a pass never
//     both deletes and creates; creations and scale-down deletions are
//     capped at 500; Indexed jobs start the lowest pending indexes.
//   - Pod-failure back-off [B1–B4]: 10 s doubling up to 10 minutes after
//     consecutive failures (a success resets it); the record is kept in
//     Status.Backoff since the library holds no memory.
//   - podReplacementPolicy [R1–R4]: TerminatingOrFailed counts a pod being
//     deleted as failed and replaces it at once; Failed (also implied by any
//     podFailurePolicy) waits for phase Failed and keeps terminating pods'
//     slots and indexes busy.
//   - Indexed jobs [I1–I6]: completedIndexes and failedIndexes in the
//     controller's interval form ("1,3-5,7", a run of two is "2,3"), read
//     leniently from the status.
//   - backoffLimitPerIndex [L1–L7]: per-index failure counts carried on pod
//     annotations, delayed finalizer removal of each index's last failed
//     pod, per-index back-off, maxFailedIndexes.
//   - podFailurePolicy [P1–P7] and successPolicy [SP1–SP5].
//   - Suspend and resume [U1–U5]: resuming resets startTime.
//   - ttlSecondsAfterFinished [X1–X4]: the Job is to be deleted once the
//     time since its Complete/Failed condition reaches the TTL.
//   - Validation [section 21] with API field paths, after the API
//     server's defaults.
//
// Differences from the controller that follow from being a pure function:
// adoption of orphans is the caller's business (pass only pods the Job
// controls); expectations are an input (Job.OperationsPending); the
// uncountedTerminatedPods step is folded into the pass (the result's status
// already holds the counts); a managedBy other than the Job controller makes
// the pass a no-op; RequeueAt is the exact moment a decision would change
// (the controller itself never requeues sooner than 1 s); pods are ordered
// by creation time, then name, then UID wherever the controller walks its
// pod list, so that the result never depends on the order of the input.
package job
