package adapt

import (
	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/purectl/purectl/cronjob"
)

// CronJob converts a CronJob.
func CronJob(cj *batchv1.CronJob) cronjob.CronJob {
	s := cj.Spec
	out := cronjob.CronJob{
		Name: cj.Name, Namespace: cj.Namespace, UID: string(cj.UID), CreationTimestamp: cj.CreationTimestamp.Time,
		Deleting: cj.DeletionTimestamp != nil,
		Spec: cronjob.Spec{
			Schedule: s.Schedule, TimeZone: s.TimeZone, StartingDeadlineSeconds: s.StartingDeadlineSeconds,
			ConcurrencyPolicy:          cronjob.ConcurrencyPolicy(s.ConcurrencyPolicy),
			SuccessfulJobsHistoryLimit: s.SuccessfulJobsHistoryLimit, FailedJobsHistoryLimit: s.FailedJobsHistoryLimit,
			JobTemplate: cronjob.JobTemplate{Labels: s.JobTemplate.Labels, Annotations: s.JobTemplate.Annotations},
		},
		Status: cronjob.Status{LastScheduleTime: Time(cj.Status.LastScheduleTime), LastSuccessfulTime: Time(cj.Status.LastSuccessfulTime)},
	}
	if s.Suspend != nil {
		out.Spec.Suspend = *s.Suspend
	}
	for _, r := range cj.Status.Active {
		out.Status.Active = append(out.Status.Active, cronjob.ObjectReference{Name: r.Name, Namespace: r.Namespace, UID: string(r.UID)})
	}
	return out
}

// CronJobJob converts one of a CronJob's Jobs.
func CronJobJob(j *batchv1.Job) cronjob.Job {
	out := cronjob.Job{Name: j.Name, Namespace: j.Namespace, UID: string(j.UID),
		StartTime: Time(j.Status.StartTime), CompletionTime: Time(j.Status.CompletionTime)}
	for _, c := range j.Status.Conditions {
		out.Conditions = append(out.Conditions, cronjob.JobCondition{Type: cronjob.JobConditionType(c.Type), Status: cronjob.ConditionStatus(c.Status)})
	}
	return out
}

// CronJobJobFor builds the Job a CronJob creates: the job template with
// the creation's name, labels and annotations, owned by the CronJob.
func CronJobJobFor(cj *batchv1.CronJob, c *cronjob.JobCreation) *batchv1.Job {
	isController := true
	return &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{Name: c.Name, Namespace: c.Namespace, Labels: c.Labels, Annotations: c.Annotations,
			OwnerReferences: []metav1.OwnerReference{{APIVersion: "batch/v1", Kind: "CronJob", Name: cj.Name, UID: cj.UID,
				Controller: &isController, BlockOwnerDeletion: &isController}}},
		Spec: *cj.Spec.JobTemplate.Spec.DeepCopy(),
	}
}

// CronJobStatus converts the planned status back.
func CronJobStatus(s cronjob.Status) batchv1.CronJobStatus {
	out := batchv1.CronJobStatus{LastScheduleTime: MetaTime(s.LastScheduleTime), LastSuccessfulTime: MetaTime(s.LastSuccessfulTime)}
	for _, r := range s.Active {
		out.Active = append(out.Active, v1.ObjectReference{Kind: "Job", APIVersion: "batch/v1", Name: r.Name, Namespace: r.Namespace, UID: types.UID(r.UID)})
	}
	return out
}

// RecordCreatedJob fills in the UID of a Job the plan asked to create, once
// the API server has assigned it: status.active refers to Jobs by UID, as
// the controller records the created object.
func RecordCreatedJob(s *batchv1.CronJobStatus, created *batchv1.Job) {
	for i := range s.Active {
		if s.Active[i].Name == created.Name && s.Active[i].Namespace == created.Namespace && s.Active[i].UID == "" {
			s.Active[i].UID = created.UID
		}
	}
}

// CronJobJobs converts the Jobs a CronJob controls, picked from all the
// Jobs in its namespace the way the controller lists them
// (getJobsToBeReconciled): a controller ownerReference whose name is the
// CronJob's. Kind and UID are not compared, so a Job left by an earlier
// CronJob of the same name counts too.
func CronJobJobs(cj *batchv1.CronJob, jobs []*batchv1.Job) []cronjob.Job {
	var out []cronjob.Job
	for _, j := range jobs {
		if j.Namespace != cj.Namespace {
			continue
		}
		if ref := metav1.GetControllerOf(j); ref != nil && ref.Name == cj.Name {
			out = append(out, CronJobJob(j))
		}
	}
	return out
}
