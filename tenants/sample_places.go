package tenants

import (
	"math"
	"time"

	"github.com/repflow/repflow/platform/visits/geo"
)

// sampleCity is where a new tenant's sample customers are: the city its time zone is named
// after, or the one nearest in UTC offset for a zone not listed here. A sign-up gives no address,
// and the time zone is the one place it names.
type sampleCity struct {
	name   string
	centre geo.Point
}

var sampleCities = map[string]sampleCity{
	"Asia/Shanghai":       {"Shanghai", geo.Point{Lat: 31.2304, Lon: 121.4737}},
	"Asia/Chongqing":      {"Chongqing", geo.Point{Lat: 29.5630, Lon: 106.5516}},
	"Asia/Harbin":         {"Harbin", geo.Point{Lat: 45.8038, Lon: 126.5350}},
	"Asia/Urumqi":         {"Urumqi", geo.Point{Lat: 43.8256, Lon: 87.6168}},
	"Asia/Hong_Kong":      {"Hong Kong", geo.Point{Lat: 22.3193, Lon: 114.1694}},
	"Asia/Macau":          {"Macau", geo.Point{Lat: 22.1987, Lon: 113.5439}},
	"Asia/Taipei":         {"Taipei", geo.Point{Lat: 25.0330, Lon: 121.5654}},
	"Asia/Singapore":      {"Singapore", geo.Point{Lat: 1.3521, Lon: 103.8198}},
	"Asia/Kuala_Lumpur":   {"Kuala Lumpur", geo.Point{Lat: 3.1390, Lon: 101.6869}},
	"Asia/Bangkok":        {"Bangkok", geo.Point{Lat: 13.7563, Lon: 100.5018}},
	"Asia/Ho_Chi_Minh":    {"Ho Chi Minh City", geo.Point{Lat: 10.8231, Lon: 106.6297}},
	"Asia/Jakarta":        {"Jakarta", geo.Point{Lat: -6.2088, Lon: 106.8456}},
	"Asia/Manila":         {"Manila", geo.Point{Lat: 14.5995, Lon: 120.9842}},
	"Asia/Tokyo":          {"Tokyo", geo.Point{Lat: 35.6762, Lon: 139.6503}},
	"Asia/Seoul":          {"Seoul", geo.Point{Lat: 37.5665, Lon: 126.9780}},
	"Asia/Kolkata":        {"Kolkata", geo.Point{Lat: 22.5726, Lon: 88.3639}},
	"Asia/Karachi":        {"Karachi", geo.Point{Lat: 24.8607, Lon: 67.0011}},
	"Asia/Dubai":          {"Dubai", geo.Point{Lat: 25.2048, Lon: 55.2708}},
	"Europe/Istanbul":     {"Istanbul", geo.Point{Lat: 41.0082, Lon: 28.9784}},
	"Europe/Moscow":       {"Moscow", geo.Point{Lat: 55.7558, Lon: 37.6173}},
	"Europe/Warsaw":       {"Warsaw", geo.Point{Lat: 52.2297, Lon: 21.0122}},
	"Europe/Berlin":       {"Berlin", geo.Point{Lat: 52.5200, Lon: 13.4050}},
	"Europe/Paris":        {"Paris", geo.Point{Lat: 48.8566, Lon: 2.3522}},
	"Europe/Madrid":       {"Madrid", geo.Point{Lat: 40.4168, Lon: -3.7038}},
	"Europe/Rome":         {"Rome", geo.Point{Lat: 41.9028, Lon: 12.4964}},
	"Europe/Amsterdam":    {"Amsterdam", geo.Point{Lat: 52.3676, Lon: 4.9041}},
	"Europe/London":       {"London", geo.Point{Lat: 51.5074, Lon: -0.1278}},
	"Africa/Cairo":        {"Cairo", geo.Point{Lat: 30.0444, Lon: 31.2357}},
	"Africa/Johannesburg": {"Johannesburg", geo.Point{Lat: -26.2041, Lon: 28.0473}},
	"Africa/Lagos":        {"Lagos", geo.Point{Lat: 6.5244, Lon: 3.3792}},
	"America/Sao_Paulo":   {"São Paulo", geo.Point{Lat: -23.5505, Lon: -46.6333}},
	"America/New_York":    {"New York", geo.Point{Lat: 40.7128, Lon: -74.0060}},
	"America/Toronto":     {"Toronto", geo.Point{Lat: 43.6532, Lon: -79.3832}},
	"America/Chicago":     {"Chicago", geo.Point{Lat: 41.8781, Lon: -87.6298}},
	"America/Mexico_City": {"Mexico City", geo.Point{Lat: 19.4326, Lon: -99.1332}},
	"America/Denver":      {"Denver", geo.Point{Lat: 39.7392, Lon: -104.9903}},
	"America/Los_Angeles": {"Los Angeles", geo.Point{Lat: 34.0522, Lon: -118.2437}},
	"Australia/Sydney":    {"Sydney", geo.Point{Lat: -33.8688, Lon: 151.2093}},
	"Pacific/Auckland":    {"Auckland", geo.Point{Lat: -36.8485, Lon: 174.7633}},
}

// sampleCityOf is the city of zone, else the listed city whose zone is nearest in UTC offset at
// t (a tie goes to the first name in order, so the answer never depends on map order).
func sampleCityOf(zone string, loc *time.Location, t time.Time) sampleCity {
	if c, ok := sampleCities[zone]; ok {
		return c
	}
	_, want := t.In(loc).Zone()
	best, bestZone, gap := sampleCities["Asia/Shanghai"], "", math.MaxInt
	for z, c := range sampleCities {
		other, err := time.LoadLocation(z)
		if err != nil {
			continue
		}
		_, off := t.In(other).Zone()
		d := abs(off - want)
		if d < gap || (d == gap && z < bestZone) {
			best, bestZone, gap = c, z, d
		}
	}
	return best
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
