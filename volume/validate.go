package volume

import (
	"maps"
	"math/big"
	"path"
	"slices"
	"strconv"
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

// ValidateVolume checks a PersistentVolume as the release's API server
// checks a new one (ValidatePersistentVolume) and returns nil or a
// *FieldErrors. Field paths are those of the API object
// (spec.capacity[storage], spec.hostPath.type, ...). With the
// VolumeAttributesClass gate off (1.34 and 1.35 only)
// spec.volumeAttributesClassName is not checked. An unsupported release is
// an error of its own.
func ValidateVolume(v *Volume, rel Release) error {
	if err := field.CheckRelease(rel); err != nil {
		return err
	}
	return validateVolume(v, rel).ToAggregate()
}

// volumeWarnings is what validation would reject in a volume, nil for a
// valid one.
func volumeWarnings(v *Volume, rel Release) []*FieldError {
	if errs := validateVolume(v, rel); len(errs) > 0 {
		return errs
	}
	return nil
}

func validateVolume(v *Volume, rel Release) field.ErrorList {
	var errs field.ErrorList
	if v.Name == "" {
		errs = append(errs, field.Required(field.NewPath("metadata", "name"), "name or generateName is required"))
	} else {
		errs = append(errs, subdomainErrors(field.NewPath("metadata", "name"), v.Name)...)
	}
	spec := field.NewPath("spec")
	s := &v.Spec
	if len(s.AccessModes) == 0 {
		errs = append(errs, field.Required(spec.Child("accessModes"), ""))
	}
	errs = append(errs, validateModeValues(s.AccessModes, spec.Child("accessModes"))...)

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
	if s.NodeAffinity != nil {
		errs = append(errs, nodeselector.Validate(s.NodeAffinity, spec.Child("nodeAffinity", "required"), labels.WordsFor(rel))...)
	}
	errs = append(errs, validateSource(s, spec, rel)...)
	if hp := s.Source.HostPath; hp != nil && s.ReclaimPolicy == Recycle && path.Clean(hp.Path) == "/" {
		errs = append(errs, field.Forbidden(spec.Child("persistentVolumeReclaimPolicy"), "may not be 'recycle' for a hostPath mount of '/'"))
	}
	if s.StorageClassName != "" {
		errs = append(errs, subdomainErrors(spec.Child("storageClassName"), s.StorageClassName)...)
	}
	if s.VolumeMode != "" && !slices.Contains(supportedVolumeModes, string(s.VolumeMode)) {
		errs = append(errs, field.NotSupported(spec.Child("volumeMode"), string(s.VolumeMode), supportedVolumeModes))
	}
	if s.VolumeAttributesClassName != nil && vacEnabled(rel) {
		name := *s.VolumeAttributesClassName
		if name == "" {
			errs = append(errs, field.Required(spec.Child("volumeAttributesClassName"), "an empty string is disallowed"))
		} else {
			errs = append(errs, subdomainErrors(spec.Child("volumeAttributesClassName"), name)...)
		}
		if s.Source.CSI == nil {
			errs = append(errs, field.Required(spec.Child("csi"), "has to be specified when using volumeAttributesClassName"))
		}
	}
	return errs
}

// validateSource counts the volume sources in the API server's order
// (hostPath, nfs, other in-tree types, local, csi) and checks the first.
func validateSource(s *VolumeSpec, spec *field.Path, rel Release) field.ErrorList {
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
		if src.HostPath.Path == "" {
			errs = append(errs, field.Required(p.Child("path"), ""))
		} else {
			errs = append(errs, validateLocalPath(src.HostPath.Path, p.Child("path"))...)
			if t := src.HostPath.Type; t != nil && !slices.Contains(supportedHostPathTypes, string(*t)) {
				errs = append(errs, field.NotSupported(p.Child("type"), string(*t), supportedHostPathTypes))
			}
		}
	}
	if src.NFS != nil && count(spec.Child("nfs")) {
		p := spec.Child("nfs")
		if src.NFS.Server == "" {
			errs = append(errs, field.Required(p.Child("server"), ""))
		}
		if src.NFS.Path == "" {
			errs = append(errs, field.Required(p.Child("path"), ""))
		}
		if !strings.HasPrefix(src.NFS.Path, "/") {
			errs = append(errs, field.Invalid(p.Child("path"), src.NFS.Path, "must be an absolute path"))
		}
	}
	if src.Other != "" {
		// Checked no further: the adapter vouches for it.
		count(spec.Child(src.Other))
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
		// ValidateCSIDriverName stops at an empty driver from 1.35; 1.34
		// goes on to report it as an invalid name too.
		if src.CSI.Driver != "" || !rel.AtLeast("1.35") {
			if len(src.CSI.Driver) > 63 {
				errs = append(errs, field.TooLong(p.Child("driver"), 63))
			}
			for _, e := range subdomainErrors(p.Child("driver"), strings.ToLower(src.CSI.Driver)) {
				e.BadValue = src.CSI.Driver
				errs = append(errs, e)
			}
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

// subdomainErrors is the API server's name check (NameIsDNSSubdomain,
// used for object and class names): one Invalid error per failed rule, the
// length limit first, in the words the API server prints.
func subdomainErrors(p *field.Path, v string) field.ErrorList {
	var errs field.ErrorList
	for _, m := range labels.DNSSubdomainErrors(v) {
		errs = append(errs, field.Invalid(p, v, m))
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

// validateModeValues reports unknown access modes and ReadWriteOncePod
// next to another known mode (a repeated ReadWriteOncePod, or one beside an
// unknown mode, is not mixing).
func validateModeValues(ms []AccessMode, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	rwop, other := false, false
	for _, m := range ms {
		switch {
		case modeBit(m) == 0:
			errs = append(errs, field.NotSupported(p, string(m), supportedAccessModes))
		case m == ReadWriteOncePod:
			rwop = true
		default:
			other = true
		}
	}
	if rwop && other {
		errs = append(errs, field.Forbidden(p, "may not use ReadWriteOncePod with other access modes"))
	}
	return errs
}

// ceilWhole is q in whole bytes rounded up, when that fits an int64.
func ceilWhole(q Quantity) (int64, bool) {
	if !q.big {
		return q.i, true
	}
	n, ok := new(big.Int).SetString(q.nanos(), 10)
	if !ok {
		return 0, false
	}
	var r big.Int
	n.QuoRem(n, bigBillion, &r)
	if !q.neg() && r.Sign() != 0 {
		n.Add(n, big.NewInt(1))
	}
	if q.neg() {
		n.Neg(n)
	}
	return n.Int64(), n.IsInt64()
}

// validateStorageQuantity applies the basic resource check (not negative) and
// the positive check of storage amounts.
func validateStorageQuantity(q Quantity, p *field.Path, basic bool) field.ErrorList {
	var errs field.ErrorList
	// The basic check reads the value as whole bytes rounded up
	// (Quantity.Value), so -0.5 passes it and -1.5 fails as -1.
	if basic && q.Sign() < 0 {
		if n, ok := ceilWhole(q); ok && n < 0 {
			errs = append(errs, field.Invalid(p, n, "must be a valid resource quantity"))
		}
	}
	if q.Sign() <= 0 {
		errs = append(errs, field.Invalid(p, q.String(), "must be greater than zero"))
	}
	return errs
}

// capacityValue prints spec.capacity as the API server prints a resource
// list in an error: JSON, keys sorted, quantities as text.
type capacityValue string

func (c capacityValue) String() string { return string(c) }

func capacityKeys(s *VolumeSpec) capacityValue {
	all := map[string]Quantity{}
	for k, q := range s.OtherCapacity {
		all[k] = q
	}
	if s.Capacity.IsSet() {
		all["storage"] = s.Capacity
	}
	if len(all) == 0 {
		return "null"
	}
	parts := make([]string, 0, len(all))
	for _, k := range slices.Sorted(maps.Keys(all)) {
		parts = append(parts, strconv.Quote(k)+":"+strconv.Quote(all[k].String()))
	}
	return capacityValue("{" + strings.Join(parts, ",") + "}")
}

// ValidateClaim checks a PersistentVolumeClaim as the release's API server
// checks a new one (ValidatePersistentVolumeClaim) and returns nil or a
// *FieldErrors. With the VolumeAttributesClass gate off (1.34 and 1.35
// only) spec.volumeAttributesClassName is not checked. An unsupported
// release is an error of its own.
func ValidateClaim(c *Claim, rel Release) error {
	if err := field.CheckRelease(rel); err != nil {
		return err
	}
	vac := vacEnabled(rel)
	if claimLooksValid(c, vac) {
		return nil
	}
	return validateClaim(c, vac, labels.WordsFor(rel)).ToAggregate()
}

// claimWarnings is what validation would reject in a claim, nil for a valid
// one (without allocating).
func claimWarnings(c *Claim, rel Release) []*FieldError {
	vac := vacEnabled(rel)
	if claimLooksValid(c, vac) {
		return nil
	}
	return validateClaim(c, vac, labels.WordsFor(rel))
}

// claimLooksValid is an allocation-free pass over the rules of
// validateClaim; only a claim it refuses gets the full, error-building pass.
func claimLooksValid(c *Claim, vac bool) bool {
	if !labels.IsDNSSubdomain(c.Name) || c.Namespace == "" || len(c.Spec.AccessModes) == 0 {
		return false
	}
	rwop, other := false, false
	for _, m := range c.Spec.AccessModes {
		switch {
		case modeBit(m) == 0:
			return false
		case m == ReadWriteOncePod:
			rwop = true
		default:
			other = true
		}
	}
	if rwop && other {
		return false
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
	if vc := c.Spec.VolumeAttributesClassName; vac && vc != nil && *vc != "" && !labels.IsDNSSubdomain(*vc) {
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

func validateClaim(c *Claim, vac bool, w labels.Words) field.ErrorList {
	var errs field.ErrorList
	if c.Name == "" {
		errs = append(errs, field.Required(field.NewPath("metadata", "name"), "name or generateName is required"))
	} else {
		errs = append(errs, subdomainErrors(field.NewPath("metadata", "name"), c.Name)...)
	}
	if c.Namespace == "" {
		errs = append(errs, field.Required(field.NewPath("metadata", "namespace"), ""))
	}
	spec := field.NewPath("spec")
	s := &c.Spec
	if len(s.AccessModes) == 0 {
		errs = append(errs, field.Required(spec.Child("accessModes"), "at least 1 access mode is required"))
	}
	if s.Selector != nil {
		errs = append(errs, w.Validate(s.Selector, spec.Child("selector"))...)
	}
	errs = append(errs, validateModeValues(s.AccessModes, spec.Child("accessModes"))...)
	if !s.Request.IsSet() {
		errs = append(errs, field.Required(spec.Child("resources").Key("storage"), ""))
	} else {
		errs = append(errs, validateStorageQuantity(s.Request, spec.Child("resources").Key("storage"), false)...)
	}
	if sc := s.StorageClassName; sc != nil && *sc != "" {
		errs = append(errs, subdomainErrors(spec.Child("storageClassName"), *sc)...)
	}
	if s.VolumeMode != "" && !slices.Contains(supportedVolumeModes, string(s.VolumeMode)) {
		errs = append(errs, field.NotSupported(spec.Child("volumeMode"), string(s.VolumeMode), supportedVolumeModes))
	}
	if vc := s.VolumeAttributesClassName; vac && vc != nil && *vc != "" {
		errs = append(errs, subdomainErrors(spec.Child("volumeAttributesClassName"), *vc)...)
	}
	return errs
}
