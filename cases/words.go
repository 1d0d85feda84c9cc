package cases

import (
	"fmt"
	"time"

	"hailong/survey"
)

// names of the statuses, kinds, sources and ways of replying, Vietnamese
// and English.
var names = map[string]survey.Text{
	survey.CaseNew:                 {Vi: "Mới", En: "New"},
	survey.CaseOpen:                {Vi: "Đang xử lý", En: "In progress"},
	survey.CaseReplied:             {Vi: "Đã trả lời", En: "Replied"},
	survey.CaseClosed:              {Vi: "Đóng", En: "Closed"},
	survey.CaseAskReply:            {Vi: "Muốn được trả lời", En: "Asks for a reply"},
	survey.CasePetition:            {Vi: "Kiến nghị chính thức", En: "Formal petition"},
	"src:" + survey.SourceResponse: {Vi: "Phiếu đánh giá", En: "Survey response"},
	"src:" + survey.SourceCall:     {Vi: "Điện thoại", En: "Telephone call"},
	"src:" + survey.SourceLetter:   {Vi: "Thư, văn bản", En: "Letter"},
	"src:" + survey.SourceInPerson: {Vi: "Trực tiếp", En: "In person"},
	"via:" + survey.ReplyByEmail:   {Vi: "Thư điện tử", En: "E-mail"},
	"via:" + survey.ReplyByPhone:   {Vi: "Điện thoại", En: "Telephone"},
	"via:" + survey.ReplyByPost:    {Vi: "Văn bản, thư", En: "Letter"},
	survey.RatingGood:              {Vi: "Hài lòng", En: "Satisfied"},
	survey.RatingBad:               {Vi: "Không hài lòng", En: "Dissatisfied"},
}

// name is the Vietnamese and English name of a code ("" when unknown).
func name(code string) survey.Text { return names[code] }

// dateVi writes a day as Vietnamese documents do: 07/12/2026.
func dateVi(t time.Time, loc *time.Location) string { return t.In(loc).Format("02/01/2006") }

// dateTimeVi writes a time: 07/12/2026 09:30.
func dateTimeVi(t time.Time, loc *time.Location) string { return t.In(loc).Format("02/01/2006 15:04") }

// replyTemplate is the formal reply to start from (lang "vi" or "en"),
// filled with what the case knows: the agency, the citizen's name (or the
// polite form alone), the day the case was opened and its subject.
func replyTemplate(lang, agency, citizen, opened, subject string) string {
	if lang == "en" {
		if citizen == "" {
			citizen = "Sir or Madam"
		}
		return fmt.Sprintf("Dear %s,\n\n%s received your feedback of %s concerning: %s\n\nHaving examined it, we reply as follows:\n\n1. …\n2. …\n\nThank you for helping us improve our service. Should you have any further question, please contact our one-stop reception desk or reply to this message.\n\nYours faithfully,\n%s",
			citizen, agency, opened, subject, agency)
	}
	who := "Ông/Bà"
	if citizen != "" {
		who = "Ông/Bà " + citizen
	}
	return fmt.Sprintf("Kính gửi %s,\n\n%s đã nhận được phản ánh, kiến nghị của Ông/Bà ngày %s về nội dung: %s\n\nSau khi xem xét, %s xin trả lời Ông/Bà như sau:\n\n1. …\n2. …\n\n%s trân trọng cảm ơn Ông/Bà đã phản ánh, giúp chúng tôi nâng cao chất lượng phục vụ. Nếu còn vướng mắc, xin Ông/Bà liên hệ Bộ phận Tiếp nhận và Trả kết quả hoặc phản hồi thư này.\n\nTrân trọng./.\n%s",
		who, agency, opened, subject, agency, agency, agency)
}

// ratingMail is the e-mail of a reply: the reply, then the one-time link
// to rate the handling, in both languages.
func ratingMail(to, id, text, link string) *survey.Mail {
	body := text + "\n\n— — —\n" +
		"Xin Ông/Bà cho biết Ông/Bà có hài lòng với việc giải quyết phản ánh, kiến nghị số " + id + " không (một lần, chỉ cần bấm):\n" + link + "\n\n" +
		"Please tell us whether you are satisfied with how your feedback " + id + " was handled (once, one click):\n" + link + "\n"
	return &survey.Mail{To: to, Subject: "Trả lời phản ánh, kiến nghị số " + id + " / Reply to your feedback " + id, Text: body}
}
