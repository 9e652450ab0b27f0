//! The admissions' summary by profile (`unit_month_profiles`, rows of provinces only) checked
//! against a recount written here independently of the library's SQL: every admission, the
//! province its cell stood under on the decision date, its person and nomination read as rows, and each dimension's category worked out in
//! Rust (the age band from the whole months of age the Charter counts). `rollups.rs` runs the
//! check after every kind of change its scenario makes, a profile correction among them. Here:
//! the breakdowns of whole months are read from the summary (and those of other periods live),
//! and the migration that adds the table fills it from the admissions already recorded.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::common::TestApp;

/// (unit, `YYYY-MM`, dimension, category) → (admissions, sum of the people's disclosure keys).
pub type Profiles = BTreeMap<(i64, String, String, String), (i64, i64)>;

async fn rows(app: &TestApp, sql: &str) -> Vec<sea_orm::QueryResult> {
    let backend = app.db.get_database_backend();
    app.db.query_all_raw(Statement::from_string(backend, sql)).await.unwrap()
}

fn month_text(app: &TestApp, column: &str) -> String {
    if app.is_postgres() { format!("to_char({column}, 'YYYY-MM')") } else { format!("strftime('%Y-%m', {column})") }
}

/// The summary table, whole.
pub async fn profile_rows(app: &TestApp) -> Profiles {
    let sql = format!(
        "SELECT unit_id, {} AS month, dimension, category, admissions, key_sum FROM unit_month_profiles",
        month_text(app, "month")
    );
    let mut found = Profiles::new();
    for row in rows(app, &sql).await {
        let text = |column: &str| row.try_get::<String>("", column).unwrap();
        let key = (row.try_get::<i64>("", "unit_id").unwrap(), text("month"), text("dimension"), text("category"));
        let value = (row.try_get::<i64>("", "admissions").unwrap(), row.try_get::<i64>("", "key_sum").unwrap());
        assert!(found.insert(key, value).is_none(), "one row per unit, month, dimension and category");
    }
    found
}

/// Whole months of age on `on` as the Charter counts them: a month is complete on the day of the
/// month one was born on, or on the month's last day when it is shorter.
fn whole_months(born: NaiveDate, on: NaiveDate) -> i64 {
    let months = i64::from(on.year() - born.year()) * 12 + i64::from(on.month()) - i64::from(born.month());
    let last_day_of_month = on.succ_opt().is_some_and(|next| next.day() == 1);
    if on.day() < born.day() && !last_day_of_month { months - 1 } else { months }
}

fn age_band(born: NaiveDate, on: NaiveDate) -> &'static str {
    match whole_months(born, on) / 12 {
        ..=30 => "YOUTH_UP_TO_30",
        31..=45 => "FROM_31_TO_45",
        46..=60 => "FROM_46_TO_60",
        _ => "OVER_60",
    }
}

/// A full recount: each admission toward the province its cell stood under on the decision date,
/// in each dimension's category.
pub async fn profile_recount(app: &TestApp) -> Profiles {
    let sql = format!(
        "SELECT c.ancestor_id AS unit_id, {} AS month, a.decision_date AS decided, p.date_of_birth AS born, \
         p.ethnicity, p.gender, p.general_education, p.professional_education, p.religion, p.occupation, \
         n.nominating_body, CAST(p.disclosure_key AS BIGINT) AS k \
         FROM admissions a JOIN unit_closure c ON c.descendant_id = a.cell_id \
         AND c.valid_from <= a.decision_date AND a.decision_date < c.valid_to \
         JOIN units u ON u.id = c.ancestor_id AND u.level = 'PROVINCE' \
         JOIN persons p ON p.id = a.person_id LEFT JOIN nominations n ON n.id = a.nomination_id",
        month_text(app, "a.decision_date")
    );
    let mut counted = Profiles::new();
    for row in rows(app, &sql).await {
        let text = |column: &str| row.try_get::<String>("", column).unwrap();
        let day = |column: &str| row.try_get::<NaiveDate>("", column).unwrap();
        let body = row.try_get::<Option<String>>("", "nominating_body").unwrap().unwrap_or_else(|| "UNKNOWN".into());
        let categories = [
            ("ETHNICITY", text("ethnicity")),
            ("GENDER", text("gender")),
            ("AGE_BAND", age_band(day("born"), day("decided")).to_owned()),
            ("GENERAL_EDUCATION", text("general_education")),
            ("PROFESSIONAL_EDUCATION", text("professional_education")),
            ("RELIGION", text("religion")),
            ("OCCUPATION", text("occupation")),
            ("NOMINATING_BODY", body),
        ];
        let (unit, month, key) =
            (row.try_get::<i64>("", "unit_id").unwrap(), text("month"), row.try_get::<i64>("", "k").unwrap());
        for (dimension, category) in categories {
            let entry = counted.entry((unit, month.clone(), dimension.to_owned(), category)).or_default();
            entry.0 += 1;
            entry.1 += key;
        }
    }
    counted
}

