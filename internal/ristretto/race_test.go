//go:build race

package ristretto

const raceEnabled = true
