package tenants

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/mail"
	"github.com/repflow/repflow/platform/org"
	"github.com/repflow/repflow/platform/store"
)

// InvitationLifetime is how long an invitation's link works; resending makes a new one.
const InvitationLifetime = 7 * 24 * time.Hour

// An invitation brings a rep or a manager into the tenant: the person's account is made at once
// (through the organisation service, so the inviter's reach, the reporting rules and the plan's
// seats apply, and the seat is taken), without a password; the mailed link lets them choose one,
// and only then can they sign in. Revoking an invitation not yet accepted deactivates the account.

// Invitations invites people into tenants.
type Invitations struct {
	store       *store.Store
	org         *org.Service
	warden      *access.Warden
	outbox      *mail.Outbox
	setPassword func(ctx context.Context, user uuid.UUID, password string) error
	// record writes the tenant's audit trail for the acceptance, which has no signed-in caller.
	record    func(ctx context.Context, action, resource, outcome string) error
	acceptURL string
	now       func() time.Time
}

// ActionAcceptInvitation is the audit trail's action of an accepted invitation.
const ActionAcceptInvitation = "invitation.accept"

// NewInvitations returns the invitations, mailing links to the page under publicURL that
// accepts them; setPassword is auth's, record the audit trail's.
func NewInvitations(s *store.Store, o *org.Service, w *access.Warden, outbox *mail.Outbox, publicURL string,
	setPassword func(ctx context.Context, user uuid.UUID, password string) error,
	record func(ctx context.Context, action, resource, outcome string) error) *Invitations {
	accept, _ := url.JoinPath(publicURL, "invitations", "accept")
	return &Invitations{store: s, org: o, warden: w, outbox: outbox, setPassword: setPassword, record: record, acceptURL: accept, now: time.Now}
}

type invitationRow struct {
	TenantID   uuid.UUID
	ID         uuid.UUID
	Email      string
	Name       string
	Roles      string // space-separated
	RegionID   uuid.UUID
	ManagerID  *uuid.UUID
	TokenHash  string
	InvitedBy  uuid.UUID
	CreatedAt  time.Time
	ExpiresAt  time.Time
	AcceptedAt *time.Time
	RevokedAt  *time.Time
	UserID     *uuid.UUID
}

func (invitationRow) TableName() string { return "invitations" }

// Invitation is one invitation as its tenant's admins see it.
type Invitation struct {
	ID         uuid.UUID
	UserID     uuid.UUID
	Email      string
	Name       string
	Roles      []string
	RegionID   uuid.UUID
	ManagerID  *uuid.UUID
	InvitedBy  uuid.UUID
	CreatedAt  time.Time
	ExpiresAt  time.Time
	AcceptedAt *time.Time
	RevokedAt  *time.Time
}

func (r invitationRow) invitation() Invitation {
	out := Invitation{ID: r.ID, Email: r.Email, Name: r.Name, Roles: strings.Fields(r.Roles), RegionID: r.RegionID, ManagerID: r.ManagerID,
		InvitedBy: r.InvitedBy, CreatedAt: r.CreatedAt, ExpiresAt: r.ExpiresAt, AcceptedAt: r.AcceptedAt, RevokedAt: r.RevokedAt}
	if r.UserID != nil {
		out.UserID = *r.UserID
	}
	return out
}

// NewInvitation is a person to invite; Password is ignored (they choose their own).
type NewInvitation = org.NewUser

// Invite makes the accounts of people and mails each their link, all or none: one that cannot be
// made (an address already in use, a region out of the caller's reach, no seat left) refuses
// them all, naming it at location(i).
func (s *Invitations) Invite(ctx context.Context, people []NewInvitation, location func(i int) string) ([]Invitation, error) {
	me, err := identity.SignedIn(ctx, "invite people")
	if err != nil {
		return nil, err
	}
	var out []Invitation
	var links []mail.Message
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		for i, p := range people {
			p.Password = ""
			u, err := s.org.CreateUser(ctx, p)
			if err != nil {
				return atLine(err, location(i))
			}
			token := identity.TenantID(ctx).String() + "." + newToken()
			now := s.now().UTC().Truncate(time.Microsecond)
			row := invitationRow{ID: identity.NewID(), Email: u.Email, Name: u.Name, Roles: strings.Join(u.Roles, " "), RegionID: u.RegionID,
				ManagerID: u.ManagerID, TokenHash: tokenHash(token), InvitedBy: me.UserID, CreatedAt: now, ExpiresAt: now.Add(InvitationLifetime), UserID: &u.ID}
			if err := db.Create(&row).Error; err != nil {
				return fmt.Errorf("store invitation: %w", err)
			}
			out = append(out, row.invitation())
			links = append(links, s.message(identity.TenantID(ctx), u.Email, u.Name, token))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("invite: %w", err)
	}
	s.mailAfterCommit(ctx, links)
	return out, nil
}

// atLine moves a fault's field details under location (body.people[2].email, say).
func atLine(err error, location string) error {
	f, ok := fault.As(err)
	if !ok {
		return err
	}
	out := *f
	out.Details = make([]fault.Detail, len(f.Details))
	for i, d := range f.Details {
		d.Location = location + "." + strings.TrimPrefix(d.Location, "body.")
		out.Details[i] = d
	}
	if len(out.Details) == 0 {
		out.Details = []fault.Detail{{Location: location, Message: f.Message}}
	}
	return &out
}

