package volume

import "strings"

// FinalizerExternalProvisioner is the finalizer external provisioners put
// on the volumes they make, so that the asset is deleted before the object.
const FinalizerExternalProvisioner = "external-provisioner.volume.kubernetes.io/finalizer"

// migratedProvisioners maps in-tree plugin names to the CSI drivers that
// serve them in every supported release (CSI migration, on and locked for
// all of these): the PV controller treats them as external provisioners
// under the CSI driver's name and marks their objects
// pv.kubernetes.io/migrated-to.
var migratedProvisioners = map[string]string{
	"kubernetes.io/aws-ebs":         "ebs.csi.aws.com",
	"kubernetes.io/gce-pd":          "pd.csi.storage.gke.io",
	"kubernetes.io/azure-disk":      "disk.csi.azure.com",
	"kubernetes.io/azure-file":      "file.csi.azure.com",
	"kubernetes.io/cinder":          "cinder.csi.openstack.org",
	"kubernetes.io/vsphere-volume":  "csi.vsphere.vmware.com",
	"kubernetes.io/portworx-volume": "pxd.portworx.com",
}

// migrationFix is what the controller's updateMigrationAnnotations writes
// on an object whose provisioner annotation names p: migrated-to set to the
// CSI driver when migration serves p, or dropped (when not empty) otherwise.
func migrationFix(ann map[string]string, p string) (set string, remove bool) {
	cur := ann[AnnMigratedTo]
	if csi, ok := migratedProvisioners[p]; ok {
		return map[bool]string{true: "", false: csi}[cur == csi], false
	}
	return "", cur != ""
}

// claimProvisioner is the provisioner a claim's annotations name (GA key,
// else the beta key), and whether they name one.
func claimProvisioner(ann map[string]string) (string, bool) {
	if p, ok := ann[AnnStorageProvisioner]; ok {
		return p, true
	}
	p, ok := ann[AnnBetaStorageProvisioner]
	return p, ok
}

// claimMigration adds to r the migrated-to writes the controller makes on
// the claim: first when it starts the claim's sync
// (updateClaimMigrationAnnotations), then again after it wrote the
// provisioner annotations (setClaimProvisioner). They do not change the
// decision, only the claim's annotations.
func claimMigration(c *Claim, r *Result) {
	if c.Annotations == nil && r.ClaimUpdate.StorageProvisioner == "" {
		return
	}
	orig, origPresent := c.Annotations[AnnMigratedTo]
	val, present := orig, origPresent
	apply := func(p string) {
		var ann map[string]string
		if present {
			ann = map[string]string{AnnMigratedTo: val}
		}
		switch set, remove := migrationFix(ann, p); {
		case set != "":
			val, present = set, true
		case remove:
			val, present = "", false
		}
	}
	if p, ok := claimProvisioner(c.Annotations); ok {
		apply(p)
	}
	if p := r.ClaimUpdate.StorageProvisioner; p != "" {
		apply(p)
	}
	switch {
	case present && (!origPresent || val != orig):
		r.ClaimUpdate.SetAnnotations = map[string]string{AnnMigratedTo: val}
	case !present && origPresent:
		r.ClaimUpdate.RemoveAnnotations = []string{AnnMigratedTo}
	}
}

// annealVolume is the first step of the controller's volume sync
// (updateVolumeMigrationAnnotationsAndFinalizers) for a volume that names
// its provisioner: migrated-to kept in step with CSI migration; and, for an
// in-tree provisioner not served by CSI, the kubernetes.io/pv-controller
// finalizer present exactly under policy Delete and the external
// provisioner's finalizer dropped. It returns the volume as the rest of the
// sync sees it (a copy when anything changed) and the writes.
func annealVolume(v *Volume) (*Volume, VolumeResult) {
	var w VolumeResult
	p, ok := v.Annotations[AnnProvisionedBy]
	if !ok {
		return v, w
	}
	out := *v
	if set, remove := migrationFix(v.Annotations, p); set != "" || remove {
		ann := make(map[string]string, len(v.Annotations)+1)
		for k, x := range v.Annotations {
			ann[k] = x
		}
		if set != "" {
			ann[AnnMigratedTo] = set
			w.SetAnnotations = map[string]string{AnnMigratedTo: set}
		} else {
			delete(ann, AnnMigratedTo)
			w.RemoveAnnotations = []string{AnnMigratedTo}
		}
		out.Annotations = ann
	}
	has := func(f string) bool {
		for _, x := range v.Finalizers {
			if x == f {
				return true
			}
		}
		return false
	}
	if _, migrated := migratedProvisioners[p]; migrated {
		if has(FinalizerPVController) {
			w.RemoveFinalizers = []string{FinalizerPVController}
		}
	} else if strings.HasPrefix(p, inTreePluginPrefix) {
		switch {
		case v.Spec.ReclaimPolicy == Delete && !has(FinalizerPVController):
			w.AddFinalizers = []string{FinalizerPVController}
		case (v.Spec.ReclaimPolicy == Retain || v.Spec.ReclaimPolicy == Recycle) && has(FinalizerPVController):
			w.RemoveFinalizers = []string{FinalizerPVController}
		}
		if has(FinalizerExternalProvisioner) {
			w.RemoveFinalizers = append(w.RemoveFinalizers, FinalizerExternalProvisioner)
		}
	}
	if w.AddFinalizers != nil || w.RemoveFinalizers != nil {
		fins := make([]string, 0, len(v.Finalizers)+1)
		for _, f := range v.Finalizers {
			drop := false
			for _, r := range w.RemoveFinalizers {
				drop = drop || f == r
			}
			if !drop {
				fins = append(fins, f)
			}
		}
		out.Finalizers = append(fins, w.AddFinalizers...)
	}
	return &out, w
}
