//! One way to break each rule, through the public API where it can be reached and through the
//! domain for the guards it cannot (`INTRODUCER_IS_CANDIDATE`, `TREE_CYCLE`). The match has an
//! arm per rule, so a rule added to the table without a trigger does not compile.

use chrono::{NaiveDate, Utc};
use ketnap::domain::pipeline::charter;
use ketnap::domain::tree;
use ketnap::entity::member::{self, MemberStatus};
use ketnap::error::AppResult;
use ketnap::graphql::ids::{NodeKind, expect};
use ketnap::graphql::{Api, SchemaOptions};
use ketnap::rules::Rule;
use serde_json::json;

use crate::common::people::{roster_member, roster_person};
use crate::common::pipeline::{Outcome, Place, Ready, citizen, id, place, ready_candidate};
use crate::common::{TestApp, national_admin};

/// The code and rule name a request was refused with.
type Refused = (String, String);

fn refused(outcome: Outcome) -> Refused {
    let refusal = outcome.expect_err("the trigger was refused");
    (refusal.code.clone(), refusal.rule.unwrap_or_default())
}

fn refused_by_domain<T: std::fmt::Debug>(result: AppResult<T>) -> Refused {
    let err = result.expect_err("the guard refused");
    (err.code().to_owned(), err.rule().map(Rule::code).unwrap_or_default().to_owned())
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date")
}

