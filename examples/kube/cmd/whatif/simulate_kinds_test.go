package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// timeline reads back the printed timeline table: one map per row, keyed by
// the header's column names (cells are cut at the header's columns, as the
// table aligns them).
func timeline(t testing.TB, out string) []map[string]string {
	t.Helper()
	lines := strings.Split(out, "\n")
	h := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "TIME ") })
	if h < 0 {
		t.Fatalf("no timeline table:\n%s", out)
	}
	header := lines[h]
	var names []string
	var starts []int
	for i := 0; i < len(header); {
		if header[i] == ' ' {
			i++
			continue
		}
		end := strings.Index(header[i:], "  ")
		if end < 0 {
			end = len(header) - i
		}
		names = append(names, header[i:i+end])
		starts = append(starts, i)
		i += end
	}
	var rows []map[string]string
	for _, l := range lines[h+1:] {
		if !strings.HasPrefix(l, "+") {
			break
		}
		row := map[string]string{}
		for k, name := range names {
			end := len(l)
			if k+1 < len(starts) && starts[k+1] < end {
				end = starts[k+1]
			}
			if starts[k] < len(l) {
				row[name] = strings.TrimSpace(l[starts[k]:end])
			}
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		t.Fatalf("empty timeline:\n%s", out)
	}
	return rows
}

func cells(rows []map[string]string, col string) []string {
	var out []string
	for _, r := range rows {
		if v := r[col]; v != "-" && v != "" {
			out = append(out, strings.Split(v, ",")...)
		}
	}
	return out
}

func fraction(t testing.TB, s string) (int, int) {
	t.Helper()
	var a, b int
	if _, err := fmt.Sscanf(s, "%d/%d", &a, &b); err != nil {
		t.Fatalf("cell %q: %v", s, err)
	}
	return a, b
}

func atoi(t testing.TB, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("cell %q: %v", s, err)
	}
	return n
}

func webSet(t testing.TB, replicas, partition int, policy string) string {
	t.Helper()
	return writeFile(t.(*testing.T), "web.yaml", fmt.Sprintf(`apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  selector: {matchLabels: {app: nginx}}
  serviceName: nginx
  replicas: %d
  podManagementPolicy: %s
  updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: %d}}
  template:
    metadata: {labels: {app: nginx}}
    spec:
      terminationGracePeriodSeconds: 10
      containers: [{name: nginx, image: registry.k8s.io/nginx-slim:0.24}]
  volumeClaimTemplates:
  - metadata: {name: www}
    spec: {accessModes: [ReadWriteOnce], storageClassName: local, resources: {requests: {storage: 1Gi}}}
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: local}
provisioner: local.csi.example.com
volumeBindingMode: WaitForFirstConsumer
`, replicas, policy, partition))
}

// The documentation's web StatefulSet from nothing (OrderedReady): claims
// and pods are created in ordinal order, each claim before its pod, never
// two pods not Ready at once, and every claim ends Bound.
func TestSimulateStatefulSetScaleUp(t *testing.T) {
	out, stderr, code := runWhatif(t, "-f", testdata("statefulset.yaml"), "--cluster", "2", "--simulate", "--until", "1h")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rows := timeline(t, out)
	want := []string{"www-web-0", "web-0", "www-web-1", "web-1", "www-web-2", "web-2"}
	if got := cells(rows, "CREATED"); !slices.Equal(got, want) {
		t.Errorf("created %v, want %v", got, want)
	}
	for _, r := range rows {
		if n := atoi(t, r["NOT READY"]); n > 1 {
			t.Errorf("row %v: %d pods not Ready", r, n)
		}
	}
	if !strings.Contains(out, "Assuming StorageClass \"my-storage-class\" exists") ||
		!strings.Contains(out, "Finished after ") || !strings.Contains(out, "3/3 claims Bound") {
		t.Errorf("timeline:\n%s", out)
	}
}

