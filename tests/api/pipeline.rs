//! The development pipeline through the public API: a whole path from nomination to official
//! recognition, every Charter rule refusing with its code, corrections, transfers, and a race of
//! two admissions of the same person.

use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::common::TestApp;
use crate::common::people::roster_member;

/// Quảng Nam → Bắc Trà My → Trà Nú → two village cells, and Núi Thành for a foreign committee.
struct Place {
    district: String,
    commune: String,
    cell: String,
    other_cell: String,
    foreign_district: String,
}

async fn place(app: &TestApp) -> Place {
    let province = app.create_unit_on("QN", "Quảng Nam", "PROVINCE", "PROVINCE", None, "1990-01-01").await;
    let district =
        app.create_unit_on("QN.BTM", "Bắc Trà My", "DISTRICT", "RURAL_DISTRICT", Some(&province), "1990-01-01").await;
    let commune = app.create_unit_on("QN.BTM.TN", "Trà Nú", "COMMUNE", "COMMUNE", Some(&district), "1990-01-01").await;
    let cell =
        app.create_unit_on("QN.BTM.TN.1", "Chi bộ thôn 1", "CELL", "VILLAGE", Some(&commune), "1990-01-01").await;
    let other_cell =
        app.create_unit_on("QN.BTM.TN.2", "Chi bộ thôn 2", "CELL", "VILLAGE", Some(&commune), "1990-01-01").await;
    let foreign_district =
        app.create_unit_on("QN.NT", "Núi Thành", "DISTRICT", "RURAL_DISTRICT", Some(&province), "1990-01-01").await;
    Place { district, commune, cell, other_cell, foreign_district }
}

fn person_json(name: &str, born: &str) -> Value {
    json!({ "fullName": name, "gender": "FEMALE", "dateOfBirth": born, "ethnicity": "xo dang",
            "generalEducation": "UPPER_SECONDARY", "occupation": "FARMER" })
}

const NOMINATE: &str = "mutation($input: NominateInput!) { nominate(input: $input) {
    nomination { id status nominatingBody person { id fullName ethnicity isEthnicMinority } mentors { member { id } } } } }";

/// Nominates a new person into `cell`; returns (nomination ID, person ID).
async fn nominate(app: &TestApp, cell: &str, name: &str, born: &str, mentors: &[&str]) -> (String, String) {
    let data = app
        .ok(
            NOMINATE,
            json!({ "input": { "person": person_json(name, born), "cellId": cell, "nominatingBody": "YOUTH_UNION",
                               "nominatedOn": "2020-03-01", "mentorIds": mentors } }),
        )
        .await;
    let nomination = &data["nominate"]["nomination"];
    (nomination["id"].as_str().expect("id").to_owned(), nomination["person"]["id"].as_str().expect("id").to_owned())
}

/// An awareness class of the district in which `people` complete with a certificate dated `certified`.
async fn awareness_class(app: &TestApp, district: &str, people: &[&str], certified: &str) -> String {
    let data = app
        .ok(
            "mutation($input: CreateClassInput!) { createTrainingClass(input: $input) { trainingClass { id } } }",
            json!({ "input": { "organiserId": district, "kind": "AWARENESS", "title": "Lớp cảm tình Đảng 2020",
                               "startsOn": "2020-05-04", "endsOn": "2020-05-08", "place": "Trung tâm Chính trị" } }),
        )
        .await;
    let class = data["createTrainingClass"]["trainingClass"]["id"].as_str().expect("id").to_owned();
    app.ok(
        "mutation($class: ID!, $people: [ID!]!) { enrol(input: { classId: $class, personIds: $people }) { enrolments { id } } }",
        json!({ "class": class, "people": people }),
    )
    .await;
    let results: Vec<Value> = people
        .iter()
        .enumerate()
        .map(|(i, p)| {
            json!({ "personId": p, "result": "COMPLETED", "certificateNumber": format!("GCN-{i}"),
                              "certificateDate": certified })
        })
        .collect();
    app.ok(
        "mutation($input: RecordClassResultsInput!) { recordClassResults(input: $input) { enrolments { result } } }",
        json!({ "input": { "classId": class, "results": results } }),
    )
    .await;
    class
}