/// Breaks `rule` once on `app` (a fresh database) and answers how it was refused.
pub async fn refusal(app: &TestApp, rule: Rule) -> Refused {
    match rule {
        Rule::AgeBelowMinimum => refused(admit_born(app, "2003-03-03", "2021-03-02").await),
        Rule::AgeAboveMaximum => refused(admit_born(app, "1960-01-01", "2021-03-02").await),
        Rule::AwarenessCertificateMissing => {
            let place = place(app).await;
            let introducers = official_members(app, &place).await;
            let person = nominated(app, &place.cell, "Hồ Thị Chưa Học").await;
            refused(app.admit(&person).into(&place).introduced_by(&refs(&introducers)).on("2021-03-02").await)
        }
        Rule::AwarenessCertificateExpired => refused(admit_born(app, "1990-01-01", "2025-05-09").await),
        Rule::IntroducersRequired => {
            let ready = ready_candidate(app, "1995-01-01").await;
            refused(admit(app, &ready).introduced_by(&ready.introducers()[..1]).await)
        }
        Rule::IntroducersNotDistinct => {
            let ready = ready_candidate(app, "1995-01-01").await;
            let first = ready.introducers()[0];
            refused(admit(app, &ready).introduced_by(&[first, first]).await)
        }
        Rule::IntroducerIsCandidate => {
            let own = member::Model {
                id: 1,
                person_id: 9,
                admission_id: None,
                status: MemberStatus::Official,
                party_since: date("2000-01-01"),
                official_since: Some(date("2001-01-01")),
                ended_on: None,
                end_reason: None,
                created_at: Utc::now(),
                updated_at: Utc::now(),
            };
            refused_by_domain(charter::check_introducer(9.into(), &own, date("2019-01-01"), date("2021-03-02")))
        }
        Rule::IntroducerNotOfficial => {
            let ready = ready_candidate(app, "1995-01-01").await;
            let probationary = roster_member(app, &ready.place.cell, "Hồ Văn Dự Bị", "2020-10-01", None).await;
            refused(admit(app, &ready).introduced_by(&[ready.introducers()[0], &probationary]).await)
        }
        Rule::IntroducerTenure => {
            let ready = ready_candidate(app, "1995-01-01").await;
            let recent = json!([{ "memberId": ready.introducers[0], "workedWithSince": "2019-01-01" },
                                { "memberId": ready.introducers[1], "workedWithSince": "2020-04-01" }]);
            refused(admit(app, &ready).with("introducers", recent).await)
        }
        Rule::NotInSource => {
            let ready = ready_candidate(app, "1995-01-01").await;
            let nomination = only_nomination(app, &ready.candidate).await;
            remove_from_source(app, &nomination).await.expect("the candidate leaves the source");
            refused(admit(app, &ready).await)
        }
        Rule::AlreadyMember => {
            let place = place(app).await;
            let member = roster_member(app, &place.cell, "Hồ Văn Một", "2000-01-01", Some("2001-01-01")).await;
            let person = person_of_member(app, &member).await;
            refused(app.nominate_again(&person).into(&place.cell).await)
        }
        Rule::ActiveNominationExists => {
            let ready = ready_candidate(app, "1995-01-01").await;
            refused(app.nominate_again(&ready.candidate).into(&ready.place.other_cell).await)
        }
        Rule::PersonRecordedElsewhere => {
            let place = place(app).await;
            let mut profile = citizen("Hồ Thị Lượng", "1972-09-02");
            profile["citizenId"] = json!("049172000123");
            app.nominate(profile.clone()).into(&place.cell).await.expect("recorded in Bắc Trà My");
            let on = "1990-01-01";
            let commune =
                app.create_unit_on("QN.NT.TT", "Tam Tiến", "COMMUNE", "COMMUNE", Some(&place.foreign_district), on);
            let commune = commune.await;
            let cell = app.create_unit_on("QN.NT.TT.1", "Chi bộ thôn 1", "CELL", "VILLAGE", Some(&commune), on).await;
            let editor = app.user(ketnap::auth::Role::Editor, "QN.NT").await;
            let input =
                json!({ "person": profile, "cellId": cell, "nominatingBody": "CELL", "nominatedOn": "2021-01-04" });
            let response = app.run_as(&editor, crate::common::pipeline::NOMINATE, json!({ "input": input })).await;
            let refusal = crate::common::rule_of(&response["errors"][0]);
            (refusal.code, refusal.rule)
        }
        Rule::DecidingUnitNotAboveCell => {
            let ready = ready_candidate(app, "1995-01-01").await;
            refused(admit(app, &ready).with("decidingUnitId", json!(ready.place.foreign_district)).await)
        }
        Rule::HelperMembershipEnded => {
            let place = place(app).await;
            let mentor = roster_member(app, &place.cell, "Hồ Văn Đã Mất", "2000-01-01", Some("2001-01-01")).await;
            let death = "mutation($input: MemberChangeInput!) { recordDeath(input: $input) { change { kind } } }";
            let input = json!({ "memberId": mentor, "reason": "ILLNESS", "effectiveOn": "2021-01-10",
                "decision": { "number": "5-QĐ/HU", "date": "2021-01-10", "decidingUnitId": place.district } });
            app.ok(death, json!({ "input": input })).await;
            refused(app.nominate(citizen("Hồ Thị Mới", "2000-01-01")).into(&place.cell).mentored_by(&[&mentor]).await)
        }
        Rule::CongressOutsideTermYear => {
            let place = place(app).await;
            let query =
                "mutation($input: RecordCongressInput!) { recordCongress(input: $input) { congress { heldOn } } }";
            let input = json!({ "unitId": place.commune, "term": { "startYear": 2020, "endYear": 2025 },
                                "heldOn": "2019-11-20", "resolutionNumber": "01-NQ/ĐH" });
            refused(app.attempt(query, json!({ "input": input })).await)
        }
        Rule::DossierFormMissing => {
            let place = place(app).await;
            let introducers = official_members(app, &place).await;
            let person = nominated(app, &place.cell, "Hồ Thị Chưa Nộp").await;
            app.trained(&place.district, &[&person], "2025-09-10").await;
            refused(app.admit(&person).into(&place).introduced_by(&refs(&introducers)).on("2026-03-02").await)
        }
        Rule::UnitNotActiveOnDate => {
            let place = place(app).await;
            refused(app.nominate(citizen("Hồ Thị Sớm", "1995-01-01")).into(&place.cell).on("1989-01-01").await)
        }
        Rule::CeremonyBeforeDecision => {
            let ready = ready_candidate(app, "1995-01-01").await;
            refused(admit(app, &ready).with("ceremonyDate", json!("2021-02-01")).await)
        }
        Rule::CeremonyNotRecorded => {
            let admission = admitted(app, None).await;
            refused(app.recognise(&admission, "2022-04-01").await)
        }
        Rule::ProbationNotComplete => {
            let admission = admitted(app, Some("2021-03-19")).await;
            refused(app.recognise(&admission, "2022-03-18").await)
        }
        Rule::AdmissionClosed => {
            let admission = admitted(app, Some("2021-03-19")).await;
            app.not_recognised(&admission, "2022-04-01").await.expect("the name is deleted");
            refused(app.recognise(&admission, "2022-04-02").await)
        }
        Rule::NominationNotActive => {
            let place = place(app).await;
            let nomination = app.nominate(citizen("Hồ Thị Đi Xa", "1996-01-01")).into(&place.cell).await;
            let nomination = id(&nomination.expect("nominated"));
            remove_from_source(app, &nomination).await.expect("removed once");
            refused(remove_from_source(app, &nomination).await)
        }
        Rule::MentorNotOfficial => {
            let place = place(app).await;
            let probationary = roster_member(app, &place.cell, "Hồ Văn Dự Bị", "2020-10-01", None).await;
            let nominating = app.nominate(citizen("Hồ Thị Ba", "1995-01-01")).into(&place.cell);
            refused(nominating.on("2021-01-01").mentored_by(&[&probationary]).await)
        }
        Rule::MentorIsCandidate => {
            // An importer loads a roster without looking at the source pool, so a candidate can be
            // a member too; she still cannot follow her own nomination.
            let place = place(app).await;
            let nomination = app.nominate(citizen("Hồ Thị Lan", "1995-01-01")).into(&place.cell).await;
            let nomination = nomination.expect("nominated");
            let herself =
                roster_person(app, &place.cell, &id(&nomination["person"]), "2000-01-01", Some("2001-01-01")).await;
            let replace = "mutation($id: ID!, $mentors: [ID!]!) { replaceMentors(input: { nominationId: $id,
                mentorIds: $mentors, effectiveOn: \"2021-01-01\" }) { nomination { id } } }";
            refused(app.attempt(replace, json!({ "id": id(&nomination), "mentors": [herself] })).await)
        }
        Rule::NotEnrolled => {
            let (class, person) = class_and_candidate(app).await;
            refused(results(app, &class, &person, true).await)
        }
        Rule::CertificateRequired => {
            let (class, person) = class_and_candidate(app).await;
            app.ok(crate::common::pipeline::ENROL, json!({ "class": class, "people": [person] })).await;
            refused(results(app, &class, &person, false).await)
        }
        Rule::TransferBeforeArrival => {
            let place = place(app).await;
            let member = roster_member(app, &place.cell, "Hồ Văn Chuyển", "2010-01-01", Some("2011-01-01")).await;
            refused(app.transfer(&member, &place.other_cell, "2010-01-01").await)
        }
        Rule::ExpulsionOfProbationary => {
            let place = place(app).await;
            let member = roster_member(app, &place.cell, "Hồ Văn Dự Bị", "2021-01-01", None).await;
            refused(end_member(app, "expelMember", &member, "DISCIPLINE", &place.district).await)
        }
        Rule::ChangeReasonForKind => {
            let place = place(app).await;
            let member = roster_member(app, &place.cell, "Hồ Văn Mất", "2000-01-01", Some("2001-01-01")).await;
            refused(end_member(app, "recordDeath", &member, "DISCIPLINE", &place.district).await)
        }
        Rule::ChangeBeforeArrival => {
            let place = place(app).await;
            let member = roster_member(app, &place.cell, "Hồ Văn Mới", "2022-06-01", Some("2023-06-01")).await;
            refused(end_member(app, "recordMemberLeft", &member, "PERSONAL", &place.district).await)
        }
        Rule::MembershipEnded => {
            let admission = admitted(app, Some("2021-03-19")).await;
            app.not_recognised(&admission, "2022-04-01").await.expect("the name is deleted");
            let member = app
                .ok(
                    "query($id: ID!) { node(id: $id) { ... on Admission { person { membership { id } } } } }",
                    json!({ "id": admission }),
                )
                .await;
            let member = id(&member["node"]["person"]["membership"]);
            let other_cell = app.unit_id("QN.BTM.TN.2").await;
            refused(app.transfer(&member, &other_cell, "2022-05-01").await)
        }
        Rule::PeriodSignedOff => {
            let place = place(app).await;
            figures(app, "signOffFigures", &place.cell, 2021).await.expect("signed off");
            refused(app.nominate(citizen("Hồ Thị Muộn", "1995-01-01")).into(&place.cell).on("2021-06-01").await)
        }
        Rule::SignOffAwaitsChildren => {
            let place = place(app).await;
            refused(figures(app, "signOffFigures", &place.commune, 2021).await)
        }
        Rule::PeriodNotSignedOff => {
            let place = place(app).await;
            refused(figures(app, "approveFigures", &place.cell, 2021).await)
        }
        Rule::PeriodNotEnded => {
            let place = place(app).await;
            refused(figures(app, "signOffFigures", &place.cell, chrono::Datelike::year(&Utc::now())).await)
        }
        Rule::ClassOrganiserLevel => {
            let place = place(app).await;
            refused(app.awareness_class(&place.cell).await)
        }
        Rule::NotACell => {
            let place = place(app).await;
            refused(app.nominate(citizen("Hồ Thị Lan", "1995-01-01")).into(&place.commune).await)
        }
        Rule::ParentLevel => {
            let place = place(app).await;
            refused(create_unit(app, "CELL", "VILLAGE", &place.district, "2000-01-01").await)
        }
        Rule::UnitKindForLevel => {
            let place = place(app).await;
            refused(create_unit(app, "COMMUNE", "VILLAGE", &place.district, "2000-01-01").await)
        }
        Rule::EstablishedBeforeParent => {
            let place = place(app).await;
            refused(create_unit(app, "COMMUNE", "COMMUNE", &place.district, "1980-01-01").await)
        }
        Rule::TreeCycle => {
            let place = place(app).await;
            let unit = |global: &str| expect(&global.into(), NodeKind::Unit, "id").expect("a unit ID");
            let district = tree::get(&app.db, unit(&place.district)).await.expect("the district");
            let commune = tree::get(&app.db, unit(&place.commune)).await.expect("the commune");
            refused_by_domain(tree::ensure_outside(&district, &commune, true))
        }
        Rule::ChangeBeforeLastChange => {
            let place = place(app).await;
            move_unit(app, &place.commune, &place.foreign_district, "2022-01-01").await.expect("moved");
            refused(move_unit(app, &place.commune, &place.district, "2021-12-31").await)
        }
        Rule::MergeLevel => {
            let place = place(app).await;
            let merge = "mutation($sources: [ID!]!, $target: ID!) {
                mergeUnits(input: { sourceIds: $sources, targetId: $target }) { target { code } } }";
            refused(app.attempt(merge, json!({ "sources": [place.district], "target": place.commune })).await)
        }
        Rule::UnitDissolved => {
            let place = place(app).await;
            dissolve(app, &place.other_cell).await.expect("dissolved once");
            refused(dissolve(app, &place.other_cell).await)
        }
        Rule::UnitNotEmpty => {
            let place = place(app).await;
            refused(dissolve(app, &place.commune).await)
        }
        Rule::CitizenIdStructure => {
            let place = place(app).await;
            let mut profile = citizen("Hồ Thị Lan", "1995-01-01");
            profile["citizenId"] = json!("049095000123");
            refused(app.nominate(profile).into(&place.cell).await)
        }
        Rule::PageSize => {
            let place = place(app).await;
            let page = "query($id: ID!) { node(id: $id) { ... on Unit { children(first: 101) { totalCount } } } }";
            refused(app.attempt(page, json!({ "id": place.commune })).await)
        }
        Rule::PageDirection => {
            let place = place(app).await;
            let page =
                "query($id: ID!) { node(id: $id) { ... on Unit { children(first: 2, last: 2) { totalCount } } } }";
            refused(app.attempt(page, json!({ "id": place.commune })).await)
        }
        Rule::TokensFromIdentityProvider => {
            // A server that verifies an identity provider's tokens holds no signing key.
            let api = Api::with_cache(app.db.clone(), SchemaOptions::default(), app.cache.clone());
            let issue = "mutation { issueToken(input: { subject: \"ai@qnm\", role: VIEWER }) { token } }";
            let response = api.execute(async_graphql::Request::new(issue), national_admin()).await;
            let response = serde_json::to_value(&response).expect("a response");
            let error = &response["errors"][0]["extensions"];
            (
                error["code"].as_str().unwrap_or_default().to_owned(),
                error["rule"].as_str().unwrap_or_default().to_owned(),
            )
        }
    }
}

