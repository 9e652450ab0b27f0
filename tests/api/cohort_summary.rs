//! The awareness cohorts (`awareness_cohorts`, rows of provinces only) checked against a recount
//! written here independently of the library's SQL: every completed awareness enrolment with a
//! certificate, the provinces above its class's organiser on the class's first day, and each
//! person's settled fate worked out in Rust from their nominations and admissions read as rows.
//! `rollups.rs` runs the check after every kind of change its scenario makes. Here: a province's
//! funnel read from the rows equals one counted in Rust on observation days before and after its
//! people's fates settled, an edit of the rows reaches a province's funnel and no district's, and
//! the migration that adds the table fills it from the records already there.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use ketnap::graphql::ids::{NodeKind, to_global};

use crate::common::TestApp;

/// (province, certificate date, person) → (settled on, fate, reason, disclosure key).
pub type Cohorts = BTreeMap<(i64, NaiveDate, i64), (NaiveDate, String, Option<String>, i32)>;

async fn rows(app: &TestApp, sql: &str) -> Vec<sea_orm::QueryResult> {
    let backend = app.db.get_database_backend();
    app.db.query_all_raw(Statement::from_string(backend, sql)).await.unwrap()
}

fn day(row: &sea_orm::QueryResult, column: &str) -> NaiveDate {
    row.try_get::<NaiveDate>("", column).unwrap()
}

fn optional_day(row: &sea_orm::QueryResult, column: &str) -> Option<NaiveDate> {
    row.try_get::<Option<NaiveDate>>("", column).unwrap()
}

fn id(row: &sea_orm::QueryResult, column: &str) -> i64 {
    row.try_get::<i64>("", column).unwrap()
}

/// The table, whole.
pub async fn cohort_rows(app: &TestApp) -> Cohorts {
    let sql = "SELECT province_id, certificate_date, person_id, settled_on, fate, reason, disclosure_key \
               FROM awareness_cohorts";
    rows(app, sql)
        .await
        .iter()
        .map(|row| {
            let key = (id(row, "province_id"), day(row, "certificate_date"), id(row, "person_id"));
            let fate = row.try_get::<String>("", "fate").unwrap();
            let reason = row.try_get::<Option<String>>("", "reason").unwrap();
            (key, (day(row, "settled_on"), fate, reason, row.try_get::<i32>("", "disclosure_key").unwrap()))
        })
        .collect()
}

/// One person's nominations (nominated on, removed on, removal reason, id) and admissions'
/// decision dates.
#[derive(Default)]
struct Records {
    nominations: Vec<(NaiveDate, Option<NaiveDate>, Option<String>, i64)>,
    decisions: Vec<NaiveDate>,
}

impl Records {
    /// The fate on `on` and, when removed, the latest removal's reason: the funnel's rule.
    fn fate_on(&self, on: NaiveDate) -> (String, Option<String>) {
        if self.decisions.iter().any(|&decided| decided <= on) {
            return ("ADMITTED".into(), None);
        }
        let open = |&&(from, until, _, _): &&(NaiveDate, Option<NaiveDate>, Option<String>, i64)| {
            from <= on && until.is_none_or(|until| until > on)
        };
        if self.nominations.iter().any(|n| open(&n)) {
            return ("IN_SOURCE".into(), None);
        }
        let latest = self
            .nominations
            .iter()
            .filter(|(_, until, _, _)| until.is_some_and(|until| until <= on))
            .max_by_key(|(_, until, _, id)| (*until, *id));
        match latest {
            Some((_, _, reason, _)) => ("REMOVED".into(), reason.clone()),
            None => ("OTHER".into(), None),
        }
    }

    /// The day from which the fate no longer changes.
    fn settled_on(&self) -> NaiveDate {
        if let Some(first) = self.decisions.iter().min() {
            return *first;
        }
        let dates = self.nominations.iter().flat_map(|(from, until, _, _)| [Some(*from), *until]).flatten();
        dates.max().unwrap_or(NaiveDate::from_ymd_opt(1, 1, 1).unwrap())
    }
}