const ADMIT: &str = "mutation($input: AdmitInput!) { admit(input: $input) { admission {
    id decisionNumber decisionDate ceremonyDate outcome probationEndsOn cell { code } decidingUnit { code } } } }";

fn admission_input(person: &str, place: &Place, introducers: &[&str], decided: &str) -> Value {
    let introducers: Vec<Value> =
        introducers.iter().map(|m| json!({ "memberId": m, "workedWithSince": "2019-01-01" })).collect();
    json!({ "personId": person, "cellId": place.cell, "decisionNumber": "125-QĐ/HU", "decisionDate": decided,
            "decidingUnitId": place.district, "introducers": introducers })
}

/// A place with two official members and a trained candidate; returns (place, introducers, person).
async fn ready_candidate(app: &TestApp, born: &str) -> (Place, Vec<String>, String) {
    let place = place(app).await;
    let first = roster_member(app, &place.cell, "Hồ Văn Một", "2000-01-01", Some("2001-01-01")).await;
    let second = roster_member(app, &place.cell, "Hồ Văn Hai", "2005-01-01", Some("2006-01-01")).await;
    let (_, person) = nominate(app, &place.cell, "Hồ Thị Lan", born, &[&first]).await;
    awareness_class(app, &place.district, &[&person], "2020-05-08").await;
    (place, vec![first, second], person)
}

#[tokio::test]
async fn a_candidate_goes_from_nomination_to_official_membership() {
    let app = TestApp::new().await;
    let (place, introducers, person) = ready_candidate(&app, "2000-02-10").await;
    let refs: Vec<&str> = introducers.iter().map(String::as_str).collect();

    let data = app.ok(ADMIT, json!({ "input": admission_input(&person, &place, &refs, "2021-03-02") })).await;
    let admission = &data["admit"]["admission"];
    assert_eq!(admission["decisionNumber"], "125-QĐ/HU");
    assert_eq!(admission["decisionDate"], "2021-03-02");
    assert_eq!(admission["outcome"], "PROBATIONARY");
    assert_eq!(admission["cell"]["code"], "QN.BTM.TN.1");
    assert_eq!(admission["decidingUnit"]["code"], "QN.BTM");
    assert_eq!(admission["ceremonyDate"], Value::Null);
    let admission_id = admission["id"].as_str().expect("id").to_owned();

    let ceremony =
        "mutation($id: ID!, $on: Date!) { recordAdmissionCeremony(input: { admissionId: $id, ceremonyDate: $on }) {
        admission { ceremonyDate probationEndsOn } } }";
    let error = app.error(ceremony, json!({ "id": admission_id, "on": "2021-03-01" })).await;
    assert_eq!(error["extensions"]["rule"], "CEREMONY_BEFORE_DECISION");
    let data = app.ok(ceremony, json!({ "id": admission_id, "on": "2021-03-19" })).await;
    assert_eq!(data["recordAdmissionCeremony"]["admission"]["probationEndsOn"], "2022-03-19");

    let recognise = "mutation($id: ID!, $on: Date!) { recogniseOfficial(input: { admissionId: $id,
        decisionNumber: \"310-QĐ/HU\", decisionDate: $on }) { admission { outcome outcomeDecisionNumber
        person { membership { status partySince officialSince } } } } }";
    let error = app.error(recognise, json!({ "id": admission_id, "on": "2022-03-18" })).await;
    assert_eq!(error["extensions"]["code"], "RULE_VIOLATION");
    assert_eq!(error["extensions"]["rule"], "PROBATION_NOT_COMPLETE");
    let data = app.ok(recognise, json!({ "id": admission_id, "on": "2022-03-25" })).await;
    let recognised = &data["recogniseOfficial"]["admission"];
    assert_eq!(recognised["outcome"], "RECOGNISED");
    assert_eq!(recognised["outcomeDecisionNumber"], "310-QĐ/HU");
    assert_eq!(
        recognised["person"]["membership"],
        json!({ "status": "OFFICIAL", "partySince": "2021-03-02", "officialSince": "2022-03-19" })
    );
    let again = app.error(recognise, json!({ "id": admission_id, "on": "2022-04-01" })).await;
    assert_eq!(again["extensions"]["rule"], "ADMISSION_CLOSED");

    // The timeline shows every step.
    let timeline = app
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Person { fullName nominations { status }
                enrolments { result certificateNumber } admission { outcome } } } }",
            json!({ "id": person }),
        )
        .await;
    assert_eq!(timeline["node"]["nominations"], json!([{ "status": "ADMITTED" }]));
    assert_eq!(timeline["node"]["enrolments"], json!([{ "result": "COMPLETED", "certificateNumber": "GCN-0" }]));
    assert_eq!(timeline["node"]["admission"], json!({ "outcome": "RECOGNISED" }));
}

