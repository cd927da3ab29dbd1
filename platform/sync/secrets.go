package sync

import (
	"encoding/json"
	"slices"
)

// secretFields are the top-level properties a kind's configuration schema marks writeOnly
// (passwords, API keys): stored and handed to the connector, never shown back.
func secretFields(schema json.RawMessage) []string {
	var s struct {
		Properties map[string]struct {
			WriteOnly bool `json:"writeOnly"`
		} `json:"properties"`
	}
	if json.Unmarshal(schema, &s) != nil {
		return nil
	}
	var out []string
	for name, p := range s.Properties {
		if p.WriteOnly {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// withoutSecrets is config with the secret fields removed.
func withoutSecrets(config json.RawMessage, secrets []string) json.RawMessage {
	if len(secrets) == 0 {
		return config
	}
	var doc map[string]json.RawMessage
	if json.Unmarshal(config, &doc) != nil {
		return config
	}
	for _, k := range secrets {
		delete(doc, k)
	}
	out, _ := json.Marshal(doc) // a map of raw values always encodes
	return out
}

// keepSecrets is next with each secret field it leaves out taken from old: an administrator who
// changes the address does not have to type the password again.
func keepSecrets(next, old json.RawMessage, secrets []string) (json.RawMessage, error) {
	var n, o map[string]json.RawMessage
	if err := json.Unmarshal(next, &n); err != nil {
		return nil, err
	}
	if len(secrets) == 0 || json.Unmarshal(old, &o) != nil {
		return next, nil
	}
	for _, k := range secrets {
		if _, given := n[k]; !given {
			if v, had := o[k]; had {
				n[k] = v
			}
		}
	}
	return json.Marshal(n)
}

// splitSecrets parts config into its plain fields and its secret ones, each a JSON object.
func splitSecrets(config json.RawMessage, secrets []string) (plain, secret json.RawMessage) {
	var doc map[string]json.RawMessage
	if json.Unmarshal(config, &doc) != nil || doc == nil {
		return config, json.RawMessage(`{}`)
	}
	hidden := map[string]json.RawMessage{}
	for _, k := range secrets {
		if v, ok := doc[k]; ok {
			hidden[k] = v
			delete(doc, k)
		}
	}
	plain, _ = json.Marshal(doc) // maps of raw values always encode
	secret, _ = json.Marshal(hidden)
	return plain, secret
}

// mergeSecrets is splitSecrets undone: plain with the secret fields put back.
func mergeSecrets(plain, secret json.RawMessage) json.RawMessage {
	var doc, hidden map[string]json.RawMessage
	if json.Unmarshal(plain, &doc) != nil || doc == nil || json.Unmarshal(secret, &hidden) != nil || len(hidden) == 0 {
		return plain
	}
	for k, v := range hidden {
		doc[k] = v
	}
	out, _ := json.Marshal(doc)
	return out
}

// setSecrets names the secret fields config has a value for.
func setSecrets(config json.RawMessage, secrets []string) []string {
	var doc map[string]json.RawMessage
	_ = json.Unmarshal(config, &doc)
	out := []string{}
	for _, k := range secrets {
		if v, ok := doc[k]; ok && string(v) != `""` && string(v) != "null" {
			out = append(out, k)
		}
	}
	return out
}
