//! Issue 15, item 3: small counts identify people. A `dashboard` token (figures only) pinned a
//! cell's single admission of a month to its day with aliased monthly and daily `stats`, then read
//! the person's ethnicity, religion, gender, age band, education, occupation and nominating body
//! from the `admissionsBy*` breakdowns. Under disclosure control (README, "Access control") a
//! breakdown shown to a role that may not read personal records withholds every category below
//! the threshold (5), with enough others that none can be subtracted out, and is published only
//! for whole calendar periods, and every count it shows is perturbed by its cell key (the sum of
//! the counted people's disclosure keys) so that two tables subtracted from each other don't count
//! out the people between them; a role that may read the records sees every category as counted.

use ketnap::auth::Role;
use ketnap::entity::vocabulary::{Gender, NominatingBody, Occupation, Religion, RemovalReason};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use super::{call, token};
use crate::http::{start_with, test_settings};
use crate::stats_figures::fixtures::{Org, Profile, admit, admit_many, close, d, nominate, people, person};

const BREAKDOWNS: &str = "admissions ethnicMinorityAdmissions kinhAdmissions
    e: admissionsByEthnicity { category count disclosure } g: admissionsByGender { category count disclosure }
    a: admissionsByAgeBand { category count disclosure } r: admissionsByReligion { category count disclosure }
    o: admissionsByOccupation { category count disclosure } n: admissionsByNominatingBody { category count disclosure }";

/// A cell of Quảng Nam whose 2021 admissions are 8 Kinh women farmers and, on 2 March, one Mông
/// man, a Protestant teacher born in 1960.
async fn cell_with_one_minority_admission() -> Org {
    let mut org = Org::new().await;
    org.unit("QN", None).await;
    org.unit("QN.A", Some("QN")).await;
    org.unit("QN.A.X", Some("QN.A")).await;
    let cell = org.unit("QN.A.X.1", Some("QN.A.X")).await;
    let kinh = people(&org.app, "Người Kinh", 8).await;
    let months = ["2021-01-10", "2021-02-10", "2021-04-10", "2021-05-10", "2021-06-10", "2021-07-10", "2021-08-10"];
    let entries: Vec<(i64, &str)> = kinh.iter().zip(months.iter().cycle()).map(|(p, on)| (*p, *on)).collect();
    admit_many(&org.app, cell, &entries).await;
    let profile = Profile {
        gender: Gender::Male,
        born: d("1960-05-01"),
        ethnicity: "Mông",
        religion: Religion::Protestantism,
        occupation: Occupation::Teacher,
        ..Profile::default()
    };
    let mong = person(&org.app, "Vừ A Dính", &profile).await;
    admit(&org.app, mong, cell, None, "2021-03-02").await;
    org
}

/// The attack: every day of March 2021, the month and the year, aliased in one request.
fn the_attack() -> String {
    let days: String = (1..=31)
        .map(|day| {
            format!(
                "d{day}: stats(period: {{ from: \"2021-03-{day:02}\", to: \"2021-03-{day:02}\" }}) {{ admissions }} "
            )
        })
        .collect();
    format!(
        "{{ unit(code: \"QN.A.X.1\") {{ {days}
            day: stats(period: {{ from: \"2021-03-02\", to: \"2021-03-02\" }}) {{ {BREAKDOWNS} }}
            month: stats(period: {{ year: 2021, month: 3 }}) {{ {BREAKDOWNS} }}
            year: stats(period: {{ year: 2021 }}) {{ {BREAKDOWNS} }} }} }}"
    )
}

/// Gives every person the disclosure key `key`, so that the tests know how each count is moved.
/// With 0, every sum of keys is 0, which moves a shown count by −2 (never below the threshold).
/// Keys set by hand, behind the summaries that carry their sums: rebuilt as after any such load.
async fn every_key(app: &crate::common::TestApp, key: i64) {
    app.db.execute_unprepared(&format!("UPDATE persons SET disclosure_key = {key}")).await.expect("keys set");
    app.rebuild_rollups().await;
}

