//! Who may do what, where: every role scoped to the district of Tủa Chùa tries each operation on
//! a unit or record inside its subtree, in the sibling district (Mường Chà), above it (the
//! province, or a commune directly under it) and on its own district; the whole table of outcomes
//! is compared at once. Also: lists and totals never reach outside the scope, and personal fields
//! of people from elsewhere stay hidden.

use ketnap::auth::{Principal, Role};
use serde_json::{Value, json};

use crate::common::people::roster_member;
use crate::common::{TestApp, article_tree};

/// What an attempt came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// It worked.
    Ok,
    /// FORBIDDEN: the role may not, or the unit is above the scope.
    Denied,
    /// NOT_FOUND: as if the thing did not exist.
    Missing,
    /// `node(id:)` answered null.
    Hidden,
}
use Outcome::{Denied, Hidden, Missing, Ok};

/// Where an attempt aims, relative to a user scoped to Tủa Chùa.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Inside,
    Sibling,
    Above,
    Own,
}

const ROLES: [Role; 4] = [Role::Dashboard, Role::Viewer, Role::Editor, Role::Admin];

/// The units and candidates of one place.
struct Spot {
    /// A unit to read figures of, list in, set targets of, rename.
    unit: &'static str,
    /// A cell with a trained candidate for each role, and the committee deciding there.
    cell: String,
    deciding: String,
    introducers: Vec<String>,
    candidates: Vec<String>,
}

fn outcome(response: &Value, path: &[&str]) -> Outcome {
    if let Some(errors) = response.get("errors").and_then(Value::as_array) {
        return match errors[0]["extensions"]["code"].as_str() {
            Some("FORBIDDEN") => Denied,
            Some("NOT_FOUND") => Missing,
            _ => panic!("unexpected error: {response:#}"),
        };
    }
    let value = path.iter().fold(&response["data"], |value, key| &value[*key]);
    if value.is_null() { Hidden } else { Ok }
}

/// A random citizen ID of a man born in 2000 (the candidates' profile).
fn citizen_id() -> String {
    let random = rand::random::<u32>();
    format!("{:03}200{:06}", 1 + random % 96, (random / 96) % 1_000_000)
}

async fn candidate(app: &TestApp, cell: &str, name: &str) -> String {
    let data = app
        .ok(
            "mutation($input: NominateInput!) { nominate(input: $input) { nomination { person { id } } } }",
            json!({ "input": { "cellId": cell, "nominatingBody": "YOUTH_UNION", "nominatedOn": "2020-03-01",
                "person": { "fullName": name, "gender": "MALE", "dateOfBirth": "2000-02-02", "ethnicity": "Mông",
                            "generalEducation": "UPPER_SECONDARY", "occupation": "FARMER",
                            "citizenId": citizen_id() } } }),
        )
        .await;
    data["nominate"]["nomination"]["person"]["id"].as_str().unwrap().to_owned()
}

