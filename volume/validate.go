package volume

import (
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/purectl/purectl/internal/field"
	"github.com/purectl/purectl/internal/labels"
	"github.com/purectl/purectl/internal/nodeselector"
)

var (
	supportedAccessModes    = []string{string(ReadOnlyMany), string(ReadWriteMany), string(ReadWriteOnce), string(ReadWriteOncePod)}
	supportedVolumeModes    = []string{string(Block), string(Filesystem)}
	supportedReclaimPolices = []string{string(Delete), string(Recycle), string(Retain)}
	supportedHostPathTypes  = []string{"", string(HostPathBlockDevice), string(HostPathCharDevice), string(HostPathDirectory),
		string(HostPathDirectoryOrCreate), string(HostPathFile), string(HostPathFileOrCreate), string(HostPathSocket)}
)

// ValidateVolume checks a PersistentVolume as the API server's
// ValidatePersistentVolume does (spec §10) and returns nil or a
// *FieldErrors. Field paths are those of the API object
// (spec.capacity[storage], spec.hostPath.type, ...).
func ValidateVolume(v *Volume) error {
	return validateVolume(v).ToAggregate()
}

// volumeWarnings is what validation would reject in a volume, nil for a
// valid one.
func volumeWarnings(v *Volume) []*FieldError {
	if errs := validateVolume(v); len(errs) > 0 {
		return errs
	}
	return nil
}

func validateVolume(v *Volume) field.ErrorList {
	var errs field.ErrorList
	if v.Name == "" {
		errs = append(errs, field.Required(field.NewPath("metadata", "name"), "name or generateName is required"))
	} else if strings.ContainsAny(v.Name, "/%") || v.Name == "." || v.Name == ".." {
		errs = append(errs, field.Invalid(field.NewPath("metadata", "name"), v.Name, "may not contain '/' or '%' and may not be '.' or '..'"))
	}
	spec := field.NewPath("spec")
	s := &v.Spec
	errs = append(errs, validateModes(s.AccessModes, spec.Child("accessModes"), "must specify at least 1 access mode")...)

	cp := spec.Child("capacity")
	if !s.Capacity.IsSet() && len(s.OtherCapacity) == 0 {
		errs = append(errs, field.Required(cp, ""))
	}
	if !s.Capacity.IsSet() || len(s.OtherCapacity) > 0 {
		errs = append(errs, field.NotSupported(cp, capacityKeys(s), []string{"storage"}))
	}
	if s.Capacity.IsSet() {
		errs = append(errs, validateStorageQuantity(s.Capacity, cp.Key("storage"), true)...)
	}
	for _, k := range slices.Sorted(maps.Keys(s.OtherCapacity)) {
		errs = append(errs, validateStorageQuantity(s.OtherCapacity[k], cp.Key(k), true)...)
	}

	if s.ReclaimPolicy != "" && !slices.Contains(supportedReclaimPolices, string(s.ReclaimPolicy)) {
		errs = append(errs, field.NotSupported(spec.Child("persistentVolumeReclaimPolicy"), string(s.ReclaimPolicy), supportedReclaimPolices))
	}
	if s.StorageClassName != "" {
		if m := labels.DNSSubdomainProblem(s.StorageClassName); m != "" {
			errs = append(errs, field.Invalid(spec.Child("storageClassName"), s.StorageClassName, m))
		}
	}
	if s.VolumeMode != "" && !slices.Contains(supportedVolumeModes, string(s.VolumeMode)) {
		errs = append(errs, field.NotSupported(spec.Child("volumeMode"), string(s.VolumeMode), supportedVolumeModes))
	}
	if s.VolumeAttributesClassName != nil {
		name := *s.VolumeAttributesClassName
		if name == "" {
			errs = append(errs, field.Required(spec.Child("volumeAttributesClassName"), "an empty string is disallowed"))
		} else if m := labels.DNSSubdomainProblem(name); m != "" {
			errs = append(errs, field.Invalid(spec.Child("volumeAttributesClassName"), name, m))
		}
		if s.Source.CSI == nil {
			errs = append(errs, field.Required(spec.Child("csi"), "has to be specified when using volumeAttributesClassName"))
		}
	}
	if s.NodeAffinity != nil {
		errs = append(errs, nodeselector.Validate(s.NodeAffinity, spec.Child("nodeAffinity", "required"))...)
	}
	errs = append(errs, validateSource(s, spec)...)
	return errs
}

