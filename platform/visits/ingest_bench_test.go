package visits

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/audit"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/org"
	"github.com/repflow/repflow/platform/storetest"
	"github.com/repflow/repflow/platform/visits/geo"
	"github.com/repflow/repflow/platform/web"
	"github.com/repflow/repflow/platform/web/webtest"
)

// Data size of the ingest benchmark: one tenant with 10,000 customers around Jinan (half circle
// fences of radius 50-200 m, half star polygons of 5-10 vertices, 100-300 m across) spread over
// 24 x 20 km, and 20 reps sending 1,000,000 fixes in all (50,000 each: 21 working days at one fix
// every 15 s) in batches of 2,000, from 4 concurrent clients.
const (
	ingestFixes     = 1_000_000
	ingestReps      = 20
	ingestCustomers = 10_000
	ingestBatch     = 2_000
	ingestClients   = 4
	ingestWidth     = 24_000 // metres, east-west
	ingestHeight    = 20_000 // metres, north-south
	ingestEvery     = 15 * time.Second
	ingestPerRep    = ingestFixes / ingestReps
	ingestBatches   = ingestPerRep / ingestBatch // per rep
)

var ingestCentre = geo.Point{Lat: 36.65, Lon: 117.0}

// ingestFix is one generated fix; both the JSON bodies and the COPY rows are made from it.
type ingestFix struct {
	id             uuid.UUID
	at             time.Time
	p              geo.Point
	accuracy       float64
	speed, heading float64 // NaN when the phone does not say
	provider       string
}

type ingestData struct {
	sites  []geo.Point // customer locations (circle centres, polygon centres)
	fences []geo.Fence
	tracks [][]ingestFix // per rep, in time order
	bodies [][][]byte    // per rep, its batches as the phone sends them
}

var (
	ingestOnce sync.Once
	ingestSet  *ingestData
)

// ingestWorkload builds the data once per process (a few seconds), before any clock runs.
func ingestWorkload(b *testing.B) *ingestData {
	ingestOnce.Do(func() {
		start := time.Now()
		rng := rand.New(rand.NewPCG(2026, 11))
		d := &ingestData{}
		for i := range ingestCustomers {
			c := offset(ingestCentre, (rng.Float64()-0.5)*ingestHeight, (rng.Float64()-0.5)*ingestWidth)
			d.sites, d.fences = append(d.sites, c), append(d.fences, randomSite(rng, c, i%2 == 0))
		}
		// Working days run 08:00-18:00 in Jinan (00:00-10:00 UTC), starting 23 days back: every
		// fix is within the 31 days the API accepts, and none is in the future.
		first := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -23)
		var size int
		for r := range ingestReps {
			track := d.walk(rand.New(rand.NewPCG(uint64(r), 7)), first, ingestPerRep)
			d.tracks = append(d.tracks, track)
			var bodies [][]byte
			for lo := 0; lo < len(track); lo += ingestBatch {
				body := encodeBatch(track[lo:min(lo+ingestBatch, len(track))])
				bodies, size = append(bodies, body), size+len(body)
			}
			d.bodies = append(d.bodies, bodies)
		}
		b.Logf("generated %d customers and %d fixes (%d MB of JSON in %d batches) in %v",
			ingestCustomers, ingestFixes, size>>20, ingestReps*ingestBatches, time.Since(start).Round(time.Millisecond))
		ingestSet = d
	})
	return ingestSet
}

// randomSite is a circle of 50-200 m, or a star polygon (convex or not) of 50-150 m radius that
// contains its centre with room to spare, so that a rep standing there is inside it.
func randomSite(rng *rand.Rand, c geo.Point, circle bool) geo.Fence {
	if circle {
		return geo.Circle{Center: c, Radius: 50 + 150*rng.Float64()}
	}
	n, r := 5+rng.IntN(6), 50+100*rng.Float64()
	step := 2 * math.Pi / float64(n)
	ring := make([]geo.Point, 0, n+1)
	for i := range n {
		a := float64(i)*step + (rng.Float64()-0.5)*0.6*step // stays monotonic: the ring cannot cross itself
		d := r * (0.7 + 0.3*rng.Float64())
		ring = append(ring, offset(c, d*math.Cos(a), d*math.Sin(a)))
	}
	p, err := geo.NewPolygon([][]geo.Point{append(ring, ring[0])})
	if err != nil {
		panic(err)
	}
	return p
}

