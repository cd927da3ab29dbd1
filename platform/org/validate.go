package org

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
)

// Input checks shared by the service's operations. Faults name the field as the API's body
// does ("body.email"), so the HTTP layer passes them through unchanged.

func validNewUser(in NewUser) (NewUser, error) {
	var err error
	if in.Email, err = NormalizeEmail(in.Email); err != nil {
		return in, fault.Field("body.email", err.Error(), in.Email)
	}
	if in.Name, err = validName(in.Name, "body.name"); err != nil {
		return in, err
	}
	if in.Phone, err = validPhone(in.Phone); err != nil {
		return in, err
	}
	if in.Roles, err = validRoles(in.Roles); err != nil {
		return in, err
	}
	return in, nil
}

func validChanges(ch *UserChanges) error {
	var err error
	if ch.Name != nil {
		n, err := validName(*ch.Name, "body.name")
		if err != nil {
			return err
		}
		ch.Name = &n
	}
	if ch.Phone != nil {
		p, err := validPhone(*ch.Phone)
		if err != nil {
			return err
		}
		ch.Phone = &p
	}
	if ch.Roles != nil {
		if ch.Roles, err = validRoles(ch.Roles); err != nil {
			return err
		}
	}
	if ch.Status != nil && *ch.Status != StatusActive && *ch.Status != StatusDisabled {
		return fault.Field("body.status", "must be active or disabled", string(*ch.Status))
	}
	return nil
}

func validPhone(phone string) (string, error) {
	p := strings.TrimSpace(phone)
	if utf8.RuneCountInString(p) > MaxPhoneLen {
		return "", fault.Field("body.phone", fmt.Sprintf("is longer than %d characters", MaxPhoneLen), phone)
	}
	if strings.Trim(p, "0123456789+-() .") != "" {
		return "", fault.Field("body.phone", "may hold only digits, spaces and + - ( ) .", phone)
	}
	return p, nil
}

func validRoles(roles []string) ([]string, error) {
	if len(roles) == 0 {
		return nil, fault.Field("body.roles", "needs at least one role", roles)
	}
	for _, r := range roles {
		if !identity.ValidRole(r) {
			return nil, fault.Field("body.roles", fmt.Sprintf("%q is not a role; use %s", r, strings.Join(identity.Roles, ", ")), roles)
		}
	}
	return sortRoles(roles), nil
}

// validName trims a name and checks its length.
func validName(name, location string) (string, error) {
	n := strings.TrimSpace(name)
	if n == "" {
		return "", fault.Field(location, "is required", name)
	}
	if utf8.RuneCountInString(n) > MaxNameLen {
		return "", fault.Field(location, fmt.Sprintf("is longer than %d characters", MaxNameLen), name)
	}
	return n, nil
}
