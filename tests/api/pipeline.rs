//! The development pipeline through the public API: a whole path from nomination to official
//! recognition, every Charter rule refusing with its code, corrections, transfers, and a race of
//! two admissions of the same person. Written in the helper layer of `common::pipeline`.

use insta::assert_json_snapshot;
use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::common::TestApp;
use crate::common::people::roster_member;
use crate::common::pipeline::{CREATE_CLASS, ENROL, RECORD_RESULTS, Ready, citizen, id, place, ready_candidate};

/// The ready candidate's admission of 2 March 2021 into the place's first cell, introduced by both
/// official members.
fn admit<'a>(app: &'a TestApp, ready: &Ready) -> crate::common::pipeline::Admitting<'a> {
    app.admit(&ready.candidate).into(&ready.place).introduced_by(&ready.introducers()).on("2021-03-02")
}

#[tokio::test]
async fn a_candidate_goes_from_nomination_to_official_membership() {
    let app = TestApp::new().await;
    let ready = ready_candidate(&app, "2000-02-10").await;

    let admission = admit(&app, &ready).await.expect("admitted");
    assert_json_snapshot!(admission, { ".id" => "[id]" }, @r#"
    {
      "cell": {
        "code": "QN.BTM.TN.1"
      },
      "ceremonyDate": null,
      "decidingUnit": {
        "code": "QN.BTM"
      },
      "decisionDate": "2021-03-02",
      "decisionNumber": "125-QĐ/HU",
      "id": "[id]",
      "outcome": "PROBATIONARY",
      "probationEndsOn": null
    }
    "#);
    let admission = id(&admission);

    let early = app.ceremony(&admission, "2021-03-01").await.expect_err("a ceremony before the decision");
    assert_eq!(early.rule(), ("RULE_VIOLATION", "CEREMONY_BEFORE_DECISION"));
    let held = app.ceremony(&admission, "2021-03-19").await.expect("the ceremony is recorded");
    assert_eq!(held, json!({ "ceremonyDate": "2021-03-19", "probationEndsOn": "2022-03-19" }));

    let early = app.recognise(&admission, "2022-03-18").await.expect_err("recognised before probation ends");
    assert_eq!(early.rule(), ("RULE_VIOLATION", "PROBATION_NOT_COMPLETE"));
    let recognised = app.recognise(&admission, "2022-03-25").await.expect("recognised");
    assert_json_snapshot!(recognised, @r#"
    {
      "outcome": "RECOGNISED",
      "outcomeDecisionNumber": "310-QĐ/HU",
      "person": {
        "membership": {
          "officialSince": "2022-03-19",
          "partySince": "2021-03-02",
          "status": "OFFICIAL"
        }
      }
    }
    "#);
    let again = app.recognise(&admission, "2022-04-01").await.expect_err("recognised twice");
    assert_eq!(again.rule(), ("RULE_VIOLATION", "ADMISSION_CLOSED"));

    // The timeline shows every step.
    let timeline = app
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Person { fullName nominations { status }
                enrolments { result certificateNumber } admission { outcome } } } }",
            json!({ "id": ready.candidate }),
        )
        .await;
    assert_eq!(
        timeline["node"],
        json!({ "fullName": "Hồ Thị Lan", "nominations": [{ "status": "ADMITTED" }],
                "enrolments": [{ "result": "COMPLETED", "certificateNumber": "GCN-0" }],
                "admission": { "outcome": "RECOGNISED" } })
    );
}

