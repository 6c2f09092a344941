package config

import (
	"flag"
	"fmt"
	"strconv"

	"github.com/switchboardhq/switchboard/internal/ratelimit"
)

// Limits are the hub's abuse limits (docs/configuration.md, "Limits"). A refused request is
// answered 429 with Retry-After.
type Limits struct {
	// AuthFailures: failed session and token attempts per client address (loopback included).
	AuthFailures ratelimit.Limit
	// Session and Workspace: chat window and cabinet API calls per employee and per workspace.
	Session   ratelimit.Limit
	Workspace ratelimit.Limit
	// Webhooks: provider webhooks per connection (never per address: providers send from few).
	Webhooks ratelimit.Limit
	// Sockets: open event sockets per employee; Uploads: uploads in progress per employee.
	Sockets int
	Uploads int
}

// limitOptions are the flags and variables of Limits, with their defaults.
var limitOptions = []struct {
	flag, env, def string
	bucket         func(*Limits) *ratelimit.Limit
	count          func(*Limits) *int
}{
	{"limit-auth-failures", "SWITCHBOARD_LIMIT_AUTH_FAILURES", "10/s,20", func(l *Limits) *ratelimit.Limit { return &l.AuthFailures }, nil},
	{"limit-session", "SWITCHBOARD_LIMIT_SESSION", "20/s,100", func(l *Limits) *ratelimit.Limit { return &l.Session }, nil},
	{"limit-workspace", "SWITCHBOARD_LIMIT_WORKSPACE", "200/s,1000", func(l *Limits) *ratelimit.Limit { return &l.Workspace }, nil},
	{"limit-webhooks", "SWITCHBOARD_LIMIT_WEBHOOKS", "200/s,2000", func(l *Limits) *ratelimit.Limit { return &l.Webhooks }, nil},
	{"limit-sockets", "SWITCHBOARD_LIMIT_SOCKETS", "20", nil, func(l *Limits) *int { return &l.Sockets }},
	{"limit-uploads", "SWITCHBOARD_LIMIT_UPLOADS", "3", nil, func(l *Limits) *int { return &l.Uploads }},
}

// limitFlags declares the limits' flags on fs, defaulting to the environment, then the
// defaults; finish reads them into c.Limits.
func limitFlags(fs *flag.FlagSet, env func(name, def string) string) (finish func(c *Config) error) {
	vals := make([]*string, len(limitOptions))
	for i, o := range limitOptions {
		vals[i] = fs.String(o.flag, env(o.env, o.def), o.env)
	}
	return func(c *Config) error {
		for i, o := range limitOptions {
			v := *vals[i]
			if o.bucket != nil {
				l, err := ratelimit.Parse(v)
				if err != nil {
					return fmt.Errorf("--%s (%s): %v", o.flag, o.env, err)
				}
				*o.bucket(&c.Limits) = l
				continue
			}
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return fmt.Errorf("--%s (%s) %q: want a whole number (0: no cap)", o.flag, o.env, v)
			}
			*o.count(&c.Limits) = n
		}
		return nil
	}
}
