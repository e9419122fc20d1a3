package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"
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

// A freshly applied CronJob has missed nothing: the documentation's hello
// CronJob at 10:00, taken as created then, waits for 10:01 and says what it
// assumed.
func TestFreshCronJobMissedNothing(t *testing.T) {
	out, stderr, code := runWhatif(t, "-f", testdata("cronjob.yaml"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"assumed created at 2026-11-23T10:00:00Z (set it with --created)", ": 0 due", "Ask again at 2026-11-23T10:01:00Z"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "create  hello-") {
		t.Errorf("a fresh CronJob started a run:\n%s", out)
	}
}

// The documentation's hello CronJob ("* * * * *"), created at 9:00:30,
// starts the 10:00 run at 10:00, a Job named after the scheduled minute
// since the epoch.
func TestCronJobStartsTheLatestRun(t *testing.T) {
	out, stderr, code := runWhatif(t, "-f", testdata("cronjob.yaml"), "--created", "2026-11-23T09:00:30Z")
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

// The documentation's fluentd DaemonSet, its template changed, rolled over up
// to 50 nodes with random pod timings and budgets: every row of the printed
// timeline keeps the nodes without an available pod within maxUnavailable,
// and the simulation says it finished.
func TestSimulateRollingUpdateTimelineKeepsBudget(t *testing.T) {
	base, err := os.ReadFile(testdata("daemonset.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	rapid.Check(t, func(rt *rapid.T) {
		nodes := rapid.IntRange(1, 50).Draw(rt, "nodes")
		budget := rapid.IntRange(1, 6).Draw(rt, "maxUnavailable")
		doc := strings.Replace(string(base), "spec:\n  selector:",
			fmt.Sprintf("spec:\n  updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: %d}}\n  selector:", budget), 1)
		file := filepath.Join(dir, "ds.yaml")
		if err := os.WriteFile(file, []byte(doc), 0o644); err != nil {
			rt.Fatal(err)
		}
		dur := func(name string, hi int) string { return fmt.Sprintf("%ds", rapid.IntRange(0, hi).Draw(rt, name)) }
		out, stderr, code := runWhatif(t, "-f", file, "--cluster", fmt.Sprint(nodes), "--simulate", "--from-old",
			"--pod-start", dur("start", 30), "--pod-ready", dur("ready", 30), "--pod-terminate", dur("terminate", 60))
		if code != 0 {
			rt.Fatalf("exit %d: %s", code, stderr)
		}
		rows := 0
		for _, line := range strings.Split(out, "\n") {
			if !strings.HasPrefix(line, "+") {
				continue
			}
			rows++
			var unavailable, desired int
			if _, err := fmt.Sscanf(strings.Fields(line)[4], "%d/%d", &unavailable, &desired); err != nil || desired != nodes {
				rt.Fatalf("row %q: %v (desired %d, nodes %d)", line, err, desired, nodes)
			}
			if unavailable > budget {
				rt.Fatalf("row %q: %d unavailable, maxUnavailable %d\n%s", line, unavailable, budget, out)
			}
		}
		if rows < 2 || !strings.Contains(out, "\nFinished after ") || !strings.Contains(out, fmt.Sprintf("%d/%d nodes run an available pod of the current template", nodes, nodes)) {
			rt.Fatalf("no finished timeline:\n%s", out)
		}
	})
}

// A fresh DaemonSet on three nodes: three creates in the first pass, done
// once the pods are available (10s to run and 5s to Ready by default).
func TestSimulateFreshDaemonSet(t *testing.T) {
	out, stderr, code := runWhatif(t, "-f", testdata("daemonset.yaml"), "--cluster", "3", "--simulate", "--until", "1h")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, "3× create MissingPod") || !strings.Contains(out, "Finished after 15s") {
		t.Fatalf("timeline:\n%s", out)
	}
}

// With --broken the new template's pods never become Ready: the rolling
// update stops once maxUnavailable nodes wait on such a pod, and says so.
func TestSimulateBrokenTemplateGetsStuck(t *testing.T) {
	out, stderr, code := runWhatif(t, "-f", testdata("daemonset.yaml"), "--cluster", "5", "--simulate", "--from-old", "--broken")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"Stuck after 40s", "1/5 updated, 1 unavailable", "is Running but not Ready (current template)", "at most 1 of 5"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
