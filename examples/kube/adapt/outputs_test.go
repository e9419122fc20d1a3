package adapt

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	"pgregory.net/rapid"

	"github.com/purectl/purectl/cronjob"
	"github.com/purectl/purectl/daemonset"
	"github.com/purectl/purectl/job"
	"github.com/purectl/purectl/statefulset"
	"github.com/purectl/purectl/volume"
)

func same[T any](t *rapid.T, what string, want, got T) {
	t.Helper()
	if d := cmp.Diff(want, got, roundTripOpts...); d != "" {
		t.Fatalf("%s (-want +got):\n%s", what, d)
	}
}

// unchanged fails when a conversion modified its input.
func unchanged[T any](t *rapid.T, what string, before, after T) {
	t.Helper()
	if d := cmp.Diff(before, after); d != "" {
		t.Fatalf("%s was modified (-before +after):\n%s", what, d)
	}
}

// Every object a caller must create, read back as the controller would
// observe it, carries what the planner asked for: a daemon pod its
// labels, tolerations, owner, generate name and node affinity; a
// StatefulSet's pod its identity, metadata and claim volumes, and its
// claim the template's name, labels and owners; a Job's pod the
// creation's metadata, owner and hostname; a CronJob's Job its name,
// labels, annotations and owner. The objects they are built from are not
// modified.
func TestCreatedObjectsCarryThePlan(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ds := V1DaemonSet(draw[daemonset.DaemonSet](t, "daemonSet"))
		plan := draw[daemonset.Plan](t, "plan")
		plan.NewPodOwner.Controller = true
		c := draw[daemonset.Create](t, "create")
		before := ds.DeepCopy()
		pod := DaemonPodFor(ds, &plan, c)
		unchanged(t, "DaemonSet", before, ds)
		got := DaemonPod(pod)
		same(t, "daemon pod labels", plan.NewPodLabels, got.Labels)
		same(t, "daemon pod affinity", c.RequiredNodeAffinity, got.RequiredNodeAffinity)
		same(t, "daemon pod tolerations", plan.NewPodTolerations, Tolerations(pod.Spec.Tolerations))
		if got.ControllerUID != plan.NewPodOwner.UID || got.Namespace != ds.Namespace || pod.GenerateName != plan.NewPodGenerateName {
			t.Fatalf("daemon pod owner %q (want %q), namespace %q, generateName %q", got.ControllerUID, plan.NewPodOwner.UID, got.Namespace, pod.GenerateName)
		}

		set := draw[statefulset.Set](t, "set")
		ss, _ := V1StatefulSet(set)
		ssBefore := ss.DeepCopy()
		np := draw[statefulset.NewPod](t, "newPod")
		for i := range np.Volumes {
			if np.Volumes[i].ClaimName == "" { // a claim volume always names its claim
				np.Volumes[i].ClaimName = "claim"
			}
		}
		for i := range np.OwnerRefs {
			np.OwnerRefs[i].Controller = i == 0 // one controller at most
		}
		spod := StatefulPod(StatefulPodFor(ss, statefulset.Action{Type: statefulset.CreatePod, NewPod: &np}))
		unchanged(t, "StatefulSet", ssBefore, ss)
		wantLabels := np.Labels
		if wantLabels == nil {
			wantLabels = set.Spec.Template.Labels
		}
		same(t, "stateful pod labels", wantLabels, spod.Labels)
		if spod.Name != np.Name || spod.Namespace != np.Namespace {
			t.Fatalf("stateful pod %s/%s, want %s/%s", spod.Namespace, spod.Name, np.Namespace, np.Name)
		}
		wantUID := set.UID
		if len(np.OwnerRefs) > 0 {
			wantUID = np.OwnerRefs[0].UID
		}
		if spod.ControllerUID != wantUID {
			t.Fatalf("stateful pod controller %q, want %q", spod.ControllerUID, wantUID)
		}
		same(t, "stateful pod claim volumes", np.Volumes, spod.Volumes[:len(np.Volumes)])

		nc := draw[statefulset.NewClaim](t, "newClaim")
		claim := StatefulClaimFor(ss, statefulset.Action{Type: statefulset.CreateClaim, NewClaim: &nc})
		sc := StatefulClaim(claim)
		same(t, "stateful claim owners", nc.OwnerRefs, sc.OwnerRefs)
		same(t, "stateful claim labels", nc.Labels, claim.Labels)
		if sc.Name != nc.Name || sc.Namespace != nc.Namespace {
			t.Fatalf("stateful claim %s/%s, want %s/%s", sc.Namespace, sc.Name, nc.Namespace, nc.Name)
		}

		jj := draw[job.Job](t, "job")
		k := V1Job(jj, job.Status{})
		kBefore := k.DeepCopy()
		pc := draw[job.PodCreation](t, "podCreation")
		jpod := JobPodFor(k, pc)
		unchanged(t, "Job", kBefore, k)
		got2 := JobPod(jpod)
		for key, v := range pc.Annotations {
			if got2.Annotations[key] != v {
				t.Fatalf("job pod annotation %s=%q, want %q", key, got2.Annotations[key], v)
			}
		}
		for key, v := range pc.Labels {
			if jpod.Labels[key] != v {
				t.Fatalf("job pod label %s=%q, want %q", key, jpod.Labels[key], v)
			}
		}
		for _, f := range pc.Finalizers {
			if !slices.Contains(got2.Finalizers, f) {
				t.Fatalf("job pod finalizers %v lack %q", got2.Finalizers, f)
			}
		}
		if pc.Owner.Kind != "" && (len(jpod.OwnerReferences) != 1 || string(jpod.OwnerReferences[0].UID) != pc.Owner.UID) {
			t.Fatalf("job pod owners %+v, want %+v", jpod.OwnerReferences, pc.Owner)
		}
		if pc.Hostname != "" && jpod.Spec.Hostname != pc.Hostname || jpod.GenerateName != pc.GenerateName || jpod.Namespace != jj.Namespace {
			t.Fatalf("job pod hostname %q generateName %q namespace %q", jpod.Spec.Hostname, jpod.GenerateName, jpod.Namespace)
		}

		cj := V1CronJob(draw[cronjob.CronJob](t, "cronJob"))
		cjBefore := cj.DeepCopy()
		jc := draw[cronjob.JobCreation](t, "jobCreation")
		created := CronJobJobFor(cj, &jc)
		unchanged(t, "CronJob", cjBefore, cj)
		cg := CronJobJob(created)
		same(t, "created Job labels", jc.Labels, created.Labels)
		same(t, "created Job annotations", jc.Annotations, created.Annotations)
		if cg.Name != jc.Name || cg.Namespace != jc.Namespace || len(created.OwnerReferences) != 1 ||
			created.OwnerReferences[0].UID != cj.UID || created.OwnerReferences[0].Kind != "CronJob" {
			t.Fatalf("created Job %s/%s owners %+v", cg.Namespace, cg.Name, created.OwnerReferences)
		}
		if len(CronJobJobs(cj, []*batchv1.Job{created}, cronjob.Release{})) != 1 {
			t.Fatal("a created Job is not among the CronJob's Jobs")
		}
	})
}

