package amocrm_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/switchboardhq/switchboard/internal/crm"
	"github.com/switchboardhq/switchboard/internal/crm/amocrm"
	"github.com/switchboardhq/switchboard/internal/hub"
	sandboxamo "github.com/switchboardhq/switchboard/internal/sandbox/amocrm"
	"github.com/switchboardhq/switchboard/internal/sandbox/amocrm/amocrmtest"
	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
	"github.com/switchboardhq/switchboard/internal/testwait"
)

var ctx = context.Background()

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// The install exchanges the code over HTTP, makes the workspace, and the sync caches users with
// rights, contacts and deals with their contacts.
func TestInstallAndSync(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		rig := amocrmtest.Start(t, st)
		installed := time.Date(2026, 2, 1, 9, 30, 0, 0, time.UTC)
		clock := clockwork.NewFakeClockAt(installed)
		rig.Config.TrialDays, rig.Config.Clock = 14, clock
		rig.Adapter = rig.NewAdapter()
		ws := rig.Install(t)
		if want := (hub.Subscription{Active: true, Paid: true, TemplatesPaid: true, EndsAt: installed.AddDate(0, 0, 14)}); ws.Subscription != want {
			t.Errorf("a fresh install's trial = %+v, want %+v", ws.Subscription, want)
		}
		if ws.CRMAccountID != sandboxamo.DemoAccountID || ws.Name != "Северный ветер" || ws.CRMBaseURL != rig.URL+"/sandbox/amocrm" {
			t.Fatalf("workspace %+v", ws)
		}
		u, err := st.CRMUser(ctx, ws.ID, sandboxamo.DemoOwnRU)
		must(t, err)
		if u.Name != "Дмитрий Волков" || u.GroupID != 101 || u.IsAdmin || !u.IsActive || u.Lang != "ru" {
			t.Errorf("cached user %+v", u)
		}
		if v := u.Viewer(); v.ContactsView != hub.RightOwn || v.LeadsView != hub.RightOwn {
			t.Errorf("rights %+v", v)
		}
		admin, err := st.CRMUser(ctx, ws.ID, sandboxamo.DemoAdmin)
		must(t, err)
		if !admin.IsAdmin {
			t.Error("admin not cached as admin")
		}
		contacts, err := st.LeadContacts(ctx, ws.ID, 30004)
		must(t, err)
		if !slices.Equal(contacts, []int64{20003, 20004}) {
			t.Errorf("deal with two contacts has %v", contacts)
		}
		c, err := st.CRMContact(ctx, ws.ID, 20006)
		must(t, err)
		if c.ResponsibleUserID != sandboxamo.DemoES {
			t.Errorf("contact %+v", c)
		}
		// Installing again reuses the workspace, which keeps the subscription it has.
		must(t, st.SetSubscription(ctx, ws.ID, hub.Subscription{Active: true}))
		clock.Advance(31 * 24 * time.Hour) // a month later: a new trial would end elsewhere
		again := rig.Install(t)
		if again.ID != ws.ID {
			t.Error("second install made a second workspace")
		}
		if again.Subscription != (hub.Subscription{Active: true}) {
			t.Errorf("reinstalling replaced the subscription: %+v", again.Subscription)
		}
	})
}

// An install naming a referer outside amoCRM, Kommo and the sandbox never sends the client
// secret anywhere.
func TestInstallRefusesForeignReferer(t *testing.T) {
	rig := amocrmtest.Start(t, storetest.OpenSQLite(t))
	code, _, err := rig.Sandbox.IssueCode("demo")
	must(t, err)
	for _, ref := range []string{"evil.example.com", "acme.amocrm.ru.evil.example", "127.0.0.1:1/sandbox/amocrm"} {
		if _, _, err := rig.Adapter.Install(ctx, code, ref); !errors.Is(err, amocrm.ErrBadReferer) {
			t.Errorf("referer %q: %v", ref, err)
		}
	}
	cfg := amocrm.Config{}
	for ref, want := range map[string]string{"acme.amocrm.ru": "https://acme.amocrm.ru", "shop.kommo.com": "https://shop.kommo.com"} {
		if got, err := cfg.BaseURL(ref); err != nil || got != want {
			t.Errorf("%s → %q, %v", ref, got, err)
		}
	}
}

