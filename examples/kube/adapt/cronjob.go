package adapt

import (
	"maps"

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
		Name: cj.Name, Namespace: cj.Namespace, UID: string(cj.UID), Generation: cj.Generation,
		Labels: cj.Labels, Annotations: cj.Annotations, CreationTimestamp: cj.CreationTimestamp.Time,
		DeletionTimestamp: deletion(&cj.ObjectMeta),
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

// V1CronJob is the CronJob that CronJob reads back as cj. Its job
// template carries only the labels and annotations cj has.
func V1CronJob(cj cronjob.CronJob) *batchv1.CronJob {
	s := cj.Spec
	out := &batchv1.CronJob{
		TypeMeta:   metav1.TypeMeta{APIVersion: "batch/v1", Kind: "CronJob"},
		ObjectMeta: objectMeta(cj.Name, cj.Namespace, cj.UID, cj.Generation, cj.Labels, cj.Annotations, cj.CreationTimestamp, cj.DeletionTimestamp),
		Spec: batchv1.CronJobSpec{
			Schedule: s.Schedule, TimeZone: clonePtr(s.TimeZone), StartingDeadlineSeconds: clonePtr(s.StartingDeadlineSeconds),
			ConcurrencyPolicy:          batchv1.ConcurrencyPolicy(s.ConcurrencyPolicy),
			SuccessfulJobsHistoryLimit: clonePtr(s.SuccessfulJobsHistoryLimit), FailedJobsHistoryLimit: clonePtr(s.FailedJobsHistoryLimit),
			JobTemplate: batchv1.JobTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: maps.Clone(s.JobTemplate.Labels), Annotations: maps.Clone(s.JobTemplate.Annotations)}},
		},
		Status: CronJobStatus(cj.Status),
	}
	if s.Suspend {
		out.Spec.Suspend = &s.Suspend
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

// V1CronJobJob is the Job that CronJobJob reads back as j.
func V1CronJobJob(j cronjob.Job) *batchv1.Job {
	out := &batchv1.Job{
		TypeMeta:   metav1.TypeMeta{APIVersion: "batch/v1", Kind: "Job"},
		ObjectMeta: metav1.ObjectMeta{Name: j.Name, Namespace: j.Namespace, UID: types.UID(j.UID)},
		Status:     batchv1.JobStatus{StartTime: MetaTime(j.StartTime), CompletionTime: MetaTime(j.CompletionTime)},
	}
	for _, c := range j.Conditions {
		out.Status.Conditions = append(out.Status.Conditions, batchv1.JobCondition{Type: batchv1.JobConditionType(c.Type), Status: v1.ConditionStatus(c.Status)})
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

// CronJobJobs converts the Jobs a CronJob controls, picked from jobs the
// way the given release's controller lists them: up to 1.36
// (getJobsToBeReconciled) the Jobs in its namespace with a controller
// ownerReference whose name is the CronJob's, Kind and UID not compared,
// so a Job left by an earlier CronJob of the same name counts too; from
// 1.37 (getCronJobJobsByIndexer) those whose controller ownerReference
// has the CronJob's UID.
func CronJobJobs(cj *batchv1.CronJob, jobs []*batchv1.Job, rel cronjob.Release) []cronjob.Job {
	byUID := rel.AtLeast("1.37")
	var out []cronjob.Job
	for _, j := range jobs {
		ref := metav1.GetControllerOf(j)
		switch {
		case ref == nil:
		case byUID && ref.UID == cj.UID:
			out = append(out, CronJobJob(j))
		case !byUID && j.Namespace == cj.Namespace && ref.Name == cj.Name:
			out = append(out, CronJobJob(j))
		}
	}
	return out
}
