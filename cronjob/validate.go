package cronjob

import (
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/robfig/cron/v3"

	"github.com/purectl/purectl/internal/field"
	"github.com/purectl/purectl/internal/labels"
)

// maxNameLength keeps "<name>-<10 digits>" within 63 characters, the Job
// name limit.
const maxNameLength = 52

// ValidateCreate checks a new CronJob as the API server does
// (ValidateCronJobCreate): name and namespace, the schedule (it must parse
// and carry no TZ/CRON_TZ prefix: spec.timeZone is the supported way), the
// time zone, concurrencyPolicy (required: Default fills it), the
// non-negative counts, and a name of at most 52 characters; the object
// metadata as ValidateObjectMeta checks it (generation, labels,
// annotations). The job template's Job spec is not held here and not
// checked. rel is the release whose API server to follow; an unsupported
// one is the error.
func ValidateCreate(cj CronJob, rel Release) error {
	if err := checkRelease(rel); err != nil {
		return err
	}
	errs := validateMeta(cj, rel)
	errs = append(errs, validateSpec(cj.Spec, nil, parseStandard)...)
	if len(cj.Name) > maxNameLength {
		errs = append(errs, field.Invalid(field.NewPath("metadata", "name"), cj.Name, "must be no more than 52 characters"))
	}
	return errs.ToAggregate()
}

// ValidateUpdate checks cj as an update of old (ValidateCronJobUpdate):
// the generation may not go down; name, namespace, UID, creation and
// deletion time are immutable; labels and annotations are checked; a TZ
// prefix is tolerated only if old already had one (and then not together
// with spec.timeZone); the time zone is checked only when it changed; the
// name length is not re-checked. The resourceVersion an update must carry
// is the caller's business.
func ValidateUpdate(cj, old CronJob, rel Release) error {
	if err := checkRelease(rel); err != nil {
		return err
	}
	meta := field.NewPath("metadata")
	var errs field.ErrorList
	errs = append(errs, updatedGeneration(cj, old, minorOf(rel))...)
	if cj.Name != old.Name {
		errs = append(errs, field.Invalid(meta.Child("name"), cj.Name, "field is immutable"))
	}
	if cj.Namespace != old.Namespace {
		errs = append(errs, field.Invalid(meta.Child("namespace"), cj.Namespace, "field is immutable"))
	}
	if cj.UID != old.UID {
		errs = append(errs, field.Invalid(meta.Child("uid"), cj.UID, "field is immutable"))
	}
	if !cj.CreationTimestamp.Equal(old.CreationTimestamp) {
		errs = append(errs, field.Invalid(meta.Child("creationTimestamp"), cj.CreationTimestamp, "field is immutable"))
	}
	if !cj.DeletionTimestamp.Equal(old.DeletionTimestamp) {
		errs = append(errs, field.Invalid(meta.Child("deletionTimestamp"), cj.DeletionTimestamp, "field is immutable"))
	}
	errs = append(errs, validateLabelsAnnotations(cj, minorOf(rel))...)
	errs = append(errs, validateSpec(cj.Spec, &old.Spec, parseStandard)...)
	return errs.ToAggregate()
}

// Validate checks a stored CronJob as an update that changes nothing: what
// the API server would refuse the next time the object is written. CronDue
// reports the same list as Result.Warnings and still decides as the
// controller does.
func Validate(cj CronJob, rel Release) error {
	return ValidateUpdate(cj, cj, rel)
}

// validateMeta is the object-metadata check of a create: the name is a DNS
// subdomain, the namespace a DNS label.
func validateMeta(cj CronJob, rel Release) field.ErrorList {
	var errs field.ErrorList
	meta := field.NewPath("metadata")
	if cj.Name == "" {
		errs = append(errs, field.Required(meta.Child("name"), "name or generateName is required"))
	} else {
		for _, msg := range labels.DNSSubdomainErrors(cj.Name) {
			errs = append(errs, field.Invalid(meta.Child("name"), cj.Name, msg))
		}
	}
	if cj.Namespace == "" {
		errs = append(errs, field.Required(meta.Child("namespace"), ""))
	} else {
		for _, msg := range labels.DNSLabelErrors(cj.Namespace) {
			errs = append(errs, field.Invalid(meta.Child("namespace"), cj.Namespace, msg))
		}
	}
	if cj.Generation < 0 {
		errs = append(errs, field.Invalid(meta.Child("generation"), cj.Generation, "must be greater than or equal to 0"))
	}
	return append(errs, validateLabelsAnnotations(cj, minorOf(rel))...)
}