fn withheld() -> Value {
    json!([{ "category": "SUPPRESSED", "count": null, "disclosure": "SUPPRESSED" }])
}

#[tokio::test]
async fn a_dashboard_cannot_read_one_admitted_persons_profile_from_the_breakdowns() {
    let org = cell_with_one_minority_admission().await;
    every_key(&org.app, 0).await;
    let base = start_with(&org.app, &test_settings_with_room()).await;
    let dashboard = token(Role::Dashboard, "QN.A.X");
    let response = call(&base, &dashboard, &the_attack(), json!({})).await;
    assert!(response.get("errors").is_none(), "{response:#}");
    let unit = &response["data"]["unit"];
    // The day is still found (counts of admissions describe no one)…
    assert_eq!(unit["d2"]["admissions"], 1);
    // …but no breakdown of the day, the month or the year tells who was admitted on it.
    for period in ["day", "month", "year"] {
        for breakdown in ["e", "g", "a", "r", "o", "n"] {
            if (period, breakdown) == ("year", "n") {
                // A category all nine share tells nothing about any one of them (9, moved by −2).
                let all = json!([{ "category": "UNKNOWN", "count": 7, "disclosure": "PERTURBED" }]);
                assert_eq!(unit[period][breakdown], all, "{unit:#}");
                continue;
            }
            assert_eq!(unit[period][breakdown], withheld(), "{period} {breakdown}: {unit:#}");
        }
        assert_eq!(unit[period]["ethnicMinorityAdmissions"], Value::Null, "{period}");
        assert_eq!(unit[period]["kinhAdmissions"], Value::Null, "{period}");
    }
    let text = response.to_string();
    for telling in ["Mông", "PROTESTANTISM", "TEACHER", "\"MALE", "FROM_46_TO_60"] {
        assert!(!text.contains(telling), "{telling} leaked: {text}");
    }

    // A viewer of the same unit may read the records themselves, and sees every category.
    let viewer = token(Role::Viewer, "QN.A.X");
    let response = call(&base, &viewer, &the_attack(), json!({})).await;
    let day = &response["data"]["unit"]["day"];
    assert_eq!(day["e"], json!([{ "category": "Mông", "count": 1, "disclosure": "SHOWN" }]), "{response:#}");
    assert_eq!(day["ethnicMinorityAdmissions"], 1);
}

