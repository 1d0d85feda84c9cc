package survey

// The default surveys shipped with every installation (SPEC "Default surveys").

// Survey keys of the defaults.
const (
	SurveyQuay  = "quay"
	SurveySipas = "sipas"
)

var commonElements = map[string]Element{
	"tiep_can":   {"tiep_can", Text{"Tiếp cận dịch vụ", "Access to the service"}},
	"thu_tuc":    {"thu_tuc", Text{"Thủ tục hành chính", "Administrative procedures"}},
	"cong_chuc":  {"cong_chuc", Text{"Công chức", "Civil servants"}},
	"ket_qua":    {"ket_qua", Text{"Kết quả giải quyết", "Results"}},
	"gop_y":      {"gop_y", Text{"Tiếp nhận, xử lý góp ý, phản ánh", "Handling of feedback"}},
	"truc_tuyen": {"truc_tuyen", Text{"Dịch vụ trực tuyến", "Online services"}},
}

func elems(keys ...string) []Element {
	out := make([]Element, len(keys))
	for i, k := range keys {
		out[i] = commonElements[k]
	}
	return out
}

var overallQuestion = Criterion{
	Key:   OverallKey,
	Label: Text{"Ông/Bà hài lòng với sự phục vụ hôm nay?", "How satisfied are you with today's service?"},
	Short: Text{"Đánh giá chung", "Overall"},
	Scale: 5,
}

// DefaultQuay is the kiosk counter survey: the overall question first, then
// six criteria on one skippable screen, reasons after any answer ≤ 2.
func DefaultQuay() *Survey {
	return &Survey{
		Key:      SurveyQuay,
		Version:  1,
		Title:    Text{"Đánh giá sự phục vụ tại quầy", "Rate the service at the counter"},
		Elements: elems("tiep_can", "cong_chuc", "ket_qua", "truc_tuyen"),
		Criteria: []Criterion{
			overallQuestion,
			{Key: "access", Element: "tiep_can", Scale: 5,
				Label: Text{"Thông tin và hướng dẫn tại nơi tiếp nhận", "Information and guidance at the desk"},
				Short: Text{"Thông tin, hướng dẫn", "Information & guidance"}},
			{Key: "facilities", Element: "tiep_can", Scale: 5,
				Label: Text{"Bố trí quầy và trang thiết bị (vách ngăn, ghế ngồi, thiết bị)", "Counter layout and facilities (partition, seating, equipment)"},
				Short: Text{"Bố trí quầy, trang thiết bị", "Counter layout & facilities"}},
			{Key: "staff_attitude", Element: "cong_chuc", Scale: 5,
				Label: Text{"Thái độ phục vụ của công chức", "Staff attitude"},
				Short: Text{"Thái độ công chức", "Staff attitude"}},
			{Key: "staff_guidance", Element: "cong_chuc", Scale: 5,
				Label: Text{"Công chức hướng dẫn rõ ràng, một lần là hiểu", "Clear guidance, given once"},
				Short: Text{"Hướng dẫn rõ ràng", "Clear guidance"}},
			{Key: "timeliness", Element: "ket_qua", Scale: 5,
				Label: Text{"Thời gian chờ và thời gian giải quyết", "Waiting and processing time"},
				Short: Text{"Thời gian chờ, xử lý", "Waiting & processing time"}},
			{Key: "website", Element: "truc_tuyen", Scale: 5,
				Label: Text{"Trang thông tin điện tử và dịch vụ công trực tuyến", "Website and online public services"},
				Short: Text{"Trang web, dịch vụ trực tuyến", "Website & online services"}},
		},
		Reasons: defaultReasons(),
		Comment: true,
	}
}

func defaultReasons() []Reason {
	return []Reason{
		{"waited_long", Text{"Phải chờ lâu", "Waited too long"}},
		{"had_to_stand", Text{"Phải đứng, không có chỗ ngồi", "Had to stand"}},
		{"glass_partition", Text{"Vách kính ngăn, khó trao đổi", "Glass partition hard to talk through"}},
		{"staff_impolite", Text{"Công chức thiếu lịch sự", "Staff impolite"}},
		{"came_back", Text{"Phải đi lại nhiều lần", "Had to come back several times"}},
		{"website_slow", Text{"Trang web chậm, khó dùng", "Website slow or hard to use"}},
		{"procedure_unclear", Text{"Thủ tục không rõ ràng", "Unclear procedure"}},
		{"other", Text{"Lý do khác", "Other"}},
	}
}

