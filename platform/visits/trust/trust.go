// Package trust decides whether a check-in can be believed: the rep's fix is inside the
// customer's area, comes from a real receiver, follows physically from the rep's previous fix,
// is fresh, and is not a copy of an earlier one. It is a pure decision over values the caller
// loads (no storage, no HTTP), so the same check-in always gets the same verdict.
//
// Severity of each reason (Trusted is false as soon as one reason blocks):
//
//	code              severity  why
//	outside_fence     block     the fix is farther outside the fence than the tolerance
//	mock_location     block     the OS says the position comes from a mock-location app
//	teleport          block     a jump of more than TeleportDistance in under TeleportWithin
//	impossible_speed  block     faster than MaxSpeed since the previous fix
//	replayed_fix      block     coordinates and accuracy identical to a fix taken at least
//	                            ReplayQuiet before (a still phone repeats its fix meanwhile)
//	clock_skew        warn      device clock ahead of the server by more than MaxClockSkew
//	                  block     ... and by more than BlockClockSkew
//	poor_accuracy     warn      accuracy worse than MaxAccuracy (or not a valid number)
//	stale_fix         warn      the fix is older than StaleAfter when the server gets it
//
// Warnings leave the check-in trusted: a poor fix or one sent late from a basement with no
// signal is common in honest work, and the blocking checks already catch what matters.
package trust

import (
	"cmp"
	"slices"
	"time"

	"github.com/repflow/repflow/platform/visits/geo"
)

// Fix is one position reading from the rep's phone.
type Fix struct {
	Point      geo.Point
	Accuracy   float64   // metres, radius of 68 % confidence as the OS reports it; 0 when unknown
	DeviceTime time.Time // when the phone took the fix, by the phone's clock
	Mock       bool      // the OS flagged the position as coming from a mock-location provider
	Provider   string    // "gps", "network", "fused"... as the OS names it
}

// CheckIn is everything the verdict depends on; the caller loads it.
type CheckIn struct {
	Fix        Fix
	ServerTime time.Time // when the server received the check-in
	Fence      geo.Fence // the customer's area
	Previous   *Fix      // the rep's last accepted fix before this one, nil if none
	// RecentFixes are the rep's fixes of the last hours; a fix identical to one of them is a replay.
	RecentFixes []Fix
}

// Code names a reason; codes are stable, stored and shown to clients.
type Code string

// The reason codes.
const (
	OutsideFence    Code = "outside_fence"
	MockLocation    Code = "mock_location"
	ImpossibleSpeed Code = "impossible_speed"
	Teleport        Code = "teleport"
	PoorAccuracy    Code = "poor_accuracy"
	StaleFix        Code = "stale_fix"
	ClockSkew       Code = "clock_skew"
	ReplayedFix     Code = "replayed_fix"
)

// Severity says whether a reason withholds trust (Block) or is only worth a look (Warn).
type Severity string

// The severities, Block before Warn in a verdict.
const (
	Block Severity = "block"
	Warn  Severity = "warn"
)

// Reason is one finding about a check-in, with the measured values behind it.
type Reason struct {
	Code     Code          `json:"code"`
	Severity Severity      `json:"severity"`
	Message  string        `json:"message"`
	Metres   float64       `json:"metres,omitempty"`  // distance outside the fence, distance moved, or accuracy
	Speed    float64       `json:"speed,omitempty"`   // km/h since the previous fix
	Elapsed  time.Duration `json:"elapsed,omitempty"` // time since the previous fix
	Skew     time.Duration `json:"skew,omitempty"`    // device clock ahead of the server
	Age      time.Duration `json:"age,omitempty"`     // how old the fix was when the server got it
}

// Verdict is the outcome: Trusted unless a reason blocks; Reasons sorted by severity then code.
type Verdict struct {
	Trusted bool     `json:"trusted"`
	Reasons []Reason `json:"reasons"`
}

// Policy holds the thresholds. Zero means zero (not "default"): start from DefaultPolicy.
type Policy struct {
	// MaxAccuracy (metres): a worse fix warns. It also caps the accuracy credited as slack to the
	// fence and speed checks, so a faker cannot buy tolerance by reporting a huge accuracy.
	MaxAccuracy float64
	// FenceTolerance (metres): a fix within max(accuracy, FenceTolerance) outside the fence
	// counts as inside.
	FenceTolerance float64
	// MaxSpeed (km/h) between the previous fix and this one.
	MaxSpeed float64
	// A move of more than TeleportDistance (metres) in under TeleportWithin is a teleport.
	TeleportDistance float64
	TeleportWithin   time.Duration
	// Device clock ahead of the server by more than MaxClockSkew warns, by more than
	// BlockClockSkew blocks.
	MaxClockSkew   time.Duration
	BlockClockSkew time.Duration
	// StaleAfter: a fix older than this when the server receives it is stale.
	StaleAfter time.Duration
	// ReplayPrecision (degrees): coordinates this close to a recent fix's count as identical.
	ReplayPrecision float64
	// ReplayQuiet: a fix repeated within this time after the original is a phone standing still
	// (it repeats its last fix), not a replay.
	ReplayQuiet time.Duration
}

// DefaultPolicy is a policy that suits reps on foot and by car.
func DefaultPolicy() Policy {
	return Policy{
		MaxAccuracy:      100,
		FenceTolerance:   30,
		MaxSpeed:         200,
		TeleportDistance: 10_000,
		TeleportWithin:   2 * time.Minute,
		MaxClockSkew:     5 * time.Minute,
		BlockClockSkew:   time.Hour,
		StaleAfter:       10 * time.Minute,
		ReplayPrecision:  1e-7,
		ReplayQuiet:      30 * time.Minute,
	}
}

// Evaluate decides the verdict of a check-in under policy p. It never fails: input it cannot
// make sense of (no fence, an invalid position) is reported as a blocking reason, never trusted.
func Evaluate(c CheckIn, p Policy) Verdict {
	reasons := []Reason{} // never nil, so a stored clean verdict reads "reasons": []
	for _, check := range []func(CheckIn, Policy) (Reason, bool){
		checkFence, checkMock, checkMovement, checkReplay, checkAccuracy, checkSkew, checkStale,
	} {
		if r, ok := check(c, p); ok {
			reasons = append(reasons, r)
		}
	}
	slices.SortFunc(reasons, func(a, b Reason) int {
		return cmp.Or(cmp.Compare(rank(a.Severity), rank(b.Severity)), cmp.Compare(a.Code, b.Code))
	})
	v := Verdict{Trusted: true, Reasons: reasons}
	for _, r := range reasons {
		if r.Severity == Block {
			v.Trusted = false
		}
	}
	return v
}

func rank(s Severity) int {
	if s == Block {
		return 0
	}
	return 1
}
