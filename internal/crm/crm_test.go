package crm_test

import (
	"errors"
	"testing"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/crm"
	"github.com/switchboardhq/switchboard/internal/crm/amocrm"
)

// The amoCRM adapter's errors reach the API as the port's, without the API knowing amoCRM.
func TestAdapterErrorsMapThroughThePort(t *testing.T) {
	other := errors.New("disk full")
	for err, want := range map[error]error{
		amocrm.ErrBadToken:            apierr.Unauthorized,
		amocrm.ErrBadSignature:        apierr.Unauthorized,
		amocrm.ErrNotInstalled:        apierr.CRMNotConnected,
		amocrm.ErrRevoked:             apierr.CRMNotConnected,
		amocrm.ErrUserInactive:        apierr.Forbidden,
		amocrm.ErrUnreachable:         apierr.CRMUnavailable,
		&amocrm.APIError{Status: 500}: apierr.CRMUnavailable,
		other:                         other,
	} {
		got := crm.APIError(err)
		if e := apierr.Of(got); got != other && e.Code != apierr.Of(want).Code {
			t.Errorf("%v → %v, want %v", err, got, want)
		}
		if err == other && got != other {
			t.Errorf("an unknown error was mapped: %v", got)
		}
	}
}
