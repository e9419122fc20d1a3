// Command whatif reads Kubernetes manifests and prints, like kubectl, what
// each workload controller would do next and why, using purectl's planners.
//
//	go run ./examples/kube/cmd/whatif -f manifest.yaml [--observed state.yaml] [--nodes nodes.yaml | --cluster 3] [--now 2026-01-02T15:04:05Z] [--output json]
//	go run ./examples/kube/cmd/whatif -f daemonset.yaml --cluster 50 --simulate --from-old [--pod-start 10s --pod-ready 5s --pod-terminate 30s --until 168h --broken]
//	go run ./examples/kube/cmd/whatif -f job.yaml --simulate [--pod-run 30s --pod-fail-first 1]
//	go run ./examples/kube/cmd/whatif -f cronjob.yaml --simulate --until 24h [--created 2026-01-02T00:00:00Z]
//
// With --simulate it runs the controllers, the scheduler and the kubelets
// forward on a virtual clock (package sim) and prints the timeline of each
// DaemonSet, StatefulSet, Job and CronJob: pass by pass what is created
// and deleted and how many pods are unavailable or active, until the
// rollout finishes or gets stuck (and on what), or the clock reaches
// --until. --from-old starts a DaemonSet or StatefulSet from every eligible
// node (every ordinal) running an available pod of an earlier template, so
// the timeline is the rolling update to the manifest's template; --broken
// makes the manifest template's pods never Ready. A StatefulSet's claims
// are bound or provisioned as the PV controller and the scheduler would (a
// class the claims name that no manifest holds is assumed to exist, with
// an external provisioner taking --provision-time); Job pods run for --pod-run and the first
// --pod-fail-first attempts of each index fail; a CronJob runs its schedule
// over the window from --now to --now + --until.
//
// Nodes come from --nodes, from Node documents in the manifests, or from
// --cluster N (N plain worker nodes). Pods, PersistentVolumes and claims in
// the manifests are the cluster's current objects. Documents of kinds no
// controller here plans for (a Service, a ConfigMap, a Deployment) are
// skipped, each with a one-line note on standard error.
//
// # Observed state
//
// Status in an applied object (status.currentRevision of a StatefulSet,
// status.active of a Job, ...) is read as the controller would read it, so
// the output of `kubectl get -o yaml` can be fed back to ask about the
// second pass. --observed FILE (repeatable) names files of what the cluster
// holds now, such as `kubectl get pods,jobs,pv,pvc,sts -o yaml`: their pods,
// Jobs, PersistentVolumes and claims are inputs of the planners (a CronJob's
// Jobs, a StatefulSet's claims, the volumes a claim may bind to) without
// being planned themselves, and an observed object of the kind, namespace
// and name of an applied one lends it its status and identity (uid,
// creationTimestamp, generation; the generation grows by one when the
// applied spec differs, as the API server counts). Observed Nodes join the
// cluster's nodes.
//
// # JSON output
//
// --output json prints one JSON object instead of the tables:
//
//	{
//	  "now": "2026-11-23T10:00:00Z",       // the time the passes ran at
//	  "resources": [                        // one per planned resource, in manifest order
//	    {
//	      "kind": "StatefulSet",            // DaemonSet, StatefulSet, Job, CronJob, PersistentVolumeClaim
//	      "namespace": "default",           // omitted for cluster-scoped objects
//	      "name": "web",
//	      "actions": [                      // the writes of the pass, in the controller's order; never null
//	        {"action": "CreatePod", "object": "pod/web-0", "reason": "PodMissing", "message": "..."}
//	      ],
//	      "warnings": ["..."],              // what the API server's validation would reject; never null
//	      "waiting": "...",                 // what the pass waits on, when it does
//	      "requeueAt": "2026-11-23T10:00:10Z", // when to ask again, when time alone changes the decision
//	      "status": {"replicas": 1, ...}    // the workload's status after the pass, as the API writes it
//	    }
//	  ]
//	}
//
// An action is the package's own action name (DaemonSet: create, delete;
// Job: create, delete, release (the pod's tracking finalizer removed once
// it is counted); StatefulSet: CreateClaim, CreatePod, DeletePod, ...; CronJob:
// create, delete of a Job; a claim: Bind, Provision, Pending, ...). The
// fields and their meaning are stable; new fields may be added.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	appsdefaults "k8s.io/kubernetes/pkg/apis/apps/v1"
	batchdefaults "k8s.io/kubernetes/pkg/apis/batch/v1"

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
	// observed are the objects of the --observed files that are not pods
	// or nodes: inputs only, never planned.
	observed []manifest.Object
	// newTemplate holds the identities of applied StatefulSets whose pod
	// template differs from the observed one's.
	newTemplate map[string]bool
}

