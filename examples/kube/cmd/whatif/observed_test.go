package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	k8stypes "k8s.io/apimachinery/pkg/types"
	appsdefaults "k8s.io/kubernetes/pkg/apis/apps/v1"
	"sigs.k8s.io/yaml"

	"github.com/purectl/purectl/examples/kube/adapt"
	"github.com/purectl/purectl/examples/kube/manifest"
)

// webState is what a cluster holds after the first passes of the
// documentation's web StatefulSet: web-0 Ready for an hour at revision
// web-5d8f, its claim bound.
const webState = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web, namespace: default, uid: u-web, generation: 1, creationTimestamp: "2026-11-23T08:00:00Z"}
spec:
  selector: {matchLabels: {app: nginx}}
  serviceName: nginx
  replicas: 3
  minReadySeconds: 10
  template:
    metadata: {labels: {app: nginx}}
    spec:
      terminationGracePeriodSeconds: 10
      containers:
      - name: nginx
        image: registry.k8s.io/nginx-slim:0.24
        ports: [{containerPort: 80, name: web}]
        volumeMounts: [{name: www, mountPath: /usr/share/nginx/html}]
  volumeClaimTemplates:
  - metadata: {name: www}
    spec:
      accessModes: [ReadWriteOnce]
      storageClassName: my-storage-class
      resources: {requests: {storage: 1Gi}}
status:
  observedGeneration: 1
  replicas: 1
  readyReplicas: 1
  availableReplicas: 1
  currentReplicas: 1
  updatedReplicas: 1
  currentRevision: web-5d8f
  updateRevision: web-5d8f
---
apiVersion: v1
kind: Pod
metadata:
  name: web-0
  namespace: default
  uid: u-web-0
  creationTimestamp: "2026-11-23T08:59:00Z"
  labels: {app: nginx, controller-revision-hash: web-5d8f, statefulset.kubernetes.io/pod-name: web-0, apps.kubernetes.io/pod-index: "0"}
  ownerReferences: [{apiVersion: apps/v1, kind: StatefulSet, name: web, uid: u-web, controller: true}]
spec:
  hostname: web-0
  subdomain: nginx
  nodeName: node-1
  containers: [{name: nginx, image: registry.k8s.io/nginx-slim:0.24}]
  volumes: [{name: www, persistentVolumeClaim: {claimName: www-web-0}}]
status:
  phase: Running
  conditions: [{type: Ready, status: "True", lastTransitionTime: "2026-11-23T09:00:00Z"}]
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: www-web-0, namespace: default, uid: u-www-web-0, labels: {app: nginx}}
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: my-storage-class
  resources: {requests: {storage: 1Gi}}
  volumeName: pvc-u-www-web-0
