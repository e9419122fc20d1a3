package cronjob

import "time"

// ConcurrencyPolicy says what to do when a run is due while earlier Jobs are
// still active (spec.concurrencyPolicy).
type ConcurrencyPolicy string

// The concurrency policies. The empty value means AllowConcurrent, the API
// default.
const (
	AllowConcurrent   ConcurrencyPolicy = "Allow"
	ForbidConcurrent  ConcurrencyPolicy = "Forbid"
	ReplaceConcurrent ConcurrencyPolicy = "Replace"
)

// Default history limits, as the API server defaults them.
const (
	DefaultSuccessfulJobsHistoryLimit = 3
	DefaultFailedJobsHistoryLimit     = 1
)

// ScheduledTimestampAnnotation is set on every created Job to its scheduled
// time, RFC 3339 in spec.timeZone (UTC when unset).
const ScheduledTimestampAnnotation = "batch.kubernetes.io/cronjob-scheduled-timestamp"

// CronJob is the observed CronJob: metadata, spec and status.
type CronJob struct {
	// Name and Namespace name the CronJob; each created Job is named after
	// it (JobName) in its namespace. Validated, and read by the controller.
	Name      string
	Namespace string
	// UID is metadata.uid. The controller's ownerReference on each created
	// Job carries it, and from 1.37 the Jobs a CronJob controls are found
	// by it; CronDue itself does not read it (the caller lists the Jobs).
	UID string
	// Generation is metadata.generation: validated (never negative, never
	// decremented by an update), not read by the controller.
	Generation int64
	// Labels and Annotations are the CronJob's own metadata (not the job
	// template's): validated as the API server validates object metadata,
	// not read by the controller.
	Labels      map[string]string
	Annotations map[string]string
	// CreationTimestamp is where the search for missed runs starts when
	// status.lastScheduleTime is unset.
	CreationTimestamp time.Time
	// DeletionTimestamp is metadata.deletionTimestamp; zero means the
	// CronJob is not being deleted. The controller reads only whether it
	// is set: a CronJob being deleted starts nothing.
	DeletionTimestamp time.Time
	Spec              Spec
	Status            Status
}

// Spec mirrors batch/v1 CronJobSpec.
type Spec struct {
	// Schedule is the cron schedule (robfig/cron standard syntax).
	Schedule string
	// TimeZone is an IANA zone name; nil evaluates the schedule in
	// Options.Zone (the controller's local zone in Kubernetes).
	TimeZone *string
	// StartingDeadlineSeconds, when set, is how late a run may still start.
	StartingDeadlineSeconds *int64
	// ConcurrencyPolicy; empty acts as Allow (the controller only tests
	// for Forbid and Replace), but validation requires it (see Default).
	ConcurrencyPolicy ConcurrencyPolicy
	// Suspend stops new runs; active Jobs are not touched.
	Suspend bool
	// SuccessfulJobsHistoryLimit and FailedJobsHistoryLimit bound the
	// finished Jobs kept. nil keeps every Job of that kind, as the
	// controller reads it; the API always sets both (3 and 1, see Default).
	SuccessfulJobsHistoryLimit *int32
	FailedJobsHistoryLimit     *int32
	// JobTemplate carries the template metadata copied to each Job. The
	// template's Job spec is opaque here: the caller copies it.
	JobTemplate JobTemplate
}

// JobTemplate is the metadata of spec.jobTemplate.
type JobTemplate struct {
	Labels      map[string]string
	Annotations map[string]string
}

// Status mirrors batch/v1 CronJobStatus. Zero times mean unset.
type Status struct {
	// Active lists the Jobs started and not yet seen finished.
	Active []ObjectReference
	// LastScheduleTime is the scheduled time of the last started run.
	LastScheduleTime time.Time
	// LastSuccessfulTime is the latest completion time of a successful Job.
	LastSuccessfulTime time.Time
}

// ObjectReference names a Job in status.active.
type ObjectReference struct {
	Name      string
	Namespace string
	UID       string
}