// updatedGeneration is ValidateObjectMetaUpdate's check of
// metadata.generation: never decremented, and from 1.37 never negative
// either (up to 1.36 only a create checks that).
func updatedGeneration(cj, old CronJob, rel minor) field.ErrorList {
	var errs field.ErrorList
	if cj.Generation < 0 && rel.since(37) {
		errs = append(errs, field.Invalid(field.NewPath("metadata", "generation"), cj.Generation, "must be greater than or equal to 0"))
	}
	if cj.Generation < old.Generation {
		errs = append(errs, field.Invalid(field.NewPath("metadata", "generation"), cj.Generation, "must not be decremented"))
	}
	return errs
}

// maxAnnotationBytes is the API server's limit on the total size of an
// object's annotation keys and values.
const maxAnnotationBytes = 256 * 1024

// validateLabelsAnnotations checks metadata.labels and metadata.annotations
// as ValidateObjectMeta does: label keys and values, annotation keys as
// qualified names in any case, the annotations' total size, worded as rel's
// apimachinery words them. Keys are taken in sorted order (the API server
// takes them in map order).
func validateLabelsAnnotations(cj CronJob, rel minor) field.ErrorList {
	w := labels.Words{}
	if rel.since(35) {
		w = labels.Content
	}
	var errs field.ErrorList
	if len(cj.Labels) > 0 {
		errs = w.ValidateLabels(cj.Labels, field.NewPath("metadata", "labels"))
	}
	if len(cj.Annotations) > 0 {
		errs = append(errs, validateAnnotations(cj.Annotations, w)...)
	}
	return errs
}

// validateAnnotations is ValidateAnnotations: keys are qualified names in
// any case, and keys and values together fit in 256 KiB.
func validateAnnotations(m map[string]string, w labels.Words) field.ErrorList {
	var errs field.ErrorList
	ap := field.NewPath("metadata", "annotations")
	size := 0
	for _, k := range slices.Sorted(maps.Keys(m)) {
		for _, msg := range w.QualifiedNameErrors(strings.ToLower(k)) {
			errs = append(errs, field.Invalid(ap, k, msg))
		}
		size += len(k) + len(m[k])
	}
	if size > maxAnnotationBytes {
		errs = append(errs, field.TooLong(ap, maxAnnotationBytes))
	}
	return errs
}