// walk is one rep's working days: drive at 5-12 m/s to the nearest of six random customers,
// stay there (8-40 minutes, or a 1-4 minute drop-in that makes no visit, one stay in three), drive
// on, passing through other customers' fences on the way. One fix every 15-16 s; one in a hundred
// comes from the network provider, too poor (150-500 m) to move the fence state.
func (d *ingestData) walk(rng *rand.Rand, day time.Time, n int) []ingestFix {
	out := make([]ingestFix, 0, n)
	pos, t := d.sites[rng.IntN(len(d.sites))], day
	emit := func(p geo.Point, accuracy, speed, heading float64) bool {
		if t.Sub(day) >= 10*time.Hour {
			day = day.AddDate(0, 0, 1)
			t = day
		}
		f := ingestFix{id: identity.NewID(), at: t, p: p, accuracy: accuracy, speed: speed, heading: heading, provider: "gps"}
		if rng.IntN(100) == 0 {
			f.p = offset(p, rng.NormFloat64()*150, rng.NormFloat64()*150)
			f.accuracy, f.speed, f.heading, f.provider = 150+350*rng.Float64(), math.NaN(), math.NaN(), "network"
		}
		out = append(out, f)
		t = t.Add(ingestEvery + time.Duration(rng.IntN(1000))*time.Millisecond)
		return len(out) < n
	}
	for {
		target := d.nearby(rng, pos)
		v, heading := 5+7*rng.Float64(), bearing(pos, target)
		steps := int(math.Ceil(geo.Distance(pos, target) / (v * ingestEvery.Seconds())))
		for s := 1; s <= steps; s++ {
			k, acc := float64(s)/float64(steps), 5+15*rng.Float64()
			p := geo.Point{Lat: pos.Lat + k*(target.Lat-pos.Lat), Lon: pos.Lon + k*(target.Lon-pos.Lon)}
			if !emit(offset(p, rng.NormFloat64()*acc/3, rng.NormFloat64()*acc/3), acc, v, heading) {
				return out
			}
		}
		pos = target
		stay := time.Duration(8+rng.IntN(33)) * time.Minute
		if rng.IntN(3) == 0 {
			stay = time.Duration(1+rng.IntN(4)) * time.Minute
		}
		for end := t.Add(stay); t.Before(end); {
			acc := 5 + 10*rng.Float64()
			if !emit(offset(pos, rng.NormFloat64()*acc/3, rng.NormFloat64()*acc/3), acc, 0, math.NaN()) {
				return out
			}
		}
	}
}

// nearby picks the rep's next customer: the nearest of six at random, at least 300 m away.
func (d *ingestData) nearby(rng *rand.Rand, from geo.Point) geo.Point {
	best, bestDist := d.sites[rng.IntN(len(d.sites))], math.Inf(1)
	for range 6 {
		c := d.sites[rng.IntN(len(d.sites))]
		if dist := geo.Distance(from, c); dist > 300 && dist < bestDist {
			best, bestDist = c, dist
		}
	}
	return best
}

// bearing is the heading from a to b in degrees clockwise from north, [0, 360).
func bearing(a, b geo.Point) float64 {
	north, east := b.Lat-a.Lat, (b.Lon-a.Lon)*math.Cos(a.Lat*math.Pi/180)
	deg := math.Mod(math.Atan2(east, north)*180/math.Pi+360, 360)
	if deg >= 360 {
		return 0
	}
	return deg
}

func orNil(v float64) *float64 {
	if math.IsNaN(v) {
		return nil
	}
	return &v
}

func encodeBatch(fixes []ingestFix) []byte {
	dto := TrackBatchDTO{Datum: string(WGS84), Fixes: make([]FixDTO, len(fixes))}
	for i, f := range fixes {
		dto.Fixes[i] = FixDTO{ID: f.id.String(), Time: f.at, Lat: f.p.Lat, Lon: f.p.Lon, Accuracy: f.accuracy,
			Speed: orNil(f.speed), Heading: orNil(f.heading), Provider: f.provider}
	}
	raw, err := json.Marshal(dto)
	if err != nil {
		panic(err)
	}
	return raw
}

