package sdk

import (
	"context"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	"github.com/repflow/repflow/plugins/proto"
)

// Handshake is what the host and a connector check before talking. It is not security: it only
// stops a connector binary from being run by hand, or by a host of an incompatible protocol.
var Handshake = plugin.HandshakeConfig{
	ProtocolVersion:  1,
	MagicCookieKey:   "REPFLOW_CONNECTOR",
	MagicCookieValue: "6f1c2a9e-repflow-connector-v1",
}

// PluginName is the one plugin every connector binary serves.
const PluginName = "connector"

// VersionedPlugins is the host's side of version negotiation: protocol version 1 is the
// Connector service of plugins/proto.
var VersionedPlugins = map[int]plugin.PluginSet{
	1: {PluginName: &ConnectorPlugin{}},
}

// ConnectorPlugin is the go-plugin glue for a Connector. The plugin sets Impl; the host leaves
// it nil and gets a Connector from Dispense.
type ConnectorPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	Impl Connector
}

// GRPCServer registers Impl's adapter on the plugin's gRPC server.
func (p *ConnectorPlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	proto.RegisterConnectorServer(s, &grpcServer{impl: p.Impl})
	return nil
}

// GRPCClient returns a Connector that calls the plugin over c.
func (p *ConnectorPlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return &grpcClient{client: proto.NewConnectorClient(c)}, nil
}

// Serve runs c as a connector plugin; a connector's main calls it and nothing else. It returns
// when the host closes the connection.
func Serve(c Connector) {
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: Handshake,
		VersionedPlugins: map[int]plugin.PluginSet{
			1: {PluginName: &ConnectorPlugin{Impl: c}},
		},
		GRPCServer: plugin.DefaultGRPCServer,
	})
}
