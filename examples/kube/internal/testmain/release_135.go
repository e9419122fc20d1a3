//go:build kube135

package testmain

const kubeRelease = "1.35"