#[tokio::test]
async fn large_categories_are_shown_for_whole_periods_and_never_for_ranges() {
    let mut org = Org::new().await;
    org.unit("QN", None).await;
    let cell = org.unit("QN.1", Some("QN")).await;
    let kinh = people(&org.app, "Kinh", 20).await;
    let tay = {
        let profile = Profile { ethnicity: "Tày", ..Profile::default() };
        let mut ids = Vec::new();
        for i in 0..6 {
            ids.push(person(&org.app, &format!("Tày {i}"), &profile).await);
        }
        ids
    };
    let thai = person(&org.app, "Thái", &Profile { ethnicity: "Thái", ..Profile::default() }).await;
    let entries: Vec<(i64, &str)> = kinh.iter().chain(&tay).chain([&thai]).map(|p| (*p, "2021-05-10")).collect();
    admit_many(&org.app, cell, &entries).await;
    every_key(&org.app, 0).await;
    let base = start_with(&org.app, &test_settings_with_room()).await;
    let dashboard = token(Role::Dashboard, "QN");
    let query = "{ unit(code: \"QN\") {
        year: stats(period: { year: 2021 }) { ethnicMinorityAdmissions e: admissionsByEthnicity { category count disclosure } }
        range: stats(period: { from: \"2021-01-01\", to: \"2021-12-30\" }) { e: admissionsByEthnicity { category count } }
        soFar: stats(period: { year: 2021, asOf: \"2021-05-10\" }) { e: admissionsByEthnicity { category count } }
        onEnd: stats(period: { year: 2021, boundaries: PERIOD_END }) { e: admissionsByEthnicity { category count } } } }";
    let response = call(&base, &dashboard, query, json!({})).await;
    let unit = &response["data"]["unit"];
    // The lone Thái admission is withheld, and with it the next smallest (Tày), so that
    // 27 − 20 cannot be split; the minority total (7) tells no one's group. Both are moved by
    // their cell keys (every key 0 here: −2).
    assert_eq!(
        unit["year"]["e"],
        json!([{ "category": "Kinh", "count": 18, "disclosure": "PERTURBED" },
               { "category": "SUPPRESSED", "count": null, "disclosure": "SUPPRESSED" }]),
        "{response:#}"
    );
    assert_eq!(unit["year"]["ethnicMinorityAdmissions"], 5);
    // Two ranges a day apart would pin one admission to its day: ranges and `asOf` are withheld.
    assert_eq!(unit["range"]["e"], json!([{ "category": "SUPPRESSED", "count": null }]));
    assert_eq!(unit["soFar"]["e"], json!([{ "category": "SUPPRESSED", "count": null }]));
    // On the boundaries of the year's end a merged unit's breakdown less its dated one would be its
    // predecessors' part: that second cut of the same facts is withheld too.
    assert_eq!(unit["onEnd"]["e"], json!([{ "category": "SUPPRESSED", "count": null }]));
}

#[tokio::test]
async fn the_breakdowns_report_applies_the_same_rule_to_a_dashboard() {
    let org = cell_with_one_minority_admission().await;
    let base = start_with(&org.app, &test_settings_with_room()).await;
    let fetch = |role: Role| {
        let base = base.clone();
        async move {
            let url = format!("{base}/reports/breakdowns.csv?unit=QN.A.X.1&year=2021");
            let response = reqwest::Client::new().get(url).bearer_auth(token(role, "QN.A")).send().await.expect("GET");
            assert_eq!(response.status(), 200);
            response.text().await.expect("a body")
        }
    };
    let as_dashboard = fetch(Role::Dashboard).await;
    assert!(!as_dashboard.contains("Mông") && as_dashboard.contains("SUPPRESSED"), "{as_dashboard}");
    let as_viewer = fetch(Role::Viewer).await;
    assert!(as_viewer.contains("Mông"), "{as_viewer}");
}

/// A district of two communes, one cell each, each cell admitting 20 Kinh in January 2021; in
/// March the first admits 6 Mông, the second 1 (who is withheld in their commune's breakdown).
async fn district_with_a_withheld_person_in_one_commune() -> (Org, Vec<i64>, i64) {
    let mut org = Org::new().await;
    org.unit("QN", None).await;
    org.unit("QN.A", Some("QN")).await;
    let mut mong = Vec::new();
    for (commune, minority) in [("X", 6), ("Y", 1)] {
        org.unit(&format!("QN.A.{commune}"), Some("QN.A")).await;
        let cell = org.unit(&format!("QN.A.{commune}.1"), Some(&format!("QN.A.{commune}"))).await;
        let kinh = people(&org.app, &format!("Kinh {commune}"), 20).await;
        let mut entries: Vec<(i64, &str)> = kinh.iter().map(|p| (*p, "2021-01-10")).collect();
        let profile = Profile { ethnicity: "Mông", ..Profile::default() };
        let mut these = Vec::new();
        for i in 0..minority {
            these.push(person(&org.app, &format!("Mông {commune} {i}"), &profile).await);
        }
        entries.extend(these.iter().map(|p| (*p, "2021-03-15")));
        admit_many(&org.app, cell, &entries).await;
        mong.extend(these);
    }
    let lone = mong.pop().expect("the second commune's Mông");
    (org, mong, lone)
}

/// The attack suppression alone left open: a district's category minus the same category in all
/// but one of its communes is that commune's withheld count; and a quarter minus its months, the
/// same. Asked as a month, a quarter or a year, the same people give the same released count (so
/// asking more ways averages nothing away), and the district less the commune is not the person.
#[tokio::test]
async fn subtracting_a_commune_from_its_district_does_not_count_out_the_withheld_person() {
    let (org, first_communes_mong, lone) = district_with_a_withheld_person_in_one_commune().await;
    let base = start_with(&org.app, &test_settings_with_room()).await;
    let query = "{ district: unit(code: \"QN.A\") { stats(period: { year: 2021 }) { e: admissionsByEthnicity { category count disclosure } } }
        x: unit(code: \"QN.A.X\") {
          march: stats(period: { year: 2021, month: 3 }) { e: admissionsByEthnicity { category count disclosure } }
          q1: stats(period: { year: 2021, quarter: 1 }) { e: admissionsByEthnicity { category count disclosure } }
          year: stats(period: { year: 2021 }) { e: admissionsByEthnicity { category count disclosure } } }
        y: unit(code: \"QN.A.Y\") { stats(period: { year: 2021 }) { e: admissionsByEthnicity { category count disclosure } } } }";
    let count = |breakdown: &Value, category: &str| {
        breakdown
            .as_array()
            .and_then(|rows| rows.iter().find(|row| row["category"] == category))
            .map(|row| row["count"].clone())
    };
    // A viewer may read the records: the district's 7 Mông less the first commune's 6 is the one
    // person of the second commune — the difference the attack reads.
    let viewer = call(&base, &token(Role::Viewer, "QN.A"), query, json!({})).await;
    assert_eq!(count(&viewer["data"]["district"]["stats"]["e"], "Mông"), Some(json!(7)), "{viewer:#}");
    assert_eq!(count(&viewer["data"]["x"]["year"]["e"], "Mông"), Some(json!(6)));

    // With the keys each person was given at random: the first commune's six Mông, asked as March,
    // the first quarter and the year (the same people each time), come out the same.
    let dashboard = token(Role::Dashboard, "QN.A");
    let response = call(&base, &dashboard, query, json!({})).await;
    let x = &response["data"]["x"];
    let mong = count(&x["march"]["e"], "Mông");
    assert!(mong.is_some(), "{response:#}");
    assert_eq!(count(&x["q1"]["e"], "Mông"), mong, "{response:#}");
    assert_eq!(count(&x["year"]["e"], "Mông"), mong, "{response:#}");
    assert_eq!(response["data"]["y"]["stats"]["e"], withheld(), "{response:#}");

    // Keys chosen so that the first commune's six sum to 0 (moved −2, held at the threshold: 5)
    // and the district's seven to 100 (not moved: 7): the difference says 2, not the one person.
    let set = |ids: &[i64], key: i64| {
        let list: Vec<String> = ids.iter().map(i64::to_string).collect();
        format!("UPDATE persons SET disclosure_key = {key} WHERE id IN ({})", list.join(", "))
    };
    org.app.db.execute_unprepared(&set(&first_communes_mong, 0)).await.expect("keys");
    org.app.db.execute_unprepared(&set(&[lone], 100)).await.expect("keys");
    org.app.rebuild_rollups().await;
    let fresh = start_with(&org.app, &test_settings_with_room()).await;
    let response = call(&fresh, &dashboard, query, json!({})).await;
    let district = count(&response["data"]["district"]["stats"]["e"], "Mông");
    let commune = count(&response["data"]["x"]["year"]["e"], "Mông");
    assert_eq!((district, commune), (Some(json!(7)), Some(json!(5))), "{response:#}");
    let mong_row = |e: &Value| e.as_array().and_then(|rows| rows.iter().find(|r| r["category"] == "Mông")).cloned();
    let row = mong_row(&response["data"]["district"]["stats"]["e"]).expect("the district's Mông row");
    assert_eq!(row["disclosure"], "PERTURBED");
}

/// A sign-off keeps each category's key beside its count: a figures-only role reads the official
/// breakdown perturbed exactly as the live one, so nothing shows as changed while nothing has, and
/// the two sides never give two differently perturbed readings of the same people.
#[tokio::test]
async fn a_signed_off_breakdown_is_perturbed_as_its_live_one() {
    let (org, _, _) = district_with_a_withheld_person_in_one_commune().await;
    let app = &org.app;
    // Keys whose sums (20 × 200, 6 × 200) leave both counts unmoved, where a key kept as 0 would
    // move them by −2: the sides agree only if the sign-off kept the keys.
    every_key(app, 200).await;
    let cell = app.ok("{ unit(code: \"QN.A.X.1\") { id } }", json!({})).await["unit"]["id"].clone();
    let cell = cell.as_str().expect("an id").to_owned();
    let admin = app.user(Role::Admin, "QN.A.X.1").await;
    crate::signoff::helpers::sign_off(app, &admin, &cell, 2021).await.expect("signed off");
    let query = "query($id: ID!) { node(id: $id) { ... on Unit { stats(period: { year: 2021 }) { official {
        changedSince breakdowns { breakdown changed official { category count disclosure } live { category count disclosure } } } } } } }";
    let dashboard = app.user(Role::Dashboard, "QN.A").await;
    let response = app.run_as(&dashboard, query, json!({ "id": cell })).await;
    let official = &response["data"]["node"]["stats"]["official"];
    let ethnicity = official["breakdowns"]
        .as_array()
        .and_then(|all| all.iter().find(|b| b["breakdown"] == "admissionsByEthnicity"));
    let ethnicity = ethnicity.expect("the ethnicity breakdown is kept");
    assert_eq!(ethnicity["official"], ethnicity["live"], "{response:#}");
    assert_eq!(ethnicity["official"][0]["disclosure"], "PERTURBED", "{response:#}");
    assert_eq!((&ethnicity["changed"], &official["changedSince"]), (&json!(false), &json!(false)), "{response:#}");
}