// loadMode says what a file's documents are.
type loadMode int

const (
	applied      loadMode = iota // -f: objects to plan, and pods and nodes
	observedOnly                 // --observed: the cluster's current objects
	nodesOnly                    // --nodes: Node documents only
)

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("whatif", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var manifests, observed files
	fs.Var(&manifests, "f", "manifest file (repeatable; - for standard input)")
	fs.Var(&observed, "observed", "file of the cluster's current objects: pods, Jobs, PVs, PVCs and observed status of applied objects (repeatable)")
	output := fs.String("output", "text", "output format: text or json")
	nodesFile := fs.String("nodes", "", "file with Node documents")
	clusterSize := fs.Int("cluster", 0, "pretend the cluster has this many plain worker nodes")
	nowFlag := fs.String("now", "", "the current time, RFC 3339 (default: the clock)")
	createdFlag := fs.String("created", "", "creation time, RFC 3339, of objects whose manifest has none (default: --now)")
	simulate := fs.Bool("simulate", false, "run DaemonSets, StatefulSets, Jobs and CronJobs forward on a virtual clock and print their timelines")
	fromOld := fs.Bool("from-old", false, "with --simulate: every eligible node (DaemonSet) or ordinal (StatefulSet) starts with an available pod of an earlier template")
	podStart := fs.Duration("pod-start", 10*time.Second, "with --simulate: time from a pod's creation until it runs")
	podReady := fs.Duration("pod-ready", 5*time.Second, "with --simulate: time from running until Ready")
	podTerminate := fs.Duration("pod-terminate", -1, "with --simulate: time from a delete until the pod is gone (default: the template's terminationGracePeriodSeconds)")
	broken := fs.Bool("broken", false, "with --simulate: pods of the manifest's template never become Ready")
	provision := fs.Duration("provision-time", 0, "with --simulate: time an external provisioner takes to create a claim's volume")
	podRun := fs.Duration("pod-run", 30*time.Second, "with --simulate: how long a Job pod's container runs before it exits")
	failFirst := fs.Int("pod-fail-first", 0, "with --simulate: the first N attempts of each Job index (of each Job, when not Indexed) exit 1")
	until := fs.Duration("until", 7*24*time.Hour, "with --simulate: how far to run the clock")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if len(manifests) == 0 {
		fmt.Fprintln(stderr, "whatif: at least one -f manifest is required")
		fs.Usage()
		return 2
	}
	if *output != "text" && *output != "json" {
		fmt.Fprintf(stderr, "whatif: --output %q: want text or json\n", *output)
		return 2
	}
	if *output == "json" && *simulate {
		fmt.Fprintln(stderr, "whatif: --output json prints one pass; it does not combine with --simulate")
		return 2
	}
	stdin := 0
	for _, name := range slices.Concat(manifests, observed) {
		if name == "-" {
			stdin++
		}
	}
	if stdin > 1 {
		fmt.Fprintln(stderr, "whatif: standard input (-) can be read once")
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
		if err := c.load(name, applied); err != nil {
			fmt.Fprintf(stderr, "whatif: %v\n", err)
			return 1
		}
	}
	for _, name := range observed {
		if err := c.load(name, observedOnly); err != nil {
			fmt.Fprintf(stderr, "whatif: %v\n", err)
			return 1
		}
	}
	if *nodesFile != "" {
		if err := c.load(*nodesFile, nodesOnly); err != nil {
			fmt.Fprintf(stderr, "whatif: %v\n", err)
			return 1
		}
	}
	c.mergeObserved()
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
		s := simulation{life: sim.Lifecycle{Start: *podStart, Ready: *podReady, Terminate: *podTerminate, Provision: *provision}, until: *until, fromOld: *fromOld, broken: *broken,
			run: *podRun, failFirst: *failFirst}
		if err := c.simulate(s, stdout); err != nil {
			fmt.Fprintf(stderr, "whatif: %v\n", err)
			return 1
		}
		return 0
	}
	rep := &report{Now: c.now.UTC().Format(time.RFC3339), Resources: []*Resource{}}
	text := stdout
	if *output == "json" {
		text = io.Discard
	}
	if err := c.report(text, rep); err != nil {
		fmt.Fprintf(stderr, "whatif: %v\n", err)
		return 1
	}
	if *output == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintf(stderr, "whatif: %v\n", err)
			return 1
		}
	}
	return 0
}