#[tokio::test]
async fn age_rules_count_whole_months_and_record_exceptions() {
    let app = TestApp::new().await;
    // 18 on 2021-03-02 is born on or before 2003-03-02.
    let young = ready_candidate(&app, "2003-03-03").await;
    let refused = admit(&app, &young).await.expect_err("under 18");
    assert_eq!(refused.rule(), ("RULE_VIOLATION", "AGE_BELOW_MINIMUM"));
    admit(&app, &young).on("2021-03-03").await.expect("18 the next day");

    let place = &young.place;
    let old = app.nominate(citizen("Hồ Văn Già", "1960-01-01")).into(&place.cell).await.expect("nominated");
    let old = id(&old["person"]);
    app.trained(&place.district, &[&old], "2020-05-08").await;
    let admitting = app.admit(&old).into(place).introduced_by(&young.introducers()).on("2021-03-02");
    let refused = admitting.await.expect_err("over 60");
    assert_eq!(refused.rule(), ("RULE_VIOLATION", "AGE_ABOVE_MAXIMUM"));
    let admitting = app.admit(&old).into(place).introduced_by(&young.introducers()).on("2021-03-02");
    let excepted = admitting.with("exceptionReference", json!("Công văn 45-CV/BTCTW")).await.expect("by exception");
    assert_eq!(excepted["outcome"], "PROBATIONARY");
}

#[tokio::test]
async fn the_awareness_certificate_must_exist_and_be_valid() {
    let app = TestApp::new().await;
    let ready = ready_candidate(&app, "1990-01-01").await;
    // Certificate of 2020-05-08 is valid 60 months, until 2025-05-08.
    let expired = admit(&app, &ready).on("2025-05-09").await.expect_err("an expired certificate");
    assert_eq!(expired.rule(), ("RULE_VIOLATION", "AWARENESS_CERTIFICATE_EXPIRED"));
    let untrained =
        app.nominate(citizen("Hồ Thị Chưa Học", "1990-01-01")).into(&ready.place.cell).await.expect("nominated");
    let admitting = app.admit(&id(&untrained["person"])).into(&ready.place).introduced_by(&ready.introducers());
    let missing = admitting.on("2021-03-02").await.expect_err("no certificate");
    assert_eq!(missing.rule(), ("RULE_VIOLATION", "AWARENESS_CERTIFICATE_MISSING"));
    admit(&app, &ready).on("2025-05-08").await.expect("the last day of the certificate");
}

#[tokio::test]
async fn introducers_must_be_two_distinct_official_members_of_long_acquaintance() {
    let app = TestApp::new().await;
    let ready = ready_candidate(&app, "1995-01-01").await;
    let [first, second] = [ready.introducers()[0], ready.introducers()[1]];
    let probationary = roster_member(&app, &ready.place.cell, "Hồ Văn Dự Bị", "2020-10-01", None).await;
    let cases = [
        (vec![first], "INTRODUCERS_REQUIRED"),
        (vec![first, first], "INTRODUCERS_NOT_DISTINCT"),
        (vec![first, probationary.as_str()], "INTRODUCER_NOT_OFFICIAL"),
    ];
    for (introducers, rule) in cases {
        let refused = admit(&app, &ready).introduced_by(&introducers).await.expect_err(rule);
        assert_eq!(refused.rule(), ("RULE_VIOLATION", rule), "{refused:?}");
    }
    // The introducers are read together; one that is no member is named, whichever its place.
    let unknown = ketnap::graphql::ids::to_global(ketnap::graphql::ids::NodeKind::Member, 987_654).0;
    for introducers in [vec![first, unknown.as_str()], vec![unknown.as_str(), second]] {
        let refused = admit(&app, &ready).introduced_by(&introducers).await.expect_err("an unknown introducer");
        assert_eq!(refused.rule(), ("NOT_FOUND", "(no rule)"), "{refused:?}");
        assert!(refused.message.contains("987654"), "{refused:?}");
    }
    let recent = json!([{ "memberId": first, "workedWithSince": "2019-01-01" },
                        { "memberId": second, "workedWithSince": "2020-04-01" }]);
    let refused = admit(&app, &ready).with("introducers", recent).await.expect_err("a recent acquaintance");
    assert_eq!(refused.rule(), ("RULE_VIOLATION", "INTRODUCER_TENURE"));

    // A Youth Union member: the union committee's resolution stands in for one introducer.
    let youth = admit(&app, &ready)
        .introduced_by(&[first])
        .with("youthUnionResolution", json!({ "reference": "12-NQ/ĐTN", "date": "2021-02-01" }));
    youth.await.expect("one introducer and the Youth Union");
}

