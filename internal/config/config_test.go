package config

import (
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/ratelimit"
)

func TestLoad(t *testing.T) {
	envOf := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string
		check   func(t *testing.T, c Config)
	}{
		{name: "sandbox defaults", args: []string{"--sandbox"}, check: func(t *testing.T, c Config) {
			if c.Addr != "127.0.0.1:8080" || c.DataDir != "./data" || c.PublicURL != "http://127.0.0.1:8080" || c.OperatorToken != "sandbox" {
				t.Fatalf("defaults: %+v", c)
			}
		}},
		{name: "env used, flag wins", args: []string{"--addr", "127.0.0.1:9000"},
			env: map[string]string{"SWITCHBOARD_ADDR": "127.0.0.1:1", "SWITCHBOARD_SECRET_KEY": "k", "SWITCHBOARD_DATA": "/tmp/x"},
			check: func(t *testing.T, c Config) {
				if c.Addr != "127.0.0.1:9000" || c.DataDir != "/tmp/x" {
					t.Fatalf("got %+v", c)
				}
			}},
		{name: "bad addr", args: []string{"--sandbox", "--addr", "nonsense"}, wantErr: "--addr"},
		{name: "bad database", args: []string{"--sandbox", "--database-url", "mysql://x"}, wantErr: "--database-url"},
		{name: "unknown flag", args: []string{"--frobnicate"}, wantErr: "bad option"},
		{name: "secret key required", args: nil, wantErr: "SWITCHBOARD_SECRET_KEY"},
		{name: "bad public url", args: []string{"--sandbox", "--public-url", "ftp://x"}, wantErr: "--public-url"},
		{name: "bad media url", args: []string{"--sandbox", "--media-url", "/mnt/media"}, wantErr: "--media-url"},
		{name: "bad lease", args: []string{"--sandbox"}, env: map[string]string{"SWITCHBOARD_LEASE": "10ms"}, wantErr: "SWITCHBOARD_LEASE"},
		{name: "leases and media", args: []string{"--sandbox", "--media-url", "s3://files?endpoint=http://minio:9000"},
			env: map[string]string{"SWITCHBOARD_LEASE": "2s", "SWITCHBOARD_RETRY_WINDOW": "1h"},
			check: func(t *testing.T, c Config) {
				if c.Lease != 2*time.Second || c.RetryWindow != time.Hour || c.MediaURL != "s3://files?endpoint=http://minio:9000" {
					t.Fatalf("got %+v", c)
				}
			}},
		{name: "limits: defaults, env, flag wins, off", args: []string{"--sandbox", "--limit-session", "5/s,10", "--limit-uploads", "0"},
			env: map[string]string{"SWITCHBOARD_LIMIT_WEBHOOKS": "off", "SWITCHBOARD_LIMIT_SESSION": "1/s,1", "SWITCHBOARD_LIMIT_SOCKETS": "7"},
			check: func(t *testing.T, c Config) {
				l := c.Limits
				if l.AuthFailures != (ratelimit.Limit{Rate: 10, Burst: 20}) || l.Session != (ratelimit.Limit{Rate: 5, Burst: 10}) ||
					!l.Webhooks.Off() || l.Workspace != (ratelimit.Limit{Rate: 200, Burst: 1000}) || l.Sockets != 7 || l.Uploads != 0 {
					t.Fatalf("limits %+v", l)
				}
			}},
		{name: "bad limit", args: []string{"--sandbox", "--limit-auth-failures", "10"}, wantErr: "--limit-auth-failures"},
		{name: "bad cap", args: []string{"--sandbox"}, env: map[string]string{"SWITCHBOARD_LIMIT_SOCKETS": "-1"}, wantErr: "SWITCHBOARD_LIMIT_SOCKETS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(tt.args, envOf(tt.env))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one naming %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, c)
		})
	}
}
