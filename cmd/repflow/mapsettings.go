package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/danielgtaylor/huma/v2"
)

// mapSettings is the live map's base layer as the operator configures it. The tiles are drawn in
// their provider's datum: Chinese providers (AMap, Tencent) draw in GCJ-02, so the web UI shifts
// repflow's WGS84 positions into it before drawing them over such tiles.
type mapSettings struct {
	TileURL     string // Leaflet's URL template; empty: no tiles (an offline or air-gapped install)
	Attribution string // plain text
	Datum       string // wgs84 or gcj02
}

func (m mapSettings) validate() error {
	if m.Datum != "wgs84" && m.Datum != "gcj02" {
		return fmt.Errorf("REPFLOW_MAP_DATUM (--map-datum): %q is neither wgs84 nor gcj02", m.Datum)
	}
	if m.TileURL == "" {
		return nil
	}
	for _, part := range []string{"{z}", "{x}", "{y}"} {
		if !strings.Contains(m.TileURL, part) {
			return fmt.Errorf("REPFLOW_MAP_TILE_URL (--map-tile-url): %q has no %s; want a template like https://tile.openstreetmap.org/{z}/{x}/{y}.png, or empty for no tiles", m.TileURL, part)
		}
	}
	// A path on this server's own origin (tiles served beside it) or an http(s) address.
	u, err := url.Parse(strings.NewReplacer("{", "", "}", "").Replace(m.TileURL))
	if err != nil || (!strings.HasPrefix(m.TileURL, "/") && ((u.Scheme != "http" && u.Scheme != "https") || u.Host == "")) {
		return fmt.Errorf("REPFLOW_MAP_TILE_URL (--map-tile-url): %q is neither an http(s) URL nor a path", m.TileURL)
	}
	return nil
}

// MapSettingsDTO tells the web UI how to draw the live map's base layer.
type MapSettingsDTO struct {
	TileURL     string `json:"tile_url" doc:"Leaflet URL template ({z}/{x}/{y}, optional {s}); empty: draw without tiles"`
	Attribution string `json:"attribution" doc:"the tile provider's credit, plain text"`
	Datum       string `json:"datum" enum:"wgs84,gcj02" doc:"the tiles' datum; positions (always WGS84) are shifted into it before drawing"`
}

type mapSettingsOutput struct{ Body MapSettingsDTO }

// Register adds the settings' operation: any signed-in user may read them.
func (m mapSettings) Register(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "get-map-settings", Method: http.MethodGet, Path: "/api/v1/map-settings",
		Summary: "How the live map draws its base layer: tile URL, attribution and the tiles' datum", Tags: []string{"Maps"}},
		func(context.Context, *struct{}) (*mapSettingsOutput, error) {
			return &mapSettingsOutput{Body: MapSettingsDTO{TileURL: m.TileURL, Attribution: m.Attribution, Datum: m.Datum}}, nil
		})
}