#[tokio::test]
async fn age_rules_count_whole_months_and_record_exceptions() {
    let app = TestApp::new().await;
    // 18 on 2021-03-02 is born on or before 2003-03-02.
    let (place, introducers, young) = ready_candidate(&app, "2003-03-03").await;
    let refs: Vec<&str> = introducers.iter().map(String::as_str).collect();
    let error = app.error(ADMIT, json!({ "input": admission_input(&young, &place, &refs, "2021-03-02") })).await;
    assert_eq!(error["extensions"]["code"], "RULE_VIOLATION");
    assert_eq!(error["extensions"]["rule"], "AGE_BELOW_MINIMUM");
    app.ok(ADMIT, json!({ "input": admission_input(&young, &place, &refs, "2021-03-03") })).await;

    let (_, old) = nominate(&app, &place.cell, "Hồ Văn Già", "1960-01-01", &[]).await;
    awareness_class(&app, &place.district, &[&old], "2020-05-08").await;
    let error = app.error(ADMIT, json!({ "input": admission_input(&old, &place, &refs, "2021-03-02") })).await;
    assert_eq!(error["extensions"]["rule"], "AGE_ABOVE_MAXIMUM");
    let mut input = admission_input(&old, &place, &refs, "2021-03-02");
    input["exceptionReference"] = json!("Công văn 45-CV/BTCTW");
    let data = app.ok(ADMIT, json!({ "input": input })).await;
    assert_eq!(data["admit"]["admission"]["outcome"], "PROBATIONARY");
}

#[tokio::test]
async fn the_awareness_certificate_must_exist_and_be_valid() {
    let app = TestApp::new().await;
    let (place, introducers, person) = ready_candidate(&app, "1990-01-01").await;
    let refs: Vec<&str> = introducers.iter().map(String::as_str).collect();
    // Certificate of 2020-05-08 is valid 60 months, until 2025-05-08.
    let error = app.error(ADMIT, json!({ "input": admission_input(&person, &place, &refs, "2025-05-09") })).await;
    assert_eq!(error["extensions"]["rule"], "AWARENESS_CERTIFICATE_EXPIRED");
    let (_, untrained) = nominate(&app, &place.cell, "Hồ Thị Chưa Học", "1990-01-01", &[]).await;
    let error = app.error(ADMIT, json!({ "input": admission_input(&untrained, &place, &refs, "2021-03-02") })).await;
    assert_eq!(error["extensions"]["rule"], "AWARENESS_CERTIFICATE_MISSING");
    app.ok(ADMIT, json!({ "input": admission_input(&person, &place, &refs, "2025-05-08") })).await;
}