// validateSource counts the volume sources in the API server's order
// (hostPath, nfs, other in-tree types, local, csi) and checks each.
func validateSource(s *VolumeSpec, spec *field.Path) field.ErrorList {
	var errs field.ErrorList
	n := 0
	count := func(p *field.Path) bool {
		if n > 0 {
			errs = append(errs, field.Forbidden(p, "may not specify more than 1 volume type"))
			return false
		}
		n++
		return true
	}
	src := &s.Source
	if src.HostPath != nil && count(spec.Child("hostPath")) {
		p := spec.Child("hostPath")
		errs = append(errs, validateLocalPath(src.HostPath.Path, p.Child("path"))...)
		if t := src.HostPath.Type; t != nil && !slices.Contains(supportedHostPathTypes, string(*t)) {
			errs = append(errs, field.NotSupported(p.Child("type"), string(*t), supportedHostPathTypes))
		}
		if s.ReclaimPolicy == Recycle && path.Clean(src.HostPath.Path) == "/" {
			errs = append(errs, field.Forbidden(spec.Child("persistentVolumeReclaimPolicy"), "may not be 'recycle' for a hostPath mount of '/'"))
		}
	}
	if src.NFS != nil && count(spec.Child("nfs")) {
		p := spec.Child("nfs")
		if src.NFS.Server == "" {
			errs = append(errs, field.Required(p.Child("server"), ""))
		}
		if src.NFS.Path == "" {
			errs = append(errs, field.Required(p.Child("path"), ""))
		} else if !strings.HasPrefix(src.NFS.Path, "/") {
			errs = append(errs, field.Invalid(p.Child("path"), src.NFS.Path, "must be an absolute path"))
		}
	}
	if src.Other != "" && count(spec.Child(src.Other)) {
		// Not modelled further: the adapter vouches for it.
		_ = src.Other
	}
	if src.Local != nil && count(spec.Child("local")) {
		errs = append(errs, validateLocalPath(src.Local.Path, spec.Child("local", "path"))...)
		if s.NodeAffinity == nil {
			errs = append(errs, field.Required(spec.Child("nodeAffinity"), "Local volume requires node affinity"))
		}
	}
	if src.CSI != nil && count(spec.Child("csi")) {
		p := spec.Child("csi")
		if src.CSI.Driver == "" {
			errs = append(errs, field.Required(p.Child("driver"), ""))
		}
		if src.CSI.VolumeHandle == "" {
			errs = append(errs, field.Required(p.Child("volumeHandle"), ""))
		}
	}
	if n == 0 {
		errs = append(errs, field.Required(spec, "must specify a volume type"))
	}
	return errs
}

func validateLocalPath(p string, fp *field.Path) field.ErrorList {
	if p == "" {
		return field.ErrorList{field.Required(fp, "")}
	}
	for _, part := range strings.Split(p, "/") {
		if part == ".." {
			return field.ErrorList{field.Invalid(fp, p, "must not contain '..'")}
		}
	}
	return nil
}

func validateModes(ms []AccessMode, p *field.Path, missing string) field.ErrorList {
	if len(ms) == 0 {
		return field.ErrorList{field.Required(p, missing)}
	}
	var errs field.ErrorList
	rwop := false
	for _, m := range ms {
		if modeBit(m) == 0 {
			errs = append(errs, field.NotSupported(p, string(m), supportedAccessModes))
		}
		if m == ReadWriteOncePod {
			rwop = true
		}
	}
	if rwop && len(ms) > 1 {
		errs = append(errs, field.Forbidden(p, "may not use ReadWriteOncePod with other access modes"))
	}
	return errs
}

// validateStorageQuantity applies the basic resource check (not negative) and
// the positive check of storage amounts.
func validateStorageQuantity(q Quantity, p *field.Path, basic bool) field.ErrorList {
	var errs field.ErrorList
	if basic && q.Sign() < 0 {
		errs = append(errs, field.Invalid(p, q.String(), "must be a valid resource quantity"))
	}
	if q.Sign() <= 0 {
		errs = append(errs, field.Invalid(p, q.String(), "must be greater than zero"))
	}
	return errs
}

