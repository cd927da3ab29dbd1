package activities

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
)

// CreateActivity logs a call, meeting or message of the caller's with a customer the caller may
// see; the caller owns it. The id is the client's: a retry with the same id and the same body
// returns the stored activity (created is then false), whatever happened to it since; the same
// id with a different body is a conflict, never a second activity or an overwrite.
func (s *Service) CreateActivity(ctx context.Context, in NewActivity) (a Activity, created bool, err error) {
	p, err := identity.SignedIn(ctx, "log an activity")
	if err != nil {
		return Activity{}, false, err
	}
	if a, err = s.validActivity(in); err != nil {
		return Activity{}, false, err
	}
	a.OwnerID = p.UserID
	fingerprint, err := fingerprintOf(a)
	if err != nil {
		return Activity{}, false, err
	}
	loc, err := s.timeZone(ctx)
	if err != nil {
		return Activity{}, false, err
	}
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if prior, ok, err := s.earlierAttempt(ctx, db, a.ID, fingerprint); ok || err != nil {
			a = prior
			return err
		}
		acc, err := s.account(ctx, db, a.CustomerID, "body.customer_id")
		if err != nil {
			return err
		}
		if err := s.warden.Check(ctx, access.Create, acc.resource(access.KindActivity, uuid.Nil, a.OwnerID)); err != nil {
			return err
		}
		a.RegionID = acc.RegionID
		if err := s.checkActivityRefs(db, a); err != nil {
			return err
		}
		a.CreatedAt = s.now()
		a.UpdatedAt = a.CreatedAt
		row := toActivityRow(a, fingerprint)
		res := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
		if res.Error != nil {
			return fmt.Errorf("store activity: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			// A concurrent retry stored it first: answer as for any retry.
			prior, ok, err := s.earlierAttempt(ctx, db, a.ID, fingerprint)
			if err == nil && !ok {
				err = fmt.Errorf("activity %s neither inserted nor found", a.ID)
			}
			a = prior
			return err
		}
		for _, c := range a.Attendees {
			if err := db.Create(&activityContactRow{ActivityID: a.ID, CustomerID: a.CustomerID, ContactID: c}).Error; err != nil {
				return fmt.Errorf("store attendee: %w", err)
			}
		}
		changes := []activityChange{{after: &row}}
		if a.ReplyTo != nil {
			res := db.Model(&activityRow{}).Where("id = ? AND has_reply = ?", *a.ReplyTo, false).Update("has_reply", true)
			if res.Error != nil {
				return fmt.Errorf("mark the message replied: %w", res.Error)
			}
			if res.RowsAffected > 0 { // the first reply: the message now counts as replied
				replied, err := s.lockActivity(db, *a.ReplyTo)
				if err != nil {
					return err
				}
				before := *replied
				before.HasReply = false
				changes = append(changes, activityChange{before: &before, after: replied})
			}
		}
		if err := rollActivities(db, loc, changes...); err != nil {
			return err
		}
		if a.OpportunityID != nil && s.opts.Worked != nil {
			if err := s.opts.Worked(ctx, *a.OpportunityID); fault.Is(err, fault.NotFound) {
				return fault.New(fault.Invalid, "invalid_reference", "there is no such opportunity",
					fault.Detail{Location: "body.opportunity_id", Message: "there is no such opportunity", Value: a.OpportunityID.String()})
			} else if err != nil {
				return err
			}
		}
		created = true
		return nil
	})
	if err != nil {
		return Activity{}, false, fmt.Errorf("log activity: %w", err)
	}
	return a, created, nil
}

// earlierAttempt finds a stored activity with id. ok is true when it is this request's own,
// retried; an activity with other content under the same id is a conflict. The conflict says
// nothing about the other activity: it may be another rep's.
func (s *Service) earlierAttempt(ctx context.Context, db *gorm.DB, id uuid.UUID, fingerprint string) (Activity, bool, error) {
	r, found, err := findActivity(db, id)
	if err != nil || !found {
		return Activity{}, false, err
	}
	if r.Fingerprint != fingerprint {
		return Activity{}, false, fault.New(fault.Conflict, "id_reused",
			"an activity with this id was already logged with different content: a retry must send the same body, and a new activity needs a new id")
	}
	a, err := s.loadActivity(ctx, db, id, access.Read)
	return a, err == nil, err
}