status: {phase: Bound, accessModes: [ReadWriteOnce], capacity: {storage: 1Gi}}
`

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// decoded is --output json read back with the field names the package
// documentation promises.
type decoded struct {
	Now       string `json:"now"`
	Resources []struct {
		Kind      string `json:"kind"`
		Namespace string `json:"namespace"`
		Name      string `json:"name"`
		Actions   []struct {
			Action, Object, Reason, Message string
		} `json:"actions"`
		Warnings  []string `json:"warnings"`
		Waiting   string   `json:"waiting"`
		RequeueAt string   `json:"requeueAt"`
		// Status is decoded loosely: it is the kind's API status.
		Status map[string]any `json:"status"`
	} `json:"resources"`
}

func runJSON(t *testing.T, args ...string) decoded {
	t.Helper()
	out, stderr, code := runWhatif(t, append(args, "--output", "json")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var d decoded
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		t.Fatalf("output is not the documented JSON: %v\n%s", err, out)
	}
	// Arrays are never null, so that a consumer can range over them.
	if strings.Contains(out, "null") {
		t.Errorf("output has a null:\n%s", out)
	}
	if d.Now != now {
		t.Errorf("now %q, want %q", d.Now, now)
	}
	return d
}

func actionList(d decoded, kind, name string) []string {
	var out []string
	for _, r := range d.Resources {
		if r.Kind == kind && r.Name == name {
			for _, a := range r.Actions {
				out = append(out, a.Action+" "+a.Object)
			}
		}
	}
	return out
}

// The second pass of the web StatefulSet (OrderedReady, updateStatefulSet's
// scan): with web-0 observed Ready for longer than minReadySeconds at the
// revision the cluster named, the pass creates web-1's claim and then
// web-1, and leaves web-0 alone, whether the cluster's state comes in an
// --observed file or in the manifest itself.
func TestObservedStatefulSetSecondPass(t *testing.T) {
	state := writeFile(t, "state.yaml", webState)
	want := []string{"CreateClaim persistentvolumeclaim/www-web-1", "CreatePod pod/web-1"}
	for name, args := range map[string][]string{
		"observed file": {"-f", testdata("statefulset.yaml"), "--observed", state},
		"same file":     {"-f", state},
	} {
		d := runJSON(t, args...)
		if got := actionList(d, "StatefulSet", "web"); !slices.Equal(got, want) {
			t.Errorf("%s: actions %v, want %v", name, got, want)
		}
		if name == "observed file" && len(d.Resources) != 1 {
			t.Errorf("%s: %d resources planned; an observed claim is input only", name, len(d.Resources))
		}
		if r := d.Resources[0]; r.Namespace != "default" || !strings.Contains(r.Waiting, "web-1") {
			t.Errorf("%s: resource %+v", name, r)
		}
		// The status after the pass counts the observed pod only (web-1
		// is created by this pass) and keeps the cluster's revision.
		if st := d.Resources[0].Status; st["replicas"] != float64(1) || st["readyReplicas"] != float64(1) || st["currentRevision"] != "web-5d8f" {
			t.Errorf("%s: status %v", name, st)
		}
		// web-1 is made at the revision the cluster named for the
		// template, the one web-0 carries, not at a name of our own.
		if a := d.Resources[0].Actions; len(a) == 2 && !strings.Contains(a[1].Message, "at revision web-5d8f") {
			t.Errorf("%s: %q", name, a[1].Message)
		}
	}
	// Without the observed state it is the first pass again.
	d := runJSON(t, "-f", testdata("statefulset.yaml"))
	if got := actionList(d, "StatefulSet", "web"); !slices.Equal(got, []string{"CreateClaim persistentvolumeclaim/www-web-0", "CreatePod pod/web-0"}) {
		t.Errorf("first pass: %v", got)
	}
	// The text output says the same.
	out, _, _ := runWhatif(t, "-f", testdata("statefulset.yaml"), "--observed", state)
	if !strings.Contains(out, "1 pods observed") || !strings.Contains(out, "CreatePod    pod/web-1") || strings.Contains(out, "pod/web-0") {
		t.Errorf("text output:\n%s", out)
	}
}

// A changed template in the applied manifest is a new revision: observed
// web-0 (the old one) is not counted as updated, and the applied set's
// generation is one past the observed one.
func TestObservedStatefulSetNewTemplate(t *testing.T) {
	state := writeFile(t, "state.yaml", webState)
	applied := strings.Replace(webState[:strings.Index(webState, "status:")], "nginx-slim:0.24", "nginx-slim:0.25", 1)
	manifest := writeFile(t, "web.yaml", applied)
	out, stderr, code := runWhatif(t, "-f", manifest, "--observed", state)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, "updated 0") || !strings.Contains(out, "current 1") {
		t.Errorf("the old pod should count as current, not updated:\n%s", out)
	}
}

// The hello CronJob after its 10:00 run started: the observed Job of that
// run and the observed status (lastScheduleTime 10:00) mean nothing is due
// at 10:00:30-ish; without them the 10:00 run starts. The observed Job is
// an input of the CronJob, never planned itself.
func TestObservedJobsFeedTheCronJob(t *testing.T) {
	scheduled, err := time.Parse(time.RFC3339, now)
	if err != nil {
		t.Fatal(err)
	}
	jobName := fmt.Sprintf("hello-%d", scheduled.Unix()/60)
	state := writeFile(t, "state.yaml", fmt.Sprintf(`apiVersion: batch/v1
kind: CronJob
metadata: {name: hello, namespace: default, uid: u-hello, creationTimestamp: "2026-11-23T09:00:30Z"}
spec:
  schedule: "* * * * *"
  jobTemplate: {spec: {template: {spec: {containers: [{name: hello, image: busybox:1.28}], restartPolicy: OnFailure}}}}
