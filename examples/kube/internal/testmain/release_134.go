//go:build !kube135 && !kube136 && !kube137

package testmain

const kubeRelease = "1.34"