func (s *Invitations) message(tenant uuid.UUID, email, name, token string) mail.Message {
	link := s.acceptURL + "?token=" + url.QueryEscape(token)
	return mail.Message{Tenant: tenant, Kind: "invitation", To: email,
		Subject: "You are invited to repflow / 邀请您加入 repflow",
		Text: "Hello " + name + ",\n\nyou are invited to your company's repflow. Open this link within 7 days to choose your password:\n" + link +
			"\n\n您好，" + name + "：\n您被邀请加入公司的 repflow。请在 7 天内打开以上链接设置密码。\n"}
}

// mailAfterCommit queues the messages once what they announce is committed: a link to an
// invitation that was rolled back would open nothing.
func (s *Invitations) mailAfterCommit(ctx context.Context, msgs []mail.Message) {
	store.AfterCommit(ctx, func() {
		for _, m := range msgs {
			if err := s.outbox.Queue(context.WithoutCancel(ctx), m); err != nil {
				slog.ErrorContext(ctx, "invitation committed but its mail was not queued: resend it", "to", m.To, "error", err)
			}
		}
	})
}

// errBadInvitation is the one answer to a link that is wrong, used, revoked or expired.
var errBadInvitation = fault.New(fault.Invalid, "invalid_invitation",
	"this invitation link is wrong, already used, revoked or expired: ask your administrator to send it again",
	fault.Detail{Location: "body.token", Message: "is not a live invitation"})

// Accept sets the invited person's password with the link's token; they can then sign in.
func (s *Invitations) Accept(ctx context.Context, token, password string) (Invitation, error) {
	tenantText, _, ok := strings.Cut(token, ".")
	tenant, err := uuid.Parse(tenantText)
	if !ok || err != nil {
		return Invitation{}, errBadInvitation
	}
	var out Invitation
	ctx = identity.System(ctx, tenant)
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		var row invitationRow
		err := db.Where("token_hash = ?", tokenHash(token)).Take(&row).Error
		if store.IsNotFound(err) {
			return errBadInvitation
		}
		if err != nil {
			return err
		}
		now := s.now().UTC()
		if row.AcceptedAt != nil || row.RevokedAt != nil || !now.Before(row.ExpiresAt) || row.UserID == nil {
			return errBadInvitation
		}
		if err := s.setPassword(ctx, *row.UserID, password); err != nil {
			return err
		}
		done := db.Model(&invitationRow{}).Where("id = ? AND accepted_at IS NULL", row.ID).Update("accepted_at", now)
		if done.Error != nil {
			return done.Error
		}
		if done.RowsAffected == 0 {
			return errBadInvitation
		}
		row.AcceptedAt = &now
		out = row.invitation()
		return s.record(ctx, ActionAcceptInvitation, "user:"+row.UserID.String(), "ok")
	})
	if err != nil {
		return Invitation{}, fmt.Errorf("accept invitation: %w", err)
	}
	return out, nil
}

// List returns the tenant's invitations still open (not accepted, not revoked), newest first,
// for whoever may list users.
func (s *Invitations) List(ctx context.Context) ([]Invitation, error) {
	var rows []invitationRow
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if err := s.warden.Check(ctx, access.List, access.Resource{Kind: access.KindUser}); err != nil {
			return err
		}
		return db.Where("accepted_at IS NULL AND revoked_at IS NULL").Order("created_at DESC").Limit(org.MaxPageSize).Find(&rows).Error
	})
	out := make([]Invitation, len(rows))
	for i, r := range rows {
		out[i] = r.invitation()
	}
	return out, err
}

// open loads an open invitation the caller may act on: one whose account they may update.
func (s *Invitations) open(ctx context.Context, db *gorm.DB, id uuid.UUID) (invitationRow, error) {
	var row invitationRow
	err := db.Where("id = ?", id).Take(&row).Error
	if store.IsNotFound(err) || (err == nil && (row.AcceptedAt != nil || row.RevokedAt != nil || row.UserID == nil)) {
		return row, fault.NotFoundf("open invitation")
	}
	if err != nil {
		return row, err
	}
	if _, err := s.org.GetUser(ctx, *row.UserID); err != nil {
		return row, err
	}
	return row, nil
}

// Resend mails an open invitation again with a new link, valid for InvitationLifetime; the old
// link stops working.
func (s *Invitations) Resend(ctx context.Context, id uuid.UUID) (Invitation, error) {
	var out Invitation
	var msg mail.Message
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		row, err := s.open(ctx, db, id)
		if err != nil {
			return err
		}
		token := identity.TenantID(ctx).String() + "." + newToken()
		row.TokenHash, row.ExpiresAt = tokenHash(token), s.now().UTC().Truncate(time.Microsecond).Add(InvitationLifetime)
		if err := db.Model(&invitationRow{}).Where("id = ?", id).Updates(map[string]any{"token_hash": row.TokenHash, "expires_at": row.ExpiresAt}).Error; err != nil {
			return err
		}
		out, msg = row.invitation(), s.message(identity.TenantID(ctx), row.Email, row.Name, token)
		return nil
	})
	if err != nil {
		return Invitation{}, fmt.Errorf("resend invitation: %w", err)
	}
	s.mailAfterCommit(ctx, []mail.Message{msg})
	return out, nil
}

// Revoke withdraws an open invitation: its link stops working and the account made for it is
// deactivated, which frees its seat.
func (s *Invitations) Revoke(ctx context.Context, id uuid.UUID) error {
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		row, err := s.open(ctx, db, id)
		if err != nil {
			return err
		}
		if err := s.org.DeactivateUser(ctx, *row.UserID); err != nil {
			return err
		}
		return db.Model(&invitationRow{}).Where("id = ?", id).Update("revoked_at", s.now().UTC()).Error
	})
	if err != nil {
		return fmt.Errorf("revoke invitation: %w", err)
	}
	return nil
}
