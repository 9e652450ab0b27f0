//! Fixtures for the figure tests: a tree made through `createUnit` (and moved with `moveUnit`),
//! people, nominations, classes, admissions and memberships inserted as rows (many at once where
//! a figure needs hundreds), and a reader of `Unit.stats`.

use std::collections::HashMap;

use async_graphql::ID;
use chrono::{NaiveDate, Utc};
use ketnap::calendar::OPEN_END;
use ketnap::entity::vocabulary::*;
use ketnap::entity::{admission, class, enrolment, member, member_stint, nomination, person};
use ketnap::graphql::ids::from_global;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, NotSet};
use serde_json::{Value, json};

use crate::common::TestApp;

pub fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// A test database with a tree whose units are known by code.
pub struct Org {
    pub app: TestApp,
    units: HashMap<String, (String, i64)>,
}

impl Org {
    pub async fn new() -> Self {
        Org { app: TestApp::new().await, units: HashMap::new() }
    }

    /// Creates a unit established on 2000-01-01; the code's dots give the level
    /// (`QN` province, `QN.NT` district, `QN.NT.TN` commune, `QN.NT.TN.1` cell).
    pub async fn unit(&mut self, code: &str, parent: Option<&str>) -> i64 {
        self.unit_on(code, parent, "2000-01-01").await
    }

    pub async fn unit_on(&mut self, code: &str, parent: Option<&str>, established: &str) -> i64 {
        let (level, kind) =
            [("PROVINCE", "PROVINCE"), ("DISTRICT", "RURAL_DISTRICT"), ("COMMUNE", "COMMUNE"), ("CELL", "VILLAGE")]
                [code.matches('.').count()];
        let parent_id = parent.map(|p| self.gid(p));
        let id = self
            .app
            .create_unit_on(code, &format!("Đơn vị {code}"), level, kind, parent_id.as_deref(), established)
            .await;
        let row = from_global(&ID(id.clone())).unwrap().1;
        self.units.insert(code.to_owned(), (id, row));
        row
    }

    pub fn gid(&self, code: &str) -> String {
        self.units.get(code).unwrap_or_else(|| panic!("no unit {code}")).0.clone()
    }

    pub fn row(&self, code: &str) -> i64 {
        self.units.get(code).unwrap_or_else(|| panic!("no unit {code}")).1
    }

    /// Moves `code` under `parent` from `on` with `moveUnit`.
    pub async fn move_unit(&self, code: &str, parent: &str, on: &str) {
        self.app
            .ok(
                "mutation($input: MoveUnitInput!) { moveUnit(input: $input) { unit { id } } }",
                json!({ "input": { "id": self.gid(code), "parentId": self.gid(parent), "effectiveOn": on } }),
            )
            .await;
    }

    /// Dissolves `code` from `on` with `dissolveUnit`.
    pub async fn dissolve(&self, code: &str, on: &str) {
        self.app
            .ok(
                "mutation($input: DissolveUnitInput!) { dissolveUnit(input: $input) { unit { id } } }",
                json!({ "input": { "id": self.gid(code), "effectiveOn": on } }),
            )
            .await;
    }

    /// Sets a target with `setTarget`.
    pub async fn target(&self, code: &str, kind: &str, year: i32, value: i32) {
        self.app
            .ok(
                "mutation($input: SetTargetInput!) { setTarget(input: $input) { target { value } } }",
                json!({ "input": { "target": { "unitId": self.gid(code), "kind": kind, "year": year }, "value": value } }),
            )
            .await;
    }

    /// `Unit.stats(period:)` of `code` with `selection`.
    pub async fn stats(&self, code: &str, period: Value, selection: &str) -> Value {
        let query = format!(
            "query($code: String!, $period: PeriodInput!) {{ unit(code: $code) {{ stats(period: $period) {{ {selection} }} }} }}"
        );
        let data = self.app.ok(&query, json!({ "code": code, "period": period })).await;
        data["unit"]["stats"].clone()
    }
}

/// The profile a person is inserted with; `Profile::default()` is a Kinh woman born in 1995.
#[derive(Clone)]
pub struct Profile {
    pub gender: Gender,
    pub born: NaiveDate,
    pub ethnicity: &'static str,
    pub religion: Religion,
    pub general_education: GeneralEducation,
    pub professional_education: ProfessionalEducation,
    pub occupation: Occupation,
}

