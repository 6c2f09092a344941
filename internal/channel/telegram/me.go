package telegram

import "context"

// Me is the bot a token belongs to.
type Me struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
	Name     string `json:"first_name"`
}

// GetMe asks the Bot API whose token this is; a wrong token is a CodeAuthFailed error.
func (a *Adapter) GetMe(ctx context.Context) (Me, error) {
	var m Me
	err := a.call(ctx, "getMe", map[string]any{}, &m)
	return m, err
}
