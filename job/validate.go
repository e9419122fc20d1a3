package job

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/purectl/purectl/internal/field"
	"github.com/purectl/purectl/internal/labels"
)

// Limits the batch/v1 API enforces.
const (
	maxParallelismForIndexed       = 100_000
	maxFailedIndexesForIndexed     = 100_000
	completionsSoftLimit           = 100_000
	parallelismLimitHighCompletion = 10_000
	maxFailedIndexesHighCompletion = 10_000
	maxPodFailurePolicyRules       = 20
	maxExitCodeValues              = 255
	maxOnPodConditionsPatterns     = 20
	maxManagedByLength             = 63
	maxSucceededIndexesLength      = 64 * 1024
	maxSuccessPolicyRules          = 20
	defaultBackoffLimit            = 6
)

// normalized is a Job spec with the API server's defaults applied. It holds
// plain values so the planner never dereferences a nil pointer.
type normalized struct {
	parallelism     int32
	completions     int32
	hasCompletions  bool
	backoffLimit    int32
	blpi            int32
	hasBLPI         bool
	maxFailed       int32
	hasMaxFailed    bool
	deadline        int64
	hasDeadline     bool
	indexed         bool
	onlyReplaceFail bool
	pfp             *PodFailurePolicy
	sp              *SuccessPolicy
	restart         RestartPolicy
}

// defaults returns spec with the batch/v1 defaults applied; the input is
// left untouched (pointers are replaced, never written through).
func defaults(spec Spec) Spec {
	out := spec
	if out.Parallelism == nil && out.Completions == nil {
		out.Parallelism, out.Completions = ptr(int32(1)), ptr(int32(1))
	}
	if out.Parallelism == nil {
		out.Parallelism = ptr(int32(1))
	}
	if out.BackoffLimit == nil {
		if out.BackoffLimitPerIndex != nil {
			out.BackoffLimit = ptr(int32(math.MaxInt32))
		} else {
			out.BackoffLimit = ptr(int32(defaultBackoffLimit))
		}
	}
	if out.CompletionMode == "" {
		out.CompletionMode = NonIndexed
	}
	if out.PodReplacementPolicy == "" {
		if out.PodFailurePolicy != nil {
			out.PodReplacementPolicy = Failed
		} else {
			out.PodReplacementPolicy = TerminatingOrFailed
		}
	}
	return out
}

func ptr[T any](v T) *T { return &v }

func normalize(s Spec, rel Release) normalized {
	n := normalized{
		parallelism:  *s.Parallelism,
		backoffLimit: *s.BackoffLimit,
		indexed:      s.CompletionMode == Indexed,
		pfp:          s.PodFailurePolicy,
		sp:           s.SuccessPolicy,
		restart:      s.Template.RestartPolicy,
	}
	if s.Completions != nil {
		n.completions, n.hasCompletions = *s.Completions, true
	}
	if s.BackoffLimitPerIndex != nil {
		n.blpi, n.hasBLPI = *s.BackoffLimitPerIndex, true
	}
	if s.MaxFailedIndexes != nil {
		n.maxFailed, n.hasMaxFailed = *s.MaxFailedIndexes, true
	}
	if s.ActiveDeadlineSeconds != nil {
		n.deadline, n.hasDeadline = *s.ActiveDeadlineSeconds, true
	}
	// Before 1.37 a podFailurePolicy, even an empty one, switches to
	// replacing failed pods only whatever podReplacementPolicy says
	// (onlyReplaceFailedPods; kubernetes#122235); from 1.37 only the
	// policy counts (validation requires Failed with a podFailurePolicy,
	// so the two differ only on a Job stored invalid).
	n.onlyReplaceFail = s.PodReplacementPolicy == Failed || (s.PodFailurePolicy != nil && !rel.AtLeast("1.37"))
	return n
}

// Validate checks a Job as the batch/v1 API server of release rel does on
// create, after defaulting, and returns the aggregate of every problem
// found (nil when valid); an unusable release is reported as its own
// field errors. Field paths name the API fields, e.g. spec.completions.
// With JobManagedBy off (possible on 1.34 only) the API server drops
// spec.managedBy before validating, so it is not checked.
func Validate(job Job, rel Release) error {
	if err := field.CheckRelease(rel); err != nil {
		return err
	}
	return validate(job, defaults(job.Spec), rel).ToAggregate()
}

