//! Terms begin at the congress (domain §3, issue 17 §1): a unit's congress of a term is recorded
//! with its day and resolution, audited and correctable; a term's figures count from the unit's
//! own congress to the day before its next one (the nominal years where none is recorded), the
//! period says which days it used, and a ranking's rows each count from their own congress —
//! in the same number of statements whatever the number of rows.

use serde_json::{Value, json};

use crate::attainment::nui_thanh;
use crate::attainment::org::{Org, year};
use crate::common::pipeline::citizen;

const RECORD: &str = "mutation($input: RecordCongressInput!) { recordCongress(input: $input) {
    congress { termStartYear termEndYear termLabel heldOn resolutionNumber note } } }";
const CORRECT: &str = "mutation($input: CorrectCongressInput!) { correctCongress(input: $input) {
    congress { heldOn resolutionNumber } } }";
const TERM_STATS: &str = "query($code: String!, $period: PeriodInput!) { unit(code: $code) {
    congresses { termLabel heldOn resolutionNumber }
    stats(period: $period) {
        period { label start end congressHeldOn nextCongressHeldOn targetPeriod { label } }
        admissions attainment { percent }
        ranking { rank unit { code } attainment { percent }
                  stats { admissions period { start end congressHeldOn } } } } } }";

fn term(start: i32, end: i32) -> Value {
    json!({ "startYear": start, "endYear": end })
}

fn congress_input(org: &Org, code: &str, start: i32, held_on: &str) -> Value {
    json!({ "unitId": org.id(code), "term": term(start, start + 5), "heldOn": held_on,
            "resolutionNumber": format!("01-NQ/ĐH {code}") })
}

async fn congress(org: &Org, code: &str, start: i32, held_on: &str) {
    org.app.ok(RECORD, json!({ "input": congress_input(org, code, start, held_on) })).await;
}

async fn term_stats(org: &Org, code: &str, start: i32) -> Value {
    let period = json!({ "term": term(start, start + 5) });
    org.app.ok(TERM_STATS, json!({ "code": code, "period": period })).await["unit"].clone()
}