/// Asserts that the summary equals a full recount, row for row, after `step`.
pub async fn assert_profiles_exact(app: &TestApp, step: &str) {
    assert_eq!(profile_rows(app).await, profile_recount(app).await, "the summary by profile differs after {step}");
}

#[test]
fn age_bands_count_whole_months_as_the_charter_does() {
    let d = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap();
    assert_eq!(age_band(d("1990-03-15"), d("2021-03-14")), "YOUTH_UP_TO_30", "a day short of 31");
    assert_eq!(age_band(d("1990-03-15"), d("2021-03-15")), "FROM_31_TO_45");
    // Born on the 31st: the month is complete on the last day of a shorter month.
    assert_eq!(whole_months(d("2000-01-31"), d("2000-02-29")), 1);
    assert_eq!(whole_months(d("2000-01-31"), d("2000-02-28")), 0);
    assert_eq!(age_band(d("1950-01-01"), d("2021-01-01")), "OVER_60");
}

const BREAKDOWN_FIELDS: &str = "admissionsByEthnicity { category count } admissionsByGender { category count }
    admissionsByAgeBand { category count } admissionsByGeneralEducation { category count }
    admissionsByProfessionalEducation { category count } admissionsByReligion { category count }
    admissionsByNominatingBody { category count } admissionsByOccupation { category count }";

async fn breakdowns(app: &TestApp, code: &str, period: Value) -> Value {
    let query = format!(
        "query($code: String!, $period: PeriodInput!) {{ unit(code: $code) {{ stats(period: $period) {{ {BREAKDOWN_FIELDS} }} }} }}"
    );
    app.ok(&query, json!({ "code": code, "period": period })).await["unit"]["stats"].clone()
}

/// The months before this one in which the demo (dated relative to today) admitted someone.
async fn past_months_with_admissions(app: &TestApp) -> Vec<(i32, u32)> {
    let today = chrono::Utc::now().date_naive();
    let mut months: Vec<(i32, u32)> = rows(app, "SELECT decision_date FROM admissions")
        .await
        .iter()
        .map(|row| row.try_get::<NaiveDate>("", "decision_date").unwrap())
        .map(|day| (day.year(), day.month()))
        .filter(|month| *month < (today.year(), today.month()))
        .collect();
    months.sort_unstable();
    months.dedup();
    months
}

