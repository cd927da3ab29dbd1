// Package fault is the vocabulary of errors a caller can act on. Domain services return them; the
// web layer turns the kind into an HTTP status and the code and message into the one error shape.
// Any other error is the platform's own failure: logged in full, shown as a bare 500.
package fault

import (
	"errors"
	"fmt"
	"strings"
)

// Kind classifies what the caller did wrong.
type Kind int

const (
	Invalid         Kind = iota + 1 // the request itself is wrong: 400/422
	Unauthorized                    // no valid credentials: 401
	Forbidden                       // known caller, not allowed: 403
	NotFound                        // no such thing, or not visible to the caller: 404
	Conflict                        // clashes with the current state: 409
	TooMany                         // slow down: 429
	Unavailable                     // the platform cannot serve it now: 503
	PaymentRequired                 // the tenant's subscription must be paid first: 402
)

// Detail points at one offending part of the input.
type Detail struct {
	Location string `json:"location,omitempty"` // e.g. "body.email"
	Message  string `json:"message"`
	Value    any    `json:"value,omitempty"`
}

// Error is an error with a kind, a stable machine code and a message for a person.
type Error struct {
	Kind    Kind
	Code    string
	Message string
	Details []Detail
	// RetryAfter, in seconds, accompanies TooMany.
	RetryAfter int
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// New returns an error of kind k.
func New(k Kind, code, msg string, details ...Detail) *Error {
	return &Error{Kind: k, Code: code, Message: msg, Details: details}
}

// Newf is New with a formatted message.
func Newf(k Kind, code, format string, args ...any) *Error {
	return &Error{Kind: k, Code: code, Message: fmt.Sprintf(format, args...)}
}

// NotFoundf says that a thing does not exist for this caller. Callers use it for rows of other
// tenants and rows outside their scope too, so a foreign id is indistinguishable from a missing one.
func NotFoundf(thing string) *Error {
	return &Error{Kind: NotFound, Code: "not_found", Message: thing + " not found"}
}

// As returns the fault in err's chain, if any.
func As(err error) (*Error, bool) {
	var f *Error
	ok := errors.As(err, &f)
	return f, ok
}

// Is reports whether err is a fault of kind k.
func Is(err error, k Kind) bool {
	f, ok := As(err)
	return ok && f.Kind == k
}

// Field is the fault of one bad field of a request, at its location ("body.amount"): the
// message names the field, the detail says where and why.
func Field(location, msg string, value any) *Error {
	field := location[strings.LastIndex(location, ".")+1:]
	return New(Invalid, "invalid_input", field+" "+msg, Detail{Location: location, Message: msg, Value: value})
}

// Reference is the fault of a request naming, at location, a row that does not exist for the
// caller (another tenant's, or out of their sight): the request is wrong, nothing is missing.
func Reference(location, msg string, id fmt.Stringer) *Error {
	return New(Invalid, "invalid_reference", msg, Detail{Location: location, Message: msg, Value: id.String()})
}
