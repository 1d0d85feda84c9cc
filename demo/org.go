package demo

import "hailong/survey"

// The demo province: the tree of the sample units file (a province, its
// departments, communes and wards, and hospitals), with the parameters that
// make its story. prev and last are the levels (%) the answers are drawn
// around in the 12 months before the last 12 and in the last 12 months (see
// level). The index lands about a point below the level, and Sở Công Thương's
// about 3.5 below (its counter layout and website are weak): the levels were
// calibrated by measurement so that it reads about 76.3 %, about 0.3 lower
// than the year before, 9th of 14 in khối Sở the year before and 12th in the
// last year, as in SPEC "Why it exists".
type agency struct {
	id, name, group string
	abbr            string  // prefix of counter, staff and kiosk ids
	short           string  // as written on counter names ("Quầy 1 – Công Thương")
	sector          string  // key of the procedure list
	counters, staff int     // how many of each
	visits          float64 // kiosk answers on an ordinary weekday
	dossiers        int     // dossiers received per year
	prev, last      float64 // index level, %, 12 months before the last 12, and the last 12
	late            float64 // share of dossiers returned late
}

const province = "tinh-mau"

// Group ids and their names.
const (
	groupSo = "khoi-so"
	groupXa = "khoi-xa"
	groupBV = "khoi-benh-vien"
)

var groups = []survey.Group{
	{ID: groupSo, Name: "Khối Sở, ban, ngành"},
	{ID: groupXa, Name: "Khối xã, phường"},
	{ID: groupBV, Name: "Khối bệnh viện"},
}

