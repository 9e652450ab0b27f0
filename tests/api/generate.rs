//! `ketnap generate`: the small scale generated into the test database, checked against the
//! rows it wrote — the API's figures equal direct counts, the invariants the domain relies on
//! hold, the same seed gives the same rows, and a database that is not empty is refused.

use ketnap::entity::{
    admission, enrolment, member, member_stint, nomination, nomination_mentor, person, target, unit, unit_closure,
};
use ketnap::generate::{GenerateError, GenerateOptions, GenerateReport, Scale, generate};
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder, Statement};
use serde_json::json;

use crate::common::TestApp;

const SEED: u64 = 20_261_123;

async fn generated(seed: u64) -> (TestApp, GenerateReport) {
    let app = TestApp::new().await;
    let options = GenerateOptions { scale: Scale::Small, seed, progress: false };
    let report = generate(&app.db, options).await.expect("the small scale generates");
    (app, report)
}

/// The single integer `sql` selects.
async fn count(app: &TestApp, sql: &str) -> i64 {
    let backend = app.db.get_database_backend();
    let row = app.db.query_one_raw(Statement::from_string(backend, sql)).await.unwrap().unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

#[tokio::test]
async fn a_provinces_figures_equal_direct_counts_of_the_generated_rows() {
    let (app, report) = generated(SEED).await;
    let rows = |table: &str| report.rows.iter().find(|(name, _)| *name == table).map(|(_, n)| *n).unwrap();
    assert_eq!(rows("units"), count(&app, "SELECT COUNT(*) FROM units").await as u64);
    assert!(rows("admissions") > 500, "ten years of admissions: {:?}", report.rows);

    for (code, year) in [("P01", 2021), ("P02", 2023), ("P01.D02", 2019)] {
        let data = app
            .ok(
                "query($code: String!, $year: Int!) { unit(code: $code) { stats(period: { year: $year }) {
                    admissions recognitions namesDeleted officialMembers probationaryMembers cells assignedTarget
                    attainment { percent } } } }",
                json!({ "code": code, "year": year }),
            )
            .await;
        let stats = &data["unit"]["stats"];
        // Counted by the cells' codes, not through the closure the API reads.
        let (from, to, end) = (format!("'{year}-01-01'"), format!("'{year}-12-31'"), format!("'{year}-12-31'"));
        let under = format!("c.code LIKE '{code}.%' AND c.level = 'CELL'");
        let admissions = count(
            &app,
            &format!(
                "SELECT COUNT(*) FROM admissions a JOIN units c ON c.id = a.cell_id \
                 WHERE {under} AND a.decision_date >= {from} AND a.decision_date <= {to}"
            ),
        )
        .await;
        let outcomes = |outcome: &str| {
            format!(
                "SELECT COUNT(*) FROM admissions a JOIN units c ON c.id = a.cell_id WHERE {under} \
                 AND a.outcome = '{outcome}' AND a.outcome_decision_date >= {from} AND a.outcome_decision_date <= {to}"
            )
        };
        let members = |official: bool| {
            let standing = if official { "<=" } else { ">" };
            format!(
                "SELECT COUNT(*) FROM member_stints s JOIN members m ON m.id = s.member_id \
                 JOIN units c ON c.id = s.cell_id WHERE {under} AND s.valid_from <= {end} AND {end} < s.valid_to \
                 AND (m.ended_on IS NULL OR m.ended_on > {end}) \
                 AND COALESCE(m.official_since, '9999-12-31') {standing} {end}"
            )
        };
        let target = count(
            &app,
            &format!(
                "SELECT CAST(COALESCE(MAX(t.value), -1) AS BIGINT) FROM targets t JOIN units u ON u.id = t.unit_id \
                 WHERE u.code = '{code}' AND t.kind = 'ASSIGNED' AND t.period_kind = 'YEAR' AND t.start_year = {year}"
            ),
        )
        .await;
        assert!(admissions > 0, "{code} admitted in {year}");
        assert_eq!(stats["admissions"], json!(admissions), "{code} {year}");
        assert_eq!(stats["recognitions"], json!(count(&app, &outcomes("RECOGNISED")).await), "{code} {year}");
        assert_eq!(stats["namesDeleted"], json!(count(&app, &outcomes("NOT_RECOGNISED")).await), "{code} {year}");
        assert_eq!(stats["officialMembers"], json!(count(&app, &members(true)).await), "{code} {year}");
        assert_eq!(stats["probationaryMembers"], json!(count(&app, &members(false)).await), "{code} {year}");
        assert_eq!(stats["cells"], json!(count(&app, &format!("SELECT COUNT(*) FROM units c WHERE {under}")).await));
        if target >= 0 {
            assert_eq!(stats["assignedTarget"], json!(target));
            let percent = stats["attainment"]["percent"].as_f64().unwrap();
            assert!((30.0..300.0).contains(&percent), "{code} {year}: {percent} %");
        } else {
            assert_eq!(stats["assignedTarget"], json!(null));
        }
    }
}

