// Package daemonset decides what the Kubernetes DaemonSet controller of a
// chosen release (Options.Release, v1.34 to v1.37) does in one pass, as
// plain data: PlanDaemonSet takes the nodes, the pods,
// the DaemonSet and the time, and returns the pods to create and delete (each
// with a Reason and a message), the pods to adopt or release, the status the
// controller would write, the rolling-update budget and when to ask again.
// It does no I/O, reads no clock and keeps no state: the one piece of memory
// the controller has between passes, the failed-pod backoff, is an explicit
// input (DaemonSet.FailedPodBackoff) and output (Plan.FailedPodBackoff).
//
// # Which nodes run a pod
//
// A node runs a daemon pod when the template's nodeName (if any) is the node,
// every nodeSelector pair is among the node labels, a term of the required
// node affinity matches (terms ORed, requirements ANDed; a malformed term
// never matches), and every NoSchedule and NoExecute taint is tolerated
// (PreferNoSchedule is ignored). The controller adds tolerations to every
// daemon pod: not-ready and unreachable (NoExecute); disk, memory and pid
// pressure and unschedulable (NoSchedule); network-unavailable (NoSchedule)
// with hostNetwork. So cordoned and unhealthy nodes still run daemons. An
// untolerated NoSchedule taint stops new pods but lets a running one stay
// (shouldRun false, shouldContinueRunning true); an untolerated NoExecute
// taint removes it. tolerationSeconds, resources, ports and node conditions
// play no part. ExplainNode (and ExplainNodes for many nodes) gives the
// verdict with the failing selector pair, affinity requirement or taint named.
//
// # One pass
//
// Pods are the DaemonSet's after ownership reconciliation (matching orphans
// adopted, owned pods that stopped matching released); finished pods that are
// already being deleted are invisible. A pod belongs to its spec.nodeName, or
// while unbound to the node of its matchFields metadata.name In requirement.
// For every node:
//   - shouldRun and no pod: create one.
//   - pods may stay: failed pods are deleted (subject to the per-node backoff:
//     1s doubling to 15m, keyed by the observed generation), succeeded pods
//     are deleted, pods being deleted are left alone. Without surge the first
//     running pod in pod order (bound first, then oldest, then by name) stays
//     and the others go; if none is left running nothing is created this
//     pass. With surge, a node with no running pod gets a new one at once,
//     and of several running pods the oldest updated and the oldest old pod
//     stay; the old one goes when it is not ready or the new one is available.
//   - pods may not stay: every pod not already being deleted goes.
//
// Unbound pods aimed at a node that no longer exists are deleted; bound ones
// are left to pod garbage collection.
//
// # Rolling update
//
// Like the informer-fed controller, which waits until its own creates and
// deletes are observed, the rolling-update step runs only in a pass where
// the per-node step had nothing to do. A caller whose writes are visible at
// once (DaemonSet.WritesObserved, as with the pod control of upstream's
// unit tests) gets the rolling update in the same pass, on the pods with the
// per-node step's writes applied. maxUnavailable and maxSurge (apps/v1
// defaults 1 and 0) are scaled against desiredNumberScheduled, percentages
// rounded up; if both come to zero maxUnavailable is 1. Without surge, old
// pods that are not available are deleted at once and available old pods
// are deleted while the count of unavailable nodes (no pod, two pods, a new
// pod not yet available) stays within maxUnavailable; the next pass creates
// the replacements. With surge, new pods start next to unavailable old pods
// at once and next to available ones within maxSurge; the old pod goes when
// the new one is available. Plan.Rollout lists the nodes holding the budget.
// Available means Ready for at least minReadySeconds at now.
//
// # Status and time
//
// Status counts nodes: desired (shouldRun), current (shouldRun with a pod),
// misscheduled (pods where none should run), and for the first pod in pod
// order on each desired node: ready, available and updated. Plan.RequeueAt is
// the first instant a pod becomes available or a backoff ends.
//
// # Invalid objects
//
// The controller acts on objects that validation would reject (stored
// before validation tightened, or a caller's own resource), and so does
// PlanDaemonSet: it lists what Validate reports in Plan.Warnings and decides
// as the controller does, e.g. maxUnavailable 0 with maxSurge 0 acts as
// maxUnavailable 1, an unknown strategy type rolls nothing, a maxUnavailable
// that is neither an integer nor a percentage blocks the rolling update
// (Rollout.Blocked) but not the per-node step, and an empty selector skips
// the DaemonSet. It errors only on a selector the controller cannot parse.
// Default applies the apps/v1 defaults.
//
// # Differences from Kubernetes
//
// Where the controller's choice is random or coarse, this package is exact
// and says so:
//   - Requeue. The controller asks to be synced again minReadySeconds after
//     a pass in which some counted pod is ready but not yet available, and a
//     whole backoff delay after a failed pod it skipped; Plan.RequeueAt is
//     the instant a pod becomes available or the backoff ends, never later.
//     DaemonSet.RequeueAfterMinReady gives the controller's requeue instead.
//   - Choice within the budget. When more old pods (or more nodes to surge
//     onto) qualify than the budget allows, the controller picks them in Go
//     map order; this package picks them in node-name order.
//   - Beyond BurstReplicas creates, the controller issues those of the first
//     nodes in its informer's list order; this package those of the first
//     node names.
//   - Which of a node's failed pods takes its one backoff slot: the
//     controller visits the pods it owns before the orphans it adopts, each
//     kind in its informer's order; this package visits each kind in pod
//     order.
//
// # Cost
//
// A pass evaluates the template's constraints once, visits each node and
// each pod in input order, and groups pods by node without per-node
// allocations: the number of allocations grows with the actions issued, not
// with the cluster (about 1,500 for 5,000 or 100,000 nodes with thousands
// of pods to create), and its memory is about 25 bytes per node and 9 per
// pod. The work is linear in nodes and pods. What a node costs still grows
// once the cluster's own objects (each node's label map and strings, some
// 1.3 KB) no longer fit in the processor's caches: a nodeSelector lookup in
// a node's label map is a chain of dependent reads from main memory. The
// node and pod loops are therefore split into short ones (hash every name,
// then file it; match every node's nodeSelector, then the rest), which lets
// the processor overlap many nodes' reads. In CPU time (BenchmarkPlanDaemonSet's
// cluster, the best of many runs) a node costs about 100 to 150 ns at 5,000
// nodes and 290 ns at 100,000, where one loop per pass cost 390: less, but
// not flat, since the lookups that remain are the controller's own and each
// is a few dependent trips to main memory.
//
// A caller that plans many DaemonSets over one fleet, or one DaemonSet over
// nodes that change less often than it asks, can take those trips once:
// IndexNodes lays every node's labels out as numbers in one array and hashes
// the names, and a pass given the index (Options.Nodes) reads labels by
// scanning it. The plan is the same; at 5,000 nodes a node then costs about
// 90 ns and at 100,000 about 120 ns (the pods' label maps and the lookup of
// each pod's node remain). Building the index costs about as much as five
// passes without it, so it pays from a handful of DaemonSets or passes on.
// NodeIndex.Update follows a change of the fleet (nodes relabelled,
// tainted, joining or leaving) without that cost: it copies the index and
// reads only the changed nodes, about an eighth of a rebuild at 5,000
// nodes and under a sixth at 100,000.
//
// # Kubernetes releases
//
// Every entry point follows the release it is given (the zero Release is
// the newest); the DaemonSet controller, its validation and its defaults
// differ between the supported releases only here:
//
//	release | gate                                          | behaviour                                                                                                                                                        | test
//	1.35+   | TaintTolerationComparisonOperators (alpha, off) | Lt and Gt tolerations compare taint values as integers (ExplainNode, PlanDaemonSet, NodeUpdateSyncs); off, and in 1.34, they tolerate nothing                  | TestNodeShouldRunDaemonPodComparisonOperators
//	1.35+   | TaintTolerationComparisonOperators              | Validate accepts Lt and Gt with a canonical integer value; off, it rejects them naming four supported operators (1.34 names two)                              | TestValidateTolerationOperatorsPerRelease
//	1.36+   | StaleControllerConsistencyDaemonSet (beta, on)  | a view lacking a pod the controller created or adopted, or the status it wrote (DaemonSet.Unobserved), holds the whole pass (Plan.Skipped) instead of a status-only pass | TestSyncDaemonSetUnobservedWritesPerRelease
//	all     | -                                               | a created or deleted pod not yet seen (expectations unmet) gives a status-only pass without raising observedGeneration (Plan.StatusOnly)                      | TestSyncDaemonSetUnobservedWritesPerRelease
//	1.35+   | -                                               | Validate words a key with two slashes "a valid label key ..." where 1.34 said "a qualified name ..." (apimachinery's content.IsLabelKey)                      | TestValidateKeyWordingPerRelease
//	1.35+   | -                                               | label keys and values (template labels, nodeSelector, node affinity, tolerations) are measured in bytes, not characters; a nodeName keeps "characters"   | TestValidateLengthWordingPerRelease
//
// Nothing else changed for DaemonSets between v1.34.4 and v1.37.2: the
// controller's other changes are refactoring (v1.37 builds the tolerations
// and node affinity once per pass rather than per node, with the same
// verdicts), the apps/v1 DaemonSet defaults and the DaemonSet part of apps
// validation are unchanged, and Default is the same for every release.
// TestReleasesAgreeOutsideTheirDifferences checks that for any other input
// the four releases plan alike. The differential suites in examples/kube
// run against each release's real controller.
//
// StaleControllerConsistencyDaemonSet does not change a pass given a
// current view; it keeps the informer-fed controller from acting on a
// cache that misses its own writes. The caller says what its view misses
// in DaemonSet.Unobserved. (DaemonSet.WritesObserved is about writes made
// within one pass, which no release's check covers.)
//
// # History and node updates
//
// HistoryToDelete says which old ControllerRevisions the controller deletes
// beyond revisionHistoryLimit (cleanupHistory). NodeChanged and
// NodeUpdateSyncs say whether a node update makes the controller sync a
// DaemonSet at all (updateNode, syncNodeUpdate), so a caller can skip
// passes that cannot change anything.
//
// # Not modelled
//
// Creating ControllerRevisions and computing their hash (pass
// Spec.CurrentHash), the slow-start batching of creates (a caller can batch
// Plan.Creates itself) and expectations across passes. At most
// BurstReplicas creates and deletes are issued per pass, as upstream.
package daemonset
