using System.Collections.Frozen;

namespace VaxCert.Core.Identity;

/// <summary>A province-level unit and its 3-digit code in the CCCD number (place of birth registration).</summary>
/// <param name="Code">"001" ... "096".</param>
/// <param name="NameVi">Vietnamese name.</param>
/// <param name="NameEn">Name without diacritics, for English text.</param>
public sealed record Province(string Code, string NameVi, string NameEn);

/// <summary>
/// The 63 province codes of Appendix 1 to Circular 07/2016/TT-BCA (kept by Circular 59/2021/TT-BCA). Codes are stable:
/// cards issued before the 2025 province mergers keep them, so this list stays the one to validate against.
/// </summary>
public static class Provinces
{
    /// <summary>All 63, by code.</summary>
    public static IReadOnlyDictionary<string, Province> ByCode { get; } = new Province[]
    {
        new("001", "Hà Nội", "Ha Noi"), new("002", "Hà Giang", "Ha Giang"), new("004", "Cao Bằng", "Cao Bang"),
        new("006", "Bắc Kạn", "Bac Kan"), new("008", "Tuyên Quang", "Tuyen Quang"), new("010", "Lào Cai", "Lao Cai"),
        new("011", "Điện Biên", "Dien Bien"), new("012", "Lai Châu", "Lai Chau"), new("014", "Sơn La", "Son La"),
        new("015", "Yên Bái", "Yen Bai"), new("017", "Hòa Bình", "Hoa Binh"), new("019", "Thái Nguyên", "Thai Nguyen"),
        new("020", "Lạng Sơn", "Lang Son"), new("022", "Quảng Ninh", "Quang Ninh"), new("024", "Bắc Giang", "Bac Giang"),
        new("025", "Phú Thọ", "Phu Tho"), new("026", "Vĩnh Phúc", "Vinh Phuc"), new("027", "Bắc Ninh", "Bac Ninh"),
        new("030", "Hải Dương", "Hai Duong"), new("031", "Hải Phòng", "Hai Phong"), new("033", "Hưng Yên", "Hung Yen"),
        new("034", "Thái Bình", "Thai Binh"), new("035", "Hà Nam", "Ha Nam"), new("036", "Nam Định", "Nam Dinh"),
        new("037", "Ninh Bình", "Ninh Binh"), new("038", "Thanh Hóa", "Thanh Hoa"), new("040", "Nghệ An", "Nghe An"),
        new("042", "Hà Tĩnh", "Ha Tinh"), new("044", "Quảng Bình", "Quang Binh"), new("045", "Quảng Trị", "Quang Tri"),
        new("046", "Thừa Thiên Huế", "Thua Thien Hue"), new("048", "Đà Nẵng", "Da Nang"), new("049", "Quảng Nam", "Quang Nam"),
        new("051", "Quảng Ngãi", "Quang Ngai"), new("052", "Bình Định", "Binh Dinh"), new("054", "Phú Yên", "Phu Yen"),
        new("056", "Khánh Hòa", "Khanh Hoa"), new("058", "Ninh Thuận", "Ninh Thuan"), new("060", "Bình Thuận", "Binh Thuan"),
        new("062", "Kon Tum", "Kon Tum"), new("064", "Gia Lai", "Gia Lai"), new("066", "Đắk Lắk", "Dak Lak"),
        new("067", "Đắk Nông", "Dak Nong"), new("068", "Lâm Đồng", "Lam Dong"), new("070", "Bình Phước", "Binh Phuoc"),
        new("072", "Tây Ninh", "Tay Ninh"), new("074", "Bình Dương", "Binh Duong"), new("075", "Đồng Nai", "Dong Nai"),
        new("077", "Bà Rịa - Vũng Tàu", "Ba Ria - Vung Tau"), new("079", "Hồ Chí Minh", "Ho Chi Minh City"),
        new("080", "Long An", "Long An"), new("082", "Tiền Giang", "Tien Giang"), new("083", "Bến Tre", "Ben Tre"),
        new("084", "Trà Vinh", "Tra Vinh"), new("086", "Vĩnh Long", "Vinh Long"), new("087", "Đồng Tháp", "Dong Thap"),
        new("089", "An Giang", "An Giang"), new("091", "Kiên Giang", "Kien Giang"), new("092", "Cần Thơ", "Can Tho"),
        new("093", "Hậu Giang", "Hau Giang"), new("094", "Sóc Trăng", "Soc Trang"), new("095", "Bạc Liêu", "Bac Lieu"),
        new("096", "Cà Mau", "Ca Mau"),
    }.ToFrozenDictionary(p => p.Code, StringComparer.Ordinal);
}
