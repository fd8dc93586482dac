// Package directory is Faro's directory of services and phone lines in Peru. It loads
// entries from YAML and CSV files (the embedded Peru data by default, see Default), finds
// where a user is from a location pin or a typed place name, and answers the flow
// engine's questions (it implements flows.Directory): the nearest services of a category,
// open now or not, and the national lines for a topic.
//
// Everything is answered from memory: after Load the directory does no I/O, keeps no
// record of queries and is safe for concurrent use. A user's coordinates are used for
// one answer and never stored.
//
// Data files (see the data folder and its README):
//   - *.yaml with any of the sections entries, texts and holidays;
//   - *.csv with the columns of CSVColumns, one entry per row;
//   - geo/: the gazetteer of departments, provinces and districts, populated places,
//     district outlines and typed-name aliases, derived by internal/gen.
package directory
