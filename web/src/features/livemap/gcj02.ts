// WGS84 to GCJ-02, the datum Chinese tile providers (AMap, Tencent) draw in. repflow stores WGS84;
// over such tiles every point is shifted before it is drawn, or everything lands some 500 m off.
// The same formula as the server's (platform/visits/geo/gcj02.go): the offset computed on the
// Krasovsky 1940 ellipsoid, as every open-source converter has it.

export interface LatLon {
  lat: number
  lon: number
}

const A = 6378245.0 // Krasovsky semi-major axis, metres
const E2 = 0.00669342162296594323 // first eccentricity squared

/** Outside this rough box of mainland China, GCJ-02 is WGS84 unchanged (as the phones do). */
function outOfChina(p: LatLon): boolean {
  return p.lon < 72.004 || p.lon > 137.8347 || p.lat < 0.8293 || p.lat > 55.8271
}

function latWave(x: number, y: number): number {
  let r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x))
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0
  r += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0
  r += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0
  return r
}

function lonWave(x: number, y: number): number {
  let r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x))
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0
  r += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0
  r += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0
  return r
}

/** The GCJ-02 position of a WGS84 point; outside mainland China, the point itself. */
export function toGcj02(p: LatLon): LatLon {
  if (outOfChina(p)) return p
  const x = p.lon - 105.0
  const y = p.lat - 35.0
  const lat = (p.lat * Math.PI) / 180
  const sin = Math.sin(lat)
  const magic = 1 - E2 * sin * sin
  const sqrtMagic = Math.sqrt(magic)
  // Metres of the wave as degrees: the meridian's radius of curvature for latitude, the
  // parallel's radius for longitude.
  const dLat = (latWave(x, y) * 180.0) / (((A * (1 - E2)) / (magic * sqrtMagic)) * Math.PI)
  const dLon = (lonWave(x, y) * 180.0) / ((A / sqrtMagic) * Math.cos(lat) * Math.PI)
  return { lat: p.lat + dLat, lon: p.lon + dLon }
}
