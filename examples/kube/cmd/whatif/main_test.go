package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const now = "2026-11-23T10:00:00Z"

func runWhatif(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(append(args, "--now", now), &out, &errOut)
	return out.String(), errOut.String(), code
}

func testdata(name string) string { return filepath.Join("..", "..", "testdata", name) }

// The documentation's fluentd DaemonSet on three nodes: it tolerates the
// control-plane taint, and the cordoned worker still gets a daemon pod
// because the controller adds the unschedulable toleration.
func TestDaemonSetOnNodes(t *testing.T) {
	out, stderr, code := runWhatif(t, "-f", testdata("daemonset.yaml"), "--nodes", testdata("nodes.yaml"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"daemonset.apps/fluentd-elasticsearch in kube-system: 3 nodes, 3 should run a pod",
		"create  control-plane-1",
		"create  worker-2",
		"Status after this pass: desired 3, current 0",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestClusterFlagMakesWorkers(t *testing.T) {
	out, _, code := runWhatif(t, "-f", testdata("daemonset.yaml"), "--cluster", "5")
	if code != 0 || !strings.Contains(out, "5 nodes, 5 should run a pod") || strings.Count(out, "\ncreate ") != 5 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
}

func TestBadManifestNamesDocumentAndField(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	doc := "apiVersion: v1\nkind: Node\nmetadata: {name: a}\n---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: ds}\nspec:\n  template:\n    spec:\n      tolerations:\n      - key: k\n        operater: Exists\n"
	if err := os.WriteFile(bad, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := runWhatif(t, "-f", bad)
	if code != 1 || !strings.Contains(stderr, "document 2") || !strings.Contains(stderr, "spec.template.spec.tolerations[0].operater") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}

// A manifest that decodes but is invalid for the controller gets the
// API-style field error from the planner.
func TestInvalidSpecGivesFieldError(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "ds.yaml")
	doc := `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ds}
spec:
  selector: {matchLabels: {app: a}}
  updateStrategy:
    type: RollingUpdate
    rollingUpdate: {maxUnavailable: 0, maxSurge: 0}
  template:
    metadata: {labels: {app: a}}
    spec:
      containers: [{name: c, image: i}]
`
	if err := os.WriteFile(bad, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := runWhatif(t, "-f", bad, "--cluster", "1")
	if code != 1 || !strings.Contains(stderr, "spec.updateStrategy.rollingUpdate.maxUnavailable") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}

func TestUsageErrors(t *testing.T) {
	if _, _, code := runWhatif(t); code != 2 {
		t.Errorf("no -f: exit %d", code)
	}
	if _, _, code := runWhatif(t, "-f", testdata("daemonset.yaml"), "--nodes", testdata("nodes.yaml"), "--cluster", "2"); code != 2 {
		t.Errorf("--nodes with --cluster: exit %d", code)
	}
	if _, stderr, code := runWhatif(t, "-f", testdata("nodes.yaml")); code != 1 || !strings.Contains(stderr, "no workload") {
		t.Errorf("nodes only: exit %d %q", code, stderr)
	}
	if _, stderr, code := runWhatif(t, "-f", testdata("daemonset.yaml"), "--nodes", testdata("daemonset.yaml")); code != 1 || !strings.Contains(stderr, "Node documents only") {
		t.Errorf("--nodes with a DaemonSet: exit %d %q", code, stderr)
	}
}

// The documentation's web StatefulSet: OrderedReady creates web-0 and its
// claim first and waits for it.
func TestStatefulSetFirstPass(t *testing.T) {
	out, stderr, code := runWhatif(t, "-f", testdata("statefulset.yaml"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"statefulset.apps/web in default: 3 replicas wanted, 0 pods observed",
		"CreateClaim  persistentvolumeclaim/www-web-0",
		"CreatePod    pod/web-0",
		"Waiting on pod web-0",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "web-1") {
		t.Errorf("OrderedReady must not touch web-1 before web-0 is ready:\n%s", out)
	}
	if strings.HasPrefix(out, "\n") {
		t.Error("output starts with a blank line")
	}
}

// The documentation's hostPath claim binds to task-pv-volume; a second
// claim too big for what is left stays unbound, and every volume says why.
func TestVolumesBindAndExplain(t *testing.T) {
	dir := t.TempDir()
	extra := filepath.Join(dir, "big.yaml")
	doc := "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: big}\nspec:\n  storageClassName: manual\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 5Gi}}\n"
	if err := os.WriteFile(extra, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := runWhatif(t, "-f", testdata("volume.yaml"), "-f", extra)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"2 persistent volumes, 2 claims",
		"task-pv-claim  Bind",
		"task-pv-volume  BestFit",
		"task-pv-volume is reserved for claim default/task-pv-claim",
		"volume pv0003 has class slow",
		"1 claim(s) stay unbound: [big]",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "persistent volumes,") != 1 {
		t.Errorf("volumes must be reported once:\n%s", out)
	}
}

// The documentation's pi Job starts its single pod.
func TestJobFirstPass(t *testing.T) {
	out, stderr, code := runWhatif(t, "-f", testdata("job.yaml"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, "job.batch/pi in default: 0 pods observed") || strings.Count(out, "\ncreate ") != 1 ||
		!strings.Contains(out, "Status after this pass: active 1, succeeded 0, failed 0") {
		t.Fatalf("unexpected output:\n%s", out)
	}
}

// The documentation's hello CronJob ("* * * * *") at 10:00:30 starts the
// 10:00 run, a Job named after the scheduled minute since the epoch.
func TestCronJobStartsTheLatestRun(t *testing.T) {
	out, stderr, code := runWhatif(t, "-f", testdata("cronjob.yaml"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	scheduled, err := time.Parse(time.RFC3339, "2026-11-23T10:00:00Z")
	if err != nil {
		t.Fatal(err)
	}
	wantJob := fmt.Sprintf("create  hello-%d", scheduled.Unix()/60)
	for _, want := range []string{wantJob, "Ask again at 2026-11-23T10:01:00Z"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// Kinds no controller here plans for are skipped alike, decoded or not,
// each with a note naming the file and document; the rest is still planned.
func TestUnplannedKindsAreSkippedWithANote(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "app.yaml")
	doc := `apiVersion: v1
kind: Service
metadata: {name: web}
spec: {ports: [{port: 80}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec: {replicas: 2}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
`
	if err := os.WriteFile(file, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := runWhatif(t, "-f", file, "-f", testdata("daemonset.yaml"), "--cluster", "1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		file + `: skipping document 1 (v1 Service "web")`,
		file + `: skipping document 2 (apps/v1 Deployment "web")`,
		file + `: skipping document 3 (v1 ConfigMap "cfg")`,
		file + `: skipping document 4 (example.com/v1 Widget "w")`,
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if n := strings.Count(stderr, "note:"); n != 4 {
		t.Errorf("%d notes, want 4:\n%s", n, stderr)
	}
	// Only kinds: a manifest with nothing to plan is still an error.
	if _, stderr, code := runWhatif(t, "-f", file); code != 1 || !strings.Contains(stderr, "no workload") {
		t.Errorf("only unplanned kinds: exit %d %q", code, stderr)
	}
}
