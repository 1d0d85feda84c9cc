package demo

import (
	"fmt"
	"math/rand"
)

// Vietnamese full names: family name, middle name, given name. Family names
// are weighted roughly by how common they are.
var (
	familyNames = []struct {
		name   string
		weight int
	}{
		{"Nguyễn", 38}, {"Trần", 11}, {"Lê", 10}, {"Phạm", 7}, {"Hoàng", 5}, {"Phan", 4}, {"Vũ", 4},
		{"Huỳnh", 3}, {"Võ", 3}, {"Đặng", 2}, {"Bùi", 2}, {"Đỗ", 1}, {"Hồ", 1}, {"Ngô", 1},
		{"Dương", 1}, {"Trương", 1}, {"Đinh", 1}, {"Lý", 1}, {"Lâm", 1}, {"Mai", 1},
	}
	middleMale   = []string{"Văn", "Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Hoàng", "Công", "Ngọc", "Xuân", "Quang"}
	middleFemale = []string{"Thị", "Thị", "Thị Thu", "Thị Thanh", "Thị Ngọc", "Ngọc", "Thu", "Thanh", "Minh", "Kim", "Mỹ", "Phương", "Bảo"}
	givenMale    = []string{"Minh", "Nam", "Hùng", "Dũng", "Tuấn", "Hải", "Long", "Phong", "Sơn", "Thắng", "Quân", "Khoa", "Bình", "Trung", "Hiếu", "Đạt", "Vinh", "Phúc", "Huy", "Khánh", "Tài", "Lộc", "Thành", "Cường"}
	givenFemale  = []string{"Hà", "Lan", "Hương", "Mai", "Linh", "Trang", "Thảo", "Hằng", "Nga", "Vy", "Nhung", "Yến", "Anh", "Hạnh", "Phượng", "Oanh", "Thủy", "Duyên", "Loan", "Ngân", "Trinh", "Quyên"}
)

func personName(rng *rand.Rand) string {
	total := 0
	for _, f := range familyNames {
		total += f.weight
	}
	x, family := rng.Intn(total), ""
	for _, f := range familyNames {
		if x -= f.weight; x < 0 {
			family = f.name
			break
		}
	}
	if rng.Intn(2) == 0 {
		return family + " " + pick(rng, middleFemale) + " " + pick(rng, givenFemale)
	}
	return family + " " + pick(rng, middleMale) + " " + pick(rng, givenMale)
}

func pick(rng *rand.Rand, list []string) string { return list[rng.Intn(len(list))] }

// positions by group; the first is the desk lead's.
var positions = map[string][]string{
	groupSo: {"Phó Chánh Văn phòng", "Chuyên viên", "Chuyên viên chính", "Chuyên viên", "Cán sự"},
	groupXa: {"Công chức Văn phòng – Thống kê", "Công chức Tư pháp – Hộ tịch", "Công chức Tư pháp – Hộ tịch", "Công chức Địa chính – Xây dựng", "Công chức Văn hóa – Xã hội"},
	groupBV: {"Trưởng nhóm tiếp đón", "Nhân viên tiếp đón", "Điều dưỡng", "Nhân viên Phòng Kế hoạch tổng hợp"},
}

// Comments, short and realistic, by theme. A few carry a phone number or an
// e-mail address, so that masking has something to mask.
var (
	commentsGood = []string{
		"Cán bộ hướng dẫn tận tình.",
		"Giải quyết nhanh, đúng hẹn. Cảm ơn!",
		"Nhân viên vui vẻ, nhiệt tình.",
		"Nhận kết quả trước hẹn, rất hài lòng.",
		"Nơi làm việc sạch sẽ, thoáng mát.",
		"Thủ tục đơn giản hơn trước nhiều.",
		"Được hướng dẫn một lần là hiểu, không phải đi lại.",
		"Cảm ơn chị cán bộ ở quầy đã giúp đỡ nhiệt tình.",
	}
	commentsRebuilt = []string{
		"Quầy mới rộng rãi, có ghế ngồi, trao đổi dễ hơn trước.",
		"Bỏ vách kính rồi nói chuyện dễ nghe hơn nhiều.",
		"Khu chờ mới có ghế và nước uống, rất tốt.",
	}
	commentsByReason = map[string][]string{
		"waited_long": {
			"Chờ hơn một tiếng mới đến lượt.",
			"Nên có máy bốc số thứ tự.",
			"Buổi chiều chỉ có một cán bộ tiếp nhận, chờ rất lâu.",
			"Hẹn trả kết quả nhưng đến nơi vẫn phải chờ.",
		},
		"had_to_stand": {
			"Phải đứng chờ lâu, không có ghế ngồi.",
			"Người già phải đứng chờ, đề nghị bố trí thêm ghế.",
			"Quầy chật, không có chỗ ngồi viết tờ khai.",
		},
		"glass_partition": {
			"Vách kính ngăn quầy khó nghe, phải nói to mới trao đổi được.",
			"Cách một tấm kính, nói mấy lần cán bộ mới nghe rõ.",
		},
		"staff_impolite": {
			"Cán bộ trả lời cộc lốc, không nhìn người dân.",
			"Thái độ chưa thân thiện, hỏi lại thì tỏ ra khó chịu.",
			"Cán bộ vừa làm việc vừa dùng điện thoại.",
		},
		"came_back": {
			"Phải đi lại ba lần vì mỗi lần được hướng dẫn bổ sung một giấy tờ khác.",
			"Đề nghị hướng dẫn đầy đủ một lần, tránh đi lại nhiều lần.",
		},
		"website_slow": {
			"Trang web dịch vụ công hay bị lỗi, tải chậm.",
			"Nộp hồ sơ trực tuyến không được, phải lên nộp trực tiếp.",
			"Không tải được biểu mẫu trên cổng dịch vụ công.",
		},
		"procedure_unclear": {
			"Thủ tục còn rườm rà, nhiều giấy tờ trùng lặp.",
			"Niêm yết thủ tục chưa đầy đủ, không thấy mức phí.",
			"Hướng dẫn chưa rõ, đề nghị ghi danh mục giấy tờ ra giấy.",
		},
		"other": {
			"Bãi giữ xe chật, khó tìm chỗ để xe.",
			"Đề nghị kéo dài giờ làm việc buổi chiều.",
		},
	}
	commentsContact = []string{
		"Đề nghị liên hệ lại với tôi qua số %s.",
		"Hồ sơ của tôi đã quá hẹn, xin gọi lại số %s để thông báo.",
		"Tôi cần hỏi thêm về hồ sơ, số điện thoại: %s.",
	}
	emailComments = []string{
		"Xin gửi thông báo kết quả qua email tranminhkd.hm@gmail.com.",
		"Cần hỗ trợ thêm, vui lòng phản hồi qua lehoa.2003@yahoo.com.vn.",
	}
	phonePrefixes = []string{"090", "091", "093", "094", "097", "098", "083", "035", "077", "070"}
)

// phone returns a mobile number written as people write it: "0905 123 456".
func phone(rng *rand.Rand) string {
	return fmt.Sprintf("%s%d %03d %03d", pick(rng, phonePrefixes), rng.Intn(10), rng.Intn(1000), rng.Intn(1000))
}