// ingestWorld is a fresh database with the tenant fixture's organisation plus reps up to 20,
// all in Jinan; url reaches the database as its owner.
type ingestWorld struct {
	w    *world
	f    *tenantFixture
	url  string
	reps []uuid.UUID
}

func newIngestWorld(b *testing.B) *ingestWorld {
	s, url := storetest.OpenWithURL(b)
	aw := access.NewWarden(s)
	iw := &ingestWorld{w: &world{s: s, w: aw, org: org.NewService(s, aw, nil), svc: NewService(s, aw, Options{})}, url: url}
	iw.f = iw.w.tenant(b, "acme")
	for i := range ingestReps {
		key := fmt.Sprintf("rep.jinan.%d", i+1)
		if _, ok := iw.f.users[key]; !ok {
			iw.f.user(b, key, "Jinan", "mgr.shandong", identity.RoleRep)
		}
		iw.reps = append(iw.reps, iw.f.users[key].ID)
	}
	return iw
}

// addCustomers inserts the customers in one transaction (the service would take minutes one by
// one) and loads the fence index, as the first batch of fixes would, before any clock runs.
func (iw *ingestWorld) addCustomers(b *testing.B, d *ingestData) {
	ctx, now := identity.System(context.Background(), iw.f.id), time.Now().UTC()
	rows := make([]customerRow, len(d.sites))
	for i := range d.sites {
		c := Customer{ID: identity.NewID(), Name: fmt.Sprintf("Shop %05d", i), Grade: []Grade{GradeA, GradeB, GradeC, GradeD}[i%4],
			OwnerID: iw.reps[i%len(iw.reps)], RegionID: iw.f.regions["Jinan"].ID, Location: d.sites[i], Fence: d.fences[i],
			CreatedAt: now, UpdatedAt: now}
		var err error
		if rows[i], err = toRow(c); err != nil {
			b.Fatal(err)
		}
	}
	err := iw.w.s.Tx(ctx, func(ctx context.Context, db *gorm.DB) error { return db.CreateInBatches(rows, 1000).Error })
	if err != nil {
		b.Fatalf("insert customers: %v", err)
	}
	start := time.Now()
	err = iw.w.s.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		_, err := iw.w.svc.fences.current(ctx, db)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("fence index of %d customers loaded in %v (once per tenant and replica; not timed)", len(rows), time.Since(start).Round(time.Millisecond))
}

// BenchmarkIngest sends 1,000,000 fixes through POST /api/v1/tracks into PostgreSQL, fence
// events and automatic visits included ("http"), beside the floor: the same rows written with
// one COPY into track_fixes as the schema owner ("copy"), nothing else. Each op is the whole
// million into a fresh database; http reports of-copy, its rate over copy's in the same run.
func BenchmarkIngest(b *testing.B) {
	if os.Getenv(storetest.EnvURL) == "" {
		b.Skip(storetest.EnvURL + " is unset: the ingest benchmark needs PostgreSQL, e.g. " +
			storetest.EnvURL + "='postgres://root@127.0.0.1:5432/postgres?sslmode=disable'")
	}
	// A parent's own log is not printed once it has sub-benchmarks: they log what matters.
	var copyRate float64
	b.Run("copy", func(b *testing.B) { copyRate = benchCopy(b) })
	b.Run("http", func(b *testing.B) { benchHTTP(b, copyRate) })
}

func benchCopy(b *testing.B) float64 {
	b.StopTimer()
	ctx, d := context.Background(), ingestWorkload(b)
	var elapsed time.Duration
	for range b.N {
		iw := newIngestWorld(b)
		conn, err := pgx.Connect(ctx, iw.url)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		n, err := copyFixes(ctx, conn, iw.f.id, iw.reps, d)
		elapsed += time.Since(start)
		b.StopTimer()
		_ = conn.Close(ctx)
		if err != nil || n != ingestFixes {
			b.Fatalf("copy: %d rows, %v", n, err)
		}
	}
	rate := float64(b.N*ingestFixes) / elapsed.Seconds()
	b.ReportMetric(rate, "fixes/s")
	b.ReportMetric(elapsed.Seconds()/float64(b.N), "s")
	return rate
}