#[tokio::test]
async fn the_source_pool_rules() {
    let app = TestApp::new().await;
    let ready = ready_candidate(&app, "1995-01-01").await;
    let place = &ready.place;

    // One active pipeline per person.
    let again = app.nominate_again(&ready.candidate).into(&place.other_cell).await.expect_err("nominated twice");
    assert_eq!(again.rule(), ("RULE_VIOLATION", "ACTIVE_NOMINATION_EXISTS"));
    // Mentors are official members.
    let probationary = roster_member(&app, &place.cell, "Hồ Văn Dự Bị", "2020-10-01", None).await;
    let nominating = app.nominate(citizen("Hồ Thị Ba", "1995-01-01")).into(&place.cell).by("CELL").on("2021-01-01");
    let refused = nominating.mentored_by(&[&probationary]).await.expect_err("a probationary mentor");
    assert_eq!(refused.rule(), ("RULE_VIOLATION", "MENTOR_NOT_OFFICIAL"));
    // A member cannot be nominated.
    let member = app
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Member { person { id } } } }",
            json!({ "id": ready.introducers[0] }),
        )
        .await;
    let member = id(&member["node"]["person"]);
    let refused = app.nominate_again(&member).into(&place.cell).on("2021-01-01").await.expect_err("a member");
    assert_eq!(refused.rule(), ("RULE_VIOLATION", "ALREADY_MEMBER"));
    // The cell must exist on the date; the deciding committee must be above the cell.
    let nominating = app.nominate(citizen("Hồ Thị Sớm", "1995-01-01")).into(&place.cell).by("CELL");
    let refused = nominating.on("1989-01-01").await.expect_err("before the cell");
    assert_eq!(refused.rule(), ("RULE_VIOLATION", "UNIT_NOT_ACTIVE_ON_DATE"));
    let foreign = admit(&app, &ready).with("decidingUnitId", json!(place.foreign_district));
    assert_eq!(
        foreign.await.expect_err("a foreign committee").rule(),
        ("RULE_VIOLATION", "DECIDING_UNIT_NOT_ABOVE_CELL")
    );
    let early = admit(&app, &ready).with("ceremonyDate", json!("2021-02-01"));
    assert_eq!(early.await.expect_err("an early ceremony").rule(), ("RULE_VIOLATION", "CEREMONY_BEFORE_DECISION"));

    // Removal with a reason; a removed nomination cannot be removed again nor admitted.
    let nominating = app.nominate(citizen("Hồ Thị Đi Xa", "1996-01-01")).into(&place.other_cell);
    let removed = nominating.mentored_by(&[&ready.introducers[0]]).await.expect("nominated");
    let remove = "mutation($id: ID!) { removeFromSource(input: { nominationId: $id, reason: MOVED_AWAY,
        note: \"Đi làm ăn xa ở Bình Dương\", removedOn: \"2021-01-15\" }) {
        nomination { status removedOn removalReason removalNote mentors { member { id } } } } }";
    let data = app.attempt(remove, json!({ "id": id(&removed) })).await.expect("removed");
    assert_eq!(
        data["removeFromSource"]["nomination"],
        json!({ "status": "REMOVED", "removedOn": "2021-01-15", "removalReason": "MOVED_AWAY",
                "removalNote": "Đi làm ăn xa ở Bình Dương", "mentors": [] })
    );
    let twice = app.attempt(remove, json!({ "id": id(&removed) })).await.expect_err("removed twice");
    assert_eq!(twice.rule(), ("RULE_VIOLATION", "NOMINATION_NOT_ACTIVE"));
    let admitting = app.admit(&id(&removed["person"])).into(place).introduced_by(&ready.introducers());
    assert_eq!(
        admitting.on("2021-03-02").await.expect_err("not in the source").rule(),
        ("RULE_VIOLATION", "NOT_IN_SOURCE")
    );

    // The admitted cannot be admitted again (a duplicate: CONFLICT).
    admit(&app, &ready).await.expect("admitted");
    let twice = admit(&app, &ready).on("2021-04-02").await.expect_err("admitted twice");
    assert_eq!((twice.code.as_str(), twice.rule), ("CONFLICT", None));
}