/// Signs off (`signOffFigures`) or approves (`approveFigures`) `unit`'s figures for `year`.
async fn figures(app: &TestApp, mutation: &str, unit: &str, year: i32) -> Outcome {
    let query = format!(
        "mutation($u: ID!, $y: Int!) {{ {mutation}(input: {{ unitId: $u, period: {{ year: $y }} }}) {{ signOff {{ status }} }} }}"
    );
    app.attempt(&query, json!({ "u": unit, "y": year })).await
}

fn refs(members: &[String]) -> Vec<&str> {
    members.iter().map(String::as_str).collect()
}

/// Two official members of the place's cell.
async fn official_members(app: &TestApp, place: &Place) -> Vec<String> {
    vec![
        roster_member(app, &place.cell, "Hồ Văn Một", "2000-01-01", Some("2001-01-01")).await,
        roster_member(app, &place.cell, "Hồ Văn Hai", "2005-01-01", Some("2006-01-01")).await,
    ]
}

/// A person nominated into `cell`; answers the person's ID.
async fn nominated(app: &TestApp, cell: &str, name: &str) -> String {
    let nomination = app.nominate(citizen(name, "1990-01-01")).into(cell).await.expect("nominated");
    id(&nomination["person"])
}

/// The ready candidate's admission on 2 March 2021, introduced by both members.
fn admit<'a>(app: &'a TestApp, ready: &Ready) -> crate::common::pipeline::Admitting<'a> {
    app.admit(&ready.candidate).into(&ready.place).introduced_by(&ready.introducers()).on("2021-03-02")
}

