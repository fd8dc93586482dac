package stats

// Pending is the number of counts waiting for a flush (tests).
func (r *Recorder) Pending() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.pending)
}
