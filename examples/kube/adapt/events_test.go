package adapt

import (
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/record"

	"github.com/purectl/purectl/cronjob"
	"github.com/purectl/purectl/daemonset"
	"github.com/purectl/purectl/job"
	"github.com/purectl/purectl/statefulset"
	"github.com/purectl/purectl/volume"
)

var eventTime = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// recorded drains a fake recorder: one "Type Reason Message" line per
// event.
func recorded(rec *record.FakeRecorder) []string {
	var out []string
	for {
		select {
		case e := <-rec.Events:
			out = append(out, e)
		default:
			return out
		}
	}
}

// A failed daemon pod is deleted with a Warning FailedDaemonPod event on
// the DaemonSet, as syncNodes' caller podsShouldBeOnNode records it
// (daemon_controller.go, v1.34).
func TestDaemonSetFailedPodEventIsAWarning(t *testing.T) {
	ds := readOne[*appsv1.DaemonSet](t, "daemonset.yaml", "DaemonSet")
	ds.UID, ds.Generation = "ds-uid", 1
	pod := &v1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "fluentd-abcde", Namespace: ds.Namespace, Labels: ds.Spec.Template.Labels,
			OwnerReferences: []metav1.OwnerReference{controllerRef("apps/v1", "DaemonSet", ds.Name, "ds-uid")}},
		Spec:   v1.PodSpec{NodeName: "n1"},
		Status: v1.PodStatus{Phase: v1.PodFailed},
	}
	node := &v1.Node{ObjectMeta: metav1.ObjectMeta{Name: "n1"}}
	plan, err := daemonset.PlanDaemonSet(Nodes([]*v1.Node{node}), []daemonset.Pod{DaemonPod(pod)}, DaemonSet(ds), eventTime, daemonset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	evs := DaemonSetEvents(ds, &plan, eventTime)
	var warnings []v1.Event
	for _, e := range evs {
		if e.InvolvedObject.Kind != "DaemonSet" || e.InvolvedObject.Name != ds.Name || e.InvolvedObject.Namespace != "kube-system" ||
			e.InvolvedObject.UID != "ds-uid" || e.Source.Component != DaemonSetComponent || !e.FirstTimestamp.Time.Equal(eventTime) {
			t.Errorf("event not on the DaemonSet: %+v", e)
		}
		if e.Type == v1.EventTypeWarning {
			warnings = append(warnings, e)
		}
	}
	if len(warnings) != 1 || warnings[0].Reason != "FailedDaemonPod" || !strings.Contains(warnings[0].Message, "fluentd-abcde") {
		t.Fatalf("want one Warning FailedDaemonPod naming the pod, got %+v", evs)
	}
	rec := record.NewFakeRecorder(10)
	RecordEvents(rec, ds, evs)
	got := recorded(rec)
	if len(got) != len(evs) {
		t.Fatalf("recorded %q for %d events", got, len(evs))
	}
	warned := 0
	for _, line := range got {
		if strings.HasPrefix(line, "Warning FailedDaemonPod ") && strings.Contains(line, "fluentd-abcde") {
			warned++
		}
	}
	if warned != 1 {
		t.Fatalf("recorded %q", got)
	}
}

