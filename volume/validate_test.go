package volume

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/purectl/purectl/internal/field"
)

func fieldErrs(err error) []string {
	var out []string
	for _, e := range field.AsList(err) {
		out = append(out, string(e.Type)+" "+e.Field)
	}
	return out
}

// TestValidateVolume covers ValidatePersistentVolumeSpec.
func TestValidateVolume(t *testing.T) {
	hp := func(path string, typ *HostPathType) volOpt {
		return func(v *Volume) { v.Spec.Source = VolumeSource{HostPath: &HostPathSource{Path: path, Type: typ}} }
	}
	hpt := func(s string) *HostPathType { t := HostPathType(s); return &t }
	cases := []struct {
		name string
		v    Volume
		want []string
	}{
		{"valid NFS volume", pv("v", "1Gi"), nil},
		{"no access modes", pv("v", "1Gi", modes()), []string{"Required value spec.accessModes"}},
		{"unknown access mode", pv("v", "1Gi", modes("ReadSometimes")), []string{"Unsupported value spec.accessModes"}},
		{"RWOP with another mode", pv("v", "1Gi", modes(ReadWriteOncePod, ReadOnlyMany)), []string{"Forbidden spec.accessModes"}},
		{"RWOP alone", pv("v", "1Gi", modes(ReadWriteOncePod)), nil},
		{"capacity missing", pv("v", "1Gi", func(v *Volume) { v.Spec.Capacity = Quantity{} }),
			[]string{"Required value spec.capacity", "Unsupported value spec.capacity"}},
		{"capacity with another key", pv("v", "1Gi", func(v *Volume) { v.Spec.OtherCapacity = map[string]Quantity{"cpu": q("1")} }),
			[]string{"Unsupported value spec.capacity"}},
		{"capacity zero", pv("v", "0"), []string{"Invalid value spec.capacity[storage]"}},
		{"capacity negative fails both checks", pv("v", "-1Gi"),
			[]string{"Invalid value spec.capacity[storage]", "Invalid value spec.capacity[storage]"}},
		{"unknown reclaim policy", pv("v", "1Gi", func(v *Volume) { v.Spec.ReclaimPolicy = "Shred" }),
			[]string{"Unsupported value spec.persistentVolumeReclaimPolicy"}},
		{"Recycle with hostPath /", pv("v", "1Gi", hp("/", nil), func(v *Volume) { v.Spec.ReclaimPolicy = Recycle }),
			[]string{"Forbidden spec.persistentVolumeReclaimPolicy"}},
		{"Recycle CSI is accepted (runtime fails it)", pv("v", "1Gi", func(v *Volume) {
			v.Spec.ReclaimPolicy = Recycle
			v.Spec.Source = VolumeSource{CSI: &CSISource{Driver: "d", VolumeHandle: "h"}}
		}), nil},
		{"no volume source", pv("v", "1Gi", func(v *Volume) { v.Spec.Source = VolumeSource{} }), []string{"Required value spec"}},
		{"two sources: forbidden on the second", pv("v", "1Gi", func(v *Volume) { v.Spec.Source.CSI = &CSISource{Driver: "d", VolumeHandle: "h"} }),
			[]string{"Forbidden spec.csi"}},
		{"hostPath empty path", pv("v", "1Gi", hp("", nil)), []string{"Required value spec.hostPath.path"}},
		{"hostPath with ..", pv("v", "1Gi", hp("/a/../b", nil)), []string{"Invalid value spec.hostPath.path"}},
		{"hostPath bad type", pv("v", "1Gi", hp("/a", hpt("Pipe"))), []string{"Unsupported value spec.hostPath.type"}},
		{"hostPath Socket type", pv("v", "1Gi", hp("/a", hpt("Socket"))), nil},
		{"local without node affinity", pv("v", "1Gi", func(v *Volume) { v.Spec.Source = VolumeSource{Local: &LocalSource{Path: "/mnt/d"}} }),
			[]string{"Required value spec.nodeAffinity"}},
		{"bad volume mode", pv("v", "1Gi", vmode("Raw")), []string{"Unsupported value spec.volumeMode"}},
		{"bad class name", pv("v", "1Gi", class("Gold_Class")), []string{"Invalid value spec.storageClassName"}},
		{"empty volume attributes class without CSI", pv("v", "1Gi", func(v *Volume) { v.Spec.VolumeAttributesClassName = strp("") }),
			[]string{"Required value spec.volumeAttributesClassName", "Required value spec.csi"}},
		{"missing name", pv("", "1Gi"), []string{"Required value metadata.name"}},
		{"NFS without server", pv("v", "1Gi", func(v *Volume) { v.Spec.Source.NFS.Server = "" }), []string{"Required value spec.nfs.server"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := ValidateVolume(&c.v, Release{})
			if diff := cmp.Diff(c.want, fieldErrs(err)); diff != "" {
				t.Errorf("errors (-want +got):\n%s\n%v", diff, err)
			}
		})
	}
}

