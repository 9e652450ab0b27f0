//! Plausible Vietnamese names: the 63 provinces (before the 2025 mergers) with their regions, the
//! ethnic groups of each region, place names for districts, communes and villages, and people's
//! names in the naming customs of the main groups.

use rand::Rng;
use rand::rngs::StdRng;

use super::random::{pick, weighted};

/// A region: which minorities live there and how mountainous its districts are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Region {
    RedRiverDelta,
    NorthEast,
    NorthWest,
    NorthCentral,
    SouthCentralCoast,
    CentralHighlands,
    SouthEast,
    MekongDelta,
}

/// (name, region, centrally-run city). The provinces of the source articles come first, so the
/// small and province scales generate them.
#[rustfmt::skip]
pub(crate) const PROVINCES: [(&str, Region, bool); 63] = {
    use Region::*;
    [
        ("Quảng Nam", SouthCentralCoast, false), ("Điện Biên", NorthWest, false), ("Bắc Kạn", NorthEast, false),
        ("Hà Nội", RedRiverDelta, true), ("Hải Phòng", RedRiverDelta, true), ("Hải Dương", RedRiverDelta, false),
        ("Hưng Yên", RedRiverDelta, false), ("Bắc Ninh", RedRiverDelta, false), ("Vĩnh Phúc", RedRiverDelta, false),
        ("Hà Nam", RedRiverDelta, false), ("Nam Định", RedRiverDelta, false), ("Thái Bình", RedRiverDelta, false),
        ("Ninh Bình", RedRiverDelta, false), ("Hà Giang", NorthEast, false), ("Cao Bằng", NorthEast, false),
        ("Tuyên Quang", NorthEast, false), ("Lạng Sơn", NorthEast, false), ("Thái Nguyên", NorthEast, false),
        ("Phú Thọ", NorthEast, false), ("Bắc Giang", NorthEast, false), ("Quảng Ninh", NorthEast, false),
        ("Lào Cai", NorthEast, false), ("Yên Bái", NorthEast, false), ("Lai Châu", NorthWest, false),
        ("Sơn La", NorthWest, false), ("Hòa Bình", NorthWest, false), ("Thanh Hóa", NorthCentral, false),
        ("Nghệ An", NorthCentral, false), ("Hà Tĩnh", NorthCentral, false), ("Quảng Bình", NorthCentral, false),
        ("Quảng Trị", NorthCentral, false), ("Thừa Thiên Huế", NorthCentral, false),
        ("Đà Nẵng", SouthCentralCoast, true), ("Quảng Ngãi", SouthCentralCoast, false),
        ("Bình Định", SouthCentralCoast, false), ("Phú Yên", SouthCentralCoast, false),
        ("Khánh Hòa", SouthCentralCoast, false), ("Ninh Thuận", SouthCentralCoast, false),
        ("Bình Thuận", SouthCentralCoast, false), ("Kon Tum", CentralHighlands, false),
        ("Gia Lai", CentralHighlands, false), ("Đắk Lắk", CentralHighlands, false),
        ("Đắk Nông", CentralHighlands, false), ("Lâm Đồng", CentralHighlands, false),
        ("Hồ Chí Minh", SouthEast, true), ("Bình Phước", SouthEast, false), ("Tây Ninh", SouthEast, false),
        ("Bình Dương", SouthEast, false), ("Đồng Nai", SouthEast, false), ("Bà Rịa - Vũng Tàu", SouthEast, false),
        ("Cần Thơ", MekongDelta, true), ("Long An", MekongDelta, false), ("Tiền Giang", MekongDelta, false),
        ("Bến Tre", MekongDelta, false), ("Trà Vinh", MekongDelta, false), ("Vĩnh Long", MekongDelta, false),
        ("Đồng Tháp", MekongDelta, false), ("An Giang", MekongDelta, false), ("Kiên Giang", MekongDelta, false),
        ("Hậu Giang", MekongDelta, false), ("Sóc Trăng", MekongDelta, false), ("Bạc Liêu", MekongDelta, false),
        ("Cà Mau", MekongDelta, false),
    ]
};