func (c *cluster) load(name string, mode loadMode) error {
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
			if mode != nodesOnly {
				c.pods = append(c.pods, obj)
			}
		default:
			switch mode {
			case nodesOnly:
				return fmt.Errorf("%s: document %d is a %s; --nodes takes Node documents only", name, o.Index, o.Kind)
			case observedOnly:
				if o.Obj != nil {
					c.observed = append(c.observed, o)
				}
			default:
				c.objects = append(c.objects, o)
			}
		}
	}
	return nil
}

// reporters print what one kind's controller would do and record it in the
// report; each kind's file registers itself.
var reporters = map[string]func(c *cluster, o manifest.Object, w io.Writer, rep *report) error{}

func (c *cluster) report(out io.Writer, r *report) error {
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
		if err := rep(c, o, w, r); err != nil {
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

// report is the --output json document; see the package documentation.
type report struct {
	Now       string      `json:"now"`
	Resources []*Resource `json:"resources"`
}

// Resource is what one pass decides for one planned resource.
type Resource struct {
	Kind      string   `json:"kind"`
	Namespace string   `json:"namespace,omitempty"`
	Name      string   `json:"name"`
	Actions   []Action `json:"actions"`
	Warnings  []string `json:"warnings"`
	Waiting   string   `json:"waiting,omitempty"`
	RequeueAt string   `json:"requeueAt,omitempty"`
	Status    any      `json:"status,omitempty"`
}

// Action is one write of a pass.
type Action struct {
	Action  string `json:"action"`
	Object  string `json:"object"`
	Reason  string `json:"reason"`
	Message string `json:"message"`
}

// add starts the record of one resource.
func (r *report) add(kind, namespace, name string) *Resource {
	res := &Resource{Kind: kind, Namespace: namespace, Name: name, Actions: []Action{}, Warnings: []string{}}
	r.Resources = append(r.Resources, res)
	return res
}

// act records an action.
func (r *Resource) act(action, object string, reason any, message string) {
	r.Actions = append(r.Actions, Action{Action: action, Object: object, Reason: fmt.Sprint(reason), Message: message})
}

// warn records validation errors.
func (r *Resource) warn(errs ...error) {
	for _, e := range errs {
		r.Warnings = append(r.Warnings, e.Error())
	}
}

// requeue records when to ask again; zero means never.
func (r *Resource) requeue(t time.Time) {
	if !t.IsZero() {
		r.RequeueAt = t.UTC().Format(time.RFC3339)
	}
}

// all is the applied objects, then the observed ones no applied object
// stands for: every object a planner may read as the cluster's.
func (c *cluster) all() []manifest.Object {
	out := slices.Clone(c.objects)
	for _, o := range c.observed {
		if c.appliedIndex(o) < 0 {
			out = append(out, o)
		}
	}
	return out
}

// identity is an object's kind, namespace and name.
func identity(o manifest.Object) (string, bool) {
	m, ok := o.Obj.(metav1.Object)
	if !ok {
		return "", false
	}
	return o.Kind + "/" + namespaceOf(m.GetNamespace()) + "/" + m.GetName(), true
}

func (c *cluster) appliedIndex(o manifest.Object) int {
	id, ok := identity(o)
	if !ok {
		return -1
	}
	return slices.IndexFunc(c.objects, func(a manifest.Object) bool {
		aid, ok := identity(a)
		return ok && aid == id
	})
}

// mergeObserved gives each applied object the status and identity of the
// observed object of its kind, namespace and name: the spec applied, the
// status the cluster reports. The generation grows by one when the specs
// differ once both are defaulted, as the API server bumps it on a spec
// change.
func (c *cluster) mergeObserved() {
	c.newTemplate = map[string]bool{}
	for _, o := range c.observed {
		i := c.appliedIndex(o)
		if i < 0 {
			continue
		}
		a := &c.objects[i]
		id, _ := identity(o)
		switch obs := o.Obj.(type) {
		case *appsv1.DaemonSet:
			cp := a.Obj.(*appsv1.DaemonSet).DeepCopy()
			x, y := cp.DeepCopy(), obs.DeepCopy()
			appsdefaults.SetObjectDefaults_DaemonSet(x)
			appsdefaults.SetObjectDefaults_DaemonSet(y)
			cp.Status = obs.Status
			changed := !equality.Semantic.DeepEqual(x.Spec, y.Spec)
			observe(&cp.ObjectMeta, &obs.ObjectMeta, changed)
			if !changed {
				// The same spec, in the form the cluster stored and hashed:
				// its pods' controller-revision-hash is this template's.
				cp.Spec = *y.Spec.DeepCopy()
			}
			a.Obj = cp
		case *appsv1.StatefulSet:
			cp := a.Obj.(*appsv1.StatefulSet).DeepCopy()
			x, y := cp.DeepCopy(), obs.DeepCopy()
			appsdefaults.SetObjectDefaults_StatefulSet(x)
			appsdefaults.SetObjectDefaults_StatefulSet(y)
			cp.Status = obs.Status
			observe(&cp.ObjectMeta, &obs.ObjectMeta, !equality.Semantic.DeepEqual(x.Spec, y.Spec))
			if !equality.Semantic.DeepEqual(x.Spec.Template, y.Spec.Template) {
				c.newTemplate[id] = true
			}
			a.Obj = cp
		case *batchv1.Job:
			cp := a.Obj.(*batchv1.Job).DeepCopy()
			x, y := cp.DeepCopy(), obs.DeepCopy()
			batchdefaults.SetObjectDefaults_Job(x)
			batchdefaults.SetObjectDefaults_Job(y)
			cp.Status = obs.Status
			observe(&cp.ObjectMeta, &obs.ObjectMeta, !equality.Semantic.DeepEqual(x.Spec, y.Spec))
			a.Obj = cp
		case *batchv1.CronJob:
			cp := a.Obj.(*batchv1.CronJob).DeepCopy()
			x, y := cp.DeepCopy(), obs.DeepCopy()
			batchdefaults.SetObjectDefaults_CronJob(x)
			batchdefaults.SetObjectDefaults_CronJob(y)
			cp.Status = obs.Status
			observe(&cp.ObjectMeta, &obs.ObjectMeta, !equality.Semantic.DeepEqual(x.Spec, y.Spec))
			a.Obj = cp
		case *v1.PersistentVolume:
			cp := a.Obj.(*v1.PersistentVolume).DeepCopy()
			cp.Status = obs.Status
			if cp.Spec.ClaimRef == nil {
				cp.Spec.ClaimRef = obs.Spec.ClaimRef // the binding is the controller's write
			}
			observe(&cp.ObjectMeta, &obs.ObjectMeta, false)
			a.Obj = cp
		case *v1.PersistentVolumeClaim:
			cp := a.Obj.(*v1.PersistentVolumeClaim).DeepCopy()
			cp.Status = obs.Status
			if cp.Spec.VolumeName == "" {
				cp.Spec.VolumeName = obs.Spec.VolumeName // the binding is the controller's write
			}
			observe(&cp.ObjectMeta, &obs.ObjectMeta, false)
			a.Obj = cp
		}
	}
}

// observe copies the identity the API server gave an object, and the
// annotations the controllers wrote, onto the applied metadata.
func observe(m, obs *metav1.ObjectMeta, specChanged bool) {
	m.UID, m.CreationTimestamp, m.ResourceVersion = obs.UID, obs.CreationTimestamp, obs.ResourceVersion
	m.DeletionTimestamp, m.Finalizers = obs.DeletionTimestamp, obs.Finalizers
	m.Generation = obs.Generation
	if specChanged {
		m.Generation++
	}
	for k, v := range obs.Annotations {
		if _, ok := m.Annotations[k]; !ok {
			if m.Annotations == nil {
				m.Annotations = map[string]string{}
			}
			m.Annotations[k] = v
		}
	}
}
