package api

import (
	"sort"
	"strconv"
	"strings"
)

//go:generate sh -c "go run ../internal/gengates 1.34.4 1.35.4 1.36.3 1.37.2 > gates_gen.go.tmp && mv gates_gen.go.tmp gates_gen.go"

// Supported Kubernetes releases. Each is pinned to the patch release whose
// controllers the differential suites in examples/kube run against; a
// Release naming another patch of the same minor follows that one.
const (
	// Oldest is the oldest release purectl follows (already past its end
	// of life upstream, kept for clusters not yet upgraded).
	Oldest = "1.34"
	// Newest is the newest release purectl follows, and the one a zero
	// Release means.
	Newest = "1.37"
)

// Releases lists the supported releases, oldest first, each with the
// patch release it was checked against.
func Releases() []string { return []string{"1.34.4", "1.35.4", "1.36.3", "1.37.2"} }

// Release names the Kubernetes release whose controllers, validation and
// defaults a call follows. The zero value means Newest with every feature
// gate at that release's default.
//
// Every controller package takes a Release in its Options; the same value
// can be shared by all five, the way one cluster runs one release.
type Release struct {
	// Version is a minor release such as "1.35" (a "v" prefix and a patch
	// number, "v1.35.4", are accepted); empty means Newest.
	Version string
	// FeatureGates overrides single gates, as kube-apiserver's and
	// kube-controller-manager's --feature-gates flag does (ParseFeatureGates
	// reads that flag's syntax). A gate the release does not know, or one
	// locked to its default, is an error, as it is for the flag.
	FeatureGates map[Gate]bool
}

// Gate is the name of a Kubernetes feature gate.
type Gate string

// The gates that change what purectl's packages decide, validate or
// default in at least one supported release. GateDefault reports any
// gate's default; Release.Enabled any gate's effective value.
const (
	// StatefulSet: rollingUpdate.maxUnavailable takes effect (beta in
	// 1.35, on by default from 1.37).
	MaxUnavailableStatefulSet Gate = "MaxUnavailableStatefulSet"
	// StatefulSet: the Recreate update strategy (alpha in 1.37).
	StatefulSetRecreateStrategy Gate = "StatefulSetRecreateStrategy"
	// StatefulSet: revisions compared by content rather than by hash.
	StatefulSetSemanticRevisionComparison Gate = "StatefulSetSemanticRevisionComparison"
	// StatefulSet: persistentVolumeClaimRetentionPolicy (GA in 1.32, gate
	// removed in 1.35).
	StatefulSetAutoDeletePVC Gate = "StatefulSetAutoDeletePVC"
	// DaemonSet: the controller waits for its cache to catch up with its
	// own writes before acting again (beta, on, from 1.36).
	StaleControllerConsistencyDaemonSet Gate = "StaleControllerConsistencyDaemonSet"
	// StatefulSet: as StaleControllerConsistencyDaemonSet.
	StaleControllerConsistencyStatefulSet Gate = "StaleControllerConsistencyStatefulSet"
	// Job: as StaleControllerConsistencyDaemonSet.
	StaleControllerConsistencyJob Gate = "StaleControllerConsistencyJob"
	// Job: spec.managedBy (GA and locked from 1.35).
	JobManagedBy Gate = "JobManagedBy"
	// Job: spec.podReplacementPolicy (GA in 1.34, gate removed in 1.37).
	JobPodReplacementPolicy Gate = "JobPodReplacementPolicy"
	// Job: spec.backoffLimitPerIndex (GA in 1.33, gate removed in 1.37).
	JobBackoffLimitPerIndex Gate = "JobBackoffLimitPerIndex"
	// Job: spec.successPolicy (GA in 1.33, gate removed in 1.37).
	JobSuccessPolicy Gate = "JobSuccessPolicy"
	// Job: the batch.kubernetes.io/job-completion-index pod label (gate
	// removed in 1.35).
	PodIndexLabel Gate = "PodIndexLabel"
	// Job: a suspended Job's scheduling directives may change (beta, on,
	// from 1.36).
	MutableSchedulingDirectivesForSuspendedJobs Gate = "MutableSchedulingDirectivesForSuspendedJobs"
	// Job: a suspended Job's pod resources may change (beta, on, from 1.36).
	MutablePodResourcesForSuspendedJobs Gate = "MutablePodResourcesForSuspendedJobs"
	// Job: spec.template.spec.workloadRef (alpha from 1.36).
	WorkloadWithJob Gate = "WorkloadWithJob"
	// The Workload API that WorkloadWithJob builds on (alpha 1.35).
	GenericWorkload Gate = "GenericWorkload"
	// Job: restartable init containers (sidecars) in Job pods.
	SidecarContainers Gate = "SidecarContainers"
	// CronJob: the batch.kubernetes.io/cronjob-scheduled-timestamp
	// annotation (gate removed in 1.35).
	CronJobsScheduledAnnotation Gate = "CronJobsScheduledAnnotation"
	// Taints and tolerations: the Lt and Gt toleration operators (alpha
	// from 1.35).
	TaintTolerationComparisonOperators Gate = "TaintTolerationComparisonOperators"
	// Volumes: Delete reclaim honoured whichever of claim and volume goes
	// first (gate removed in 1.36).
	HonorPVReclaimPolicy Gate = "HonorPVReclaimPolicy"
	// Volumes: volumeAttributesClassName on claims and volumes.
	VolumeAttributesClass Gate = "VolumeAttributesClass"
	// Volumes: a bound volume's node affinity may change (alpha from 1.35).
	MutablePVNodeAffinity Gate = "MutablePVNodeAffinity"
	// Volumes: status.unusedSince on claims (alpha 1.36, beta on 1.37).
	PersistentVolumeClaimUnusedSinceTime Gate = "PersistentVolumeClaimUnusedSinceTime"
)

