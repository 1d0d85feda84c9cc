package cases

import (
	"errors"

	"hailong/survey"
	"hailong/web"
)

// form is the state of a form shown again after a validation error
// (STYLE practice 3): the messages by input id, in form order for the
// summary at the top.
type form struct {
	Problems []problem
}

// problem is one message, linked from the summary to its input.
type problem struct{ ID, Message string }

// E returns the message beside input id ("" = none).
func (f *form) E(id string) string {
	for _, p := range f.Problems {
		if p.ID == id {
			return p.Message
		}
	}
	return ""
}

// fail records a message beside input id (the first per input wins).
func (f *form) fail(id, msg string) {
	if f.E(id) == "" {
		f.Problems = append(f.Problems, problem{ID: id, Message: msg})
	}
}

// take records a user error of the store beside the input named in ids
// after its field (or the first input of ids) and returns its status; an
// error that is not the user's is returned instead.
func (f *form) take(err error, ids map[string]string, first string) (int, error) {
	var e *survey.Error
	if !errors.As(err, &e) || (e.Code != survey.EINVALID && e.Code != survey.ECONFLICT) {
		return 0, err
	}
	id, ok := ids[e.Field]
	if !ok {
		id = first
	}
	f.fail(id, e.Message)
	return web.Status(e.Code), nil
}
