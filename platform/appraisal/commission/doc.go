// Package commission computes a rep's tiered commission for a period from a Plan, and explains
// every step of it, so that the monthly appraisal report can show how each cent came about and
// the same inputs always give the same amount.
//
// # The rules, once
//
// Money is shopspring/decimal throughout, never a float. Every number in a Plan and in Inputs is
// a JSON string ("0.05"); a bare JSON number is accepted on input, and a plan written back out
// carries strings only, so a stored plan reads back to equal values.
//
// Rates are fractions, not percentages: 0.05 is 5 %, and a rate lies in 0..1. Growth thresholds
// are fractions too (0.10 is +10 % year on year).
//
// Order of operations, each step exact (no rounding in between):
//
//  1. brackets: in marginal mode each bracket's rate applies to the part of the base inside it
//     [from, to); in whole mode the rate of the reached bracket (the last whose from <= base)
//     applies to the whole base, so a base exactly at an edge is in the upper bracket;
//  2. growth: × the multiplier of the highest growth tier reached (growth >= min_growth), where
//     growth = (base − prior year) / prior year. No prior year (zero or negative), or growth below
//     the lowest tier, means × 1;
//  3. score gate: × the factor of the highest gate tier reached (score >= min_score). Below the
//     lowest tier the factor is 0: the gate withholds the commission. A plan that pays something
//     at any score starts its gate at min_score 0. A plan without a gate is × 1;
//  4. cap and floor: the amount is raised to the floor or lowered to the cap. The floor is a
//     guarantee, so it holds even when the gate withheld everything;
//  5. rounding: once, at the end, to the currency's minor unit (2 places for CNY, USD, EUR, 0 for
//     JPY and KRW, 3 for KWD and BHD), half to even (banker's): 0.125 CNY is 0.12, 0.135 is
//     0.14, so that the rounding of many reps over many months does not lean one way.
//
// A negative base (a month of returns, a negative margin) earns nothing from the brackets; the
// floor still applies.
//
// # Doing better never pays less
//
// Validate refuses plans under which a rep would earn less for more growth or a higher score:
// growth multipliers and gate factors may not decrease from tier to tier. Together with rates
// that are never negative, this makes a marginal-mode commission non-decreasing in the base.
// Whole mode is deliberately a step function: crossing an edge changes the rate on everything.
//
// # Simulation
//
// Compute is pure: it reads only its arguments and saves nothing. Simulate is the same function
// under the name the "what if this rep sells X" endpoint uses.
package commission
