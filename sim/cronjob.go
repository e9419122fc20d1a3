package sim

import (
	"errors"
	"fmt"
	"time"

	"github.com/purectl/purectl/cronjob"
	"github.com/purectl/purectl/job"
)

// CronJob is a CronJob in the world. Each pass hands CronDue the Jobs the
// world holds for it and keeps the status it returns.
type CronJob struct {
	cronjob.CronJob
	// JobSpec is spec.jobTemplate.spec, the spec of every Job it creates.
	JobSpec job.Spec
	// Options are passed to every CronDue call (Exact, zone, ...).
	Options cronjob.Options
	requeue time.Time
}

// CronJobState is a CronJob as the world sees it after a pass.
type CronJobState struct {
	Name string
	// Jobs is how many of its Jobs exist; Active how many of them have not
	// finished.
	Jobs, Active int
	// LastSchedule is status.lastScheduleTime after the pass.
	LastSchedule time.Time
}

// errRefused is the API server's answer to a write Faults.Lose refuses.
var errRefused = errors.New("the API server refused the write")

func (w *World) cronJobJobs(cj *CronJob) []cronjob.Job {
	var out []cronjob.Job
	for i := range w.Jobs {
		j := &w.Jobs[i]
		if j.Owner != cj.UID || j.Namespace != cj.Namespace {
			continue
		}
		cjj := cronjob.Job{Name: j.Name, Namespace: j.Namespace, UID: j.UID,
			StartTime: j.Status.StartTime, CompletionTime: j.Status.CompletionTime}
		for _, c := range j.Status.Conditions {
			if c.Type == job.ConditionComplete || c.Type == job.ConditionFailed {
				cjj.Conditions = append(cjj.Conditions, cronjob.JobCondition{
					Type: cronjob.JobConditionType(c.Type), Status: cronjob.ConditionStatus(c.Status)})
			}
		}
		out = append(out, cjj)
	}
	return out
}

func (w *World) stepCronJob(i int, pass *Pass) error {
	cj := &w.CronJobs[i]
	if cj.UID == "" {
		cj.UID = w.nextName("cronjob-uid-")
	}
	// The world's API server stores the object defaulted, as batch/v1 does.
	stored, jobs := cronjob.Default(cj.CronJob, cj.Options.Release), w.cronJobJobs(cj)
	res, err := cronjob.CronDue(stored, jobs, w.Now, cj.Options)
	if err != nil {
		return fmt.Errorf("cronjob %s/%s: %w", cj.Namespace, cj.Name, err)
	}
	object := "cronjob/" + cj.Namespace + "/" + cj.Name
	// Writes the API server refuses (Faults.Lose): the pass is asked again
	// with them, for the status and events the controller writes then.
	opts := cj.Options
	var lost []Action
	for _, d := range res.Deletions {
		if w.lose(object, "delete", d.Name) {
			if opts.FailedDeletes == nil {
				opts.FailedDeletes = map[string]error{}
			}
			opts.FailedDeletes[d.Name] = errRefused
			lost = append(lost, Action{Object: object, Verb: "delete", Target: d.Name, Reason: string(d.Reason), Message: d.Message, Lost: true})
		}
	}
	if c := res.Create; c != nil && w.lose(object, "create", c.Name) {
		opts.CreateFailed = errRefused
		lost = append(lost, Action{Object: object, Verb: "create", Target: c.Name, Reason: string(c.Reason), Message: c.Message, Lost: true})
	}
	if len(lost) > 0 {
		if res, err = cronjob.CronDue(stored, jobs, w.Now, opts); err != nil {
			return fmt.Errorf("cronjob %s/%s: %w", cj.Namespace, cj.Name, err)
		}
		pass.Actions = append(pass.Actions, lost...)
	}
	for _, d := range res.Deletions {
		if opts.FailedDeletes[d.Name] != nil {
			continue
		}
		for k := range w.Jobs {
			if w.Jobs[k].UID == d.UID || d.UID == "" && w.Jobs[k].Name == d.Name && w.Jobs[k].Namespace == d.Namespace {
				w.removeJob(k)
				break
			}
		}
		pass.Actions = append(pass.Actions, Action{Object: object, Verb: "delete", Target: d.Name, Reason: string(d.Reason), Message: d.Message})
	}
	status := res.Status
	if c := res.Create; c != nil && opts.CreateFailed == nil {
		uid := w.nextName("job-uid-")
		w.Jobs = append(w.Jobs, Job{Job: job.Job{Name: c.Name, Namespace: c.Namespace, Spec: cj.JobSpec},
			Owner: cj.UID, UID: uid, Created: w.Now, Options: job.Options{Release: cj.Options.Release}})
		// The new status.active entry names the Job created; its UID is
		// known only now.
		for k := range status.Active {
			if status.Active[k].Name == c.Name && status.Active[k].UID == "" {
				status.Active[k].UID = uid
			}
		}
		pass.Actions = append(pass.Actions, Action{Object: object, Verb: "create", Target: c.Name, Reason: string(c.Reason), Message: c.Message})
	}
	for _, e := range res.Events {
		pass.Actions = append(pass.Actions, Action{Object: object, Verb: "event", Target: string(e.Type), Reason: string(e.Reason), Message: e.Message})
	}
	cj.Status = status
	cj.requeue = res.RequeueAt
	if res.Outcome == cronjob.ReasonCreateFailed || res.Outcome == cronjob.ReasonReplaceFailed {
		// A failed pass is retried after the work queue's back-off, here
		// a fixed second.
		cj.requeue = w.Now.Add(time.Second)
	}
	st := CronJobState{Name: cj.Name, LastSchedule: status.LastScheduleTime}
	for k := range w.Jobs {
		if w.Jobs[k].Owner == cj.UID {
			st.Jobs++
			if !w.jobState(&w.Jobs[k]).Finished {
				st.Active++
			}
		}
	}
	pass.CronJobs = append(pass.CronJobs, st)
	return nil
}