// A rolling update from an earlier revision (updateStatefulSet, RollingUpdate
// with a partition): pods are replaced in reverse ordinal order, one at a
// time, only from the partition up, and the update finishes; the new pods
// keep their claims (no claim is created).
func TestSimulateStatefulSetRollingUpdate(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		replicas := rapid.IntRange(1, 6).Draw(rt, "replicas")
		partition := rapid.IntRange(0, replicas).Draw(rt, "partition")
		policy := rapid.SampledFrom([]string{"OrderedReady", "Parallel"}).Draw(rt, "policy")
		dur := func(name string, hi int) string { return fmt.Sprintf("%ds", rapid.IntRange(0, hi).Draw(rt, name)) }
		out, stderr, code := runWhatif(t, "-f", webSet(t, replicas, partition, policy), "--cluster", "3", "--simulate", "--from-old",
			"--pod-start", dur("start", 20), "--pod-ready", dur("ready", 20), "--pod-terminate", dur("terminate", 30))
		if code != 0 {
			rt.Fatalf("exit %d: %s", code, stderr)
		}
		if partition == replicas {
			if !strings.Contains(out, "Finished after 0s") {
				rt.Fatalf("nothing to update, yet:\n%s", out)
			}
			return
		}
		rows := timeline(t, out)
		var want []string
		for o := replicas - 1; o >= partition; o-- {
			want = append(want, fmt.Sprintf("web-%d", o))
		}
		if got := cells(rows, "DELETED"); !slices.Equal(got, want) {
			rt.Fatalf("deleted %v, want %v:\n%s", got, want, out)
		}
		if got := cells(rows, "CREATED"); !slices.Equal(got, want) {
			rt.Fatalf("created %v, want %v:\n%s", got, want, out)
		}
		for _, r := range rows {
			ready, n := fraction(t, r["READY"])
			unavailable, m := fraction(t, r["UNAVAILABLE"])
			if n != replicas || m != replicas || n-ready > 1 || unavailable > 1 {
				rt.Fatalf("row %v: more than one pod unavailable\n%s", r, out)
			}
		}
		last := rows[len(rows)-1]
		if updated, _ := fraction(t, last["UPDATED"]); updated != replicas-partition || !strings.Contains(out, "\nFinished after ") {
			rt.Fatalf("updated %d, want %d:\n%s", updated, replicas-partition, out)
		}
	})
}

// A new template whose pods never get Ready: the highest ordinal is
// replaced and the update waits on it for good.
func TestSimulateStatefulSetBrokenTemplateGetsStuck(t *testing.T) {
	out, stderr, code := runWhatif(t, "-f", webSet(t, 3, 0, "OrderedReady"), "--cluster", "3", "--simulate", "--from-old", "--broken")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rows := timeline(t, out)
	if got := cells(rows, "DELETED"); !slices.Equal(got, []string{"web-2"}) {
		t.Errorf("deleted %v", got)
	}
	if !strings.Contains(out, "Stuck after") || !strings.Contains(out, "pod web-2 is Running but not Ready") {
		t.Errorf("timeline:\n%s", out)
	}
}

const batchJobs = `apiVersion: batch/v1
kind: Job
metadata: {name: render}
spec:
  completions: %d
  parallelism: %d
  completionMode: %s
  backoffLimit: %d
  template:
    spec:
      restartPolicy: Never
      containers: [{name: r, image: busybox}]
`

