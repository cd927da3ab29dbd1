// Package activities is the record of a rep's contact with customers, calls, meetings and
// messages, and the key-account work of the industrial template: the account hierarchy, the
// contacts of an account and their relationships, projects with milestones, service records,
// and the account's timeline. It also computes the figures the appraisal and pipeline domains
// read from that record: response rates, call durations, milestone punctuality, key-account
// touches, contact frequency and follow-up depth.
//
// Accounts are the visits domain's customers. This package never reads the customers table: it
// asks a Customers source (which checks that the caller may see the customer) and copies the
// customer's owner and region onto the rows it creates, so access scopes filter them the same way.
package activities

import (
	"slices"
	"time"

	"github.com/google/uuid"
)

// Kind is what sort of contact an activity was.
type Kind string

const (
	KindCall    Kind = "call"
	KindMeeting Kind = "meeting"
	KindMessage Kind = "message"
)

// Direction says who started a call or sent a message: the rep (out) or the customer (in).
type Direction string

const (
	Inbound  Direction = "in"
	Outbound Direction = "out"
)

// Outcome is how a call ended.
type Outcome string

const (
	OutcomeAnswered    Outcome = "answered"
	OutcomeNoAnswer    Outcome = "no_answer"
	OutcomeBusy        Outcome = "busy"
	OutcomeVoicemail   Outcome = "voicemail"
	OutcomeRejected    Outcome = "rejected"
	OutcomeWrongNumber Outcome = "wrong_number"
)

// Outcomes lists every call outcome.
var Outcomes = []Outcome{OutcomeAnswered, OutcomeNoAnswer, OutcomeBusy, OutcomeVoicemail, OutcomeRejected, OutcomeWrongNumber}

// Channel is how a message was sent.
type Channel string

// Channels lists every message channel.
var Channels = []Channel{"sms", "wechat", "email", "whatsapp", "dingtalk", "other"}

// Limits, in characters, and page sizes.
const (
	MaxNotesLen      = 4000
	MaxNameLen       = 200
	MaxPhoneLen      = 40
	MaxEmailLen      = 254
	MaxSummaryLen    = 4000
	MaxAttendees     = 50
	MaxCallDuration  = 24 * 60 * 60 // seconds: a day; longer is a typo
	DefaultPageSize  = 50
	MaxPageSize      = 200
	maxPeriod        = 400 * 24 * time.Hour
	maxFutureActions = 10 * time.Minute // phone clocks run a little fast; the future does not happen yet
)

// Activity is one call, meeting or message. The fields of the other kinds are zero.
type Activity struct {
	ID            uuid.UUID // the client's own id
	Kind          Kind
	OwnerID       uuid.UUID // the rep who logged it
	CustomerID    uuid.UUID
	RegionID      uuid.UUID // the customer's region when logged
	ContactID     *uuid.UUID
	OpportunityID *uuid.UUID
	OccurredAt    time.Time // a call's or message's time, a meeting's start
	Notes         string
	// Calls and messages.
	Direction Direction
	// Calls.
	DurationS int
	Outcome   Outcome
	// Meetings.
	EndedAt   *time.Time
	Attendees []uuid.UUID // contact ids, sorted
	// Messages: replied when RepliedAt is set or a reply names this message in ReplyTo.
	Channel   Channel
	RepliedAt *time.Time
	ReplyTo   *uuid.UUID
	Replies   []uuid.UUID // the inbound messages that answer this one
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Replied reports whether a message was answered, by a reply time or a linked reply.
func (a Activity) Replied() bool { return a.RepliedAt != nil || len(a.Replies) > 0 }

// NewActivity is the input of CreateActivity. ID is the client's id: a retry with the same id
// and the same body returns the stored activity.
type NewActivity struct {
	ID            uuid.UUID
	Kind          Kind
	CustomerID    uuid.UUID
	ContactID     *uuid.UUID
	OpportunityID *uuid.UUID
	OccurredAt    time.Time
	Notes         string
	Direction     Direction
	DurationS     int
	Outcome       Outcome
	EndedAt       *time.Time
	Attendees     []uuid.UUID
	Channel       Channel
	RepliedAt     *time.Time
	ReplyTo       *uuid.UUID
}

// ActivityChanges is what may be learned after an activity was logged; nil stays as it is.
type ActivityChanges struct {
	Notes     *string
	Outcome   *Outcome   // calls
	RepliedAt *time.Time // messages
}

// ActivityFilter narrows ListActivities.
type ActivityFilter struct {
	CustomerID, ContactID, OpportunityID, OwnerID *uuid.UUID
	Kind                                          Kind
	Direction                                     Direction
	From, To                                      time.Time // occurred in [From, To); zero leaves a side open
	Limit                                         int
	Cursor                                        string // NextCursor of the previous page
}

// ActivityPage is one page of activities, newest first; NextCursor is "" on the last page.
type ActivityPage struct {
	Activities []Activity
	NextCursor string
}

func validOutcome(o Outcome) bool { return slices.Contains(Outcomes, o) }
func validChannel(c Channel) bool { return slices.Contains(Channels, c) }