#[tokio::test]
async fn introducers_must_be_two_distinct_official_members_of_long_acquaintance() {
    let app = TestApp::new().await;
    let (place, introducers, person) = ready_candidate(&app, "1995-01-01").await;
    let (first, second) = (introducers[0].as_str(), introducers[1].as_str());
    let probationary = roster_member(&app, &place.cell, "Hồ Văn Dự Bị", "2020-10-01", None).await;
    let cases = [
        (vec![first], "INTRODUCERS_REQUIRED"),
        (vec![first, first], "INTRODUCERS_NOT_DISTINCT"),
        (vec![first, probationary.as_str()], "INTRODUCER_NOT_OFFICIAL"),
    ];
    for (introducers, rule) in cases {
        let error =
            app.error(ADMIT, json!({ "input": admission_input(&person, &place, &introducers, "2021-03-02") })).await;
        assert_eq!(error["extensions"]["rule"], rule, "{error:#}");
    }
    let mut recent = admission_input(&person, &place, &[first, second], "2021-03-02");
    recent["introducers"][1]["workedWithSince"] = json!("2020-04-01");
    assert_eq!(app.error(ADMIT, json!({ "input": recent })).await["extensions"]["rule"], "INTRODUCER_TENURE");

    // A Youth Union member: the union committee's resolution stands in for one introducer.
    let mut youth = admission_input(&person, &place, &[first], "2021-03-02");
    youth["youthUnionResolution"] = json!({ "reference": "12-NQ/ĐTN", "date": "2021-02-01" });
    app.ok(ADMIT, json!({ "input": youth })).await;
}

#[tokio::test]
async fn the_source_pool_rules() {
    let app = TestApp::new().await;
    let (place, introducers, person) = ready_candidate(&app, "1995-01-01").await;
    let refs: Vec<&str> = introducers.iter().map(String::as_str).collect();

    // One active pipeline per person.
    let again = json!({ "input": { "personId": person, "cellId": place.other_cell, "nominatingBody": "CELL",
                                   "nominatedOn": "2020-06-01" } });
    assert_eq!(app.error(NOMINATE, again).await["extensions"]["rule"], "ACTIVE_NOMINATION_EXISTS");
    // Mentors are official members.
    let probationary = roster_member(&app, &place.cell, "Hồ Văn Dự Bị", "2020-10-01", None).await;
    let bad_mentor = json!({ "input": { "person": person_json("Hồ Thị Ba", "1995-01-01"), "cellId": place.cell,
                                        "nominatingBody": "CELL", "nominatedOn": "2021-01-01", "mentorIds": [probationary] } });
    assert_eq!(app.error(NOMINATE, bad_mentor).await["extensions"]["rule"], "MENTOR_NOT_OFFICIAL");
    // A member cannot be nominated.
    let member_person = app
        .ok("query($id: ID!) { node(id: $id) { ... on Member { person { id } } } }", json!({ "id": refs[0] }))
        .await["node"]["person"]["id"]
        .clone();
    let member_again = json!({ "input": { "personId": member_person, "cellId": place.cell, "nominatingBody": "CELL",
                                          "nominatedOn": "2021-01-01" } });
    assert_eq!(app.error(NOMINATE, member_again).await["extensions"]["rule"], "ALREADY_MEMBER");
    // The cell must exist on the date; the deciding committee must be above the cell.
    let before_cell = json!({ "input": { "person": person_json("Hồ Thị Sớm", "1995-01-01"), "cellId": place.cell,
                                         "nominatingBody": "CELL", "nominatedOn": "1989-01-01" } });
    assert_eq!(app.error(NOMINATE, before_cell).await["extensions"]["rule"], "UNIT_NOT_ACTIVE_ON_DATE");
    let mut foreign = admission_input(&person, &place, &refs, "2021-03-02");
    foreign["decidingUnitId"] = json!(place.foreign_district);
    assert_eq!(
        app.error(ADMIT, json!({ "input": foreign })).await["extensions"]["rule"],
        "DECIDING_UNIT_NOT_ABOVE_CELL"
    );
    let mut early = admission_input(&person, &place, &refs, "2021-03-02");
    early["ceremonyDate"] = json!("2021-02-01");
    assert_eq!(app.error(ADMIT, json!({ "input": early })).await["extensions"]["rule"], "CEREMONY_BEFORE_DECISION");

    // Removal with a reason; a removed nomination cannot be removed again nor admitted.
    let (removed, removed_person) = nominate(&app, &place.other_cell, "Hồ Thị Đi Xa", "1996-01-01", &[refs[0]]).await;
    let remove = "mutation($id: ID!) { removeFromSource(input: { nominationId: $id, reason: MOVED_AWAY,
        note: \"Đi làm ăn xa ở Bình Dương\", removedOn: \"2021-01-15\" }) {
        nomination { status removedOn removalReason removalNote mentors { member { id } } } } }";
    let data = app.ok(remove, json!({ "id": removed })).await;
    assert_eq!(
        data["removeFromSource"]["nomination"],
        json!({ "status": "REMOVED", "removedOn": "2021-01-15", "removalReason": "MOVED_AWAY",
                "removalNote": "Đi làm ăn xa ở Bình Dương", "mentors": [] })
    );
    assert_eq!(app.error(remove, json!({ "id": removed })).await["extensions"]["rule"], "NOMINATION_NOT_ACTIVE");
    let not_in_source = admission_input(&removed_person, &place, &refs, "2021-03-02");
    assert_eq!(app.error(ADMIT, json!({ "input": not_in_source })).await["extensions"]["rule"], "NOT_IN_SOURCE");

    // The admitted cannot be admitted again (a duplicate: CONFLICT) nor removed from the source.
    app.ok(ADMIT, json!({ "input": admission_input(&person, &place, &refs, "2021-03-02") })).await;
    let twice = app.error(ADMIT, json!({ "input": admission_input(&person, &place, &refs, "2021-04-02") })).await;
    assert_eq!(twice["extensions"]["code"], "CONFLICT");
}

