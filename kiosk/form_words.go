package kiosk

import (
	"fmt"
	"time"

	"hailong/survey"
)

// formWords are the mobile form's own texts, Vietnamese first (DESIGN.md
// "Words"). The survey's labels come from the survey itself.
var formWords = map[string]survey.Text{
	"lang":           {Vi: "Ngôn ngữ", En: "Language"},
	"receipt.title":  {Vi: "Đánh giá việc giải quyết hồ sơ", En: "Rate how your dossier was handled"},
	"poster.title":   {Vi: "Đánh giá sự phục vụ", En: "Rate our service"},
	"about":          {Vi: "Hồ sơ được đánh giá", En: "The dossier you are rating"},
	"agency":         {Vi: "Cơ quan", En: "Agency"},
	"procedure":      {Vi: "Thủ tục", En: "Procedure"},
	"code":           {Vi: "Mã hồ sơ", En: "Dossier code"},
	"received":       {Vi: "Ngày tiếp nhận", En: "Received on"},
	"intro":          {Vi: "Mỗi câu hỏi đều có thể bỏ qua; chọn “Không áp dụng” nếu không phù hợp. Ông/Bà chỉ gửi đánh giá một lần.", En: "You may skip any question, or choose “Not applicable”. You can send your rating once."},
	"poster.intro":   {Vi: "Mỗi câu hỏi đều có thể bỏ qua; chọn “Không áp dụng” nếu không phù hợp.", En: "You may skip any question, or choose “Not applicable”."},
	"q.receipt":      {Vi: "Nhìn chung, Ông/Bà hài lòng với việc giải quyết hồ sơ này?", En: "Overall, how satisfied are you with how this dossier was handled?"},
	"q.poster":       {Vi: "Nhìn chung, Ông/Bà hài lòng với sự phục vụ của cơ quan?", En: "Overall, how satisfied are you with our service?"},
	"facts":          {Vi: "Về hồ sơ của Ông/Bà", En: "About your dossier"},
	"na":             {Vi: "Không áp dụng", En: "Not applicable"},
	"reasons":        {Vi: "Nếu chưa hài lòng, vì sao? (không bắt buộc)", En: "If you were not satisfied, why? (optional)"},
	"comment":        {Vi: "Ý kiến, góp ý khác (không bắt buộc)", En: "Any other comments? (optional)"},
	"comment.hint":   {Vi: "Tối đa 2.000 ký tự. Xin đừng ghi số điện thoại hay số giấy tờ tùy thân.", En: "Up to 2,000 characters. Please do not write phone or ID numbers."},
	"submit":         {Vi: "Gửi đánh giá", En: "Send my rating"},
	"sending":        {Vi: "Đang gửi…", En: "Sending…"},
	"clear":          {Vi: "Bỏ chọn", En: "Clear"},
	"honeypot":       {Vi: "Để trống ô này", En: "Leave this empty"},
	"errors":         {Vi: "Xin kiểm tra lại", En: "There is a problem"},
	"error":          {Vi: "Lỗi:", En: "Error:"},
	"err.none":       {Vi: "Xin chọn ít nhất một mức đánh giá (hoặc “Không áp dụng”).", En: "Please choose at least one rating (or “Not applicable”)."},
	"err.choice":     {Vi: "Lựa chọn không hợp lệ, xin chọn lại.", En: "That choice is not valid: please choose again."},
	"err.comment":    {Vi: "Ý kiến dài quá 2.000 ký tự, xin rút gọn.", En: "The comment is longer than 2,000 characters: please shorten it."},
	"err.utf8":       {Vi: "Ý kiến có ký tự không đọc được, xin nhập lại.", En: "The comment has unreadable characters: please type it again."},
	"err.reasons":    {Vi: "Lý do không hợp lệ, xin chọn lại.", En: "That reason is not valid: please choose again."},
	"thanks":         {Vi: "Xin cảm ơn Ông/Bà đã đánh giá!", En: "Thank you for your feedback!"},
	"confirm":        {Vi: "Mã xác nhận của Ông/Bà", En: "Your confirmation code"},
	"confirm.check":  {Vi: "Ông/Bà có thể tra cứu phiếu đã được ghi nhận và được tính hay chưa tại", En: "You can check that your response was received and counted at"},
	"thanks.sub":     {Vi: "Ý kiến của Ông/Bà giúp chúng tôi phục vụ tốt hơn.", En: "Your opinion helps us serve you better."},
	"answered":       {Vi: "Hồ sơ này đã được đánh giá", En: "This dossier has already been rated"},
	"answered.sub":   {Vi: "Mỗi giấy tiếp nhận chỉ dùng để đánh giá một lần. Xin cảm ơn Ông/Bà đã dành thời gian!", En: "Each receipt can be used for one rating. Thank you for your time!"},
	"expired":        {Vi: "Đường dẫn đánh giá đã hết hạn", En: "This survey link has expired"},
	"expired.sub":    {Vi: "Thời hạn đánh giá hồ sơ này đã kết thúc ngày %s.", En: "The time to rate this dossier ended on %s."},
	"expired.poster": {Vi: "Ông/Bà vẫn có thể đánh giá chung về sự phục vụ của cơ quan", En: "You can still rate the agency's service in general"},
	"notfound":       {Vi: "Không tìm thấy phiếu đánh giá", En: "Survey not found"},
	"notfound.sub":   {Vi: "Đường dẫn không đúng. Xin quét lại mã QR trên giấy tiếp nhận, hoặc hỏi cán bộ tại Bộ phận Tiếp nhận và Trả kết quả.", En: "This link is not right. Please scan the QR code on your receipt again, or ask at the one-stop desk."},
	"nounit":         {Vi: "Không tìm thấy trang đánh giá", En: "Rating page not found"},
	"nounit.sub":     {Vi: "Đường dẫn không đúng. Xin quét lại mã QR trên tấm áp phích tại quầy.", En: "This link is not right. Please scan the QR code on the poster at the desk again."},
	"limited":        {Vi: "Ông/Bà đã gửi nhiều đánh giá trong thời gian ngắn", En: "Many ratings were sent from here in a short time"},
	"limited.sub":    {Vi: "Xin thử lại sau khoảng %d phút. Xin cảm ơn!", En: "Please try again in about %d minutes. Thank you!"},
	"badtype":        {Vi: "Không gửi được đánh giá", En: "The rating could not be sent"},
	"badtype.sub":    {Vi: "Trình duyệt đã gửi dữ liệu không đúng dạng. Xin tải lại trang và thử lại.", En: "The browser sent the form in an unexpected form. Please reload the page and try again."},
	"crosssite":      {Vi: "Phiếu không được gửi từ trang của cơ quan", En: "The form was not sent from the agency's own page"},
	"crosssite.sub":  {Vi: "Vì an toàn, chỉ nhận phiếu gửi từ trang đánh giá của cơ quan. Chưa có gì được lưu. Xin mở lại phiếu (quét mã QR hoặc bấm vào đường dẫn dưới đây) rồi gửi lại.", En: "For safety, only ratings sent from the agency's own rating page are accepted. Nothing was stored. Please open the form again (scan the QR code or follow the link below) and send it."},
	"crosssite.link": {Vi: "Mở lại phiếu đánh giá", En: "Open the rating form again"},
	"print":          {Vi: "In", En: "Print"},
	// The contact step after a negative answer (contact_form.go).
	"contact.title":         {Vi: "Ông/Bà có muốn cơ quan trả lời không?", En: "Would you like the office to reply?"},
	"contact.intro":         {Vi: "Nếu muốn, Ông/Bà để lại số điện thoại di động hoặc địa chỉ thư điện tử để cơ quan liên hệ trả lời. Không bắt buộc: đánh giá của Ông/Bà đã được ghi nhận.", En: "If you wish, leave a mobile number or an e-mail address so that the office can reply. This is optional: your rating has been received."},
	"contact.phone":         {Vi: "Số điện thoại di động", En: "Mobile number"},
	"contact.phone.hint":    {Vi: "Ví dụ 0912 345 678", En: "For example 0912 345 678"},
	"contact.email":         {Vi: "Hoặc thư điện tử", En: "Or e-mail"},
	"contact.email.hint":    {Vi: "Ví dụ ten@example.vn", En: "For example name@example.vn"},
	"contact.petition":      {Vi: "Tôi muốn gửi kiến nghị chính thức", En: "I want to file a formal petition"},
	"contact.petition.hint": {Vi: "Kiến nghị được vào sổ, có mã số và thời hạn trả lời.", En: "A petition is registered with a number and a deadline for the reply."},
	"contact.consent":       {Vi: "Khi bấm “Đồng ý và gửi”, tôi đồng ý để %s dùng số điện thoại hoặc thư điện tử này chỉ để trả lời tôi; thông tin được lưu riêng, không công khai, và được xoá sau khi xử lý xong.", En: "By pressing “Agree and send”, I agree that %s uses this number or e-mail only to reply to me; it is kept apart, never published, and deleted after the case is closed."},
	"contact.send":          {Vi: "Đồng ý và gửi", En: "Agree and send"},
	"contact.skip":          {Vi: "Không, cảm ơn", En: "No, thank you"},
	"contact.fix":           {Vi: "Xin kiểm tra lại thông tin liên hệ", En: "Please check your contact details"},
	"contact.fix.sub":       {Vi: "Đánh giá của Ông/Bà đã được ghi nhận; chỉ thông tin liên hệ chưa gửi được.", En: "Your rating has been received; only the contact details have not been sent yet."},
	"contact.sent":          {Vi: "Đã gửi yêu cầu của Ông/Bà", En: "Your request has been sent"},
	"contact.sent.sub":      {Vi: "Mã số %s. Cơ quan sẽ trả lời Ông/Bà theo thông tin liên hệ đã để lại.", En: "Number %s. The office will reply to you using the contact details you left."},
	"petition.sent":         {Vi: "Kiến nghị của Ông/Bà đã được ghi nhận", En: "Your petition has been registered"},
	"petition.sent.sub":     {Vi: "Mã số %s. Xin giữ mã số này để hỏi kết quả tại Bộ phận Tiếp nhận và Trả kết quả.", En: "Number %s. Please keep this number to ask about the outcome at the one-stop desk."},
	"contact.skipped":       {Vi: "Xin cảm ơn Ông/Bà!", En: "Thank you!"},
	"contact.skipped.sub":   {Vi: "Không có thông tin liên hệ nào được lưu.", En: "No contact details were stored."},
	"contact.already":       {Vi: "Yêu cầu này đã được gửi", En: "This request was already sent"},
	"contact.already.sub":   {Vi: "Mỗi đánh giá chỉ gửi được một yêu cầu trả lời. Cơ quan sẽ liên hệ theo thông tin đã để lại lần trước.", En: "Each rating can send one request for a reply. The office will use the contact details left the first time."},
	"contact.notfound":      {Vi: "Không gửi được yêu cầu", En: "The request could not be sent"},
	"contact.notfound.sub":  {Vi: "Đường dẫn không đúng hoặc đã quá %d phút. Đánh giá của Ông/Bà vẫn được ghi nhận; Ông/Bà có thể liên hệ trực tiếp Bộ phận Tiếp nhận và Trả kết quả.", En: "The link is not right or more than %d minutes have passed. Your rating is still recorded; you can contact the one-stop desk directly."},
	"err.phone":             {Vi: "Số điện thoại di động không hợp lệ: cần 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09 (ví dụ 0912 345 678).", En: "Not a Vietnamese mobile number: 10 digits starting 03, 05, 07, 08 or 09 (e.g. 0912 345 678)."},
	"err.email":             {Vi: "Địa chỉ thư điện tử không hợp lệ (ví dụ ten@example.vn).", En: "Not an e-mail address (e.g. name@example.vn)."},
	"err.contact":           {Vi: "Nhập số điện thoại di động hoặc thư điện tử, hoặc chọn gửi kiến nghị chính thức.", En: "Enter a mobile number or an e-mail address, or choose to file a formal petition."},
	"err.response":          {Vi: "Đánh giá này không có ý kiến chưa hài lòng nên không cần trả lời.", En: "This rating has no dissatisfied answer, so no reply is needed."},
}

