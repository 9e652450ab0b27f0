//! What the benchmark asks: the dashboard documents and the pipeline reads and writes, aimed at
//! units and people picked from the database, each with the hand-written SQL that computes the
//! same answer (its floor). Shared by the benchmark and its smoke test.

use chrono::NaiveDate;
use ketnap::calendar::OPEN_END;
use ketnap::domain::audit::Actor;
use ketnap::domain::dossier;
use ketnap::domain::people::{self, PersonInput};
use ketnap::domain::pipeline::class::{self, NewClass, ResultEntry};
use ketnap::domain::pipeline::membership::{self, NewMember};
use ketnap::domain::pipeline::nomination::{self, Nominate, PersonRef};
use ketnap::entity::class::ClassKind;
use ketnap::entity::enrolment::EnrolmentResult;
use ketnap::entity::nomination::NominatingBody;
use ketnap::entity::person::{Gender, GeneralEducation, Occupation, PoliticalTheory, ProfessionalEducation, Religion};
use ketnap::graphql::ids::{NodeKind, to_global};
use ketnap::sql::statement;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, QueryResult};
use serde_json::{Value, json};

use super::{dashboards, floors};

pub const PROVINCE_OVERVIEW: &str = include_str!("../../examples/province_overview.graphql");
pub const DISTRICT_RANKING: &str = include_str!("../../examples/district_ranking.graphql");
pub const COMMUNE_DRILL_DOWN: &str = include_str!("../../examples/commune_drill_down.graphql");

/// The goal's drill-down: the districts of a province with a year's admissions, targets and attainment.
pub const DRILL_DOWN: &str = "query($code: String!, $year: Int!) { unit(code: $code) { code name
  children(first: 100) { nodes { code name stats(period: { year: $year }) {
    admissions assignedTarget attainment { ratio percent } } } } } }";

/// Every province for a year: counts every admission in the country.
pub const NATIONAL_RANKING: &str = "query($year: Int!) { provinces(first: 100) { nodes { code name
  stats(period: { year: $year }) { admissions assignedTarget attainment { ratio percent } } } } }";

/// A page of a district's candidates (in the source now, by name).
pub const CANDIDATES: &str = "query($within: ID!, $after: String) {
  candidates(within: $within, first: 20, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id nominatedOn nominatingBody cell { code } person { fullName gender dateOfBirth ethnicity } } } }";

/// A person's timeline.
pub const TIMELINE: &str = "query($id: ID!) { node(id: $id) { ... on Person {
  fullName gender dateOfBirth ethnicity
  nominations { nominatedOn status nominatingBody removalReason cell { code } }
  enrolments { result certificateNumber certificateDate class { kind title startsOn } }
  admission { decisionNumber decisionDate ceremonyDate outcome outcomeDecisionDate cell { code } }
  membership { status partySince officialSince } } } }";

/// The admit mutation (its audit record is written in the same transaction).
pub const ADMIT: &str = "mutation($input: AdmitInput!) { admit(input: $input) { admission { id outcome } } }";

/// The units, person and year the benchmark aims at.
#[derive(Debug, Clone)]
pub struct Aim {
    pub year: i32,
    pub today: NaiveDate,
    pub province: (i64, String),
    pub district: (i64, String),
    pub commune: (i64, String),
    pub cell: i64,
    pub person: i64,
}

fn id_and_code(row: &QueryResult) -> Result<(i64, String), DbErr> {
    Ok((row.try_get("", "id")?, row.try_get("", "code")?))
}

async fn first_row(db: &DatabaseConnection, sql: &str, values: Vec<sea_orm::Value>) -> Result<QueryResult, DbErr> {
    db.query_one_raw(statement(db.get_database_backend(), sql, values))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("nothing to benchmark: {sql}")))
}

