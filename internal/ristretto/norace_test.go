//go:build !race

package ristretto

const raceEnabled = false
