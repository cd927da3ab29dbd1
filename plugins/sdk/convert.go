package sdk

import (
	"math"
	"time"

	"github.com/repflow/repflow/plugins/proto"
)

// Conversions between the wire messages and the Go types. Both adapters use them, so a field
// added to the protocol is mapped in one place.

func descriptionToProto(d Description) *proto.Description {
	out := &proto.Description{
		Kind:         d.Kind,
		DisplayName:  d.DisplayName,
		Version:      d.Version,
		ConfigSchema: d.ConfigSchema,
	}
	for _, e := range d.Entities {
		out.Entities = append(out.Entities, &proto.Entity{
			Name:        e.Name,
			Direction:   proto.Direction(e.Direction),
			Description: e.Description,
		})
	}
	return out
}

func descriptionFromProto(d *proto.Description) Description {
	out := Description{
		Kind:         d.GetKind(),
		DisplayName:  d.GetDisplayName(),
		Version:      d.GetVersion(),
		ConfigSchema: d.GetConfigSchema(),
	}
	for _, e := range d.GetEntities() {
		out.Entities = append(out.Entities, Entity{
			Name:        e.GetName(),
			Direction:   Direction(e.GetDirection()),
			Description: e.GetDescription(),
		})
	}
	return out
}

func fieldErrorsToProto(fes []FieldError) []*proto.FieldError {
	var out []*proto.FieldError
	for _, fe := range fes {
		out = append(out, &proto.FieldError{Field: fe.Field, Message: fe.Message})
	}
	return out
}

func fieldErrorsFromProto(fes []*proto.FieldError) []FieldError {
	var out []FieldError
	for _, fe := range fes {
		out = append(out, FieldError{Field: fe.GetField(), Message: fe.GetMessage()})
	}
	return out
}

func pullRequestToProto(r PullRequest) *proto.PullRequest {
	limit := r.Limit
	// The wire carries an int32; a larger limit means "as many as you like" anyway.
	limit = max(0, min(limit, math.MaxInt32))
	return &proto.PullRequest{Entity: r.Entity, Cursor: r.Cursor, Limit: int32(limit)}
}

func pullRequestFromProto(r *proto.PullRequest) PullRequest {
	return PullRequest{Entity: r.GetEntity(), Cursor: r.GetCursor(), Limit: int(r.GetLimit())}
}

// Times travel as Unix milliseconds, 0 meaning unknown; sub-millisecond precision is lost.
func recordToProto(r Record) *proto.Record {
	out := &proto.Record{
		Entity:     r.Entity,
		ExternalId: r.ExternalID,
		Data:       r.Data,
		Cursor:     r.Cursor,
		Deleted:    r.Deleted,
	}
	if !r.ChangedAt.IsZero() {
		out.ChangedAtUnixMs = r.ChangedAt.UnixMilli()
	}
	return out
}

func recordFromProto(r *proto.Record) Record {
	out := Record{
		Entity:     r.GetEntity(),
		ExternalID: r.GetExternalId(),
		Data:       r.GetData(),
		Cursor:     r.GetCursor(),
		Deleted:    r.GetDeleted(),
	}
	if ms := r.GetChangedAtUnixMs(); ms != 0 {
		out.ChangedAt = time.UnixMilli(ms).UTC()
	}
	return out
}

func recordsToProto(rs []Record) []*proto.Record {
	out := make([]*proto.Record, 0, len(rs))
	for _, r := range rs {
		out = append(out, recordToProto(r))
	}
	return out
}

func recordsFromProto(rs []*proto.Record) []Record {
	out := make([]Record, 0, len(rs))
	for _, r := range rs {
		out = append(out, recordFromProto(r))
	}
	return out
}

func pushResultsToProto(rs []PushResult) []*proto.PushResult {
	out := make([]*proto.PushResult, 0, len(rs))
	for _, r := range rs {
		out = append(out, &proto.PushResult{
			ExternalId: r.ExternalID,
			Ok:         r.OK,
			Error:      r.Error,
			RemoteId:   r.RemoteID,
		})
	}
	return out
}

func pushResultsFromProto(rs []*proto.PushResult) []PushResult {
	out := make([]PushResult, 0, len(rs))
	for _, r := range rs {
		out = append(out, PushResult{
			ExternalID: r.GetExternalId(),
			OK:         r.GetOk(),
			Error:      r.GetError(),
			RemoteID:   r.GetRemoteId(),
		})
	}
	return out
}