// The agencies with a one-stop desk. The first agency of the list is the
// one whose story the demo tells.
var agencies = []agency{
	{"so-cong-thuong", "Sở Công Thương", groupSo, "sct", "Công Thương", "cong-thuong", 3, 5, 22, 7000, 80.0, 79.15, 0.0012},
	{"so-noi-vu", "Sở Nội vụ", groupSo, "snv", "Nội vụ", "noi-vu", 2, 4, 13, 900, 85, 86, 0.03},
	{"so-tu-phap", "Sở Tư pháp", groupSo, "stp", "Tư pháp", "tu-phap", 3, 5, 20, 3000, 93, 94, 0.02},
	{"so-tai-chinh", "Sở Tài chính", groupSo, "stc", "Tài chính", "tai-chinh", 3, 6, 18, 2600, 90, 91, 0.02},
	{"so-nong-nghiep-moi-truong", "Sở Nông nghiệp và Môi trường", groupSo, "snnmt", "Nông nghiệp và Môi trường", "nong-nghiep-moi-truong", 4, 6, 21, 2600, 73.5, 78.8, 0.08},
	{"so-xay-dung", "Sở Xây dựng", groupSo, "sxd", "Xây dựng", "xay-dung", 3, 5, 18, 2200, 74.5, 75.5, 0.06},
	{"so-khoa-hoc-cong-nghe", "Sở Khoa học và Công nghệ", groupSo, "skhcn", "Khoa học và Công nghệ", "khoa-hoc-cong-nghe", 1, 2, 7, 350, 88, 89, 0.03},
	{"so-van-hoa-the-thao-du-lich", "Sở Văn hóa, Thể thao và Du lịch", groupSo, "svhttdl", "Văn hóa, Thể thao và Du lịch", "van-hoa-the-thao-du-lich", 2, 3, 9, 550, 74, 78.3, 0.04},
	{"so-giao-duc-dao-tao", "Sở Giáo dục và Đào tạo", groupSo, "sgddt", "Giáo dục và Đào tạo", "giao-duc-dao-tao", 2, 4, 11, 700, 83, 84, 0.03},
	{"so-y-te", "Sở Y tế", groupSo, "syt", "Y tế", "y-te", 2, 4, 15, 1300, 75, 79.3, 0.05},
	{"so-dan-toc-ton-giao", "Sở Dân tộc và Tôn giáo", groupSo, "sdttg", "Dân tộc và Tôn giáo", "dan-toc-ton-giao", 1, 2, 5, 120, 80, 82, 0.02},
	{"so-ngoai-vu", "Sở Ngoại vụ", groupSo, "sngv", "Ngoại vụ", "ngoai-vu", 1, 2, 5, 180, 87, 88, 0.02},
	{"thanh-tra-tinh", "Thanh tra tỉnh", groupSo, "ttt", "Thanh tra tỉnh", "thanh-tra", 1, 3, 6, 180, 72, 74, 0.07},
	{"van-phong-ubnd", "Văn phòng UBND tỉnh", groupSo, "vpubnd", "Văn phòng UBND tỉnh", "van-phong", 1, 2, 6, 250, 91, 90, 0.02},
	{"phuong-bac-thanh", "UBND phường Bắc Thành", groupXa, "pbt", "Phường Bắc Thành", "xa", 4, 6, 16, 1300, 84, 86, 0.03},
	{"phuong-nam-hai", "UBND phường Nam Hải", groupXa, "pnh", "Phường Nam Hải", "xa", 3, 5, 14, 1200, 80, 79, 0.05},
	{"phuong-tay-son", "UBND phường Tây Sơn", groupXa, "pts", "Phường Tây Sơn", "xa", 3, 4, 13, 1100, 77, 80, 0.04},
	{"xa-dong-hoa", "UBND xã Đông Hòa", groupXa, "xdh", "Xã Đông Hòa", "xa", 2, 3, 11, 900, 82, 81, 0.04},
	{"xa-suoi-tien", "UBND xã Suối Tiên", groupXa, "xst", "Xã Suối Tiên", "xa", 2, 3, 9, 800, 72, 75, 0.08},
	{"xa-vinh-phuoc", "UBND xã Vĩnh Phước", groupXa, "xvp", "Xã Vĩnh Phước", "xa", 2, 3, 11, 900, 79, 83, 0.05},
	{"xa-cam-an", "UBND xã Cam An", groupXa, "xca", "Xã Cam An", "xa", 2, 3, 9, 800, 74, 73, 0.07},
	{"xa-khanh-binh", "UBND xã Khánh Bình", groupXa, "xkb", "Xã Khánh Bình", "xa", 2, 3, 9, 800, 86, 85, 0.03},
	{"bv-da-khoa-tinh", "Bệnh viện Đa khoa tỉnh", groupBV, "bvdk", "BV Đa khoa tỉnh", "benh-vien", 4, 6, 34, 500, 71, 73, 0.05},
	{"bv-y-hoc-co-truyen", "Bệnh viện Y học cổ truyền", groupBV, "bvyhct", "BV Y học cổ truyền", "benh-vien", 2, 3, 14, 250, 89, 90, 0.02},
	{"bv-nhi", "Bệnh viện Nhi", groupBV, "bvn", "BV Nhi", "benh-vien", 3, 4, 22, 350, 80, 82, 0.03},
}