// A volume decision written with ApplyClaimResult and ApplyVolumeResult
// reads back as the decision: the claim's status, volume name, class and
// annotations, the volume's claimRef and phase, and its finalizers.
func TestVolumeResultsReadBack(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		pv := V1PersistentVolume(draw[volume.Volume](t, "volume"))
		delete(pv.Spec.Capacity, "")
		claim := V1PersistentVolumeClaim(draw[volume.Claim](t, "claim"))
		pvBefore, claimBefore := pv.DeepCopy(), claim.DeepCopy()
		r := draw[volume.Result](t, "result")
		outPV, outClaim := ApplyClaimResult(pv, claim, r)
		unchanged(t, "volume", pvBefore, pv)
		unchanged(t, "claim", claimBefore, claim)
		gotClaim, err := PersistentVolumeClaim(outClaim)
		if err != nil {
			t.Fatal(err)
		}
		same(t, "claim status", r.Status, gotClaim.Status)
		cu, vu := r.ClaimUpdate, r.VolumeUpdate
		if cu.VolumeName != "" && gotClaim.Spec.VolumeName != cu.VolumeName {
			t.Fatalf("volumeName %q, want %q", gotClaim.Spec.VolumeName, cu.VolumeName)
		}
		if cu.SetStorageClassName && (gotClaim.Spec.StorageClassName == nil || *gotClaim.Spec.StorageClassName != cu.StorageClassName) {
			t.Fatalf("class %v, want %q", gotClaim.Spec.StorageClassName, cu.StorageClassName)
		}
		if cu.AddBoundByController && gotClaim.Annotations[volume.AnnBoundByController] != "yes" ||
			cu.AddBindCompleted && gotClaim.Annotations[volume.AnnBindCompleted] != "yes" {
			t.Fatalf("claim annotations %v", gotClaim.Annotations)
		}
		for _, key := range cu.RemoveAnnotations {
			if _, ok := gotClaim.Annotations[key]; ok {
				t.Fatalf("annotation %q not removed: %v", key, gotClaim.Annotations)
			}
		}
		gotPV, err := PersistentVolume(outPV)
		if err != nil {
			t.Fatal(err)
		}
		if vu.SetClaimRef {
			same(t, "claimRef", &vu.ClaimRef, gotPV.Spec.ClaimRef)
		}
		if vu.Phase != "" && gotPV.Status.Phase != vu.Phase {
			t.Fatalf("volume phase %q, want %q", gotPV.Status.Phase, vu.Phase)
		}

		vr := draw[volume.VolumeResult](t, "volumeResult")
		outPV, _ = ApplyVolumeResult(pv, vr)
		unchanged(t, "volume", pvBefore, pv)
		gotPV, err = PersistentVolume(outPV)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range vr.AddFinalizers {
			if !slices.Contains(gotPV.Finalizers, f) {
				t.Fatalf("finalizers %v lack %q", gotPV.Finalizers, f)
			}
		}
		for _, f := range vr.RemoveFinalizers {
			if slices.Contains(gotPV.Finalizers, f) && !slices.Contains(vr.AddFinalizers, f) {
				t.Fatalf("finalizer %q not removed: %v", f, gotPV.Finalizers)
			}
		}
		if vr.ClearClaimRef && gotPV.Spec.ClaimRef != nil {
			t.Fatal("claimRef not cleared")
		}
		// The controller writes phase and message (updateVolumePhase); the
		// reason stays the volume's.
		if (vr.Phase != "" || vr.Action != volume.VolumeNone) && (gotPV.Status.Phase != vr.Status.Phase || gotPV.Status.Message != vr.Status.Message) {
			t.Fatalf("volume status %+v, want %+v", gotPV.Status, vr.Status)
		}
		for key, v := range vr.SetAnnotations {
			if gotPV.Annotations[key] != v && !slices.Contains(vr.RemoveAnnotations, key) && !(vr.ClearClaimRef && key == volume.AnnBoundByController) {
				t.Fatalf("annotation %s=%q, want %q", key, gotPV.Annotations[key], v)
			}
		}
	})
}

