package sdk

import (
	"context"

	"github.com/repflow/repflow/plugins/proto"
)

// grpcServer runs in the plugin process and answers the host by calling the connector.
type grpcServer struct {
	proto.UnimplementedConnectorServer
	impl Connector
}

func (s *grpcServer) Describe(ctx context.Context, _ *proto.DescribeRequest) (*proto.Description, error) {
	d, err := s.impl.Describe(ctx)
	if err != nil {
		return nil, toStatus(err)
	}
	return descriptionToProto(d), nil
}

func (s *grpcServer) Configure(ctx context.Context, req *proto.ConfigureRequest) (*proto.ConfigureResponse, error) {
	fes, err := s.impl.Configure(ctx, req.GetConfig())
	if err != nil {
		return nil, toStatus(err)
	}
	return &proto.ConfigureResponse{Errors: fieldErrorsToProto(fes)}, nil
}

// Check answers a failed check in the response, not as an RPC error: the check ran, and its
// answer is that the remote system cannot be reached.
func (s *grpcServer) Check(ctx context.Context, _ *proto.CheckRequest) (*proto.CheckResponse, error) {
	if err := s.impl.Check(ctx); err != nil {
		if ctx.Err() != nil {
			return nil, toStatus(ctx.Err())
		}
		return &proto.CheckResponse{Ok: false, Message: err.Error()}, nil
	}
	return &proto.CheckResponse{Ok: true}, nil
}

func (s *grpcServer) Pull(req *proto.PullRequest, stream proto.Connector_PullServer) error {
	send := func(r Record) error { return stream.Send(recordToProto(r)) }
	return toStatus(s.impl.Pull(stream.Context(), pullRequestFromProto(req), send))
}

func (s *grpcServer) Push(ctx context.Context, req *proto.PushRequest) (*proto.PushResponse, error) {
	results, err := s.impl.Push(ctx, req.GetEntity(), recordsFromProto(req.GetRecords()))
	if err != nil {
		return nil, toStatus(err)
	}
	return &proto.PushResponse{Results: pushResultsToProto(results)}, nil
}