/// The demo's units: the breakdowns of whole months come from the summary and equal the live
/// count of the same days on the boundaries of the period's end (which the summary cannot answer,
/// and which the demo, never reorganised, counts the same); an edit of the summary shows in the
/// first and not in the second.
#[tokio::test]
async fn breakdowns_of_whole_months_are_read_from_the_summary() {
    let app = TestApp::with_demo().await;
    assert_profiles_exact(&app, "the demo loader").await;
    let months = past_months_with_admissions(&app).await;
    assert!(!months.is_empty(), "the demo admitted someone before this month");
    let units = rows(&app, "SELECT code FROM units WHERE level IN ('PROVINCE', 'DISTRICT')").await;
    let mut compared = 0;
    for (year, month) in &months {
        for unit in &units {
            let code = unit.try_get::<String>("", "code").unwrap();
            let period = json!({ "year": year, "month": month });
            let summary = breakdowns(&app, &code, period.clone()).await;
            let live =
                breakdowns(&app, &code, json!({ "year": year, "month": month, "boundaries": "PERIOD_END" })).await;
            assert_eq!(summary, live, "{code} {period}");
            compared += summary["admissionsByGender"].as_array().map_or(0, Vec::len);
        }
    }
    assert!(compared > 4, "the comparison covers real breakdowns ({compared})");

    // Provinces and districts asked together are one batch (one statement: the provinces' rows
    // from the summary, the districts' counted live), and each answers as when asked alone.
    let (year, month) = months[0];
    let codes: Vec<String> = units.iter().map(|unit| unit.try_get::<String>("", "code").unwrap()).collect();
    let aliased: String = codes
        .iter()
        .enumerate()
        .map(|(i, code)| format!("u{i}: unit(code: \"{code}\") {{ stats(period: {{ year: {year}, month: {month} }}) {{ {BREAKDOWN_FIELDS} }} }} "))
        .collect();
    let together = app.ok(&format!("{{ {aliased} }}"), json!({})).await;
    for (i, code) in codes.iter().enumerate() {
        let alone = breakdowns(&app, code, json!({ "year": year, "month": month })).await;
        assert_eq!(together[format!("u{i}")]["stats"], alone, "{code} asked with the others");
    }

    // An edit of the summary reaches the whole month's breakdown and not the live one: a
    // province's month with admissions.
    let provinces = rows(&app, "SELECT id, code FROM units WHERE level = 'PROVINCE'").await;
    let mut with_admissions = None;
    for ((year, month), province) in months.iter().flat_map(|month| provinces.iter().map(move |p| (month, p))) {
        let code = province.try_get::<String>("", "code").unwrap();
        let before = breakdowns(&app, &code, json!({ "year": year, "month": month })).await;
        if before["admissionsByGender"].as_array().is_some_and(|genders| !genders.is_empty()) {
            with_admissions = Some((province.try_get::<i64>("", "id").unwrap(), code, *year, *month, before));
            break;
        }
    }
    let (id, code, year, month, before) = with_admissions.expect("a province admitted someone in a past month");
    let edit = format!(
        "UPDATE unit_month_profiles SET admissions = admissions + 1000 WHERE unit_id = {id} AND dimension = 'GENDER'"
    );
    app.db.execute_unprepared(&edit).await.unwrap();
    // A change made behind the server's back: its read cache is told as a restore would tell it.
    app.cache.changed(&ketnap::cache::Footprint::Everything);
    let after = breakdowns(&app, &code, json!({ "year": year, "month": month })).await;
    assert_eq!(
        after["admissionsByGender"][0]["count"].as_i64().unwrap() - 1000,
        before["admissionsByGender"][0]["count"].as_i64().unwrap(),
        "the month is read from the summary: {after:#}"
    );
    assert_eq!(after["admissionsByReligion"], before["admissionsByReligion"], "only the edited dimension moved");
    let live = breakdowns(&app, &code, json!({ "year": year, "month": month, "boundaries": "PERIOD_END" })).await;
    assert_eq!(live, before, "a period on the boundaries of its end is counted live");
}

/// A province (its breakdown read from the summary) and one of its districts (counted live) asked
/// in one request share a batch, so one statement answers both: its live part opens with its own
/// `WITH` and must be read as a subquery of the union (`… UNION ALL WITH …` is a syntax error on
/// both databases). One breakdown at a time, as a drill-down's rows ask for one, each year of the
/// demo; each answers as when asked alone.
#[tokio::test]
async fn a_province_and_a_district_asked_together_answer_as_alone() {
    let app = TestApp::with_demo().await;
    let this_year = ketnap::calendar::today_in_vietnam().year();
    for year in this_year - 3..=this_year {
        for fields in ["ethnicMinorityAdmissions", "admissionsByGender { category count }"] {
            let stats =
                |code: &str| format!("unit(code: \"{code}\") {{ stats(period: {{ year: {year} }}) {{ {fields} }} }}");
            let together = app.ok(&format!("{{ p: {} d: {} }}", stats("QNM"), stats("QNM.NTH")), json!({})).await;
            for (alias, code) in [("p", "QNM"), ("d", "QNM.NTH")] {
                let alone = app.ok(&format!("{{ u: {} }}", stats(code)), json!({})).await;
                assert_eq!(together[alias], alone["u"], "{code} {year} {fields}");
            }
        }
    }
}

/// Applying the migration that adds the summary to a database that already holds admissions
/// fills it from them: here the demo's, with the table dropped and the migration marked pending
/// again as before an upgrade.
#[tokio::test]
async fn the_migration_that_adds_the_summary_fills_it_from_the_admissions_already_there() {
    let app = TestApp::with_demo().await;
    let kept = profile_rows(&app).await;
    assert!(kept.len() > 20, "the demo's summary is not trivially empty");
    app.upgrade_from_before("unit_month_profiles", "m20261211_000018_unit_month_profiles").await;
    assert_eq!(profile_rows(&app).await, kept, "the upgrade fills the summary as the writes kept it");
}
