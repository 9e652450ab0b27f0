//! The GraphQL documents in `examples/` — what a province dashboard sends — run against the demo
//! database. Each must answer without errors, and its figures must agree with the demo's rows and
//! with each other. The demo's dates are relative to the day it is created, so the checks hold
//! whatever that day is: the year asked about is last year, in which the demo always has
//! admissions (in Trà Nú).

use chrono::Datelike;
use ketnap::calendar::today_in_vietnam;
use ketnap::entity::{admission, unit};
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::common::TestApp;

const PROVINCE_OVERVIEW: &str = include_str!("../../examples/province_overview.graphql");
const DISTRICT_RANKING: &str = include_str!("../../examples/district_ranking.graphql");
const COMMUNE_DRILL_DOWN: &str = include_str!("../../examples/commune_drill_down.graphql");
const PIPELINE_FUNNEL: &str = include_str!("../../examples/pipeline_funnel.graphql");
const RECOGNITIONS_DUE: &str = include_str!("../../examples/recognitions_due.graphql");

const PROVINCES: [&str; 3] = [ketnap::demo::QUANG_NAM, ketnap::demo::DIEN_BIEN, ketnap::demo::BAC_KAN];

fn last_year() -> i32 {
    today_in_vietnam().year() - 1
}

fn int(value: &Value) -> i64 {
    value.as_i64().unwrap_or_else(|| panic!("not an integer: {value}"))
}

fn nodes(value: &Value) -> &Vec<Value> {
    value.as_array().unwrap_or_else(|| panic!("not a list: {value}"))
}

/// The sum of `field` over a list.
fn sum(list: &Value, field: &str) -> i64 {
    nodes(list).iter().map(|item| int(&item[field])).sum()
}

/// The demo's admissions decided in `year` in cells whose code starts with `prefix`, counted from
/// the rows (the demo moves no unit, so a cell's code names its ancestors on every date).
async fn admissions_in(app: &TestApp, prefix: &str, year: i32) -> i64 {
    let units = unit::Entity::find().all(&app.db).await.unwrap();
    let code = |id: i64| units.iter().find(|u| u.id == id).map(|u| u.code.clone()).unwrap_or_default();
    let rows = admission::Entity::find().all(&app.db).await.unwrap();
    let under = |a: &&admission::Model| code(a.cell_id).starts_with(&format!("{prefix}.")) || code(a.cell_id) == prefix;
    rows.iter().filter(|a| a.decision_date.year() == year).filter(under).count() as i64
}

/// Attainment, when there is a target, is the exact ratio of the admissions to it.
fn check_attainment(stats: &Value) {
    let admissions = int(&stats["admissions"]);
    match stats["assignedTarget"].as_i64() {
        Some(target) if target > 0 => {
            let attainment = &stats["attainment"];
            assert_eq!(int(&attainment["target"]), target);
            assert_eq!(int(&attainment["admissions"]), admissions);
            assert_eq!(attainment["ratio"].as_f64(), Some(admissions as f64 / target as f64));
            assert_eq!(int(&attainment["difference"]), admissions - target);
        }
        _ => assert_eq!(stats["attainment"], Value::Null),
    }
}

/// Every person of a cohort ended up somewhere.
fn check_funnel(funnel: &Value) {
    let parts = ["admitted", "removed", "stillInSource", "other"].iter().map(|f| int(&funnel[*f])).sum::<i64>();
    assert_eq!(int(&funnel["completed"]), parts, "{funnel}");
    assert_eq!(sum(&funnel["removedByReason"], "count"), int(&funnel["removed"]), "{funnel}");
}

