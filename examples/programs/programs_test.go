package programs_test

import (
	"fmt"
	"time"

	"github.com/purectl/purectl/cronjob"
	"github.com/purectl/purectl/daemonset"
	"github.com/purectl/purectl/job"
	"github.com/purectl/purectl/ptr"
	"github.com/purectl/purectl/sim"
)

// An autoscaler sizing a new node must know which DaemonSets will put a pod
// on it before the node exists: ask ExplainNode with the node group's
// labels and taints.
func Example_autoscalerNewNode() {
	sets := []daemonset.DaemonSet{
		{Name: "kube-proxy", Namespace: "kube-system", Spec: daemonset.Spec{
			Selector: &daemonset.LabelSelector{MatchLabels: map[string]string{"k8s-app": "kube-proxy"}},
			Template: daemonset.PodTemplate{Labels: map[string]string{"k8s-app": "kube-proxy"},
				Tolerations: []daemonset.Toleration{{Operator: daemonset.TolerationOpExists}}}}},
		{Name: "nvidia-device-plugin", Namespace: "kube-system", Spec: daemonset.Spec{
			Selector: &daemonset.LabelSelector{MatchLabels: map[string]string{"name": "nvidia"}},
			Template: daemonset.PodTemplate{Labels: map[string]string{"name": "nvidia"},
				NodeSelector: map[string]string{"accelerator": "nvidia"},
				Tolerations:  []daemonset.Toleration{{Key: "nvidia.com/gpu", Operator: daemonset.TolerationOpExists}}}}},
		{Name: "log-shipper", Namespace: "logging", Spec: daemonset.Spec{
			Selector: &daemonset.LabelSelector{MatchLabels: map[string]string{"app": "logs"}},
			Template: daemonset.PodTemplate{Labels: map[string]string{"app": "logs"}}}},
	}
	// The GPU node group's template: labelled and tainted for GPU work only.
	node := daemonset.Node{Name: "gpu-template",
		Labels: map[string]string{"accelerator": "nvidia", "kubernetes.io/os": "linux"},
		Taints: []daemonset.Taint{{Key: "nvidia.com/gpu", Value: "present", Effect: daemonset.TaintEffectNoSchedule}}}
	for _, ds := range sets {
		e := daemonset.ExplainNode(node, ds, daemonset.Options{})
		fmt.Printf("%-21s %-5v %s\n", ds.Name, e.ShouldRun, e.Reason)
	}
	// Output:
	// kube-proxy            true  Eligible
	// nvidia-device-plugin  true  Eligible
	// log-shipper           false UntoleratedNoSchedule
}

// A batch runner that wants Job semantics without an API server: an Indexed
// Job of 8 work items, 3 at a time, where item 5 fails once. The sim world
// applies each pass (creates the pods, runs them for a minute, records
// their exit) and moves the clock on; the runner only reads the timeline.
func Example_indexedJobLoop() {
	start := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	w := &sim.World{Now: start,
		Lifecycle: sim.Lifecycle{Start: 5 * time.Second, Run: time.Minute,
			ExitCode: func(p *sim.Pod) int32 {
				if p.Index == 5 && p.Attempt == 0 {
					return 1
				}
				return 0
			}},
		Jobs: []sim.Job{{Job: job.Job{Name: "render", Namespace: "batch", Spec: job.Spec{
			Completions: ptr.To(int32(8)), Parallelism: ptr.To(int32(3)), BackoffLimit: ptr.To(int32(2)),
			CompletionMode: job.Indexed,
			Template:       job.PodTemplate{RestartPolicy: job.RestartNever, Containers: []string{"render"}},
		}}}},
	}
	tl, err := w.Run(start.Add(time.Hour), 1000)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range tl.Passes {
		for _, a := range p.Actions {
			if a.Verb == "create" {
				fmt.Printf("+%-6v start %s\n", p.At.Sub(start), a.Target)
			}
		}
	}
	st := w.Jobs[0].Status
	fmt.Printf("%s after %v: succeeded %d, failed %d, completed indexes %q\n",
		st.Conditions[len(st.Conditions)-1].Type, tl.End.Sub(start), st.Succeeded, st.Failed, st.CompletedIndexes)
	// Output:
	// +0s     start render-0-00002 (index 0)
	// +0s     start render-1-00003 (index 1)
	// +0s     start render-2-00004 (index 2)
	// +1m5s   start render-3-00005 (index 3)
	// +1m5s   start render-4-00006 (index 4)
	// +1m5s   start render-5-00007 (index 5)
	// +2m10s  start render-5-00008 (index 5)
	// +2m10s  start render-6-00009 (index 6)
	// +2m10s  start render-7-0000a (index 7)
	// Complete after 3m15s: succeeded 8, failed 1, completed indexes "0-7"
}

// A CronJob that runs at 9:00 and 9:30 on weekdays, whose controller was
// down from Thursday 9:30 to Monday 9:45. Kubernetes estimates the missed
// runs from the gap between the first two (30 minutes), so it counts 146
// and warns TooManyMissedTimes; Runs always carries the exact count (4) as
// well, and with Options.Exact the pass acts on it: no warning.
func Example_cronJobCatchUp() {
	monday := time.Date(2026, 11, 30, 9, 45, 0, 0, time.UTC)
	cj := cronjob.CronJob{Name: "report", Namespace: "default", UID: "cj-1", CreationTimestamp: monday.AddDate(0, -1, 0),
		Spec:   cronjob.Spec{Schedule: "0,30 9 * * 1-5", ConcurrencyPolicy: cronjob.ForbidConcurrent},
		Status: cronjob.Status{LastScheduleTime: time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC)}}
	for _, exact := range []bool{false, true} {
		res, err := cronjob.CronDue(cj, nil, monday, cronjob.Options{Exact: exact})
		if err != nil {
			fmt.Println(err)
			return
		}
		start := "nothing"
		if res.Create != nil {
			start = res.Create.ScheduledTime.Format("Mon 15:04")
		}
		fmt.Printf("exact=%v: %d runs missed (estimate %d), starts %s, next pass %s\n",
			exact, res.Runs.Due, res.Runs.Estimated, start, res.RequeueAt.Format("Mon 15:04:05.000"))
		for _, e := range res.Events {
			fmt.Printf("  event %s %s\n", e.Type, e.Reason)
		}
	}
	// Output:
	// exact=false: 4 runs missed (estimate 146), starts Mon 09:30, next pass Tue 09:00:00.100
	//   event Warning TooManyMissedTimes
	//   event Normal SuccessfulCreate
	// exact=true: 4 runs missed (estimate 146), starts Mon 09:30, next pass Tue 09:00:00.100
	//   event Normal SuccessfulCreate
}