/// A cell with two official members and one trained candidate per role.
async fn spot(app: &TestApp, unit: &'static str, cell: String, deciding: String, label: &str) -> Spot {
    let introducers = vec![
        roster_member(app, &cell, &format!("Giàng A Một {label}"), "2000-01-01", Some("2001-01-01")).await,
        roster_member(app, &cell, &format!("Giàng A Hai {label}"), "2005-01-01", Some("2006-01-01")).await,
    ];
    let mut candidates = Vec::new();
    for role in ROLES {
        candidates.push(candidate(app, &cell, &format!("Sùng A Dế {label} {role}")).await);
    }
    let class = app
        .ok(
            "mutation($input: CreateClassInput!) { createTrainingClass(input: $input) { trainingClass { id } } }",
            json!({ "input": { "organiserId": deciding, "kind": "AWARENESS", "title": "Lớp cảm tình Đảng",
                               "startsOn": "2020-05-04", "endsOn": "2020-05-08" } }),
        )
        .await["createTrainingClass"]["trainingClass"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.ok(
        "mutation($class: ID!, $people: [ID!]!) { enrol(input: { classId: $class, personIds: $people }) { enrolments { id } } }",
        json!({ "class": class, "people": candidates }),
    )
    .await;
    let results: Vec<Value> = candidates
        .iter()
        .enumerate()
        .map(|(i, person)| {
            json!({ "personId": person, "result": "COMPLETED", "certificateNumber": format!("{label}-{i}"),
                                   "certificateDate": "2020-05-08" })
        })
        .collect();
    app.ok(
        "mutation($input: RecordClassResultsInput!) { recordClassResults(input: $input) { enrolments { id } } }",
        json!({ "input": { "classId": class, "results": results } }),
    )
    .await;
    Spot { unit, cell, deciding, introducers, candidates }
}

struct World {
    app: TestApp,
    inside: Spot,
    sibling: Spot,
    above: Spot,
}

impl World {
    async fn new() -> Self {
        let app = TestApp::new().await;
        let tree = article_tree(&app).await;
        let sibling_cell = app.create_unit("DB.MC.HN.1", "Chi bộ bản 1", "CELL", "VILLAGE", Some(&tree.hua_ngai)).await;
        let direct = app.create_unit("DB.TP", "Phường Tân Phong", "COMMUNE", "WARD", Some(&tree.dien_bien)).await;
        let direct_cell = app.create_unit("DB.TP.1", "Chi bộ tổ 1", "CELL", "VILLAGE", Some(&direct)).await;
        let inside = spot(&app, "DB.TC.XN", tree.san_sui.clone(), tree.tua_chua.clone(), "trong").await;
        let sibling = spot(&app, "DB.MC.HN", sibling_cell, tree.muong_cha.clone(), "bên").await;
        let above = spot(&app, "DB", direct_cell, tree.dien_bien.clone(), "trên").await;
        World { app, inside, sibling, above }
    }

    fn spot(&self, place: Place) -> &Spot {
        match place {
            Place::Inside => &self.inside,
            Place::Sibling => &self.sibling,
            Place::Above | Place::Own => &self.above,
        }
    }

    /// The unit an operation on `place` aims at.
    fn unit(&self, place: Place) -> &'static str {
        if place == Place::Own { "DB.TC" } else { self.spot(place).unit }
    }

    async fn unit_id(&self, place: Place) -> String {
        self.app.unit_id(self.unit(place)).await
    }
}

/// The operations of the table.
#[derive(Debug, Clone, Copy)]
enum Operation {
    ReadFigure,
    ReadPerson,
    ListCandidates,
    Admit,
    SetAssignedTarget,
    SetResolutionTarget,
    EditTree,
}

async fn attempt(world: &World, operation: Operation, place: Place, role_index: usize, user: &Principal) -> Outcome {
    let app = &world.app;
    match operation {
        Operation::ReadFigure => {
            let query =
                "query($code: String!) { unit(code: $code) { name stats(period: { year: 2021 }) { admissions } } }";
            let response = app.run_as(user, query, json!({ "code": world.unit(place) })).await;
            outcome(&response, &["unit", "stats"])
        }
        Operation::ReadPerson => {
            let person = &world.spot(place).candidates[role_index];
            let query = "query($id: ID!) { node(id: $id) { ... on Person { fullName citizenId dateOfBirth } } }";
            outcome(&app.run_as(user, query, json!({ "id": person })).await, &["node"])
        }
        Operation::ListCandidates => {
            let query = "query($within: ID!) { candidates(within: $within) { totalCount nodes { id } } }";
            let response = app.run_as(user, query, json!({ "within": world.unit_id(place).await })).await;
            outcome(&response, &["candidates"])
        }
        Operation::Admit => {
            let spot = world.spot(place);
            let introducers: Vec<Value> =
                spot.introducers.iter().map(|m| json!({ "memberId": m, "workedWithSince": "2019-01-01" })).collect();
            let input = json!({ "personId": spot.candidates[role_index], "cellId": spot.cell,
                                "decisionNumber": format!("{role_index}-QĐ/HU"), "decisionDate": "2021-03-01",
                                "decidingUnitId": spot.deciding, "introducers": introducers });
            let query = "mutation($input: AdmitInput!) { admit(input: $input) { admission { id } } }";
            outcome(&app.run_as(user, query, json!({ "input": input })).await, &["admit"])
        }
        Operation::SetAssignedTarget | Operation::SetResolutionTarget => {
            let kind = if matches!(operation, Operation::SetAssignedTarget) { "ASSIGNED" } else { "RESOLUTION" };
            let input = json!({ "target": { "unitId": world.unit_id(place).await, "kind": kind, "year": 2021 },
                                "value": 10 + role_index });
            let query = "mutation($input: SetTargetInput!) { setTarget(input: $input) { target { value } } }";
            outcome(&app.run_as(user, query, json!({ "input": input })).await, &["setTarget"])
        }
        Operation::EditTree => {
            let input = json!({ "id": world.unit_id(place).await, "name": format!("Tên mới {role_index}"),
                                "effectiveOn": "2024-01-01" });
            let query = "mutation($input: RenameUnitInput!) { renameUnit(input: $input) { unit { name } } }";
            outcome(&app.run_as(user, query, json!({ "input": input })).await, &["renameUnit"])
        }
    }
}

