package main

import (
	"fmt"
	"io"
	"maps"
	"reflect"
	"slices"
	"text/tabwriter"
	"time"

	appsv1 "k8s.io/api/apps/v1"

	"github.com/purectl/purectl/daemonset"
	"github.com/purectl/purectl/examples/kube/adapt"
	"github.com/purectl/purectl/examples/kube/manifest"
	"github.com/purectl/purectl/sim"
)

// simulation is what --simulate needs besides the cluster.
type simulation struct {
	life    sim.Lifecycle
	until   time.Duration
	fromOld bool // every eligible node starts with an available pod of an earlier template
	broken  bool // pods of the manifest's template never become Ready
	// run is how long a Job pod's container runs; failFirst how many
	// attempts of each index (of the Job, when not Indexed) exit 1.
	run       time.Duration
	failFirst int
}

// simulatedKinds are the kinds --simulate runs a timeline for.
var simulatedKinds = map[string]func(c *cluster, s simulation, o manifest.Object, w io.Writer) error{
	"DaemonSet":   simulateDaemonSet,
	"StatefulSet": simulateStatefulSet,
	"Job":         simulateJob,
	"CronJob":     simulateCronJob,
}

func (c *cluster) simulate(s simulation, out io.Writer) error {
	ran := 0
	for _, o := range c.objects {
		run, ok := simulatedKinds[o.Kind]
		if !ok {
			continue
		}
		if ran > 0 {
			fmt.Fprintln(out)
		}
		ran++
		if err := run(c, s, o, out); err != nil {
			return fmt.Errorf("%s: document %d (%s %q): %w", o.Source, o.Index, o.Kind, o.Name, err)
		}
	}
	if ran == 0 {
		return fmt.Errorf("--simulate runs DaemonSets, StatefulSets, Jobs and CronJobs; the manifests hold none")
	}
	return nil
}

// oldRevision labels the pods --from-old puts on the nodes.
const oldRevision = "earlier-template"