#[tokio::test]
async fn province_overview_reads_every_figure_of_a_province() {
    let app = TestApp::with_demo().await;
    let year = last_year();
    // (code, districts, communes, cells): Bắc Kạn has a commune directly under it.
    for (code, districts, communes, cells) in [("QNM", 3, 5, 17), ("DBN", 2, 3, 6), ("BKN", 1, 2, 5)] {
        let data = app.ok(PROVINCE_OVERVIEW, json!({ "code": code, "year": year })).await;
        let stats = &data["unit"]["stats"];
        assert_eq!(stats["period"]["label"], year.to_string());
        let admissions = int(&stats["admissions"]);
        assert_eq!(admissions, admissions_in(&app, code, year).await, "{code}");
        check_attainment(stats);
        assert!(int(&stats["resolutionTarget"]) > int(&stats["assignedTarget"]), "{code}: the own target is higher");
        for breakdown in
            ["admissionsByEthnicity", "admissionsByGender", "admissionsByAgeBand", "admissionsByOccupation"]
        {
            assert_eq!(sum(&stats[breakdown], "count"), admissions, "{code} {breakdown}");
        }
        assert_eq!(int(&stats["ethnicMinorityAdmissions"]) + int(&stats["kinhAdmissions"]), admissions);
        let quarters: Vec<&str> = nodes(&stats["timeSeries"]).iter().filter_map(|q| q["label"].as_str()).collect();
        assert_eq!(quarters, (1..=4).map(|q| format!("Q{q} {year}")).collect::<Vec<_>>());
        assert_eq!(sum(&stats["timeSeries"], "admissions"), admissions, "{code}");
        check_funnel(&stats["funnel"]);
        assert_eq!(
            (int(&stats["districts"]), int(&stats["communes"]), int(&stats["cells"])),
            (districts, communes, cells),
            "{code}"
        );
        // Assigned and resolution targets for last year, this year and the 2020–2025 term.
        let mut targets: Vec<String> = nodes(&data["unit"]["targets"])
            .iter()
            .map(|t| format!("{} {}", t["kind"].as_str().unwrap(), t["period"]["label"].as_str().unwrap()))
            .collect();
        targets.sort();
        let this_year = year + 1;
        let mut expected: Vec<String> = ["ASSIGNED", "RESOLUTION"]
            .iter()
            .flat_map(|kind| [format!("{kind} {year}"), format!("{kind} {this_year}"), format!("{kind} 2020–2025")])
            .collect();
        expected.sort();
        assert_eq!(targets, expected, "{code}");
    }

    // Quảng Nam exceeds its target, Điện Biên falls short.
    let quang_nam = app.ok(PROVINCE_OVERVIEW, json!({ "code": "QNM", "year": year })).await;
    let percent = quang_nam["unit"]["stats"]["attainment"]["percent"].as_f64().unwrap();
    assert!(percent >= 100.0, "Quảng Nam attains {percent} %");
    let dien_bien = app.ok(PROVINCE_OVERVIEW, json!({ "code": "DBN", "year": year })).await;
    let percent = dien_bien["unit"]["stats"]["attainment"]["percent"].as_f64().unwrap();
    assert!(percent < 100.0, "Điện Biên attains {percent} %");

    // This year so far: counted up to today; every member of the demo counted once, in one province.
    let today = today_in_vietnam();
    let (mut probationary, mut official) = (0, 0);
    for code in PROVINCES {
        let variables = json!({ "code": code, "year": today.year(), "asOf": today.to_string() });
        let stats = app.ok(PROVINCE_OVERVIEW, variables).await["unit"]["stats"].clone();
        assert_eq!(stats["period"]["countedUntil"], today.to_string());
        assert_eq!(int(&stats["projection"]["admissionsSoFar"]), int(&stats["admissions"]));
        probationary += int(&stats["probationaryMembers"]);
        official += int(&stats["officialMembers"]);
    }
    assert_eq!((probationary, official), (6, 17), "16 and the member transferred in (demo lifecycle)");
}

#[tokio::test]
async fn district_ranking_orders_the_units_below_by_attainment() {
    let app = TestApp::with_demo().await;
    let year = last_year();
    let data = app.ok(DISTRICT_RANKING, json!({ "code": "QNM", "year": year })).await;
    let stats = &data["unit"]["stats"];
    let rows = nodes(&stats["ranking"]);
    assert_eq!(rows.iter().map(|r| int(&r["rank"])).collect::<Vec<_>>(), vec![1, 2, 3]);
    let mut codes: Vec<&str> = rows.iter().map(|r| r["unit"]["code"].as_str().unwrap()).collect();
    codes.sort();
    assert_eq!(codes, vec!["QNM.BTM", "QNM.DBA", "QNM.NTH"]);
    let ratios: Vec<f64> = rows.iter().map(|r| r["attainment"]["ratio"].as_f64().unwrap()).collect();
    assert!(ratios.windows(2).all(|pair| pair[0] >= pair[1]), "{ratios:?}");
    assert!(ratios[0] >= 1.0, "the best district attains its target: {ratios:?}");
    let dien_ban = rows.iter().find(|r| r["unit"]["code"] == "QNM.DBA").unwrap();
    assert!(dien_ban["attainment"]["percent"].as_f64().unwrap() < 100.0, "{dien_ban}");
    let by_district: i64 = rows.iter().map(|r| int(&r["attainment"]["admissions"])).sum();
    assert_eq!(by_district, int(&stats["admissions"]));
    assert_eq!(nodes(&stats["byResolution"]).len(), 3);

    // Điện Bàn's communes: Điện Hòa has no target and comes last, unranked by attainment.
    let data = app.ok(DISTRICT_RANKING, json!({ "code": "QNM.DBA", "year": year })).await;
    let rows = nodes(&data["unit"]["stats"]["ranking"]);
    let summary: Vec<(i64, &str, bool)> = rows
        .iter()
        .map(|r| (int(&r["rank"]), r["unit"]["code"].as_str().unwrap(), r["attainment"].is_null()))
        .collect();
    assert_eq!(summary, vec![(1, "QNM.DBA.DIENNGOC", false), (2, ketnap::demo::DIEN_HOA, true)]);
    let last = &data["unit"]["stats"]["byResolution"][1];
    assert_eq!((last["unit"]["code"].as_str(), last["attainment"].is_null()), (Some(ketnap::demo::DIEN_HOA), true));
}