#[tokio::test]
async fn each_role_acts_only_inside_its_subtree() {
    use Operation::*;
    use Place::*;
    // Outcomes for dashboard, viewer, editor and admin of Tủa Chùa.
    let expected: Vec<(Operation, Place, [Outcome; 4])> = vec![
        (ReadFigure, Inside, [Ok, Ok, Ok, Ok]),
        (ReadFigure, Sibling, [Missing, Missing, Missing, Missing]),
        (ReadFigure, Above, [Denied, Denied, Denied, Denied]),
        (ReadFigure, Own, [Ok, Ok, Ok, Ok]),
        (ReadPerson, Inside, [Denied, Ok, Ok, Ok]),
        (ReadPerson, Sibling, [Denied, Hidden, Hidden, Hidden]),
        (ReadPerson, Above, [Denied, Hidden, Hidden, Hidden]),
        (ListCandidates, Inside, [Denied, Ok, Ok, Ok]),
        (ListCandidates, Sibling, [Denied, Missing, Missing, Missing]),
        (ListCandidates, Above, [Denied, Denied, Denied, Denied]),
        (ListCandidates, Own, [Denied, Ok, Ok, Ok]),
        (Admit, Inside, [Denied, Denied, Ok, Ok]),
        (Admit, Sibling, [Denied, Denied, Missing, Missing]),
        (Admit, Above, [Denied, Denied, Missing, Missing]),
        (SetAssignedTarget, Inside, [Denied, Denied, Denied, Ok]),
        (SetAssignedTarget, Sibling, [Denied, Denied, Denied, Missing]),
        (SetAssignedTarget, Above, [Denied, Denied, Denied, Denied]),
        // A unit's assigned target comes from the level above it, its resolution target from itself.
        (SetAssignedTarget, Own, [Denied, Denied, Denied, Denied]),
        (SetResolutionTarget, Own, [Denied, Denied, Denied, Ok]),
        (EditTree, Inside, [Denied, Denied, Denied, Ok]),
        (EditTree, Sibling, [Denied, Denied, Denied, Missing]),
        (EditTree, Above, [Denied, Denied, Denied, Denied]),
        (EditTree, Own, [Denied, Denied, Denied, Denied]),
    ];
    let world = World::new().await;
    let mut users = Vec::new();
    for role in ROLES {
        users.push(world.app.user(role, "DB.TC").await);
    }
    let mut actual = Vec::new();
    for (operation, place, _) in &expected {
        let mut row = [Ok; 4];
        for (index, user) in users.iter().enumerate() {
            row[index] = attempt(&world, *operation, *place, index, user).await;
        }
        actual.push((*operation, *place, row));
    }
    let show = |rows: &[(Operation, Place, [Outcome; 4])]| {
        rows.iter().map(|(operation, place, row)| format!("{operation:?} {place:?}: {row:?}")).collect::<Vec<_>>()
    };
    assert_eq!(show(&actual), show(&expected));

    // A country-wide administrator may do all of it (the admissions left by the editors aside).
    let national = world.app.user(Role::Admin, "*").await;
    for place in [Inside, Sibling, Above] {
        for operation in [ReadFigure, ListCandidates, SetAssignedTarget, EditTree] {
            assert_eq!(attempt(&world, operation, place, 1, &national).await, Ok, "{operation:?} {place:?}");
        }
        assert_eq!(attempt(&world, Admit, place, 0, &national).await, Ok, "admit {place:?}");
    }
}