func simulateDaemonSet(c *cluster, s simulation, o manifest.Object, out io.Writer) error {
	k8sDS := o.Obj.(*appsv1.DaemonSet).DeepCopy()
	k8sDS.Namespace = namespaceOf(k8sDS.Namespace)
	if k8sDS.UID == "" {
		k8sDS.UID = "simulated-uid"
	}
	ds := adapt.DaemonSet(k8sDS)
	if s.life.Terminate < 0 { // the template's grace period, 30s when unset as the API defaults it
		s.life.Terminate = 30 * time.Second
		if g := k8sDS.Spec.Template.Spec.TerminationGracePeriodSeconds; g != nil {
			s.life.Terminate = time.Duration(*g) * time.Second
		}
	}
	if s.broken {
		s.life.NeverReady = func(p *sim.Pod) bool { return p.Labels[daemonset.LabelRevisionHash] == ds.Spec.CurrentHash }
	}
	w := &sim.World{Now: c.now, Lifecycle: s.life, DaemonSets: []sim.DaemonSet{{DaemonSet: ds}}}
	for _, n := range c.nodes {
		w.Nodes = append(w.Nodes, adapt.Node(n))
	}
	for _, p := range c.pods {
		if namespaceOf(p.Namespace) != k8sDS.Namespace {
			continue
		}
		dp := adapt.DaemonPod(p)
		owner := ""
		if isOwnedBy(p.OwnerReferences, "DaemonSet", k8sDS.Name) {
			owner = string(k8sDS.UID)
		}
		sp := sim.Pod{Name: dp.Name, Namespace: k8sDS.Namespace, Labels: dp.Labels, Owner: owner, Node: dp.NodeName,
			Target: dp.NodeName, Phase: sim.Phase(dp.Phase), Ready: dp.Ready, ReadySince: dp.ReadySince, Created: dp.CreationTimestamp, Index: -1}
		if sp.Phase == sim.Running {
			sp.Running = sp.Created
		}
		w.Pods = append(w.Pods, sp)
	}
	if s.fromOld {
		labels := map[string]string{daemonset.LabelRevisionHash: oldRevision}
		for k, v := range ds.Spec.Template.Labels {
			labels[k] = v
		}
		for i, e := range daemonset.ExplainNodes(w.Nodes, ds, daemonset.Options{}) {
			if !e.ShouldRun {
				continue
			}
			n := w.Nodes[i].Name
			w.Pods = append(w.Pods, sim.Pod{Name: ds.Name + "-old-" + n, Namespace: ds.Namespace, Labels: labels,
				Owner: ds.UID, Node: n, Target: n, Phase: sim.Running, Ready: true, Index: -1,
				ReadySince: c.now.Add(-time.Hour), Created: c.now.Add(-time.Hour), Running: c.now.Add(-time.Hour)})
		}
	}
	tl, err := w.Run(c.now.Add(s.until), 100000)
	if err != nil {
		return err
	}
	first := tl.Passes[0].DaemonSets[0]
	fmt.Fprintf(out, "Simulating daemonset.apps/%s in %s on %d nodes (%d should run a pod): pods Running %v after creation, Ready %v later, gone %v after a delete; maxUnavailable %d, maxSurge %d, minReadySeconds %d.\n\n",
		ds.Name, ds.Namespace, len(w.Nodes), first.Desired, s.life.Start, s.life.Ready, s.life.Terminate,
		first.MaxUnavailable, first.MaxSurge, ds.Spec.MinReadySeconds)
	tw := tabwriter.NewWriter(out, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tPASS\tCREATED\tDELETED\tUNAVAILABLE\tUPDATED\tAVAILABLE\tREASONS")
	prev := sim.DaemonSetState{Desired: -1}
	for i, p := range tl.Passes {
		st := p.DaemonSets[0]
		// A pass that wrote nothing and left the counts as they were adds
		// no line; the planner's budgets are not part of the timeline.
		seen := st
		seen.Rollout = daemonset.Rollout{}
		if len(p.Actions) == 0 && reflect.DeepEqual(seen, prev) {
			continue
		}
		prev = seen
		creates, deletes := 0, 0
		reasons := map[string]int{}
		for _, a := range p.Actions {
			if a.Verb == "create" {
				creates++
			} else {
				deletes++
			}
			reasons[a.Verb+" "+a.Reason]++
		}
		fmt.Fprintf(tw, "+%v\t%d\t%d\t%d\t%d/%d\t%d/%d\t%d/%d\t%s\n", p.At.Sub(c.now), i+1, creates, deletes,
			st.Unavailable, st.Desired, st.Updated, st.Desired, st.Available, st.Desired, reasonList(reasons))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	last := tl.Passes[len(tl.Passes)-1].DaemonSets[0]
	took := tl.End.Sub(c.now)
	fmt.Fprintln(out)
	switch {
	case tl.Finished:
		fmt.Fprintf(out, "Finished after %v (%d passes): %d/%d nodes run an available pod of the current template.\n", took, len(tl.Passes), last.Updated, last.Desired)
	case tl.Stuck:
		fmt.Fprintf(out, "Stuck after %v (%d passes), nothing more will happen: %d/%d updated, %d unavailable; waiting on %s.\n", took, len(tl.Passes), last.Updated, last.Desired, last.Unavailable, last.Blocked)
	default:
		fmt.Fprintf(out, "Not finished when the simulation stopped at +%v (%d passes): %d/%d updated; waiting on %s.\n", took, len(tl.Passes), last.Updated, last.Desired, last.Blocked)
	}
	fmt.Fprintf(out, "Nodes without an available pod at any one time: at most %d of %d (maxUnavailable %d).\n", tl.MaxUnavailableSeen(0), last.Desired, last.MaxUnavailable)
	return nil
}

// reasonList writes counts by action and reason in a fixed order.
func reasonList(m map[string]int) string {
	s := ""
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if s != "" {
			s += ", "
		}
		s += fmt.Sprintf("%d× %s", m[k], k)
	}
	return s
}