// fingerprintOf hashes what the client said (the validated, normalised input and its owner),
// not what the server added, so a retry after an update still matches.
func fingerprintOf(a Activity) (string, error) {
	raw, err := json.Marshal(struct {
		ID, Owner, Customer           uuid.UUID
		Kind                          Kind
		Contact, Opportunity, ReplyTo *uuid.UUID
		OccurredAt                    string
		Notes                         string
		Direction                     Direction
		DurationS                     int
		Outcome                       Outcome
		EndedAt, RepliedAt            *string
		Attendees                     []uuid.UUID
		Channel                       Channel
	}{a.ID, a.OwnerID, a.CustomerID, a.Kind, a.ContactID, a.OpportunityID, a.ReplyTo, stamp(&a.OccurredAt), a.Notes,
		a.Direction, a.DurationS, a.Outcome, stampOrNil(a.EndedAt), stampOrNil(a.RepliedAt), a.Attendees, a.Channel})
	if err != nil {
		return "", fmt.Errorf("fingerprint: %w", err)
	}
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:]), nil
}

// GetActivity returns one activity; one outside the caller's scope is not found.
func (s *Service) GetActivity(ctx context.Context, id uuid.UUID) (Activity, error) {
	var a Activity
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		var err error
		a, err = s.loadActivity(ctx, db, id, access.Read)
		return err
	})
	if err != nil {
		return Activity{}, fmt.Errorf("get activity %s: %w", id, err)
	}
	return a, nil
}

// UpdateActivity records what was learned later: notes, a call's outcome, when a message was
// answered. What happened, when and with whom stays as logged.
func (s *Service) UpdateActivity(ctx context.Context, id uuid.UUID, ch ActivityChanges) (Activity, error) {
	loc, err := s.timeZone(ctx)
	if err != nil {
		return Activity{}, err
	}
	var a Activity
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		var err error
		if a, err = s.loadActivity(ctx, db, id, access.Update); err != nil {
			return err
		}
		if err := a.apply(ch); err != nil {
			return err
		}
		a.UpdatedAt = s.now()
		before, err := s.lockActivity(db, id) // as it is now: a reply may have been logged since it was loaded
		if err != nil {
			return err
		}
		err = db.Model(&activityRow{}).Where("id = ?", id).Updates(map[string]any{
			"notes": a.Notes, "outcome": optional(a.Outcome), "replied_at": a.RepliedAt, "updated_at": a.UpdatedAt}).Error
		if err != nil {
			return err
		}
		after, err := s.lockActivity(db, id)
		if err != nil {
			return err
		}
		return rollActivities(db, loc, activityChange{before: before, after: after})
	})
	if err != nil {
		return Activity{}, fmt.Errorf("update activity %s: %w", id, err)
	}
	return a, nil
}

func (a *Activity) apply(ch ActivityChanges) error {
	if ch.Notes != nil {
		n, err := text(*ch.Notes, "body.notes", MaxNotesLen, false)
		if err != nil {
			return err
		}
		a.Notes = n
	}
	if ch.Outcome != nil {
		if a.Kind != KindCall {
			return fault.Field("body.outcome", "is only for calls", string(*ch.Outcome))
		}
		if !validOutcome(*ch.Outcome) {
			return fault.Field("body.outcome", fmt.Sprintf("must be one of %v", Outcomes), string(*ch.Outcome))
		}
		a.Outcome = *ch.Outcome
	}
	if ch.RepliedAt != nil {
		if a.Kind != KindMessage || a.Direction != Outbound {
			return fault.Field("body.replied_at", "is only for messages the rep sent", *ch.RepliedAt)
		}
		t := ch.RepliedAt.UTC().Truncate(time.Microsecond)
		if t.Before(a.OccurredAt) {
			return fault.Field("body.replied_at", "is before the message was sent", *ch.RepliedAt)
		}
		a.RepliedAt = &t
	}
	return nil
}

// loadActivity loads an activity with its attendees and replies, and asks the warden whether the
// caller may act on it; one outside the caller's scope is not found, like a missing one.
func (s *Service) loadActivity(ctx context.Context, db *gorm.DB, id uuid.UUID, act access.Action) (Activity, error) {
	r, found, err := findActivity(db, id)
	if err != nil {
		return Activity{}, fmt.Errorf("load activity: %w", err)
	}
	if !found {
		return Activity{}, fault.NotFoundf("activity")
	}
	if err := s.checkRow(ctx, db, act, access.KindActivity, r.ID, r.OwnerID, r.RegionID, "activity"); err != nil {
		return Activity{}, err
	}
	as := []Activity{toActivity(r)}
	if err := loadActivityDetails(db, as); err != nil {
		return Activity{}, err
	}
	return as[0], nil
}