#[tokio::test]
async fn generated_rows_keep_the_invariants_the_reports_rely_on() {
    let (app, _) = generated(SEED).await;
    let none = [
        // The closure: a self row for every unit, a row to the parent, and one row per ancestor.
        "SELECT COUNT(*) FROM units u WHERE NOT EXISTS (SELECT 1 FROM unit_closure c \
         WHERE c.ancestor_id = u.id AND c.descendant_id = u.id AND c.depth = 0 AND c.valid_to = '9999-12-31')",
        "SELECT COUNT(*) FROM units u WHERE u.parent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM unit_closure c \
         WHERE c.ancestor_id = u.parent_id AND c.descendant_id = u.id AND c.depth = 1)",
        "SELECT (SELECT SUM(CASE level WHEN 'PROVINCE' THEN 1 WHEN 'DISTRICT' THEN 2 WHEN 'COMMUNE' THEN 3 ELSE 4 END) \
         FROM units) - (SELECT COUNT(*) FROM unit_closure)",
        "SELECT COUNT(*) FROM unit_closure c JOIN units u ON u.id = c.descendant_id WHERE c.descendant_level <> u.level",
        // Every admission comes from its person's nomination, closed as admitted, after a class.
        "SELECT COUNT(*) FROM admissions a LEFT JOIN nominations n ON n.id = a.nomination_id \
         WHERE n.id IS NULL OR n.person_id <> a.person_id OR n.status <> 'ADMITTED' OR n.cell_id <> a.cell_id \
         OR n.nominated_on > a.decision_date",
        "SELECT COUNT(*) FROM nominations n WHERE n.status = 'ADMITTED' \
         AND NOT EXISTS (SELECT 1 FROM admissions a WHERE a.nomination_id = n.id)",
        "SELECT COUNT(*) FROM admissions a WHERE NOT EXISTS (SELECT 1 FROM enrolments e \
         WHERE e.person_id = a.person_id AND e.result = 'COMPLETED' AND e.certificate_date <= a.decision_date)",
        // One active pipeline per person; removals have a date and a reason.
        "SELECT COUNT(*) FROM (SELECT person_id FROM nominations GROUP BY person_id HAVING COUNT(*) > 1) x",
        "SELECT COUNT(*) FROM nominations WHERE (status = 'REMOVED') <> (removed_on IS NOT NULL AND removal_reason IS NOT NULL)",
        // The membership follows the admission and its outcome.
        "SELECT COUNT(*) FROM admissions a LEFT JOIN members m ON m.admission_id = a.id \
         WHERE m.id IS NULL OR m.person_id <> a.person_id OR m.party_since <> a.decision_date \
         OR (a.outcome = 'RECOGNISED') <> (m.status = 'OFFICIAL' AND m.official_since IS NOT NULL) \
         OR (a.outcome = 'NOT_RECOGNISED') <> (m.status = 'NAME_DELETED' AND m.ended_on = a.outcome_decision_date) \
         OR (a.outcome = 'PROBATIONARY') <> (m.status = 'PROBATIONARY')",
        "SELECT COUNT(*) FROM admissions WHERE outcome <> 'PROBATIONARY' AND (ceremony_date IS NULL \
         OR outcome_decision_date < ceremony_date OR outcome_decision_number IS NULL)",
        // Stints: every member has one from the party-since date (or arrived by transfer in), none overlap, none outlive the membership.
        "SELECT COUNT(*) FROM members m WHERE NOT EXISTS (SELECT 1 FROM member_stints s \
         WHERE s.member_id = m.id AND s.valid_from = m.party_since) \
         AND NOT EXISTS (SELECT 1 FROM membership_changes mc WHERE mc.member_id = m.id AND mc.kind = 'TRANSFERRED_IN')",
        "SELECT COUNT(*) FROM member_stints s JOIN member_stints t ON t.member_id = s.member_id AND s.id < t.id \
         AND s.valid_from < t.valid_to AND t.valid_from < s.valid_to",
        "SELECT COUNT(*) FROM members m JOIN member_stints s ON s.member_id = m.id \
         WHERE m.ended_on IS NOT NULL AND s.valid_to > m.ended_on",
        "SELECT COUNT(*) FROM member_stints s JOIN units c ON c.id = s.cell_id WHERE c.level <> 'CELL'",
        // Mentors and introducers are official members on the day.
        "SELECT COUNT(*) FROM nomination_mentors x JOIN members m ON m.id = x.member_id \
         WHERE m.official_since IS NULL OR m.official_since > x.assigned_on",
        "SELECT COUNT(*) FROM admissions a JOIN members m ON m.id = a.introducer1_id \
         WHERE m.official_since IS NULL OR m.official_since > a.decision_date",
        "SELECT COUNT(*) FROM nomination_mentors x LEFT JOIN nominations n ON n.id = x.nomination_id WHERE n.id IS NULL",
    ];
    for sql in none {
        assert_eq!(count(&app, sql).await, 0, "{sql}");
    }
    let ages = "SELECT COUNT(*) FROM admissions a JOIN persons p ON p.id = a.person_id WHERE p.date_of_birth > ";
    let too_young = match app.is_postgres() {
        true => format!("{ages} a.decision_date - INTERVAL '18 years'"),
        false => format!("{ages} date(a.decision_date, '-18 years')"),
    };
    assert_eq!(count(&app, &too_young).await, 0);
    if !app.is_postgres() {
        let backend = app.db.get_database_backend();
        let broken = app.db.query_all_raw(Statement::from_string(backend, "PRAGMA foreign_key_check")).await.unwrap();
        assert!(broken.is_empty(), "{} rows break a foreign key", broken.len());
    }
    // Ethnic minorities, both genders and the youth band are all there.
    assert!(count(&app, "SELECT COUNT(*) FROM persons WHERE ethnicity <> 'Kinh'").await > 100);
    assert!(count(&app, "SELECT COUNT(DISTINCT gender) FROM persons").await == 2);
    // Sequences continue after the loaded ids: the API creates rows as usual.
    let province = app.create_unit("NEW", "Đảng bộ tỉnh Mới", "PROVINCE", "PROVINCE", None).await;
    assert!(!province.is_empty());
    let search =
        app.ok("{ searchUnits(query: \"đảng bộ tỉnh\", level: PROVINCE) { nodes { code } } }", json!({})).await;
    assert_eq!(search["searchUnits"]["nodes"].as_array().unwrap().len(), 3, "{search}");
}

