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
