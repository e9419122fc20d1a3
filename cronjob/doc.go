// Package cronjob is the Kubernetes CronJob controller as a pure function.
//
// CronDue takes a CronJob (spec and status), the Jobs it controls and the
// current time, and returns what one pass of the v1.34 controller does:
// which finished Jobs the history limits delete, which status.active
// entries go (finished or vanished Jobs), lastSuccessfulTime, whether a run
// is due and which one, what the concurrency policy does about active Jobs,
// the Job to create (named <cronjob>-<scheduled minutes since the epoch>,
// with the scheduled-timestamp annotation), the events Kubernetes records,
// the new status and when to run again. It does no I/O and reads no clock.
//
// # Semantics followed
//
// Schedules are parsed by robfig/cron v3 ParseStandard, as Kubernetes does:
// five fields, names, steps, the @ descriptors and @every, with the two day
// fields ORed when both are restricted. A TZ= or CRON_TZ= prefix is honoured
// with an UnsupportedSchedule warning; spec.timeZone is applied as such a
// prefix; a schedule without either evaluates in Options.Zone (Kubernetes:
// the controller's local zone; here UTC by default).
//
// A pass follows syncCronJob: history clean-up first (successful 3 and
// failed 1 by default, oldest status.startTime first, Jobs without one
// last, ties by name), then the Job bookkeeping (UnexpectedJob,
// SawCompletedJob, MissingJob), then deletion, an unloadable time zone
// (UnknownTimeZone) and suspend stop the pass without a requeue. The run to
// start is Kubernetes' mostRecentScheduleTime: from lastScheduleTime (or the
// creation time, raised to now-startingDeadlineSeconds) it takes the first
// two runs, estimates the period from their gap and the missed count from
// the elapsed time, and walks Next from one period before the estimated
// last run. More than 100 estimated misses warns TooManyMissedTimes; a
// schedule with no two runs in five years is InvalidSchedule. Only the most
// recent run starts. Forbid skips it while a Job is active (without
// recording it), Replace deletes the active Jobs first, Allow ignores them.
// The wake-up is robfig Next of the run found (or of the window start) plus
// 100 ms.
//
// # Beyond Kubernetes
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
// always carries both the exact and the estimated answer; Options.Exact
// makes the pass act on the exact one.
//
// Daylight saving: DSTKubernetes (the default) is robfig/cron's behaviour,
// a skipped wall time does not run that day and a repeated one runs twice.
// DSTOnce runs skipped times once at the change and repeated times once.
// The exact computation equals robfig/cron's Next in zones whose changes
// shift the clock by whole hours away from midnight (checked by a property
// test against a brute-force walk). In zones with half-hour shifts
// (Australia/Lord_Howe), changes at midnight (e.g. America/Havana,
// America/Santiago) or before standardised time (LMT offsets with
// seconds), robfig/cron's Next has artefacts of its own search (it can skip
// a run next to such a change); the exact computation keeps to the
// definition "every matching wall-clock minute" there.
//
// Lint reports schedules that never fire, fire only on leap days, combine
// the day fields with OR, step unevenly across a wrap, use a TZ prefix, or
// hit wall-clock times that daylight saving skips or repeats.
//
// # Deviations kept deliberately
//
// robfig/cron v3.0.1 panics on a TZ prefix without a following space
// ("TZ=UTC"); here that is a parse error. The estimate's final walk is
// capped at 1,000 steps (it only grows when the window exceeds the 292
// years a time.Duration holds); beyond that the exact run is used. Nil
// history limits mean the API defaults (3 and 1) rather than "no clean-up",
// since batch/v1 always defaults them. An empty concurrencyPolicy means
// Allow. The created Job's UID is unknown until the caller creates it: the
// new status.active entry has an empty UID for the caller to fill in.
package cronjob