status:
  lastScheduleTime: "%[2]s"
  active: [{apiVersion: batch/v1, kind: Job, name: %[1]s, namespace: default, uid: u-job}]
---
apiVersion: batch/v1
kind: Job
metadata:
  name: %[1]s
  namespace: default
  uid: u-job
  ownerReferences: [{apiVersion: batch/v1, kind: CronJob, name: hello, uid: u-hello, controller: true}]
spec:
  template: {spec: {containers: [{name: hello, image: busybox:1.28}], restartPolicy: OnFailure}}
status: {startTime: "%[2]s", active: 1}
`, jobName, now))
	d := runJSON(t, "-f", testdata("cronjob.yaml"), "--observed", state)
	if len(d.Resources) != 1 || d.Resources[0].Kind != "CronJob" {
		t.Fatalf("resources %+v", d.Resources)
	}
	r := d.Resources[0]
	if len(r.Actions) != 0 || r.RequeueAt != "2026-11-23T10:01:00Z" {
		t.Errorf("with the 10:00 run observed: actions %v, requeueAt %q", r.Actions, r.RequeueAt)
	}
	d = runJSON(t, "-f", testdata("cronjob.yaml"), "--created", "2026-11-23T09:00:30Z")
	if got := actionList(d, "CronJob", "hello"); !slices.Equal(got, []string{"create job/" + jobName}) {
		t.Errorf("without it: %v", got)
	}
}

// Every planned resource of the documentation's manifests is one JSON
// object with the documented fields: a known kind, a name, actions each
// with a reason and message, and requeueAt in RFC 3339 when set.
func TestJSONOutputIsTheDocumentedShape(t *testing.T) {
	kinds := []string{"DaemonSet", "StatefulSet", "Job", "CronJob", "PersistentVolumeClaim"}
	d := runJSON(t, "-f", testdata("daemonset.yaml"), "-f", testdata("statefulset.yaml"), "-f", testdata("job.yaml"),
		"-f", testdata("cronjob.yaml"), "-f", testdata("volume.yaml"), "--cluster", "3", "--created", "2026-11-23T09:00:30Z")
	seen := map[string]int{}
	for _, r := range d.Resources {
		seen[r.Kind]++
		if !slices.Contains(kinds, r.Kind) || r.Name == "" {
			t.Errorf("resource %+v", r)
		}
		for _, a := range r.Actions {
			if a.Action == "" || a.Object == "" || a.Reason == "" || a.Message == "" {
				t.Errorf("%s/%s: action %+v lacks a field", r.Kind, r.Name, a)
			}
		}
		if r.RequeueAt != "" {
			if _, err := time.Parse(time.RFC3339, r.RequeueAt); err != nil {
				t.Errorf("%s/%s: requeueAt %q: %v", r.Kind, r.Name, r.RequeueAt, err)
			}
		}
	}
	for _, k := range kinds {
		if seen[k] == 0 {
			t.Errorf("no %s in the output", k)
		}
	}
	for _, r := range d.Resources {
		if r.Kind != "PersistentVolumeClaim" && r.Status == nil {
			t.Errorf("%s/%s: no status", r.Kind, r.Name)
		}
	}
	for _, r := range d.Resources {
		if r.Kind == "DaemonSet" && r.Status["desiredNumberScheduled"] != float64(3) {
			t.Errorf("DaemonSet status %v, want 3 desired on 3 nodes", r.Status)
		}
	}
	// The DaemonSet creates one pod per node, each action naming its node.
	got := actionList(d, "DaemonSet", "fluentd-elasticsearch")
	if !slices.Equal(got, []string{"create node/node-1", "create node/node-2", "create node/node-3"}) {
		t.Errorf("DaemonSet actions %v", got)
	}
}

func TestOutputFlagErrors(t *testing.T) {
	if _, _, code := runWhatif(t, "-f", testdata("job.yaml"), "--output", "yaml"); code != 2 {
		t.Errorf("--output yaml: exit %d", code)
	}
	if _, _, code := runWhatif(t, "-f", testdata("job.yaml"), "--output", "json", "--simulate"); code != 2 {
		t.Errorf("--output json --simulate: exit %d", code)
	}
	if _, stderr, code := runWhatif(t, "-f", "-", "--observed", "-"); code != 2 || !strings.Contains(stderr, "standard input") {
		t.Errorf("stdin twice: exit %d %q", code, stderr)
	}
	if _, stderr, code := runWhatif(t, "-f", testdata("job.yaml"), "--observed", "/nonexistent.yaml"); code != 1 || !strings.Contains(stderr, "nonexistent") {
		t.Errorf("missing --observed file: exit %d %q", code, stderr)
	}
}

// observedFleet is the documentation's fluentd DaemonSet as a cluster
// stores it (defaulted) and one Ready pod of it on each of nodes, labelled
// with the revision hash the controller gives the stored template.
func observedFleet(t *testing.T, nodes int) string {
	t.Helper()
	f, err := os.Open(testdata("daemonset.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	objs, err := manifest.Read(f)
	if err != nil {
		t.Fatal(err)
	}
	ds := objs[0].Obj.(*appsv1.DaemonSet).DeepCopy()
	appsdefaults.SetObjectDefaults_DaemonSet(ds)
	ds.UID, ds.Generation = "u-ds", 1
	ds.Status = appsv1.DaemonSetStatus{ObservedGeneration: 1, DesiredNumberScheduled: int32(nodes), CurrentNumberScheduled: int32(nodes),
		NumberReady: int32(nodes), UpdatedNumberScheduled: int32(nodes), NumberAvailable: int32(nodes)}
	docs := []any{ds}
	hash := adapt.TemplateHash(&ds.Spec.Template, nil)
	controller := true
	for i := 1; i <= nodes; i++ {
		node := fmt.Sprintf("node-%d", i)
		since := metav1.NewTime(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
		docs = append(docs, &v1.Pod{TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
			ObjectMeta: metav1.ObjectMeta{Name: "fluentd-" + node, Namespace: ds.Namespace, UID: k8stypes.UID("u-" + node), CreationTimestamp: since,
				Labels:          map[string]string{"name": "fluentd-elasticsearch", appsv1.DefaultDaemonSetUniqueLabelKey: hash},
				OwnerReferences: []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "DaemonSet", Name: ds.Name, UID: ds.UID, Controller: &controller}}},
			Spec:   v1.PodSpec{NodeName: node, Containers: []v1.Container{{Name: "c", Image: "i"}}},
			Status: v1.PodStatus{Phase: v1.PodRunning, Conditions: []v1.PodCondition{{Type: v1.PodReady, Status: v1.ConditionTrue, LastTransitionTime: since}}}})
	}
	ds.TypeMeta = metav1.TypeMeta{APIVersion: "apps/v1", Kind: "DaemonSet"}
	var b strings.Builder
	for _, d := range docs {
		y, err := yaml.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString("---\n")
		b.Write(y)
	}
	return writeFile(t, "fleet.yaml", b.String())
}

// The DaemonSet manifest as applied, with the cluster observed running its
// pods everywhere: the pods are at the stored template's revision, so the
// next pass does nothing; a manifest with another image is a rolling
// update of one node (maxUnavailable 1).
func TestObservedDaemonSetIsUpToDate(t *testing.T) {
	state := observedFleet(t, 3)
	d := runJSON(t, "-f", testdata("daemonset.yaml"), "--observed", state, "--cluster", "3")
	if got := actionList(d, "DaemonSet", "fluentd-elasticsearch"); len(got) != 0 {
		t.Errorf("up-to-date fleet: actions %v", got)
	}
	base, err := os.ReadFile(testdata("daemonset.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	changed := writeFile(t, "new.yaml", strings.Replace(string(base), "fluentd:v2.5.2", "fluentd:v2.6.0", 1))
	d = runJSON(t, "-f", changed, "--observed", state, "--cluster", "3")
	got := actionList(d, "DaemonSet", "fluentd-elasticsearch")
	if len(got) != 1 || !strings.HasPrefix(got[0], "delete pod/fluentd-node-") {
		t.Errorf("new image: actions %v, want one rolling-update delete", got)
	}
}

// The pi Job's second pass (syncJob with finalizer tracking): its one pod
// observed Succeeded is counted and released, and no pod is created.
func TestObservedJobPodIsCounted(t *testing.T) {
	state := writeFile(t, "state.yaml", `apiVersion: batch/v1
