//! The 54 ethnic groups of Vietnam (danh mục các dân tộc Việt Nam). People are recorded with the
//! canonical spelling so that reports can group by ethnicity and separate the Kinh majority from
//! ethnic minorities, as the articles do.

use super::text::fold;

/// The majority group; every other group is an ethnic minority.
pub const KINH: &str = "Kinh";

/// The groups, in the order of the official list.
#[rustfmt::skip]
pub const ETHNIC_GROUPS: [&str; 54] = [
    "Kinh", "Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "Mông", "Dao", "Gia Rai", "Ê Đê", "Ba Na", "Sán Chay",
    "Chăm", "Cơ Ho", "Xơ Đăng", "Sán Dìu", "Hrê", "Ra Glai", "Mnông", "Thổ", "Xtiêng", "Khơ Mú", "Bru-Vân Kiều",
    "Cơ Tu", "Giáy", "Tà Ôi", "Mạ", "Giẻ-Triêng", "Co", "Chơ Ro", "Xinh Mun", "Hà Nhì", "Chu Ru", "Lào", "Kháng",
    "La Chí", "Phù Lá", "La Hủ", "La Ha", "Pà Thẻn", "Lự", "Ngái", "Chứt", "Lô Lô", "Mảng", "Cơ Lao", "Bố Y", "Cống",
    "Si La", "Pu Péo", "Rơ Măm", "Brâu", "Ơ Đu",
];

/// Other spellings in common use, folded, with the group they name.
const ALIASES: [(&str, &str); 6] = [
    ("h'mong", "Mông"),
    ("hmong", "Mông"),
    ("ede", "Ê Đê"),
    ("jrai", "Gia Rai"),
    ("stieng", "Xtiêng"),
    ("van kieu", "Bru-Vân Kiều"),
];

/// The canonical name of the group `name` refers to, ignoring case, diacritics, spaces and hyphens.
pub fn canonical(name: &str) -> Option<&'static str> {
    let key = squash(&fold(name));
    ETHNIC_GROUPS
        .iter()
        .copied()
        .find(|group| squash(&fold(group)) == key)
        .or_else(|| ALIASES.iter().find(|(alias, _)| squash(alias) == key).map(|(_, group)| *group))
}

fn squash(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_groups_however_they_are_written() {
        assert_eq!(canonical("kinh"), Some("Kinh"));
        assert_eq!(canonical("H'Mông"), Some("Mông"));
        assert_eq!(canonical("ê-đê"), Some("Ê Đê"));
        assert_eq!(canonical("khơ mú"), Some("Khơ Mú"));
        assert_eq!(canonical("Martian"), None);
        assert_eq!(ETHNIC_GROUPS.len(), 54);
    }
}
