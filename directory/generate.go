package directory

// The derived data files (data/geo/*, data/mimp.csv, data/minsa.csv) are regenerated from
// the shared source data, which lives beside the repository:
//
//go:generate go run ./internal/gen -geo ../../shared/data/geo -out data