impl Default for Profile {
    fn default() -> Self {
        Profile {
            gender: Gender::Female,
            born: d("1995-06-15"),
            ethnicity: "Kinh",
            religion: Religion::None,
            general_education: GeneralEducation::UpperSecondary,
            professional_education: ProfessionalEducation::None,
            occupation: Occupation::Farmer,
        }
    }
}

fn person_row(name: String, profile: &Profile) -> person::ActiveModel {
    let now = Utc::now();
    person::ActiveModel {
        id: NotSet,
        name_search: Set(ketnap::domain::text::fold(&name)),
        full_name: Set(name),
        other_names: Set(None),
        gender: Set(profile.gender),
        date_of_birth: Set(profile.born),
        ethnicity: Set(profile.ethnicity.to_owned()),
        religion: Set(profile.religion),
        general_education: Set(profile.general_education),
        professional_education: Set(profile.professional_education),
        political_theory: Set(PoliticalTheory::None),
        occupation: Set(profile.occupation),
        position: Set(None),
        citizen_id: Set(None),
        address: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

pub async fn person(app: &TestApp, name: &str, profile: &Profile) -> i64 {
    person_row(name.to_owned(), profile).insert(&app.db).await.unwrap().id
}

/// Inserts `n` people named `{prefix} {i}` in multi-row statements; returns their ids in order.
pub async fn people(app: &TestApp, prefix: &str, n: usize) -> Vec<i64> {
    let profile = Profile::default();
    let mut ids = Vec::with_capacity(n);
    for chunk in (0..n).collect::<Vec<_>>().chunks(200) {
        let rows = chunk.iter().map(|i| person_row(format!("{prefix} {i}"), &profile));
        ids.extend(person::Entity::insert_many(rows).exec_with_returning_keys(&app.db).await.unwrap());
    }
    ids
}

fn nomination_row(person_id: i64, cell: i64, body: NominatingBody, on: &str) -> nomination::ActiveModel {
    crate::common::rows::nomination_row(person_id, cell, body, d(on))
}

pub async fn nominate(app: &TestApp, person_id: i64, cell: i64, body: NominatingBody, on: &str) -> i64 {
    let id = nomination_row(person_id, cell, body, on).insert(&app.db).await.unwrap().id;
    app.rebuild_rollups().await;
    id
}

/// Closes a nomination: REMOVED on `on` for `reason`, or ADMITTED without a reason.
pub async fn close(app: &TestApp, nomination_id: i64, on: &str, reason: Option<RemovalReason>) {
    let status = if reason.is_some() { NominationStatus::Removed } else { NominationStatus::Admitted };
    nomination::ActiveModel {
        id: Set(nomination_id),
        status: Set(status),
        removed_on: Set(reason.map(|_| d(on))),
        removal_reason: Set(reason),
        ..Default::default()
    }
    .update(&app.db)
    .await
    .unwrap();
    app.rebuild_rollups().await;
}

/// A nomination to insert: the person, its date, and its removal `(date, reason)` if any.
pub type NominationEntry<'a> = (i64, &'a str, Option<(&'a str, RemovalReason)>);

/// Inserts one nomination per entry.
pub async fn nominate_many(app: &TestApp, cell: i64, entries: &[NominationEntry<'_>]) {
    for chunk in entries.chunks(200) {
        let rows = chunk.iter().map(|(person_id, on, removal)| {
            let mut row = nomination_row(*person_id, cell, NominatingBody::YouthUnion, on);
            if let Some((removed_on, reason)) = removal {
                row.status = Set(NominationStatus::Removed);
                row.removed_on = Set(Some(d(removed_on)));
                row.removal_reason = Set(Some(*reason));
            }
            row
        });
        nomination::Entity::insert_many(rows).exec(&app.db).await.unwrap();
    }
    app.rebuild_rollups().await;
}

pub async fn class(app: &TestApp, organiser: i64, kind: ClassKind, starts: &str) -> i64 {
    let now = Utc::now();
    let id = class::ActiveModel {
        id: NotSet,
        organiser_unit_id: Set(organiser),
        kind: Set(kind),
        title: Set(format!("{kind:?} {starts}")),
        starts_on: Set(d(starts)),
        ends_on: Set(d(starts) + chrono::Days::new(4)),
        place: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&app.db)
    .await
    .unwrap()
    .id;
    app.rebuild_rollups().await;
    id
}

fn enrolment_row(
    class_id: i64,
    person_id: i64,
    result: EnrolmentResult,
    certified: Option<&str>,
) -> enrolment::ActiveModel {
    let now = Utc::now();
    enrolment::ActiveModel {
        id: NotSet,
        class_id: Set(class_id),
        person_id: Set(person_id),
        result: Set(result),
        certificate_number: Set(certified.map(|_| format!("GCN-{class_id}-{person_id}"))),
        certificate_date: Set(certified.map(d)),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

pub async fn enrol(app: &TestApp, class_id: i64, person_id: i64, result: EnrolmentResult, certified: Option<&str>) {
    enrolment_row(class_id, person_id, result, certified).insert(&app.db).await.unwrap();
    app.rebuild_rollups().await;
}

/// Enrols `people` as COMPLETED with a certificate dated `certified`.
pub async fn complete_many(app: &TestApp, class_id: i64, people: &[i64], certified: &str) {
    for chunk in people.chunks(200) {
        let rows = chunk.iter().map(|p| enrolment_row(class_id, *p, EnrolmentResult::Completed, Some(certified)));
        enrolment::Entity::insert_many(rows).exec(&app.db).await.unwrap();
    }
    app.rebuild_rollups().await;
}

fn admission_row(person_id: i64, cell: i64, nomination_id: Option<i64>, decided: &str) -> admission::ActiveModel {
    // The cell stands in as the deciding unit.
    let mut row = crate::common::rows::admission_row(person_id, cell, cell, d(decided));
    row.nomination_id = Set(nomination_id);
    row
}

/// An admission into `cell` decided on `decided` (the cell stands in as the deciding unit).
pub async fn admit(app: &TestApp, person_id: i64, cell: i64, nomination_id: Option<i64>, decided: &str) -> i64 {
    let id = admission_row(person_id, cell, nomination_id, decided).insert(&app.db).await.unwrap().id;
    app.rebuild_rollups().await;
    id
}

/// Inserts one admission per `(person, decided)` into `cell`.
pub async fn admit_many(app: &TestApp, cell: i64, entries: &[(i64, &str)]) {
    for chunk in entries.chunks(200) {
        let rows = chunk.iter().map(|(p, on)| admission_row(*p, cell, None, on));
        admission::Entity::insert_many(rows).exec(&app.db).await.unwrap();
    }
    app.rebuild_rollups().await;
}

/// Records the probation outcome of an admission decided on `on`.
pub async fn outcome(app: &TestApp, admission_id: i64, outcome: AdmissionOutcome, on: &str) {
    admission::ActiveModel {
        id: Set(admission_id),
        outcome: Set(outcome),
        outcome_decision_number: Set(Some(format!("{admission_id}-QĐ/HU"))),
        outcome_decision_date: Set(Some(d(on))),
        ..Default::default()
    }
    .update(&app.db)
    .await
    .unwrap();
    app.rebuild_rollups().await;
}

/// A membership with its cell stints: each `(cell, from)` runs to the next one's start; the
/// last runs to `ended` or stays open.
pub async fn member(
    app: &TestApp,
    person_id: i64,
    since: &str,
    official: Option<&str>,
    ended: Option<&str>,
    stints: &[(i64, &str)],
) {
    let now = Utc::now();
    let status = match (official, ended) {
        (_, Some(_)) => MemberStatus::Ended,
        (Some(_), None) => MemberStatus::Official,
        (None, None) => MemberStatus::Probationary,
    };
    let id = member::ActiveModel {
        id: NotSet,
        person_id: Set(person_id),
        admission_id: Set(None),
        status: Set(status),
        party_since: Set(d(since)),
        official_since: Set(official.map(d)),
        ended_on: Set(ended.map(d)),
        end_reason: Set(ended.map(|_| "DECEASED".to_owned())),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&app.db)
    .await
    .unwrap()
    .id;
    for (i, (cell, from)) in stints.iter().enumerate() {
        let to = stints.get(i + 1).map(|next| d(next.1)).or(ended.map(d)).unwrap_or(OPEN_END);
        member_stint::ActiveModel {
            id: NotSet,
            member_id: Set(id),
            cell_id: Set(*cell),
            valid_from: Set(d(from)),
            valid_to: Set(to),
        }
        .insert(&app.db)
        .await
        .unwrap();
    }
    app.rebuild_rollups().await;
}

/// Runs `query` on a connection that counts its statements; returns the count and the data.
pub async fn statements_for(app: &TestApp, query: &str, variables: Value) -> (usize, Value) {
    app.statements_for(query, variables).await
}

/// `[{category, count}, …]` as JSON, in the given order.
pub fn counts(pairs: &[(&str, i64)]) -> Value {
    Value::Array(pairs.iter().map(|(category, count)| json!({ "category": category, "count": count })).collect())
}
