package migrations

// auth: written by the auth work.
var auth = Migration{Version: 2, Name: "auth"}