// Two hub instances whose access token the CRM no longer accepts refresh at once while the CRM
// is slow to answer: exactly one refresh token is spent, the other instance waits for the new
// tokens instead of spending the same one again, and every call succeeds. An instance that
// claimed the refresh and died is replaced once its lease runs out, not before.
func TestRefreshLockAcrossInstances(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		rig := amocrmtest.Start(t, st)
		ws := rig.Install(t)
		const lease, poll = time.Minute, time.Second
		clock := clockwork.NewFakeClock()
		rig.Config.Clock = clock
		instances := []*amocrm.Adapter{
			rig.NewAdapter(amocrm.WithRefreshLease(lease, poll)), rig.NewAdapter(amocrm.WithRefreshLease(lease, poll)),
		}
		waiting := func(what string) {
			t.Helper()
			c, cancel := context.WithTimeout(ctx, testwait.Bound)
			defer cancel()
			if err := clock.BlockUntilContext(c, 1); err != nil {
				t.Fatalf("no instance waited for %s: %v", what, err)
			}
		}

		t.Run("slow CRM", func(t *testing.T) {
			before := rig.Sandbox.RefreshCount()
			v0, err := st.LoadCRMTokens(ctx, ws.ID)
			must(t, err)
			rig.Sandbox.ExpireAccessTokens()
			// The CRM answers a refresh only when the test lets it, so the other instance is
			// certain to try while the first one's refresh is in flight.
			arrived, release := make(chan struct{}, 8), make(chan struct{})
			rig.Sandbox.BeforeToken(func() { arrived <- struct{}{}; <-release })
			defer rig.Sandbox.BeforeToken(nil)
			errs := make(chan error, 4)
			for i := range 4 {
				go func() {
					_, err := instances[i%2].Account(ctx, ws)
					errs <- err
				}()
			}
			testwait.Recv(t, arrived, "the first refresh to reach the CRM")
			waiting("the first instance's refresh")
			select {
			case <-arrived:
				t.Fatal("a second refresh reached the CRM while the first was in flight")
			default:
			}
			close(release)
			testwait.Until(t, "the new tokens to be saved", func() bool {
				tok, err := st.LoadCRMTokens(ctx, ws.ID)
				return err == nil && tok.Version > v0.Version && tok.RefreshOwner == ""
			})
			clock.Advance(poll) // the waiting instance looks again
			for range 4 {
				must(t, testwait.Recv(t, errs, "every call to finish"))
			}
			if n := rig.Sandbox.RefreshCount() - before; n != 1 {
				t.Fatalf("%d refresh tokens spent, want 1", n)
			}
		})

		t.Run("claim abandoned", func(t *testing.T) {
			before := rig.Sandbox.RefreshCount()
			rig.Sandbox.ExpireAccessTokens()
			tok, err := st.LoadCRMTokens(ctx, ws.ID)
			must(t, err)
			now := clock.Now()
			won, err := st.ClaimCRMRefresh(ctx, ws.ID, "an instance that died", tok.Version, now, now.Add(lease))
			must(t, err)
			if !won {
				t.Fatal("an unclaimed token row could not be claimed")
			}
			errs := make(chan error, 1)
			go func() {
				_, err := instances[1].Account(ctx, ws)
				errs <- err
			}()
			waiting("the dead instance's lease")
			clock.Advance(lease - poll)
			waiting("the dead instance's lease, a poll before it ends")
			if n := rig.Sandbox.RefreshCount() - before; n != 0 {
				t.Fatalf("%d refresh tokens spent while another instance's lease ran", n)
			}
			clock.Advance(poll)
			must(t, testwait.Recv(t, errs, "the call after the lease ran out"))
			if n := rig.Sandbox.RefreshCount() - before; n != 1 {
				t.Fatalf("%d refresh tokens spent, want 1", n)
			}
		})
	})
}

