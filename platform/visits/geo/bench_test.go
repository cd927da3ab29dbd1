package geo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// Data size of the matching benchmark: 100,000 fences in one index (one tenant's customers),
// half circles of radius 50 to 500 m, half star polygons of 4 to 64 positions, most of them
// concave, some with a hole, spread over a 60 x 60 km square around Jinan (36.65N, 117.0E); the
// points are random in the same square, 65,536 of them cycled through.
const (
	benchFences = 100_000
	benchSide   = 60_000 // metres
	benchPoints = 1 << 16
)

type benchWorld struct {
	ids    []uuid.UUID
	fences []Fence
	boxes  []Box
	points []Point
	index  *Index
}

var (
	benchOnce sync.Once
	benchData *benchWorld
)

// world builds the benchmark data once per process (a few seconds), whatever -count says.
func world(b *testing.B) *benchWorld {
	benchOnce.Do(func() {
		rng := rand.New(rand.NewPCG(13, 14))
		w := &benchWorld{}
		w.ids, w.fences = randomFences(rng, benchFences, jinan, benchSide)
		w.index = NewIndex()
		for i, f := range w.fences {
			w.boxes = append(w.boxes, f.Bounds())
			if err := w.index.Insert(w.ids[i], f); err != nil {
				panic(err)
			}
		}
		for range benchPoints {
			w.points = append(w.points, randomPoint(rng, jinan, benchSide))
		}
		benchData = w
	})
	return benchData
}

// reportLatency adds p50 and p99 per point to the benchmark's output and returns the mean.
func reportLatency(b *testing.B, lat []time.Duration) (mean, p99 float64) {
	slices.Sort(lat)
	var sum time.Duration
	for _, l := range lat {
		sum += l
	}
	p99 = float64(lat[len(lat)*99/100].Nanoseconds())
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(p99, "p99-ns")
	return float64(sum.Nanoseconds()) / float64(len(lat)), p99
}

// BenchmarkContaining matches one point against 100,000 fences: the R-tree index (ours:
// Containing, and AppendContaining into a reused slice), a plain scan of every fence's box then
// the same exact test (the floor without an index), and PostgreSQL + PostGIS with GiST indexes,
// one query per point over a local connection (what the database alone would give). All return
// the same sorted ids; the PostGIS run checks that on 2,000 points first. The other lines carry
// their ratios to Containing's mean and p99 (x-rtree-mean, x-rtree-p99).
func BenchmarkContaining(b *testing.B) {
	w := world(b)
	type figures struct{ mean, p99 float64 }
	measured := map[string]figures{}
	measure := func(b *testing.B, name string, find func(Point) []uuid.UUID) {
		// Every page of the latency log is touched before the clock starts: a page fault on the
		// first write to a fresh page would otherwise land in one in 512 samples.
		lat := make([]time.Duration, b.N)
		for i := range lat {
			lat[i] = 1
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			p := w.points[i%len(w.points)]
			start := time.Now()
			_ = find(p)
			lat[i] = time.Since(start)
		}
		b.StopTimer()
		mean, p99 := reportLatency(b, lat)
		measured[name] = figures{mean, p99}
		// The ratios to the index, in the same run, are what compare across machines.
		if base, ok := measured["rtree"]; ok && name != "rtree" {
			b.ReportMetric(mean/base.mean, "x-rtree-mean")
			b.ReportMetric(p99/base.p99, "x-rtree-p99")
		}
	}

	b.Run("rtree", func(b *testing.B) {
		measure(b, "rtree", w.index.Containing)
	})
	// The same match into a reused slice: no garbage per match, as the ingest path will call it.
	b.Run("rtree-append", func(b *testing.B) {
		buf := make([]uuid.UUID, 0, 64)
		measure(b, "rtree-append", func(p Point) []uuid.UUID {
			buf = w.index.AppendContaining(buf[:0], p)
			return buf
		})
	})
	b.Run("linear", func(b *testing.B) {
		measure(b, "linear", func(p Point) []uuid.UUID { return linearContaining(w.ids, w.fences, w.boxes, p) })
	})
	var pg *postgisFences
	b.Run("postgis", func(b *testing.B) {
		if pg == nil {
			pg = openPostgis(b, w)
		}
		measure(b, "postgis", func(p Point) []uuid.UUID {
			ids, err := pg.containing(p)
			if err != nil {
				b.Fatal(err)
			}
			return ids
		})
	})
	if pg != nil {
		pg.close(b)
	}
}

