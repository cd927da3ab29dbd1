package kpi

import (
	"fmt"
	"math"

	"github.com/repflow/repflow/platform/fault"
)

// Actual is a figure as a provider reported it. Value is what is scored; Num and Den, for a
// Ratio metric, are the parts Value was computed from (Value = Num / Den), carried so that a
// team's figure is recomputed exactly rather than averaged.
type Actual struct {
	Value float64 `json:"value"`
	Num   float64 `json:"num,omitempty"`
	Den   float64 `json:"den,omitempty"`
}

// Part makes the Actual of a ratio from its parts. A ratio with nothing to judge (Den 0) is 1
// for a rate, as every provider reports it (the counts beside it tell), and 0 for an average,
// which the scoring reads as "no evidence".
func Part(m Metric, num, den float64) Actual {
	a := Actual{Num: num, Den: den}
	switch {
	case den != 0:
		a.Value = num / den
	case m.Unit == UnitRatio:
		a.Value = 1
	}
	return a
}

// Aggregate makes a team's (or region's) figure of a metric from its members' figures, by the
// metric's Aggregation.
func Aggregate(key string, members []Actual) (Actual, error) {
	m, ok := Lookup(key)
	if !ok {
		return Actual{}, fault.Field("metric", fmt.Sprintf("%q is not a metric of the library", key), key)
	}
	for i, a := range members {
		if !finite(a.Value) || !finite(a.Num) || !finite(a.Den) || a.Value < 0 || a.Num < 0 || a.Den < 0 {
			return Actual{}, fault.Field(fmt.Sprintf("members[%d]", i), "must be finite and not negative", a)
		}
	}
	var out Actual
	switch m.Aggregation {
	case Sum:
		for _, a := range members {
			out.Value += a.Value
		}
	case Ratio:
		var num, den float64
		for _, a := range members {
			num, den = num+a.Num, den+a.Den
		}
		out = Part(m, num, den)
	case MeanOfRates:
		if len(members) == 0 {
			return out, nil
		}
		for _, a := range members {
			out.Value += a.Value
		}
		out.Value /= float64(len(members))
	}
	return out, nil
}

// Judged is one opportunity that entered a stage in the period, with how it was followed up
// (the pipeline's Engagement of it over the period).
type Judged struct {
	Converted       bool    // advanced to a later stage or won by the period's end
	TouchesPerWeek  float64 // contact frequency
	ActivityKinds   int     // follow-up depth: distinct kinds of activity (call, meeting, message)
	ContactsReached int     // follow-up depth: distinct contacts reached
}

// Follow-up counted as full: two touches a week, every kind of activity, three contacts reached.
const (
	fullTouchesPerWeek = 2
	fullKinds          = 3
	fullContacts       = 3
)

// WeightedConversion is the opportunity conversion rate the brief asks for: conversion weighted
// by contact frequency and follow-up depth. Each opportunity judged counts once in the
// denominator, so a neglected opportunity that stalls costs the rep in full; a converted one
// earns between half and full credit, by the mean of its follow-up's frequency, kinds and contacts
// (each as a share of full follow-up, at most 1). Credit is never 0, because a deal that closed
// with little recorded follow-up still closed; it is never more than 1, so the rate stays a
// rate.
func WeightedConversion(judged []Judged) Actual {
	var credit float64
	for _, j := range judged {
		if !j.Converted {
			continue
		}
		depth := (share(j.TouchesPerWeek, fullTouchesPerWeek) + share(float64(j.ActivityKinds), fullKinds) +
			share(float64(j.ContactsReached), fullContacts)) / 3
		credit += 0.5 + 0.5*depth
	}
	m, _ := Lookup("opportunity_conversion_rate")
	return Part(m, credit, float64(len(judged)))
}

func share(x, full float64) float64 {
	if !(x > 0) { // NaN too
		return 0
	}
	return math.Min(x/full, 1)
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