#[tokio::test]
async fn a_term_counts_from_each_units_own_congress_and_the_ranking_uses_each_rows() {
    let mut org = Org::new().await;
    nui_thanh(&mut org).await;
    // Communes in spring, the district in summer (2015 and 2020); the province records none.
    congress(&org, "QN.NT.TN", 2015, "2015-04-10").await;
    congress(&org, "QN.NT.TN", 2020, "2020-04-15").await;
    congress(&org, "QN.NT.TT", 2020, "2020-05-20").await;
    congress(&org, "QN.NT", 2015, "2015-07-01").await;
    congress(&org, "QN.NT", 2020, "2020-07-10").await;
    org.admit("QN.NT.TN.1", "2020-04-01", 2, "Kinh").await; // before Tam Nghĩa's 2020 congress
    org.admit("QN.NT.TN.1", "2020-05-01", 3, "Kinh").await; // after it, before the district's
    org.admit("QN.NT.TT.1", "2020-06-01", 4, "Kinh").await; // after the township's
    org.admit("QN.NT.TT.2", "2020-08-01", 1, "Kinh").await; // after the district's
    org.admit("QN.NT.TN.2", "2021-03-01", 5, "Kinh").await; // in every unit's term
    for (code, target) in [("QN.NT.TN", 10), ("QN.NT.TT", 5), ("QN.NT", 12)] {
        org.target(code, "ASSIGNED", json!({ "term": term(2020, 2025) }), target).await;
    }

    let commune = term_stats(&org, "QN.NT.TN", 2020).await;
    assert_eq!(
        commune["stats"]["period"],
        json!({ "label": "2020–2025", "start": "2020-04-15", "end": "2025-12-31", "congressHeldOn": "2020-04-15",
                "nextCongressHeldOn": null, "targetPeriod": { "label": "2020–2025" } })
    );
    assert_eq!(commune["stats"]["admissions"], 8, "3 after the congress in 2020, 5 in 2021");
    assert_eq!(commune["stats"]["attainment"]["percent"], 80.0);
    assert_eq!(
        commune["congresses"],
        json!([{ "termLabel": "2015–2020", "heldOn": "2015-04-10", "resolutionNumber": "01-NQ/ĐH QN.NT.TN" },
               { "termLabel": "2020–2025", "heldOn": "2020-04-15", "resolutionNumber": "01-NQ/ĐH QN.NT.TN" }])
    );
    // The term before ends the day before the next congress: the 2 of 1 April 2020 are in it.
    let before = term_stats(&org, "QN.NT.TN", 2015).await["stats"].clone();
    assert_eq!(
        (before["period"]["start"].clone(), before["period"]["end"].clone()),
        (json!("2015-04-10"), json!("2020-04-14"))
    );
    assert_eq!(before["period"]["nextCongressHeldOn"], "2020-04-15");
    assert_eq!(before["admissions"], 2);

    let district = term_stats(&org, "QN.NT", 2020).await["stats"].clone();
    assert_eq!(district["period"]["start"], "2020-07-10");
    assert_eq!(district["admissions"], 6, "the 1 of August 2020 and the 5 of 2021");
    let ranking = district["ranking"].as_array().unwrap();
    let rows: Vec<(Value, Value, Value, Value)> = ranking
        .iter()
        .map(|row| {
            let stats = &row["stats"];
            (
                row["unit"]["code"].clone(),
                stats["admissions"].clone(),
                stats["period"]["start"].clone(),
                row["attainment"]["percent"].clone(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (json!("QN.NT.TT"), json!(5), json!("2020-05-20"), json!(100.0)),
            (json!("QN.NT.TN"), json!(8), json!("2020-04-15"), json!(80.0)),
        ],
        "each row from its own congress: the township's 4 + 1 of 5, Tam Nghĩa's 3 + 5 of 10"
    );
    // Without a recorded congress the term keeps its nominal years.
    let province = term_stats(&org, "QN", 2020).await["stats"].clone();
    assert_eq!(
        (
            province["period"]["start"].clone(),
            province["period"]["congressHeldOn"].clone(),
            province["admissions"].clone()
        ),
        (json!("2021-01-01"), Value::Null, json!(5))
    );
    // A year is a year: congresses do not move it.
    assert_eq!(org.stats("QN.NT.TN", year(2020)).await["admissions"], 5);
}

#[tokio::test]
async fn a_congress_is_held_in_its_terms_first_year_once_and_corrections_are_audited() {
    let mut org = Org::new().await;
    nui_thanh(&mut org).await;
    let late = org.app.error(RECORD, json!({ "input": congress_input(&org, "QN.NT.TN", 2020, "2021-01-05") })).await;
    assert_eq!(
        (late["extensions"]["code"].clone(), late["extensions"]["rule"].clone()),
        (json!("RULE_VIOLATION"), json!("CONGRESS_OUTSIDE_TERM_YEAR")),
        "the 2020–2025 congress is held in 2020: {late}"
    );
    congress(&org, "QN.NT.TN", 2020, "2020-04-15").await;
    let again = org.app.error(RECORD, json!({ "input": congress_input(&org, "QN.NT.TN", 2020, "2020-04-16") })).await;
    assert_eq!(again["extensions"]["code"], "CONFLICT");

    let correction = json!({ "unitId": org.id("QN.NT.TN"), "term": term(2020, 2025), "heldOn": "2020-04-18",
                             "resolutionNumber": "02-NQ/ĐH" });
    let corrected = org.app.ok(CORRECT, json!({ "input": correction })).await;
    assert_eq!(
        corrected["correctCongress"]["congress"],
        json!({ "heldOn": "2020-04-18", "resolutionNumber": "02-NQ/ĐH" })
    );
    let wrong_year = json!({ "unitId": org.id("QN.NT.TN"), "term": term(2020, 2025), "heldOn": "2019-12-30" });
    let refused = org.app.error(CORRECT, json!({ "input": wrong_year })).await;
    assert_eq!(refused["extensions"]["rule"], "CONGRESS_OUTSIDE_TERM_YEAR");
    let missing = json!({ "unitId": org.id("QN.NT.TT"), "term": term(2020, 2025), "heldOn": "2020-05-01" });
    assert_eq!(org.app.error(CORRECT, json!({ "input": missing })).await["extensions"]["code"], "NOT_FOUND");

    let audit = org
        .app
        .ok(
            "query($within: ID) { auditTrail(within: $within, first: 10) { nodes { operation } } }",
            json!({ "within": org.id("QN.NT.TN") }),
        )
        .await;
    let operations: Vec<&str> = audit["auditTrail"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|node| node["operation"].as_str())
        .filter(|op| op.contains("Congress"))
        .collect();
    assert_eq!(operations.len(), 2, "recordCongress and correctCongress are in the audit trail: {audit}");
}

/// A ranking whose rows each have their own congress costs the same statements for 3 and 9 rows.
#[tokio::test]
async fn a_term_ranking_with_each_rows_congress_costs_the_same_statements_for_3_and_9_rows() {
    let mut org = Org::new().await;
    org.unit("QN", "Quảng Nam", "PROVINCE", None).await;
    for (district, n) in [("QN.A", 3), ("QN.B", 9)] {
        org.unit(district, district, "RURAL_DISTRICT", Some("QN")).await;
        for i in 0..n {
            let commune = format!("{district}.C{i}");
            org.unit(&commune, &commune, "COMMUNE", Some(district)).await;
            org.unit(&format!("{commune}.1"), "Chi bộ", "VILLAGE", Some(&commune)).await;
            congress(&org, &commune, 2020, &format!("2020-04-{:02}", i + 1)).await;
            org.admit(&format!("{commune}.1"), "2020-04-05", 1, "Kinh").await;
        }
    }
    let query = "query($code: String!, $period: PeriodInput!) { unit(code: $code) { stats(period: $period) {
        ranking { unit { code } attainment { percent } stats { admissions recognitions nominated
            admissionsByGender { category count } period { start } } } } } }";
    let period = json!({ "term": term(2020, 2025) });
    let (three, data) = org.app.statements_for(query, json!({ "code": "QN.A", "period": period })).await;
    let admitted: Vec<i64> = data["unit"]["stats"]["ranking"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["stats"]["admissions"].as_i64().unwrap())
        .collect();
    // Congresses on 1, 2, 3 April: the admissions of 5 April count in each.
    assert_eq!(admitted, [1, 1, 1]);
    let (nine, data) = org.app.statements_for(query, json!({ "code": "QN.B", "period": period })).await;
    let admitted: i64 = data["unit"]["stats"]["ranking"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["stats"]["admissions"].as_i64().unwrap())
        .sum();
    assert_eq!(admitted, 5, "only the communes whose congress (1–9 April) was held by 5 April count theirs");
    assert_eq!(three, nine, "one statement per figure, whatever the number of rows and congress days");
}

