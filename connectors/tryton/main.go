// Command tryton is repflow's connector plugin for the Tryton ERP (6.0 JSON-RPC).
// The repflow host starts it; it is not meant to be run by hand.
package main

import "github.com/repflow/repflow/plugins/sdk"

func main() { sdk.Serve(newConnector()) }