/// Picks the first province by code that has admissions, its first district and commune (by code) that have cells, a
/// cell of that commune, and the first person admitted in the province.
pub async fn aim(db: &DatabaseConnection, year: i32, today: NaiveDate) -> Result<Aim, DbErr> {
    let province = id_and_code(
        &first_row(
            db,
            "SELECT u.id, u.code FROM units u WHERE u.level = 'PROVINCE' \
         AND EXISTS (SELECT 1 FROM unit_month_counts r WHERE r.unit_id = u.id) ORDER BY u.code LIMIT 1",
            vec![],
        )
        .await?,
    )?;
    let below = |level: &'static str, parent: i64| {
        (
            format!(
                "SELECT u.id, u.code FROM units u JOIN unit_closure c ON c.descendant_id = u.id \
                 WHERE c.ancestor_id = ? AND c.valid_to = ? AND u.level = '{level}' AND u.dissolved_on IS NULL \
                 AND EXISTS (SELECT 1 FROM unit_closure k WHERE k.ancestor_id = u.id AND k.valid_to = ? \
                             AND k.descendant_level = 'CELL') ORDER BY u.code LIMIT 1"
            ),
            vec![parent.into(), OPEN_END.into(), OPEN_END.into()],
        )
    };
    let (sql, values) = below("DISTRICT", province.0);
    let district = id_and_code(&first_row(db, &sql, values).await?)?;
    let (sql, values) = below("COMMUNE", district.0);
    let commune = id_and_code(&first_row(db, &sql, values).await?)?;
    let cell: i64 = first_row(
        db,
        "SELECT descendant_id AS id FROM unit_closure WHERE ancestor_id = ? AND valid_to = ? \
         AND descendant_level = 'CELL' ORDER BY descendant_id LIMIT 1",
        vec![commune.0.into(), OPEN_END.into()],
    )
    .await?
    .try_get("", "id")?;
    let person: i64 = first_row(
        db,
        "SELECT a.person_id AS id FROM admissions a JOIN unit_closure c ON c.descendant_id = a.cell_id \
         WHERE c.ancestor_id = ? AND c.valid_to = ? ORDER BY a.id LIMIT 1",
        vec![province.0.into(), OPEN_END.into()],
    )
    .await?
    .try_get("", "id")?;
    Ok(Aim { year, today, province, district, commune, cell, person })
}

/// The hand-written SQL that answers a scenario.
#[derive(Debug, Clone)]
pub enum Floor {
    ProvinceOverview { unit: i64, year: i32, today: NaiveDate },
    DistrictRanking { unit: i64, year: i32, today: NaiveDate },
    CommuneDrillDown { unit: i64, year: i32, today: NaiveDate },
    DrillDown { unit: i64, year: i32 },
    NationalRanking { year: i32 },
    Candidates { within: i64, after: Option<(String, i64)> },
    Timeline { person: i64 },
}

impl Floor {
    /// Runs the floor's statements and returns the answer shaped like the GraphQL `data`.
    pub async fn run(&self, db: &DatabaseConnection) -> Result<Value, DbErr> {
        match self.clone() {
            Floor::ProvinceOverview { unit, year, today } => dashboards::province_overview(db, unit, year, today).await,
            Floor::DistrictRanking { unit, year, today } => dashboards::district_ranking(db, unit, year, today).await,
            Floor::CommuneDrillDown { unit, year, today } => {
                dashboards::commune_drill_down(db, unit, year, today).await
            }
            Floor::DrillDown { unit, year } => floors::drill_down(db, unit, year).await,
            Floor::NationalRanking { year } => floors::national_ranking(db, year).await,
            Floor::Candidates { within, after } => floors::candidates(db, within, after).await,
            Floor::Timeline { person } => floors::timeline(db, person).await,
        }
    }
}

/// One thing to ask, over GraphQL and (for reads) as raw SQL.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub name: &'static str,
    pub request: Value,
    pub floor: Option<Floor>,
}

