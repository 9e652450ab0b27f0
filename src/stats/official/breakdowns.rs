//! The breakdowns a sign-off keeps of the signing unit's own figures (`official_breakdowns`, one
//! row per category): the breakdowns of people, the membership balance's flows and opening
//! stock, the time series by month, the class counts and the funnel's removals by reason, each
//! counted by the same function as its live figure.

use std::collections::HashMap;

use sea_orm::{ActiveEnum, ConnectionTrait, FromQueryResult, Value};

use crate::domain::congress;
use crate::domain::period::Period;
use crate::entity::period_signoff;
use crate::error::AppResult;
use crate::ids::UnitId;
use crate::sql::dated::Category;
use crate::sql::{id_list, statement};
use crate::stats::classes::ClassTally;
use crate::stats::training::TrainingTally;
use crate::stats::{Breakdown, Granularity, Keys};

/// The breakdowns a sign-off keeps of its own unit, by the `UnitStats` field that serves each
/// live (`membershipInflows`, `membershipOutflows` and `membersAtOpening` are the flows by
/// `FLOW/REASON` and the opening stock by standing of `membershipBalance`; `timeSeries.admissions`
/// and `timeSeries.recognitions` are `timeSeries(granularity: MONTH)` by month key, `2021-03`, from
/// which the quarters are sums).
pub const KEPT_BREAKDOWNS: [(&str, Breakdown); 14] = [
    ("admissionsByEthnicity", Breakdown::AdmissionsByEthnicity),
    ("admissionsByGender", Breakdown::AdmissionsByGender),
    ("admissionsByAgeBand", Breakdown::AdmissionsByAgeBand),
    ("admissionsByGeneralEducation", Breakdown::AdmissionsByGeneralEducation),
    ("admissionsByProfessionalEducation", Breakdown::AdmissionsByProfessionalEducation),
    ("admissionsByReligion", Breakdown::AdmissionsByReligion),
    ("admissionsByNominatingBody", Breakdown::AdmissionsByNominatingBody),
    ("admissionsByOccupation", Breakdown::AdmissionsByOccupation),
    ("removedByReason", Breakdown::RemovalsByReason),
    ("membershipInflows", Breakdown::MembershipInflows),
    ("membershipOutflows", Breakdown::MembershipOutflows),
    ("membersAtOpening", Breakdown::MembersAtOpening),
    ("timeSeries.admissions", Breakdown::AdmissionsOver(Granularity::Month)),
    ("timeSeries.recognitions", Breakdown::RecognitionsOver(Granularity::Month)),
];

/// The kept name of the classes organised in the subtree, by `KIND/classes`, `KIND/attendees`
/// and `KIND/completions` (`UnitStats.classAttendance`).
pub const CLASS_ATTENDANCE: &str = "classAttendance";
/// The kept name of the training of the unit's own candidates, by `KIND/enrolled`,
/// `KIND/attended`, `KIND/completed` and `KIND/noResultYet` (`UnitStats.candidateTraining`).
pub const CANDIDATE_TRAINING: &str = "candidateTraining";
/// The kept name of the removals of the unit's funnel by reason, observed on the period's last
/// day like the funnel's counts (`UnitStats.funnel.removedByReason`).
pub const FUNNEL_REMOVED_BY_REASON: &str = "funnel.removedByReason";

/// The organiser's class tallies as kept categories (`CLASS_ATTENDANCE`).
pub fn class_rows(tallies: &[ClassTally]) -> Vec<Category> {
    tallies
        .iter()
        .flat_map(|t| {
            let kind = t.kind.to_value();
            [("classes", t.classes), ("attendees", t.attendees), ("completions", t.completions)]
                .map(|(field, n)| Category::new(format!("{kind}/{field}"), n))
        })
        .collect()
}

/// The candidates' training tallies as kept categories (`CANDIDATE_TRAINING`).
pub fn training_rows(tallies: &[TrainingTally]) -> Vec<Category> {
    tallies
        .iter()
        .flat_map(|t| {
            let kind = t.kind.to_value();
            [
                ("enrolled", t.enrolled),
                ("attended", t.attended),
                ("completed", t.completed),
                ("noResultYet", t.no_result_yet),
            ]
            .map(|(field, n)| Category::new(format!("{kind}/{field}"), n))
        })
        .collect()
}

