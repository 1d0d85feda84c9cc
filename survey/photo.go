package survey

import (
	"bytes"
	"image/jpeg"
	"image/png"
)

// maxPhotoSide bounds a photo's width and height in pixels, so that a small
// file cannot make the kiosk decode a huge image.
const maxPhotoSide = 4096

var badPhoto = &Error{Code: EINVALID, Field: "photo", Message: "Tệp không phải ảnh JPEG, PNG hoặc WebP. / The file is not a JPEG, PNG or WebP image."}

// CheckPhoto returns the content type of a staff photo (JPEG, PNG or WebP),
// sniffed from its magic number, never from a file name; for PNG and JPEG
// it reads the header to check it is an image of a sane size. Errors:
// EINVALID (field "photo").
func CheckPhoto(img []byte) (string, error) {
	if len(img) == 0 {
		return "", &Error{Code: EINVALID, Field: "photo", Message: "Chưa chọn ảnh hoặc tệp rỗng. / No photo chosen, or the file is empty."}
	}
	var (
		ctype string
		w, h  int
	)
	switch {
	case bytes.HasPrefix(img, []byte("\x89PNG\r\n\x1a\n")):
		cfg, err := png.DecodeConfig(bytes.NewReader(img))
		if err != nil {
			return "", badPhoto
		}
		ctype, w, h = "image/png", cfg.Width, cfg.Height
	case bytes.HasPrefix(img, []byte{0xFF, 0xD8, 0xFF}):
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(img))
		if err != nil {
			return "", badPhoto
		}
		ctype, w, h = "image/jpeg", cfg.Width, cfg.Height
	case len(img) >= 16 && string(img[:4]) == "RIFF" && string(img[8:12]) == "WEBP" &&
		(string(img[12:16]) == "VP8 " || string(img[12:16]) == "VP8L" || string(img[12:16]) == "VP8X"):
		return "image/webp", nil // no WebP decoder in the standard library
	default:
		return "", badPhoto
	}
	if w < 1 || h < 1 || w > maxPhotoSide || h > maxPhotoSide {
		return "", &Error{Code: EINVALID, Field: "photo", Message: "Ảnh phải nhỏ hơn 4096×4096 điểm ảnh. / The photo must be at most 4096×4096 pixels."}
	}
	return ctype, nil
}