// scaleWords returns the words of a 3- or 5-level scale in lang, lowest first.
func scaleWords(scale int, lang string) []string {
	ts := survey.ScaleLabels(scale)
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.In(lang)
	}
	return out
}

// tr returns every form word in lang.
func tr(lang string) map[string]string {
	m := make(map[string]string, len(formWords))
	for k, t := range formWords {
		m[k] = t.In(lang)
	}
	return m
}

func otherLang(lang string) string {
	if lang == "en" {
		return "vi"
	}
	return "en"
}

// langOf is "en" when asked for, else Vietnamese.
func langOf(s string) string {
	if s == "en" {
		return "en"
	}
	return "vi"
}

var monthsEn = [...]string{"", "January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December"}

// dateIn formats the calendar day of t in loc: "10/03/2026" in Vietnamese,
// "10 March 2026" in English.
func dateIn(t time.Time, loc *time.Location, lang string) string {
	t = t.In(loc)
	if lang == "en" {
		return fmt.Sprintf("%d %s %d", t.Day(), monthsEn[t.Month()], t.Year())
	}
	return t.Format("02/01/2006")
}

// timeIn formats t in loc with the hour: "09:30, ngày 10/03/2026".
func timeIn(t time.Time, loc *time.Location, lang string) string {
	if lang == "en" {
		return t.In(loc).Format("15:04") + ", " + dateIn(t, loc, lang)
	}
	return t.In(loc).Format("15:04") + ", ngày " + dateIn(t, loc, lang)
}