/// Keeps every breakdown of `KEPT_BREAKDOWNS` of the signing unit itself (its own days, for a
/// term), counted by the same functions as the live ones: one grouped statement per breakdown
/// and one insert of their categories. The units below keep theirs when they sign off.
pub(super) async fn keep<C: ConnectionTrait>(
    db: &C,
    signoff: &period_signoff::Model,
    period: &Period,
) -> AppResult<()> {
    let unit = signoff.unit_id;
    let own = match period.target_period.filter(|_| period.is_term()) {
        Some(term) => {
            let days = congress::term_days(db, &[UnitId::from(unit)], term).await?;
            congress::for_unit(*period, days.get(&UnitId::from(unit)).copied().unwrap_or_default())
        }
        None => *period,
    };
    let mut rows: Vec<(&str, Category)> = Vec::new();
    for (name, breakdown) in KEPT_BREAKDOWNS {
        let mut counted = crate::stats::breakdown(db, breakdown, Keys::Summed, &[unit], &own).await?;
        let categories = counted.remove(&unit).unwrap_or_default();
        rows.extend(categories.into_iter().filter(|c| c.count != 0).map(|category| (name, category)));
    }
    let classes = crate::stats::classes::tally(db, &[unit], &own).await?.remove(&unit).unwrap_or_default();
    let training = crate::stats::training::own_candidates(db, &[unit], &own).await?.remove(&unit).unwrap_or_default();
    let funnel = crate::stats::funnel::cohorts(db, &[unit], &own, own.counted_end()).await?.remove(&unit);
    for (name, categories) in [
        (CLASS_ATTENDANCE, class_rows(&classes)),
        (CANDIDATE_TRAINING, training_rows(&training)),
        (FUNNEL_REMOVED_BY_REASON, funnel.unwrap_or_default().removed_by_reason),
    ] {
        rows.extend(categories.into_iter().filter(|c| c.count != 0).map(|category| (name, category)));
    }
    if rows.is_empty() {
        return Ok(());
    }
    let placeholders = vec!["(?, ?, ?, ?, ?)"; rows.len()].join(", ");
    let sql = format!(
        "INSERT INTO official_breakdowns (signoff_id, breakdown, category, value, disclosure_key) VALUES {placeholders}"
    );
    let values: Vec<Value> = rows
        .into_iter()
        .flat_map(|(name, c)| [signoff.id.into(), name.into(), c.name.into(), c.count.into(), c.key.into()])
        .collect();
    db.execute_raw(statement(db.get_database_backend(), &sql, values)).await?;
    Ok(())
}

#[derive(FromQueryResult)]
struct KeptCategory {
    signoff_id: i64,
    breakdown: String,
    category: String,
    value: i64,
    disclosure_key: i64,
}

/// The breakdowns each sign-off kept, by sign-off and name; categories largest first, then by name.
pub(super) async fn of_signoffs<C: ConnectionTrait>(
    db: &C,
    signoffs: &[i64],
) -> AppResult<HashMap<i64, HashMap<String, Vec<Category>>>> {
    if signoffs.is_empty() {
        return Ok(HashMap::new());
    }
    let (list, values) = id_list(signoffs);
    let sql = format!(
        "SELECT b.signoff_id AS signoff_id, b.breakdown AS breakdown, b.category AS category, b.value AS value, \
         b.disclosure_key AS disclosure_key FROM official_breakdowns b WHERE b.signoff_id IN ({list}) ORDER BY b.value DESC, b.category"
    );
    let rows = KeptCategory::find_by_statement(statement(db.get_database_backend(), &sql, values)).all(db).await?;
    let mut by_signoff: HashMap<i64, HashMap<String, Vec<Category>>> = HashMap::new();
    for row in rows {
        let category = Category { name: row.category, count: row.value, key: row.disclosure_key };
        by_signoff.entry(row.signoff_id).or_default().entry(row.breakdown).or_default().push(category);
    }
    Ok(by_signoff)
}
