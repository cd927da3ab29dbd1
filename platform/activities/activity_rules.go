package activities

import (
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/fault"
)

// validActivity checks in's fields against its kind and returns the activity it describes, with
// times in UTC at the database's precision and attendees sorted without repeats.
func (s *Service) validActivity(in NewActivity) (Activity, error) {
	a := Activity{ID: in.ID, Kind: in.Kind, CustomerID: in.CustomerID, ContactID: in.ContactID, OpportunityID: in.OpportunityID,
		Direction: in.Direction, DurationS: in.DurationS, Outcome: in.Outcome, Channel: in.Channel, ReplyTo: in.ReplyTo}
	if in.Kind != KindCall && in.Kind != KindMeeting && in.Kind != KindMessage {
		return a, fault.Field("body.kind", `must be "call", "meeting" or "message"`, string(in.Kind))
	}
	if in.ID == uuid.Nil {
		return a, fault.Field("body.id", "is required: the client's own UUID for the activity, reused when the request is retried", nil)
	}
	if in.CustomerID == uuid.Nil {
		return a, fault.Field("body.customer_id", "is required", nil)
	}
	if in.OccurredAt.IsZero() {
		return a, fault.Field("body.occurred_at", "is required", nil)
	}
	a.OccurredAt = in.OccurredAt.UTC().Truncate(time.Microsecond)
	if a.OccurredAt.After(s.now().Add(maxFutureActions)) {
		return a, fault.Field("body.occurred_at", "is in the future: log an activity once it has happened", in.OccurredAt)
	}
	var err error
	if a.Notes, err = text(in.Notes, "body.notes", MaxNotesLen, false); err != nil {
		return a, err
	}
	a.EndedAt, a.RepliedAt = micro(in.EndedAt), micro(in.RepliedAt)
	// Fields of the other kinds are refused rather than dropped: the client meant something.
	only := func(field string, set bool, kinds ...Kind) error {
		if set && !slices.Contains(kinds, a.Kind) {
			return fault.Field("body."+field, fmt.Sprintf("is not for a %s", a.Kind), nil)
		}
		return nil
	}
	for _, err := range []error{
		only("direction", in.Direction != "", KindCall, KindMessage),
		only("duration_s", in.DurationS != 0, KindCall),
		only("outcome", in.Outcome != "", KindCall),
		only("ended_at", in.EndedAt != nil, KindMeeting),
		only("attendees", len(in.Attendees) > 0, KindMeeting),
		only("channel", in.Channel != "", KindMessage),
		only("replied_at", in.RepliedAt != nil, KindMessage),
		only("reply_to", in.ReplyTo != nil, KindMessage),
	} {
		if err != nil {
			return a, err
		}
	}
	switch a.Kind {
	case KindCall:
		return a, validCall(a)
	case KindMeeting:
		return validMeeting(a, in.Attendees)
	}
	return a, validMessage(a)
}

func validDirection(d Direction) error {
	if d != Inbound && d != Outbound {
		return fault.Field("body.direction", `must be "in" (the customer started it) or "out" (the rep did)`, string(d))
	}
	return nil
}

func validCall(a Activity) error {
	if err := validDirection(a.Direction); err != nil {
		return err
	}
	if a.DurationS < 0 || a.DurationS > MaxCallDuration {
		return fault.Field("body.duration_s", fmt.Sprintf("must be between 0 and %d seconds", MaxCallDuration), a.DurationS)
	}
	if !validOutcome(a.Outcome) {
		return fault.Field("body.outcome", fmt.Sprintf("must be one of %v", Outcomes), string(a.Outcome))
	}
	return nil
}

func validMeeting(a Activity, attendees []uuid.UUID) (Activity, error) {
	if a.EndedAt == nil {
		return a, fault.Field("body.ended_at", "is required for a meeting", nil)
	}
	if !a.EndedAt.After(a.OccurredAt) || a.EndedAt.Sub(a.OccurredAt) > 24*time.Hour {
		return a, fault.Field("body.ended_at", "must be after the start, and a meeting at most 24 hours long", *a.EndedAt)
	}
	if len(attendees) > MaxAttendees {
		return a, fault.Field("body.attendees", fmt.Sprintf("has more than %d contacts", MaxAttendees), len(attendees))
	}
	a.Attendees = sortedIDs(attendees)
	return a, nil
}

func validMessage(a Activity) error {
	if err := validDirection(a.Direction); err != nil {
		return err
	}
	if !validChannel(a.Channel) {
		return fault.Field("body.channel", fmt.Sprintf("must be one of %v", Channels), string(a.Channel))
	}
	if a.RepliedAt != nil {
		if a.Direction != Outbound {
			return fault.Field("body.replied_at", "is only for messages the rep sent", *a.RepliedAt)
		}
		if a.RepliedAt.Before(a.OccurredAt) {
			return fault.Field("body.replied_at", "is before the message was sent", *a.RepliedAt)
		}
	}
	return nil
}

// checkActivityRefs checks what an activity names besides its customer: the contact and the
// attendees are the account's, and a reply answers a message of the same account sent the other
// way before it.
func (s *Service) checkActivityRefs(db *gorm.DB, a Activity) error {
	if a.ContactID != nil {
		if err := contactOfAccount(db, *a.ContactID, a.CustomerID, "body.contact_id"); err != nil {
			return err
		}
	}
	for _, c := range a.Attendees {
		if err := contactOfAccount(db, c, a.CustomerID, "body.attendees"); err != nil {
			return err
		}
	}
	if a.ReplyTo == nil {
		return nil
	}
	r, found, err := findActivity(db, *a.ReplyTo)
	if err != nil {
		return fmt.Errorf("load replied message: %w", err)
	}
	switch {
	case !found || r.CustomerID != a.CustomerID:
		return fault.Reference("body.reply_to", "there is no such message with this customer", *a.ReplyTo)
	case r.Kind != string(KindMessage):
		return fault.Reference("body.reply_to", "is a "+r.Kind+", not a message", *a.ReplyTo)
	case deref[Direction](r.Direction) == a.Direction:
		return fault.Reference("body.reply_to", "a reply goes the other way than the message it answers", *a.ReplyTo)
	case r.OccurredAt.After(a.OccurredAt):
		return fault.Reference("body.reply_to", "the message was sent after this reply", *a.ReplyTo)
	}
	return nil
}

func micro(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC().Truncate(time.Microsecond)
	return &u
}

// stamp writes a time exactly, for fingerprints.
func stamp(t *time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func stampOrNil(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := stamp(t)
	return &s
}