// gateState is one gate's registration at one release.
type gateState struct {
	def    bool
	stage  string
	locked bool
}

// GateInfo describes one feature gate at one release.
type GateInfo struct {
	// Gate is the gate's name.
	Gate Gate
	// Default is the gate's value when --feature-gates does not set it.
	Default bool
	// Stage is "Alpha", "Beta", "GA" or "Deprecated".
	Stage string
	// Locked means the gate cannot be set to anything but Default.
	Locked bool
}

// removedOn lists gates that a release no longer registers because the
// feature graduated and the gate was removed: the behaviour is always on.
var removedOn = map[Gate]bool{
	StatefulSetAutoDeletePVC: true, JobPodReplacementPolicy: true, JobBackoffLimitPerIndex: true,
	JobSuccessPolicy: true, PodIndexLabel: true, CronJobsScheduledAnnotation: true,
	HonorPVReclaimPolicy: true, SidecarContainers: true,
}

// Minor returns the release's minor version (34 for "1.34") and whether
// the release is supported. An empty Version is Newest.
func (r Release) Minor() (int, bool) {
	v := r.key()
	if _, ok := gateTable[v]; !ok {
		return 0, false
	}
	n, _ := strconv.Atoi(strings.TrimPrefix(v, "1."))
	return n, true
}

// AtLeast reports whether the release is the given minor release or newer
// ("1.35"; any "1.N" works, supported or not, so AtLeast("1.38") is false
// for every supported release). An unsupported release counts as Newest; a
// version that is not "1.N" is newer than every release.
func (r Release) AtLeast(version string) bool {
	m, ok := r.Minor()
	if !ok {
		m, _ = Release{}.Minor()
	}
	v := Release{Version: version}.key()
	minor, found := strings.CutPrefix(v, "1.")
	w, err := strconv.Atoi(minor)
	if !found || err != nil {
		return false
	}
	return m >= w
}

// key normalises Version to "1.N"; "" becomes Newest.
func (r Release) key() string {
	v := strings.TrimPrefix(strings.TrimSpace(r.Version), "v")
	if v == "" {
		return Newest
	}
	if _, ok := gateTable[v]; ok {
		return v
	}
	if p := strings.Split(v, "."); len(p) == 3 {
		if _, err := strconv.Atoi(p[2]); err == nil {
			v = p[0] + "." + p[1]
		}
	}
	return v
}

// String is the minor release the Release follows, e.g. "1.37".
func (r Release) String() string { return r.key() }

// Enabled reports whether a gate is on: the override when FeatureGates sets
// it, else the release's default. A gate the release no longer registers
// because its feature graduated is on; one it does not know yet is off.
// An unsupported release answers as Newest (Check reports it).
func (r Release) Enabled(g Gate) bool {
	if v, ok := r.FeatureGates[g]; ok {
		if info, known := r.gate(g); known && !info.Locked {
			return v
		}
	}
	info, known := r.gate(g)
	if !known {
		return removedOn[g] && r.pastRemoval(g)
	}
	return info.Default
}

// pastRemoval reports whether g was registered by some release older than
// r (so its absence from r means it was removed, not not yet added).
func (r Release) pastRemoval(g Gate) bool {
	m, ok := r.Minor()
	if !ok {
		m, _ = Release{}.Minor()
	}
	for v, t := range gateTable {
		if _, has := t[g]; has {
			if n, _ := (Release{Version: v}).Minor(); n < m {
				return true
			}
		}
	}
	return false
}

