//! The `--demo` database: on first start, a realistic tree of the units the source articles are
//! about (Quảng Nam, Điện Biên, Bắc Kạn) and people at every stage of the pipeline in a few of its
//! cells, so that a new reader can explore the API at once.
//!
//! The tree is a table in the shape of an `import-units` file and goes through the importer's
//! checks and its parents-first creation. Every unit is established on `tree::RECORDS_BEGIN`, so
//! that historic facts (the 2017–2021 figures of the articles) can be recorded in it. The pipeline
//! (`cast`: who, `pipeline`: how) goes through the pipeline's own workflows; `targets` then sets
//! assigned and resolution targets from the admissions the pipeline recorded.

mod cast;
mod pipeline;
mod targets;

use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait};

use crate::calendar::today_in_vietnam;
use crate::db::begin_write;
use crate::domain::audit::Actor;
use crate::domain::tree::RECORDS_BEGIN;
use crate::entity::unit::{self, UnitKind as K, UnitLevel as L};
use crate::error::{AppError, AppResult};
use crate::import::ImportError;
use crate::import::units::{UnitRow, create_units};

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

const TREE: &[Row] = &[
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

/// Fills an empty database with the demo data in one transaction and says whether it did; a
/// database that has any unit is left alone.
pub async fn seed(db: &DatabaseConnection) -> AppResult<bool> {
    let txn = begin_write(db).await?;
    if unit::Entity::find().one(&txn).await?.is_some() {
        return Ok(false);
    }
    let actor = Actor::system("demo");
    seed_tree(&txn, &actor).await?;
    pipeline::seed_pipeline(&txn, &actor).await?;
    targets::seed_targets(&txn, &actor, today_in_vietnam()).await?;
    txn.commit().await?;
    Ok(true)
}

/// Creates the demo tree.
async fn seed_tree<C: ConnectionTrait>(db: &C, actor: &Actor) -> AppResult<()> {
    match create_units(db, actor, tree_rows()).await {
        Ok(_) => Ok(()),
        Err(ImportError::Failed(err)) => Err(err),
        Err(ImportError::Invalid(lines)) => {
            let lines: Vec<String> = lines.iter().map(ToString::to_string).collect();
            Err(AppError::internal(format!("the demo tree is invalid: {}", lines.join("; "))))
        }
    }
}

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

#[cfg(test)]
mod tests {
    use sea_orm::{ColumnTrait, QueryFilter};

    use super::*;
    use crate::domain::tree;

    async fn fresh_database() -> AppResult<DatabaseConnection> {
        let db = crate::db::connect("sqlite::memory:", 1).await?;
        crate::db::migrate(&db).await?;
        Ok(db)
    }

    #[tokio::test]
    async fn seeds_an_empty_database_once() -> AppResult<()> {
        let db = fresh_database().await?;
        assert!(seed(&db).await?);
        assert_eq!(unit::Entity::find().all(&db).await?.len(), TREE.len());
        assert!(!seed(&db).await?);
        assert_eq!(unit::Entity::find().all(&db).await?.len(), TREE.len());

        let tra_nu = tree::get_by_code(&db, TRA_NU).await?;
        let cells = unit::Entity::find().filter(unit::Column::ParentId.eq(tra_nu.id)).all(&db).await?;
        assert_eq!(cells.len(), 6);
        assert!(cells.iter().all(|cell| cell.level == L::Cell && cell.established_on == RECORDS_BEGIN));

        let nghia_ta = tree::get_by_code(&db, NGHIA_TA).await?;
        let above: Vec<String> =
            tree::ancestors(&db, nghia_ta.id, RECORDS_BEGIN).await?.into_iter().map(|u| u.code).collect();
        assert_eq!(above, vec![BAC_KAN]);
        let san_sui = tree::get_by_code(&db, "DBN.TCH.XANHE.C01").await?;
        let above: Vec<String> =
            tree::ancestors(&db, san_sui.id, RECORDS_BEGIN).await?.into_iter().map(|u| u.code).collect();
        assert_eq!(above, vec![DIEN_BIEN, "DBN.TCH", "DBN.TCH.XANHE"]);
        Ok(())
    }

    /// How many rows of `E` have each value of `column`, by its API name.
    async fn by_status<E: EntityTrait>(db: &DatabaseConnection, column: E::Column) -> AppResult<Vec<(String, usize)>>
    where
        E::Model: sea_orm::ModelTrait<Entity = E>,
    {
        let mut counts = std::collections::BTreeMap::new();
        for row in E::find().all(db).await? {
            let value = match sea_orm::ModelTrait::get(&row, column) {
                sea_orm::Value::String(Some(value)) => value.to_string(),
                other => format!("{other:?}"),
            };
            *counts.entry(value).or_insert(0) += 1;
        }
        Ok(counts.into_iter().collect())
    }

    fn counts(pairs: &[(&str, usize)]) -> Vec<(String, usize)> {
        pairs.iter().map(|(name, n)| ((*name).to_owned(), *n)).collect()
    }

    #[tokio::test]
    async fn seeds_people_at_every_stage_of_the_pipeline() -> AppResult<()> {
        use crate::calendar::today_in_vietnam;
        use crate::domain::pipeline::admission::probation_ends_on;
        use crate::entity::{admission, class, enrolment, member, nomination, person};

        let db = fresh_database().await?;
        assert!(seed(&db).await?);
        // In the source: 3 only followed by mentors, 2 enrolled in a class now, 2 with a certificate.
        let nominations = by_status::<nomination::Entity>(&db, nomination::Column::Status).await?;
        assert_eq!(nominations, counts(&[("ACTIVE", 7), ("ADMITTED", 11), ("REMOVED", 3)]));
        let enrolments = by_status::<enrolment::Entity>(&db, enrolment::Column::Result).await?;
        assert_eq!(enrolments, counts(&[("COMPLETED", 16), ("ENROLLED", 2)]));
        let reasons = by_status::<nomination::Entity>(&db, nomination::Column::RemovalReason).await?;
        assert!(reasons.contains(&("MOVED_AWAY".to_owned(), 2)), "{reasons:?}");
        assert!(reasons.contains(&("NO_LONGER_MEETS_STANDARDS".to_owned(), 1)), "{reasons:?}");
        // 12 officials loaded as a roster and 4 recognised after probation; 6 on probation; 1 name deleted.
        let members = by_status::<member::Entity>(&db, member::Column::Status).await?;
        assert_eq!(members, counts(&[("NAME_DELETED", 1), ("OFFICIAL", 16), ("PROBATIONARY", 6)]));
        let outcomes = by_status::<admission::Entity>(&db, admission::Column::Outcome).await?;
        assert_eq!(outcomes, counts(&[("NOT_RECOGNISED", 1), ("PROBATIONARY", 6), ("RECOGNISED", 4)]));
        assert_eq!(person::Entity::find().all(&db).await?.len(), 33);

        let classes = class::Entity::find().all(&db).await?;
        let mut organisers = Vec::new();
        for class in &classes {
            organisers.push(tree::get(&db, class.organiser_unit_id).await?.level);
        }
        assert!(organisers.contains(&L::District) && organisers.contains(&L::Commune));

        let today = today_in_vietnam();
        let admissions = admission::Entity::find().all(&db).await?;
        assert!(admissions.iter().all(|a| a.decision_date <= today && a.ceremony_date.is_some()));
        let on_probation = admissions.iter().filter(|a| a.outcome == admission::AdmissionOutcome::Probationary);
        let ends: Vec<_> = on_probation.filter_map(|a| a.ceremony_date.map(probation_ends_on)).collect();
        assert_eq!(ends.iter().filter(|end| **end < today).count(), 2, "overdue for recognition: {ends:?}");
        let soon = today + chrono::Days::new(30);
        assert_eq!(ends.iter().filter(|end| (today..=soon).contains(*end)).count(), 1, "due soon: {ends:?}");
        assert!(admissions.iter().any(|a| a.youth_union_resolution.is_some() && a.introducer2_id.is_none()));
        assert!(admissions.iter().any(|a| a.exception_reference.is_some()));
        Ok(())
    }
}
