//go:build kube136

package testmain

const kubeRelease = "1.36"
