package main

import (
	"strings"
	"testing"
)

func TestBadConfigurationNamesTheSetting(t *testing.T) {
	cases := []struct {
		env, value, args string
		names            string
	}{
		{"REPFLOW_LISTEN", "8080", "", "REPFLOW_LISTEN"},
		{"REPFLOW_LISTEN", ":99999", "", "REPFLOW_LISTEN"},
		{"REPFLOW_DATABASE_URL", "postgres://u:secret@host:notaport/db", "", "REPFLOW_DATABASE_URL"},
		{"REPFLOW_DATA_DIR", " ", "", "REPFLOW_DATA_DIR"},
		{"REPFLOW_PUBLIC_URL", "localhost", "", "REPFLOW_PUBLIC_URL"},
		{"REPFLOW_LOG_LEVEL", "loud", "", "REPFLOW_LOG_LEVEL"},
		{"REPFLOW_LOG_FORMAT", "xml", "", "REPFLOW_LOG_FORMAT"},
		{"REPFLOW_MIGRATE", "sometimes", "", "REPFLOW_MIGRATE"},
		{"REPFLOW_SHUTDOWN_GRACE", "soon", "", "REPFLOW_SHUTDOWN_GRACE"},
		{"REPFLOW_TRUSTED_PROXIES", "10.0.0.0/8, lb.internal", "", "REPFLOW_TRUSTED_PROXIES"},
		{"REPFLOW_DEMO", "perhaps", "", "REPFLOW_DEMO"},
		{"", "", "--listen=nowhere", "REPFLOW_LISTEN"},
	}
	for _, c := range cases {
		if c.env != "" {
			t.Setenv(c.env, c.value)
		}
		var args []string
		if c.args != "" {
			args = []string{c.args}
		}
		_, err := parseConfig("serve", args, true)
		if err == nil || !strings.Contains(err.Error(), c.names) {
			t.Errorf("%s=%q %s: err = %v, want a message naming %s", c.env, c.value, c.args, err, c.names)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("the error repeats the database password: %v", err)
		}
		if c.env != "" {
			t.Setenv(c.env, map[string]string{"REPFLOW_LISTEN": ":8080", "REPFLOW_DATA_DIR": "./data", "REPFLOW_PUBLIC_URL": "http://localhost:8080",
				"REPFLOW_LOG_LEVEL": "info", "REPFLOW_LOG_FORMAT": "text", "REPFLOW_MIGRATE": "auto", "REPFLOW_SHUTDOWN_GRACE": "15s", "REPFLOW_DEMO": "false"}[c.env])
		}
	}
}

func TestFlagsBeatEnvironment(t *testing.T) {
	t.Setenv("REPFLOW_LISTEN", "127.0.0.1:9000")
	t.Setenv("REPFLOW_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.1")
	cfg, err := parseConfig("serve", []string{"--listen", "127.0.0.1:9100", "--demo"}, true)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Listen != "127.0.0.1:9100" || !cfg.Demo || len(cfg.proxies()) != 2 || cfg.DataDir != "./data" {
		t.Errorf("config = %+v", cfg)
	}
}
