// Package ptr makes pointers to values, for the optional fields of purectl's
// inputs that mirror Kubernetes' optional fields (replicas, completions,
// startingDeadlineSeconds, ...): a nil pointer means "unset, the API default
// applies", so a caller writes ptr.To(int32(3)) instead of declaring a
// variable to take its address.
package ptr

// To returns a pointer to a copy of v.
func To[T any](v T) *T { return &v }

// Deref returns *p, or def when p is nil.
func Deref[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}
