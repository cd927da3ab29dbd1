package store

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// MaxEventPayload bounds a published payload: PostgreSQL's NOTIFY takes under 8000 bytes.
const MaxEventPayload = 7900

// Events carry small messages from the transaction that caused them to every replica's
// subscribers: positions for the managers' live map, for instance. On PostgreSQL they travel with
// NOTIFY, which is delivered at commit and only then, to every server connected to the database;
// on the embedded database, where there is one server, they are handed over in process after
// commit. Delivery is at most once: a slow subscriber, or a listener reconnecting, loses messages,
// so they must be hints a client can recover from by reading the state again.
type events struct {
	store *Store
	url   string
	log   *slog.Logger

	mu       sync.Mutex
	subs     map[string]map[chan string]struct{}
	channels map[string]context.CancelFunc // listeners running (PostgreSQL)
	stopped  bool
}

func newEvents(s *Store, url string, log *slog.Logger) *events {
	return &events{store: s, url: url, log: log, subs: map[string]map[chan string]struct{}{},
		channels: map[string]context.CancelFunc{}}
}

// Publish sends payload on channel when the tenant transaction in ctx commits. Payloads name
// their tenant themselves: subscribers see every tenant's messages and must filter.
func (s *Store) Publish(ctx context.Context, channel, payload string) error {
	if len(payload) > MaxEventPayload {
		return fmt.Errorf("store: event payload of %d bytes exceeds %d", len(payload), MaxEventPayload)
	}
	if s.dialect != Postgres {
		AfterCommit(ctx, func() { s.events.deliver(channel, payload) })
		return nil
	}
	st := current(ctx)
	if st == nil {
		return ErrNoTenant
	}
	return st.db.WithContext(ctx).Exec("SELECT pg_notify(?, ?)", channel, payload).Error
}

// Subscribe delivers channel's payloads until ctx ends; the returned channel is then closed.
// buffer is how many undelivered messages may wait before new ones are dropped.
func (s *Store) Subscribe(ctx context.Context, channel string, buffer int) <-chan string {
	e := s.events
	ch := make(chan string, buffer)
	e.mu.Lock()
	if e.stopped {
		e.mu.Unlock()
		close(ch)
		return ch
	}
	if e.subs[channel] == nil {
		e.subs[channel] = map[chan string]struct{}{}
	}
	e.subs[channel][ch] = struct{}{}
	if s.dialect == Postgres && e.channels[channel] == nil {
		lctx, cancel := context.WithCancel(context.Background())
		e.channels[channel] = cancel
		go e.listen(lctx, channel)
	}
	e.mu.Unlock()
	go func() {
		<-ctx.Done()
		e.mu.Lock()
		if _, ok := e.subs[channel][ch]; ok {
			delete(e.subs[channel], ch)
			close(ch)
		}
		e.mu.Unlock()
	}()
	return ch
}

func (e *events) deliver(channel, payload string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for ch := range e.subs[channel] {
		select {
		case ch <- payload:
		default: // a subscriber that does not keep up loses this message, not the others
		}
	}
}

// listen holds one connection LISTENing on channel, reconnecting with backoff, for as long as
// the store is open.
func (e *events) listen(ctx context.Context, channel string) {
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := e.listenOnce(ctx, channel, func() { backoff = 100 * time.Millisecond })
		if ctx.Err() != nil {
			return
		}
		e.log.Warn("event listener lost its connection; reconnecting", "channel", channel, "error", err, "in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 10*time.Second)
	}
}

func (e *events) listenOnce(ctx context.Context, channel string, connected func()) error {
	conn, err := pgx.Connect(ctx, e.url)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
		return err
	}
	connected()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		e.deliver(n.Channel, n.Payload)
	}
}

func (e *events) close() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.stopped = true
	for _, cancel := range e.channels {
		cancel()
	}
	for _, subs := range e.subs {
		for ch := range subs {
			close(ch)
		}
	}
	e.subs = map[string]map[chan string]struct{}{}
}