async fn records(app: &TestApp) -> BTreeMap<i64, Records> {
    let mut found: BTreeMap<i64, Records> = BTreeMap::new();
    let sql = "SELECT id, person_id, nominated_on, removed_on, removal_reason FROM nominations";
    for row in rows(app, sql).await {
        let nomination = (
            day(&row, "nominated_on"),
            optional_day(&row, "removed_on"),
            row.try_get::<Option<String>>("", "removal_reason").unwrap(),
            id(&row, "id"),
        );
        found.entry(id(&row, "person_id")).or_default().nominations.push(nomination);
    }
    for row in rows(app, "SELECT person_id, decision_date FROM admissions").await {
        found.entry(id(&row, "person_id")).or_default().decisions.push(day(&row, "decision_date"));
    }
    found
}

/// The certificates (province, certificate date, person): each completed awareness enrolment
/// with a certificate toward every province above its organiser on the class's first day.
async fn certificates(app: &TestApp) -> BTreeSet<(i64, NaiveDate, i64)> {
    let closure = rows(
        app,
        "SELECT c.ancestor_id, c.descendant_id, c.valid_from, c.valid_to FROM unit_closure c \
         JOIN units u ON u.id = c.ancestor_id WHERE u.level = 'PROVINCE'",
    )
    .await;
    let enrolments = rows(
        app,
        "SELECT e.person_id, e.certificate_date, cl.organiser_unit_id, cl.starts_on FROM enrolments e \
         JOIN classes cl ON cl.id = e.class_id WHERE cl.kind = 'AWARENESS' AND e.result = 'COMPLETED'",
    )
    .await;
    let mut found = BTreeSet::new();
    for enrolment in &enrolments {
        let Some(certified) = optional_day(enrolment, "certificate_date") else { continue };
        let (organiser, starts) = (id(enrolment, "organiser_unit_id"), day(enrolment, "starts_on"));
        for row in &closure {
            if id(row, "descendant_id") == organiser
                && day(row, "valid_from") <= starts
                && starts < day(row, "valid_to")
            {
                found.insert((id(row, "ancestor_id"), certified, id(enrolment, "person_id")));
            }
        }
    }
    found
}

/// What the table should hold, counted here.
async fn recount(app: &TestApp) -> Cohorts {
    let records = records(app).await;
    let none = Records::default();
    let keys: BTreeMap<i64, i32> = rows(app, "SELECT id, disclosure_key FROM persons")
        .await
        .iter()
        .map(|row| (id(row, "id"), row.try_get::<i32>("", "disclosure_key").unwrap()))
        .collect();
    certificates(app)
        .await
        .into_iter()
        .map(|key| {
            let person = records.get(&key.2).unwrap_or(&none);
            let (fate, reason) = person.fate_on(NaiveDate::MAX);
            (key, (person.settled_on(), fate, reason, keys[&key.2]))
        })
        .collect()
}

/// Asserts that the table equals the recount after `step`.
pub async fn assert_cohorts_exact(app: &TestApp, step: &str) {
    assert_eq!(cohort_rows(app).await, recount(app).await, "the awareness cohorts differ from a recount after {step}");
}

/// A unit's funnel counted here: the distinct people certified in `from..=to` toward `province`,
/// by their fate on `on` (and the removed by reason).
async fn counted_funnel(app: &TestApp, province: i64, from: NaiveDate, to: NaiveDate, on: NaiveDate) -> Value {
    let records = records(app).await;
    let none = Records::default();
    let people: BTreeSet<i64> = certificates(app)
        .await
        .into_iter()
        .filter(|&(unit, certified, _)| unit == province && from <= certified && certified <= to)
        .map(|(_, _, person)| person)
        .collect();
    let mut fates: BTreeMap<String, i64> = BTreeMap::new();
    let mut reasons: BTreeMap<String, i64> = BTreeMap::new();
    for person in &people {
        let (fate, reason) = records.get(person).unwrap_or(&none).fate_on(on);
        if fate == "REMOVED" {
            *reasons.entry(reason.unwrap_or_default()).or_default() += 1;
        }
        *fates.entry(fate).or_default() += 1;
    }
    let fate = |name: &str| fates.get(name).copied().unwrap_or(0);
    json!({
        "completed": people.len(),
        "admitted": fate("ADMITTED"),
        "removed": fate("REMOVED"),
        "stillInSource": fate("IN_SOURCE"),
        "other": fate("OTHER"),
        "removedByReason": reasons,
    })
}