func nonNegative[T int32 | int64](v T, p *field.Path) field.ErrorList {
	if v < 0 {
		return field.ErrorList{field.Invalid(p, v, "must be greater than or equal to 0")}
	}
	return nil
}

func validate(job Job, s Spec, rel Release) field.ErrorList {
	var errs field.ErrorList
	sp := field.NewPath("spec")
	if s.CompletionMode == Indexed && s.Completions != nil && *s.Completions > 0 {
		host := fmt.Sprintf("%s-%d", job.Name, *s.Completions-1)
		if labels.DNSLabelProblem(host) != "" {
			errs = append(errs, field.Invalid(field.NewPath("metadata", "name"), job.Name,
				"will not able to create pod with invalid DNS label: "+host))
		}
	}
	if s.Parallelism != nil {
		errs = append(errs, nonNegative(*s.Parallelism, sp.Child("parallelism"))...)
	}
	if s.Completions != nil {
		errs = append(errs, nonNegative(*s.Completions, sp.Child("completions"))...)
	}
	if s.ActiveDeadlineSeconds != nil {
		errs = append(errs, nonNegative(*s.ActiveDeadlineSeconds, sp.Child("activeDeadlineSeconds"))...)
	}
	if s.BackoffLimit != nil {
		errs = append(errs, nonNegative(*s.BackoffLimit, sp.Child("backoffLimit"))...)
	}
	if s.TTLSecondsAfterFinished != nil {
		errs = append(errs, nonNegative(*s.TTLSecondsAfterFinished, sp.Child("ttlSecondsAfterFinished"))...)
	}
	if s.BackoffLimitPerIndex != nil {
		errs = append(errs, nonNegative(*s.BackoffLimitPerIndex, sp.Child("backoffLimitPerIndex"))...)
	}
	if s.MaxFailedIndexes != nil {
		errs = append(errs, nonNegative(*s.MaxFailedIndexes, sp.Child("maxFailedIndexes"))...)
		if s.BackoffLimitPerIndex == nil {
			errs = append(errs, field.Required(sp.Child("backoffLimitPerIndex"), "when maxFailedIndexes is specified"))
		}
	}
	if s.ManagedBy != "" && rel.Enabled(JobManagedBy) {
		errs = append(errs, validateManagedBy(s.ManagedBy, sp.Child("managedBy"))...)
	}
	switch s.CompletionMode {
	case NonIndexed:
		if s.BackoffLimitPerIndex != nil {
			errs = append(errs, field.Invalid(sp.Child("backoffLimitPerIndex"), *s.BackoffLimitPerIndex, "requires indexed completion mode"))
		}
		if s.MaxFailedIndexes != nil {
			errs = append(errs, field.Invalid(sp.Child("maxFailedIndexes"), *s.MaxFailedIndexes, "requires indexed completion mode"))
		}
	case Indexed:
		errs = append(errs, validateIndexedLimits(s, sp)...)
	default:
		errs = append(errs, field.NotSupported(sp.Child("completionMode"), string(s.CompletionMode),
			[]string{string(NonIndexed), string(Indexed)}))
	}
	if s.PodFailurePolicy != nil {
		errs = append(errs, validatePodFailurePolicy(s, sp.Child("podFailurePolicy"), labels.WordsFor(rel))...)
	}
	if s.SuccessPolicy != nil {
		errs = append(errs, validateSuccessPolicy(s, sp.Child("successPolicy"))...)
	}
	errs = append(errs, validateReplacementPolicy(s, sp.Child("podReplacementPolicy"))...)
	rp := sp.Child("template", "spec", "restartPolicy")
	switch r := s.Template.RestartPolicy; {
	case r == RestartAlways || r == "":
		errs = append(errs, field.Required(rp, fmt.Sprintf("valid values: %q, %q", RestartOnFailure, RestartNever)))
	case r != RestartOnFailure && r != RestartNever:
		errs = append(errs, field.NotSupported(rp, string(r), []string{string(RestartOnFailure), string(RestartNever)}))
	case s.PodFailurePolicy != nil && r != RestartNever:
		errs = append(errs, field.Invalid(rp, string(r), fmt.Sprintf("only %q is supported when podFailurePolicy is specified", RestartNever)))
	}
	return errs
}