// A refresh token the CRM has revoked makes the adapter say the account must be reconnected.
func TestRevokedRefreshToken(t *testing.T) {
	st := storetest.OpenSQLite(t)
	rig := amocrmtest.Start(t, st)
	ws := rig.Install(t)
	tok, err := st.LoadCRMTokens(ctx, ws.ID)
	must(t, err)
	rig.Sandbox.ExpireAccessTokens()
	_, err = rig.Adapter.Account(ctx, ws) // spends the refresh token
	must(t, err)
	_, err = st.SaveCRMTokens(ctx, ws.ID, tok, 0) // as if a stale copy were restored
	must(t, err)
	rig.Sandbox.ExpireAccessTokens()
	if _, err := rig.Adapter.Account(ctx, ws); !errors.Is(err, amocrm.ErrRevoked) {
		t.Fatalf("reused refresh token: %v", err)
	}
}

// The client stays under 7 requests per second per account, and two instances that together
// go over it wait out the 429s instead of failing.
func TestRateLimit(t *testing.T) {
	st := storetest.OpenSQLite(t)
	rig := amocrmtest.Start(t, st)
	ws := rig.Install(t)
	for range 10 {
		_, err := rig.Adapter.Account(ctx, ws)
		must(t, err)
	}
	if n := rig.Sandbox.Throttled(); n != 0 {
		t.Fatalf("one instance was throttled %d times", n)
	}
	other := rig.NewAdapter()
	var wg sync.WaitGroup
	for _, a := range []*amocrm.Adapter{rig.Adapter, other} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 8 {
				if _, err := a.Account(ctx, ws); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if rig.Sandbox.Throttled() == 0 {
		t.Log("two instances were never throttled (timing); 429 handling not exercised this run")
	}
}

// Contact search, creation with a responsible user, and adding a phone and a Telegram id.
func TestContactsWrite(t *testing.T) {
	st := storetest.OpenSQLite(t)
	rig := amocrmtest.Start(t, st)
	ws := rig.Install(t)
	found, err := rig.Adapter.SearchContacts(ctx, ws, "79161234567")
	must(t, err)
	if len(found) != 1 || found[0].ID != 20001 {
		t.Fatalf("search by phone digits found %+v", found)
	}
	c, err := rig.Adapter.CreateContact(ctx, ws, amocrm.Contact{Name: "Rosa Díaz", ResponsibleUserID: sandboxamo.DemoES,
		CustomFields: []amocrm.CustomField{{FieldCode: amocrm.FieldPhone, Values: []amocrm.FieldValue{{Value: "+34611222333", EnumCode: "MOB"}}}}})
	must(t, err)
	cached, err := st.CRMContact(ctx, ws.ID, c.ID)
	must(t, err)
	if cached.ResponsibleUserID != sandboxamo.DemoES {
		t.Errorf("created contact cached as %+v", cached)
	}
	must(t, rig.Adapter.AddContactDetails(ctx, ws, 20001, crm.ContactDetails{Phone: "+79998887766"}))
	// Already there, written differently; the Telegram id is new.
	must(t, rig.Adapter.AddContactDetails(ctx, ws, 20001, crm.ContactDetails{Phone: "+79161234567", TelegramUserID: 123456789}))
	got, err := rig.Adapter.Contact(ctx, ws, 20001)
	must(t, err)
	if p := got.Values(amocrm.FieldPhone); !slices.Equal(p, []string{"+7 (916) 123-45-67", "+79998887766"}) {
		t.Errorf("phones %v", p)
	}
	if im := got.Values(amocrm.FieldIM); !slices.Equal(im, []string{"123456789"}) {
		t.Errorf("IM %v", im)
	}
	if e := got.Values(amocrm.FieldEmail); len(e) != 1 {
		t.Errorf("e-mail lost on PATCH: %v", e)
	}
	if _, err := rig.Adapter.Contact(ctx, ws, 999999); !amocrm.IsStatus(err, http.StatusNotFound) {
		t.Errorf("missing contact: %v", err)
	}
}

// A new customer is linked to the CRM contact with the same phone however it is written there,
// or by Telegram id; one the CRM does not know gets a new contact with the given responsible.
func TestLinkContact(t *testing.T) {
	st := storetest.OpenSQLite(t)
	rig := amocrmtest.Start(t, st)
	ws := rig.Install(t)
	ids, err := rig.Adapter.LinkContact(ctx, ws, hub.Contact{Name: "Maria", Phones: []string{"+79035551234"}}, sandboxamo.DemoOwnRU)
	must(t, err)
	if !slices.Equal(ids, []int64{20002}) { // "8 903 555-12-34" in the CRM
		t.Fatalf("linked to %v", ids)
	}
	must(t, rig.Adapter.AddContactDetails(ctx, ws, 20003, crm.ContactDetails{TelegramUserID: 5551234}))
	ids, err = rig.Adapter.LinkContact(ctx, ws, hub.Contact{Name: "Сергей", TelegramUserID: 5551234}, sandboxamo.DemoOwnRU)
	must(t, err)
	if !slices.Equal(ids, []int64{20003}) {
		t.Fatalf("linked by Telegram id to %v", ids)
	}
	ids, err = rig.Adapter.LinkContact(ctx, ws, hub.Contact{Name: "Nuevo Cliente", Phones: []string{"+34600000001"}}, sandboxamo.DemoES)
	must(t, err)
	if len(ids) != 1 || ids[0] == 20002 {
		t.Fatalf("new customer linked to %v", ids)
	}
	c, err := st.CRMContact(ctx, ws.ID, ids[0])
	must(t, err)
	if c.ResponsibleUserID != sandboxamo.DemoES || c.Name != "Nuevo Cliente" {
		t.Errorf("created %+v", c)
	}
	// With no default responsible user the CRM assigns the contact itself (to the token's user,
	// the installing admin): the cache holds that, not "unassigned".
	ids, err = rig.Adapter.LinkContact(ctx, ws, hub.Contact{Name: "Sin Responsable", Phones: []string{"+34600000002"}}, 0)
	must(t, err)
	c, err = st.CRMContact(ctx, ws.ID, ids[0])
	must(t, err)
	if c.ResponsibleUserID != sandboxamo.DemoAdmin {
		t.Errorf("a contact the CRM assigned is cached as responsible %d, want %d", c.ResponsibleUserID, sandboxamo.DemoAdmin)
	}
}

// A language or admin change in the CRM reaches the employee with the next users refresh (F34).
func TestUsersRefreshUpdatesEmployees(t *testing.T) {
	st := storetest.OpenSQLite(t)
	rig := amocrmtest.Start(t, st)
	ws := rig.Install(t)
	id, err := rig.Adapter.Authenticate(ctx, rig.Token(t, sandboxamo.DemoPT))
	must(t, err)
	if id.Employee.Lang != "en" || id.Employee.Role != hub.RoleManager || !id.Created {
		t.Fatalf("first open: %+v", id)
	}
	must(t, rig.Sandbox.SetUserProfile("demo", sandboxamo.DemoPT, "es", true))
	must(t, rig.Adapter.SyncUsers(ctx, ws))
	e, err := st.Employee(ctx, ws.ID, id.Employee.ID)
	must(t, err)
	if e.Lang != "es" || e.Role != hub.RoleAdmin {
		t.Fatalf("after the refresh: %+v", e)
	}
}

// A deal's refresh (a card opening waits for it, F33) reads the deal, then all its contacts in
// one request, and caches them.
func TestRefreshLeadReadsItsContactsInOneRequest(t *testing.T) {
	st := storetest.OpenSQLite(t)
	rig := amocrmtest.Start(t, st)
	ws := rig.Install(t)
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	cfg := rig.Config
	cfg.Clock = clockwork.NewFakeClockAt(at)
	var calls []string
	var mu sync.Mutex
	a := amocrm.New(cfg, st, &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		calls = append(calls, r.Method+" "+strings.TrimPrefix(r.URL.Path, sandboxamo.Prefix))
		mu.Unlock()
		return http.DefaultTransport.RoundTrip(r)
	})})
	must(t, a.RefreshLead(ctx, ws, 30004))
	if want := []string{"GET /api/v4/leads/30004", "GET /api/v4/contacts"}; !slices.Equal(calls, want) {
		t.Errorf("a deal with two contacts refreshed with %q, want %q", calls, want)
	}
	for _, id := range []int64{20003, 20004} {
		c, err := st.CRMContact(ctx, ws.ID, id)
		must(t, err)
		if !c.FetchedAt.Equal(at) {
			t.Errorf("the deal's contact %d was not refreshed: fetched at %v", id, c.FetchedAt)
		}
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