// Departments (phòng, ban) under some agencies. They have no counters of
// their own: the agency's one-stop desk serves them.
var departments = []survey.Unit{
	{ID: "sct-van-phong", Name: "Văn phòng Sở", Parent: "so-cong-thuong"},
	{ID: "sct-quan-ly-thuong-mai", Name: "Phòng Quản lý Thương mại", Parent: "so-cong-thuong"},
	{ID: "sct-quan-ly-cong-nghiep", Name: "Phòng Quản lý Công nghiệp", Parent: "so-cong-thuong"},
	{ID: "sct-quan-ly-nang-luong", Name: "Phòng Quản lý Năng lượng", Parent: "so-cong-thuong"},
	{ID: "sct-thanh-tra", Name: "Thanh tra Sở", Parent: "so-cong-thuong"},
	{ID: "stp-mot-cua", Name: "Bộ phận Tiếp nhận và Trả kết quả", Parent: "so-tu-phap"},
	{ID: "stp-hanh-chinh-tu-phap", Name: "Phòng Hành chính tư pháp", Parent: "so-tu-phap"},
	{ID: "sxd-mot-cua", Name: "Bộ phận Tiếp nhận và Trả kết quả", Parent: "so-xay-dung"},
	{ID: "sxd-quan-ly-xay-dung", Name: "Phòng Quản lý xây dựng", Parent: "so-xay-dung"},
	{ID: "sxd-quan-ly-van-tai", Name: "Phòng Quản lý vận tải", Parent: "so-xay-dung"},
	{ID: "syt-mot-cua", Name: "Bộ phận Tiếp nhận và Trả kết quả", Parent: "so-y-te"},
	{ID: "syt-nghiep-vu-duoc", Name: "Phòng Nghiệp vụ Dược", Parent: "so-y-te"},
	{ID: "pbt-phvhcc", Name: "Trung tâm Phục vụ hành chính công phường Bắc Thành", Parent: "phuong-bac-thanh"},
	{ID: "bvdk-khoa-kham-benh", Name: "Khoa Khám bệnh", Parent: "bv-da-khoa-tinh"},
}

// The story's protagonists.
const (
	storyUnit      = "so-cong-thuong" // the department of SPEC "Why it exists"
	slowWebUnit    = "so-xay-dung"    // whose website is slow
	distantCounter = "sct-q2"         // where the staff member with a distant attitude sits
)

// procedure is an administrative procedure (thủ tục hành chính): its code
// in the national database's format, its name, its time limit in working
// days (0 = the same day) and how often it is asked for.
type procedure struct {
	code, name string
	days       int
	weight     float64
	kioskOnly  bool // a service, not a dossier with a receipt
}

