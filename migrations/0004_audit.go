package migrations

// audit: written by the audit work.
var audit = Migration{Version: 4, Name: "audit"}