impl Region {
    /// The share of the region's districts that are mountain districts, and the ethnic-minority
    /// share of the population drawn for a mountain and for a lowland district.
    pub(crate) fn mountains(self) -> (f64, (f64, f64), (f64, f64)) {
        use Region::*;
        match self {
            NorthWest => (0.9, (0.65, 0.97), (0.3, 0.6)),
            NorthEast => (0.85, (0.55, 0.95), (0.2, 0.5)),
            CentralHighlands => (0.6, (0.4, 0.8), (0.1, 0.3)),
            NorthCentral | SouthCentralCoast => (0.35, (0.5, 0.95), (0.01, 0.05)),
            SouthEast => (0.2, (0.2, 0.4), (0.02, 0.1)),
            MekongDelta => (0.3, (0.3, 0.6), (0.01, 0.06)),
            RedRiverDelta => (0.1, (0.3, 0.6), (0.005, 0.02)),
        }
    }

    /// The region's ethnic minorities, weighted (every name is one of `domain::ethnicity`'s 54).
    #[rustfmt::skip]
    pub(crate) fn minorities(self) -> &'static [(&'static str, u32)] {
        use Region::*;
        match self {
            NorthWest => &[("Thái", 35), ("Mông", 35), ("Dao", 6), ("Khơ Mú", 6), ("Hà Nhì", 4), ("Giáy", 2),
                ("Xinh Mun", 2), ("Kháng", 2), ("Lào", 2), ("Lự", 1), ("Cống", 1), ("Si La", 1), ("La Hủ", 1),
                ("Mảng", 1), ("Phù Lá", 1), ("La Ha", 1)],
            NorthEast => &[("Tày", 35), ("Nùng", 25), ("Dao", 15), ("Mông", 12), ("Sán Chay", 4), ("Sán Dìu", 3),
                ("Giáy", 2), ("Lô Lô", 1), ("Pà Thẻn", 1), ("Bố Y", 1), ("Cơ Lao", 1), ("Pu Péo", 1),
                ("La Chí", 1), ("Ngái", 1), ("Hoa", 1)],
            RedRiverDelta => &[("Mường", 60), ("Thái", 10), ("Tày", 10), ("Hoa", 10), ("Dao", 5), ("Sán Dìu", 5)],
            NorthCentral => &[("Thái", 40), ("Mường", 30), ("Khơ Mú", 10), ("Mông", 10), ("Thổ", 5), ("Chứt", 3),
                ("Bru-Vân Kiều", 2), ("Ơ Đu", 1)],
            SouthCentralCoast => &[("Cơ Tu", 20), ("Xơ Đăng", 15), ("Hrê", 15), ("Ba Na", 10), ("Ra Glai", 15),
                ("Chăm", 10), ("Co", 5), ("Giẻ-Triêng", 5), ("Tà Ôi", 5)],
            CentralHighlands => &[("Gia Rai", 25), ("Ê Đê", 20), ("Ba Na", 12), ("Xơ Đăng", 10), ("Mnông", 8),
                ("Cơ Ho", 10), ("Mạ", 3), ("Brâu", 1), ("Rơ Măm", 1), ("Tày", 5), ("Nùng", 5),
                ("Giẻ-Triêng", 2)],
            SouthEast => &[("Hoa", 35), ("Xtiêng", 20), ("Khmer", 15), ("Chơ Ro", 10), ("Mạ", 10), ("Chăm", 5),
                ("Chu Ru", 5)],
            MekongDelta => &[("Khmer", 70), ("Hoa", 20), ("Chăm", 10)],
        }
    }
}

#[rustfmt::skip]
const LOWLAND: &[&str] = &[
    "An", "Bình", "Phú", "Tân", "Hòa", "Thạnh", "Long", "Mỹ", "Đông", "Tây", "Nam", "Bắc", "Sơn", "Hải", "Thủy",
    "Quang", "Minh", "Thành", "Trung", "Lộc", "Phước", "Vĩnh", "Kim", "Hưng", "Xuân", "Yên", "Lạc", "Đức",
    "Thuận", "Hiệp", "Ninh", "Gia", "Cẩm", "Quế", "Thăng", "Điện", "Duy", "Hội", "Nghĩa", "Tiên", "Phong",
    "Thịnh", "Khánh", "Lợi", "Thái", "Hà", "Châu", "Định", "Tam", "Quý",
];

