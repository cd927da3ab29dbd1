package admin

import (
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
	"github.com/pquerna/otp/totp"
)

// The TOTP settings every authenticator app understands: six digits, SHA-1, 30-second steps.
const (
	totpPeriod = 30
	// totpSkew accepts the code of the step before and after the current one: phone clocks
	// drift, and a code typed at the end of its step arrives in the next.
	totpSkew = 1
)

// newTOTPKey makes an operator's secret and the otpauth:// URL an authenticator app enrols from.
func newTOTPKey(issuer, email string) (*otp.Key, error) {
	return totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: email, Period: totpPeriod,
		Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
}

// totpStep returns the time step of the code matching code at t, or 0 when none matches.
// totp.Validate would say only yes or no; the step is what makes a used code refusable.
func totpStep(secret, code string, t time.Time) int64 {
	if len(code) != otp.DigitsSix.Length() {
		return 0
	}
	now := t.Unix() / totpPeriod
	for step := now - totpSkew; step <= now+totpSkew; step++ {
		ok, err := hotp.ValidateCustom(code, uint64(step), secret,
			hotp.ValidateOpts{Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err == nil && ok {
			return step
		}
	}
	return 0
}
