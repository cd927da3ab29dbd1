package main

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/repflow/repflow/platform/storetest"
	"github.com/repflow/repflow/tenants"
)

// signedIn provisions a small tenant and answers its admin's token.
func (h *harness) signedIn(slug string) string {
	h.t.Helper()
	_, err := h.app.provisioner.Provision(context.Background(), tenants.Signup{Company: slug, Industry: "fmcg", TimeZone: "Asia/Shanghai",
		Currency: "CNY", AdminName: slug + " Admin", AdminEmail: "admin@" + slug + ".test", AdminPassword: testPassword})
	if err != nil {
		h.t.Fatal(err)
	}
	return h.login("admin@" + slug + ".test")
}

// The live map's base layer is the operator's: signed-in users read it as configured, with
// OpenStreetMap's tiles in WGS84 by default and no tiles at all when the URL is empty.
func TestMapSettingsAreTheOperatorsConfiguration(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  func(*config)
		want MapSettingsDTO
	}{
		{"default", func(*config) {}, MapSettingsDTO{TileURL: "https://tile.openstreetmap.org/{z}/{x}/{y}.png", Attribution: "© OpenStreetMap contributors", Datum: "wgs84"}},
		{"amap", func(c *config) {
			c.Map = mapSettings{TileURL: "https://webrd0{s}.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}", Attribution: "© AutoNavi", Datum: "gcj02"}
		}, MapSettingsDTO{TileURL: "https://webrd0{s}.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}", Attribution: "© AutoNavi", Datum: "gcj02"}},
		{"offline", func(c *config) { c.Map.TileURL = "" }, MapSettingsDTO{Attribution: "© OpenStreetMap contributors", Datum: "wgs84"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := harnessOn(t, storetest.Open(t), false, tc.set)
			var got MapSettingsDTO
			if code := h.call(h.signedIn("map-"+tc.name), http.MethodGet, "/api/v1/map-settings", nil, &got); code != http.StatusOK || got != tc.want {
				t.Errorf("GET /api/v1/map-settings: %d %+v, want %+v", code, got, tc.want)
			}
			if code, text := h.raw("", http.MethodGet, "/api/v1/map-settings", nil); code != http.StatusUnauthorized {
				t.Errorf("anonymous: %d %s, want 401", code, text)
			}
		})
	}
}

func TestMapSettingsAreChecked(t *testing.T) {
	for _, tc := range []struct{ env, value, wantErr string }{
		{"REPFLOW_MAP_DATUM", "bd09", "REPFLOW_MAP_DATUM"},
		{"REPFLOW_MAP_TILE_URL", "https://tile.example.com/tiles.png", "REPFLOW_MAP_TILE_URL"},
		{"REPFLOW_MAP_TILE_URL", "tile.example.com/{z}/{x}/{y}.png", "REPFLOW_MAP_TILE_URL"},
		{"REPFLOW_MAP_TILE_URL", "", ""},
		{"REPFLOW_MAP_TILE_URL", "/tiles/{z}/{x}/{y}.png", ""},
		{"REPFLOW_MAP_DATUM", "gcj02", ""},
	} {
		t.Run(tc.env+"="+tc.value, func(t *testing.T) {
			t.Setenv(tc.env, tc.value)
			cfg, err := parseConfig("serve", nil, true)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("err = %v, want a message naming %s", err, tc.wantErr)
			case tc.env == "REPFLOW_MAP_TILE_URL" && err == nil && cfg.Map.TileURL != tc.value:
				t.Errorf("tile URL %q, want %q", cfg.Map.TileURL, tc.value)
			}
		})
	}
}