// The statuses a caller writes read back as computed.
func TestComputedStatusesReadBack(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		st := draw[job.Status](t, "jobStatus")
		zeroFields(&st, "Backoff")
		_, back := Job(V1Job(job.Job{}, st))
		same(t, "Job status", st, back)

		cs := draw[cronjob.Status](t, "cronJobStatus")
		same(t, "CronJob status", cs, CronJob(V1CronJob(cronjob.CronJob{Status: cs})).Status)

		ss := draw[statefulset.Status](t, "statefulSetStatus")
		base := &appsv1.StatefulSet{}
		base.Status.Conditions = []appsv1.StatefulSetCondition{{Type: "Old"}}
		sts := StatefulSetStatus(base, ss)
		same(t, "StatefulSet status", ss, StatefulSet(&appsv1.StatefulSet{Status: sts}, nil).Status)

		ds := draw[daemonset.Status](t, "daemonSetStatus")
		cc := int32(3)
		dsObj := &appsv1.DaemonSet{Status: appsv1.DaemonSetStatus{CollisionCount: &cc}}
		out := DaemonSetStatus(dsObj, ds)
		same(t, "DaemonSet status", ds, DaemonSetStatusOf(out))
		if out.CollisionCount == nil || *out.CollisionCount != 3 {
			t.Fatal("the collision count the planner does not compute was dropped")
		}
	})
}

