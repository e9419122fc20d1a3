// Command whatif reads Kubernetes manifests and prints, like kubectl, what
// each workload controller would do next and why, using purectl's planners.
//
//	go run ./examples/kube/cmd/whatif -f manifest.yaml [--nodes nodes.yaml | --cluster 3] [--now 2026-01-02T15:04:05Z]
//	go run ./examples/kube/cmd/whatif -f daemonset.yaml --cluster 50 --simulate --from-old [--pod-start 10s --pod-ready 5s --pod-terminate 30s --until 168h --broken]
//
// With --simulate it runs the controllers, the scheduler and the kubelets
// forward on a virtual clock (package sim) and prints the timeline: pass by
// pass what is created and deleted and how many nodes are without an
// available pod, until the rollout finishes or gets stuck. --from-old starts
// from every eligible node running an available pod of an earlier template,
// so the timeline is the rolling update to the manifest's template.
//
// Nodes come from --nodes, from Node documents in the manifests, or from
// --cluster N (N plain worker nodes). Pods, PersistentVolumes and claims in
// the manifests are the cluster's current objects. Documents of kinds no
// controller here plans for (a Service, a ConfigMap, a Deployment) are
// skipped, each with a one-line note on standard error.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/purectl/purectl/examples/kube/manifest"
	"github.com/purectl/purectl/sim"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// files is a repeatable -f flag.
type files []string

func (f *files) String() string     { return strings.Join(*f, ",") }
func (f *files) Set(s string) error { *f = append(*f, s); return nil }

