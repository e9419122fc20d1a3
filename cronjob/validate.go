package cronjob

import (
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/purectl/purectl/internal/field"
	"github.com/purectl/purectl/internal/labels"
)

// maxNameLength keeps "<name>-<10 digits>" within 63 characters (J4).
const maxNameLength = 52

// ValidateCreate checks a CronJob as the API server does on create: the
// name fits Job names, the schedule parses and carries no TZ/CRON_TZ prefix
// (spec.timeZone is the supported way), the time zone exists.
func ValidateCreate(cj CronJob) error {
	return validate(cj, nil).ToAggregate()
}

// ValidateUpdate checks cj as an update of old: a TZ prefix is tolerated
// only if old already had one (and then not together with spec.timeZone),
// the time zone is checked only when it changed, the name length is not
// re-checked.
func ValidateUpdate(cj, old CronJob) error {
	return validate(cj, &old).ToAggregate()
}

// Validate checks an existing CronJob, as an update that changes nothing:
// what CronDue accepts. The time zone's format is checked; whether it loads
// here is the pass's business (UnknownTimeZone), as in Kubernetes.
func Validate(cj CronJob) error {
	return validate(cj, &cj).ToAggregate()
}

func validate(cj CronJob, old *CronJob) field.ErrorList {
	var errs field.ErrorList
	name := field.NewPath("metadata", "name")
	switch {
	case cj.Name == "":
		errs = append(errs, field.Required(name, "name or generateName is required"))
	case labels.DNSSubdomainProblem(cj.Name) != "":
		errs = append(errs, field.Invalid(name, cj.Name, labels.DNSSubdomainProblem(cj.Name)))
	case old == nil && len(cj.Name) > maxNameLength:
		errs = append(errs, field.Invalid(name, cj.Name, "must be no more than 52 characters"))
	}
	if cj.Namespace != "" {
		if p := labels.DNSLabelProblem(cj.Namespace); p != "" {
			errs = append(errs, field.Invalid(field.NewPath("metadata", "namespace"), cj.Namespace, p))
		}
	}

	spec := field.NewPath("spec")
	sp := spec.Child("schedule")
	if cj.Spec.Schedule == "" {
		errs = append(errs, field.Required(sp, ""))
	} else {
		if _, err := parseStandard(cj.Spec.Schedule); err != nil {
			errs = append(errs, field.Invalid(sp, cj.Spec.Schedule, err.Error()))
		}
		allowTZ := old != nil && strings.Contains(old.Spec.Schedule, "TZ")
		hasTZ := strings.Contains(cj.Spec.Schedule, "TZ")
		switch {
		case allowTZ && hasTZ && cj.Spec.TimeZone != nil:
			errs = append(errs, field.Invalid(sp, cj.Spec.Schedule, "cannot use both timeZone field and TZ or CRON_TZ in schedule"))
		case !allowTZ && hasTZ:
			errs = append(errs, field.Invalid(sp, cj.Spec.Schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"))
		}
	}

	if d := cj.Spec.StartingDeadlineSeconds; d != nil && *d < 0 {
		errs = append(errs, field.Invalid(spec.Child("startingDeadlineSeconds"), *d, "must be greater than or equal to 0"))
	}

	if old == nil || !sameZone(old.Spec.TimeZone, cj.Spec.TimeZone) {
		errs = append(errs, validateTimeZone(cj.Spec.TimeZone, spec.Child("timeZone"), true)...)
	} else {
		errs = append(errs, validateTimeZone(cj.Spec.TimeZone, spec.Child("timeZone"), false)...)
	}

	switch cj.Spec.ConcurrencyPolicy {
	case "", AllowConcurrent, ForbidConcurrent, ReplaceConcurrent:
	default:
		errs = append(errs, field.NotSupported(spec.Child("concurrencyPolicy"), string(cj.Spec.ConcurrencyPolicy),
			[]string{string(AllowConcurrent), string(ForbidConcurrent), string(ReplaceConcurrent)}))
	}
	if l := cj.Spec.SuccessfulJobsHistoryLimit; l != nil && *l < 0 {
		errs = append(errs, field.Invalid(spec.Child("successfulJobsHistoryLimit"), *l, "must be greater than or equal to 0"))
	}
	if l := cj.Spec.FailedJobsHistoryLimit; l != nil && *l < 0 {
		errs = append(errs, field.Invalid(spec.Child("failedJobsHistoryLimit"), *l, "must be greater than or equal to 0"))
	}
	meta := spec.Child("jobTemplate", "metadata")
	errs = append(errs, labels.ValidateLabels(cj.Spec.JobTemplate.Labels, meta.Child("labels"))...)
	for _, k := range slices.Sorted(maps.Keys(cj.Spec.JobTemplate.Annotations)) {
		errs = append(errs, labels.ValidateQualifiedName(strings.ToLower(k), meta.Child("annotations"))...)
	}
	return errs
}

func sameZone(a, b *string) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// validateTimeZone applies the API's rules on spec.timeZone: non-empty,
// IANA-style parts, not "Local", and (when load is set) known to the tz
// database.
func validateTimeZone(tz *string, p *field.Path, load bool) field.ErrorList {
	if tz == nil {
		return nil
	}
	if *tz == "" {
		return field.ErrorList{field.Invalid(p, *tz, "timeZone must be nil or non-empty string")}
	}
	for _, part := range strings.Split(*tz, "/") {
		if part == "." || part == ".." || strings.HasPrefix(part, "-") || !validZonePart(part) {
			return field.ErrorList{field.Invalid(p, *tz, "unknown time zone "+*tz)}
		}
	}
	if strings.EqualFold(*tz, "Local") {
		return field.ErrorList{field.Invalid(p, *tz, "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones")}
	}
	if load {
		if _, err := time.LoadLocation(*tz); err != nil {
			return field.ErrorList{field.Invalid(p, *tz, err.Error())}
		}
	}
	return nil
}

// validZonePart: 1 to 14 of A-Z a-z 0-9 . - _ +.
func validZonePart(s string) bool {
	if len(s) < 1 || len(s) > 14 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_' || c == '+') {
			return false
		}
	}
	return true
}
