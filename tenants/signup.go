package tenants

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	// Time zones are checked against the IANA database compiled into the binary, so sign-up does
	// not depend on the host having /usr/share/zoneinfo (slim containers do not).
	_ "time/tzdata"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/org"
)

// Length limits of a sign-up.
const (
	MaxCompanyLen = org.MaxNameLen
	MaxSlugLen    = 40
)

var (
	validSlug     = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*[a-z0-9]$`)
	validCurrency = regexp.MustCompile(`^[A-Z]{3}$`)
	slugRuns      = regexp.MustCompile(`[^a-z0-9]+`)
)

// validSignup normalises a sign-up and checks every field, reporting all problems at once. It
// also says whether the slug was derived from the company name.
func validSignup(in Signup) (Signup, bool, error) {
	var details []fault.Detail
	bad := func(field, msg string, value any) {
		details = append(details, fault.Detail{Location: "body." + field, Message: msg, Value: value})
	}
	in.Company = strings.TrimSpace(in.Company)
	switch n := utf8.RuneCountInString(in.Company); {
	case n == 0:
		bad("company", "is required", in.Company)
	case n > MaxCompanyLen:
		bad("company", fmt.Sprintf("is longer than %d characters", MaxCompanyLen), in.Company)
	}
	derived := strings.TrimSpace(in.Slug) == ""
	if derived {
		in.Slug = DeriveSlug(in.Company)
	} else {
		in.Slug = strings.ToLower(strings.TrimSpace(in.Slug))
		if len(in.Slug) > MaxSlugLen || !validSlug.MatchString(in.Slug) {
			bad("slug", fmt.Sprintf("must be 2 to %d characters of a-z, 0-9 and -, not starting or ending with -", MaxSlugLen), in.Slug)
		}
	}
	in.Industry = strings.ToLower(strings.TrimSpace(in.Industry))
	if in.Industry != IndustryFMCG && in.Industry != IndustryIndustrial {
		bad("industry", "must be fmcg or industrial", in.Industry)
	}
	in.TimeZone = strings.TrimSpace(in.TimeZone)
	if in.TimeZone == "" || in.TimeZone == "Local" {
		bad("time_zone", "must be an IANA time zone such as Asia/Shanghai", in.TimeZone)
	} else if _, err := time.LoadLocation(in.TimeZone); err != nil {
		bad("time_zone", "is not an IANA time zone; use a name such as Asia/Shanghai or Europe/Berlin", in.TimeZone)
	}
	in.Currency = strings.ToUpper(strings.TrimSpace(in.Currency))
	if !validCurrency.MatchString(in.Currency) {
		bad("currency", "must be an ISO 4217 code of three letters such as CNY or EUR", in.Currency)
	}
	in.AdminName = strings.TrimSpace(in.AdminName)
	switch n := utf8.RuneCountInString(in.AdminName); {
	case n == 0:
		bad("admin_name", "is required", in.AdminName)
	case n > org.MaxNameLen:
		bad("admin_name", fmt.Sprintf("is longer than %d characters", org.MaxNameLen), in.AdminName)
	}
	email, err := org.NormalizeEmail(in.AdminEmail)
	if err != nil {
		bad("admin_email", err.Error(), in.AdminEmail)
	}
	in.AdminEmail = email
	if in.AdminPassword == "" {
		// Its strength is checked where passwords are stored.
		bad("admin_password", "is required", nil)
	}
	if len(details) > 0 {
		return in, derived, fault.New(fault.Invalid, "invalid_signup", "the sign-up has invalid fields; see details for each one", details...)
	}
	return in, derived, nil
}

// DeriveSlug makes a slug from a company name: lower-case letters and digits, other runs of
// characters become one hyphen. A name with no such letters ("演示食品") gets "tenant".
func DeriveSlug(company string) string {
	s := strings.Trim(slugRuns.ReplaceAllString(strings.ToLower(company), "-"), "-")
	if len(s) > MaxSlugLen {
		s = strings.TrimRight(s[:MaxSlugLen], "-")
	}
	if len(s) < 2 {
		return "tenant"
	}
	return s
}

// withSuffix makes a taken derived slug unique with a few characters of a fresh UUIDv7's random part.
func withSuffix(slug string, random uuid.UUID) string {
	suffix := "-" + random.String()[len(random.String())-6:]
	if len(slug)+len(suffix) > MaxSlugLen {
		slug = strings.TrimRight(slug[:MaxSlugLen-len(suffix)], "-")
	}
	return slug + suffix
}
