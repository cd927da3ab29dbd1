package sdk

import (
	"context"
	"errors"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// toStatus turns a connector's error into the gRPC status the host receives. The message is the
// connector's own, unchanged; context errors keep their codes so the host can tell a deadline
// from a failure.
func toStatus(err error) error {
	if err == nil {
		return nil
	}
	if st, ok := status.FromError(err); ok {
		return st.Err()
	}
	code := codes.Unknown
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		code = codes.DeadlineExceeded
	case errors.Is(err, context.Canceled):
		code = codes.Canceled
	}
	return status.Error(code, err.Error())
}

// statusError is an error the host received from a connector call: its text is the status's
// message alone (the connector's words, not "rpc error: code = ..."), status.FromError still
// finds the status, and errors.Is matches context errors by code.
type statusError struct{ st *status.Status }

func fromStatus(err error) error {
	if err == nil {
		return nil
	}
	return &statusError{st: status.Convert(err)}
}

func (e *statusError) Error() string { return e.st.Message() }

// GRPCStatus lets status.FromError and status.Code read the status through the wrapper.
func (e *statusError) GRPCStatus() *status.Status { return e.st }

func (e *statusError) Is(target error) bool {
	switch target {
	case context.DeadlineExceeded:
		return e.st.Code() == codes.DeadlineExceeded
	case context.Canceled:
		return e.st.Code() == codes.Canceled
	}
	return false
}
