package main

import (
	"fmt"
	"io"

	"github.com/purectl/purectl/volume"
)

func init() { register(50, "Volumes: binding claims, reclaiming volumes", volumeChapter) }

// volumeChapter binds a claim to the best of several volumes, explains a
// claim that stays Pending, and follows the bound volume to Released when
// its claim is deleted.
func volumeChapter(w io.Writer) error {
	mk := func(name, size, class string, modes ...volume.AccessMode) volume.Volume {
		return volume.Volume{
			Name:   name,
			Status: volume.VolumeStatus{Phase: volume.VolumeAvailable},
			Spec: volume.VolumeSpec{
				Capacity:         volume.MustParseQuantity(size),
				AccessModes:      modes,
				StorageClassName: class,
				ReclaimPolicy:    volume.Retain,
				Source:           volume.VolumeSource{NFS: &volume.NFSSource{Server: "nfs.example.com", Path: "/exports/" + name}},
			},
		}
	}
	slow := "slow"
	immediate := volume.Immediate
	opts := volume.Options{Classes: []volume.StorageClass{{Name: "slow", Provisioner: "nfs.csi.k8s.io", VolumeBindingMode: &immediate}}}
	pvs := []volume.Volume{
		mk("nfs-slow-2g", "2Gi", "slow", volume.ReadWriteMany),
		mk("nfs-slow-10g", "10Gi", "slow", volume.ReadWriteMany),
		mk("nfs-slow-1g-rox", "1Gi", "slow", volume.ReadWriteMany, volume.ReadOnlyMany),
		mk("nfs-fast-5g", "5Gi", "fast", volume.ReadWriteMany),
	}
	fmt.Fprintln(w, "Volumes:")
	for _, v := range pvs {
		fmt.Fprintf(w, "  %-16s %-5s class %-5s modes %v\n", v.Name, v.Spec.Capacity, v.Spec.StorageClassName, v.Spec.AccessModes)
	}

	claim := volume.Claim{Namespace: "web", Name: "shared", UID: "7f3c", Spec: volume.ClaimSpec{
		AccessModes: []volume.AccessMode{volume.ReadWriteMany}, Request: volume.MustParseQuantity("1500Mi"), StorageClassName: &slow}}
	fmt.Fprintf(w, "\nClaim web/shared asks for %s ReadWriteMany of class slow.\n", claim.Spec.Request)
	r, err := volume.BindPVC(pvs, claim, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  %s %s (%s): %s\n", r.Action, r.Volume, r.Reason, r.Message)
	fmt.Fprintf(w, "  the claim reports %s, the volume's full size\n", r.Status.Capacity)
	fmt.Fprintln(w, "  why not the others:")
	for _, x := range volume.Explain(pvs, &claim, volume.MatchOptions{Release: opts.Release}) {
		if x.Reason != volume.Chosen {
			fmt.Fprintf(w, "    %-16s %s\n", x.Volume, x.Reason)
		}
	}

	big := claim
	big.Name, big.UID, big.Spec.Request = "archive", "8e21", volume.MustParseQuantity("50Gi")
	fmt.Fprintf(w, "\nClaim web/archive asks for %s: no volume is big enough; class slow provisions with nfs.csi.k8s.io.\n", big.Spec.Request)
	rb, err := volume.BindPVC(pvs, big, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  %s (%s): %s\n", rb.Action, rb.Reason, rb.Message)
	fmt.Fprintf(w, "  the claim gets annotation %s=%s; the new volume will be %s with policy %s\n",
		volume.AnnStorageProvisioner, rb.ClaimUpdate.StorageProvisioner, rb.Provision.VolumeName, rb.Provision.ReclaimPolicy)

	// Apply the first binding and delete the claim.
	pv := pvs[r.Index]
	ref := r.VolumeUpdate.ClaimRef
	pv.Spec.ClaimRef = &ref
	pv.Status.Phase = r.VolumeUpdate.Phase
	fmt.Fprintf(w, "\nClaim web/shared is deleted; volume %s has policy %s.\n", pv.Name, pv.Spec.ReclaimPolicy)
	s, err := volume.SyncVolume(pv, nil, nil, opts.Release)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  %s -> %s (%s): %s\n", pv.Status.Phase, s.Phase, s.Reason, s.Message)

	pv.Spec.ReclaimPolicy = volume.Recycle
	pv.Status.Phase = s.Phase
	pods := []volume.Pod{{Namespace: "web", Name: "web-0", NodeName: "node-a", Phase: volume.PodRunning, Claims: []string{"shared"}}}
	s, err = volume.SyncVolume(pv, nil, pods, opts.Release)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  with Recycle while pod web-0 still runs: %s: %s\n", s.Reason, s.Message)
	s, err = volume.SyncVolume(pv, nil, nil, opts.Release)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  with Recycle once it is gone: %s by %s, then %s\n", s.Action, s.Plugin, s.Phase)

	// Where validation and the controller differ, the controller wins.
	odd := claim
	odd.Name, odd.UID = "legacy", "9a04"
	odd.Spec.AccessModes = []volume.AccessMode{volume.ReadWriteMany, volume.ReadWriteOncePod}
	fmt.Fprintln(w, "\nClaim web/legacy mixes ReadWriteOncePod with ReadWriteMany, which the API server refuses today;")
	fmt.Fprintln(w, "an older cluster may still hold it, and the controller acts on it:")
	ro, err := volume.BindPVC(pvs, odd, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  %s (%s): %s\n", ro.Action, ro.Reason, ro.Message)
	for _, x := range ro.Warnings {
		fmt.Fprintf(w, "  warning: %s\n", x)
	}
	return nil
}
