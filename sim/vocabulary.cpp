#include "sim/vocabulary.hpp"

#include <array>

namespace psd::sim {
namespace {

using namespace std::string_view_literals;

constexpr std::array kXayDung{
    "Cấp giấy phép xây dựng đối với công trình cấp III"sv,
    "Cấp giấy phép xây dựng sửa chữa, cải tạo công trình"sv,
    "Điều chỉnh giấy phép xây dựng"sv,
    "Cấp chứng chỉ hành nghề hoạt động xây dựng hạng II"sv,
    "Thẩm định báo cáo nghiên cứu khả thi đầu tư xây dựng"sv,
};
constexpr std::array kTuPhap{
    "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam"sv,
    "Đăng ký hoạt động của Văn phòng công chứng"sv,
    "Cấp bản sao trích lục hộ tịch"sv,
    "Thay đổi, cải chính, bổ sung thông tin hộ tịch có yếu tố nước ngoài"sv,
    "Đăng ký hành nghề luật sư với tư cách cá nhân"sv,
};
constexpr std::array kYTe{
    "Cấp giấy phép hoạt động đối với phòng khám đa khoa"sv,
    "Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh"sv,
    "Cấp giấy chứng nhận đủ điều kiện kinh doanh dược"sv,
    "Công bố cơ sở đủ điều kiện sản xuất trang thiết bị y tế"sv,
};
constexpr std::array kGiaoDuc{
    "Cấp phép hoạt động giáo dục kỹ năng sống"sv, "Công nhận trường trung học đạt chuẩn quốc gia"sv,
    "Chỉnh sửa nội dung văn bằng, chứng chỉ"sv,   "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc"sv,
    "Thành lập trung tâm ngoại ngữ, tin học"sv,
};
constexpr std::array kTaiNguyen{
    "Cấp giấy phép khai thác, sử dụng nước mặt"sv,
    "Thẩm định báo cáo đánh giá tác động môi trường"sv,
    "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất"sv,
    "Cấp giấy phép môi trường"sv,
};
constexpr std::array kKeHoach{
    "Đăng ký thành lập doanh nghiệp tư nhân"sv,
    "Đăng ký thay đổi nội dung đăng ký doanh nghiệp"sv,
    "Quyết định chủ trương đầu tư của UBND cấp tỉnh"sv,
    "Cấp giấy chứng nhận đăng ký đầu tư"sv,
};
constexpr std::array kLaoDong{
    "Cấp giấy phép lao động cho người lao động nước ngoài"sv,
    "Giải quyết hưởng trợ cấp thất nghiệp"sv,
    "Cấp giấy phép hoạt động dịch vụ việc làm"sv,
    "Xác nhận người có công với cách mạng"sv,
};
constexpr std::array kGiaoThong{
    "Cấp đổi giấy phép lái xe do ngành Giao thông vận tải cấp"sv,
    "Cấp giấy phép kinh doanh vận tải bằng xe ô tô"sv,
    "Cấp phù hiệu xe taxi, xe hợp đồng"sv,
    "Cấp giấy phép thi công công trình trên đường bộ đang khai thác"sv,
};
constexpr std::array kCongThuong{
    "Cấp giấy phép kinh doanh bán lẻ sản phẩm rượu"sv,
    "Cấp giấy chứng nhận đủ điều kiện cửa hàng bán lẻ xăng dầu"sv,
    "Đăng ký thực hiện khuyến mại"sv,
    "Cấp Giấy phép sử dụng vật liệu nổ công nghiệp"sv,
};
constexpr std::array kNongNghiep{
    "Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm nông lâm thủy sản"sv,
    "Cấp giấy phép khai thác thủy sản"sv,
    "Cấp giấy chứng nhận kiểm dịch động vật vận chuyển ra khỏi tỉnh"sv,
    "Phê duyệt phương án trồng rừng thay thế"sv,
};
constexpr std::array kVanHoa{
    "Cấp giấy phép tổ chức lễ hội"sv,
    "Cấp giấy phép kinh doanh dịch vụ karaoke"sv,
    "Công nhận điểm du lịch"sv,
    "Cấp giấy phép phổ biến phim \"phát hành trên không gian mạng\""sv,
};
constexpr std::array kThongTin{
    "Cấp giấy phép xuất bản bản tin"sv,
    "Cấp giấy phép hoạt động in / chế bản"sv,
    "Cấp giấy phép thiết lập trang thông tin điện tử tổng hợp"sv,
};
constexpr std::array kTaiChinh{
    "Thẩm định quyết toán dự án hoàn thành"sv,
    "Cấp mã số đơn vị có quan hệ với ngân sách"sv,
    "Xác định giá đất cụ thể"sv,
};
constexpr std::array kNoiVu{
    "Thẩm định thành lập hội cấp tỉnh"sv,
    "Công nhận ban vận động thành lập hội"sv,
    "Đề nghị khen thưởng \"Lao động tiên tiến\""sv,
};
constexpr std::array kKhoaHoc{
    "Cấp giấy phép tiến hành công việc bức xạ"sv,
    "Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ"sv,
    "Cấp giấy chứng nhận doanh nghiệp khoa học và công nghệ"sv,
};
constexpr std::array kHuyen{
    "Đăng ký hộ kinh doanh"sv,
    "Cấp giấy phép xây dựng nhà ở riêng lẻ"sv,
    "Đăng ký kết hôn có yếu tố nước ngoài"sv,
    "Cấp giấy chứng nhận quyền sử dụng đất lần đầu"sv,
    "Thành lập trường mầm non công lập"sv,
    "Chứng thực bản sao từ bản chính giấy tờ do cơ quan nước ngoài cấp"sv,
};
constexpr std::array kXa{
    "Đăng ký khai sinh"sv,
    "Đăng ký khai tử"sv,
    "Đăng ký kết hôn"sv,
    "Đăng ký thường trú"sv,
    "Chứng thực chữ ký trong các giấy tờ, văn bản"sv,
    "Xác nhận tình trạng hôn nhân"sv,
    "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội"sv,
};

constexpr std::array kAgencies{
    AgencyTemplate{"15", "Sở Xây dựng", "province", "Xây dựng", kXayDung},
    AgencyTemplate{"14", "Sở Tư pháp", "province", "Tư pháp", kTuPhap},
    AgencyTemplate{"19", "Sở Y tế", "province", "Y tế", kYTe},
    AgencyTemplate{"08", "Sở Giáo dục và Đào tạo", "province", "Giáo dục và Đào tạo", kGiaoDuc},
    AgencyTemplate{"17", "Sở Tài nguyên và Môi trường", "province", "Tài nguyên và Môi trường",
                   kTaiNguyen},
    AgencyTemplate{"11", "Sở Kế hoạch và Đầu tư", "province", "Đầu tư", kKeHoach},
    AgencyTemplate{"12", "Sở Lao động - Thương binh và Xã hội", "province",
                   "Lao động, Người có công và Xã hội", kLaoDong},
    AgencyTemplate{"10", "Sở Giao thông vận tải", "province", "Giao thông vận tải", kGiaoThong},
    AgencyTemplate{"06", "Sở Công Thương", "province", "Công Thương", kCongThuong},
    AgencyTemplate{"13", "Sở Nông nghiệp và Phát triển nông thôn", "province", "Nông nghiệp",
                   kNongNghiep},
    AgencyTemplate{"18", "Sở Văn hóa, Thể thao và Du lịch", "province", "Văn hóa", kVanHoa},
    AgencyTemplate{"16", "Sở Thông tin và Truyền thông", "province", "Thông tin và Truyền thông",
                   kThongTin},
    AgencyTemplate{"09", "Sở Tài chính", "province", "Tài chính", kTaiChinh},
    AgencyTemplate{"07", "Sở Nội vụ", "province", "Nội vụ", kNoiVu},
    AgencyTemplate{"05", "Sở Khoa học và Công nghệ", "province", "Khoa học và Công nghệ", kKhoaHoc},
    AgencyTemplate{"41", "UBND thành phố Quảng Ngãi", "district", "", kHuyen},
    AgencyTemplate{"42", "UBND huyện Bình Sơn", "district", "", kHuyen},
    AgencyTemplate{"43", "UBND huyện Sơn Tịnh", "district", "", kHuyen},
    AgencyTemplate{"44", "UBND thị xã Đức Phổ", "district", "", kHuyen},
    AgencyTemplate{"60", "UBND xã, phường, thị trấn", "commune", "Hộ tịch", kXa},
};

}  // namespace

std::span<const AgencyTemplate> agency_templates() { return kAgencies; }

}  // namespace psd::sim
