package cronjob

// Reason is a machine-readable cause on outcomes, actions and events. Event
// reasons are Kubernetes' own event reasons.
type Reason string

// Scheduling outcomes (Result.Outcome) and action reasons.
const (
	// ReasonRunStarted: a run is due and its Job is created.
	ReasonRunStarted Reason = "RunStarted"
	// ReasonNameTaken: a Job with the due run's name already exists but is
	// not in status.active (created by someone else, by an earlier CronJob
	// of the same name, or by a pass whose status write was lost).
	// Up to 1.36 Kubernetes' create then fails and so does the pass:
	// nothing is started or recorded, and the controller retries with its
	// rate limit (RequeueAt is zero). From 1.37 the controller reads the
	// existing Job back and, unless this CronJob controls it and
	// status.active lacks it (ReasonAdoptedExistingJob), ends the pass
	// without an error, so without a retry.
	ReasonNameTaken Reason = "NameTaken"
	// ReasonAdoptedExistingJob: from 1.37, the due run's Job already
	// exists, this CronJob controls it and status.active lacks it (a pass
	// whose status write was lost): it is recorded in status.active and
	// lastScheduleTime as if just created, without SuccessfulCreate.
	ReasonAdoptedExistingJob Reason = "AdoptedExistingJob"
	// ReasonNotDue: no run is due yet.
	ReasonNotDue Reason = "NotDue"
	// ReasonAlreadyStarted: the due run already has its Job.
	ReasonAlreadyStarted Reason = "AlreadyStarted"
	// ReasonSuspended: spec.suspend is true.
	ReasonSuspended Reason = "Suspended"
	// ReasonDeleting: the CronJob is being deleted.
	ReasonDeleting Reason = "Deleting"
	// ReasonReplaced: an active Job deleted by concurrencyPolicy Replace.
	ReasonReplaced Reason = "Replaced"
	// ReasonReplaceFailed: the deletion of an active Job for Replace
	// failed (Options.FailedDeletes); the pass fails, no Job is created.
	ReasonReplaceFailed Reason = "ReplaceFailed"
	// ReasonCreateFailed: the due run's Job create failed
	// (Options.CreateFailed); the pass fails with the status before it.
	ReasonCreateFailed Reason = "CreateFailed"
	// ReasonSuccessfulHistoryLimit and ReasonFailedHistoryLimit: finished
	// Jobs deleted beyond the history limits.
	ReasonSuccessfulHistoryLimit Reason = "SuccessfulJobsHistoryLimit"
	ReasonFailedHistoryLimit     Reason = "FailedJobsHistoryLimit"
)

// Kubernetes event reasons (also used as outcomes where Kubernetes stops).
const (
	ReasonSuccessfulCreate    Reason = "SuccessfulCreate"
	ReasonSuccessfulDelete    Reason = "SuccessfulDelete"
	ReasonFailedCreate        Reason = "FailedCreate"
	ReasonFailedDelete        Reason = "FailedDelete"
	ReasonSawCompletedJob     Reason = "SawCompletedJob"
	ReasonMissingJob          Reason = "MissingJob"
	ReasonUnexpectedJob       Reason = "UnexpectedJob"
	ReasonUnknownTimeZone     Reason = "UnknownTimeZone"
	ReasonUnsupportedSchedule Reason = "UnsupportedSchedule"
	ReasonUnparseableSchedule Reason = "UnparseableSchedule"
	ReasonInvalidSchedule     Reason = "InvalidSchedule"
	ReasonTooManyMissedTimes  Reason = "TooManyMissedTimes"
	ReasonMissSchedule        Reason = "MissSchedule"
	ReasonJobAlreadyActive    Reason = "JobAlreadyActive"
)
