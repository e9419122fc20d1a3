//go:build kube137

package testmain

const kubeRelease = "1.37"