/// POSTs `request` with `token`; the `data`, or what was wrong (status, GraphQL errors).
pub async fn post(client: &reqwest::Client, base: &str, token: &str, request: &Value) -> Result<Value, String> {
    let response = client
        .post(format!("{base}/graphql"))
        .bearer_auth(token)
        .json(request)
        .send()
        .await
        .map_err(|err| err.to_string())?;
    let status = response.status();
    let body: Value = response.json().await.map_err(|err| format!("HTTP {status}: {err}"))?;
    if !status.is_success() || body.get("errors").is_some() || body["data"].is_null() {
        return Err(format!("HTTP {status}: {body}"));
    }
    Ok(body["data"].clone())
}

/// A request made ready before the clock runs: its address, its authorization and its JSON body
/// built once, so that a timed call costs the load generator the round trip and the check of the
/// answer, not the building of the same request again (the load generator shares the machine's
/// two cores with the server and the database: what it spends, they cannot).
#[derive(Clone)]
pub struct Prepared {
    url: std::sync::Arc<str>,
    authorization: reqwest::header::HeaderValue,
    body: axum::body::Bytes,
}

/// What a timed call checks of an answer: the whole body parses as JSON, with a `data` that is
/// not null and no `errors`. The values are parsed and dropped, not built.
#[derive(serde::Deserialize)]
struct Answer {
    data: Option<serde::de::IgnoredAny>,
    errors: Option<serde::de::IgnoredAny>,
}

impl Prepared {
    /// `request` (a GraphQL request's JSON) made ready to POST to `base` with `token`.
    pub fn new(base: &str, token: &str, request: &Value) -> Result<Prepared, String> {
        let body = serde_json::to_vec(request).map_err(|err| err.to_string())?;
        let authorization =
            reqwest::header::HeaderValue::from_str(&format!("Bearer {token}")).map_err(|err| err.to_string())?;
        Ok(Prepared { url: format!("{base}/graphql").into(), authorization, body: body.into() })
    }

