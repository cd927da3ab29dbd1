package tenants

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/org"
)

// MaxInvitationsCSVBytes bounds an imported file of people: far more than MaxInvitations lines.
const MaxInvitationsCSVBytes = 1 << 20

// MaxInvitations bounds the people invited at once.
const MaxInvitations = 500

// ImportInvitations invites the people of a CSV file (UTF-8, a header naming email, name, roles
// and region, and optionally manager and phone; other columns ignored), all or none, as Invite
// does. roles holds role names separated by spaces or "|" ("rep", "manager|hq"); region is a
// region's id or its exact name; manager is the e-mail of the person's manager (a rep needs one).
// An error names the file's line and column: body.lines[3].region.
func (s *Invitations) ImportInvitations(ctx context.Context, file []byte) ([]Invitation, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(file, []byte("\uFEFF")))) // spreadsheets write a BOM
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, fault.Field("body", "is empty: the first line must name the columns email, name, roles and region", "")
	}
	if err != nil {
		return nil, fault.BadCSV(err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, c := range []string{"email", "name", "roles", "region"} {
		if _, ok := col[c]; !ok {
			return nil, fault.Field("body.lines[1]", "must name the columns email, name, roles and region (manager and phone may follow)", strings.Join(header, ","))
		}
	}
	places, err := s.places(ctx)
	if err != nil {
		return nil, err
	}
	var people []NewInvitation
	var lines []int
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fault.BadCSV(err)
		}
		line, _ := r.FieldPos(0)
		at := fmt.Sprintf("body.lines[%d]", line)
		cell := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if len(people) == MaxInvitations {
			return nil, fault.Field("body", fmt.Sprintf("holds more than %d people: split the file", MaxInvitations), line)
		}
		p := NewInvitation{Email: cell("email"), Name: cell("name"), Phone: cell("phone"),
			Roles: strings.FieldsFunc(cell("roles"), func(r rune) bool { return r == ' ' || r == '|' })}
		region, ok := places.region(cell("region"))
		if !ok {
			return nil, fault.Field(at+".region", "is neither the id nor the exact name of one region you can see", cell("region"))
		}
		p.RegionID = region
		if m := cell("manager"); m != "" {
			id, ok := places.managers[strings.ToLower(m)]
			if !ok {
				return nil, fault.Field(at+".manager", "is not the e-mail of an active person you can see", m)
			}
			p.ManagerID = &id
		}
		people = append(people, p)
		lines = append(lines, line)
	}
	if len(people) == 0 {
		return nil, fault.Field("body", "holds nobody: one line per person after the header", "")
	}
	return s.Invite(ctx, people, func(i int) string { return fmt.Sprintf("body.lines[%d]", lines[i]) })
}

// places are the regions and people a file of invitations names, as the caller sees them.
type places struct {
	regionByName map[string][]uuid.UUID
	regionIDs    map[uuid.UUID]bool
	managers     map[string]uuid.UUID // by lower-case e-mail
}

func (s *Invitations) places(ctx context.Context) (places, error) {
	out := places{regionByName: map[string][]uuid.UUID{}, regionIDs: map[uuid.UUID]bool{}, managers: map[string]uuid.UUID{}}
	regions, err := s.org.ListRegions(ctx)
	if err != nil {
		return out, err
	}
	for _, r := range regions {
		out.regionByName[r.Name] = append(out.regionByName[r.Name], r.ID)
		out.regionIDs[r.ID] = true
	}
	for f := (org.UserFilter{Status: org.StatusActive, Limit: org.MaxPageSize}); ; {
		page, err := s.org.ListUsers(ctx, f)
		if err != nil {
			return out, err
		}
		for _, u := range page.Users {
			out.managers[strings.ToLower(u.Email)] = u.ID
		}
		if page.Next == nil {
			return out, nil
		}
		f.After = page.Next
	}
}

// region is the one region named by id or by exact name.
func (p places) region(v string) (uuid.UUID, bool) {
	if id, err := uuid.Parse(v); err == nil && p.regionIDs[id] {
		return id, true
	}
	if ids := p.regionByName[v]; len(ids) == 1 {
		return ids[0], true
	}
	return uuid.Nil, false
}
