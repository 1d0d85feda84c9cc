package demo

import (
	"fmt"
	"time"

	"hailong/survey"
)

// The improvement actions of the story (issue 8): Sở Công Thương's director
// ordered the counter rebuilt — done on the rebuild day, and the
// facilities criterion rises from about 50 % to about 81 % (a significant
// effect); the website upgrade is in progress and overdue; staff training
// is planned.

// Demo action ids.
const (
	ActionCounter  = "1" // done: the counter rebuilt
	ActionWebsite  = "2" // in progress, overdue
	ActionTraining = "3" // planned
)

func (g *gen) actions() error {
	day := func(d int32) string { return survey.DayString(d) }
	at := func(d int32) time.Time { return survey.DayStart(d, g.loc).Add(9 * time.Hour) }
	rebuilt := survey.DayStart(g.rebuilt, g.loc)
	list := []survey.Action{
		{Unit: storyUnit, Title: "Cải tạo, bố trí lại khu vực tiếp nhận",
			Description: "Tháo bỏ vách kính ngăn cách tại các quầy; bố trí quầy thấp để người dân ngồi làm việc trực tiếp với công chức; bổ sung ghế ngồi chờ, máy lấy số thứ tự và bảng điện tử hướng dẫn.",
			Criteria:    []string{"facilities"}, Office: "Văn phòng Sở", Due: day(g.rebuilt + 7), Status: survey.ActionDone, Done: day(g.rebuilt),
			Notes:     fmt.Sprintf("Nghiệm thu, đưa vào sử dụng ngày %s.", rebuilt.Format("02/01/2006")),
			CreatedAt: at(g.rebuilt - 75)},
		{Unit: storyUnit, Title: "Nâng cấp trang thông tin điện tử và dịch vụ công trực tuyến của Sở",
			Description: "Nâng cấp máy chủ, rút ngắn thời gian tải trang; thiết kế lại giao diện tra cứu thủ tục; tích hợp biểu mẫu điện tử cho các thủ tục thường gặp.",
			Criteria:    []string{"website", "online_speed", "online_easy"}, Office: "Văn phòng Sở", Due: day(g.last - 25),
			Status: survey.ActionInProgress, Notes: "Đã ký hợp đồng với đơn vị tư vấn; đang chạy thử giao diện mới.", CreatedAt: at(g.last - 140)},
		{Unit: storyUnit, Title: "Tập huấn kỹ năng giao tiếp, ứng xử cho công chức Bộ phận Một cửa",
			Description: "Tổ chức lớp tập huấn về văn hóa công vụ, kỹ năng giao tiếp và hướng dẫn thủ tục cho công chức tiếp nhận hồ sơ.",
			Criteria:    []string{"staff_attitude", "staff_guidance"}, Office: "Bộ phận Tiếp nhận và Trả kết quả", Due: day(g.last + 60),
			Status: survey.ActionPlanned, CreatedAt: at(g.last - 10)},
	}
	for _, a := range list {
		if _, err := g.db.CreateAction(a, "demo"); err != nil {
			return fmt.Errorf("action %q: %w", a.Title, err)
		}
	}
	return nil
}