/// Admits a ready candidate born `born` on `decided`.
async fn admit_born(app: &TestApp, born: &str, decided: &str) -> Outcome {
    let ready = ready_candidate(app, born).await;
    admit(app, &ready).on(decided).await
}

/// An admission of 2 March 2021, with its ceremony when given; answers its ID.
async fn admitted(app: &TestApp, ceremony: Option<&str>) -> String {
    let ready = ready_candidate(app, "1995-01-01").await;
    let admitting = admit(app, &ready);
    let admitting = match ceremony {
        Some(on) => admitting.with("ceremonyDate", json!(on)),
        None => admitting,
    };
    id(&admitting.await.expect("admitted"))
}

async fn only_nomination(app: &TestApp, person: &str) -> String {
    let data = app
        .ok("query($id: ID!) { node(id: $id) { ... on Person { nominations { id } } } }", json!({ "id": person }))
        .await;
    id(&data["node"]["nominations"][0])
}

async fn person_of_member(app: &TestApp, member: &str) -> String {
    let data =
        app.ok("query($id: ID!) { node(id: $id) { ... on Member { person { id } } } }", json!({ "id": member })).await;
    id(&data["node"]["person"])
}

async fn remove_from_source(app: &TestApp, nomination: &str) -> Outcome {
    let remove = "mutation($id: ID!) { removeFromSource(input: { nominationId: $id, reason: MOVED_AWAY,
        removedOn: \"2021-01-15\" }) { nomination { status } } }";
    app.attempt(remove, json!({ "id": nomination })).await
}