#[tokio::test]
async fn class_results_need_an_enrolment_and_a_certificate() {
    let app = TestApp::new().await;
    let place = place(&app).await;
    let (_, person) = nominate(&app, &place.cell, "Hồ Thị Lan", "1995-01-01", &[]).await;
    let data = app
        .ok(
            "mutation($input: CreateClassInput!) { createTrainingClass(input: $input) { trainingClass { id } } }",
            json!({ "input": { "organiserId": place.commune, "kind": "AWARENESS", "title": "Lớp nhận thức",
                               "startsOn": "2020-05-04", "endsOn": "2020-05-08" } }),
        )
        .await;
    let class = data["createTrainingClass"]["trainingClass"]["id"].as_str().expect("id").to_owned();
    let results =
        "mutation($input: RecordClassResultsInput!) { recordClassResults(input: $input) { enrolments { result } } }";
    let entry = json!({ "personId": person, "result": "COMPLETED", "certificateNumber": "01", "certificateDate": "2020-05-08" });
    let error = app.error(results, json!({ "input": { "classId": class, "results": [entry] } })).await;
    assert_eq!(error["extensions"]["rule"], "NOT_ENROLLED");
    let enrol = "mutation($class: ID!, $people: [ID!]!) { enrol(input: { classId: $class, personIds: $people }) { enrolments { result } } }";
    app.ok(enrol, json!({ "class": class, "people": [person] })).await;
    assert_eq!(app.error_code(enrol, json!({ "class": class, "people": [person] })).await, "CONFLICT");
    let no_certificate = json!({ "personId": person, "result": "COMPLETED" });
    let error = app.error(results, json!({ "input": { "classId": class, "results": [no_certificate] } })).await;
    assert_eq!(error["extensions"]["rule"], "CERTIFICATE_REQUIRED");
    let data = app.ok(results, json!({ "input": { "classId": class, "results": [entry] } })).await;
    assert_eq!(data["recordClassResults"]["enrolments"], json!([{ "result": "COMPLETED" }]));
    let bad_class = json!({ "input": { "organiserId": place.cell, "kind": "AWARENESS", "title": "x",
                                       "startsOn": "2020-05-04", "endsOn": "2020-05-08" } });
    let error = app
        .error(
            "mutation($input: CreateClassInput!) { createTrainingClass(input: $input) { trainingClass { id } } }",
            bad_class,
        )
        .await;
    assert_eq!(error["extensions"]["rule"], "CLASS_ORGANISER_LEVEL");
}