    /// POSTs the request: `Ok` for HTTP 200 and an answer with `data` and no `errors` (as `post`
    /// checks), what was wrong otherwise.
    pub async fn send(&self, client: &reqwest::Client) -> Result<(), String> {
        let response = client
            .post(&*self.url)
            .header(reqwest::header::AUTHORIZATION, self.authorization.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(self.body.clone())
            .send()
            .await
            .map_err(|err| err.to_string())?;
        let status = response.status();
        let body = response.bytes().await.map_err(|err| format!("HTTP {status}: {err}"))?;
        let answer: Result<Answer, _> = serde_json::from_slice(&body);
        match answer {
            Ok(Answer { data: Some(_), errors: None }) if status.is_success() => Ok(()),
            _ => Err(format!("HTTP {status}: {}", String::from_utf8_lossy(&body))),
        }
    }
}

/// The cursor `deep_page` pages of 20 into the candidates within `within` (a global unit id),
/// reached by paging through the list (so it is a real one), with the position it holds; none
/// when the list is shorter.
async fn deep_cursor(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    within: &str,
    deep_page: usize,
) -> Result<(Option<String>, Option<(String, i64)>), String> {
    let mut after: Option<String> = None;
    for _ in 1..deep_page {
        let variables = json!({ "within": within, "after": after });
        let data = post(client, base, token, &json!({ "query": CANDIDATES, "variables": variables })).await?;
        match data["candidates"]["pageInfo"]["endCursor"].as_str() {
            Some(cursor) if data["candidates"]["pageInfo"]["hasNextPage"] == true => after = Some(cursor.to_owned()),
            _ => break,
        }
    }
    let key = match &after {
        Some(cursor) => Some(floors::decode_candidate_cursor(cursor)?),
        None => None,
    };
    Ok((after, key))
}

/// The read scenarios for `aim`. The deep pages of candidates (of a district and of a whole
/// province) are `deep_page` pages of 20 in, reached by paging through the list first.
pub async fn reads(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    aim: &Aim,
    deep_page: usize,
) -> Result<Vec<Scenario>, String> {
    let (year, today) = (aim.year, aim.today);
    let unit_request =
        |document: &str, code: &str| json!({ "query": document, "variables": { "code": code, "year": year } });
    let district = to_global(NodeKind::Unit, aim.district.0).0;
    let province = to_global(NodeKind::Unit, aim.province.0).0;
    let (after, deep_key) = deep_cursor(client, base, token, &district, deep_page).await?;
    let (province_after, province_deep_key) = deep_cursor(client, base, token, &province, deep_page).await?;
    Ok(vec![
        Scenario {
            name: "province overview",
            request: unit_request(PROVINCE_OVERVIEW, &aim.province.1),
            floor: Some(Floor::ProvinceOverview { unit: aim.province.0, year, today }),
        },
        Scenario {
            name: "district ranking",
            request: unit_request(DISTRICT_RANKING, &aim.province.1),
            floor: Some(Floor::DistrictRanking { unit: aim.province.0, year, today }),
        },
        Scenario {
            name: "drill-down (districts of a province)",
            request: unit_request(DRILL_DOWN, &aim.province.1),
            floor: Some(Floor::DrillDown { unit: aim.province.0, year }),
        },
        Scenario {
            name: "national ranking",
            request: json!({ "query": NATIONAL_RANKING, "variables": { "year": year } }),
            floor: Some(Floor::NationalRanking { year }),
        },
        Scenario {
            name: "commune drill-down with cells",
            request: unit_request(COMMUNE_DRILL_DOWN, &aim.commune.1),
            floor: Some(Floor::CommuneDrillDown { unit: aim.commune.0, year, today }),
        },
        Scenario {
            name: "candidates, first page",
            request: json!({ "query": CANDIDATES, "variables": { "within": district } }),
            floor: Some(Floor::Candidates { within: aim.district.0, after: None }),
        },
        Scenario {
            name: "candidates, deep page",
            request: json!({ "query": CANDIDATES, "variables": { "within": district, "after": after } }),
            floor: Some(Floor::Candidates { within: aim.district.0, after: deep_key }),
        },
        Scenario {
            name: "province candidates, first page",
            request: json!({ "query": CANDIDATES, "variables": { "within": province } }),
            floor: Some(Floor::Candidates { within: aim.province.0, after: None }),
        },
        Scenario {
            name: "province candidates, deep page",
            request: json!({ "query": CANDIDATES, "variables": { "within": province, "after": province_after } }),
            floor: Some(Floor::Candidates { within: aim.province.0, after: province_deep_key }),
        },
        Scenario {
            name: "person timeline",
            request: json!({ "query": TIMELINE, "variables": { "id": to_global(NodeKind::Person, aim.person).0 } }),
            floor: Some(Floor::Timeline { person: aim.person }),
        },
    ])
}

fn profile(name: String, born: NaiveDate) -> PersonInput {
    PersonInput {
        full_name: name,
        other_names: None,
        gender: Gender::Male,
        date_of_birth: born,
        ethnicity: "Tày".into(),
        religion: Religion::None,
        general_education: GeneralEducation::UpperSecondary,
        professional_education: ProfessionalEducation::None,
        political_theory: PoliticalTheory::None,
        occupation: Occupation::Farmer,
        position: None,
        citizen_id: None,
        address: None,
    }
}

fn date(year: i32, month: u32, day: u32) -> Result<NaiveDate, DbErr> {
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| DbErr::Custom("a bad date".into()))
}