// DefaultSipas is the receipt QR form, modelled on the SIPAS elements
// (Quyết định 2640/QĐ-BNV, 1001/QĐ-BNV), with the TT 01/2018/TT-VPCP dossier facts.
func DefaultSipas() *Survey {
	c := func(key, el, vi, en, svi, sen string) Criterion {
		return Criterion{Key: key, Element: el, Scale: 5, Label: Text{vi, en}, Short: Text{svi, sen}}
	}
	return &Survey{
		Key:      SurveySipas,
		Version:  1,
		Title:    Text{"Đánh giá sự hài lòng về giải quyết hồ sơ", "Rate how your dossier was handled"},
		Elements: elems("tiep_can", "thu_tuc", "cong_chuc", "ket_qua", "gop_y", "truc_tuyen"),
		Criteria: []Criterion{
			c("access_info", "tiep_can", "Nơi tiếp nhận có đầy đủ thông tin, hướng dẫn", "The desk gives full information and guidance", "Thông tin, hướng dẫn", "Information"),
			c("access_signage", "tiep_can", "Biển chỉ dẫn, sơ đồ nơi làm việc dễ thấy, dễ hiểu", "Signs and floor plan easy to see and understand", "Biển chỉ dẫn", "Signage"),
			c("access_clean", "tiep_can", "Nơi làm việc sạch sẽ, thoáng mát", "Premises clean and well ventilated", "Sạch sẽ, thoáng mát", "Clean premises"),
			c("facilities", "tiep_can", "Trang thiết bị, ghế ngồi đầy đủ, dễ sử dụng", "Enough equipment and seats, easy to use", "Trang thiết bị, ghế ngồi", "Equipment & seats"),
			c("proc_posted", "thu_tuc", "Thủ tục hành chính được niêm yết công khai, đầy đủ", "Procedures publicly and fully posted", "Niêm yết công khai", "Procedures posted"),
			c("proc_as_prescribed", "thu_tuc", "Thành phần hồ sơ, phí, lệ phí và thời hạn giải quyết đúng quy định", "Dossier, fees and time limit as prescribed", "Hồ sơ, phí, thời hạn đúng quy định", "Dossier, fees, time as prescribed"),
			c("staff_attitude", "cong_chuc", "Công chức có thái độ giao tiếp lịch sự", "Staff were polite", "Lịch sự", "Polite"),
			c("staff_prompt", "cong_chuc", "Công chức trả lời, giải đáp kịp thời, đầy đủ", "Staff answered promptly and fully", "Giải đáp kịp thời", "Prompt answers"),
			c("staff_guidance", "cong_chuc", "Công chức hướng dẫn dễ hiểu, một lần là hiểu", "Guidance understood after one explanation", "Hướng dẫn một lần là hiểu", "Clear guidance, given once"),
			c("staff_rules", "cong_chuc", "Công chức tuân thủ đúng quy định", "Staff followed the rules", "Tuân thủ quy định", "Followed the rules"),
			c("staff_attentive", "cong_chuc", "Công chức tận tình, chu đáo", "Staff were attentive", "Tận tình, chu đáo", "Attentive"),
			c("result_on_time", "ket_qua", "Nhận kết quả đúng hẹn", "Result returned on the promised date", "Đúng hẹn", "On time"),
			c("result_complete", "ket_qua", "Kết quả đầy đủ, chính xác", "Result complete and accurate", "Đầy đủ, chính xác", "Complete & accurate"),
			c("result_lawful", "ket_qua", "Kết quả đúng quy định, công bằng", "Result lawful and fair", "Đúng quy định, công bằng", "Lawful & fair"),
			c("feedback_channel", "gop_y", "Có nơi, hình thức tiếp nhận góp ý, phản ánh", "A channel for feedback exists", "Có kênh góp ý", "Feedback channel exists"),
			c("feedback_easy", "gop_y", "Góp ý, phản ánh dễ dàng, thuận lợi", "Giving feedback is easy", "Góp ý dễ dàng", "Easy to give feedback"),
			c("feedback_active", "gop_y", "Góp ý, phản ánh được tiếp nhận, xử lý tích cực", "Feedback is handled actively", "Xử lý tích cực", "Handled actively"),
			c("feedback_prompt", "gop_y", "Góp ý, phản ánh được trả lời kịp thời", "Feedback is answered promptly", "Trả lời kịp thời", "Answered promptly"),
			c("online_convenient", "truc_tuyen", "Dịch vụ công trực tuyến thuận tiện", "Online public services are convenient", "Thuận tiện", "Convenient"),
			c("online_speed", "truc_tuyen", "Trang dịch vụ công trực tuyến truy cập nhanh", "Online services load quickly", "Truy cập nhanh", "Fast"),
			c("online_easy", "truc_tuyen", "Dịch vụ công trực tuyến dễ sử dụng", "Online services are easy to use", "Dễ sử dụng", "Easy to use"),
			overallQuestion,
		},
		Reasons: defaultReasons(),
		Facts: []Fact{
			{Key: "tt01_contacts",
				Label: Text{"Ông/Bà phải đi lại bao nhiêu lần để hoàn thiện hồ sơ?", "How many times did you have to come back to complete the dossier?"},
				Options: []Text{{"Không lần nào (nộp một lần là đủ)", "None (one visit was enough)"},
					{"1 lần", "Once"}, {"2 lần trở lên", "Twice or more"}}},
			{Key: "tt01_agencies",
				Label: Text{"Ông/Bà phải liên hệ bao nhiêu cơ quan để giải quyết hồ sơ?", "How many agencies did you have to contact?"},
				Options: []Text{{"Không phải liên hệ", "None"},
					{"Chỉ Bộ phận một cửa", "Only the one-stop desk"}, {"Nhiều cơ quan", "More than one"}}},
			{Key: "tt01_complaint",
				Label:   Text{"Có ai đòi tiền ngoài quy định, gây phiền hà, sách nhiễu Ông/Bà không?", "Did anyone ask you for unofficial payment or harass you?"},
				Options: []Text{{"Không", "No"}, {"Có", "Yes"}}},
		},
		Comment: true,
	}
}

// DefaultSurveys returns fresh copies of every default survey.
func DefaultSurveys() []*Survey { return []*Survey{DefaultQuay(), DefaultSipas()} }