kind: Job
metadata: {name: pi, namespace: default, uid: u-pi, generation: 1, creationTimestamp: "2026-11-23T09:59:00Z"}
spec:
  backoffLimit: 4
  template: {spec: {restartPolicy: Never, containers: [{name: pi, image: perl:5.34.0, command: [perl]}]}}
status: {startTime: "2026-11-23T09:59:00Z", active: 1, ready: 0, uncountedTerminatedPods: {}}
---
apiVersion: v1
kind: Pod
metadata:
  name: pi-x7k2p
  namespace: default
  uid: u-pi-x7k2p
  creationTimestamp: "2026-11-23T09:59:00Z"
  finalizers: [batch.kubernetes.io/job-tracking]
  ownerReferences: [{apiVersion: batch/v1, kind: Job, name: pi, uid: u-pi, controller: true}]
spec:
  nodeName: node-1
  restartPolicy: Never
  containers: [{name: pi, image: perl:5.34.0}]
status:
  phase: Succeeded
  containerStatuses:
  - name: pi
    image: perl:5.34.0
    imageID: ""
    ready: false
    restartCount: 0
    state: {terminated: {exitCode: 0, finishedAt: "2026-11-23T09:59:50Z"}}
`)
	d := runJSON(t, "-f", testdata("job.yaml"), "--observed", state)
	if got := actionList(d, "Job", "pi"); !slices.Equal(got, []string{"release pod/pi-x7k2p"}) {
		t.Errorf("second pass: actions %v", got)
	}
	if got := actionList(runJSON(t, "-f", testdata("job.yaml")), "Job", "pi"); !slices.Equal(got, []string{"create pod/pi-"}) {
		t.Errorf("first pass: actions %v", got)
	}
}

// The hostPath claim after the PV controller bound it: observed bound (the
// volume's claimRef and the claim's volumeName and bind-completed
// annotation), the next pass has nothing to bind; without the observed
// state the claim is bound to task-pv-volume again.
func TestObservedClaimIsBound(t *testing.T) {
	state := writeFile(t, "state.yaml", `apiVersion: v1
