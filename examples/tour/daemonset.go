package main

import (
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/purectl/purectl/daemonset"
)

func init() { register(10, "DaemonSet: one pod per node", daemonSetChapter) }

// dsWorld is a cluster in memory: it applies each plan like the API server,
// binds pods like the scheduler and starts them like the kubelet.
type dsWorld struct {
	w     io.Writer
	nodes []daemonset.Node
	pods  []daemonset.Pod
	ds    daemonset.DaemonSet
	image map[string]string // revision hash → image
	now   time.Time
	seed  uint32
}

// podName makes kubectl-like random-looking suffixes, deterministically.
func (s *dsWorld) podName() string {
	const alnum = "bcdfghjklmnpqrstvwxz2456789"
	b := []byte("nginx-")
	for i := 0; i < 5; i++ {
		s.seed = s.seed*1103515245 + 12345
		b = append(b, alnum[(s.seed>>16)%uint32(len(alnum))])
	}
	return string(b)
}

// pass runs one controller pass, prints and applies its actions.
func (s *dsWorld) pass() (int, error) {
	plan, err := daemonset.PlanDaemonSet(s.nodes, s.pods, s.ds, s.now, daemonset.Options{})
	if err != nil {
		return 0, err
	}
	for _, d := range plan.Deletes {
		fmt.Fprintf(s.w, "  delete %-12s %-15s %s\n", d.Pod, d.Reason, d.Message)
		for i := range s.pods {
			if s.pods[i].Name == d.Pod {
				s.pods[i].Deleting = true
			}
		}
	}
	for _, c := range plan.Creates {
		name := s.podName()
		fmt.Fprintf(s.w, "  create %-12s %-15s %s\n", name, c.Reason, c.Message)
		s.pods = append(s.pods, daemonset.Pod{
			Name: name, Namespace: s.ds.Namespace, Labels: plan.NewPodLabels, ControllerUID: s.ds.UID,
			Phase: daemonset.PodPending, CreationTimestamp: s.now,
			RequiredNodeAffinity: c.RequiredNodeAffinity, // the controller's matchFields metadata.name In [node]
		})
	}
	for _, wn := range plan.Warnings {
		fmt.Fprintf(s.w, "  warning %v\n", wn)
	}
	for _, h := range plan.Rollout.Holders {
		fmt.Fprintf(s.w, "  budget %-12s %-15s %s\n", h.Node, h.Reason, h.Message)
	}
	s.ds.FailedPodBackoff = plan.FailedPodBackoff
	return len(plan.Creates) + len(plan.Deletes), nil
}

// settle lets the kubelet and scheduler catch up: deletions finish, new pods
// are bound and become ready.
func (s *dsWorld) settle() {
	s.now = s.now.Add(10 * time.Second)
	kept := s.pods[:0]
	for _, p := range s.pods {
		if p.Deleting {
			continue
		}
		if p.NodeName == "" && p.RequiredNodeAffinity != nil {
			p.NodeName = p.RequiredNodeAffinity.Terms[0].MatchFields[0].Values[0]
		}
		if p.Phase == daemonset.PodPending {
			p.Phase, p.Ready, p.ReadySince = daemonset.PodRunning, true, s.now
		}
		kept = append(kept, p)
	}
	s.pods = kept
}

// reconcile runs passes, settling after each, until there is nothing to do;
// with show it prints the pods after every pass that changed something.
func (s *dsWorld) reconcile(show bool) error {
	for i := 1; i <= 20; i++ {
		if show {
			fmt.Fprintf(s.w, "  pass %d:\n", i)
		}
		n, err := s.pass()
		if err != nil {
			return err
		}
		s.settle()
		if n == 0 {
			if show {
				fmt.Fprintln(s.w, "  nothing to do: the rollout is complete")
			}
			return nil
		}
		if show {
			if err := s.get(); err != nil {
				return err
			}
		}
	}
	return fmt.Errorf("no convergence")
}