#[rustfmt::skip]
const MOUNTAIN: &[&str] = &[
    "Mường", "Tủa", "Chà", "Nậm", "Phìn", "Lũng", "Sìn", "Pa", "Na", "Hừa", "Ngài", "Xá", "Nhè", "Thàng", "Pác",
    "Bản", "Khun", "Sín", "Chải", "Mồ", "Lìn", "Hồ", "Trà", "Nú", "Lay", "Chăn", "Pồ", "Huổi", "Lếch", "Tà",
    "Phăng", "Xuân", "Quảng", "Lâm", "Ka", "Đăk", "Ea", "Krông", "Ia", "Bông",
];

/// A two-syllable place name, with the mountain syllables in a mountain district.
pub(crate) fn place(rng: &mut StdRng, mountain: bool) -> String {
    let syllables = if mountain && rng.random_bool(0.8) { MOUNTAIN } else { LOWLAND };
    let first = pick(rng, syllables);
    let mut second = pick(rng, syllables);
    while second == first {
        second = pick(rng, syllables);
    }
    format!("{first} {second}")
}

/// Naming customs: family name first in every style here.
#[derive(Debug, Clone, Copy)]
enum Style {
    Kinh,
    Muong,
    Hmong,
    Thai,
    TayNung,
    Highland,
    Khmer,
    Hoa,
}

fn style(ethnicity: &str) -> Style {
    match ethnicity {
        "Mường" => Style::Muong,
        "Mông" | "Dao" | "Hà Nhì" | "Lô Lô" | "Pà Thẻn" | "La Hủ" | "Phù Lá" => Style::Hmong,
        "Thái" | "Lào" | "Lự" | "Khơ Mú" | "Xinh Mun" | "Kháng" => Style::Thai,
        "Tày" | "Nùng" | "Sán Chay" | "Sán Dìu" | "Giáy" | "Bố Y" | "Cơ Lao" | "Pu Péo" => Style::TayNung,
        "Gia Rai" | "Ê Đê" | "Ba Na" | "Xơ Đăng" | "Mnông" | "Cơ Ho" | "Mạ" | "Brâu" | "Rơ Măm" | "Giẻ-Triêng"
        | "Cơ Tu" | "Hrê" | "Ra Glai" | "Co" | "Tà Ôi" | "Xtiêng" | "Chơ Ro" | "Chu Ru" | "Bru-Vân Kiều" => {
            Style::Highland
        }
        "Khmer" | "Chăm" => Style::Khmer,
        "Hoa" | "Ngái" => Style::Hoa,
        _ => Style::Kinh,
    }
}

#[rustfmt::skip]
const KINH_FAMILY: &[(&str, u32)] = &[
    ("Nguyễn", 31), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 4), ("Huỳnh", 3), ("Phan", 4), ("Vũ", 3),
    ("Võ", 3), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 2), ("Ngô", 1), ("Dương", 1), ("Lý", 1), ("Đinh", 2),
    ("Đào", 1), ("Trương", 1), ("Mai", 1), ("Lương", 1), ("Tô", 1), ("Cao", 1), ("Lâm", 1), ("Hà", 1), ("Tạ", 1),
];
#[rustfmt::skip]
const MALE_MIDDLE: &[&str] = &["Văn", "Văn", "Văn", "Đức", "Minh", "Hữu", "Quốc", "Công", "Thanh", "Ngọc", "Xuân", "Đình"];
#[rustfmt::skip]
const FEMALE_MIDDLE: &[&str] = &["Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Thúy", "Phương", "Hồng", "Kim", "Bích"];
#[rustfmt::skip]
const MALE_GIVEN: &[&str] = &[
    "Anh", "Bảo", "Bình", "Cường", "Dũng", "Đạt", "Đức", "Dương", "Hải", "Hiếu", "Hoàng", "Hùng", "Huy", "Khánh",
    "Khoa", "Long", "Lâm", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Quang", "Sơn", "Tài", "Tâm", "Thắng",
    "Thành", "Thịnh", "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Vũ", "Lượng", "Thơ", "Nhơn", "Tám", "Phú", "Lộc",
];
#[rustfmt::skip]
const FEMALE_GIVEN: &[&str] = &[
    "An", "Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hồng", "Hương", "Huyền", "Lan",
    "Liên", "Linh", "Loan", "Mai", "Ngọc", "Nhung", "Oanh", "Phương", "Quỳnh", "Thảo", "Thu", "Thủy", "Trang",
    "Trinh", "Uyên", "Vân", "Yến", "Thanh", "Nga", "Tuyết",
];

