package visits

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/blob"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
)

// Photo limits.
const (
	MaxPhotoBytes     = 10 << 20
	MaxPhotosPerVisit = 20
)

// photoTypes are the image types a visit photo may have. HEIC (iPhones) cannot be sniffed by
// the standard library, so its declared type is taken with a check of its file signature.
var photoTypes = map[string]bool{"image/jpeg": true, "image/png": true, "image/webp": true, "image/heic": true}

// AddPhoto attaches a photo to the caller's open visit. The same picture sent twice (a retried
// upload) is stored once and attached once, even after the visit closed.
func (s *Service) AddPhoto(ctx context.Context, visitID uuid.UUID, contentType string, content []byte) (Photo, error) {
	p, err := caller(ctx, "add photos")
	if err != nil {
		return Photo{}, err
	}
	if s.opts.Photos == nil {
		return Photo{}, fault.New(fault.Unavailable, "photos_unavailable", "this server stores no photos")
	}
	if err := checkImage(contentType, content); err != nil {
		return Photo{}, err
	}
	var ph Photo
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		v, err := s.loadVisit(ctx, db, visitID, access.Update)
		if err != nil {
			return err
		}
		if v.RepID != p.UserID {
			return fault.New(fault.Forbidden, "forbidden", "only the rep on the visit adds its photos")
		}
		// Decided before anything is written, so a refused photo leaves no file behind.
		sum := sha256.Sum256(content)
		for _, existing := range v.Photos {
			if existing.SHA256 == hex.EncodeToString(sum[:]) {
				ph = existing
				return nil
			}
		}
		switch {
		case v.Status == VisitClosed:
			return fault.New(fault.Conflict, "visit_closed", "the visit is checked out: its photos are final")
		case len(v.Photos) >= MaxPhotosPerVisit:
			return fault.Newf(fault.Conflict, "too_many_photos", "a visit holds at most %d photos", MaxPhotosPerVisit)
		}
		info, err := s.opts.Photos.Put(ctx, p.TenantID, bytes.NewReader(content), MaxPhotoBytes)
		if errors.Is(err, blob.ErrTooLarge) {
			return fault.Field("body", fmt.Sprintf("is larger than %d MiB", MaxPhotoBytes>>20), len(content))
		}
		if err != nil {
			return fmt.Errorf("store photo: %w", err)
		}
		ph = Photo{SHA256: info.SHA256, ContentType: contentType, Size: info.Size, UploadedBy: p.UserID, CreatedAt: s.now()}
		return db.Create(&photoRow{VisitID: visitID, Sha256: ph.SHA256, ContentType: ph.ContentType, Size: ph.Size,
			UploadedBy: ph.UploadedBy, CreatedAt: ph.CreatedAt}).Error
	})
	if err != nil {
		return Photo{}, fmt.Errorf("add photo to visit %s: %w", visitID, err)
	}
	return ph, nil
}

// OpenPhoto returns a visit's photo for whoever may read the visit; the caller closes it.
func (s *Service) OpenPhoto(ctx context.Context, visitID uuid.UUID, sha256 string) (io.ReadSeekCloser, Photo, error) {
	if s.opts.Photos == nil {
		return nil, Photo{}, fault.NotFoundf("photo")
	}
	var ph Photo
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		v, err := s.loadVisit(ctx, db, visitID, access.Read)
		if err != nil {
			return err
		}
		for _, p := range v.Photos {
			if p.SHA256 == sha256 {
				ph = p
				return nil
			}
		}
		return fault.NotFoundf("photo")
	})
	if err != nil {
		return nil, Photo{}, fmt.Errorf("open photo: %w", err)
	}
	r, _, err := s.opts.Photos.Open(ctx, identity.TenantID(ctx), ph.SHA256)
	if errors.Is(err, blob.ErrNotFound) {
		return nil, Photo{}, fault.NotFoundf("photo")
	}
	if err != nil {
		return nil, Photo{}, fmt.Errorf("open photo: %w", err)
	}
	return r, ph, nil
}

// checkImage refuses content that is not the image its type says.
func checkImage(contentType string, content []byte) error {
	if !photoTypes[contentType] {
		return fault.Field("header.Content-Type", "must be image/jpeg, image/png, image/webp or image/heic", contentType)
	}
	if len(content) == 0 {
		return fault.Field("body", "is empty: send the picture's bytes", nil)
	}
	if contentType == "image/heic" {
		if len(content) < 12 || string(content[4:8]) != "ftyp" {
			return fault.Field("body", "is not a HEIC image", nil)
		}
		return nil
	}
	if sniffed := http.DetectContentType(content); sniffed != contentType {
		return fault.Field("body", "is not a "+contentType+" image (it looks like "+sniffed+")", nil)
	}
	return nil
}
