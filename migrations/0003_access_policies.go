package migrations

// accessPolicies: written by the accessPolicies work.
var accessPolicies = Migration{Version: 3, Name: "accessPolicies"}