/// A commune's awareness class and a nominated person not yet enrolled in it.
async fn class_and_candidate(app: &TestApp) -> (String, String) {
    let place = place(app).await;
    let person = nominated(app, &place.cell, "Hồ Thị Lan").await;
    let class = app.awareness_class(&place.commune).await.expect("the class");
    (class.as_str().expect("an id").to_owned(), person)
}

/// Records that `person` completed `class`, with its certificate or without.
async fn results(app: &TestApp, class: &str, person: &str, with_certificate: bool) -> Outcome {
    let mut entry = json!({ "personId": person, "result": "COMPLETED" });
    if with_certificate {
        entry["certificateNumber"] = json!("01");
        entry["certificateDate"] = json!("2020-05-08");
    }
    app.attempt(crate::common::pipeline::RECORD_RESULTS, json!({ "input": { "classId": class, "results": [entry] } }))
        .await
}

async fn create_unit(app: &TestApp, level: &str, kind: &str, parent: &str, established: &str) -> Outcome {
    let create = "mutation($input: CreateUnitInput!) { createUnit(input: $input) { unit { id } } }";
    let input = json!({ "code": "X.1", "name": "Đơn vị thử", "level": level, "kind": kind, "parentId": parent,
                        "establishedOn": established });
    app.attempt(create, json!({ "input": input })).await
}

async fn move_unit(app: &TestApp, unit: &str, parent: &str, on: &str) -> Outcome {
    let query =
        "mutation($id: ID!, $to: ID!, $on: Date) { moveUnit(input: { id: $id, parentId: $to, effectiveOn: $on }) {
        unit { code } } }";
    app.attempt(query, json!({ "id": unit, "to": parent, "on": on })).await
}

async fn dissolve(app: &TestApp, unit: &str) -> Outcome {
    let query = "mutation($id: ID!) { dissolveUnit(input: { id: $id, effectiveOn: \"2024-01-01\" }) { unit { id } } }";
    app.attempt(query, json!({ "id": unit })).await
}

/// Ends `member`'s membership with `mutation` on 1 June 2022, decided by `by`.
async fn end_member(app: &TestApp, mutation: &str, member: &str, reason: &str, by: &str) -> Outcome {
    let query = format!("mutation($input: MemberChangeInput!) {{ {mutation}(input: $input) {{ change {{ kind }} }} }}");
    let input = json!({ "memberId": member, "reason": reason, "effectiveOn": "2022-06-01",
        "decision": { "number": "45-QĐ/HU", "date": "2022-06-01", "decidingUnitId": by } });
    app.attempt(&query, json!({ "input": input })).await
}