// In-use protection decisions read back: the finalizer is there after Add
// and Keep (Keep on a claim that has it), gone after Remove, the other
// finalizers untouched; a decision that writes Unused leaves the claim
// with the decision's conditions. ClaimProtection and VolumeProtection
// make the decisions, on claims and volumes drawn field by field.
func TestProtectionReadsBack(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := draw[volume.Claim](t, "claim")
		if rapid.Bool().Draw(t, "hasFinalizer") {
			c.Finalizers = append(c.Finalizers, volume.FinalizerPVCProtection)
		}
		pods := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) volume.Pod {
			p := draw[volume.Pod](t, "pod")
			p.Namespace = c.Namespace
			if rapid.Bool().Draw(t, "uses") {
				p.Claims = append(p.Claims, c.Name)
			}
			return p
		}), 0, 3).Draw(t, "pods")
		rel := volume.Release{Version: rapid.SampledFrom([]string{"1.34", "1.35", "1.36", "1.37"}).Draw(t, "release")}
		p, err := volume.ClaimProtection(c, pods, eventTime, rel)
		if err != nil {
			t.Fatal(err)
		}
		k := V1PersistentVolumeClaim(c)
		before := k.DeepCopy()
		out := ApplyClaimProtection(k, p)
		unchanged(t, "claim", before, k)
		back, err := PersistentVolumeClaim(out)
		if err != nil {
			t.Fatal(err)
		}
		checkFinalizer(t, c.Finalizers, back.Finalizers, volume.FinalizerPVCProtection, p.Action)
		if p.Unused != nil {
			same(t, "claim conditions", p.Conditions, back.Status.Conditions)
		} else {
			same(t, "claim conditions", c.Status.Conditions, back.Status.Conditions)
		}

		v := draw[volume.Volume](t, "volume")
		if rapid.Bool().Draw(t, "volumeHasFinalizer") {
			v.Finalizers = append(v.Finalizers, volume.FinalizerPVProtection)
		}
		vp := volume.VolumeProtection(v)
		pvBack, err := PersistentVolume(ApplyVolumeProtection(V1PersistentVolume(v), vp))
		if err != nil {
			t.Fatal(err)
		}
		checkFinalizer(t, v.Finalizers, pvBack.Finalizers, volume.FinalizerPVProtection, vp.Action)
	})
}

func checkFinalizer(t *rapid.T, before, after []string, f string, a volume.FinalizerAction) {
	t.Helper()
	had, has := slices.Contains(before, f), slices.Contains(after, f)
	want := had
	switch a {
	case volume.FinalizerAdd:
		want = true
	case volume.FinalizerRemove:
		want = false
	}
	if has != want {
		t.Fatalf("%s action %s: finalizer present %v, want %v (%v -> %v)", f, a, has, want, before, after)
	}
	others := func(fs []string) []string { return without(fs, f) }
	same(t, "other finalizers", others(before), others(after))
}