#[tokio::test]
async fn not_recognised_deletes_the_name_and_corrections_keep_the_old_values() {
    let app = TestApp::new().await;
    let (place, introducers, person) = ready_candidate(&app, "1995-01-01").await;
    let refs: Vec<&str> = introducers.iter().map(String::as_str).collect();
    let data = app.ok(ADMIT, json!({ "input": admission_input(&person, &place, &refs, "2021-03-02") })).await;
    let admission = data["admit"]["admission"]["id"].as_str().expect("id").to_owned();

    let correct = "mutation($id: ID!) { correctAdmission(input: { admissionId: $id, decisionNumber: \"126-QĐ/HU\",
        ceremonyDate: \"2021-03-20\" }) { admission { decisionNumber ceremonyDate } } }";
    let data = app.ok(correct, json!({ "id": admission })).await;
    assert_eq!(
        data["correctAdmission"]["admission"],
        json!({ "decisionNumber": "126-QĐ/HU", "ceremonyDate": "2021-03-20" })
    );
    let trail = app
        .db
        .query_all_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            "SELECT before FROM audit_log WHERE operation = 'correctAdmission'",
        ))
        .await
        .expect("the audit trail");
    let before: String = trail[0].try_get("", "before").expect("a before image");
    assert!(before.contains("125-QĐ/HU"), "{before}");

    let deleted = "mutation($id: ID!) { notRecognised(input: { admissionId: $id, decisionNumber: \"40-QĐ/HU\",
        decisionDate: \"2022-04-01\",
        reason: \"Vi phạm tư cách đảng viên, không đủ điều kiện công nhận chính thức\" }) {
        admission { outcome outcomeReason person { membership { status endedOn } } } } }";
    let data = app.ok(deleted, json!({ "id": admission })).await;
    let result = &data["notRecognised"]["admission"];
    assert_eq!(result["outcome"], "NOT_RECOGNISED");
    assert_eq!(result["person"]["membership"], json!({ "status": "NAME_DELETED", "endedOn": "2022-04-01" }));
    let recognise = "mutation($id: ID!) { recogniseOfficial(input: { admissionId: $id, decisionNumber: \"1\",
        decisionDate: \"2022-05-01\" }) { admission { outcome } } }";
    assert_eq!(app.error(recognise, json!({ "id": admission })).await["extensions"]["rule"], "ADMISSION_CLOSED");
}

#[tokio::test]
async fn a_failed_admission_writes_nothing() {
    let app = TestApp::new().await;
    let (place, introducers, person) = ready_candidate(&app, "1995-01-01").await;
    let mut input = admission_input(&person, &place, &[introducers[0].as_str(), introducers[1].as_str()], "2021-03-02");
    // Everything passes until the ceremony check at the end.
    input["ceremonyDate"] = json!("2021-01-01");
    app.error(ADMIT, json!({ "input": input })).await;
    let count = |table: &'static str| {
        let db = app.db.clone();
        async move {
            let rows = db
                .query_all_raw(sea_orm::Statement::from_string(
                    db.get_database_backend(),
                    format!("SELECT COUNT(*) AS n FROM {table}"),
                ))
                .await
                .expect("a count");
            rows[0].try_get::<i64>("", "n").expect("n")
        }
    };
    assert_eq!(count("admissions").await, 0);
    assert_eq!(count("members").await, 2);
    let status = app
        .ok("query($id: ID!) { node(id: $id) { ... on Person { nominations { status } } } }", json!({ "id": person }))
        .await;
    assert_eq!(status["node"]["nominations"], json!([{ "status": "ACTIVE" }]));
}