// JobConditionType is the type of a Job condition.
type JobConditionType string

// The Job conditions that mark a finished Job.
const (
	JobComplete JobConditionType = "Complete"
	JobFailed   JobConditionType = "Failed"
)

// ConditionStatus is the status of a condition.
type ConditionStatus string

// Condition statuses.
const (
	ConditionTrue    ConditionStatus = "True"
	ConditionFalse   ConditionStatus = "False"
	ConditionUnknown ConditionStatus = "Unknown"
)

// JobCondition is one entry of a Job's status.conditions.
type JobCondition struct {
	Type   JobConditionType
	Status ConditionStatus
}

// Job is an observed Job controlled by the CronJob. The caller passes
// exactly the Jobs the controller lists: up to 1.36 the Jobs in the
// CronJob's namespace whose controller ownerReference has the CronJob's
// name (a Job left by an earlier CronJob of the same name counts); from
// 1.37 those whose controller ownerReference has the CronJob's UID.
type Job struct {
	Name       string
	Namespace  string
	UID        string
	Conditions []JobCondition
	// StartTime and CompletionTime are status.startTime and
	// status.completionTime; zero means unset.
	StartTime      time.Time
	CompletionTime time.Time
}

// finished returns the type of the first Complete or Failed condition that
// is True, as Kubernetes reads it, or "".
func (j *Job) finished() JobConditionType {
	for _, c := range j.Conditions {
		if (c.Type == JobComplete || c.Type == JobFailed) && c.Status == ConditionTrue {
			return c.Type
		}
	}
	return ""
}

// Options are the inputs of a pass beyond the objects, and purectl's
// extensions. The zero value is the newest supported release's controller
// in UTC.
type Options struct {
	// Zone evaluates schedules without spec.timeZone or a TZ prefix; nil
	// means UTC (Kubernetes uses kube-controller-manager's local zone).
	Zone *time.Location
	// Exact starts the exact most recent missed run instead of Kubernetes'
	// estimate, which can miss a due run on irregular schedules, and uses
	// the exact missed count for TooManyMissedTimes and the exact next run
	// for RequeueAt.
	Exact bool
	// DST is the daylight-saving policy; anything but DSTKubernetes implies
	// Exact, since robfig/cron only knows DSTKubernetes.
	DST DSTPolicy
	// FreshStatus is the status of a freshly read copy of the CronJob.
	// Kubernetes re-reads the CronJob when it sees an unfinished Job missing
	// from status.active; if the fresh copy lists the Job, the pass continues
	// with the fresh status (changes made so far are dropped, as upstream).
	// nil means the fresh copy is the same as the input.
	FreshStatus *Status
	// Existing lists UIDs of status.active Jobs that are missing from the
	// Jobs passed in but that a direct read found (a lagging cache); the
	// other missing ones are treated as deleted (MissingJob).
	Existing []string
	// AlreadyExists lists Job names the API server holds although they
	// are not among the Jobs passed in: typically the name of a create that
	// failed with AlreadyExists (a Job the cache does not show yet). When
	// the due run's name is among them, or among the Jobs passed in, the
	// pass ends as Kubernetes' does after a refused create (NameTaken).
	// Call CronDue again with the name here when a create is refused.
	//
	// From 1.37 the controller reads the existing Job back: a Job this
	// CronJob controls and status.active lacks is recorded there
	// (ReasonAdoptedExistingJob); any other Job ends the pass quietly
	// (NameTaken without the retry). A name here counts as someone else's
	// Job unless AlreadyExistsJobs holds it.
	AlreadyExists []string
	// AlreadyExistsJobs are the Jobs behind refused creates that this
	// CronJob controls (their controller ownerReference carries its UID)
	// but that the Jobs passed in lack: what the read after the refused
	// create returned. Their names count as AlreadyExists; from 1.37 the
	// pass records such a Job in status.active.
	AlreadyExistsJobs []Job
	// FailedDeletes holds the Jobs, by name, whose deletion the API server
	// refused in this pass, with its error. Call CronDue again with them
	// to get what the controller does then. A history deletion that fails
	// records FailedDelete and leaves its Job in status.active; the pass
	// goes on. A Replace deletion that fails records FailedDelete and ends
	// the pass with an error (ReasonReplaceFailed): the Replace deletions
	// after it are not issued, no Job is created, and the controller
	// retries with its rate limit (RequeueAt is zero).
	FailedDeletes map[string]error
	// CreateFailed is the error the API server gave this pass's Job create,
	// other than AlreadyExists (see AlreadyExists). Called again with it,
	// CronDue records FailedCreate and ends the pass with an error
	// (ReasonCreateFailed): Status is the one before the create (no new
	// status.active entry, lastScheduleTime unchanged), and the controller
	// retries with its rate limit (RequeueAt is zero).
	CreateFailed error
	// NamespaceTerminating says CreateFailed is the refusal of a create in
	// a namespace being deleted, on which the controller records no event.
	NamespaceTerminating bool
	// LoadLocation loads spec.timeZone; nil means time.LoadLocation, which
	// reads the tz database on every call (most of a pass's cost). A
	// caller that runs many passes can pass a cache of its own; it must
	// answer as time.LoadLocation does.
	LoadLocation func(name string) (*time.Location, error)
	// Release is the Kubernetes release whose CronJob controller to follow.
	Release Release
}