#[tokio::test]
async fn the_same_seed_gives_the_same_rows() {
    let (first, report) = generated(7).await;
    let (second, again) = generated(7).await;
    let (other, _) = generated(8).await;
    assert_eq!(report.rows, again.rows);
    macro_rules! same {
        ($entity:ident, $order:expr) => {{
            let a = $entity::Entity::find().order_by_asc($order).all(&first.db).await.unwrap();
            let b = $entity::Entity::find().order_by_asc($order).all(&second.db).await.unwrap();
            assert!(!a.is_empty(), stringify!($entity));
            assert!(a == b, "{} differ between runs with the same seed", stringify!($entity));
        }};
    }
    same!(unit, unit::Column::Id);
    same!(person, person::Column::Id);
    same!(member, member::Column::Id);
    same!(member_stint, member_stint::Column::Id);
    same!(nomination, nomination::Column::Id);
    same!(nomination_mentor, nomination_mentor::Column::Id);
    same!(enrolment, enrolment::Column::Id);
    same!(admission, admission::Column::Id);
    same!(target, target::Column::Id);
    let closure = |db| {
        unit_closure::Entity::find()
            .order_by_asc(unit_closure::Column::DescendantId)
            .order_by_asc(unit_closure::Column::AncestorId)
            .all(db)
    };
    assert!(closure(&first.db).await.unwrap() == closure(&second.db).await.unwrap());
    let persons = |db| person::Entity::find().order_by_asc(person::Column::Id).all(db);
    assert!(persons(&first.db).await.unwrap() != persons(&other.db).await.unwrap(), "another seed, other people");
}

#[tokio::test]
async fn a_database_that_is_not_empty_is_refused() {
    let app = TestApp::new().await;
    app.create_unit("QN", "Đảng bộ tỉnh Quảng Nam", "PROVINCE", "PROVINCE", None).await;
    let options = GenerateOptions { scale: Scale::Small, seed: 1, progress: false };
    match generate(&app.db, options).await {
        Err(GenerateError::NotEmpty { units: 1, persons: 0 }) => {}
        other => panic!("expected NotEmpty, got {other:?}"),
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM units").await, 1);

    // Nor can a generated database be generated into again.
    let (generated, _) = generated(SEED).await;
    let before = count(&generated, "SELECT COUNT(*) FROM persons").await;
    let error = generate(&generated.db, options).await.unwrap_err();
    assert!(error.to_string().contains("not empty"), "{error}");
    assert_eq!(count(&generated, "SELECT COUNT(*) FROM persons").await, before);
}

/// Issue 15, item 9's rule on generated data: every generated citizen ID has the CCCD structure
/// (province code, century-and-gender digit, the birth year's last two digits) and agrees with
/// its person's gender and date of birth, so `CITIZEN_ID_STRUCTURE` accepts it; a search by one
/// finds its person.
#[tokio::test]
async fn generated_citizen_ids_follow_the_cccd_structure() {
    use ketnap::domain::citizen_id::{check_agrees, parse};
    let (app, _) = generated(SEED).await;
    let people = person::Entity::find().all(&app.db).await.unwrap();
    let with_id: Vec<&person::Model> = people.iter().filter(|p| p.citizen_id.is_some()).collect();
    assert!(with_id.len() > people.len() / 2, "most people have a citizen ID");
    for person in &with_id {
        let id = person.citizen_id.as_deref().unwrap();
        let parsed = parse(id).unwrap_or_else(|err| panic!("{id}: {}", err.message()));
        check_agrees(&parsed, person.gender, person.date_of_birth)
            .unwrap_or_else(|err| panic!("{id}: {}", err.message()));
    }
    let first = with_id[0];
    let query = "query($s: String!) { people(search: $s) { nodes { fullName } } }";
    let found = app.ok(query, json!({ "s": first.citizen_id })).await;
    assert_eq!(found["people"]["nodes"][0]["fullName"], first.full_name);
}