kind: PersistentVolume
metadata: {name: task-pv-volume, uid: u-pv, labels: {type: local}, annotations: {pv.kubernetes.io/bound-by-controller: "yes"}}
spec:
  storageClassName: manual
  capacity: {storage: 10Gi}
  accessModes: [ReadWriteOnce]
  hostPath: {path: /mnt/data}
  claimRef: {kind: PersistentVolumeClaim, namespace: default, name: task-pv-claim, uid: u-claim}
  persistentVolumeReclaimPolicy: Retain
status: {phase: Bound}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: task-pv-claim
  namespace: default
  uid: u-claim
  annotations: {pv.kubernetes.io/bind-completed: "yes", pv.kubernetes.io/bound-by-controller: "yes"}
spec:
  storageClassName: manual
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 3Gi}}
  volumeName: task-pv-volume
status: {phase: Bound, accessModes: [ReadWriteOnce], capacity: {storage: 10Gi}}
`)
	first := actionList(runJSON(t, "-f", testdata("volume.yaml")), "PersistentVolumeClaim", "task-pv-claim")
	if !slices.Equal(first, []string{"Bind persistentvolume/task-pv-volume"}) {
		t.Fatalf("first pass: %v", first)
	}
	d := runJSON(t, "-f", testdata("volume.yaml"), "--observed", state)
	got := actionList(d, "PersistentVolumeClaim", "task-pv-claim")
	if len(got) != 1 || strings.HasPrefix(got[0], "Bind ") {
		t.Errorf("second pass: %v, want no binding", got)
	}
	out, _, _ := runWhatif(t, "-f", testdata("volume.yaml"), "--observed", state)
	if strings.Contains(out, "stay unbound") || !strings.Contains(out, "AlreadyBound") {
		t.Errorf("a bound claim reported unbound:\n%s", out)
	}
}
