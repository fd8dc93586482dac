package norm

// Distance returns the optimal-string-alignment edit distance between a and b (insertions,
// deletions, substitutions and swaps of two adjacent bytes each cost 1), or limit+1
// when it is greater than limit. It works on bytes: call it on folded keys.
func Distance(a, b string, limit int) int {
	la, lb := len(a), len(b)
	if d := la - lb; d > limit || -d > limit {
		return limit + 1
	}
	if la == 0 || lb == 0 {
		return la + lb
	}
	if la > maxBanded || lb > maxBanded || limit > maxBanded {
		return distanceRows(a, b, limit)
	}
	// Only the cells within limit of the diagonal are computed: a path through any
	// other costs more than limit. The cells beside the band read as inf. Three rows of the
	// table are enough for swaps.
	const inf = 1 << 6 // more than any distance computed, and inf+1 fits an int8
	var rows [3][maxBanded + 2]int8
	prev2, prev, cur := &rows[0], &rows[1], &rows[2]
	for j := 0; j <= lb; j++ {
		prev[j] = inf
		if j <= limit {
			prev[j] = int8(j)
		}
	}
	for i := 1; i <= la; i++ {
		lo, hi := max(1, i-limit), min(lb, i+limit)
		cur[lo-1] = inf
		if lo == 1 {
			cur[0] = int8(i)
		}
		best := cur[lo-1]
		for j := lo; j <= hi; j++ {
			v := prev[j-1]
			if a[i-1] != b[j-1] {
				v++
			}
			v = min(v, prev[j]+1, cur[j-1]+1)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			best = min(best, v)
		}
		cur[hi+1] = inf
		if int(best) > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return int(min(prev[lb], int8(limit+1)))
}

// maxBanded is the longest key Distance reads in its band (and the largest limit):
// more takes distanceRows.
const maxBanded = 60

// distanceRows is Distance by whole rows of the table.
func distanceRows(a, b string, max int) int {
	la, lb := len(a), len(b)
	// Three rows of the dynamic-programming table are enough for swaps.
	var buf [3][64]int
	var prev2, prev, cur []int
	if lb+1 <= 64 {
		prev2, prev, cur = buf[0][:lb+1], buf[1][:lb+1], buf[2][:lb+1]
	} else {
		prev2, prev, cur = make([]int, lb+1), make([]int, lb+1), make([]int, lb+1)
	}
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= la; i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= lb; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := prev[j-1] + cost
			if d := prev[j] + 1; d < v {
				v = d
			}
			if d := cur[j-1] + 1; d < v {
				v = d
			}
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				if d := prev2[j-2] + 1; d < v {
					v = d
				}
			}
			cur[j] = v
			if v < rowMin {
				rowMin = v
			}
		}
		if rowMin > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	if prev[lb] > max {
		return max + 1
	}
	return prev[lb]
}