func validateIndexedLimits(s Spec, sp *field.Path) field.ErrorList {
	var errs field.ErrorList
	if s.Completions == nil {
		errs = append(errs, field.Required(sp.Child("completions"), "when completion mode is Indexed"))
	}
	if s.Parallelism != nil && *s.Parallelism > maxParallelismForIndexed {
		errs = append(errs, field.Invalid(sp.Child("parallelism"), *s.Parallelism,
			fmt.Sprintf("must be less than or equal to %d when completion mode is Indexed", maxParallelismForIndexed)))
	}
	if s.Completions != nil && s.MaxFailedIndexes != nil && *s.MaxFailedIndexes > *s.Completions {
		errs = append(errs, field.Invalid(sp.Child("maxFailedIndexes"), *s.MaxFailedIndexes, "must be less than or equal to completions"))
	}
	if s.MaxFailedIndexes != nil && *s.MaxFailedIndexes > maxFailedIndexesForIndexed {
		errs = append(errs, field.Invalid(sp.Child("maxFailedIndexes"), *s.MaxFailedIndexes,
			fmt.Sprintf("must be less than or equal to %d", maxFailedIndexesForIndexed)))
	}
	if s.Completions != nil && *s.Completions > completionsSoftLimit && s.BackoffLimitPerIndex != nil {
		high := fmt.Sprintf("when completions are above %d and used with backoff limit per index", completionsSoftLimit)
		if s.MaxFailedIndexes == nil {
			errs = append(errs, field.Required(sp.Child("maxFailedIndexes"),
				fmt.Sprintf("must be specified when completions is above %d", completionsSoftLimit)))
		}
		if s.Parallelism != nil && *s.Parallelism > parallelismLimitHighCompletion {
			errs = append(errs, field.Invalid(sp.Child("parallelism"), *s.Parallelism,
				fmt.Sprintf("must be less than or equal to %d %s", parallelismLimitHighCompletion, high)))
		}
		if s.MaxFailedIndexes != nil && *s.MaxFailedIndexes > maxFailedIndexesHighCompletion {
			errs = append(errs, field.Invalid(sp.Child("maxFailedIndexes"), *s.MaxFailedIndexes,
				fmt.Sprintf("must be less than or equal to %d %s", maxFailedIndexesHighCompletion, high)))
		}
	}
	return errs
}

// validateManagedBy checks the domain-prefixed path form ("acme.io/foo").
func validateManagedBy(v string, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	domain, path, ok := strings.Cut(v, "/")
	switch {
	case !ok || path == "":
		errs = append(errs, field.Invalid(p, v, `must be a domain-prefixed path (such as "acme.io/foo")`))
	case labels.DNSSubdomainProblem(domain) != "":
		errs = append(errs, field.Invalid(p, domain, labels.DNSSubdomainProblem(domain)))
	default:
		for i := 0; i < len(path); i++ {
			c := path[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("/-._~%!$&'()*+,;=:", c) >= 0) {
				errs = append(errs, field.Invalid(p, path, "must be a valid path"))
				break
			}
		}
	}
	if len(v) > maxManagedByLength {
		errs = append(errs, field.TooLong(p, maxManagedByLength))
	}
	return errs
}

func validateReplacementPolicy(s Spec, p *field.Path) field.ErrorList {
	r := s.PodReplacementPolicy
	if s.PodFailurePolicy != nil {
		if r != Failed {
			return field.ErrorList{field.NotSupported(p, string(r), []string{string(Failed)})}
		}
		return nil
	}
	if r != Failed && r != TerminatingOrFailed {
		return field.ErrorList{field.NotSupported(p, string(r), []string{string(Failed), string(TerminatingOrFailed)})}
	}
	return nil
}

var supportedActions = []string{string(ActionCount), string(ActionFailIndex), string(ActionFailJob), string(ActionIgnore)}