/// `count` admit requests ready to send: two official members of the aimed cell as introducers,
/// and `count` candidates nominated there who completed an awareness class. Written through the
/// domain (untimed setup), as the `benchmark` system user.
pub async fn admissions(db: &DatabaseConnection, aim: &Aim, count: usize) -> Result<Vec<Value>, String> {
    let failed = |err: ketnap::error::AppError| format!("preparing admissions failed: {}", err.message());
    let actor = Actor::system("benchmark");
    let run = rand::random::<u32>();
    let since = date(2000, 1, 1).map_err(|e| e.to_string())?;
    let mut introducers = Vec::new();
    for n in 0..2 {
        let person = people::create_or_reuse(
            db,
            &actor,
            profile(format!("Introducer {run}-{n}"), date(1970, 1, 1).map_err(|e| e.to_string())?),
            people::Reuse::ANYWHERE,
        )
        .await
        .map_err(failed)?;
        let member = membership::create(
            db,
            &actor,
            NewMember {
                person_id: person.id,
                cell_id: aim.cell,
                admission_id: None,
                party_since: since,
                official_since: Some(since),
            },
        )
        .await
        .map_err(failed)?;
        introducers
            .push(json!({ "memberId": to_global(NodeKind::Member, member.id).0, "workedWithSince": "2015-01-01" }));
    }
    let nominated_on = aim.today - chrono::Duration::days(120);
    let certified = aim.today - chrono::Duration::days(60);
    let class = class::create(
        db,
        &actor,
        NewClass {
            organiser_unit_id: aim.district.0.into(),
            kind: ClassKind::Awareness,
            title: format!("Benchmark awareness class {run}"),
            starts_on: certified - chrono::Duration::days(5),
            ends_on: certified,
            place: None,
        },
    )
    .await
    .map_err(failed)?;
    let mut persons = Vec::with_capacity(count);
    for n in 0..count {
        let nominated = nomination::nominate(
            db,
            &actor,
            Nominate {
                person: PersonRef::New(profile(
                    format!("Candidate {run}-{n}"),
                    date(2000, 6, 1).map_err(|e| e.to_string())?,
                )),
                cell_id: aim.cell.into(),
                nominating_body: NominatingBody::YouthUnion,
                nominated_on,
                mentor_ids: Vec::new(),
                reuse: people::Reuse::ANYWHERE,
            },
        )
        .await
        .map_err(failed)?;
        persons.push(ketnap::ids::PersonId::from(nominated.person_id));
    }
    for chunk in persons.chunks(500) {
        class::enrol(db, &actor, class.id.into(), chunk).await.map_err(failed)?;
        let results = chunk
            .iter()
            .map(|person| ResultEntry {
                person_id: *person,
                result: EnrolmentResult::Completed,
                certificate_number: Some(format!("B{run}-{person}")),
                certificate_date: Some(certified),
            })
            .collect();
        class::record_results(db, &actor, class.id.into(), results).await.map_err(failed)?;
    }
    // A complete dossier, as `admit` requires for today's decisions.
    for person in &persons {
        let received = dossier::required(false)
            .into_iter()
            .map(|form| dossier::Received { form, received_on: certified, note: None })
            .collect();
        dossier::record(db, &actor, *person, received).await.map_err(failed)?;
    }
    let district = to_global(NodeKind::Unit, aim.district.0).0;
    let cell = to_global(NodeKind::Unit, aim.cell).0;
    Ok(persons
        .iter()
        .map(|person| {
            json!({ "query": ADMIT, "variables": { "input": {
                "personId": to_global(NodeKind::Person, person.get()).0, "cellId": cell,
                "decisionNumber": format!("{person}-QĐ/BENCH"), "decisionDate": aim.today.to_string(),
                "decidingUnitId": district, "introducers": introducers } } })
        })
        .collect())
}

/// Whether two answers are the same, numbers compared to 1e-9 (an integer and a float alike).
pub fn same(left: &Value, right: &Value) -> bool {
    match (left, right) {
        (Value::Number(a), Value::Number(b)) => match (a.as_f64(), b.as_f64()) {
            (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * x.abs().max(1.0),
            _ => false,
        },
        (Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y)),
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len() && a.iter().all(|(key, x)| b.get(key).is_some_and(|y| same(x, y)))
        }
        _ => left == right,
    }
}