// validateSpec is validateCronJobSpec; old is nil on create. parse is
// parseStandard, or a pass's memo of it.
func validateSpec(s Spec, old *Spec, parse func(string) (cron.Schedule, error)) field.ErrorList {
	var errs field.ErrorList
	// Paths are built only for an error: a valid CronJob allocates nothing.
	spec := func() *field.Path { return field.NewPath("spec") }
	sp := func() *field.Path { return field.NewPath("spec", "schedule") }
	if s.Schedule == "" {
		errs = append(errs, field.Required(sp(), ""))
	} else {
		if _, err := parse(s.Schedule); err != nil {
			errs = append(errs, field.Invalid(sp(), s.Schedule, err.Error()))
		}
		allowTZ := old != nil && strings.Contains(old.Schedule, "TZ")
		hasTZ := strings.Contains(s.Schedule, "TZ")
		switch {
		case allowTZ && hasTZ && s.TimeZone != nil:
			errs = append(errs, field.Invalid(sp(), s.Schedule, "cannot use both timeZone field and TZ or CRON_TZ in schedule"))
		case !allowTZ && hasTZ:
			errs = append(errs, field.Invalid(sp(), s.Schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"))
		}
	}
	if d := s.StartingDeadlineSeconds; d != nil && *d < 0 {
		errs = append(errs, field.Invalid(spec().Child("startingDeadlineSeconds"), *d, "must be greater than or equal to 0"))
	}
	if s.TimeZone != nil && (old == nil || !sameZone(old.TimeZone, s.TimeZone)) {
		errs = append(errs, validateTimeZone(s.TimeZone, spec().Child("timeZone"))...)
	}
	switch s.ConcurrencyPolicy {
	case AllowConcurrent, ForbidConcurrent, ReplaceConcurrent:
	case "":
		errs = append(errs, field.Required(spec().Child("concurrencyPolicy"), ""))
	default:
		errs = append(errs, field.NotSupported(spec().Child("concurrencyPolicy"), string(s.ConcurrencyPolicy),
			[]string{string(AllowConcurrent), string(ForbidConcurrent), string(ReplaceConcurrent)}))
	}
	errs = append(errs, negativeLimits(s)...)
	return errs
}

// negativeLimits are the history limits below zero: validation refuses
// them, and the controller's clean-up indexes past its list of Jobs on them
// (a crash), so CronDue refuses them too.
func negativeLimits(s Spec) field.ErrorList {
	var errs field.ErrorList
	if l := s.SuccessfulJobsHistoryLimit; l != nil && *l < 0 {
		errs = append(errs, field.Invalid(field.NewPath("spec", "successfulJobsHistoryLimit"), int64(*l), "must be greater than or equal to 0"))
	}
	if l := s.FailedJobsHistoryLimit; l != nil && *l < 0 {
		errs = append(errs, field.Invalid(field.NewPath("spec", "failedJobsHistoryLimit"), int64(*l), "must be greater than or equal to 0"))
	}
	return errs
}

func sameZone(a, b *string) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// zonePart is one '/'-separated part of an IANA zone name as the API
// accepts it.
var zonePart = regexp.MustCompile(`^[A-Za-z.\-_0-9+]{1,14}$`)

// validateTimeZone applies the API's rules on spec.timeZone: non-empty,
// IANA-style parts, not "Local", known to the tz database.
func validateTimeZone(tz *string, p *field.Path) field.ErrorList {
	if tz == nil {
		return nil
	}
	if *tz == "" {
		return field.ErrorList{field.Invalid(p, *tz, "timeZone must be nil or non-empty string")}
	}
	for _, part := range strings.Split(*tz, "/") {
		if part == "." || part == ".." || strings.HasPrefix(part, "-") || !zonePart.MatchString(part) {
			return field.ErrorList{field.Invalid(p, *tz, "unknown time zone "+*tz)}
		}
	}
	var errs field.ErrorList
	if strings.EqualFold(*tz, "Local") {
		errs = append(errs, field.Invalid(p, *tz, "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"))
	}
	if _, err := loadZone(*tz); err != nil {
		errs = append(errs, field.Invalid(p, *tz, err.Error()))
	}
	return errs
}

// Default returns cj with the batch/v1 API defaults applied where unset:
// concurrencyPolicy Allow, successfulJobsHistoryLimit 3,
// failedJobsHistoryLimit 1 (suspend is a plain bool here, false already).
// startingDeadlineSeconds and timeZone have no default. The input is not
// modified. The defaults are the same in every supported release; rel is
// taken for symmetry with Validate.
func Default(cj CronJob, rel Release) CronJob {
	if cj.Spec.ConcurrencyPolicy == "" {
		cj.Spec.ConcurrencyPolicy = AllowConcurrent
	}
	if cj.Spec.SuccessfulJobsHistoryLimit == nil {
		v := int32(DefaultSuccessfulJobsHistoryLimit)
		cj.Spec.SuccessfulJobsHistoryLimit = &v
	}
	if cj.Spec.FailedJobsHistoryLimit == nil {
		v := int32(DefaultFailedJobsHistoryLimit)
		cj.Spec.FailedJobsHistoryLimit = &v
	}
	return cj
}
