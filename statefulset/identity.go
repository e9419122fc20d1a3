package statefulset

import (
	"math"
	"strconv"
)

// PodName returns the name of the set's pod with the given ordinal:
// `<set>-<ordinal>`.
func PodName(set string, ordinal int32) string {
	return set + "-" + strconv.FormatInt(int64(ordinal), 10)
}

// ClaimName returns the name of the claim made from template for the pod
// with the given ordinal: `<template>-<set>-<ordinal>`.
func ClaimName(template, set string, ordinal int32) string {
	return template + "-" + PodName(set, ordinal)
}

// ParseOrdinal splits a pod name at its last '-' that is followed only by
// decimal digits and returns the part before it and the digits as an int32.
// A name without such a suffix, or whose number does not fit in an int32,
// gives ("", -1), as the Kubernetes controller reads names.
func ParseOrdinal(podName string) (parent string, ordinal int32) {
	i := len(podName)
	for i > 0 && podName[i-1] >= '0' && podName[i-1] <= '9' {
		i--
	}
	if i == len(podName) || i == 0 || podName[i-1] != '-' {
		return "", -1
	}
	var n int64
	for _, c := range []byte(podName[i:]) {
		n = n*10 + int64(c-'0')
		if n > math.MaxInt32 {
			return "", -1
		}
	}
	return podName[:i-1], int32(n)
}

// canonicalSuffix reports whether digits is how strconv prints its value:
// no leading zeros, so the pod name equals PodName(parent, ordinal).
func canonicalSuffix(podName string) bool {
	i := len(podName)
	for i > 0 && podName[i-1] >= '0' && podName[i-1] <= '9' {
		i--
	}
	return len(podName)-i == 1 || podName[i] != '0'
}

// isClaimNameFor reports whether name is ClaimName(template, set, ordinal)
// without building it.
func isClaimNameFor(name, template, set string, ordinal int32) bool {
	n := len(template) + 1 + len(set) + 1
	if len(name) <= n || name[:len(template)] != template || name[len(template)] != '-' ||
		name[len(template)+1:n-1] != set || name[n-1] != '-' {
		return false
	}
	digits := name[n:]
	if len(digits) > 1 && digits[0] == '0' {
		return false
	}
	var v int64
	for _, c := range []byte(digits) {
		if c < '0' || c > '9' {
			return false
		}
		if v = v*10 + int64(c-'0'); v > math.MaxInt32 {
			return false
		}
	}
	return v == int64(ordinal)
}

// parentName is the part of a pod name before its last '-' followed only
// by digits, whether or not the number fits an int32; "" if there is none.
func parentName(podName string) string {
	i := len(podName)
	for i > 0 && podName[i-1] >= '0' && podName[i-1] <= '9' {
		i--
	}
	if i == len(podName) || i == 0 || podName[i-1] != '-' {
		return ""
	}
	return podName[:i-1]
}

// splitName is ParseOrdinal, parentName and canonicalSuffix in one scan of
// the name: the parent whether or not the number fits an int32 ("" if the
// name has no such suffix), the ordinal (-1 if none or too large), and
// whether the digits are as strconv prints them.
func splitName(podName string) (parent string, ordinal int32, canonical bool) {
	i := len(podName)
	for i > 0 && podName[i-1] >= '0' && podName[i-1] <= '9' {
		i--
	}
	digits := podName[i:]
	canonical = len(digits) == 1 || len(digits) > 0 && digits[0] != '0'
	if len(digits) == 0 || i == 0 || podName[i-1] != '-' {
		return "", -1, canonical
	}
	parent = podName[:i-1]
	var n int64
	for j := 0; j < len(digits); j++ {
		if n = n*10 + int64(digits[j]-'0'); n > math.MaxInt32 {
			return parent, -1, canonical
		}
	}
	return parent, int32(n), canonical
}
