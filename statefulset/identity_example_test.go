package statefulset_test

import (
	"fmt"

	"github.com/purectl/purectl/statefulset"
)

// Pod 2 of set web and its claim from template www keep these names across
// restarts and rescheduling.
func ExamplePodName() {
	fmt.Println(statefulset.PodName("web", 2))
	fmt.Println(statefulset.ClaimName("www", "web", 2))
	// Output:
	// web-2
	// www-web-2
}
