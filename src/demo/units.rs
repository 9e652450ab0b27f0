//! The demo tree: the units the source articles are about, one a row in the shape of an
//! `import-units` file, and the codes the demo's figures are told by.

use crate::domain::tree::RECORDS_BEGIN;
use crate::entity::unit::{UnitKind as K, UnitLevel as L};
use crate::import::units::UnitRow;

/// Đảng bộ tỉnh Quảng Nam — 1,731 admissions in 2021 against a resolution target of 1,500.
pub const QUANG_NAM: &str = "QNM";
/// Đảng bộ huyện Núi Thành — the 2017–2021 cohort of 819; 112 admitted in 2021 against 90.
pub const NUI_THANH: &str = "QNM.NTH";
/// Đảng bộ thị xã Điện Bàn — target 100 in 2021, attainment 105 %.
pub const DIEN_BAN: &str = "QNM.DBA";
/// Đảng bộ xã Trà Nú (Bắc Trà My) — 6 cells; 8 admitted in 2021 against a target of 4.
pub const TRA_NU: &str = "QNM.BTM.TRANU";
/// Đảng bộ xã Điện Hòa (Điện Bàn) — the demo's one unit without a target.
pub const DIEN_HOA: &str = "QNM.DBA.DIENHOA";
/// Đảng bộ tỉnh Điện Biên.
pub const DIEN_BIEN: &str = "DBN";
/// Đảng bộ tỉnh Bắc Kạn.
pub const BAC_KAN: &str = "BKN";
/// Đảng bộ xã Nghĩa Tá — a commune placed directly under its province, as since the 2025 reform.
pub const NGHIA_TA: &str = "BKN.NGHIATA";