const FUNNEL: &str = "query($code: String!, $period: PeriodInput!) { unit(code: $code) { stats(period: $period) {
    funnel { observedOn completed admitted removed stillInSource other removedByReason { category count } } } } }";

/// The API's funnel, its removals by reason as a map.
async fn shown_funnel(app: &TestApp, code: &str, period: Value) -> Value {
    let data = app.ok(FUNNEL, json!({ "code": code, "period": period })).await;
    let mut funnel = data["unit"]["stats"]["funnel"].clone();
    let shown: Vec<(String, i64)> = funnel["removedByReason"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| (row["category"].as_str().unwrap().to_owned(), row["count"].as_i64().unwrap()))
        .filter(|(_, count)| *count > 0)
        .collect();
    let reasons: BTreeMap<String, i64> = shown.iter().cloned().collect();
    assert_eq!(reasons.len(), shown.len(), "{code}: each reason once in {shown:?}");
    funnel["removedByReason"] = json!(reasons);
    funnel.as_object_mut().unwrap().remove("observedOn");
    funnel
}

async fn provinces(app: &TestApp) -> Vec<(i64, String)> {
    rows(app, "SELECT id, code FROM units WHERE level = 'PROVINCE' ORDER BY code")
        .await
        .iter()
        .map(|row| (id(row, "id"), row.try_get::<String>("", "code").unwrap()))
        .collect()
}

fn date_literal(app: &TestApp, day: &str) -> String {
    if app.is_postgres() { format!("DATE '{day}'") } else { format!("'{day}'") }
}

/// Runs `sql`, a change made behind the server's back, and tells its read cache as a restore would.
async fn edit(app: &TestApp, sql: &str) {
    let backend = app.db.get_database_backend();
    app.db.execute_raw(Statement::from_string(backend, sql)).await.unwrap();
    app.cache.changed(&ketnap::cache::Footprint::Everything);
}

