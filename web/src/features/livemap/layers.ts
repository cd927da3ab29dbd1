// How the live map's things look and how a test or a person finds them: vector layers only (SVG
// paths, circle markers), so that the map is whole with no tile and no marker image reachable.
import L from 'leaflet'
import type { FenceShape } from './shapes'

const BRAND = '#1f4e79'
const STALE = '#8a94a6'
const HIGHLIGHT = '#e07b00'

export function fenceStyle(highlighted: boolean): L.PathOptions {
  return highlighted
    ? { color: HIGHLIGHT, weight: 3, fillColor: HIGHLIGHT, fillOpacity: 0.3 }
    : { color: '#2f7d5b', weight: 1.5, fillColor: '#2f7d5b', fillOpacity: 0.12 }
}

/** A customer's location: a dot the size of a pin's head, whatever the zoom. */
export function dotStyle(highlighted: boolean): L.CircleMarkerOptions {
  const colour = highlighted ? HIGHLIGHT : '#2f7d5b'
  return { radius: highlighted ? 5 : 3, color: colour, weight: 1, fillColor: colour, fillOpacity: 0.8 }
}

export function markerStyle(stale: boolean, selected: boolean): L.CircleMarkerOptions {
  return {
    radius: selected ? 10 : 7,
    color: selected ? HIGHLIGHT : '#ffffff',
    weight: selected ? 3 : 2,
    fillColor: stale ? STALE : BRAND,
    fillOpacity: 0.95,
  }
}

export function trackStyle(selected: boolean): L.PolylineOptions {
  return selected ? { color: HIGHLIGHT, weight: 4, opacity: 0.9 } : { color: BRAND, weight: 2, opacity: 0.45 }
}

export function fenceLayer(shape: FenceShape, renderer: L.Renderer): L.Path {
  const style = { ...fenceStyle(false), renderer }
  return shape.kind === 'circle' ? L.circle(shape.center, { ...style, radius: shape.radius }) : L.polygon(shape.rings, style)
}

/** Marks a drawn layer's SVG element for tests (data-test) and for reading its state. */
export function tag(layer: L.Path, attrs: Record<string, string>) {
  const el = layer.getElement()
  for (const [k, v] of Object.entries(attrs)) el?.setAttribute(k, v)
}

/** A tooltip holding plain text: names are people's input, never HTML. */
export function textTip(text: string): HTMLElement {
  const span = document.createElement('span')
  span.textContent = text
  return span
}

/** Light squares under the tiles: what shows where no tile is configured or none loads. */
class GridTiles extends L.GridLayer {
  protected override createTile(): HTMLElement {
    const tile = document.createElement('div')
    tile.className = 'lm-grid-tile'
    return tile
  }
}

export function gridLayer(): L.GridLayer {
  return new GridTiles({ zIndex: 0 })
}

/** The tile provider's credit as text: Leaflet writes attributions as HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