/// A full name in the customs of `ethnicity`'s group.
pub(crate) fn person(rng: &mut StdRng, ethnicity: &str, female: bool) -> String {
    let (family, middle, given): (&str, &str, &str) = match style(ethnicity) {
        Style::Kinh | Style::Hoa | Style::TayNung | Style::Muong => {
            let family = match style(ethnicity) {
                Style::Muong => pick(rng, &["Đinh", "Bùi", "Quách", "Hà", "Xa", "Cao", "Bạch"]),
                Style::TayNung => pick(
                    rng,
                    &["Hoàng", "Nông", "Lương", "Bế", "Ma", "Hà", "Triệu", "Lục", "Đàm", "Lăng", "Chu", "Hứa", "Vi"],
                ),
                Style::Hoa => pick(rng, &["Lý", "Trương", "Hứa", "Lâm", "Quách", "Tăng", "Dương", "Mạc", "Diệp"]),
                _ => weighted(rng, KINH_FAMILY),
            };
            let (middles, givens) = if female { (FEMALE_MIDDLE, FEMALE_GIVEN) } else { (MALE_MIDDLE, MALE_GIVEN) };
            (family, pick(rng, middles), pick(rng, givens))
        }
        Style::Hmong => {
            let family =
                pick(rng, &["Giàng", "Sùng", "Vàng", "Thào", "Lầu", "Hờ", "Mùa", "Lý", "Chảo", "Cứ", "Hạng", "Tráng"]);
            let given = if female {
                pick(rng, &["Mai", "Dợ", "Chi", "Sua", "Mỷ", "Pằng", "Súa", "Máy", "Dua", "Xúa", "Ly", "Say"])
            } else {
                pick(rng, &["Páo", "Dình", "Chứ", "Sử", "Lử", "Pó", "Chống", "Sình", "Tủa", "Dế", "Nủ", "Lềnh"])
            };
            (family, if female { "Thị" } else { "A" }, given)
        }
        Style::Thai => {
            let family = pick(rng, &["Lò", "Lường", "Quàng", "Cà", "Tòng", "Điêu", "Vì", "Cầm", "Lù", "Hoàng"]);
            let given = if female {
                pick(rng, &["Ín", "Ỏn", "Ánh", "Ngọc", "Xuân", "Thoan", "Hoa", "Ngần", "Lả", "Ban", "Hương"])
            } else {
                pick(rng, &["Pằn", "Ún", "Xuân", "Hặc", "Ình", "Phong", "Duẩn", "Tiến", "Khăm", "Chiến", "Bun"])
            };
            (family, if female { "Thị" } else { "Văn" }, given)
        }
        Style::Highland => {
            let family = pick(rng, &["Ksor", "Siu", "Rơ Châm", "Rah Lan", "Nay", "Kpă", "Niê", "Byă", "Hồ", "A Lăng"]);
            let given = if female {
                pick(rng, &["H'Yến", "H'Ngơn", "Puih", "Bluih", "H'Mai", "Nhi", "Thị Thanh", "Thị Hiền"])
            } else {
                pick(rng, &["Blơng", "Thuih", "Khiêm", "Nhuin", "Kim", "Dút", "Hyơn", "Văn Lượng", "Văn Thơ"])
            };
            (family, "", given)
        }
        Style::Khmer => {
            let family = pick(rng, &["Thạch", "Sơn", "Danh", "Kim", "Lâm", "Chau", "Kiên", "Tăng"]);
            let given = if female {
                pick(rng, &["Thị Sa", "Thị Phol", "Thị Mỹ", "Thị Sóc", "Thị Ren", "Thị Sà Rết"])
            } else {
                pick(rng, &["Sóc", "Phanh", "Chanh", "Thươl", "Rươne", "Sa Rươne", "Ngọc Tha", "Văn Đen"])
            };
            (family, "", given)
        }
    };
    if middle.is_empty() { format!("{family} {given}") } else { format!("{family} {middle} {given}") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ethnicity::canonical;

    #[test]
    fn every_minority_is_a_recognised_group_and_all_54_appear() {
        let mut seen = std::collections::BTreeSet::from(["Kinh"]);
        for (_, region, _) in PROVINCES {
            for (group, _) in region.minorities() {
                assert_eq!(canonical(group), Some(*group), "{group}");
                seen.insert(*group);
            }
        }
        assert_eq!(seen.len(), 54);
    }
}