// get prints the pods like `kubectl get pods -o wide`, plus the image.
func (s *dsWorld) get() error {
	plan, err := daemonset.PlanDaemonSet(s.nodes, s.pods, s.ds, s.now, daemonset.Options{})
	if err != nil {
		return err
	}
	pods := append([]daemonset.Pod(nil), s.pods...)
	sort.Slice(pods, func(i, j int) bool { return pods[i].NodeName < pods[j].NodeName })
	fmt.Fprintf(s.w, "\n  $ kubectl get pods -o wide\n  %-12s %-6s %-8s %-6s %-11s %s\n", "NAME", "READY", "STATUS", "AGE", "IMAGE", "NODE")
	for _, p := range pods {
		ready := "0/1"
		if p.Ready {
			ready = "1/1"
		}
		fmt.Fprintf(s.w, "  %-12s %-6s %-8s %-6s %-11s %s\n", p.Name, ready, p.Phase,
			s.now.Sub(p.CreationTimestamp).Round(time.Second), s.image[p.Labels[daemonset.LabelRevisionHash]], p.NodeName)
	}
	st := plan.Status
	fmt.Fprintf(s.w, "  daemonset/nginx: desired %d, current %d, ready %d, up-to-date %d, available %d\n\n",
		st.DesiredNumberScheduled, st.CurrentNumberScheduled, st.NumberReady, st.UpdatedNumberScheduled, st.NumberAvailable)
	return nil
}

func daemonSetChapter(w io.Writer) error {
	one := daemonset.FromInt(1)
	s := &dsWorld{w: w, now: time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC), seed: 7,
		image: map[string]string{"6c5f7d": "nginx:1.15", "84b9c2": "nginx:1.14"}}
	for _, n := range []string{"node-1", "node-2", "node-3"} {
		s.nodes = append(s.nodes, daemonset.Node{Name: n})
	}
	s.ds = daemonset.DaemonSet{Name: "nginx", Namespace: "default", UID: "ds-1", Generation: 1, Spec: daemonset.Spec{
		Selector: &daemonset.LabelSelector{MatchLabels: map[string]string{"app": "nginx"}},
		Template: daemonset.PodTemplate{Labels: map[string]string{"app": "nginx"}},
		UpdateStrategy: daemonset.UpdateStrategy{Type: daemonset.RollingUpdate,
			RollingUpdate: &daemonset.RollingUpdateParams{MaxUnavailable: &one}},
		CurrentHash: "6c5f7d",
	}}
	show := false
	step := func(title string, change func() error) error {
		fmt.Fprintf(w, "-- %s\n", title)
		if err := change(); err != nil {
			return err
		}
		if err := s.reconcile(show); err != nil {
			return err
		}
		return s.get()
	}

	if err := step("kubectl apply -f nginx-ds.yaml (nginx:1.15) on three nodes", func() error { return nil }); err != nil {
		return err
	}
	if err := step("kubectl delete pod on node-2: the controller recreates it", func() error {
		for i := range s.pods {
			if s.pods[i].NodeName == "node-2" {
				fmt.Fprintf(w, "  (deleted %s)\n", s.pods[i].Name)
				s.pods[i].Deleting = true
			}
		}
		s.settle()
		return nil
	}); err != nil {
		return err
	}
	if err := step("kubectl drain node-3 --ignore-daemonsets: cordoned, the daemon stays", func() error {
		s.nodes[2].Taints = []daemonset.Taint{{Key: daemonset.TaintNodeUnschedulable, Effect: daemonset.TaintEffectNoSchedule}}
		e := daemonset.ExplainNode(s.nodes[2], s.ds, daemonset.Options{})
		fmt.Fprintf(w, "  explain node-3: %s (%s)\n", e.Reason, e.Message)
		return nil
	}); err != nil {
		return err
	}
	if err := step("kubectl delete node node-3: pod GC removes its pod, desired drops to 2", func() error {
		s.nodes = s.nodes[:2]
		kept := s.pods[:0]
		for _, p := range s.pods {
			if p.NodeName != "node-3" {
				kept = append(kept, p)
			}
		}
		s.pods = kept
		return nil
	}); err != nil {
		return err
	}
	if err := step("node-3 re-joins the cluster", func() error {
		s.nodes = append(s.nodes, daemonset.Node{Name: "node-3"})
		return nil
	}); err != nil {
		return err
	}
	if err := step("kubectl set image ds/nginx nginx=nginx:1.14 (RollingUpdate, maxUnavailable 1)", func() error {
		s.ds.Generation++
		s.ds.Spec.CurrentHash = "84b9c2"
		show = true
		return nil
	}); err != nil {
		return err
	}
	// An object stored before validation tightened: the API server would
	// refuse it today, but the controller acts on it with maxUnavailable 1.
	return step("back to nginx:1.15 on an old object with maxUnavailable 0 and maxSurge 0", func() error {
		zero := daemonset.FromInt(0)
		s.ds.Generation++
		s.ds.Spec.CurrentHash = "6c5f7d"
		s.ds.Spec.UpdateStrategy.RollingUpdate = &daemonset.RollingUpdateParams{MaxUnavailable: &zero, MaxSurge: &zero}
		return nil
	})
}
