package manifest

import (
	"strings"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
)

// What `kubectl get pods,jobs,pvc -o yaml` prints, server-side fields and
// status included, decodes strictly: a List whose items carry
// managedFields, resourceVersion, uid, ownerReferences and status.
func TestReadKubectlGetOutput(t *testing.T) {
	in := `apiVersion: v1
kind: List
metadata: {resourceVersion: ""}
items:
- apiVersion: v1
  kind: Pod
  metadata:
    name: hello-29540761-x7k2p
    namespace: default
    uid: 0b6e8f1e-1111-4c1e-9a1e-000000000001
    resourceVersion: "4711"
    creationTimestamp: "2026-11-23T10:01:00Z"
    labels: {batch.kubernetes.io/job-name: hello-29540761}
    annotations: {batch.kubernetes.io/job-completion-index: "0"}
    finalizers: [batch.kubernetes.io/job-tracking]
    ownerReferences:
    - {apiVersion: batch/v1, kind: Job, name: hello-29540761, uid: 0b6e8f1e-2222-4c1e-9a1e-000000000002, controller: true, blockOwnerDeletion: true}
    managedFields:
    - manager: kube-controller-manager
      operation: Update
      apiVersion: v1
      time: "2026-11-23T10:01:00Z"
      fieldsType: FieldsV1
      fieldsV1: {"f:metadata": {"f:labels": {".": {}}}}
  spec:
    nodeName: node-1
    restartPolicy: OnFailure
    containers: [{name: hello, image: busybox:1.28}]
  status:
    phase: Running
    startTime: "2026-11-23T10:01:01Z"
    conditions:
    - {type: Ready, status: "True", lastTransitionTime: "2026-11-23T10:01:03Z", lastProbeTime: null}
    containerStatuses:
    - name: hello
      image: busybox:1.28
      imageID: docker.io/library/busybox@sha256:0000
      ready: true
      restartCount: 0
      started: true
      state: {running: {startedAt: "2026-11-23T10:01:02Z"}}
- apiVersion: batch/v1
  kind: Job
  metadata:
    name: hello-29540761
    namespace: default
    uid: 0b6e8f1e-2222-4c1e-9a1e-000000000002
    generation: 1
  spec:
    backoffLimit: 6
    completionMode: NonIndexed
    template: {spec: {restartPolicy: OnFailure, containers: [{name: hello, image: busybox:1.28}]}}
  status:
    active: 1
    ready: 1
    startTime: "2026-11-23T10:01:00Z"
    uncountedTerminatedPods: {}
- apiVersion: v1
  kind: PersistentVolumeClaim
  metadata:
    name: www-web-0
    namespace: default
    annotations: {pv.kubernetes.io/bind-completed: "yes", pv.kubernetes.io/bound-by-controller: "yes"}
  spec:
    accessModes: [ReadWriteOnce]
    resources: {requests: {storage: 1Gi}}
    volumeName: pvc-0b6e8f1e
    volumeMode: Filesystem
  status:
    phase: Bound
    accessModes: [ReadWriteOnce]
    capacity: {storage: 1Gi}
`
	objs, err := Read(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 3 {
		t.Fatalf("%d objects, want 3", len(objs))
	}
	pod, ok := objs[0].Obj.(*v1.Pod)
	if !ok || pod.Status.Phase != v1.PodRunning || len(pod.OwnerReferences) != 1 || pod.OwnerReferences[0].Kind != "Job" ||
		len(pod.ManagedFields) != 1 || pod.Status.ContainerStatuses[0].State.Running == nil {
		t.Fatalf("pod %#v", objs[0])
	}
	if j, ok := objs[1].Obj.(*batchv1.Job); !ok || j.Status.Active != 1 || j.Status.StartTime == nil {
		t.Fatalf("job %#v", objs[1])
	}
	if c, ok := objs[2].Obj.(*v1.PersistentVolumeClaim); !ok || c.Status.Phase != v1.ClaimBound || c.Spec.VolumeName != "pvc-0b6e8f1e" {
		t.Fatalf("claim %#v", objs[2])
	}
}
