package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/gofiber/fiber/v2"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/store"
)

// ErrorBody is the one error shape of the API: {"error":{"code","message","details"}}.
type ErrorBody struct {
	Payload ErrorPayload `json:"error"`
	// status is the HTTP status; it is not part of the body.
	status int
}

// ErrorPayload is what the caller reads.
type ErrorPayload struct {
	Code    string         `json:"code" doc:"Stable machine-readable code, e.g. not_found"`
	Message string         `json:"message" doc:"What went wrong and what to do, for a person"`
	Details []fault.Detail `json:"details,omitempty"`
}

// GetStatus makes ErrorBody a huma.StatusError.
func (e *ErrorBody) GetStatus() int { return e.status }

func (e *ErrorBody) Error() string { return e.Payload.Code + ": " + e.Payload.Message }

var statusOfKind = map[fault.Kind]int{
	fault.Invalid:         http.StatusBadRequest,
	fault.Unauthorized:    http.StatusUnauthorized,
	fault.Forbidden:       http.StatusForbidden,
	fault.NotFound:        http.StatusNotFound,
	fault.Conflict:        http.StatusConflict,
	fault.TooMany:         http.StatusTooManyRequests,
	fault.Unavailable:     http.StatusServiceUnavailable,
	fault.PaymentRequired: http.StatusPaymentRequired,
}

// codeOfStatus names the errors huma and fiber raise themselves.
var codeOfStatus = map[int]string{
	http.StatusBadRequest:            "invalid_request",
	http.StatusUnauthorized:          "unauthenticated",
	http.StatusPaymentRequired:       "payment_required",
	http.StatusForbidden:             "forbidden",
	http.StatusNotFound:              "not_found",
	http.StatusMethodNotAllowed:      "method_not_allowed",
	http.StatusConflict:              "conflict",
	http.StatusRequestEntityTooLarge: "body_too_large",
	http.StatusUnsupportedMediaType:  "unsupported_media_type",
	http.StatusUnprocessableEntity:   "invalid_input",
	http.StatusTooManyRequests:       "too_many_requests",
	http.StatusServiceUnavailable:    "unavailable",
}

// errorFor turns any error from a handler into the response body. Faults carry their own status,
// code and message; store errors that callers can cause become 404 and 409; anything else is the
// platform's failure, logged with the request id and answered without internals.
func errorFor(ctx context.Context, status int, msg string, errs ...error) *ErrorBody {
	for _, err := range errs {
		if f, ok := fault.As(err); ok {
			return &ErrorBody{status: statusOfKind[f.Kind], Payload: ErrorPayload{Code: f.Code, Message: f.Message, Details: f.Details}}
		}
		if store.IsNotFound(err) {
			return &ErrorBody{status: http.StatusNotFound, Payload: ErrorPayload{Code: "not_found", Message: "not found"}}
		}
		if store.IsUniqueViolation(err) {
			return &ErrorBody{status: http.StatusConflict, Payload: ErrorPayload{Code: "conflict", Message: "this already exists"}}
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return &ErrorBody{status: http.StatusServiceUnavailable, Payload: ErrorPayload{Code: "timeout", Message: "the request took too long; try again"}}
		}
	}
	if status >= 500 {
		slog.ErrorContext(ctx, "request failed", "request_id", RequestID(ctx), "status", status, "error", errors.Join(errs...))
		return &ErrorBody{status: status, Payload: ErrorPayload{Code: "internal", Message: "something went wrong on our side; the request id identifies it: " + RequestID(ctx)}}
	}
	body := &ErrorBody{status: status, Payload: ErrorPayload{Code: codeOfStatus[status], Message: humaMessage(msg)}}
	if body.Payload.Code == "" {
		body.Payload.Code = strings.ToLower(strings.ReplaceAll(http.StatusText(status), " ", "_"))
	}
	for _, err := range errs {
		if err == nil {
			continue
		}
		var d huma.ErrorDetailer
		if errors.As(err, &d) {
			det := d.ErrorDetail()
			body.Payload.Details = append(body.Payload.Details, fault.Detail{Location: det.Location, Message: det.Message, Value: det.Value})
		} else {
			body.Payload.Details = append(body.Payload.Details, fault.Detail{Message: err.Error()})
		}
	}
	return body
}

// humaMessage makes huma's terse messages say what to fix.
func humaMessage(msg string) string {
	switch msg {
	case "validation failed":
		return "the request has invalid fields; see details for each one"
	case "":
		return "the request could not be processed"
	}
	return msg
}

func init() {
	huma.NewErrorWithContext = func(hctx huma.Context, status int, msg string, errs ...error) huma.StatusError {
		body := errorFor(hctx.Context(), status, msg, errs...)
		for _, err := range errs {
			if f, ok := fault.As(err); ok && f.RetryAfter > 0 {
				hctx.SetHeader("Retry-After", strconv.Itoa(f.RetryAfter))
			}
		}
		return body
	}
	huma.NewError = func(status int, msg string, errs ...error) huma.StatusError {
		return errorFor(context.Background(), status, msg, errs...)
	}
}

// fiberErrorHandler answers errors raised outside huma operations (unknown routes, oversized
// bodies, panics) in the same shape.
func fiberErrorHandler(c *fiber.Ctx, err error) error {
	status := http.StatusInternalServerError
	var fe *fiber.Error
	if errors.As(err, &fe) {
		status = fe.Code
	}
	msg := ""
	switch status {
	case http.StatusNotFound:
		msg = "no such endpoint: " + c.Method() + " " + c.Path()
	case http.StatusRequestEntityTooLarge:
		msg = "the request body is too large"
	case http.StatusMethodNotAllowed:
		msg = "this endpoint does not accept " + c.Method()
	default:
		if fe != nil {
			msg = fe.Message
		}
	}
	var errs []error
	if fe == nil {
		errs = append(errs, err)
	}
	body := errorFor(c.UserContext(), status, msg, errs...)
	if f, ok := fault.As(err); ok && f.RetryAfter > 0 {
		c.Set("Retry-After", strconv.Itoa(f.RetryAfter))
	}
	return c.Status(body.status).JSON(body)
}

// WriteError answers a plain fiber handler's failure in the API's error shape.
func WriteError(c *fiber.Ctx, err error) error { return fiberErrorHandler(c, err) }