const SIGN_OFF_TERM: &str = "mutation($input: FiguresInput!) { signOffFigures(input: $input) { signOff { status } } }";
const TERM_OFFICIAL: &str = "query($code: String!, $period: PeriodInput!) { unit(code: $code) {
    stats(period: $period) { admissions official { changedSince differences { figure } } } } }";

/// PERIOD_SIGNED_OFF: "A figure of a signed-off period does not change … until the approving
/// level reopens it." A congress is the first day of its term's figures and the day after the
/// last of the previous term's, so a signed-off term of either locks it; a signed-off year does not.
#[tokio::test]
async fn a_signed_off_term_locks_the_congresses_that_bound_it_and_keeps_each_units_own_days() {
    let mut org = Org::new().await;
    nui_thanh(&mut org).await;
    congress(&org, "QN.NT.TN.1", 2015, "2015-03-01").await;
    org.admit("QN.NT.TN.1", "2015-06-01", 2, "Kinh").await; // after the cell's congress, before the nominal start
    org.admit("QN.NT.TN.1", "2018-06-01", 1, "Kinh").await;
    let term_2015 = json!({ "term": term(2015, 2020) });
    let signed = json!({ "input": { "unitId": org.id("QN.NT.TN.1"), "period": term_2015 } });
    assert_eq!(org.app.ok(SIGN_OFF_TERM, signed).await["signOffFigures"]["signOff"]["status"], "SIGNED_OFF");

    // The official figures are the cell's own term (from its congress), so nothing differs.
    let stats = org.app.ok(TERM_OFFICIAL, json!({ "code": "QN.NT.TN.1", "period": term_2015 })).await;
    let stats = &stats["unit"]["stats"];
    assert_eq!(stats["admissions"], 3, "{stats}");
    assert_eq!(stats["official"]["differences"], json!([]), "{stats}");

    // Moving the congress that opens the term, or recording the one that closes it, is refused.
    let moved = json!({ "unitId": org.id("QN.NT.TN.1"), "term": term(2015, 2020), "heldOn": "2015-07-01" });
    let refused = org.app.error(CORRECT, json!({ "input": moved })).await;
    assert_eq!(
        (refused["extensions"]["code"].clone(), refused["extensions"]["rule"].clone()),
        (json!("RULE_VIOLATION"), json!("PERIOD_SIGNED_OFF")),
        "{refused}"
    );
    // A fact dated after the cell's congress and before the nominal start is in the signed-off
    // term; one before the congress is in the term before, which nobody signed off.
    let cell = org.id("QN.NT.TN.1");
    let late = org.app.nominate(citizen("Hồ Văn Muộn", "1990-04-01")).into(&cell).on("2015-08-01").await;
    assert_eq!(late.unwrap_err().rule(), ("RULE_VIOLATION", "PERIOD_SIGNED_OFF"));
    org.app.nominate(citizen("Hồ Văn Sớm", "1990-04-01")).into(&cell).on("2015-02-01").await.unwrap();
    let next = org.app.error(RECORD, json!({ "input": congress_input(&org, "QN.NT.TN.1", 2020, "2020-04-01") })).await;
    assert_eq!(next["extensions"]["rule"], "PERIOD_SIGNED_OFF", "{next}");
    // The resolution number moves no figure; the commune above signed nothing off.
    let renumbered =
        json!({ "unitId": org.id("QN.NT.TN.1"), "term": term(2015, 2020), "resolutionNumber": "02-NQ/ĐH" });
    org.app.ok(CORRECT, json!({ "input": renumbered })).await;
    congress(&org, "QN.NT.TN", 2020, "2020-04-15").await;
    // A signed-off year is not a term: the township's congress after its 2020 sign-off is recorded.
    let year_2020 = json!({ "input": { "unitId": org.id("QN.NT.TT.1"), "period": year(2020) } });
    org.app.ok(SIGN_OFF_TERM, year_2020).await;
    congress(&org, "QN.NT.TT.1", 2020, "2020-05-20").await;
}
