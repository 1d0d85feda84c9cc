package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
)

// DecodeJSON decodes the request body into v, strictly: the content type
// must be JSON (415), the body valid UTF-8 and valid JSON of the right shape
// with no unknown keys and nothing after it (400). The decoded strings are
// copies, safe to keep after the handler returns.
func DecodeJSON(c *fiber.Ctx, v any) error {
	ct := strings.ToLower(strings.TrimSpace(strings.SplitN(c.Get(fiber.HeaderContentType), ";", 2)[0]))
	if ct != fiber.MIMEApplicationJSON {
		return survey.Errorf(survey.EUNSUPPORTED, "Cần Content-Type: application/json. / Content-Type must be application/json.")
	}
	return DecodeJSONBytes(c.Body(), v)
}

// DecodeJSONBytes is DecodeJSON on a body; it is what the fuzz tests drive.
func DecodeJSONBytes(body []byte, v any) error {
	if len(body) > BodyLimit {
		return survey.Errorf(survey.ETOOLARGE, "Dữ liệu gửi lên quá lớn (tối đa 64 KiB). / Request body larger than 64 KiB.")
	}
	if !utf8.Valid(body) {
		return survey.Errorf(survey.EMALFORMED, "Dữ liệu không phải UTF-8 hợp lệ. / Body is not valid UTF-8.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return survey.Errorf(survey.EMALFORMED, "Có dữ liệu thừa sau đối tượng JSON. / Unexpected data after the JSON object.")
	}
	return nil
}

func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return survey.Errorf(survey.EMALFORMED, "JSON sai cú pháp ở byte %d. / Malformed JSON at byte %d.", syn.Offset, syn.Offset)
	case errors.As(err, &typ):
		field := typ.Field
		return &survey.Error{Code: survey.EMALFORMED, Field: field,
			Message: fmt.Sprintf("Trường %q phải là %s. / Field %q must be %s.", field, typ.Type, field, typ.Type)}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return survey.Errorf(survey.EMALFORMED, "JSON rỗng hoặc bị cắt. / Empty or truncated JSON.")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &survey.Error{Code: survey.EMALFORMED, Field: f, Message: fmt.Sprintf("Trường %q không được hỗ trợ. / Unknown field %q.", f, f)}
	}
	return survey.Errorf(survey.EMALFORMED, "JSON không hợp lệ. / Invalid JSON.")
}
