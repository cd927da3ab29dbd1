package host

import (
	"context"
	"fmt"

	"github.com/repflow/repflow/plugins/sdk"
)

// Check asks id's connector to reach its remote system.
func (s *Supervisor) Check(ctx context.Context, id string) error {
	in, err := s.instance(id)
	if err != nil {
		return fmt.Errorf("check %s: %w", id, err)
	}
	return in.call(ctx, "check", nil, func(ctx context.Context, c sdk.Connector) error {
		return c.Check(ctx)
	})
}

// Pull streams req's records into send. If the process dies once records have reached send,
// Pull is not retried: it returns an error wrapping ErrCrashed, and the caller resumes from its
// last committed cursor. If it dies before any record came, Pull is retried once like the others.
func (s *Supervisor) Pull(ctx context.Context, id string, req sdk.PullRequest, send func(sdk.Record) error) error {
	in, err := s.instance(id)
	if err != nil {
		return fmt.Errorf("pull %s from %s: %w", req.Entity, id, err)
	}
	sent := false
	return in.call(ctx, "pull "+req.Entity, func() bool { return !sent }, func(ctx context.Context, c sdk.Connector) error {
		return c.Pull(ctx, req, func(r sdk.Record) error {
			sent = true
			return send(r)
		})
	})
}

// Push writes records through id's connector. A Push that meets a dead process is retried once
// on the restarted one, so a connector's Push should be idempotent by ExternalID: records the
// dead process wrote before dying are written again.
func (s *Supervisor) Push(ctx context.Context, id, entity string, records []sdk.Record) ([]sdk.PushResult, error) {
	in, err := s.instance(id)
	if err != nil {
		return nil, fmt.Errorf("push %s to %s: %w", entity, id, err)
	}
	var results []sdk.PushResult
	err = in.call(ctx, "push "+entity, nil, func(ctx context.Context, c sdk.Connector) error {
		var err error
		results, err = c.Push(ctx, entity, records)
		return err
	})
	return results, err
}

// call runs fn on the serving process under the caller's deadline (CallTimeout when ctx has
// none), one call at a time. When fn fails because the process died, the process is restarted
// (once, however many callers noticed) and fn runs once more, unless retry says it must not.
func (in *instance) call(ctx context.Context, op string, retry func() bool, fn func(context.Context, sdk.Connector) error) error {
	ctx, cancel := withCallTimeout(ctx, in.opts.CallTimeout)
	defer cancel()
	select {
	case in.calls <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("%s %s: waiting for the call before: %w", op, in.id, ctx.Err())
	}
	defer func() { <-in.calls }()

	p, err := in.ready(ctx)
	if err != nil {
		return fmt.Errorf("%s %s: %w", op, in.id, err)
	}
	err = fn(ctx, p.conn)
	if err == nil {
		return nil
	}
	down := p.alive()
	if down == nil {
		return fmt.Errorf("%s %s: %w", op, in.id, err) // the connector's own answer
	}
	in.log.Warn("connector process died during a call", "call", op, "pid", p.pid, "error", err, "down", down)
	in.replace(p.gen, fmt.Errorf("%s: %w", op, down), true)
	if retry != nil && !retry() {
		return fmt.Errorf("%s %s: %w: %w", op, in.id, ErrCrashed, err)
	}
	if p, err = in.ready(ctx); err != nil {
		return fmt.Errorf("%s %s: %w, and no new process: %w", op, in.id, ErrCrashed, err)
	}
	if err := fn(ctx, p.conn); err != nil {
		return fmt.Errorf("%s %s (after a restart): %w", op, in.id, err)
	}
	return nil
}
