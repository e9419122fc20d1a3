// Package adapt connects purectl to client-go: it converts the Kubernetes
// API objects a controller reads (k8s.io/api types, as an informer or a
// manifest gives them) into purectl's inputs, and purectl's decisions back
// into the objects, statuses and events a controller writes.
//
// # Support
//
// adapt is a supported package of purectl: it is how a client-go program
// meets the planners, and it lives in the examples/kube module only so that
// the core module keeps a single dependency. Its exported API is spelled in
// k8s.io types, the standard library and purectl's public packages (api,
// daemonset, statefulset, job, cronjob, volume), never in purectl's
// internal packages; a test type-checks the package and walks every
// exported name to keep it so.
//
// Stable: the names and signatures of the conversions below, the kinds of
// object each returns, and the rule that every function is pure: it never
// modifies its inputs (RecordCreatedJob alone fills in the status it is
// handed, and RecordEvents writes to the recorder). A result may share
// maps and slices with the inputs it was built from: copy before
// modifying either. Not stable: the exact text of event messages (they
// are the planners' Message fields) and the naming of events
// (<object>.<nanoseconds>, as client-go's recorder names them).
//
// # Conversions
//
// Into purectl, one function per object the controllers read: Node,
// Nodes, DaemonSet, DaemonPod, StatefulSet, Revision, StatefulPod,
// StatefulClaim, Job (with its status), JobSpec, JobPod, CronJob,
// CronJobJob, CronJobJobs, PersistentVolume, PersistentVolumeClaim,
// StorageClass, VolumeNode, VolumePod, and the shared LabelSelector,
// NodeSelector, RequiredNodeAffinity, Tolerations, Taints, IntOrString,
// Quantity and Time.
//
// Back to Kubernetes, a V1 function for each object and shared type
// (V1Node, V1DaemonSet, ..., V1VolumePod; V1StatefulSet also gives the
// ControllerRevisions, V1Job the status): X(V1X(x)) is x for every field a
// Kubernetes object holds, which a property test checks for values drawn
// field by field.
// Fields that are controller memory rather than object state (a
// DaemonSet's FailedPodBackoff, a Job's back-off record, the derived
// CurrentHash and UpdateRevision) are documented on each V1 function.
//
// The outputs a controller writes: DaemonPodFor (a daemonset Create),
// StatefulPodFor, StatefulPodFromRevision and StatefulClaimFor (statefulset
// creations), StatefulPodUpdate and StatefulClaimUpdate (repairs),
// JobPodFor (a job PodCreation), CronJobJobFor (a cronjob JobCreation),
// DaemonSetStatus, StatefulSetStatus, JobStatus and CronJobStatus
// (computed status), ApplyClaimResult and ApplyVolumeResult (the updated
// PersistentVolume and claim of a volume decision), ApplyClaimProtection
// and ApplyVolumeProtection (in-use protection's finalizers and the
// claim's Unused condition).
//
// # Events
//
// DaemonSetEvents, StatefulSetEvents, JobEvents, CronJobEvents, ClaimEvent
// and VolumeEvent turn each Reason-carrying action and event of a result
// into a corev1.Event on the object it is about (involvedObject, reason,
// message), Normal or Warning as the controller records it; RecordEvents
// records them through a record.EventRecorder.
//
// # Namespaces
//
// DefaultNamespace gives a namespaced object without namespace the
// caller's, as kubectl does, and leaves cluster-scoped kinds (Node,
// PersistentVolume, StorageClass) alone; ContextNamespace is kubectl's
// choice of namespace: the kubeconfig context's, else "default".
package adapt