func validatePodFailurePolicy(s Spec, p *field.Path, w labels.Words) field.ErrorList {
	var errs field.ErrorList
	rules := s.PodFailurePolicy.Rules
	rp := p.Child("rules")
	if len(rules) > maxPodFailurePolicyRules {
		errs = append(errs, field.TooMany(rp, len(rules), maxPodFailurePolicyRules))
	}
	for i := range rules {
		r := &rules[i]
		path := rp.Index(i)
		ap := path.Child("action")
		switch r.Action {
		case "":
			errs = append(errs, field.Required(ap, fmt.Sprintf("valid values: %q", supportedActions)))
		case ActionFailIndex:
			if s.BackoffLimitPerIndex == nil {
				errs = append(errs, field.Invalid(ap, string(r.Action), "requires the backoffLimitPerIndex to be set"))
			}
		case ActionFailJob, ActionIgnore, ActionCount:
		default:
			errs = append(errs, field.NotSupported(ap, string(r.Action), supportedActions))
		}
		if r.OnExitCodes != nil {
			errs = append(errs, validateOnExitCodes(r.OnExitCodes, path.Child("onExitCodes"), s.Template)...)
		}
		if len(r.OnPodConditions) > 0 {
			errs = append(errs, validateOnPodConditions(r.OnPodConditions, path.Child("onPodConditions"), w)...)
		}
		if r.OnExitCodes != nil && len(r.OnPodConditions) > 0 {
			errs = append(errs, field.Invalid(path, field.OmitValueType{}, "specifying both OnExitCodes and OnPodConditions is not supported"))
		}
		if r.OnExitCodes == nil && len(r.OnPodConditions) == 0 {
			errs = append(errs, field.Invalid(path, field.OmitValueType{}, "specifying one of OnExitCodes and OnPodConditions is required"))
		}
	}
	return errs
}

func validateOnExitCodes(r *OnExitCodes, p *field.Path, t PodTemplate) field.ErrorList {
	var errs field.ErrorList
	op := p.Child("operator")
	switch r.Operator {
	case "":
		errs = append(errs, field.Required(op, `valid values: ["In" "NotIn"]`))
	case OpIn, OpNotIn:
	default:
		errs = append(errs, field.NotSupported(op, string(r.Operator), []string{string(OpIn), string(OpNotIn)}))
	}
	if r.ContainerName != "" && !slices.Contains(t.Containers, r.ContainerName) && !slices.Contains(t.InitContainers, r.ContainerName) {
		errs = append(errs, field.Invalid(p.Child("containerName"), r.ContainerName,
			"must be one of the container or initContainer names in the pod template"))
	}
	vp := p.Child("values")
	if len(r.Values) == 0 {
		errs = append(errs, field.Invalid(vp, jsonValue{r.Values}, "at least one value is required"))
	} else if len(r.Values) > maxExitCodeValues {
		errs = append(errs, field.TooMany(vp, len(r.Values), maxExitCodeValues))
	}
	ordered := true
	seen := make(map[int32]bool, len(r.Values))
	for j, v := range r.Values {
		if r.Operator == OpIn && v == 0 {
			errs = append(errs, field.Invalid(vp.Index(j), v, "must not be 0 for the In operator"))
		}
		if seen[v] {
			errs = append(errs, field.Duplicate(vp.Index(j), v))
		}
		seen[v] = true
		if j > 0 && r.Values[j-1] > v {
			ordered = false
		}
	}
	if !ordered {
		errs = append(errs, field.Invalid(vp, jsonValue{r.Values}, "must be ordered"))
	}
	return errs
}

func validateOnPodConditions(ps []OnPodCondition, p *field.Path, w labels.Words) field.ErrorList {
	var errs field.ErrorList
	if len(ps) > maxOnPodConditionsPatterns {
		errs = append(errs, field.TooMany(p, len(ps), maxOnPodConditionsPatterns))
	}
	for j, c := range ps {
		errs = append(errs, w.ValidateQualifiedName(c.Type, p.Index(j).Child("type"))...)
		switch c.Status {
		case "", ConditionTrue, ConditionFalse, ConditionUnknown: // "" defaults to True
		default:
			errs = append(errs, field.NotSupported(p.Index(j).Child("status"), string(c.Status),
				[]string{string(ConditionFalse), string(ConditionTrue), string(ConditionUnknown)}))
		}
	}
	return errs
}

