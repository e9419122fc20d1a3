package job

// The controller does not issue a pass's creations all at once: it sends
// them in slow-start batches of 1, 2, 4, ... pods, each batch at once, and
// after a batch in which a create failed it sends no more, so that a Job
// over its quota does not flood the API server (manageJob). The pods it
// failed to create or never tried no longer count as active.

// CreateBatches returns the sizes of the batches in which the controller
// issues n pod creations: 1, 2, 4, ... and the remainder last. A caller
// issues Result.Create in that order, batch by batch, and stops after a
// batch with a failure (see Options.FailedCreates).
func CreateBatches(n int) []int {
	var out []int
	for size := 1; n > 0; size *= 2 {
		b := min(size, n)
		out = append(out, b)
		n -= b
	}
	return out
}

// failCreates applies Options.FailedCreates to the pass's creations:
// the batches after the first with a failure are not issued, and the
// failed and unissued pods do not count as active.
func (p *pass) failCreates() {
	n := len(p.res.Create)
	if len(p.failedCreates) == 0 || n == 0 {
		return
	}
	bad := make([]bool, n)
	for _, i := range p.failedCreates {
		if i >= 0 && i < n {
			bad[i] = true
		}
	}
	start := 0
	for _, size := range CreateBatches(n) {
		failed := 0
		for _, b := range bad[start : start+size] {
			if b {
				failed++
			}
		}
		start += size
		if failed > 0 {
			p.res.Create = p.res.Create[:start:start]
			p.active = max(0, p.active-int64(failed+n-start))
			return
		}
	}
}
