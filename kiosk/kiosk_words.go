package kiosk

import "hailong/survey"

// words are the kiosk's own texts, Vietnamese first. The page is rendered in
// Vietnamese; the English switch swaps texts from the page's data block.
var words = map[string]survey.Text{
	"lang":         {Vi: "Ngôn ngữ", En: "Language"},
	"served":       {Vi: "Người phục vụ Ông/Bà", En: "You were served by"},
	"criteria":     {Vi: "Ông/Bà đánh giá thêm từng mặt (không bắt buộc)", En: "Would you rate a few more things? (optional)"},
	"reasons":      {Vi: "Điều gì khiến Ông/Bà chưa hài lòng?", En: "What was not satisfactory?"},
	"reasons.hint": {Vi: "Chọn một hoặc nhiều lý do", En: "Choose one or more reasons"},
	"comment":      {Vi: "Ý kiến khác (không bắt buộc)", En: "Anything else? (optional)"},
	"next":         {Vi: "Tiếp tục", En: "Continue"},
	"skip":         {Vi: "Bỏ qua", En: "Skip"},
	"submit":       {Vi: "Gửi đánh giá", En: "Send"},
	"thanks":       {Vi: "Xin cảm ơn Ông/Bà đã đánh giá!", En: "Thank you for your feedback!"},
	"thanks.sub":   {Vi: "Ý kiến của Ông/Bà giúp chúng tôi phục vụ tốt hơn.", En: "Your opinion helps us serve you better."},
	"code":         {Vi: "Mã xác nhận:", En: "Confirmation code:"},
	"code.sub":     {Vi: "Tra cứu phiếu đã được tính chưa tại", En: "Check that it was counted at"},
	// The contact screen after a dissatisfied answer (docs/KIOSK.md).
	"contact":              {Vi: "Ông/Bà có muốn cơ quan liên hệ trả lời không?", En: "Would you like the office to contact you with a reply?"},
	"contact.hint":         {Vi: "Nhập số điện thoại di động, cơ quan sẽ gọi hoặc nhắn tin trả lời. Không bắt buộc.", En: "Enter a mobile number and the office will call or text you back. Optional."},
	"contact.phone":        {Vi: "Số điện thoại di động", En: "Mobile number"},
	"contact.bad":          {Vi: "Số chưa đúng: cần 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09.", En: "Not a mobile number: 10 digits starting 03, 05, 07, 08 or 09."},
	"contact.petition":     {Vi: "Kiến nghị chính thức", En: "Formal petition"},
	"contact.petition.sub": {Vi: "Được vào sổ, có mã số và thời hạn trả lời", En: "Registered, with a number and a deadline"},
	"contact.consent":      {Vi: "Khi bấm “Đồng ý và gửi”, Ông/Bà đồng ý để cơ quan dùng số điện thoại này chỉ để trả lời; số được lưu riêng, không công khai và được xoá sau khi xử lý xong.", En: "By pressing “Agree and send” you agree that the office uses this number only to reply to you; it is kept apart, never published, and deleted after the case is closed."},
	"contact.send":         {Vi: "Đồng ý và gửi", En: "Agree and send"},
	"contact.thanks":       {Vi: "Cơ quan đã nhận yêu cầu và sẽ trả lời Ông/Bà.", En: "The office has your request and will reply to you."},
	"case":                 {Vi: "Mã số yêu cầu:", En: "Request number:"},
	"key.del":              {Vi: "Xoá một số", En: "Delete a digit"},
	"key.clear":            {Vi: "Xoá hết", En: "Clear"},
}

// faceOf is the face drawn for each score of a scale: a 3-level scale uses
// the dissatisfied, satisfied and very satisfied faces of the 5-level one.
var faceOf = map[int][]int{5: {1, 2, 3, 4, 5}, 3: {2, 4, 5}}

// dictionary returns every text of the page in one language, keyed as the
// page's data-t attributes: the kiosk's words, then the survey's labels
// ("q.<key>", "qd.<key>" for the long label, "r.<key>" for reasons).
func dictionary(sv *survey.Survey, lang string) map[string]string {
	d := make(map[string]string, len(words)+3*len(sv.Criteria))
	for k, t := range words {
		d[k] = t.In(lang)
	}
	for _, scale := range []int{3, 5} { // "w5.1" … the scale words (survey.ScaleLabels)
		for i, t := range survey.ScaleLabels(scale) {
			d["w"+survey.Itoa(scale)+"."+survey.Itoa(i+1)] = t.In(lang)
		}
	}
	for _, c := range sv.Criteria {
		d["q."+c.Key] = c.Short.In(lang)
		d["qd."+c.Key] = c.Label.In(lang)
	}
	for _, r := range sv.Reasons {
		d["r."+r.Key] = r.Label.In(lang)
	}
	return d
}
