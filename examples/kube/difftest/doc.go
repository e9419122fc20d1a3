// Package difftest holds differential tests: purectl's rules run side by side
// with the Kubernetes libraries that implement the same rules (apimachinery,
// component-helpers) on random inputs, and any disagreement fails.
package difftest
