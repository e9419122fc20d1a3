// Package cronjob is the Kubernetes CronJob controller as a pure function.
//
// CronDue takes a CronJob (spec and status), the Jobs it controls and the
// current time, and returns what one pass of the controller of the chosen
// Kubernetes release (Options.Release; the newest supported one by
// default) does:
// which finished Jobs the history limits delete, which status.active
// entries go (finished or vanished Jobs), lastSuccessfulTime, whether a run
// is due and which one, what the concurrency policy does about active Jobs,
// the Job to create (named <cronjob>-<scheduled minutes since the epoch>,
// with the scheduled-timestamp annotation), the events Kubernetes records,
// the new status and when to run again. It does no I/O beyond reading the
// tz database and reads no clock.
//
// # Semantics followed
//
// Schedules are parsed by robfig/cron v3 ParseStandard, as Kubernetes does:
// five fields, names, steps, the @ descriptors and @every, with the two day
// fields ORed when both are restricted. A TZ= or CRON_TZ= prefix is honoured
// with an UnsupportedSchedule warning; spec.timeZone is applied as such a
// prefix would be; a schedule without either evaluates in Options.Zone.
//
// A pass follows the controller's sync: history clean-up first
// (cleanupFinishedJobs: oldest status.startTime first, Jobs without one
// last, ties by name; a nil limit keeps every Job of its kind), then the
// Job bookkeeping of syncCronJob (UnexpectedJob, SawCompletedJob,
// MissingJob, lastSuccessfulTime), then deletion, an unloadable time zone
// (UnknownTimeZone) and suspend stop the pass without a requeue. The run to
// start is Kubernetes' mostRecentScheduleTime: from lastScheduleTime (or the
// creation time, raised to now-startingDeadlineSeconds) it takes the first
// two runs, estimates the period from their gap and the missed count from
// the elapsed time, and walks Next from one period before the estimated
// last run. More than 100 estimated misses warns TooManyMissedTimes; a
// schedule with no two runs in five years is InvalidSchedule. Only the most
// recent run starts. Forbid skips it while a Job is active (without
// recording it), Replace deletes the active Jobs first, Allow (and an
// empty or unknown policy, which the controller does not test for) ignores
// them. The wake-up is robfig Next of the run found (or of the window
// start) plus 100 ms, as nextScheduleTimeDuration computes it.
//
// When a Job with the due run's name already exists but is not in
// status.active (among the Jobs passed in, or named in
// Options.AlreadyExists or Options.AlreadyExistsJobs after a refused
// create), the controller's create fails with AlreadyExists. Up to 1.36
// its read-back of the existing Job, made from the request object that
// carries no namespace, finds nothing: the pass fails and is retried with
// the work queue's rate limit. CronDue reports that pass as NameTaken, with
// what the pass did before it (bookkeeping, Replace deletions) and no
// requeue. From 1.37 the read-back finds the Job (see the table below).
//
// A pass's result assumes its writes succeed. When the API server refuses
// some, call CronDue again with them (Options.FailedDeletes,
// Options.CreateFailed) for what the controller does then: a refused
// history deletion records FailedDelete and leaves its Job in place while
// the pass goes on; a refused Replace deletion or create records
// FailedDelete or FailedCreate (none in a terminating namespace) and fails
// the pass (ReplaceFailed, CreateFailed) with the status made before it and
// no requeue, the controller retrying with its rate limit.
//
// # Kubernetes releases
//
// Options.Release picks the release to follow, 1.34 to 1.37; Validate,
// ValidateCreate, ValidateUpdate and Default take it as their last
// argument. What changes between them for CronJobs (the controller in
// pkg/controller/cronjob, validation, the batch/v1 defaults, the registry
// strategy):
//
//	release | gate | behaviour | test
//	1.34 | CronJobsScheduledAnnotation (GA, locked on) | the scheduled-timestamp annotation on every Job, in every release; the gate cannot be turned off, and 1.35 removes it | TestCronJobReleasesScheduledAnnotation
//	1.34 | - | a schedule robfig/cron panics on ("TZ=UTC": a TZ prefix without a space) crashes the controller: CronDue returns the schedule's field error; validation panics too (an internal error), Validate reports the 1.35 field error | TestCronJobReleasesTZPrefixWithoutSchedule
//	1.35 | - | the panic is recovered in the controller and in validation (ParseCronScheduleWithPanicRecovery): UnparseableSchedule, and "invalid schedule format: runtime error: slice bounds out of range [:-1]" | TestCronJobReleasesTZPrefixWithoutSchedule
//	1.35 | - | metadata label keys, label values and annotation keys are checked by apimachinery's content package: a key with two slashes is "a valid label key ..." (not "a qualified name ..."), and lengths are "no more than 63 bytes" (not "characters") | TestCronJobReleasesLabelKeyWording
//	1.37 | - | an update with a negative metadata.generation is refused (ValidateObjectMetaUpdate; before, only a create checked it) | TestCronJobReleasesGenerationOnUpdate
//	1.37 | - | the Jobs of a CronJob are those whose controller ownerReference has its UID (an index), no longer the Jobs in its namespace whose controller ownerReference has its name: the caller passes those (see Job) | adapt.CronJobJobs in examples/kube, judged by the differential suite
//	1.37 | - | after a create refused with AlreadyExists the controller reads the Job back from the CronJob's namespace (up to 1.36 from the request's empty namespace, which fails the pass): a Job it controls that status.active lacks is recorded there (AdoptedExistingJob), any other ends the pass without an error and without a retry (NameTaken) | TestCronJobReleasesNameTaken
//
// Unchanged in these releases: the events and their messages, the
// estimate of missed runs, the requeue, the time-zone handling, the checks
// on spec.schedule and spec.timeZone (1.36 moves the required-schedule
// check to declarative validation with the same error), the batch/v1
// CronJob defaults. The Job template's new fields (1.37's
// spec.scheduling, dropped by the strategy unless WorkloadWithJob is on)
// are not held here. From 1.37 a successful pass also resets the work
// queue's rate limit for the CronJob, which no Result shows.
//
// # Validation, defaults and warnings
//
// ValidateCreate and ValidateUpdate are the API server's checks
// (ValidateCronJobCreate and ValidateCronJobUpdate), with its field paths,
// values and messages, object metadata included (generation, labels,
// annotations, the immutable fields); Validate is an update that changes
// nothing. The job
// template's Job spec is not held here and not checked. Default applies
// the batch/v1 defaults (concurrencyPolicy Allow, history limits 3 and 1).
//
// Where validation and the controller differ, CronDue follows the
// controller: it decides on any CronJob the controller could observe and
// lists what Validate rejects in Result.Warnings. It returns an error only
// where the controller crashes: a negative history limit, on which its
// clean-up indexes past its list of Jobs, and on 1.34 a schedule that
// robfig/cron panics on.
//
// # Exact counting
//
// The estimate assumes a uniform period, so on irregular schedules it can
// jump past the true latest run and start nothing ("30 10,11,12 * * 1-5"
// after a day, "0,30 9 * * 1-5" across a weekend), and it can report
// hundreds of misses where there were two. Schedule.Runs computes the
// count and the latest run exactly for every schedule, without walking:
// the window is split at the zone's UTC-offset changes; inside each piece
// wall time is UTC shifted, so the runs are the matching minutes of a plain
// calendar interval, counted from the field bit masks (31-bit day masks per
// month from the weekday of the 1st; minutes per day from the hour and
// minute masks; whole 400-year cycles at once). A year of "* * * * *" costs
// well under a microsecond instead of 525,600 calls to Next. Result.Runs
// always carries both the exact and the estimated answer.
//
// Lint reports schedules that never fire, fire only on leap days, combine
// the day fields with OR, step unevenly across a wrap, use a TZ prefix, or
// hit wall-clock times that daylight saving skips or repeats.
//
// # Differences from Kubernetes
//
// The default Options reproduce the chosen release's controller pass for
// pass, including its estimate; what follows is what purectl does
// differently on purpose, each with upstream's behaviour as the default or
// an option.
//
// Exact catch-up (Options.Exact, off by default): the pass starts the
// exact most recent missed run instead of the estimate's, warns
// TooManyMissedTimes on the exact count, and wakes at the first run after
// now (for @every, the next run of the cadence anchored at
// lastScheduleTime, as upstream anchors it). Wherever the estimate is
// right, the exact mode decides the same.
//
// Daylight saving (Options.DST): DSTKubernetes, the default, is
// robfig/cron's behaviour: a wall time that a spring-forward change skips
// does not run that day, one that a fall-back change repeats runs twice.
// DSTOnce runs skipped times once at the change and repeated times once.
// The exact computation follows the definition "every matching wall-clock
// minute"; robfig/cron's Next, on which the estimate walks, has artefacts
// of its own search next to some changes (in Australia/Lord_Howe, with its
// half-hour shift, "0 3 * * 0" skips Sunday 5 April 2026, the day clocks go
// back; similar gaps occur around changes at midnight and before
// standardised time), so the exact mode can find a run there that
// Kubernetes never starts.
//
// The TZ= guard: robfig/cron v3.0.1 panics on a prefix without a following
// schedule ("TZ=UTC"), and so do 1.34's validation and controller; here
// it is a parse error worded as 1.35 words it (UnparseableSchedule in a
// pass from 1.35, CronDue's error on 1.34, a field error in Validate).
//
// The controller's zone: a schedule without spec.timeZone evaluates in
// Options.Zone, UTC unless set, where Kubernetes uses the zone of the
// timestamps it reads (kube-controller-manager's local zone).
//
// A failed pass is a result: where the controller returns an error and
// retries with backoff (NameTaken), CronDue returns the decision with no
// RequeueAt; its error is kept for what the controller cannot process at
// all (a negative history limit).
//
// The fresh read: when an unfinished Job is missing from status.active
// and Options.FreshStatus lists it, the pass continues with the fresh
// status and returns it. The controller continues with the fresh copy too,
// but writes back the stale copy it started from (a write the API server
// refuses as a conflict), so its status write of such a pass is lost.
//
// The created Job's UID is unknown until the caller creates it: the new
// status.active entry has an empty UID for the caller to fill in. The
// estimate's final walk is capped at 1,000 steps (it only grows when the
// window exceeds the 292 years a time.Duration holds); beyond that the
// exact run is used.
//
// # Cost
//
// Kubernetes reads the tz database up to four times a pass and walks
// robfig/cron's Next for the estimate. CronDue loads spec.timeZone once
// per pass through a process-wide memo of loaded zones (successes only;
// Options.LoadLocation bypasses it), memoises schedule parses by text, and
// answers robfig/cron's Next by arithmetic wherever the zone keeps one
// offset across the stretch robfig's search covers, asking robfig/cron
// itself near transitions (Schedule.KubernetesNext). None of this changes
// a result: a memoised zone or parse is the one a fresh load or parse
// returns, and the arithmetic equals robfig's Next where it is used.
package cronjob