#[tokio::test]
async fn class_results_need_an_enrolment_and_a_certificate() {
    let app = TestApp::new().await;
    let place = place(&app).await;
    let person = app.nominate(citizen("Hồ Thị Lan", "1995-01-01")).into(&place.cell).await.expect("nominated");
    let person = id(&person["person"]);
    let class = app.awareness_class(&place.commune).await.expect("the commune's class");
    let entry = json!({ "personId": person, "result": "COMPLETED", "certificateNumber": "01", "certificateDate": "2020-05-08" });
    let record = |entry: &serde_json::Value| json!({ "input": { "classId": class, "results": [entry] } });
    let refused = app.attempt(RECORD_RESULTS, record(&entry)).await.expect_err("not enrolled");
    assert_eq!(refused.rule(), ("RULE_VIOLATION", "NOT_ENROLLED"));
    app.attempt(ENROL, json!({ "class": class, "people": [person] })).await.expect("enrolled");
    let twice = app.attempt(ENROL, json!({ "class": class, "people": [person] })).await.expect_err("enrolled twice");
    assert_eq!((twice.code.as_str(), twice.rule), ("CONFLICT", None));
    let no_certificate = json!({ "personId": person, "result": "COMPLETED" });
    let refused = app.attempt(RECORD_RESULTS, record(&no_certificate)).await.expect_err("no certificate");
    assert_eq!(refused.rule(), ("RULE_VIOLATION", "CERTIFICATE_REQUIRED"));
    let data = app.attempt(RECORD_RESULTS, record(&entry)).await.expect("recorded");
    assert_eq!(data["recordClassResults"]["enrolments"], json!([{ "result": "COMPLETED" }]));
    let by_cell = json!({ "input": { "organiserId": place.cell, "kind": "AWARENESS", "title": "x",
                                     "startsOn": "2020-05-04", "endsOn": "2020-05-08" } });
    let refused = app.attempt(CREATE_CLASS, by_cell).await.expect_err("a cell's class");
    assert_eq!(refused.rule(), ("VALIDATION", "CLASS_ORGANISER_LEVEL"));
}

#[tokio::test]
async fn not_recognised_deletes_the_name_and_corrections_keep_the_old_values() {
    let app = TestApp::new().await;
    let ready = ready_candidate(&app, "1995-01-01").await;
    let admission = id(&admit(&app, &ready).await.expect("admitted"));

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

    let deleted = app.not_recognised(&admission, "2022-04-01").await.expect("not recognised");
    assert_eq!(
        deleted,
        json!({ "outcome": "NOT_RECOGNISED",
                "outcomeReason": "Vi phạm tư cách đảng viên, không đủ điều kiện công nhận chính thức",
                "person": { "membership": { "status": "NAME_DELETED", "endedOn": "2022-04-01" } } })
    );
    let refused = app.recognise(&admission, "2022-05-01").await.expect_err("recognised after deletion");
    assert_eq!(refused.rule(), ("RULE_VIOLATION", "ADMISSION_CLOSED"));
}

#[tokio::test]
async fn a_failed_admission_writes_nothing() {
    let app = TestApp::new().await;
    let ready = ready_candidate(&app, "1995-01-01").await;
    // Everything passes until the ceremony check at the end.
    let refused = admit(&app, &ready).with("ceremonyDate", json!("2021-01-01")).await.expect_err("an early ceremony");
    assert_eq!(refused.rule(), ("RULE_VIOLATION", "CEREMONY_BEFORE_DECISION"));
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
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Person { nominations { status } } } }",
            json!({ "id": ready.candidate }),
        )
        .await;
    assert_eq!(status["node"]["nominations"], json!([{ "status": "ACTIVE" }]));
}