// An Indexed or NonIndexed Job whose pods fail their first attempts: never
// more pods active than parallelism; Complete, with each index started once
// more per failing attempt, when the failures stay within backoffLimit,
// and Failed (BackoffLimitExceeded) otherwise.
func TestSimulateJob(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		completions := rapid.IntRange(1, 6).Draw(rt, "completions")
		parallelism := rapid.IntRange(1, 3).Draw(rt, "parallelism")
		indexed := rapid.Bool().Draw(rt, "indexed")
		limit := rapid.IntRange(0, 6).Draw(rt, "backoffLimit")
		failFirst := rapid.IntRange(0, 1).Draw(rt, "failFirst")
		mode := "NonIndexed"
		if indexed {
			mode = "Indexed"
		}
		file := writeFile(t, "job.yaml", fmt.Sprintf(batchJobs, completions, parallelism, mode, limit))
		out, stderr, code := runWhatif(t, "-f", file, "--simulate", "--pod-fail-first", fmt.Sprint(failFirst), "--until", "24h")
		if code != 0 {
			rt.Fatalf("exit %d: %s", code, stderr)
		}
		rows := timeline(t, out)
		for _, r := range rows {
			if a := atoi(t, r["ACTIVE"]); a > parallelism {
				rt.Fatalf("row %v: %d active, parallelism %d", r, a, parallelism)
			}
		}
		failures := failFirst
		if indexed {
			failures = failFirst * completions
		}
		last := rows[len(rows)-1]
		if !strings.Contains(out, "\nFinished after ") {
			rt.Fatalf("not finished:\n%s", out)
		}
		switch {
		case failures <= limit:
			if last["CONDITION"] != "Complete/CompletionsReached" || atoi(t, last["SUCCEEDED"]) != completions {
				rt.Fatalf("%d failures, backoffLimit %d, last row %v:\n%s", failures, limit, last, out)
			}
			if len(cells(rows, "CREATED")) != completions+failures {
				rt.Fatalf("%d pods created, want %d:\n%s", len(cells(rows, "CREATED")), completions+failures, out)
			}
		case !strings.HasPrefix(last["CONDITION"], "Failed/"):
			rt.Fatalf("%d failures over backoffLimit %d, last row %v:\n%s", failures, limit, last, out)
		}
	})
}

// A "*/10" CronJob over a one-hour window starting on a scheduled minute
// (created before it): six Jobs, one per scheduled time, ten minutes apart
// and named after their minute, with at most the history limit kept.
func TestSimulateCronJobWindow(t *testing.T) {
	file := writeFile(t, "cj.yaml", `apiVersion: batch/v1
kind: CronJob
metadata: {name: tick}
spec:
  schedule: "*/10 * * * *"
  jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: r, image: busybox}]}}}}
`)
	out, stderr, code := runWhatif(t, "-f", file, "--simulate", "--until", "1h", "--created", "2026-11-23T09:55:00Z")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rows := timeline(t, out)
	created := cells(rows, "CREATED")
	start, _ := time.Parse(time.RFC3339, now)
	var want []string
	for i := range 6 {
		want = append(want, fmt.Sprintf("tick-%d", start.Add(time.Duration(i)*10*time.Minute).Unix()/60))
	}
	if !slices.Equal(created, want) {
		t.Errorf("created %v, want %v", created, want)
	}
	for _, r := range rows {
		if n := atoi(t, r["JOBS"]); n > 4 {
			t.Errorf("row %v: %d Jobs kept (successfulJobsHistoryLimit 3, one running)", r, n)
		}
	}
	if !strings.Contains(out, "\n6 Jobs created in ") {
		t.Errorf("timeline:\n%s", out)
	}
}

// Simulating from observed state: with web-0 Ready and its claim bound
// (its volume and node not in the files, and so assumed), the timeline
// goes on from web-1 and never touches web-0.
func TestSimulateStatefulSetFromObservedState(t *testing.T) {
	state := writeFile(t, "state.yaml", webState)
	out, stderr, code := runWhatif(t, "-f", testdata("statefulset.yaml"), "--observed", state, "--simulate", "--until", "1h")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rows := timeline(t, out)
	if got, want := cells(rows, "CREATED"), []string{"www-web-1", "web-1", "www-web-2", "web-2"}; !slices.Equal(got, want) {
		t.Errorf("created %v, want %v", got, want)
	}
	if got := cells(rows, "DELETED"); len(got) != 0 {
		t.Errorf("deleted %v", got)
	}
	for _, want := range []string{`Assuming node "node-1" exists`, `Assuming PersistentVolume "pvc-u-www-web-0" exists`, "Finished after ", "3/3 claims Bound"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