/// Removals by reason carry their people's keys too (read only for a release under control, since
/// summing them reads each removed person): six people who moved away, each key 100, sum to 600,
/// which leaves 6 unmoved, where keys left out (0) would have moved it to the threshold, 5.
#[tokio::test]
async fn removals_by_reason_are_perturbed_by_their_peoples_keys() {
    let mut org = Org::new().await;
    org.unit("QN", None).await;
    let cell = org.unit("QN.1", Some("QN")).await;
    for person in people(&org.app, "Rời đi", 6).await {
        let nomination = nominate(&org.app, person, cell, NominatingBody::Cell, "2021-01-10").await;
        close(&org.app, nomination, "2021-05-10", Some(RemovalReason::MovedAway)).await;
    }
    every_key(&org.app, 100).await;
    let base = start_with(&org.app, &test_settings_with_room()).await;
    let query =
        "{ unit(code: \"QN\") { stats(period: { year: 2021 }) { removedByReason { category count disclosure } } } }";
    let dashboard = call(&base, &token(Role::Dashboard, "QN"), query, json!({})).await;
    let removed = &dashboard["data"]["unit"]["stats"]["removedByReason"];
    assert_eq!(removed, &json!([{ "category": "MOVED_AWAY", "count": 6, "disclosure": "PERTURBED" }]), "{dashboard:#}");
    let viewer = call(&base, &token(Role::Viewer, "QN"), query, json!({})).await;
    let removed = &viewer["data"]["unit"]["stats"]["removedByReason"];
    assert_eq!(removed, &json!([{ "category": "MOVED_AWAY", "count": 6, "disclosure": "SHOWN" }]), "{viewer:#}");
}

/// The test settings with room for the aliased attack in the body.
fn test_settings_with_room() -> ketnap::config::ServeArgs {
    ketnap::config::ServeArgs { body_limit_bytes: 1 << 16, ..test_settings() }
}
