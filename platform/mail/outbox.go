// Package mail is the mail the platform sends (sign-up verification, invitations, password
// resets): queued in an outbox table in the transaction of what it announces where there is
// one, then delivered by a sweep, so that a message survives a restart or a mail server that is
// down, and is sent once.
package mail

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/jobs"
	"github.com/repflow/repflow/platform/store"
)

// Message is one e-mail.
type Message struct {
	// Tenant is the tenant the message is about (uuid.Nil for none): a tenant's purge takes its
	// mail with it.
	Tenant  uuid.UUID
	Kind    string // what it is, for the operator: "signup_verification", "invitation", ...
	To      string
	Subject string
	Text    string // plain text; links as they are
}

// Sender hands a message to a mail server.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// MaxAttempts bounds the deliveries of one message: after that it stays in the outbox, unsent,
// with its last error, for the operator.
const MaxAttempts = 8

// deliverEvery is how often the sweep delivers what is queued.
const deliverEvery = 15 * time.Second

type outboxRow struct {
	ID        uuid.UUID
	Tenant    *uuid.UUID
	Kind      string
	Recipient string
	Subject   string
	Body      string
	CreatedAt time.Time
	SentAt    *time.Time
	Attempts  int
	LastError string
}

func (outboxRow) TableName() string { return "mail_outbox" }

// Outbox queues and delivers messages.
type Outbox struct {
	store  *store.Store
	sender Sender
	now    func() time.Time
}

// NewOutbox returns an outbox delivering through sender.
func NewOutbox(s *store.Store, sender Sender) *Outbox {
	return &Outbox{store: s, sender: sender, now: time.Now}
}

// Queue adds m to the outbox. It is written through the owner handle: on PostgreSQL in its own
// transaction, so a message about something not yet committed must be queued after it commits
// (store.AfterCommit) or be harmless if that never happens.
func (o *Outbox) Queue(ctx context.Context, m Message) error {
	row := outboxRow{ID: identity.NewID(), Kind: m.Kind, Recipient: m.To, Subject: m.Subject, Body: m.Text, CreatedAt: o.now().UTC()}
	if m.Tenant != uuid.Nil {
		row.Tenant = &m.Tenant
	}
	if err := o.store.Owner(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("queue %s mail: %w", m.Kind, err)
	}
	return nil
}

// Schedule has q deliver the outbox every deliverEvery.
func (o *Outbox) Schedule(q *jobs.Queue) {
	jobs.Every(q, "mail_delivery", deliverEvery, o.Deliver)
}

// Deliver sends what is queued, oldest first. Each message is claimed by counting the attempt
// before sending, so two replicas never send it together; one that fails is tried again at the
// next sweep, up to MaxAttempts.
func (o *Outbox) Deliver(ctx context.Context) error {
	var rows []outboxRow
	err := o.store.Owner(ctx).Where("sent_at IS NULL AND attempts < ?", MaxAttempts).Order("created_at").Limit(100).Find(&rows).Error
	if err != nil {
		return fmt.Errorf("read the outbox: %w", err)
	}
	for _, r := range rows {
		claim := o.store.Owner(ctx).Model(&outboxRow{}).Where("id = ? AND sent_at IS NULL AND attempts = ?", r.ID, r.Attempts).
			Update("attempts", r.Attempts+1)
		if claim.Error != nil {
			return claim.Error
		}
		if claim.RowsAffected == 0 {
			continue // another replica took it
		}
		m := Message{Kind: r.Kind, To: r.Recipient, Subject: r.Subject, Text: r.Body}
		if r.Tenant != nil {
			m.Tenant = *r.Tenant
		}
		done := map[string]any{"sent_at": o.now().UTC(), "last_error": ""}
		if err := o.sender.Send(ctx, m); err != nil {
			slog.WarnContext(ctx, "mail not delivered", "id", r.ID, "kind", r.Kind, "attempt", r.Attempts+1, "error", err)
			done = map[string]any{"last_error": err.Error()}
		}
		if err := o.store.Owner(ctx).Model(&outboxRow{}).Where("id = ?", r.ID).Updates(done).Error; err != nil {
			return err
		}
	}
	return nil
}

// Addressed lists the messages queued for an address, sent or not, newest first: the operator's
// view of what went out, and where tests read links from.
func (o *Outbox) Addressed(ctx context.Context, to string) ([]Message, error) {
	var rows []outboxRow
	err := o.store.Owner(ctx).Where("recipient = ?", to).Order("created_at DESC").Find(&rows).Error
	out := make([]Message, len(rows))
	for i, r := range rows {
		out[i] = Message{Kind: r.Kind, To: r.Recipient, Subject: r.Subject, Text: r.Body}
		if r.Tenant != nil {
			out[i].Tenant = *r.Tenant
		}
	}
	return out, err
}