#[tokio::test]
async fn commune_drill_down_shows_each_cell() {
    let app = TestApp::with_demo().await;
    let year = last_year();
    let data = app.ok(COMMUNE_DRILL_DOWN, json!({ "code": ketnap::demo::TRA_NU, "year": year })).await;
    let commune = &data["unit"];
    let ancestors: Vec<&str> = nodes(&commune["ancestors"]).iter().map(|u| u["code"].as_str().unwrap()).collect();
    assert_eq!(ancestors, vec!["QNM", "QNM.BTM"]);
    let cells = &commune["children"];
    assert_eq!(int(&cells["totalCount"]), 6);
    assert_eq!(int(&commune["stats"]["cells"]), 6);
    assert!(nodes(&cells["nodes"]).iter().any(|c| c["name"] == "Chi bộ Trường PTDTBT TH Trà Nú"));
    let per_cell = |field: &str| nodes(&cells["nodes"]).iter().map(|c| int(&c["stats"][field])).sum::<i64>();
    let stats = &commune["stats"];
    let admissions = int(&stats["admissions"]);
    assert!(admissions >= 1, "Trà Nú admits someone every year of the demo");
    assert_eq!(admissions, admissions_in(&app, ketnap::demo::TRA_NU, year).await);
    for field in ["admissions", "recognitions", "namesDeleted", "probationaryMembers", "officialMembers", "inSource"] {
        assert_eq!(per_cell(field), int(&stats[field]), "{field}");
    }
    check_attainment(stats);
    assert!(stats["attainment"]["percent"].as_f64().unwrap() >= 100.0, "{stats}");
    // Trà Nú's admissions are of the Xơ Đăng and Co peoples and of Kinh teachers.
    let minorities = int(&stats["ethnicMinorityAdmissions"]);
    assert!(minorities >= 1 && minorities <= admissions, "{stats}");
}

#[tokio::test]
async fn pipeline_funnel_follows_each_cohort() {
    let app = TestApp::with_demo().await;
    let this_year = today_in_vietnam().year();
    // The demo's classes ran from 1,200 days ago to last week: five years hold every cohort.
    let (mut completed, mut admitted) = (0, 0);
    for year in this_year - 4..=this_year {
        for code in PROVINCES {
            let data = app.ok(PIPELINE_FUNNEL, json!({ "code": code, "year": year })).await;
            let unit = &data["unit"];
            let funnel = &unit["stats"]["funnel"];
            check_funnel(funnel);
            assert_eq!(funnel["observedOn"], today_in_vietnam().to_string());
            let below: Vec<&Value> = nodes(&unit["children"]["nodes"]).iter().map(|c| &c["stats"]["funnel"]).collect();
            below.iter().for_each(|f| check_funnel(f));
            assert_eq!(
                below.iter().map(|f| int(&f["completed"])).sum::<i64>(),
                int(&funnel["completed"]),
                "{code} {year}"
            );
            completed += int(&funnel["completed"]);
            admitted += int(&funnel["admitted"]);
        }
    }
    // Sixteen people completed an awareness class; eleven of them have been admitted.
    assert_eq!((completed, admitted), (16, 11));
}

#[tokio::test]
async fn recognitions_due_lists_the_probations_ending_or_overdue() {
    let app = TestApp::with_demo().await;
    let year = today_in_vietnam().year();
    let (mut due, mut overdue) = (0, 0);
    for code in PROVINCES {
        let within = app.unit_id(code).await;
        let data = app.ok(RECOGNITIONS_DUE, json!({ "code": code, "year": year, "within": within })).await;
        let review = &data["probationReview"];
        let items = nodes(&review["nodes"]);
        assert_eq!(int(&review["totalCount"]), items.len() as i64);
        for item in items {
            assert_eq!(item["isOverdue"].as_bool(), Some(int(&item["daysRemaining"]) < 0), "{item}");
            assert!(int(&item["daysRemaining"]) <= 30, "{item}");
            let cell = item["admission"]["cell"]["code"].as_str().unwrap();
            assert!(cell.starts_with(&format!("{code}.")), "{cell} is under {code}");
        }
        due += items.len();
        overdue += items.iter().filter(|item| item["isOverdue"] == true).count();
    }
    // Two probationers are overdue for recognition and one is due within 30 days.
    assert_eq!((due, overdue), (3, 2));
}