func (r Release) gate(g Gate) (GateInfo, bool) {
	t, ok := gateTable[r.key()]
	if !ok {
		t = gateTable[Newest]
	}
	s, ok := t[g]
	return GateInfo{Gate: g, Default: s.def, Stage: s.stage, Locked: s.locked}, ok
}

// Gates lists every gate the release registers, sorted by name, with its
// default, stage and lock. An unsupported release lists nothing.
func (r Release) Gates() []GateInfo {
	t, ok := gateTable[r.key()]
	if !ok {
		return nil
	}
	out := make([]GateInfo, 0, len(t))
	for g, s := range t {
		out = append(out, GateInfo{Gate: g, Default: s.def, Stage: s.stage, Locked: s.locked})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Gate < out[j].Gate })
	return out
}

// Check reports what makes the release unusable, as field errors under
// path (typically "release"): a Version that is not a supported release
// (Unsupported value, listing the supported ones), and each FeatureGates
// entry the release would refuse on its command line, with the flag's
// wording: a gate it does not register ("unrecognized feature gate"), one
// locked to its default, and then, with every override applied, an
// enabled gate that depends on one that is off (the path names the
// dependent gate, which may be one turned on or one left at its default
// when its dependency was turned off); nil when the release is usable. Entry points
// return these errors rather than fall back to another release.
func (r Release) Check(path string) []*FieldError {
	if path == "" {
		path = "release"
	}
	var errs []*FieldError
	if _, ok := r.Minor(); !ok {
		valid := []string{}
		for v := range gateTable {
			valid = append(valid, v)
		}
		sort.Strings(valid)
		q := make([]string, len(valid))
		for i, v := range valid {
			q[i] = strconv.Quote(v)
		}
		return []*FieldError{{Type: ErrorTypeNotSupported, Field: path + ".version",
			BadValue: r.Version, Detail: "supported values: " + strings.Join(q, ", ")}}
	}
	if len(r.FeatureGates) == 0 {
		return nil // every release's defaults satisfy its own dependencies
	}
	names := make([]string, 0, len(r.FeatureGates))
	for g := range r.FeatureGates {
		names = append(names, string(g))
	}
	sort.Strings(names)
	for _, n := range names {
		g, v := Gate(n), r.FeatureGates[Gate(n)]
		p := path + ".featureGates[" + n + "]"
		info, ok := r.gate(g)
		switch {
		case !ok:
			errs = append(errs, &FieldError{Type: ErrorTypeInvalid, Field: p, BadValue: v,
				Detail: "unrecognized feature gate: " + n})
		case info.Locked && v != info.Default:
			errs = append(errs, &FieldError{Type: ErrorTypeInvalid, Field: p, BadValue: v,
				Detail: "cannot set feature gate " + n + " to " + strconv.FormatBool(v) +
					", feature is locked to " + strconv.FormatBool(info.Default)})
		}
	}
	if len(errs) > 0 {
		return errs
	}
	// As the flag does once every gate is set: an enabled gate whose
	// dependencies are off is refused (from 1.35, which records them).
	deps := gateDeps[r.key()]
	gates := make([]string, 0, len(deps))
	for g := range deps {
		gates = append(gates, string(g))
	}
	sort.Strings(gates)
	for _, n := range gates {
		if !r.Enabled(Gate(n)) {
			continue
		}
		var off []string
		for _, d := range deps[Gate(n)] {
			if !r.Enabled(d) {
				off = append(off, string(d))
			}
		}
		if len(off) > 0 {
			p := path + ".featureGates[" + n + "]"
			errs = append(errs, &FieldError{Type: ErrorTypeInvalid, Field: p, BadValue: true,
				Detail: n + " is enabled, but depends on features that are disabled: [" + strings.Join(off, " ") + "]"})
		}
	}
	return errs
}

// ParseFeatureGates reads --feature-gates syntax, "A=true,B=false", into
// a FeatureGates map. Whether the gates exist is Release.Check's question.
func ParseFeatureGates(s string) (map[Gate]bool, error) {
	out := map[Gate]bool{}
	for _, kv := range strings.Split(s, ",") {
		kv = strings.TrimSpace(kv)
		if kv == "" {
			continue
		}
		k, v, found := strings.Cut(kv, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !found {
			return nil, &FieldError{Type: ErrorTypeInvalid, Field: "featureGates", BadValue: kv,
				Detail: "missing bool value for " + k}
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, &FieldError{Type: ErrorTypeInvalid, Field: "featureGates", BadValue: kv,
				Detail: "invalid value of " + k + "=" + v + ", err: " + err.Error()}
		}
		out[Gate(k)] = b
	}
	return out, nil
}