fn ymd(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// The years the demo's certificates are dated in.
fn certificate_years(kept: &Cohorts) -> BTreeSet<i32> {
    kept.keys().map(|(_, certified, _)| certified.year()).collect()
}

/// Every demo province's funnel for each year with certificates, observed today (the people's
/// fates settled) and on days within and at the end of the year (some of them not yet settled,
/// so probed), equals the funnel counted here; the demo's rows equal the recount.
#[tokio::test]
async fn a_provinces_funnel_from_its_rows_equals_a_count_of_the_records() {
    let app = TestApp::with_demo().await;
    let kept = cohort_rows(&app).await;
    assert!(kept.len() > 5, "the demo's cohorts are not trivially empty");
    assert_cohorts_exact(&app, "the demo's load").await;
    let today = ketnap::calendar::today_in_vietnam();
    let (mut unsettled, mut settled) = (0, 0);
    for (province, code) in provinces(&app).await {
        for year in certificate_years(&kept) {
            let (start, end) = (ymd(&format!("{year}-01-01")), ymd(&format!("{year}-12-31")));
            let days = [None, Some(ymd(&format!("{year}-07-01"))), Some(end)];
            for as_of in days.into_iter().filter(|day| day.is_none_or(|day| day <= today)) {
                let on = as_of.unwrap_or(today);
                let counted_to = end.min(on);
                for ((unit, certified, _), (settled_on, ..)) in &kept {
                    if *unit == province && start <= *certified && *certified <= counted_to {
                        if *settled_on > on { unsettled += 1 } else { settled += 1 }
                    }
                }
                let period = json!({ "year": year, "asOf": as_of.map(|day| day.to_string()) });
                assert_eq!(
                    shown_funnel(&app, &code, period).await,
                    counted_funnel(&app, province, start, counted_to, on).await,
                    "{code}'s funnel of {year} observed on {on}"
                );
            }
        }
    }
    assert!(settled > 0, "some people's fates had settled by the day they are observed on, so are read from the rows");
    assert!(unsettled > 0, "some people's fates had not settled by the day they are observed on, so are probed");

    // Some rows, then every row, marked as settling only at the end of time: those people are
    // probed, the removed with their reasons among them, and the funnels are what they were.
    // First one person of each funnel's reason that counts several: that reason then counts
    // people read from the rows and people probed, and shows once with their sum. The demo
    // removed one person per reason and cohort, so a second one of the first cohort's is removed.
    let in_cohort_of = |(unit, certified): (i64, NaiveDate), wanted: &str| {
        kept.iter()
            .find(|((other, day, _), (_, fate, ..))| *other == unit && day.year() == certified.year() && fate == wanted)
            .map(|((.., person), (.., reason, _))| (*person, reason.clone()))
    };
    let (in_source, reason) = kept
        .keys()
        .find_map(|(unit, certified, _)| {
            let (_, reason) = in_cohort_of((*unit, *certified), "REMOVED")?;
            Some((in_cohort_of((*unit, *certified), "IN_SOURCE")?.0, reason))
        })
        .expect("a cohort has someone removed and someone in the source");
    let nomination =
        rows(&app, &format!("SELECT id FROM nominations WHERE person_id = {in_source} AND removed_on IS NULL")).await;
    let nomination = to_global(NodeKind::Nomination, id(&nomination[0], "id")).0;
    let remove = "mutation($id: ID!, $reason: RemovalReason!) {
        removeFromSource(input: { nominationId: $id, reason: $reason }) { nomination { status } } }";
    app.ok(remove, json!({ "id": nomination, "reason": reason })).await;
    assert_cohorts_exact(&app, "removeFromSource").await;
    let kept = cohort_rows(&app).await;
    let mut removed_by_reason: BTreeMap<(i64, i32, Option<String>), BTreeSet<i64>> = BTreeMap::new();
    for ((unit, certified, person), (_, fate, reason, _)) in &kept {
        if fate == "REMOVED" {
            removed_by_reason.entry((*unit, certified.year(), reason.clone())).or_default().insert(*person);
        }
    }
    let one_of_several: Vec<String> = removed_by_reason
        .values()
        .filter(|people| people.len() > 1)
        .filter_map(|people| people.first().map(i64::to_string))
        .collect();
    assert!(!one_of_several.is_empty(), "some funnel's reason counts several people: {removed_by_reason:?}");
    let some = format!(" WHERE person_id IN ({})", one_of_several.join(", "));
    let end_of_time = date_literal(&app, "9999-12-31");
    for (which, condition) in [("some", some.as_str()), ("all", "")] {
        edit(&app, &format!("UPDATE awareness_cohorts SET settled_on = {end_of_time}{condition}")).await;
        let mut removed = 0;
        for (province, code) in provinces(&app).await {
            for year in certificate_years(&kept) {
                let (start, end) = (ymd(&format!("{year}-01-01")), ymd(&format!("{year}-12-31")));
                let counted = counted_funnel(&app, province, start, end.min(today), today).await;
                removed += counted["removed"].as_i64().unwrap();
                assert_eq!(
                    shown_funnel(&app, &code, json!({ "year": year })).await,
                    counted,
                    "{code}'s funnel of {year}, {which} probed"
                );
            }
        }
        assert!(removed > 0, "the probed funnels have people removed from the source, by reason");
    }
}

