// Package config reads the serve command's options from flags and SWITCHBOARD_* environment
// variables (flags win), validates them, and documents them in one table (docs/configuration.md).
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is everything `switchboard serve` needs.
type Config struct {
	Addr          string
	DataDir       string
	DatabaseURL   string
	PublicURL     string
	Sandbox       bool
	SecretKey     string
	NATSURL       string
	OperatorToken string
	LogFormat     string // "text" or "json"
	// AmoCRMClientID and AmoCRMClientSecret identify the hub's amoCRM integration; in sandbox
	// mode, when unset, they are derived from the secret key (the sandbox CRM knows them).
	AmoCRMClientID     string
	AmoCRMClientSecret string
	// AmoCRMAuthorizeURL is the CRM's OAuth consent page the cabinet's "Connect" opens.
	AmoCRMAuthorizeURL string
	// TrialDays is how long the trial subscription of a freshly installed workspace lasts
	// (0: no trial; the workspace is inactive until the operator API sets it).
	TrialDays int
	// AmojoChannelID and AmojoSecret are the amoCRM chats channel amoCRM's support granted
	// (the mirror into amoCRM's own chats); in sandbox mode, when unset, they are derived from
	// the secret key (the sandbox's amojo stand-in knows them). AmojoURL is the Chats API's
	// address (amojo.amocrm.ru; amojo.kommo.com for Kommo).
	AmojoChannelID string
	AmojoSecret    string
	AmojoURL       string
	// MediaURL names where message files live: "" the data folder's media/, file:///path a
	// folder several instances share, s3://bucket?endpoint=…&region=… an S3-compatible bucket.
	MediaURL string
	// Lease is how long an instance's claim on an outbox message or a stored webhook lasts
	// without renewal: after it, another instance takes the webhook, or fails the send as
	// "outcome unknown".
	Lease time.Duration
	// RetryWindow is how long a webhook (and a file download) failing for a passing reason is
	// retried, counted from its arrival.
	RetryWindow time.Duration
	Limits      Limits
}

// AmoCRMRedirectURI is the integration's redirect URI, registered in the CRM.
func (c Config) AmoCRMRedirectURI() string { return c.PublicURL + "/amocrm/oauth" }

// Help is Load's answer to -h or --help: the options, to print as the command's usage.
type Help struct{ Usage string }

func (h *Help) Error() string { return "help requested" }

// Load parses args (without the subcommand) with getenv as the environment.
func Load(args []string, getenv func(string) string) (Config, error) {
	var c Config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	env := func(name, def string) string {
		if v := envOrFile(getenv, name); v != "" {
			return v
		}
		return def
	}
	fs.StringVar(&c.Addr, "addr", env("SWITCHBOARD_ADDR", "127.0.0.1:8080"), "listen address")
	fs.StringVar(&c.DataDir, "data", env("SWITCHBOARD_DATA", "./data"), "data folder (SQLite file, media)")
	fs.StringVar(&c.DatabaseURL, "database-url", env("SWITCHBOARD_DATABASE_URL", ""), "postgres://… (empty: SQLite)")
	fs.StringVar(&c.PublicURL, "public-url", env("SWITCHBOARD_PUBLIC_URL", ""), "address the outside world uses")
	fs.BoolVar(&c.Sandbox, "sandbox", env("SWITCHBOARD_SANDBOX", "") == "true", "demo mode with sandbox CRM and channels")
	fs.StringVar(&c.MediaURL, "media-url", env("SWITCHBOARD_MEDIA_URL", ""), "file:///shared/path or s3://bucket?endpoint=…&region=… (empty: data folder)")
	fs.StringVar(&c.NATSURL, "nats-url", env("SWITCHBOARD_NATS_URL", ""), "NATS for events across instances")
	fs.StringVar(&c.LogFormat, "log-format", env("SWITCHBOARD_LOG_FORMAT", "text"), "text or json")
	limits := limitFlags(fs, env)
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		var b strings.Builder
		fs.SetOutput(&b)
		fs.PrintDefaults()
		return c, &Help{Usage: "Usage: switchboard serve|migrate [options]\n\nOptions (each also read from its SWITCHBOARD_ variable, see docs/configuration.md):\n" + b.String()}
	} else if err != nil {
		return c, fmt.Errorf("bad option: %v", err)
	}
	if err := limits(&c); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	c.SecretKey = envOrFile(getenv, "SWITCHBOARD_SECRET_KEY")
	c.OperatorToken = envOrFile(getenv, "SWITCHBOARD_OPERATOR_TOKEN")
	c.AmoCRMClientID = envOrFile(getenv, "SWITCHBOARD_AMOCRM_CLIENT_ID")
	c.AmoCRMClientSecret = envOrFile(getenv, "SWITCHBOARD_AMOCRM_CLIENT_SECRET")
	c.AmoCRMAuthorizeURL = env("SWITCHBOARD_AMOCRM_AUTHORIZE_URL", "https://www.amocrm.ru/oauth")
	days, err := strconv.Atoi(env("SWITCHBOARD_TRIAL_DAYS", "14"))
	if err != nil || days < 0 || days > 3650 {
		return c, fmt.Errorf("SWITCHBOARD_TRIAL_DAYS %q: want a whole number of days from 0 to 3650", getenv("SWITCHBOARD_TRIAL_DAYS"))
	}
	c.TrialDays = days
	c.AmojoChannelID = envOrFile(getenv, "SWITCHBOARD_AMOJO_CHANNEL_ID")
	c.AmojoSecret = envOrFile(getenv, "SWITCHBOARD_AMOJO_SECRET")
	c.AmojoURL = env("SWITCHBOARD_AMOJO_URL", "")
	if c.Lease, err = duration(env("SWITCHBOARD_LEASE", "30s"), time.Second); err != nil {
		return c, fmt.Errorf("SWITCHBOARD_LEASE: %v", err)
	}
	if c.RetryWindow, err = duration(env("SWITCHBOARD_RETRY_WINDOW", "24h"), time.Minute); err != nil {
		return c, fmt.Errorf("SWITCHBOARD_RETRY_WINDOW: %v", err)
	}
	return c, c.finish()
}

