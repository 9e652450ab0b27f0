//! The `--demo` database: on first start, a realistic tree of the units the source articles are
//! about (Quảng Nam, Điện Biên, Bắc Kạn) and people at every stage of the pipeline in a few of its
//! cells, so that a new reader can explore the API at once.
//!
//! The tree is a table in the shape of an `import-units` file and goes through the importer's
//! checks and its parents-first creation (`units`). Every unit is established on `tree::RECORDS_BEGIN`, so
//! that historic facts (the 2017–2021 figures of the articles) can be recorded in it. The pipeline
//! (`cast`: who, `pipeline`: how) goes through the pipeline's own workflows, and so do the
//! congresses and membership changes of `lifecycle`; `targets` then sets assigned and resolution
//! targets from the admissions the pipeline recorded, each term counted from the unit's congress,
//! and `signoff` signs last year off up the tree (this year stays open).

mod cast;
mod lifecycle;
mod pipeline;
mod signoff;
mod targets;
mod units;

use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait};

pub use self::units::{BAC_KAN, DIEN_BAN, DIEN_BIEN, DIEN_HOA, NGHIA_TA, NUI_THANH, QUANG_NAM, TRA_NU, tree_rows};
use crate::calendar::today_in_vietnam;
use crate::db::begin_write;
use crate::domain::audit::Actor;
use crate::entity::unit;
use crate::error::{AppError, AppResult};
use crate::import::ImportError;
use crate::import::units::create_units;

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
    lifecycle::seed_lifecycle(&txn, &actor, today_in_vietnam()).await?;
    targets::seed_targets(&txn, &actor, today_in_vietnam()).await?;
    signoff::seed_signoff(&txn, today_in_vietnam()).await?;
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

#[cfg(test)]
mod tests {
    use sea_orm::{ColumnTrait, QueryFilter};

    use super::*;
    use crate::domain::tree::{self, RECORDS_BEGIN};
    use crate::entity::unit::UnitLevel as L;

    async fn fresh_database() -> AppResult<DatabaseConnection> {
        let db = crate::db::connect("sqlite::memory:", 1).await?;
        crate::db::migrate(&db).await?;
        Ok(db)
    }

    #[tokio::test]
    async fn seeds_an_empty_database_once() -> AppResult<()> {
        let db = fresh_database().await?;
        assert!(seed(&db).await?);
        assert_eq!(unit::Entity::find().all(&db).await?.len(), units::TREE.len());
        assert!(!seed(&db).await?);
        assert_eq!(unit::Entity::find().all(&db).await?.len(), units::TREE.len());

        let tra_nu = tree::get_by_code(&db, TRA_NU).await?;
        let cells = unit::Entity::find().filter(unit::Column::ParentId.eq(tra_nu.id)).all(&db).await?;
        assert_eq!(cells.len(), 6);
        assert!(cells.iter().all(|cell| cell.level == L::Cell && cell.established_on == RECORDS_BEGIN));

        let nghia_ta = tree::get_by_code(&db, NGHIA_TA).await?;
        let above: Vec<String> =
            tree::ancestors(&db, nghia_ta.id.into(), RECORDS_BEGIN).await?.into_iter().map(|u| u.code).collect();
        assert_eq!(above, vec![BAC_KAN]);
        let san_sui = tree::get_by_code(&db, "DBN.TCH.XANHE.C01").await?;
        let above: Vec<String> =
            tree::ancestors(&db, san_sui.id.into(), RECORDS_BEGIN).await?.into_iter().map(|u| u.code).collect();
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
        // 12 officials loaded as a roster, 4 recognised after probation and 1 transferred in; 6 on
        // probation; 1 name deleted; 3 ended after admission (`lifecycle`: died, expelled, transferred out).
        let members = by_status::<member::Entity>(&db, member::Column::Status).await?;
        assert_eq!(members, counts(&[("ENDED", 3), ("NAME_DELETED", 1), ("OFFICIAL", 17), ("PROBATIONARY", 6)]));
        let changes =
            by_status::<crate::entity::membership_change::Entity>(&db, crate::entity::membership_change::Column::Kind)
                .await?;
        assert_eq!(
            changes,
            counts(&[("DIED", 1), ("EXPELLED", 1), ("NAME_DELETED", 1), ("TRANSFERRED_IN", 1), ("TRANSFERRED_OUT", 1)])
        );
        assert_eq!(crate::entity::congress::Entity::find().all(&db).await?.len(), 10);
        let outcomes = by_status::<admission::Entity>(&db, admission::Column::Outcome).await?;
        assert_eq!(outcomes, counts(&[("NOT_RECOGNISED", 1), ("PROBATIONARY", 6), ("RECOGNISED", 4)]));
        assert_eq!(person::Entity::find().all(&db).await?.len(), 37);

        let classes = class::Entity::find().all(&db).await?;
        let mut organisers = Vec::new();
        for class in &classes {
            organisers.push(tree::get(&db, class.organiser_unit_id.into()).await?.level);
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
