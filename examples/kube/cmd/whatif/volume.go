package main

import (
	"fmt"
	"io"

	v1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"

	"github.com/purectl/purectl/examples/kube/adapt"
	"github.com/purectl/purectl/examples/kube/manifest"
	"github.com/purectl/purectl/volume"
)

func init() {
	reporters["PersistentVolumeClaim"] = reportVolumes
	reporters["PersistentVolume"] = reportVolumes
	groups["PersistentVolumeClaim"] = "volumes"
	groups["PersistentVolume"] = "volumes"
}

// reportVolumes binds every claim of the manifests, in order, against the
// volumes of the manifests, each bound volume taken for later claims, as the
// PV controller would over successive passes.
func reportVolumes(c *cluster, _ manifest.Object, w io.Writer, rep *report) error {
	var pvs []*v1.PersistentVolume
	var claims []*v1.PersistentVolumeClaim
	var classes []volume.StorageClass
	for _, o := range c.all() {
		switch obj := o.Obj.(type) {
		case *v1.PersistentVolume:
			pvs = append(pvs, obj)
		case *v1.PersistentVolumeClaim:
			claims = append(claims, obj)
		case *storagev1.StorageClass:
			classes = append(classes, adapt.StorageClass(obj))
		}
	}
	ours := make([]volume.Volume, len(pvs))
	for i, pv := range pvs {
		v, err := adapt.PersistentVolume(pv)
		if err != nil {
			return fmt.Errorf("persistentvolume/%s: %w", pv.Name, err)
		}
		if err := volume.ValidateVolume(&v, volume.Release{}); err != nil {
			return fmt.Errorf("persistentvolume/%s: %w", pv.Name, err)
		}
		if v.Status.Phase == "" {
			// A volume just created is Pending until the controller makes
			// it Available; what-if looks one pass further.
			v.Status.Phase = volume.VolumeAvailable
		}
		ours[i] = v
	}
	fmt.Fprintf(w, "%d persistent volumes, %d claims\n\n", len(pvs), len(claims))
	if len(claims) == 0 {
		fmt.Fprintln(w, "No claim to bind.")
		return nil
	}
	fmt.Fprintln(w, "CLAIM\tACTION\tVOLUME\tREASON\tMESSAGE")
	var pending []string
	for _, k := range claims {
		claim, err := adapt.PersistentVolumeClaim(k)
		if err != nil {
			return fmt.Errorf("persistentvolumeclaim/%s: %w", k.Name, err)
		}
		if claim.Namespace == "" {
			claim.Namespace = "default"
		}
		if claim.UID == "" {
			claim.UID = "uid-" + claim.Name
		}
		if err := volume.ValidateClaim(&claim, volume.Release{}); err != nil {
			return fmt.Errorf("persistentvolumeclaim/%s: %w", k.Name, err)
		}
		r, err := volume.BindPVC(ours, claim, volume.Options{Classes: classes})
		if err != nil {
			return fmt.Errorf("persistentvolumeclaim/%s: %w", k.Name, err)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", claim.Name, r.Action, orDash(r.Volume), r.Reason, r.Message)
		res := rep.add("PersistentVolumeClaim", claim.Namespace, claim.Name)
		for _, e := range r.Warnings {
			res.warn(e)
		}
		object := "persistentvolume/" + r.Volume
		if r.Volume == "" {
			object = "persistentvolumeclaim/" + claim.Name
		}
		res.act(string(r.Action), object, r.Reason, r.Message)
		if r.Action == volume.ActionPending {
			res.Waiting = r.Message
		}
		if r.Action == volume.ActionBind && r.Index >= 0 {
			// The volume is taken: later claims see it bound to this one.
			ours[r.Index].Spec.ClaimRef = &volume.ObjectReference{Namespace: claim.Namespace, Name: claim.Name, UID: claim.UID}
			ours[r.Index].Status.Phase = volume.VolumeBound
		} else if r.Status.Phase != volume.ClaimBound {
			pending = append(pending, claim.Name)
			for _, rej := range volume.Explain(ours, &claim, volume.MatchOptions{}) {
				fmt.Fprintf(w, "\t  not\t%s\t%s\t%s\n", rej.Volume, rej.Reason, rej.Message)
			}
		}
	}
	if len(pending) > 0 {
		fmt.Fprintf(w, "\n%d claim(s) stay unbound: %v\n", len(pending), pending)
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