func (c *Config) finish() error {
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil || port == "" {
		return fmt.Errorf("--addr %q: want host:port, e.g. 127.0.0.1:8080", c.Addr)
	}
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		return errors.New("--database-url: want postgres://user@host:port/db, or leave it empty for SQLite")
	}
	if c.PublicURL == "" {
		if host == "" || host == "0.0.0.0" || host == "::" {
			host = "localhost"
		}
		c.PublicURL = "http://" + net.JoinHostPort(host, port)
	}
	u, err := url.Parse(c.PublicURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("--public-url %q: want an http(s) URL", c.PublicURL)
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	if (c.AmojoChannelID == "") != (c.AmojoSecret == "") {
		return errors.New("SWITCHBOARD_AMOJO_CHANNEL_ID and SWITCHBOARD_AMOJO_SECRET go together: set both (the channel amoCRM granted) or neither")
	}
	if c.AmojoURL != "" {
		if u, err := url.Parse(c.AmojoURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("SWITCHBOARD_AMOJO_URL %q: want an http(s) URL, e.g. https://amojo.amocrm.ru", c.AmojoURL)
		}
	}
	if c.MediaURL != "" && !strings.HasPrefix(c.MediaURL, "file:///") && !strings.HasPrefix(c.MediaURL, "s3://") {
		return errors.New("--media-url: want file:///path (a folder every instance mounts) or s3://bucket?endpoint=…&region=…, or leave it empty for the data folder")
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("--log-format %q: want text or json", c.LogFormat)
	}
	if c.Sandbox && c.OperatorToken == "" {
		c.OperatorToken = "sandbox"
	}
	if !c.Sandbox && c.SecretKey == "" {
		return errors.New("SWITCHBOARD_SECRET_KEY is required outside sandbox mode (64 hex digits; generate with: openssl rand -hex 32)")
	}
	return nil
}

// LoopbackOnly reports whether the listen address is reachable only from this machine.
func (c Config) LoopbackOnly() bool {
	host, _, _ := net.SplitHostPort(c.Addr)
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// duration parses a Go duration ("30s", "2h") of at least least.
func duration(v string, least time.Duration) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("%q: want a duration such as 30s or 24h", v)
	}
	if d < least {
		return 0, fmt.Errorf("%q: want at least %s", v, least)
	}
	return d, nil
}

// envOrFile reads NAME, or the contents of the file named by NAME_FILE (for secrets).
func envOrFile(getenv func(string) string, name string) string {
	if v := getenv(name); v != "" {
		return v
	}
	if p := getenv(name + "_FILE"); p != "" {
		if b, err := os.ReadFile(p); err == nil {
			return strings.TrimSpace(string(b))
		}
	}
	return ""
}