/// (code, name, level, kind, parent code): one unit a row, as in an `import-units` file.
type Row = (&'static str, &'static str, L, K, Option<&'static str>);

pub(super) const TREE: &[Row] = &[
    (QUANG_NAM, "Đảng bộ tỉnh Quảng Nam", L::Province, K::Province, None),
    (NUI_THANH, "Đảng bộ huyện Núi Thành", L::District, K::RuralDistrict, Some(QUANG_NAM)),
    ("QNM.NTH.TAMNGHIA", "Đảng bộ xã Tam Nghĩa", L::Commune, K::Commune, Some(NUI_THANH)),
    ("QNM.NTH.TAMNGHIA.C01", "Chi bộ thôn Đông Yên", L::Cell, K::Village, Some("QNM.NTH.TAMNGHIA")),
    ("QNM.NTH.TAMNGHIA.C02", "Chi bộ thôn Tây Yên", L::Cell, K::Village, Some("QNM.NTH.TAMNGHIA")),
    ("QNM.NTH.TAMNGHIA.C03", "Chi bộ Trạm Y tế xã Tam Nghĩa", L::Cell, K::HealthStation, Some("QNM.NTH.TAMNGHIA")),
    ("QNM.NTH.NUITHANH", "Đảng bộ thị trấn Núi Thành", L::Commune, K::Township, Some(NUI_THANH)),
    ("QNM.NTH.NUITHANH.C01", "Chi bộ khối phố 1", L::Cell, K::Village, Some("QNM.NTH.NUITHANH")),
    ("QNM.NTH.NUITHANH.C02", "Chi bộ khối phố 2", L::Cell, K::Village, Some("QNM.NTH.NUITHANH")),
    ("QNM.NTH.NUITHANH.C03", "Chi bộ Công an thị trấn Núi Thành", L::Cell, K::Police, Some("QNM.NTH.NUITHANH")),
    (DIEN_BAN, "Đảng bộ thị xã Điện Bàn", L::District, K::Town, Some(QUANG_NAM)),
    ("QNM.DBA.DIENNGOC", "Đảng bộ phường Điện Ngọc", L::Commune, K::Ward, Some(DIEN_BAN)),
    ("QNM.DBA.DIENNGOC.C01", "Chi bộ khối phố Ngân Câu", L::Cell, K::Village, Some("QNM.DBA.DIENNGOC")),
    ("QNM.DBA.DIENNGOC.C02", "Chi bộ khối phố Tân Khai", L::Cell, K::Village, Some("QNM.DBA.DIENNGOC")),
    (DIEN_HOA, "Đảng bộ xã Điện Hòa", L::Commune, K::Commune, Some(DIEN_BAN)),
    ("QNM.DBA.DIENHOA.C01", "Chi bộ thôn Bồ Mưng", L::Cell, K::Village, Some(DIEN_HOA)),
    ("QNM.DBA.DIENHOA.C02", "Chi bộ thôn La Thọ", L::Cell, K::Village, Some(DIEN_HOA)),
    ("QNM.DBA.DIENHOA.C03", "Chi bộ Trường Tiểu học Điện Hòa", L::Cell, K::School, Some(DIEN_HOA)),
    ("QNM.BTM", "Đảng bộ huyện Bắc Trà My", L::District, K::RuralDistrict, Some(QUANG_NAM)),
    (TRA_NU, "Đảng bộ xã Trà Nú", L::Commune, K::Commune, Some("QNM.BTM")),
    ("QNM.BTM.TRANU.C01", "Chi bộ thôn 1", L::Cell, K::Village, Some(TRA_NU)),
    ("QNM.BTM.TRANU.C02", "Chi bộ thôn 2", L::Cell, K::Village, Some(TRA_NU)),
    ("QNM.BTM.TRANU.C03", "Chi bộ thôn 3", L::Cell, K::Village, Some(TRA_NU)),
    ("QNM.BTM.TRANU.C04", "Chi bộ thôn 4", L::Cell, K::Village, Some(TRA_NU)),
    ("QNM.BTM.TRANU.C05", "Chi bộ thôn 5", L::Cell, K::Village, Some(TRA_NU)),
    ("QNM.BTM.TRANU.C06", "Chi bộ Trường PTDTBT TH Trà Nú", L::Cell, K::School, Some(TRA_NU)),
    (DIEN_BIEN, "Đảng bộ tỉnh Điện Biên", L::Province, K::Province, None),
    ("DBN.TCH", "Đảng bộ huyện Tủa Chùa", L::District, K::RuralDistrict, Some(DIEN_BIEN)),
    ("DBN.TCH.XANHE", "Đảng bộ xã Xá Nhè", L::Commune, K::Commune, Some("DBN.TCH")),
    ("DBN.TCH.XANHE.C01", "Chi bộ bản San Súi", L::Cell, K::Village, Some("DBN.TCH.XANHE")),
    ("DBN.TCH.XANHE.C02", "Chi bộ bản Xá Nhè", L::Cell, K::Village, Some("DBN.TCH.XANHE")),
    ("DBN.TCH.TUATHANG", "Đảng bộ xã Tủa Thàng", L::Commune, K::Commune, Some("DBN.TCH")),
    ("DBN.TCH.TUATHANG.C01", "Chi bộ Trường PTDTBT THCS Tủa Thàng", L::Cell, K::School, Some("DBN.TCH.TUATHANG")),
    ("DBN.TCH.TUATHANG.C02", "Chi bộ bản Tủa Thàng", L::Cell, K::Village, Some("DBN.TCH.TUATHANG")),
    ("DBN.MCH", "Đảng bộ huyện Mường Chà", L::District, K::RuralDistrict, Some(DIEN_BIEN)),
    ("DBN.MCH.HUANGAI", "Đảng bộ xã Hừa Ngài", L::Commune, K::Commune, Some("DBN.MCH")),
    ("DBN.MCH.HUANGAI.C01", "Chi bộ bản Hừa Ngài", L::Cell, K::Village, Some("DBN.MCH.HUANGAI")),
    ("DBN.MCH.HUANGAI.C02", "Chi bộ Trạm Y tế xã Hừa Ngài", L::Cell, K::HealthStation, Some("DBN.MCH.HUANGAI")),
    (BAC_KAN, "Đảng bộ tỉnh Bắc Kạn", L::Province, K::Province, None),
    ("BKN.CDO", "Đảng bộ huyện Chợ Đồn", L::District, K::RuralDistrict, Some(BAC_KAN)),
    ("BKN.CDO.BANGLUNG", "Đảng bộ thị trấn Bằng Lũng", L::Commune, K::Township, Some("BKN.CDO")),
    ("BKN.CDO.BANGLUNG.C01", "Chi bộ trường Mầm non thị trấn Bằng Lũng", L::Cell, K::School, Some("BKN.CDO.BANGLUNG")),
    ("BKN.CDO.BANGLUNG.C02", "Chi bộ tổ dân phố 1", L::Cell, K::Village, Some("BKN.CDO.BANGLUNG")),
    ("BKN.CDO.BANGLUNG.C03", "Chi bộ Công an thị trấn Bằng Lũng", L::Cell, K::Police, Some("BKN.CDO.BANGLUNG")),
    (NGHIA_TA, "Đảng bộ xã Nghĩa Tá", L::Commune, K::Commune, Some(BAC_KAN)),
    ("BKN.NGHIATA.C01", "Chi bộ thôn Nà Pài", L::Cell, K::Village, Some(NGHIA_TA)),
    ("BKN.NGHIATA.C02", "Chi bộ thôn Bản Cậu", L::Cell, K::Village, Some(NGHIA_TA)),
];

/// The demo tree as import rows, numbered like the lines of a file after its header.
pub fn tree_rows() -> Vec<UnitRow> {
    (2..)
        .zip(TREE)
        .map(|(line, &(code, name, level, kind, parent))| UnitRow {
            line,
            code: code.to_owned(),
            name: name.to_owned(),
            level,
            kind,
            parent_code: parent.map(str::to_owned),
            established_on: RECORDS_BEGIN,
        })
        .collect()
}
