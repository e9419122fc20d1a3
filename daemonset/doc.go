// Package daemonset decides what the Kubernetes DaemonSet controller (v1.34)
// does in one pass, as plain data: PlanDaemonSet takes the nodes, the pods,
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
// Like the controller, which waits until its own creates and deletes are
// observed, the rolling-update step runs only in a pass where the per-node
// step had nothing to do. maxUnavailable and maxSurge (apps/v1 defaults 1 and
// 0) are scaled against desiredNumberScheduled, percentages rounded up; if
// both come to zero maxUnavailable is 1. Without surge, old pods that are not
// available are deleted at once and available old pods are deleted while
// the count of unavailable nodes (no pod, two pods, a new pod not yet
// available) stays within maxUnavailable; the next pass creates the
// replacements. With surge, new pods start next to unavailable old pods at
// once and next to available ones within maxSurge; the old pod goes when the
// new one is available. Upstream picks the budgeted nodes in map order; this
// package picks them in node-name order. Plan.Rollout lists the nodes holding
// the budget. Available means Ready for more than minReadySeconds before now.
//
// # Status and time
//
// Status counts nodes: desired (shouldRun), current (shouldRun with a pod),
// misscheduled (pods where none should run), and for the first pod in pod
// order on each desired node: ready, available and updated. Plan.RequeueAt is
// the first instant a pod becomes available or a backoff ends.
//
// # Cost
//
// A pass evaluates the template's constraints once, looks each node up once
// and groups pods by node without per-node allocations; allocations grow
// with the actions issued, not with the cluster (about 0.55 ms and 500
// allocations for 5,000 nodes with 2,500 pods to create, on a shared 2-core
// machine).
//
// # Not modelled
//
// ControllerRevisions and their hash (pass Spec.CurrentHash), history
// clean-up, the slow-start batching of creates (a caller can batch
// Plan.Creates itself) and expectations across passes. At most
// BurstReplicas creates and deletes are issued per pass, as upstream.
package daemonset
