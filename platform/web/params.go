package web

import (
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/fault"
)

// ParseID parses an id from a path, query or body at location ("path.id"); huma has checked the
// format already, so this is the second line for anything its check lets through.
func ParseID(s, location string) (uuid.UUID, error) {
	id, err := uuid.Parse(s)
	if err != nil {
		return uuid.Nil, fault.Field(location, "is not a UUID", s)
	}
	return id, nil
}

// ParseOptionalID is ParseID for an optional field: "" is nil.
func ParseOptionalID(s, location string) (*uuid.UUID, error) {
	if s == "" {
		return nil, nil
	}
	id, err := ParseID(s, location)
	return &id, err
}