func validateSuccessPolicy(s Spec, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if s.CompletionMode != Indexed {
		return field.ErrorList{field.Invalid(p, jsonValue{successPolicyJSON(s.SuccessPolicy)}, "requires indexed completion mode")}
	}
	rules := s.SuccessPolicy.Rules
	rp := p.Child("rules")
	if len(rules) == 0 {
		errs = append(errs, field.Required(rp, "at least one rules must be specified when the successPolicy is specified"))
	}
	if len(rules) > maxSuccessPolicyRules {
		errs = append(errs, field.TooMany(rp, len(rules), maxSuccessPolicyRules))
	}
	if s.Completions == nil {
		return errs // reported as required by the Indexed checks
	}
	completions := *s.Completions
	for i, r := range rules {
		path := rp.Index(i)
		if r.SucceededCount == nil && r.SucceededIndexes == nil {
			errs = append(errs, field.Required(path, "at least one of succeededCount or succeededIndexes must be specified"))
		}
		total := -1
		if r.SucceededIndexes != nil {
			ip := path.Child("succeededIndexes")
			if len(*r.SucceededIndexes) > maxSucceededIndexesLength {
				errs = append(errs, field.TooLong(ip, maxSucceededIndexesLength))
			}
			// An unparsable list counts as naming no index, so a
			// succeededCount above 0 is reported against it too
			// (validateIndexesFormat returns 0 with its error).
			n, err := validateIndexes(*r.SucceededIndexes, completions)
			if err != nil {
				errs = append(errs, field.Invalid(ip, *r.SucceededIndexes, "error parsing succeededIndexes: "+err.Error()))
			}
			total = n
		}
		if r.SucceededCount != nil {
			cp := path.Child("succeededCount")
			c := *r.SucceededCount
			errs = append(errs, nonNegative(c, cp)...)
			if c > completions {
				errs = append(errs, field.Invalid(cp, c, fmt.Sprintf("must be less than or equal to %d (the number of specified completions)", completions)))
			}
			if total >= 0 && int(c) > total {
				errs = append(errs, field.Invalid(cp, c, fmt.Sprintf("must be less than or equal to %d (the number of indexes in the specified succeededIndexes field)", total)))
			}
		}
	}
	return errs
}

// validateIndexes checks an interval string the way the API server does for
// successPolicy rules: "x" or "x-y" parts, each number a 32-bit integer
// below completions, strictly increasing (so "3-3" and "1,1" are invalid).
// It returns how many indexes the string names.
func validateIndexes(s string, completions int32) (int, error) {
	if s == "" {
		return 0, nil
	}
	total := 0
	last := int64(-1)
	for _, part := range strings.Split(s, ",") {
		limits := strings.Split(part, "-")
		if len(limits) > 2 {
			return 0, fmt.Errorf("the fragment %q violates the requirement that an index interval can have at most two parts separated by '-'", part)
		}
		x, err := strconv.ParseInt(limits[0], 10, 32)
		if err != nil {
			return 0, fmt.Errorf("cannot convert string to integer for index: %q", limits[0])
		}
		if x >= int64(completions) {
			return 0, fmt.Errorf("too large index: %q", limits[0])
		}
		if x <= last {
			return 0, fmt.Errorf("non-increasing order, previous: %d, current: %d", last, x)
		}
		total++
		last = x
		if len(limits) == 2 {
			y, err := strconv.ParseInt(limits[1], 10, 32)
			if err != nil {
				return 0, fmt.Errorf("cannot convert string to integer for index: %q", limits[1])
			}
			if y >= int64(completions) {
				return 0, fmt.Errorf("too large index: %q", limits[1])
			}
			if x >= y {
				return 0, fmt.Errorf("non-increasing order, previous: %d, current: %d", x, y)
			}
			total += int(y - x)
			last = y
		}
	}
	return total, nil
}

// jsonValue prints a list or struct value as the API server prints it in
// an error: as JSON.
type jsonValue struct{ v any }

func (v jsonValue) String() string {
	b, _ := json.Marshal(v.v)
	return string(b)
}

// successPolicyJSON is a successPolicy with the Go field names of the API
// server's internal type, which is what its JSON shows.
func successPolicyJSON(p *SuccessPolicy) any {
	type rule struct {
		SucceededIndexes *string
		SucceededCount   *int32
	}
	var out struct{ Rules []rule }
	if p.Rules != nil {
		out.Rules = make([]rule, len(p.Rules))
		for i, r := range p.Rules {
			out.Rules[i] = rule(r)
		}
	}
	return out
}