// TestValidateClaim covers ValidatePersistentVolumeClaimSpec (vol-valpvc-*).
func TestValidateClaim(t *testing.T) {
	cases := []struct {
		name string
		c    Claim
		want []string
	}{
		{"valid", pvc("c", "1Gi"), nil},
		{"no access modes", pvc("c", "1Gi", cmodes()), []string{"Required value spec.accessModes"}},
		{"unknown mode", pvc("c", "1Gi", cmodes("Sometimes")), []string{"Unsupported value spec.accessModes"}},
		{"RWOP mixed", pvc("c", "1Gi", cmodes(ReadWriteMany, ReadWriteOncePod)), []string{"Forbidden spec.accessModes"}},
		{"no storage request", pvc("c", "1Gi", func(c *Claim) { c.Spec.Request = Quantity{} }), []string{"Required value spec.resources[storage]"}},
		{"zero request", pvc("c", "0"), []string{"Invalid value spec.resources[storage]"}},
		{"negative request", pvc("c", "-1"), []string{"Invalid value spec.resources[storage]"}},
		{"empty class is valid", pvc("c", "1Gi", cclass("")), nil},
		{"bad class", pvc("c", "1Gi", cclass("UPPER")), []string{"Invalid value spec.storageClassName"}},
		{"bad volume mode", pvc("c", "1Gi", func(c *Claim) { c.Spec.VolumeMode = "Raw" }), []string{"Unsupported value spec.volumeMode"}},
		{"selector In without values", pvc("c", "1Gi", csel(&LabelSelector{MatchExpressions: []LabelSelectorRequirement{{Key: "a", Operator: LabelOpIn}}})),
			[]string{"Required value spec.selector.matchExpressions[0].values"}},
		{"selector Exists with values", pvc("c", "1Gi", csel(&LabelSelector{MatchExpressions: []LabelSelectorRequirement{{Key: "a", Operator: LabelOpExists, Values: []string{"x"}}}})),
			[]string{"Forbidden spec.selector.matchExpressions[0].values"}},
		{"selector bad operator", pvc("c", "1Gi", csel(&LabelSelector{MatchExpressions: []LabelSelectorRequirement{{Key: "a", Operator: "Gt", Values: []string{"1"}}}})),
			[]string{"Invalid value spec.selector.matchExpressions[0].operator"}},
		{"selector bad key", pvc("c", "1Gi", csel(&LabelSelector{MatchLabels: map[string]string{"-bad": "x"}})),
			[]string{"Invalid value spec.selector.matchLabels"}},
		{"missing namespace", pvc("c", "1Gi", func(c *Claim) { c.Namespace = "" }), []string{"Required value metadata.namespace"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := ValidateClaim(&c.c, Release{})
			if diff := cmp.Diff(c.want, fieldErrs(err)); diff != "" {
				t.Errorf("errors (-want +got):\n%s\n%v", diff, err)
			}
			if err != nil {
				var fe *FieldError
				if !errors.As(err, &fe) {
					t.Error("errors.As must find a *FieldError")
				}
			}
		})
	}
}

// From 1.35 a claim selector's label values are measured in bytes, as
// apimachinery's content.IsLabelValue words it (ValidateLabelSelector).
func TestValidateClaimSelectorWordingByRelease(t *testing.T) {
	c := pvc("c", "1Gi", csel(&LabelSelector{MatchLabels: map[string]string{"tier": strings.Repeat("v", 64)}}))
	for v, unit := range map[string]string{"1.34": "characters", "1.35": "bytes", "1.37": "bytes"} {
		err := ValidateClaim(&c, Release{Version: v})
		if err == nil || !strings.Contains(err.Error(), "spec.selector.matchLabels: Invalid value: \""+strings.Repeat("v", 64)+"\": must be no more than 63 "+unit) {
			t.Errorf("%s: %v, want the length in %s", v, err, unit)
		}
	}
}
