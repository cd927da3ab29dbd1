package sync

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const schema = `{"type":"object","properties":{
	"url":{"type":"string"},"username":{"type":"string"},
	"password":{"type":"string","writeOnly":true},"api_key":{"type":"string","writeOnly":true}}}`

func TestSecretFieldsAreTheWriteOnlyOnes(t *testing.T) {
	if diff := cmp.Diff([]string{"api_key", "password"}, secretFields(json.RawMessage(schema))); diff != "" {
		t.Fatalf("secrets (-want +got):\n%s", diff)
	}
	if got := secretFields(json.RawMessage(`not json`)); got != nil {
		t.Fatalf("a broken schema has secrets %v", got)
	}
}

func TestSecretsAreKeptButNotShown(t *testing.T) {
	secrets := secretFields(json.RawMessage(schema))
	stored := json.RawMessage(`{"url":"http://erp.test","username":"sync","password":"s3cret","api_key":""}`)

	var shown map[string]any
	if err := json.Unmarshal(withoutSecrets(stored, secrets), &shown); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]any{"url": "http://erp.test", "username": "sync"}, shown); diff != "" {
		t.Fatalf("shown (-want +got):\n%s", diff)
	}
	// An empty secret is not "set": the form asks for it.
	if diff := cmp.Diff([]string{"password"}, setSecrets(stored, secrets)); diff != "" {
		t.Fatalf("set (-want +got):\n%s", diff)
	}

	for _, c := range []struct {
		name, next, want string
	}{
		{"a secret left out keeps its value", `{"url":"http://erp2.test","username":"sync"}`,
			`{"api_key":"","password":"s3cret","url":"http://erp2.test","username":"sync"}`},
		{"a secret given replaces it", `{"url":"http://erp.test","password":"new"}`,
			`{"api_key":"","password":"new","url":"http://erp.test"}`},
		{"a plain field left out is gone", `{"password":"new"}`, `{"api_key":"","password":"new"}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := keepSecrets(json.RawMessage(c.next), stored, secrets)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != c.want {
				t.Fatalf("merged = %s, want %s", got, c.want)
			}
		})
	}
}

func TestLastVersionsKeepsEachRecordOnceAsItWasLast(t *testing.T) {
	rows := []recordRow{{ExternalID: "1", Data: "a"}, {ExternalID: "2", Data: "b"}, {ExternalID: "1", Data: "c"}}
	got := lastVersions(rows)
	if len(got) != 2 || got[0].ExternalID != "2" || got[1].Data != "c" {
		t.Fatalf("last versions = %+v", got)
	}
}

func TestSecretsAreStoredApartAndPutBack(t *testing.T) {
	secrets := secretFields(json.RawMessage(schema))
	config := json.RawMessage(`{"url":"http://erp.test","username":"sync","password":"s3cret"}`)
	var row connectorRow
	row.setConfig(config, secrets)
	if row.Config != `{"url":"http://erp.test","username":"sync"}` || row.Secrets != `{"password":"s3cret"}` {
		t.Fatalf("stored config %s, secrets %s", row.Config, row.Secrets)
	}
	if got := string(row.config()); got != `{"password":"s3cret","url":"http://erp.test","username":"sync"}` {
		t.Fatalf("the whole configuration = %s", got)
	}
	// A kind this server does not know has no secret fields: everything stays in config.
	row.setConfig(config, nil)
	if row.Secrets != `{}` || string(row.config()) != `{"password":"s3cret","url":"http://erp.test","username":"sync"}` {
		t.Fatalf("without a schema: config %s, secrets %s", row.Config, row.Secrets)
	}
}