#[tokio::test]
async fn two_concurrent_admissions_of_one_person_one_wins_the_other_conflicts() {
    let app = TestApp::new().await;
    let (place, introducers, person) = ready_candidate(&app, "1995-01-01").await;
    let refs: Vec<&str> = introducers.iter().map(String::as_str).collect();
    let first = json!({ "input": admission_input(&person, &place, &refs, "2021-03-02") });
    let second = json!({ "input": admission_input(&person, &place, &refs, "2021-03-03") });
    let (a, b) = tokio::join!(app.run(ADMIT, first), app.run(ADMIT, second));
    let outcomes: Vec<Option<String>> =
        [a, b].iter().map(|response| response["errors"][0]["extensions"]["code"].as_str().map(str::to_owned)).collect();
    assert_eq!(outcomes.iter().filter(|o| o.is_none()).count(), 1, "{outcomes:?}");
    assert!(outcomes.contains(&Some("CONFLICT".to_owned())), "{outcomes:?}");
}

#[tokio::test]
async fn a_transfer_moves_a_member_between_cells() {
    let app = TestApp::new().await;
    let place = place(&app).await;
    let member = roster_member(&app, &place.cell, "Hồ Văn Chuyển", "2010-01-01", Some("2011-01-01")).await;
    let transfer = "mutation($id: ID!, $cell: ID!, $on: Date) { transferMember(input: { memberId: $id, cellId: $cell,
        effectiveOn: $on }) { member { cell { code } stints { cell { code } from to } } } }";
    let data = app.ok(transfer, json!({ "id": member, "cell": place.other_cell, "on": "2022-06-01" })).await;
    let moved = &data["transferMember"]["member"];
    assert_eq!(moved["cell"]["code"], "QN.BTM.TN.2");
    assert_eq!(
        moved["stints"],
        json!([{ "cell": { "code": "QN.BTM.TN.1" }, "from": "2010-01-01", "to": "2022-06-01" },
               { "cell": { "code": "QN.BTM.TN.2" }, "from": "2022-06-01", "to": null }])
    );
    let back_early = app.error(transfer, json!({ "id": member, "cell": place.cell, "on": "2022-06-01" })).await;
    assert_eq!(back_early["extensions"]["rule"], "TRANSFER_BEFORE_ARRIVAL");
}

#[tokio::test]
async fn the_same_citizen_nominated_twice_is_one_person() {
    let app = TestApp::new().await;
    let place = place(&app).await;
    let mut profile = person_json("Hồ Thị Lan", "1995-01-01");
    profile["citizenId"] = json!("049195000123");
    let input = json!({ "input": { "person": profile, "cellId": place.cell, "nominatingBody": "WOMENS_UNION",
                                   "nominatedOn": "2020-03-01" } });
    let data = app.ok(NOMINATE, input.clone()).await;
    assert_eq!(data["nominate"]["nomination"]["person"]["ethnicity"], "Xơ Đăng");
    assert_eq!(data["nominate"]["nomination"]["person"]["isEthnicMinority"], true);
    // The same citizen from another body is the same person, already in a pipeline.
    assert_eq!(app.error(NOMINATE, input).await["extensions"]["rule"], "ACTIVE_NOMINATION_EXISTS");
    let mut bad = person_json("Hồ Thị Lan", "1995-01-01");
    bad["citizenId"] = json!("12345");
    let error = app
        .error(NOMINATE, json!({ "input": { "person": bad, "cellId": place.cell, "nominatingBody": "CELL" } }))
        .await;
    assert_eq!(error["extensions"]["field"], "citizenId");
    let mut long = person_json("Hồ Thị Dài", "1995-01-01");
    long["position"] = json!("x".repeat(256));
    let error = app
        .error(NOMINATE, json!({ "input": { "person": long, "cellId": place.cell, "nominatingBody": "CELL" } }))
        .await;
    assert_eq!(error["extensions"]["field"], "position");
    let mut other = person_json("Người Khác", "1990-01-01");
    other["citizenId"] = json!("049195000123");
    let error = app
        .error(NOMINATE, json!({ "input": { "person": other, "cellId": place.other_cell, "nominatingBody": "CELL" } }))
        .await;
    assert_eq!(error["extensions"]["code"], "CONFLICT");
}
