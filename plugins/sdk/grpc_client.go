package sdk

import (
	"context"
	"encoding/json"
	"errors"
	"io"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/repflow/repflow/plugins/proto"
)

// grpcClient is the Connector the host holds: each method is one call to the plugin process,
// under the caller's ctx (its deadline travels with the call). Errors keep their gRPC status.
type grpcClient struct {
	client proto.ConnectorClient
}

var _ Connector = (*grpcClient)(nil)

func (c *grpcClient) Describe(ctx context.Context) (Description, error) {
	d, err := c.client.Describe(ctx, &proto.DescribeRequest{})
	if err != nil {
		return Description{}, fromStatus(err)
	}
	return descriptionFromProto(d), nil
}

func (c *grpcClient) Configure(ctx context.Context, config json.RawMessage) ([]FieldError, error) {
	resp, err := c.client.Configure(ctx, &proto.ConfigureRequest{Config: config})
	if err != nil {
		return nil, fromStatus(err)
	}
	return fieldErrorsFromProto(resp.GetErrors()), nil
}

func (c *grpcClient) Check(ctx context.Context) error {
	resp, err := c.client.Check(ctx, &proto.CheckRequest{})
	if err != nil {
		return fromStatus(err)
	}
	if !resp.GetOk() {
		return &statusError{st: status.New(codes.Unknown, resp.GetMessage())}
	}
	return nil
}

// Pull hands each streamed record to send as it arrives. When send refuses one, the stream is
// cancelled (the connector sees its ctx end) and send's error is returned as it is.
func (c *grpcClient) Pull(ctx context.Context, req PullRequest, send func(Record) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := c.client.Pull(ctx, pullRequestToProto(req))
	if err != nil {
		return fromStatus(err)
	}
	for {
		rec, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fromStatus(err)
		}
		if err := send(recordFromProto(rec)); err != nil {
			return err
		}
	}
}

func (c *grpcClient) Push(ctx context.Context, entity string, records []Record) ([]PushResult, error) {
	resp, err := c.client.Push(ctx, &proto.PushRequest{Entity: entity, Records: recordsToProto(records)})
	if err != nil {
		return nil, fromStatus(err)
	}
	return pushResultsFromProto(resp.GetResults()), nil
}