// A claim with no class and no volumes gets FailedBinding as a Normal
// event, as syncUnboundClaim records it (pv_controller.go, v1.34); a claim
// whose named volume belongs to another claim gets it as a Warning.
func TestClaimEventTypeFollowsTheController(t *testing.T) {
	empty := ""
	c := &v1.PersistentVolumeClaim{ObjectMeta: metav1.ObjectMeta{Name: "data", Namespace: "default", UID: "c-uid"},
		Spec: v1.PersistentVolumeClaimSpec{StorageClassName: &empty, AccessModes: []v1.PersistentVolumeAccessMode{v1.ReadWriteOnce},
			Resources: v1.VolumeResourceRequirements{Requests: v1.ResourceList{v1.ResourceStorage: V1Quantity(volume.MustParseQuantity("1Gi"))}}}}
	claim, err := PersistentVolumeClaim(c)
	if err != nil {
		t.Fatal(err)
	}
	r, err := volume.BindPVC(nil, claim, volume.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e := ClaimEvent(c, r, eventTime)
	if e.Type != v1.EventTypeNormal || e.Reason != "FailedBinding" || e.InvolvedObject.Kind != "PersistentVolumeClaim" || e.InvolvedObject.UID != "c-uid" {
		t.Fatalf("%+v", e)
	}

	other := &v1.PersistentVolume{ObjectMeta: metav1.ObjectMeta{Name: "pv1"},
		Spec: v1.PersistentVolumeSpec{Capacity: v1.ResourceList{v1.ResourceStorage: V1Quantity(volume.MustParseQuantity("1Gi"))},
			AccessModes: []v1.PersistentVolumeAccessMode{v1.ReadWriteOnce},
			ClaimRef:    &v1.ObjectReference{Namespace: "default", Name: "someone-else", UID: "x"}},
		Status: v1.PersistentVolumeStatus{Phase: v1.VolumeBound}}
	pv, err := PersistentVolume(other)
	if err != nil {
		t.Fatal(err)
	}
	named := c.DeepCopy()
	named.Spec.VolumeName = "pv1"
	claim, err = PersistentVolumeClaim(named)
	if err != nil {
		t.Fatal(err)
	}
	r, err = volume.BindPVC([]volume.Volume{pv}, claim, volume.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if e := ClaimEvent(named, r, eventTime); e.Type != v1.EventTypeWarning || e.Reason != "FailedBinding" || !strings.Contains(e.Message, "pv1") {
		t.Fatalf("%+v", e)
	}
}

// Events a result lists keep the type the controller gives them, and each
// action with a Reason is a Normal event, in the documented order.
func TestResultEventsKeepTheirType(t *testing.T) {
	cj := &batchv1.CronJob{ObjectMeta: metav1.ObjectMeta{Name: "hello", Namespace: "default", UID: types.UID("cj")}}
	cevs := CronJobEvents(cj, &cronjob.Result{
		Create:    &cronjob.JobCreation{Name: "hello-1", Reason: cronjob.ReasonRunStarted, Message: "run"},
		Deletions: []cronjob.JobDeletion{{Name: "hello-0", Reason: cronjob.ReasonSuccessfulHistoryLimit, Message: "old"}},
		Events:    []cronjob.Event{{Type: cronjob.EventWarning, Reason: cronjob.ReasonMissSchedule, Message: "missed"}},
	}, eventTime)
	want := []string{"Normal RunStarted run", "Normal SuccessfulJobsHistoryLimit old", "Warning MissSchedule missed"}
	checkEvents(t, "CronJob", cevs, want, "CronJob", "hello")

	j := &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: "pi", Namespace: "default"}}
	jevs := JobEvents(j, &job.Result{
		Create:           []job.PodCreation{{Reason: job.ReasonStartPods, Message: "start"}},
		Delete:           []job.PodDeletion{{Name: "p", Reason: job.ReasonTooManyActive, Message: "too many"}},
		RemoveFinalizers: []job.FinalizerRemoval{{Name: "q", Reason: job.ReasonPodFinished, Message: "counted"}},
		DeleteJob:        &job.JobDeletion{Reason: job.ReasonTTLExpired, Message: "ttl"},
		Events:           []job.Event{{Type: job.EventWarning, Reason: job.ReasonBackoffLimitExceeded, Message: "limit"}},
	}, eventTime)
	checkEvents(t, "Job", jevs, []string{"Normal StartPods start", "Normal TooManyActive too many", "Normal PodFinished counted",
		"Normal TTLExpired ttl", "Warning BackoffLimitExceeded limit"}, "Job", "pi")

	ss := &appsv1.StatefulSet{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default"}}
	sevs := StatefulSetEvents(ss, &statefulset.Result{
		Actions: []statefulset.Action{{Type: statefulset.CreatePod, Reason: statefulset.ReasonPodMissing, Message: "web-0"}},
		Events:  []statefulset.Event{{Reason: statefulset.ReasonConflictingController, Message: "conflict"}},
	}, eventTime)
	checkEvents(t, "StatefulSet", sevs, []string{"Normal PodMissing web-0", "Warning ConflictingController conflict"}, "StatefulSet", "web")

	pv := &v1.PersistentVolume{ObjectMeta: metav1.ObjectMeta{Name: "pv1"}}
	ve := VolumeEvent(pv, volume.VolumeResult{Reason: volume.ReasonVolumeFailedDelete, Warning: true, Message: "no plugin"}, eventTime)
	checkEvents(t, "PersistentVolume", []v1.Event{ve}, []string{"Warning VolumeFailedDelete no plugin"}, "PersistentVolume", "pv1")
	if ve.Namespace != "" || ve.InvolvedObject.Namespace != "" {
		t.Errorf("a volume's event has namespace %q", ve.Namespace)
	}
}

func checkEvents(t *testing.T, what string, evs []v1.Event, want []string, kind, name string) {
	t.Helper()
	rec := record.NewFakeRecorder(len(evs) + 1)
	RecordEvents(rec, nil, evs)
	got := recorded(rec)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s events:\n%s\nwant:\n%s", what, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, e := range evs {
		if e.InvolvedObject.Kind != kind || e.InvolvedObject.Name != name || e.Count != 1 || !strings.HasPrefix(e.Name, name+".") {
			t.Errorf("%s event %+v", what, e)
		}
	}
}
