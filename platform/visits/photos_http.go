package visits

import (
	"context"
	"io"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/repflow/repflow/platform/web"
)

func (h *HTTP) registerPhotos(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "add-visit-photo", Method: http.MethodPost, Path: "/api/v1/visits/{id}/photos",
		Summary:     "Attach a photo to the caller's open visit",
		Description: "The body is the picture itself (JPEG, PNG, WebP or HEIC, up to 10 MiB). The same picture sent again is attached once.",
		Tags:        visitTags, DefaultStatus: http.StatusCreated, MaxBodyBytes: MaxPhotoBytes + 1}, h.addPhoto)
	huma.Register(api, huma.Operation{OperationID: "get-visit-photo", Method: http.MethodGet, Path: "/api/v1/visits/{id}/photos/{sha256}",
		Summary: "A visit photo's bytes", Tags: visitTags}, h.getPhoto)
}

type addPhotoInput struct {
	ID          string `path:"id" format:"uuid" doc:"the visit's id"`
	ContentType string `header:"Content-Type"`
	RawBody     []byte `contentType:"image/jpeg"`
}

type photoOutput struct{ Body PhotoDTO }

func (h *HTTP) addPhoto(ctx context.Context, in *addPhotoInput) (*photoOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	p, err := h.svc.AddPhoto(ctx, id, in.ContentType, in.RawBody)
	if err != nil {
		return nil, err
	}
	return &photoOutput{Body: PhotoDTO{SHA256: p.SHA256, ContentType: p.ContentType, Size: p.Size, UploadedBy: p.UploadedBy, CreatedAt: p.CreatedAt}}, nil
}

type photoPath struct {
	ID     string `path:"id" format:"uuid" doc:"the visit's id"`
	SHA256 string `path:"sha256" pattern:"^[0-9a-f]{64}$" doc:"the photo's SHA-256, lowercase hex"`
}

type photoBytesOutput struct {
	ContentType  string `header:"Content-Type"`
	CacheControl string `header:"Cache-Control"`
	Body         []byte
}

func (h *HTTP) getPhoto(ctx context.Context, in *photoPath) (*photoBytesOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	r, p, err := h.svc.OpenPhoto(ctx, id, in.SHA256)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	// Content-addressed: the bytes behind this URL never change.
	return &photoBytesOutput{ContentType: p.ContentType, CacheControl: "private, max-age=31536000, immutable", Body: raw}, nil
}