#[tokio::test]
async fn two_concurrent_admissions_of_one_person_one_wins_the_other_conflicts() {
    let app = TestApp::new().await;
    let ready = ready_candidate(&app, "1995-01-01").await;
    let (a, b) = tokio::join!(admit(&app, &ready).into_future(), admit(&app, &ready).on("2021-03-03").into_future());
    let outcomes: Vec<Option<String>> = [a, b].into_iter().map(|outcome| outcome.err().map(|r| r.code)).collect();
    assert_eq!(outcomes.iter().filter(|o| o.is_none()).count(), 1, "{outcomes:?}");
    assert!(outcomes.contains(&Some("CONFLICT".to_owned())), "{outcomes:?}");
}

#[tokio::test]
async fn a_transfer_moves_a_member_between_cells() {
    let app = TestApp::new().await;
    let place = place(&app).await;
    let member = roster_member(&app, &place.cell, "Hồ Văn Chuyển", "2010-01-01", Some("2011-01-01")).await;
    let moved = app.transfer(&member, &place.other_cell, "2022-06-01").await.expect("transferred");
    assert_json_snapshot!(moved, @r#"
    {
      "cell": {
        "code": "QN.BTM.TN.2"
      },
      "stints": [
        {
          "cell": {
            "code": "QN.BTM.TN.1"
          },
          "from": "2010-01-01",
          "to": "2022-06-01"
        },
        {
          "cell": {
            "code": "QN.BTM.TN.2"
          },
          "from": "2022-06-01",
          "to": null
        }
      ]
    }
    "#);
    let back_early = app.transfer(&member, &place.cell, "2022-06-01").await.expect_err("back the same day");
    assert_eq!(back_early.rule(), ("RULE_VIOLATION", "TRANSFER_BEFORE_ARRIVAL"));
}

#[tokio::test]
async fn the_same_citizen_nominated_twice_is_one_person() {
    let app = TestApp::new().await;
    let place = place(&app).await;
    let mut profile = citizen("Hồ Thị Lan", "1995-01-01");
    profile["citizenId"] = json!("049195000123");
    let nominated = app.nominate(profile.clone()).into(&place.cell).by("WOMENS_UNION").await.expect("nominated");
    assert_eq!(nominated["person"]["ethnicity"], "Xơ Đăng");
    assert_eq!(nominated["person"]["isEthnicMinority"], true);
    // The same citizen from another body is the same person, already in a pipeline.
    let again = app.nominate(profile).into(&place.cell).await.expect_err("the same citizen");
    assert_eq!(again.rule(), ("RULE_VIOLATION", "ACTIVE_NOMINATION_EXISTS"));
    let mut bad = citizen("Hồ Thị Lan", "1995-01-01");
    bad["citizenId"] = json!("12345");
    let refused = app.nominate(bad).into(&place.cell).by("CELL").await.expect_err("a short citizen ID");
    assert_eq!((refused.code.as_str(), refused.field.as_deref()), ("VALIDATION", Some("citizenId")));
    let mut long = citizen("Hồ Thị Dài", "1995-01-01");
    long["position"] = json!("x".repeat(256));
    let refused = app.nominate(long).into(&place.cell).by("CELL").await.expect_err("a long position");
    assert_eq!((refused.code.as_str(), refused.field.as_deref()), ("VALIDATION", Some("position")));
    let mut other = citizen("Người Khác", "1995-06-06");
    other["citizenId"] = json!("049195000123");
    let refused = app.nominate(other).into(&place.other_cell).by("CELL").await.expect_err("another name");
    assert_eq!(refused.code, "CONFLICT");
}