// sectors lists the procedures per sector. The codes have the national
// format but are illustrative.
var sectors = []struct {
	key   string
	procs []procedure
}{
	{"cong-thuong", []procedure{
		{"2.000633", "Cấp Giấy phép kinh doanh bán lẻ rượu", 10, 18, false},
		{"2.000620", "Cấp Giấy phép bán buôn rượu trên địa bàn tỉnh", 15, 4, false},
		{"2.000591", "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", 20, 16, false},
		{"2.000181", "Cấp Giấy phép kinh doanh bán lẻ sản phẩm thuốc lá", 15, 8, false},
		{"2.001283", "Cấp Giấy chứng nhận đủ điều kiện cửa hàng bán lẻ xăng dầu", 15, 7, false},
		{"2.000287", "Cấp Giấy chứng nhận đủ điều kiện cửa hàng bán lẻ LPG chai", 15, 5, false},
		{"2.000002", "Đăng ký thực hiện khuyến mại", 5, 25, false},
		{"2.001619", "Cấp Giấy phép hoạt động điện lực", 15, 4, false},
		{"2.000190", "Cấp Giấy phép sản xuất rượu thủ công nhằm mục đích kinh doanh", 10, 5, false},
		{"2.001446", "Cấp Giấy chứng nhận huấn luyện kỹ thuật an toàn hóa chất", 10, 7, false},
	}},
	{"noi-vu", []procedure{
		{"2.000205", "Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam", 5, 30, false},
		{"1.000105", "Xác nhận người lao động nước ngoài không thuộc diện cấp giấy phép lao động", 3, 10, false},
		{"1.001612", "Đăng ký nội quy lao động của doanh nghiệp", 7, 10, false},
		{"2.000282", "Giải quyết chế độ trợ cấp một lần đối với người có công", 20, 8, false},
		{"1.003822", "Thành lập hội", 30, 2, false},
	}},
	{"tu-phap", []procedure{
		{"2.000505", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam", 10, 60, false},
		{"1.008727", "Đăng ký hành nghề luật sư với tư cách cá nhân", 7, 3, false},
		{"2.000815", "Thành lập Văn phòng công chứng", 20, 2, false},
		{"1.001071", "Đăng ký hoạt động của Văn phòng công chứng", 10, 2, false},
		{"2.002189", "Cấp Thẻ công chứng viên", 10, 3, false},
	}},
	{"tai-chinh", []procedure{
		{"2.001610", "Đăng ký thành lập doanh nghiệp tư nhân", 3, 10, false},
		{"2.002017", "Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên", 3, 25, false},
		{"2.001958", "Đăng ký thay đổi nội dung đăng ký doanh nghiệp", 3, 35, false},
		{"1.009645", "Cấp Giấy chứng nhận đăng ký đầu tư", 15, 4, false},
		{"2.001199", "Đăng ký tạm ngừng kinh doanh", 3, 10, false},
		{"2.001425", "Cấp mã số đơn vị có quan hệ với ngân sách", 2, 8, false},
	}},
	{"nong-nghiep-moi-truong", []procedure{
		{"1.004227", "Đăng ký đất đai, tài sản gắn liền với đất lần đầu", 20, 20, false},
		{"1.012756", "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", 10, 30, false},
		{"1.011517", "Cấp Giấy phép môi trường", 30, 5, false},
		{"1.004253", "Cấp giấy phép khai thác, sử dụng nước dưới đất", 30, 3, false},
		{"2.001823", "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm nông, lâm, thủy sản", 15, 10, false},
		{"1.003618", "Cấp Giấy chứng nhận kiểm dịch động vật vận chuyển ra khỏi địa bàn tỉnh", 3, 15, false},
	}},
	{"xay-dung", []procedure{
		{"1.009974", "Cấp giấy phép xây dựng mới đối với công trình cấp I, cấp II", 20, 12, false},
		{"1.009982", "Điều chỉnh giấy phép xây dựng", 20, 4, false},
		{"1.009986", "Cấp chứng chỉ hành nghề hoạt động xây dựng hạng II, hạng III", 20, 20, false},
		{"1.009994", "Thẩm định báo cáo nghiên cứu khả thi đầu tư xây dựng", 30, 5, false},
		{"1.002861", "Cấp phù hiệu xe ô tô kinh doanh vận tải", 2, 40, false},
		{"1.002820", "Cấp Giấy phép kinh doanh vận tải bằng xe ô tô", 5, 12, false},
		{"1.004990", "Cấp giấy phép lưu hành xe quá tải trọng, xe quá khổ giới hạn trên đường bộ", 2, 8, false},
	}},
	{"khoa-hoc-cong-nghe", []procedure{
		{"1.000501", "Cấp Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ", 15, 4, false},
		{"2.001499", "Cấp giấy phép tiến hành công việc bức xạ (thiết bị X-quang chẩn đoán trong y tế)", 20, 8, false},
		{"1.003553", "Cấp Giấy phép thiết lập trang thông tin điện tử tổng hợp", 10, 3, false},
		{"1.004430", "Cấp giấy phép bưu chính", 10, 2, false},
		{"2.002124", "Đăng ký kiểm tra nhà nước về chất lượng hàng hóa nhập khẩu", 1, 10, false},
	}},
	{"van-hoa-the-thao-du-lich", []procedure{
		{"1.004594", "Cấp Giấy phép kinh doanh dịch vụ lữ hành nội địa", 10, 10, false},
		{"1.001440", "Công nhận hạng cơ sở lưu trú du lịch", 30, 4, false},
		{"1.001029", "Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke", 5, 12, false},
		{"1.003656", "Cấp thẻ hướng dẫn viên du lịch", 10, 10, false},
		{"2.000846", "Cấp giấy phép tổ chức biểu diễn nghệ thuật", 5, 6, false},
	}},
	{"giao-duc-dao-tao", []procedure{
		{"2.000306", "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc", 1, 30, false},
		{"1.005092", "Công nhận văn bằng tốt nghiệp do cơ sở giáo dục nước ngoài cấp", 20, 4, false},
		{"1.006444", "Cho phép trung tâm ngoại ngữ, tin học hoạt động giáo dục", 20, 4, false},
		{"2.001914", "Chỉnh sửa nội dung văn bằng, chứng chỉ", 5, 8, false},
		{"1.001639", "Chuyển trường đối với học sinh trung học phổ thông", 3, 10, false},
	}},
	{"y-te", []procedure{
		{"1.003958", "Cấp giấy phép hành nghề khám bệnh, chữa bệnh", 20, 10, false},
		{"1.004616", "Cấp Chứng chỉ hành nghề dược", 20, 12, false},
		{"1.004604", "Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược", 20, 10, false},
		{"1.002149", "Cấp giấy phép hoạt động đối với phòng khám chuyên khoa", 30, 4, false},
		{"1.001004", "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm do Sở Y tế quản lý", 20, 6, false},
		{"1.003029", "Cấp giấy xác nhận nội dung quảng cáo thực phẩm", 10, 5, false},
	}},
	{"dan-toc-ton-giao", []procedure{
		{"1.001055", "Đăng ký sinh hoạt tôn giáo tập trung", 20, 3, false},
		{"1.001090", "Đề nghị tổ chức cuộc lễ ngoài cơ sở tôn giáo", 15, 3, false},
		{"2.000509", "Đăng ký người được bổ nhiệm, bầu cử, suy cử làm chức việc", 20, 2, false},
	}},
	{"ngoai-vu", []procedure{
		{"1.001810", "Cho phép tổ chức hội nghị, hội thảo quốc tế", 15, 5, false},
		{"2.000546", "Cho phép sử dụng thẻ đi lại của doanh nhân APEC (ABTC)", 10, 10, false},
	}},
	{"thanh-tra", []procedure{
		{"2.002418", "Tiếp công dân tại cấp tỉnh", 0, 10, true},
		{"2.002420", "Giải quyết khiếu nại lần đầu tại cấp tỉnh", 30, 4, false},
		{"2.002421", "Giải quyết tố cáo tại cấp tỉnh", 30, 2, false},
		{"2.002425", "Xử lý đơn kiến nghị, phản ánh", 10, 5, false},
	}},
	{"van-phong", []procedure{
		{"1.009498", "Tiếp nhận, xử lý phản ánh, kiến nghị về quy định hành chính", 10, 5, false},
		{"2.001270", "Cung cấp thông tin theo yêu cầu", 15, 5, false},
	}},
	{"xa", []procedure{
		{"1.001193", "Đăng ký khai sinh", 0, 20, false},
		{"1.000894", "Đăng ký kết hôn", 0, 6, false},
		{"1.000656", "Đăng ký khai tử", 0, 5, false},
		{"1.004884", "Cấp bản sao trích lục hộ tịch", 0, 8, false},
		{"1.004873", "Cấp Giấy xác nhận tình trạng hôn nhân", 3, 10, false},
		{"2.000908", "Chứng thực bản sao từ bản chính giấy tờ, văn bản", 0, 40, false},
		{"2.000884", "Chứng thực chữ ký trong các giấy tờ, văn bản", 0, 12, false},
		{"2.001035", "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất và nhà ở", 2, 10, false},
		{"2.000575", "Đăng ký thành lập hộ kinh doanh", 3, 8, false},
		{"1.001699", "Giải quyết trợ cấp xã hội hằng tháng đối với đối tượng bảo trợ xã hội", 10, 4, false},
		{"1.012789", "Cấp giấy phép xây dựng nhà ở riêng lẻ", 15, 6, false},
	}},
	{"benh-vien", []procedure{
		{"1.006987", "Khám bệnh, chữa bệnh bảo hiểm y tế", 0, 50, true},
		{"1.003151", "Khám sức khỏe và cấp giấy chứng nhận sức khỏe", 1, 30, false},
		{"1.002498", "Cấp bản tóm tắt hồ sơ bệnh án", 5, 10, false},
		{"1.002479", "Cấp giấy chứng sinh", 0, 10, false},
	}},
}

func sectorProcs(key string) []procedure {
	for _, s := range sectors {
		if s.key == key {
			return s.procs
		}
	}
	return nil
}