// postgisFences is the same fences in a database of their own: polygons as geometry (planar
// lon/lat, as ours) matched with ST_Covers (boundary included, as ours), circles as a geography
// centre and radius matched with ST_DWithin on the sphere (as ours), behind a GiST-indexed box
// (the same box the R-tree holds: PostGIS cannot index a distance that varies by row).
type postgisFences struct {
	admin, conn *pgx.Conn
	name        string
}

const postgisQuery = `
SELECT id FROM fence_polygons WHERE ST_Covers(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326))
UNION ALL
SELECT id FROM fence_circles WHERE box && ST_SetSRID(ST_MakePoint($1, $2), 4326)
	AND ST_DWithin(centre, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography, radius, false)`

func openPostgis(b *testing.B, w *benchWorld) *postgisFences {
	b.Helper()
	dsn := os.Getenv("REPFLOW_TEST_DATABASE_URL")
	if dsn == "" {
		b.Skip("REPFLOW_TEST_DATABASE_URL is unset: point it at a PostgreSQL with PostGIS (Debian: apt-get install -y postgresql-15-postgis-3) to compare with PostGIS")
	}
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		b.Fatalf("connect to %s: %v", dsn, err)
	}
	var available bool
	if err := admin.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'postgis')`).Scan(&available); err != nil {
		b.Fatal(err)
	}
	if !available {
		admin.Close(ctx)
		b.Skip("the PostGIS extension is not installed on that server (Debian: apt-get install -y postgresql-15-postgis-3)")
	}
	pg := &postgisFences{admin: admin, name: fmt.Sprintf("repflow_geo_bench_%d", time.Now().UnixNano())}
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+pg.name); err != nil {
		b.Fatalf("create the benchmark database: %v", err)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		pg.close(b)
		b.Fatal(err)
	}
	u.Path = "/" + pg.name
	if pg.conn, err = pgx.Connect(ctx, u.String()); err != nil {
		pg.close(b)
		b.Fatal(err)
	}
	start := time.Now()
	if err := pg.load(ctx, w); err != nil {
		pg.close(b)
		b.Fatalf("load the fences into PostGIS: %v", err)
	}
	b.Logf("loaded %d fences into PostGIS in %v", len(w.fences), time.Since(start).Round(time.Second))
	if err := pg.agree(w, 2000); err != nil {
		pg.close(b)
		b.Fatal(err)
	}
	return pg
}

func (pg *postgisFences) load(ctx context.Context, w *benchWorld) error {
	for _, q := range []string{
		`CREATE EXTENSION postgis`,
		`CREATE TABLE fence_polygons (id UUID PRIMARY KEY, wkt TEXT NOT NULL, geom geometry(Polygon, 4326))`,
		`CREATE TABLE fence_circles (id UUID PRIMARY KEY, lon FLOAT8, lat FLOAT8, radius FLOAT8 NOT NULL,
			min_lon FLOAT8, min_lat FLOAT8, max_lon FLOAT8, max_lat FLOAT8, centre geography(Point, 4326), box geometry(Polygon, 4326))`,
	} {
		if _, err := pg.conn.Exec(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	var polygons, circles [][]any
	for i, f := range w.fences {
		id := pgtype.UUID{Bytes: w.ids[i], Valid: true}
		switch f := f.(type) {
		case *Polygon:
			polygons = append(polygons, []any{id, wkt(f)})
		case Circle:
			bx := f.Bounds()
			circles = append(circles, []any{id, f.Center.Lon, f.Center.Lat, f.Radius, bx.Min.Lon, bx.Min.Lat, bx.Max.Lon, bx.Max.Lat})
		}
	}
	if _, err := pg.conn.CopyFrom(ctx, pgx.Identifier{"fence_polygons"}, []string{"id", "wkt"}, pgx.CopyFromRows(polygons)); err != nil {
		return fmt.Errorf("copy polygons: %w", err)
	}
	if _, err := pg.conn.CopyFrom(ctx, pgx.Identifier{"fence_circles"}, []string{"id", "lon", "lat", "radius", "min_lon", "min_lat", "max_lon", "max_lat"}, pgx.CopyFromRows(circles)); err != nil {
		return fmt.Errorf("copy circles: %w", err)
	}
	for _, q := range []string{
		`UPDATE fence_polygons SET geom = ST_GeomFromText(wkt, 4326)`,
		`UPDATE fence_circles SET centre = ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography,
			box = ST_MakeEnvelope(min_lon, min_lat, max_lon, max_lat, 4326)`,
		`CREATE INDEX ON fence_polygons USING gist (geom)`,
		`CREATE INDEX ON fence_circles USING gist (box)`,
		`VACUUM ANALYZE fence_polygons`,
		`VACUUM ANALYZE fence_circles`,
	} {
		if _, err := pg.conn.Exec(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}

// wkt writes a polygon as well-known text, the form PostGIS reads most simply.
func wkt(p *Polygon) string {
	var sb strings.Builder
	sb.WriteString("POLYGON(")
	for ri, r := range p.Rings() {
		if ri > 0 {
			sb.WriteByte(',')
		}
		sb.WriteByte('(')
		for vi, v := range r {
			if vi > 0 {
				sb.WriteByte(',')
			}
			fmt.Fprintf(&sb, "%v %v", v.Lon, v.Lat)
		}
		sb.WriteByte(')')
	}
	sb.WriteByte(')')
	return sb.String()
}

func (pg *postgisFences) containing(p Point) ([]uuid.UUID, error) {
	rows, err := pg.conn.Query(context.Background(), postgisQuery, p.Lon, p.Lat)
	if err != nil {
		return nil, fmt.Errorf("postgis containing: %w", err)
	}
	ids, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (uuid.UUID, error) {
		var id pgtype.UUID
		err := r.Scan(&id)
		return uuid.UUID(id.Bytes), err
	})
	if err != nil {
		return nil, fmt.Errorf("postgis containing: %w", err)
	}
	slices.SortFunc(ids, compareIDs)
	return ids, nil
}

// agree compares PostGIS with the index on n points: the same fences, but for a fence whose
// boundary is within a millimetre of the point (the two spheres differ by 3 cm in radius).
func (pg *postgisFences) agree(w *benchWorld, n int) error {
	hits := 0
	for _, p := range w.points[:n] {
		got, err := pg.containing(p)
		if err != nil {
			return err
		}
		want := w.index.Containing(p)
		hits += len(want)
		for _, id := range symmetricDifference(want, got) {
			f, _ := w.index.Fence(id)
			if d := f.Distance(p); d > 0.001 || d < -0.001 {
				return fmt.Errorf("point %v: PostGIS and the index disagree on fence %s, %.3f m from its boundary (index %v, PostGIS %v)", p, id, d, want, got)
			}
		}
	}
	if hits < n {
		return fmt.Errorf("only %d hits on %d points: the comparison means little", hits, n)
	}
	return nil
}

func symmetricDifference(a, b []uuid.UUID) []uuid.UUID {
	var out []uuid.UUID
	for _, id := range a {
		if !slices.Contains(b, id) {
			out = append(out, id)
		}
	}
	for _, id := range b {
		if !slices.Contains(a, id) {
			out = append(out, id)
		}
	}
	return out
}

func (pg *postgisFences) close(b *testing.B) {
	ctx := context.Background()
	if pg.conn != nil {
		pg.conn.Close(ctx)
	}
	if _, err := pg.admin.Exec(ctx, "DROP DATABASE IF EXISTS "+pg.name+" WITH (FORCE)"); err != nil {
		b.Errorf("drop the benchmark database %s: %v", pg.name, err)
	}
	pg.admin.Close(ctx)
}