func capacityKeys(s *VolumeSpec) string {
	keys := slices.Sorted(maps.Keys(s.OtherCapacity))
	if s.Capacity.IsSet() {
		keys = append([]string{"storage"}, keys...)
	}
	return "{" + strings.Join(keys, ", ") + "}"
}

// ValidateClaim checks a PersistentVolumeClaim as the API server's
// ValidatePersistentVolumeClaim does (spec §10) and returns nil or a
// *FieldErrors.
func ValidateClaim(c *Claim) error {
	if claimLooksValid(c) {
		return nil
	}
	return validateClaim(c).ToAggregate()
}

// claimLooksValid is an allocation-free pass over the rules of
// validateClaim; only a claim it refuses gets the full, error-building pass.
// claimWarnings is what validation would reject in a claim, nil for a valid
// one (without allocating).
func claimWarnings(c *Claim) []*FieldError {
	if claimLooksValid(c) {
		return nil
	}
	return validateClaim(c)
}

func claimLooksValid(c *Claim) bool {
	if c.Name == "" || c.Namespace == "" || len(c.Spec.AccessModes) == 0 {
		return false
	}
	for _, m := range c.Spec.AccessModes {
		if modeBit(m) == 0 || m == ReadWriteOncePod && len(c.Spec.AccessModes) > 1 {
			return false
		}
	}
	if c.Spec.Request.Sign() <= 0 {
		return false
	}
	if sc := c.Spec.StorageClassName; sc != nil && *sc != "" && !labels.IsDNSSubdomain(*sc) {
		return false
	}
	if c.Spec.VolumeMode != "" && c.Spec.VolumeMode != Block && c.Spec.VolumeMode != Filesystem {
		return false
	}
	if vc := c.Spec.VolumeAttributesClassName; vc != nil && *vc != "" && !labels.IsDNSSubdomain(*vc) {
		return false
	}
	if s := c.Spec.Selector; s != nil {
		for k, v := range s.MatchLabels {
			if !labels.IsQualifiedName(k) || !labels.IsValidLabelValue(v) {
				return false
			}
		}
		for i := range s.MatchExpressions {
			r := &s.MatchExpressions[i]
			switch r.Operator {
			case labels.OpIn, labels.OpNotIn:
				if len(r.Values) == 0 {
					return false
				}
			case labels.OpExists, labels.OpDoesNotExist:
				if len(r.Values) > 0 {
					return false
				}
			default:
				return false
			}
			if !labels.IsQualifiedName(r.Key) {
				return false
			}
			for _, v := range r.Values {
				if !labels.IsValidLabelValue(v) {
					return false
				}
			}
		}
	}
	return true
}

func validateClaim(c *Claim) field.ErrorList {
	var errs field.ErrorList
	if c.Name == "" {
		errs = append(errs, field.Required(field.NewPath("metadata", "name"), "name or generateName is required"))
	}
	if c.Namespace == "" {
		errs = append(errs, field.Required(field.NewPath("metadata", "namespace"), ""))
	}
	spec := field.NewPath("spec")
	s := &c.Spec
	errs = append(errs, validateModes(s.AccessModes, spec.Child("accessModes"), "at least 1 access mode is required")...)
	if s.Selector != nil {
		errs = append(errs, labels.Validate(s.Selector, spec.Child("selector"))...)
	}
	if !s.Request.IsSet() {
		errs = append(errs, field.Required(spec.Child("resources").Key("storage"), ""))
	} else {
		errs = append(errs, validateStorageQuantity(s.Request, spec.Child("resources", "requests").Key("storage"), false)...)
	}
	if sc := s.StorageClassName; sc != nil && *sc != "" {
		if m := labels.DNSSubdomainProblem(*sc); m != "" {
			errs = append(errs, field.Invalid(spec.Child("storageClassName"), *sc, m))
		}
	}
	if s.VolumeMode != "" && !slices.Contains(supportedVolumeModes, string(s.VolumeMode)) {
		errs = append(errs, field.NotSupported(spec.Child("volumeMode"), string(s.VolumeMode), supportedVolumeModes))
	}
	if vc := s.VolumeAttributesClassName; vc != nil && *vc != "" {
		if m := labels.DNSSubdomainProblem(*vc); m != "" {
			errs = append(errs, field.Invalid(spec.Child("volumeAttributesClassName"), *vc, m))
		}
	}
	return errs
}
