package media

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3 stores files as objects of an S3-compatible bucket (AWS S3, MinIO, Ceph…), which every
// instance reaches, under <2 hex digits>/<key>.
type S3 struct {
	client *minio.Client
	bucket string
}

// openS3 connects to s3://bucket?endpoint=…&region=… and checks that the bucket is there.
// endpoint is host:port (HTTPS) or a URL with its scheme (http:// for a local MinIO); without
// it, AWS.
func openS3(u *url.URL) (*S3, error) {
	q := u.Query()
	endpoint, secure := q.Get("endpoint"), true
	if endpoint == "" {
		endpoint = "s3.amazonaws.com"
	} else if strings.Contains(endpoint, "://") {
		eu, err := url.Parse(endpoint)
		if err != nil || eu.Host == "" || eu.Scheme != "http" && eu.Scheme != "https" {
			return nil, fmt.Errorf("media: s3 endpoint %q: want host:port or an http(s) URL", endpoint)
		}
		endpoint, secure = eu.Host, eu.Scheme == "https"
	}
	if u.Host == "" {
		return nil, errors.New("media: s3 URL without a bucket: want s3://bucket?endpoint=…&region=…")
	}
	creds := credentials.NewChainCredentials([]credentials.Provider{&credentials.EnvAWS{}, &credentials.EnvMinio{},
		&credentials.FileAWSCredentials{}, &credentials.IAM{}})
	client, err := minio.New(endpoint, &minio.Options{Creds: creds, Secure: secure, Region: q.Get("region")})
	if err != nil {
		return nil, fmt.Errorf("media: s3: %w", err)
	}
	s := &S3{client: client, bucket: u.Host}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ok, err := client.BucketExists(ctx, s.bucket)
	if err != nil {
		return nil, fmt.Errorf("media: s3 bucket %q at %s: %w", s.bucket, endpoint, err)
	}
	if !ok {
		return nil, fmt.Errorf("media: s3 bucket %q at %s does not exist", s.bucket, endpoint)
	}
	return s, nil
}

// partSize is how much of a streamed upload is buffered per multipart part.
const partSize = 16 << 20

// PutStream implements Store.
func (s *S3) PutStream(ctx context.Context, r io.Reader, declaredMIME string) (key, contentType string, size int64, err error) {
	body, contentType, err := sniffed(r, declaredMIME)
	if err != nil {
		return "", "", 0, err
	}
	if key, err = newKey(); err != nil {
		return "", "", 0, err
	}
	info, err := s.client.PutObject(ctx, s.bucket, object(key), body, -1,
		// Unsigned payload, as over HTTPS: aws-chunked signing (minio-go's default over plain
		// HTTP) is not understood by every S3-compatible server.
		minio.PutObjectOptions{ContentType: contentType, PartSize: partSize, DisableContentSha256: true})
	if err != nil {
		if errors.Is(err, ErrTooLarge) || strings.Contains(err.Error(), ErrTooLarge.Error()) {
			return "", "", 0, ErrTooLarge
		}
		return "", "", 0, fmt.Errorf("media: s3 put: %w", err)
	}
	return key, contentType, info.Size, nil
}

// Put implements Store.
func (s *S3) Put(ctx context.Context, data []byte, declaredMIME string) (key, contentType string, err error) {
	if len(data) > MaxSize {
		return "", "", ErrTooLarge
	}
	key, contentType, _, err = s.PutStream(ctx, bytes.NewReader(data), declaredMIME)
	return key, contentType, err
}

// Open implements Store: the object is read as the caller reads (ranges through Seek).
func (s *S3) Open(ctx context.Context, key string) (Object, error) {
	if !validKey(key) {
		return nil, fmt.Errorf("media: bad key %q: %w", key, fs.ErrInvalid)
	}
	obj, err := s.client.GetObject(ctx, s.bucket, object(key), minio.GetObjectOptions{})
	if err != nil {
		return nil, fmt.Errorf("media: s3 get: %w", err)
	}
	st, err := obj.Stat()
	if err != nil {
		obj.Close()
		if minio.ToErrorResponse(err).Code == "NoSuchKey" {
			return nil, fmt.Errorf("media: %s: %w", key, fs.ErrNotExist)
		}
		return nil, fmt.Errorf("media: s3 get: %w", err)
	}
	return s3Object{Object: obj, mod: st.LastModified}, nil
}

// Read implements Store.
func (s *S3) Read(ctx context.Context, key string) ([]byte, error) { return readAll(ctx, s, key) }

// Delete implements Store.
func (s *S3) Delete(ctx context.Context, key string) error {
	if !validKey(key) {
		return fmt.Errorf("media: bad key %q: %w", key, fs.ErrInvalid)
	}
	return s.client.RemoveObject(ctx, s.bucket, object(key), minio.RemoveObjectOptions{})
}

func object(key string) string { return key[:2] + "/" + key }

type s3Object struct {
	*minio.Object
	mod time.Time
}

func (o s3Object) ModTime() time.Time { return o.mod }