/// The funnel of a province is read from its rows (an edit of them shows) and a district's is
/// counted live (the same edit does not reach it).
#[tokio::test]
async fn a_provinces_funnel_reads_its_rows_and_a_districts_does_not() {
    let app = TestApp::with_demo().await;
    let kept = cohort_rows(&app).await;
    let ((province, certified, _), _) = kept.iter().next().expect("the demo has certificates");
    let (province, year) = (*province, certified.year());
    let code = provinces(&app).await.into_iter().find(|(id, _)| *id == province).unwrap().1;
    let period = json!({ "year": year });
    let mut district = None;
    for row in rows(&app, &format!("SELECT code FROM units WHERE parent_id = {province} ORDER BY code")).await {
        let child = row.try_get::<String>("", "code").unwrap();
        let funnel = shown_funnel(&app, &child, period.clone()).await;
        if funnel["completed"].as_i64().unwrap() > 0 {
            district = Some((child, funnel));
            break;
        }
    }
    let (district, district_before) = district.expect("a district of the province has a cohort that year");
    let province_before = shown_funnel(&app, &code, period.clone()).await;
    assert!(province_before["completed"].as_i64().unwrap() > 0, "{code} has a {year} cohort");
    assert_ne!(province_before["other"], province_before["completed"], "{code}'s cohort is not all OTHER");
    let settled = date_literal(&app, "2000-01-01");
    edit(
        &app,
        &format!("UPDATE awareness_cohorts SET fate = 'OTHER', settled_on = {settled} WHERE province_id = {province}"),
    )
    .await;
    let (province_after, district_after) =
        (shown_funnel(&app, &code, period.clone()).await, shown_funnel(&app, &district, period).await);
    assert_eq!(province_after["other"], province_before["completed"], "every row of {code} now says OTHER");
    assert_eq!(district_after, district_before, "{district}'s funnel is counted live");

    // Both in one request: the loader asks for both units at once, and one statement reads the
    // province's rows and counts the district live (the list is split by level first).
    let both = format!(
        "query($period: PeriodInput!) {{ p: unit(code: \"{code}\") {{ ...f }} d: unit(code: \"{district}\") {{ ...f }} }} \
         fragment f on Unit {{ stats(period: $period) {{ funnel {{ completed other }} }} }}"
    );
    let variables = json!({ "period": { "year": year } });
    let data = app.ok(&both, variables.clone()).await;
    assert_eq!(data["p"]["stats"]["funnel"]["other"], province_after["other"], "{code} in one request with {district}");
    assert_eq!(data["d"]["stats"]["funnel"]["completed"], district_before["completed"], "{district} beside {code}");
    let funnels: Vec<String> = app
        .statement_texts_for(&both, variables)
        .await
        .into_iter()
        .filter(|sql| sql.contains("awareness_cohorts") || sql.contains("e.certificate_date"))
        .collect();
    assert_eq!(funnels.len(), 1, "one funnel statement for both units: {funnels:#?}");
    assert!(funnels[0].contains("awareness_cohorts") && funnels[0].contains("enrolments"), "{funnels:#?}");

    // A province alone: its rows' part only, no live part for its plan to walk the closure in.
    let alone = app.statement_texts_for(FUNNEL, json!({ "code": code, "period": { "year": year } })).await;
    let funnel: Vec<&String> = alone.iter().filter(|sql| sql.contains("awareness_cohorts")).collect();
    assert_eq!(funnel.len(), 1, "{alone:#?}");
    assert!(!funnel[0].contains("enrolments") && !funnel[0].contains("unit_closure"), "{code} alone: {}", funnel[0]);
}

/// Applying the migration that adds the table to a database that already holds classes,
/// certificates, nominations and admissions fills it from them: here the demo's data, with the
/// table dropped and the migration marked pending again as before an upgrade.
#[tokio::test]
async fn the_migration_that_adds_the_cohorts_fills_them_from_the_records_already_there() {
    let app = TestApp::with_demo().await;
    let kept = cohort_rows(&app).await;
    app.upgrade_from_before("awareness_cohorts", "m20261213_000021_awareness_cohorts").await;
    assert_eq!(cohort_rows(&app).await, kept, "the upgrade fills the table as the writes kept it");
}

