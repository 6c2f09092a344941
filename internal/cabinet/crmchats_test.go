package cabinet_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/switchboardhq/switchboard/internal/crm/amocrm/amojo"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

// fakeChats is the mirror into amoCRM's chats as the cabinet sees it.
type fakeChats struct {
	mu       sync.Mutex
	enabled  map[string]bool
	pipeline map[string]int64 // connection id → pipeline
}

func (f *fakeChats) StatusOf(_ context.Context, workspaceID string) (amojo.Status, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return amojo.Status{Enabled: f.enabled[workspaceID], Connected: f.enabled[workspaceID]}, nil
}

func (f *fakeChats) SetEnabled(ctx context.Context, ws hub.Workspace, on bool) (amojo.Status, error) {
	f.mu.Lock()
	f.enabled[ws.ID] = on
	f.mu.Unlock()
	return f.StatusOf(ctx, ws.ID)
}

func (f *fakeChats) Pipelines(context.Context, hub.Workspace) ([]amojo.Pipeline, error) {
	return []amojo.Pipeline{{ID: 1, Name: "Воронка", IsMain: true}, {ID: 2, Name: "Партнёры"}}, nil
}

func (f *fakeChats) Sources(_ context.Context, _ string) ([]store.AmojoSource, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []store.AmojoSource
	for c, p := range f.pipeline {
		out = append(out, store.AmojoSource{ConnectionID: c, SourceID: 9, PipelineID: p})
	}
	return out, nil
}

func (f *fakeChats) SetPipeline(_ context.Context, _ hub.Workspace, connectionID string, pipelineID int64) error {
	if pipelineID != 1 && pipelineID != 2 {
		return amojo.ErrNoSuchPipeline
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pipeline[connectionID] = pipelineID
	return nil
}

func TestCabinetCRMChats(t *testing.T) {
	eachCabinet(t, func(t *testing.T, e *cabEnv) {
		ws := e.workspace(1)
		_, ck := e.admin(ws, 10)
		_, otherCk := e.admin(e.workspace(2), 10)
		conn, err := e.st.CreateConnection(ctx, hub.Connection{WorkspaceID: ws.ID, Kind: hub.KindWABA, Name: "Sales",
			ExternalID: "pn1", InSubscription: true})
		must(t, err)

		r := e.call(http.MethodGet, "/api/cabinet/v1/crm-chats", ck, nil)
		expect(t, "without a channel", r, http.StatusOK, "")
		if r.JSON(t)["configured"] != false {
			t.Fatalf("a hub without a chats channel says %s", r.Body)
		}
		unset := e.call(http.MethodPut, "/api/cabinet/v1/crm-chats", ck, map[string]any{"enabled": true})
		expect(t, "switch without a channel", unset, http.StatusServiceUnavailable, "crm_not_configured")
		if got := unset.JSON(t)["error"].(map[string]any); got["part"] != "SWITCHBOARD_AMOJO_CHANNEL_ID, SWITCHBOARD_AMOJO_SECRET" ||
			strings.Contains(got["message"].(string), "build") {
			t.Fatalf("missing settings told as %v", got)
		}

		e.cabinet.CRMChats = &fakeChats{enabled: map[string]bool{}, pipeline: map[string]int64{}}
		r = e.call(http.MethodGet, "/api/cabinet/v1/crm-chats", ck, nil)
		if got := r.JSON(t); got["configured"] != true || got["enabled"] != false {
			t.Fatalf("off by default: %s", r.Body)
		}
		expect(t, "switch without a value", e.call(http.MethodPut, "/api/cabinet/v1/crm-chats", ck, map[string]any{}),
			http.StatusBadRequest, "bad_request")
		r = e.call(http.MethodPut, "/api/cabinet/v1/crm-chats", ck, map[string]any{"enabled": true})
		expect(t, "switch on", r, http.StatusOK, "")
		got := r.JSON(t)
		conns := got["connections"].([]any)
		if got["enabled"] != true || got["connected"] != true || len(got["pipelines"].([]any)) != 2 || len(conns) != 1 ||
			conns[0].(map[string]any)["pipeline_id"] != 0.0 {
			t.Fatalf("after switching on: %s", r.Body)
		}
		path := "/api/cabinet/v1/crm-chats/connections/" + conn.ID
		expect(t, "a pipeline the account lacks", e.call(http.MethodPut, path, ck, map[string]any{"pipeline_id": 99}),
			http.StatusBadRequest, "invalid_field")
		expect(t, "another workspace's connection", e.call(http.MethodPut, path, otherCk, map[string]any{"pipeline_id": 2}),
			http.StatusNotFound, "not_found")
		r = e.call(http.MethodPut, path, ck, map[string]any{"pipeline_id": 2})
		expect(t, "pipeline", r, http.StatusOK, "")
		if p := r.JSON(t)["connections"].([]any)[0].(map[string]any)["pipeline_id"]; p != 2.0 {
			t.Fatalf("pipeline = %v", p)
		}
		if o := e.call(http.MethodGet, "/api/cabinet/v1/crm-chats", otherCk, nil).JSON(t); o["enabled"] != false {
			t.Fatalf("another workspace's switch moved: %v", o)
		}
		audit := e.call(http.MethodGet, "/api/cabinet/v1/audit", ck, nil).JSON(t)["items"].([]any)
		if len(audit) != 2 || audit[0].(map[string]any)["action"] != "crm_chats.pipeline" ||
			audit[1].(map[string]any)["action"] != "crm_chats.switch" {
			t.Fatalf("audit = %v", audit)
		}
	})
}
