//! Figures by where candidates come from (issue 17 §4): a district's awareness class counts
//! toward the district as its organiser (`classAttendance`), and toward the commune and the cell
//! that sent each candidate (`candidateTraining`): enrolled, attended, completed, no result yet,
//! by the candidate's cell on the class's first day. And the candidate filter "enrolled, no
//! result yet" (`awaitingClassResult`).

use serde_json::{Value, json};

use crate::common::TestApp;
use crate::common::pipeline::{CREATE_CLASS, ENROL, RECORD_RESULTS, citizen, id, place};

const FIGURES: &str = "query($id: ID!, $period: PeriodInput!) { node(id: $id) { ... on Unit { stats(period: $period) {
    classAttendance { kind classes attendees completions }
    candidateTraining { kind enrolled attended completed noResultYet } } } } }";

/// The AWARENESS entry of a per-kind list.
fn awareness(list: &Value) -> Value {
    let entry = list.as_array().unwrap().iter().find(|entry| entry["kind"] == "AWARENESS").unwrap().clone();
    let mut entry = entry.as_object().unwrap().clone();
    entry.remove("kind");
    Value::Object(entry)
}

async fn figures(app: &TestApp, unit: &str, period: Value) -> (Value, Value) {
    let stats = app.ok(FIGURES, json!({ "id": unit, "period": period })).await["node"]["stats"].clone();
    (awareness(&stats["classAttendance"]), awareness(&stats["candidateTraining"]))
}

async fn class(app: &TestApp, organiser: &str, starts: &str, ends: &str) -> String {
    let input = json!({ "organiserId": organiser, "kind": "AWARENESS", "title": "Lớp bồi dưỡng nhận thức về Đảng",
                        "startsOn": starts, "endsOn": ends, "place": "Trung tâm Chính trị huyện" });
    let data = app.ok(CREATE_CLASS, json!({ "input": input })).await;
    data["createTrainingClass"]["trainingClass"]["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_district_class_counts_toward_the_cells_that_sent_the_candidates() {
    let app = TestApp::new().await;
    let p = place(&app).await;
    let mut thon_1 = Vec::new();
    for name in ["Hồ Thị Lan", "Hồ Văn Nam", "Hồ Thị Mai"] {
        let nomination = app.nominate(citizen(name, "2000-02-10")).into(&p.cell).await.unwrap();
        thon_1.push(id(&nomination["person"]));
    }
    let other = app.nominate(citizen("Hồ Văn Sơn", "1999-09-09")).into(&p.other_cell).await.unwrap();
    let thon_2 = id(&other["person"]);

    // The district's class of May 2020: three from thôn 1, one from thôn 2.
    let may = class(&app, &p.district, "2020-05-04", "2020-05-08").await;
    let everyone: Vec<&str> = thon_1.iter().map(String::as_str).chain([thon_2.as_str()]).collect();
    app.ok(ENROL, json!({ "class": may, "people": everyone })).await;
    let results = json!([
        { "personId": thon_1[0], "result": "COMPLETED", "certificateNumber": "GCN-1", "certificateDate": "2020-05-08" },
        { "personId": thon_1[1], "result": "ATTENDED" },
        { "personId": thon_2, "result": "COMPLETED", "certificateNumber": "GCN-2", "certificateDate": "2020-05-08" },
    ]);
    app.ok(RECORD_RESULTS, json!({ "input": { "classId": may, "results": results } })).await;

    let year = json!({ "year": 2020 });
    let none = json!({ "classes": 0, "attendees": 0, "completions": 0 });
    // The organiser's view: the district held it; the commune and the cell held nothing.
    let (district_held, district_own) = figures(&app, &p.district, year.clone()).await;
    assert_eq!(district_held, json!({ "classes": 1, "attendees": 3, "completions": 2 }));
    assert_eq!(district_own, json!({ "enrolled": 4, "attended": 3, "completed": 2, "noResultYet": 1 }));
    let (commune_held, commune_own) = figures(&app, &p.commune, year.clone()).await;
    assert_eq!(commune_held, none, "the commune organised no class");
    assert_eq!(commune_own, json!({ "enrolled": 4, "attended": 3, "completed": 2, "noResultYet": 1 }));
    let (cell_held, cell_own) = figures(&app, &p.cell, year.clone()).await;
    assert_eq!(cell_held, none);
    assert_eq!(
        cell_own,
        json!({ "enrolled": 3, "attended": 2, "completed": 1, "noResultYet": 1 }),
        "thôn 1 sent three: one completed, one attended, one without a result yet"
    );
    let (_, other_own) = figures(&app, &p.other_cell, year).await;
    assert_eq!(other_own, json!({ "enrolled": 1, "attended": 1, "completed": 1, "noResultYet": 0 }));
    // Another year holds none of it; a foreign district's figures neither.
    let (_, before) = figures(&app, &p.commune, json!({ "year": 2019 })).await;
    assert_eq!(before["enrolled"], 0);
    let (_, foreign) = figures(&app, &p.foreign_district, json!({ "year": 2020 })).await;
    assert_eq!(foreign["enrolled"], 0);

    // The cell secretary's list: enrolled, no result yet.
    let query = "query($within: ID!, $awaiting: Boolean) { candidates(within: $within,
        filter: { awaitingClassResult: $awaiting }, orderBy: NAME) { totalCount nodes { person { fullName } } } }";
    let awaiting = app.ok(query, json!({ "within": p.commune, "awaiting": true })).await;
    assert_eq!(awaiting["candidates"]["nodes"], json!([{ "person": { "fullName": "Hồ Thị Mai" } }]));
    let not_awaiting = app.ok(query, json!({ "within": p.commune, "awaiting": false })).await;
    assert_eq!(not_awaiting["candidates"]["totalCount"], 3);
}