#[tokio::test]
async fn lists_and_totals_never_reach_outside_the_scope() {
    let world = World::new().await;
    let app = &world.app;
    let viewer = app.user(Role::Viewer, "DB.TC").await;

    let provinces = app.run_as(&viewer, "{ provinces { totalCount nodes { code } } }", json!({})).await;
    assert_eq!(provinces["data"]["provinces"], json!({ "totalCount": 1, "nodes": [{ "code": "DB" }] }));

    let cells =
        app.run_as(&viewer, r#"{ searchUnits(query: "chi bo") { totalCount nodes { code } } }"#, json!({})).await;
    assert_eq!(cells["data"]["searchUnits"], json!({ "totalCount": 1, "nodes": [{ "code": "DB.TC.XN.SS" }] }));

    let people = app.run_as(&viewer, r#"{ people(search: "sung a de") { totalCount } }"#, json!({})).await;
    assert_eq!(people["data"]["people"]["totalCount"], 4, "{people:#}");
    let everyone = app.run(r#"{ people(search: "sung a de") { totalCount } }"#, json!({})).await;
    assert_eq!(everyone["data"]["people"]["totalCount"], 12);

    // Above the scope: the name and code, nothing more.
    let above =
        app.run_as(&viewer, r#"{ unit(code: "DB.TC") { ancestors { code name } parent { code } } }"#, json!({})).await;
    assert_eq!(above["data"]["unit"]["ancestors"], json!([{ "code": "DB", "name": "Điện Biên" }]));
    let children = app.run_as(&viewer, r#"{ unit(code: "DB") { children { totalCount } } }"#, json!({})).await;
    assert_eq!(children["errors"][0]["extensions"]["code"], "FORBIDDEN");

    // The same message for a unit outside the scope as for one that does not exist.
    let outside = app.run_as(&viewer, r#"{ unit(code: "DB.MC") { name } }"#, json!({})).await;
    let nowhere = app.run_as(&viewer, r#"{ unit(code: "XX") { name } }"#, json!({})).await;
    assert_eq!(outside["errors"][0]["message"], json!("no unit with code 'DB.MC'"));
    assert_eq!(nowhere["errors"][0]["message"], json!("no unit with code 'XX'"));

    // Figures for the whole province are not the district's to read, but its own are.
    let own =
        "{ unit(code: \"DB.TC\") { stats(period: { year: 2020 }) { nominated inSource ranking { unit { code } } } } }";
    let own = app.run_as(&viewer, own, json!({})).await;
    assert_eq!(own["data"]["unit"]["stats"]["nominated"], 4, "{own:#}");
    assert_eq!(own["data"]["unit"]["stats"]["ranking"], json!([{ "unit": { "code": "DB.TC.XN" } }]));
}

#[tokio::test]
async fn personal_fields_of_people_from_elsewhere_stay_hidden() {
    let world = World::new().await;
    let app = &world.app;
    // A member of the sibling district mentors a candidate of Tủa Chùa.
    let mentor = &world.sibling.introducers[0];
    let data = app
        .ok(
            "mutation($input: NominateInput!) { nominate(input: $input) { nomination { id } } }",
            json!({ "input": { "cellId": world.inside.cell, "nominatingBody": "WOMENS_UNION", "nominatedOn": "2021-01-05",
                "mentorIds": [mentor],
                "person": { "fullName": "Lò Thị Mai", "gender": "FEMALE", "dateOfBirth": "2001-01-01", "ethnicity": "Thái",
                            "generalEducation": "UPPER_SECONDARY", "occupation": "TEACHER", "citizenId": "011301000777" } } }),
        )
        .await;
    let nomination = data["nominate"]["nomination"]["id"].as_str().unwrap();
    let viewer = app.user(Role::Viewer, "DB.TC").await;
    let query = "query($id: ID!) { node(id: $id) { ... on Nomination {
        person { fullName citizenId }
        mentors { member { person { fullName citizenId } } } } } }";
    let response = app.run_as(&viewer, query, json!({ "id": nomination })).await;
    assert_eq!(response["data"]["node"]["person"], json!({ "fullName": "Lò Thị Mai", "citizenId": "011301000777" }));
    let errors = response["errors"].as_array().expect("the mentor's citizen ID is refused");
    assert_eq!(errors.len(), 1, "{response:#}");
    assert_eq!(errors[0]["extensions"]["code"], "FORBIDDEN");
    assert_eq!(errors[0]["path"], json!(["node", "mentors", 0, "member", "person", "citizenId"]));
}