// Result is what one controller pass decides.
type Result struct {
	// Warnings are what Validate rejects in the CronJob: the API server
	// would refuse it on its next write, but the controller acts on it as
	// it is, and so does the pass.
	Warnings []*FieldError
	// Outcome says what the scheduling step decided (a run started, or why
	// not) and Message explains it.
	Outcome Reason
	Message string
	// Create is the Job to create, or nil.
	Create *JobCreation
	// Deletions are the Jobs to delete in order: history clean-up first
	// (oldest first), then Replace.
	Deletions []JobDeletion
	// Events are the events Kubernetes records, in order, when every write
	// succeeds; Options.FailedDeletes and Options.CreateFailed give the
	// events (and status) of a pass whose writes failed.
	Events []Event
	// Status is the CronJob status after the pass; StatusChanged says
	// whether it differs from the input's.
	Status        Status
	StatusChanged bool
	// Runs describes the scheduled times since the last run, exactly, and
	// Kubernetes' estimate of them.
	Runs Runs
	// RequeueAt is when to run the next pass (zero: only on a change).
	RequeueAt time.Time
}

// Runs reports the scheduled times in (Since, Now].
type Runs struct {
	// Since is status.lastScheduleTime or the creation time, raised to
	// now - startingDeadlineSeconds when that is later.
	Since time.Time
	// Due is the exact number of scheduled times in the window and Latest
	// the latest of them.
	Due    int64
	Latest time.Time
	// Estimated is Kubernetes' estimate of Due (from the gap between the
	// first two runs) and EstimatedLatest the run Kubernetes picks (zero
	// when it finds none, which can happen while Latest is set).
	Estimated       int64
	EstimatedLatest time.Time
}

// JobCreation is a Job to create for a scheduled run.
type JobCreation struct {
	Name          string
	Namespace     string
	ScheduledTime time.Time
	// Labels and Annotations are the template's plus the scheduled-time
	// annotation; the controller ownerReference points at the CronJob.
	Labels      map[string]string
	Annotations map[string]string
	Reason      Reason
	Message     string
}

// JobDeletion is a Job to delete (background propagation).
type JobDeletion struct {
	Name      string
	Namespace string
	UID       string
	Reason    Reason
	Message   string
}

// EventType is Normal or Warning.
type EventType string

// Event types.
const (
	EventNormal  EventType = "Normal"
	EventWarning EventType = "Warning"
)

// Event is an event Kubernetes records on the CronJob.
type Event struct {
	Type    EventType
	Reason  Reason
	Message string
}
