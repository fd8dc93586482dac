package stats

// Pending is the number of counts waiting for a flush (tests).
func (r *Recorder) Pending() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.pending)
}

// Unsuppressed builds the report of data and returns, besides it, every cell's true
// count by "month/section/row/column" (tests: what the reader must not get back).
func Unsuppressed(data Data) (*Report, map[string]int64) {
	truth := map[string]int64{}
	observe = func(month string, ids []string, tables []*Table) {
		for k, t := range tables {
			for i, r := range t.Rows {
				for j, c := range t.Cols {
					truth[month+"/"+ids[k]+"/"+r+"/"+c] = t.Cells[i][j]
				}
			}
		}
	}
	defer func() { observe = nil }()
	return Build(data, ""), truth
}
