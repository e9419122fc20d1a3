package adapt

import (
	"fmt"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/tools/record"

	"github.com/purectl/purectl/cronjob"
	"github.com/purectl/purectl/daemonset"
	"github.com/purectl/purectl/job"
	"github.com/purectl/purectl/statefulset"
	"github.com/purectl/purectl/volume"
)

// The components that record events, as the controllers name themselves.
const (
	DaemonSetComponent   = "daemonset-controller"
	StatefulSetComponent = "statefulset-controller"
	JobComponent         = "job-controller"
	CronJobComponent     = "cronjob-controller"
	VolumeComponent      = "persistentvolume-controller"
)

// event is one Event on the object ref, first and last seen at now.
func event(ref v1.ObjectReference, component, eventType, reason, message string, now time.Time) v1.Event {
	t := metav1.NewTime(now)
	return v1.Event{
		ObjectMeta:     metav1.ObjectMeta{Name: fmt.Sprintf("%s.%x", ref.Name, now.UnixNano()), Namespace: ref.Namespace},
		InvolvedObject: ref, Reason: reason, Message: message, Type: eventType,
		Source: v1.EventSource{Component: component}, ReportingController: component,
		FirstTimestamp: t, LastTimestamp: t, Count: 1,
	}
}

func objectRef(apiVersion, kind string, m *metav1.ObjectMeta) v1.ObjectReference {
	return v1.ObjectReference{APIVersion: apiVersion, Kind: kind, Namespace: m.Namespace, Name: m.Name, UID: m.UID, ResourceVersion: m.ResourceVersion}
}

// DaemonSetEvents turns every Reason-carrying part of a plan into an
// Event on the DaemonSet, in the order creates, deletes, adoptions,
// releases. A failed daemon pod's delete is a Warning FailedDaemonPod, as
// the controller records it; everything else is Normal.
func DaemonSetEvents(ds *appsv1.DaemonSet, plan *daemonset.Plan, now time.Time) []v1.Event {
	ref := objectRef("apps/v1", "DaemonSet", &ds.ObjectMeta)
	var out []v1.Event
	add := func(t string, r daemonset.Reason, msg string) {
		out = append(out, event(ref, DaemonSetComponent, t, string(r), msg, now))
	}
	for _, c := range plan.Creates {
		add(v1.EventTypeNormal, c.Reason, c.Message)
	}
	for _, d := range plan.Deletes {
		t := v1.EventTypeNormal
		if d.Reason == daemonset.ReasonFailedDaemonPod {
			t = v1.EventTypeWarning
		}
		add(t, d.Reason, d.Message)
	}
	for _, a := range plan.Adopt {
		add(v1.EventTypeNormal, a.Reason, a.Message)
	}
	for _, r := range plan.Release {
		add(v1.EventTypeNormal, r.Reason, r.Message)
	}
	return out
}

// StatefulSetEvents turns a result into Events on the set: a Normal event
// per action, then the result's Events, which the controller records as
// Warnings.
func StatefulSetEvents(ss *appsv1.StatefulSet, res *statefulset.Result, now time.Time) []v1.Event {
	ref := objectRef("apps/v1", "StatefulSet", &ss.ObjectMeta)
	var out []v1.Event
	for _, a := range res.Actions {
		out = append(out, event(ref, StatefulSetComponent, v1.EventTypeNormal, string(a.Reason), a.Message, now))
	}
	for _, e := range res.Events {
		out = append(out, event(ref, StatefulSetComponent, v1.EventTypeWarning, string(e.Reason), e.Message, now))
	}
	return out
}

// JobEvents turns a result into Events on the Job: a Normal event per pod
// creation, deletion and finalizer removal and for the Job's own deletion,
// then the result's Events with the type the controller gives them.
func JobEvents(j *batchv1.Job, res *job.Result, now time.Time) []v1.Event {
	ref := objectRef("batch/v1", "Job", &j.ObjectMeta)
	var out []v1.Event
	add := func(t string, r job.Reason, msg string) {
		out = append(out, event(ref, JobComponent, t, string(r), msg, now))
	}
	for _, c := range res.Create {
		add(v1.EventTypeNormal, c.Reason, c.Message)
	}
	for _, d := range res.Delete {
		add(v1.EventTypeNormal, d.Reason, d.Message)
	}
	for _, r := range res.RemoveFinalizers {
		add(v1.EventTypeNormal, r.Reason, r.Message)
	}
	if d := res.DeleteJob; d != nil {
		add(v1.EventTypeNormal, d.Reason, d.Message)
	}
	for _, e := range res.Events {
		add(string(e.Type), e.Reason, e.Message)
	}
	return out
}

// CronJobEvents turns a result into Events on the CronJob: a Normal event
// for the Job to create and for each deletion, then the result's Events
// with the type the controller gives them.
func CronJobEvents(cj *batchv1.CronJob, res *cronjob.Result, now time.Time) []v1.Event {
	ref := objectRef("batch/v1", "CronJob", &cj.ObjectMeta)
	var out []v1.Event
	add := func(t string, r cronjob.Reason, msg string) {
		out = append(out, event(ref, CronJobComponent, t, string(r), msg, now))
	}
	if c := res.Create; c != nil {
		add(v1.EventTypeNormal, c.Reason, c.Message)
	}
	for _, d := range res.Deletions {
		add(v1.EventTypeNormal, d.Reason, d.Message)
	}
	for _, e := range res.Events {
		add(string(e.Type), e.Reason, e.Message)
	}
	return out
}

// ClaimEvent is the Event a BindPVC or BindClaims decision records on
// the claim: Warning when the result says so (Result.Warning), Normal
// otherwise.
func ClaimEvent(c *v1.PersistentVolumeClaim, r volume.Result, now time.Time) v1.Event {
	t := v1.EventTypeNormal
	if r.Warning {
		t = v1.EventTypeWarning
	}
	return event(objectRef("v1", "PersistentVolumeClaim", &c.ObjectMeta), VolumeComponent, t, string(r.Reason), r.Message, now)
}

// VolumeEvent is the Event a SyncVolume decision records on the volume:
// Warning when the result says so (VolumeResult.Warning), Normal
// otherwise.
func VolumeEvent(pv *v1.PersistentVolume, r volume.VolumeResult, now time.Time) v1.Event {
	t := v1.EventTypeNormal
	if r.Warning {
		t = v1.EventTypeWarning
	}
	return event(objectRef("v1", "PersistentVolume", &pv.ObjectMeta), VolumeComponent, t, string(r.Reason), r.Message, now)
}

// RecordEvents records events through rec on obj, the object they are
// about (the recorder builds the involved object from it), with each
// event's type, reason and message.
func RecordEvents(rec record.EventRecorder, obj runtime.Object, events []v1.Event) {
	for _, e := range events {
		rec.Event(obj, e.Type, e.Reason, e.Message)
	}
}