/// A district that organised awareness classes moves to another province from a day before its
/// classes: their certificates now count toward the new province, and the rows follow (the
/// regrouped provinces are recounted from that day).
#[tokio::test]
async fn a_move_across_provinces_moves_the_certificates_of_the_classes_it_organised() {
    let app = TestApp::with_demo().await;
    let before = cohort_rows(&app).await;
    let id_of = async |code: &str| {
        app.ok("query($c: String!) { unit(code: $c) { id } }", json!({ "c": code })).await["unit"]["id"].clone()
    };
    let (district, province) = (id_of("QNM.BTM").await, id_of("DBN").await);
    let on = ketnap::calendar::today_in_vietnam() - chrono::Days::new(1300);
    let move_unit = "mutation($id: ID!, $to: ID!, $on: Date!) {
        moveUnit(input: { id: $id, parentId: $to, effectiveOn: $on }) { unit { code } } }";
    app.ok(move_unit, json!({ "id": district, "to": province, "on": on.to_string() })).await;
    assert_cohorts_exact(&app, "moveUnit across provinces").await;
    let after = cohort_rows(&app).await;
    let dbn = provinces(&app).await.into_iter().find(|(_, code)| code == "DBN").unwrap().0;
    let count = |rows: &Cohorts| rows.keys().filter(|(unit, _, _)| *unit == dbn).count();
    assert!(count(&after) > count(&before), "Bắc Trà My's certificates now count toward DBN");
    assert_eq!(after.len(), before.len(), "each certificate still counts toward one province");
}

/// The version of a person's rows as the database keeps it: PostgreSQL's `xmin` (the transaction
/// that wrote the row's current version) or SQLite's `rowid` (kept by an update, new after a
/// deletion and insertion).
async fn row_versions(app: &TestApp, person: &str) -> Vec<String> {
    let person = ketnap::graphql::ids::from_global(&async_graphql::ID(person.to_owned())).expect("a person ID").1;
    let version = if app.is_postgres() { "CAST(xmin AS TEXT)" } else { "CAST(rowid AS TEXT)" };
    let sql = format!("SELECT {version} AS v FROM awareness_cohorts WHERE person_id = {person} ORDER BY province_id");
    rows(app, &sql).await.iter().map(|row| row.try_get::<String>("", "v").unwrap()).collect()
}

/// A write about a person rewrites their rows in place and only where they changed: the admission
/// changes the row's fate (updated, on SQLite under the same rowid); the recognition after it
/// changes nothing in the row, which keeps its version on both databases. Deleting and inserting
/// the rows again checked both foreign keys each time, and the province's unit row was locked for
/// it by every concurrent admission of the province.
#[tokio::test]
async fn a_write_about_a_person_updates_their_rows_in_place_and_only_when_changed() {
    use crate::common::pipeline::{citizen, id as id_of, ready_candidate};
    let app = TestApp::new().await;
    let ready = ready_candidate(&app, "2000-02-10").await;
    // Someone certified after her, so that her row is not the table's last: SQLite gives a row
    // inserted again the last rowid plus one, which would be hers again.
    let other = app.nominate(citizen("Hồ Thị Hoa", "2001-04-04")).into(&ready.place.cell).await;
    let other = id_of(&other.expect("nominated")["person"]);
    app.trained(&ready.place.district, &[&other], "2020-06-08").await;
    let nominated = row_versions(&app, &ready.candidate).await;
    assert_eq!(nominated.len(), 1, "one certificate, one province");
    let admission = app.admit(&ready.candidate).into(&ready.place).introduced_by(&ready.introducers()).on("2021-03-02");
    let admission = id_of(&admission.await.expect("admitted"));
    assert_cohorts_exact(&app, "admit").await;
    let admitted = row_versions(&app, &ready.candidate).await;
    if !app.is_postgres() {
        assert_eq!(admitted, nominated, "the fate changed in place");
    }
    app.ceremony(&admission, "2021-03-10").await.expect("the ceremony is recorded");
    app.recognise(&admission, "2022-03-11").await.expect("recognised");
    assert_cohorts_exact(&app, "recogniseOfficial").await;
    assert_eq!(row_versions(&app, &ready.candidate).await, admitted, "nothing in the row changed");
}