// copyFixes writes the rows in the order the clients send them: batch by batch, reps interleaved.
func copyFixes(ctx context.Context, conn *pgx.Conn, tenant uuid.UUID, reps []uuid.UUID, d *ingestData) (int64, error) {
	cols := []string{"tenant_id", "rep_id", "client_id", "fixed_at", "lat", "lon", "accuracy", "speed", "heading", "provider", "mock", "received_at"}
	received, row := time.Now().UTC(), make([]any, len(cols))
	i := 0 // the next row: batch i/(reps*batch), rep i/batch%reps, fix i%batch of that batch
	return conn.CopyFrom(ctx, pgx.Identifier{"track_fixes"}, cols, pgx.CopyFromFunc(func() ([]any, error) {
		if i == ingestFixes {
			return nil, nil
		}
		batch, r, k := i/(ingestReps*ingestBatch), i/ingestBatch%ingestReps, i%ingestBatch
		f := d.tracks[r][batch*ingestBatch+k]
		i++
		row[0], row[1], row[2], row[3] = [16]byte(tenant), [16]byte(reps[r]), [16]byte(f.id), f.at
		row[4], row[5], row[6], row[7], row[8] = f.p.Lat, f.p.Lon, f.accuracy, orNil(f.speed), orNil(f.heading)
		row[9], row[10], row[11] = f.provider, false, received
		return row, nil
	}))
}

// ingestTotals sums the answers.
type ingestTotals struct {
	stored, duplicates, opened, closed int
	events                             map[string]int
	// What PostgreSQL says afterwards: the visit rows its scans read (a plan that finds a rep's
	// open visit through an index on tenant_id alone reads every visit of the tenant, for every
	// exit and dwell) and whether autovacuum, which would refresh such plans, runs.
	visitRowsRead int64
	autovacuum    string
}

func benchHTTP(b *testing.B, floor float64) {
	b.StopTimer()
	d := ingestWorkload(b)
	var elapsed time.Duration
	sum := ingestTotals{events: map[string]int{}}
	for range b.N {
		iw := newIngestWorld(b)
		iw.addCustomers(b, d)
		// The test server newServer builds, without access logs (one line per batch), and with the
		// product's audit wrapper: each batch commits with its audit record, as in production.
		srv := web.New(web.Options{Log: slog.New(slog.DiscardHandler), Authenticate: webtest.Authenticate(iw.w.org.Principal),
			Around: audit.New(iw.w.s, iw.w.w).Around})
		srv.Mount(NewHTTP(iw.w.svc))
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		go func() { _ = srv.App.Listener(ln) }()
		b.StartTimer()
		start := time.Now()
		t, err := iw.postAll(d, "http://"+ln.Addr().String()+"/api/v1/tracks")
		elapsed += time.Since(start)
		b.StopTimer()
		_ = srv.Shutdown(5 * time.Second)
		if err != nil {
			b.Fatal(err)
		}
		iw.check(b, t)
		rowsRead, autovacuum := iw.visitScans(b)
		sum.visitRowsRead, sum.autovacuum = sum.visitRowsRead+rowsRead, autovacuum
		sum.stored, sum.duplicates, sum.opened, sum.closed = sum.stored+t.stored, sum.duplicates+t.duplicates, sum.opened+t.opened, sum.closed+t.closed
		for k, v := range t.events {
			sum.events[k] += v
		}
	}
	rate, n := float64(b.N*ingestFixes)/elapsed.Seconds(), float64(b.N)
	events := sum.events["enter"] + sum.events["dwell"] + sum.events["exit"]
	b.ReportMetric(rate, "fixes/s")
	b.ReportMetric(elapsed.Seconds()/n, "s")
	b.ReportMetric(float64(events)/n, "events")
	b.ReportMetric(float64(sum.opened)/n, "visits")
	b.ReportMetric(float64(sum.visitRowsRead)/n, "visit-rows-read")
	b.Logf("per run: %d enter, %d dwell, %d exit events; %d automatic visits opened, %d closed; "+
		"PostgreSQL read %d visit rows to find open visits (autovacuum %s)", sum.events["enter"]/b.N, sum.events["dwell"]/b.N,
		sum.events["exit"]/b.N, sum.opened/b.N, sum.closed/b.N, sum.visitRowsRead/int64(b.N), sum.autovacuum)
	if floor > 0 {
		b.ReportMetric(rate/floor, "of-copy")
		b.Logf("http %.0f fixes/s, copy %.0f fixes/s: http/copy = %.3f (copy is %.1fx faster)", rate, floor, rate/floor, floor/rate)
	}
}

