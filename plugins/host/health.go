package host

import "time"

// State is where a connector instance is in its life.
type State string

const (
	StateStarting   State = "starting"
	StateRunning    State = "running"
	StateRestarting State = "restarting" // its process died; a new one is on the way
	StateFailed     State = "failed"     // gave up restarting, or the configuration was refused
	StateStopped    State = "stopped"
)

// Health is what the host knows of one connector instance. It lives in memory only.
type Health struct {
	State     State
	Restarts  int    // since Start
	LastError string // the latest reason it went down or could not start
	// StartedAt is when the current process started; LastPingAt is its latest answered ping.
	StartedAt  time.Time
	LastPingAt time.Time
}

// Health reports one instance; false when id was never started.
func (s *Supervisor) Health(id string) (Health, bool) {
	s.mu.Lock()
	in := s.instances[id]
	s.mu.Unlock()
	if in == nil {
		return Health{}, false
	}
	return in.report(), true
}

// HealthAll reports every instance started since the supervisor was made, stopped ones too.
func (s *Supervisor) HealthAll() map[string]Health {
	s.mu.Lock()
	all := make(map[string]*instance, len(s.instances))
	for id, in := range s.instances {
		all[id] = in
	}
	s.mu.Unlock()
	out := make(map[string]Health, len(all))
	for id, in := range all {
		out[id] = in.report()
	}
	return out
}

func (in *instance) report() Health {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.health
}