// cluster is everything the manifests describe, by kind.
type cluster struct {
	now     time.Time
	created time.Time // creation time of manifests without one
	nodes   []*v1.Node
	pods    []*v1.Pod
	objects []manifest.Object // the workloads and volumes, in manifest order
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("whatif", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var manifests files
	fs.Var(&manifests, "f", "manifest file (repeatable; - for standard input)")
	nodesFile := fs.String("nodes", "", "file with Node documents")
	clusterSize := fs.Int("cluster", 0, "pretend the cluster has this many plain worker nodes")
	nowFlag := fs.String("now", "", "the current time, RFC 3339 (default: the clock)")
	createdFlag := fs.String("created", "", "creation time, RFC 3339, of objects whose manifest has none (default: --now)")
	simulate := fs.Bool("simulate", false, "run the rollout forward on a virtual clock and print its timeline")
	fromOld := fs.Bool("from-old", false, "with --simulate: every eligible node starts with an available pod of an earlier template")
	podStart := fs.Duration("pod-start", 10*time.Second, "with --simulate: time from a pod's creation until it runs")
	podReady := fs.Duration("pod-ready", 5*time.Second, "with --simulate: time from running until Ready")
	podTerminate := fs.Duration("pod-terminate", -1, "with --simulate: time from a delete until the pod is gone (default: the template's terminationGracePeriodSeconds)")
	broken := fs.Bool("broken", false, "with --simulate: pods of the manifest's template never become Ready")
	until := fs.Duration("until", 7*24*time.Hour, "with --simulate: how far to run the clock")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if len(manifests) == 0 {
		fmt.Fprintln(stderr, "whatif: at least one -f manifest is required")
		fs.Usage()
		return 2
	}
	if *nodesFile != "" && *clusterSize > 0 {
		fmt.Fprintln(stderr, "whatif: --nodes and --cluster exclude each other")
		return 2
	}
	now := time.Now().UTC()
	if *nowFlag != "" {
		t, err := time.Parse(time.RFC3339, *nowFlag)
		if err != nil {
			fmt.Fprintf(stderr, "whatif: --now: %v\n", err)
			return 2
		}
		now = t
	}
	c := &cluster{now: now, created: now}
	if *createdFlag != "" {
		t, err := time.Parse(time.RFC3339, *createdFlag)
		if err != nil {
			fmt.Fprintf(stderr, "whatif: --created: %v\n", err)
			return 2
		}
		c.created = t
	}
	for _, name := range manifests {
		if err := c.load(name, false); err != nil {
			fmt.Fprintf(stderr, "whatif: %v\n", err)
			return 1
		}
	}
	if *nodesFile != "" {
		if err := c.load(*nodesFile, true); err != nil {
			fmt.Fprintf(stderr, "whatif: %v\n", err)
			return 1
		}
	}
	for i := 1; i <= *clusterSize; i++ {
		name := fmt.Sprintf("node-%d", i)
		c.nodes = append(c.nodes, &v1.Node{ObjectMeta: metav1.ObjectMeta{Name: name,
			Labels: map[string]string{"kubernetes.io/hostname": name, "kubernetes.io/os": "linux"}}})
	}
	for _, o := range c.objects {
		if _, ok := reporters[o.Kind]; !ok && !inputKinds[o.Kind] {
			fmt.Fprintf(stderr, "whatif: note: %s: skipping document %d (%s %s %q): no controller here plans for it\n",
				o.Source, o.Index, apiVersionOf(o), o.Kind, o.Name)
		}
	}
	if *simulate {
		s := simulation{life: sim.Lifecycle{Start: *podStart, Ready: *podReady, Terminate: *podTerminate}, until: *until, fromOld: *fromOld, broken: *broken}
		if err := c.simulate(s, stdout); err != nil {
			fmt.Fprintf(stderr, "whatif: %v\n", err)
			return 1
		}
		return 0
	}
	if err := c.report(stdout); err != nil {
		fmt.Fprintf(stderr, "whatif: %v\n", err)
		return 1
	}
	return 0
}

func (c *cluster) load(name string, nodesOnly bool) error {
	var r io.Reader = os.Stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	objs, err := manifest.Read(r)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	for _, o := range objs {
		o.Source = name
		switch obj := o.Obj.(type) {
		case *v1.Node:
			c.nodes = append(c.nodes, obj)
		case *v1.Pod:
			if !nodesOnly {
				c.pods = append(c.pods, obj)
			}
		default:
			if nodesOnly {
				return fmt.Errorf("%s: document %d is a %s; --nodes takes Node documents only", name, o.Index, o.Kind)
			}
			c.objects = append(c.objects, o)
		}
	}
	return nil
}

// reporters print what one kind's controller would do; each kind's file
// registers itself.
var reporters = map[string]func(c *cluster, o manifest.Object, w io.Writer) error{}

func (c *cluster) report(out io.Writer) error {
	if !slices.ContainsFunc(c.objects, func(o manifest.Object) bool { return reporters[o.Kind] != nil }) {
		return errors.New("the manifests hold no workload or volume to plan for")
	}
	done := map[string]bool{}
	printed := 0
	for _, o := range c.objects {
		rep, ok := reporters[o.Kind]
		key := groups[o.Kind]
		if key == "" {
			key = fmt.Sprint(o.Kind, "/", o.Index, "/", o.Name)
		}
		if !ok || done[key] {
			continue
		}
		done[key] = true
		if printed > 0 {
			fmt.Fprintln(out)
		}
		printed++
		w := tabwriter.NewWriter(out, 0, 8, 2, ' ', 0)
		if err := rep(c, o, w); err != nil {
			return fmt.Errorf("%s: document %d (%s %q): %w", o.Source, o.Index, o.Kind, o.Name, err)
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
	return nil
}

// inputKinds are read by a reporter of another kind and need no note.
var inputKinds = map[string]bool{"StorageClass": true}

// groups names the kinds whose documents are reported once, together.
var groups = map[string]string{}

// apiVersionOf names a document's apiVersion, for notes.
func apiVersionOf(o manifest.Object) string {
	if o.APIVersion == "" {
		return "v1"
	}
	return o.APIVersion
}

func namespaceOf(ns string) string {
	if ns == "" {
		return "default"
	}
	return ns
}

// isOwnedBy reports whether a controller owner reference names kind/name.
func isOwnedBy(refs []metav1.OwnerReference, kind, name string) bool {
	for _, r := range refs {
		if r.Controller != nil && *r.Controller && r.Kind == kind && r.Name == name {
			return true
		}
	}
	return false
}