// postAll sends every batch from ingestClients clients, each with its own keep-alive
// connection; rep r is client r%ingestClients's, and its batches go one after the other, in order.
func (iw *ingestWorld) postAll(d *ingestData, url string) (ingestTotals, error) {
	var (
		mu    sync.Mutex
		total = ingestTotals{events: map[string]int{}}
		errs  = make([]error, ingestClients)
		wg    sync.WaitGroup
	)
	for c := range ingestClients {
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1, DisableCompression: true}}
		wg.Go(func() {
			defer client.CloseIdleConnections()
			for j := range ingestBatches {
				for r := c; r < ingestReps; r += ingestClients {
					res, err := iw.post(client, url, iw.reps[r], d.bodies[r][j])
					if err != nil {
						errs[c] = fmt.Errorf("rep %d batch %d: %w", r, j, err)
						return
					}
					mu.Lock()
					total.stored, total.duplicates = total.stored+res.Stored, total.duplicates+res.Duplicates
					total.opened, total.closed = total.opened+len(res.OpenedVisits), total.closed+len(res.ClosedVisits)
					for _, e := range res.Events {
						total.events[e.Kind]++
					}
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

func (iw *ingestWorld) post(client *http.Client, url string, rep uuid.UUID, body []byte) (TrackResultDTO, error) {
	var res TrackResultDTO
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return res, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(webtest.TenantHeader, iw.f.id.String())
	req.Header.Set(webtest.UserHeader, rep.String())
	resp, err := client.Do(req)
	if err != nil {
		return res, err
	}
	raw, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	switch {
	case err != nil:
		return res, err
	case resp.StatusCode != http.StatusOK:
		return res, fmt.Errorf("status %d: %s", resp.StatusCode, raw)
	}
	return res, json.Unmarshal(raw, &res)
}

// check compares the answers with what the database holds, and insists that the tracks made
// visits: a benchmark whose reps never dwelt would measure a cheaper path than the real one.
func (iw *ingestWorld) check(b *testing.B, t ingestTotals) {
	var fixes, events, visits int64
	err := iw.w.s.Tx(identity.System(context.Background(), iw.f.id), func(ctx context.Context, db *gorm.DB) error {
		return errors.Join(db.Model(&trackFixRow{}).Count(&fixes).Error, db.Model(&fenceEventRow{}).Count(&events).Error,
			db.Model(&visitRow{}).Where("source = ?", SourceAuto).Count(&visits).Error)
	})
	if err != nil {
		b.Fatal(err)
	}
	n := t.events["enter"] + t.events["dwell"] + t.events["exit"]
	if t.stored != ingestFixes || t.duplicates != 0 || fixes != ingestFixes || int64(n) != events || int64(t.opened) != visits ||
		t.events["dwell"] == 0 || t.opened == 0 || t.closed == 0 {
		b.Fatalf("answers: %d stored, %d duplicates, %v events, %d visits opened, %d closed; database: %d fixes, %d events, %d automatic visits",
			t.stored, t.duplicates, t.events, t.opened, t.closed, fixes, events, visits)
	}
}

// visitScans reads, as the owner, how many visit rows the run's scans read, and the autovacuum
// setting. Backends flush their counters within seconds, so the last ones may be missing.
func (iw *ingestWorld) visitScans(b *testing.B) (int64, string) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, iw.url)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	var rows int64
	var autovacuum string
	err = conn.QueryRow(ctx, `SELECT ((SELECT coalesce(sum(idx_tup_read), 0) FROM pg_stat_user_indexes WHERE relname = 'visits')
		+ (SELECT coalesce(seq_tup_read, 0) FROM pg_stat_user_tables WHERE relname = 'visits'))::bigint, current_setting('autovacuum')`).Scan(&rows, &autovacuum)
	if err != nil {
		b.Fatal(err)
	}
	return rows, autovacuum
}
