//! The pipeline in the Charter's words, so tests read like the domain:
//! `app.nominate(citizen("Hồ Thị Lan", "2000-02-10")).into(&place.cell).await`,
//! `app.admit(&candidate).into(&place).introduced_by(&introducers).on("2021-03-02").await`.
//! Each step answers the object the mutation returned, or the `Refusal` it was refused with.

use std::future::{Future, IntoFuture};
use std::pin::Pin;

use serde_json::{Value, json};

use super::TestApp;
use super::people::roster_member;

/// What a refused request answered: its first error's code, rule, field and message.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    pub code: String,
    pub rule: Option<String>,
    pub field: Option<String>,
    pub message: String,
}

impl Refusal {
    fn from_error(error: &Value) -> Self {
        let text = |value: &Value| value.as_str().map(str::to_owned);
        Refusal {
            code: text(&error["extensions"]["code"]).unwrap_or_else(|| panic!("an error without a code: {error:#}")),
            rule: text(&error["extensions"]["rule"]),
            field: text(&error["extensions"]["field"]),
            message: text(&error["message"]).unwrap_or_default(),
        }
    }

    /// The code and rule, for one `assert_eq!` against `("RULE_VIOLATION", "AGE_BELOW_MINIMUM")`.
    pub fn rule(&self) -> (&str, &str) {
        (self.code.as_str(), self.rule.as_deref().unwrap_or("(no rule)"))
    }
}

/// The answer of a step: the object the mutation returned, or its refusal.
pub type Outcome = Result<Value, Refusal>;

type Pending<'a> = Pin<Box<dyn Future<Output = Outcome> + Send + 'a>>;

impl TestApp {
    /// Runs `query`: its `data`, or its first error as a `Refusal`.
    pub async fn attempt(&self, query: &str, variables: Value) -> Outcome {
        self.attempt_as(&super::national_admin(), query, variables).await
    }

    /// Runs `query` as `principal`: its `data`, or its first error as a `Refusal`.
    pub async fn attempt_as(&self, principal: &ketnap::auth::Principal, query: &str, variables: Value) -> Outcome {
        let response = self.run_as(principal, query, variables).await;
        match response["errors"].as_array().and_then(|errors| errors.first()) {
            Some(error) => Err(Refusal::from_error(error)),
            None => Ok(response["data"].clone()),
        }
    }

    /// Runs `query` and answers the object at `path` inside its data.
    async fn step(&self, query: &str, variables: Value, path: &[&str]) -> Outcome {
        let data = self.attempt(query, variables).await?;
        Ok(path.iter().fold(data, |value, key| value[*key].clone()))
    }
}

/// Quảng Nam → Bắc Trà My → Trà Nú → two village cells, and Núi Thành for a committee that is
/// not above them.
pub struct Place {
    pub province: String,
    pub district: String,
    pub commune: String,
    pub cell: String,
    pub other_cell: String,
    pub foreign_district: String,
}

/// The units of `Place`, all established on 1 January 1990.
pub async fn place(app: &TestApp) -> Place {
    let on = "1990-01-01";
    let province = app.create_unit_on("QN", "Quảng Nam", "PROVINCE", "PROVINCE", None, on).await;
    let district = app.create_unit_on("QN.BTM", "Bắc Trà My", "DISTRICT", "RURAL_DISTRICT", Some(&province), on).await;
    let commune = app.create_unit_on("QN.BTM.TN", "Trà Nú", "COMMUNE", "COMMUNE", Some(&district), on).await;
    let cell = app.create_unit_on("QN.BTM.TN.1", "Chi bộ thôn 1", "CELL", "VILLAGE", Some(&commune), on).await;
    let other_cell = app.create_unit_on("QN.BTM.TN.2", "Chi bộ thôn 2", "CELL", "VILLAGE", Some(&commune), on).await;
    let foreign_district =
        app.create_unit_on("QN.NT", "Núi Thành", "DISTRICT", "RURAL_DISTRICT", Some(&province), on).await;
    Place { province, district, commune, cell, other_cell, foreign_district }
}

/// A citizen's profile as `NominateInput.person` takes it (a Xơ Đăng farmer).
pub fn citizen(name: &str, born: &str) -> Value {
    json!({ "fullName": name, "gender": "FEMALE", "dateOfBirth": born, "ethnicity": "xo dang",
            "generalEducation": "UPPER_SECONDARY", "occupation": "FARMER" })
}

pub const NOMINATE: &str = "mutation($input: NominateInput!) { nominate(input: $input) {
    nomination { id status nominatingBody person { id fullName ethnicity isEthnicMinority } mentors { member { id } } } } }";

/// A nomination to send: `app.nominate(citizen(..)).into(&cell)`, by the Youth Union on 1 March
/// 2020 unless told otherwise.
pub struct Nominating<'a> {
    app: &'a TestApp,
    input: Value,
}

impl TestApp {
    /// Nominates a new person (a `citizen` profile) into a source pool.
    pub fn nominate(&self, profile: Value) -> Nominating<'_> {
        Nominating {
            app: self,
            input: json!({ "person": profile, "nominatingBody": "YOUTH_UNION", "nominatedOn": "2020-03-01", "mentorIds": [] }),
        }
    }

    /// Nominates a person already recorded.
    pub fn nominate_again(&self, person: &str) -> Nominating<'_> {
        Nominating {
            app: self,
            input: json!({ "personId": person, "nominatingBody": "CELL", "nominatedOn": "2020-06-01", "mentorIds": [] }),
        }
    }
}

impl Nominating<'_> {
    pub fn into(mut self, cell: &str) -> Self {
        self.input["cellId"] = json!(cell);
        self
    }

    pub fn by(mut self, body: &str) -> Self {
        self.input["nominatingBody"] = json!(body);
        self
    }

    pub fn on(mut self, date: &str) -> Self {
        self.input["nominatedOn"] = json!(date);
        self
    }

    pub fn mentored_by(mut self, members: &[&str]) -> Self {
        self.input["mentorIds"] = json!(members);
        self
    }
}

impl<'a> IntoFuture for Nominating<'a> {
    type Output = Outcome;
    type IntoFuture = Pending<'a>;

    /// Sends the nomination; answers the `Nomination` (`id`, `person { id }`, …).
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(
            async move { self.app.step(NOMINATE, json!({ "input": self.input }), &["nominate", "nomination"]).await },
        )
    }
}

pub const ADMIT: &str = "mutation($input: AdmitInput!) { admit(input: $input) { admission {
    id decisionNumber decisionDate ceremonyDate outcome probationEndsOn cell { code } decidingUnit { code } } } }";

/// An admission decision to send: `app.admit(&person).into(&place).introduced_by(&members).on(date)`,
/// numbered 125-QĐ/HU and decided by the place's district.
pub struct Admitting<'a> {
    app: &'a TestApp,
    input: Value,
}

impl TestApp {
    /// Admits `person` (a global ID).
    pub fn admit(&self, person: &str) -> Admitting<'_> {
        Admitting { app: self, input: json!({ "personId": person, "decisionNumber": "125-QĐ/HU", "introducers": [] }) }
    }
}

impl Admitting<'_> {
    /// Into the place's first cell, by its district's decision.
    pub fn into(mut self, place: &Place) -> Self {
        self.input["cellId"] = json!(place.cell);
        self.input["decidingUnitId"] = json!(place.district);
        self
    }

    /// Introduced by these members, who have worked with the candidate since 1 January 2019.
    pub fn introduced_by(mut self, members: &[&str]) -> Self {
        self.input["introducers"] =
            members.iter().map(|member| json!({ "memberId": member, "workedWithSince": "2019-01-01" })).collect();
        self
    }

    pub fn on(mut self, decided: &str) -> Self {
        self.input["decisionDate"] = json!(decided);
        self
    }

    /// Sets any other `AdmitInput` field (`ceremonyDate`, `exceptionReference`, …).
    pub fn with(mut self, field: &str, value: Value) -> Self {
        self.input[field] = value;
        self
    }

    /// The input as it stands, for a test that edits it by hand.
    pub fn input(&self) -> &Value {
        &self.input
    }
}

impl<'a> IntoFuture for Admitting<'a> {
    type Output = Outcome;
    type IntoFuture = Pending<'a>;

    /// Sends the decision; answers the `Admission`.
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { self.app.step(ADMIT, json!({ "input": self.input }), &["admit", "admission"]).await })
    }
}

pub const CREATE_CLASS: &str =
    "mutation($input: CreateClassInput!) { createTrainingClass(input: $input) { trainingClass { id } } }";
pub const ENROL: &str = "mutation($class: ID!, $people: [ID!]!) { enrol(input: { classId: $class, personIds: $people }) { enrolments { result } } }";
pub const RECORD_RESULTS: &str =
    "mutation($input: RecordClassResultsInput!) { recordClassResults(input: $input) { enrolments { result } } }";

impl TestApp {
    /// An awareness class of `organiser` (4–8 May 2020); answers its ID.
    pub async fn awareness_class(&self, organiser: &str) -> Outcome {
        let input = json!({ "organiserId": organiser, "kind": "AWARENESS", "title": "Lớp cảm tình Đảng 2020",
                            "startsOn": "2020-05-04", "endsOn": "2020-05-08", "place": "Trung tâm Chính trị" });
        self.step(CREATE_CLASS, json!({ "input": input }), &["createTrainingClass", "trainingClass", "id"]).await
    }

    /// An awareness class of `district` that `people` complete with certificates dated `certified`.
    pub async fn trained(&self, district: &str, people: &[&str], certified: &str) -> String {
        let class = self.awareness_class(district).await.expect("the class is created");
        let class = class.as_str().expect("an id").to_owned();
        self.ok(ENROL, json!({ "class": class, "people": people })).await;
        let results: Vec<Value> = people
            .iter()
            .enumerate()
            .map(|(i, person)| {
                json!({ "personId": person, "result": "COMPLETED", "certificateNumber": format!("GCN-{i}"),
                        "certificateDate": certified })
            })
            .collect();
        self.ok(RECORD_RESULTS, json!({ "input": { "classId": class, "results": results } })).await;
        class
    }

    /// Records the admission ceremony; answers the `Admission` (`ceremonyDate probationEndsOn`).
    pub async fn ceremony(&self, admission: &str, on: &str) -> Outcome {
        let query = "mutation($id: ID!, $on: Date!) { recordAdmissionCeremony(input: { admissionId: $id,
            ceremonyDate: $on }) { admission { ceremonyDate probationEndsOn } } }";
        self.step(query, json!({ "id": admission, "on": on }), &["recordAdmissionCeremony", "admission"]).await
    }

    /// Recognises the probationary member by decision 310-QĐ/HU of `on`; answers the `Admission`.
    pub async fn recognise(&self, admission: &str, on: &str) -> Outcome {
        let query = "mutation($id: ID!, $on: Date!) { recogniseOfficial(input: { admissionId: $id,
            decisionNumber: \"310-QĐ/HU\", decisionDate: $on }) { admission { outcome outcomeDecisionNumber
            person { membership { status partySince officialSince } } } } }";
        self.step(query, json!({ "id": admission, "on": on }), &["recogniseOfficial", "admission"]).await
    }

    /// Records that the probationary member was not recognised (the name is deleted) on `on`.
    pub async fn not_recognised(&self, admission: &str, on: &str) -> Outcome {
        let query = "mutation($id: ID!, $on: Date!) { notRecognised(input: { admissionId: $id,
            decisionNumber: \"40-QĐ/HU\", decisionDate: $on,
            reason: \"Vi phạm tư cách đảng viên, không đủ điều kiện công nhận chính thức\" }) {
            admission { outcome outcomeReason person { membership { status endedOn } } } } }";
        self.step(query, json!({ "id": admission, "on": on }), &["notRecognised", "admission"]).await
    }

    /// Moves `member` to `cell` from `on`; answers the `Member` (`cell`, `stints`).
    pub async fn transfer(&self, member: &str, cell: &str, on: &str) -> Outcome {
        let query = "mutation($id: ID!, $cell: ID!, $on: Date) { transferMember(input: { memberId: $id,
            cellId: $cell, effectiveOn: $on }) { member { cell { code } stints { cell { code } from to } } } }";
        self.step(query, json!({ "id": member, "cell": cell, "on": on }), &["transferMember", "member"]).await
    }
}

/// A global ID out of an answered object.
pub fn id(object: &Value) -> String {
    object["id"].as_str().unwrap_or_else(|| panic!("no id in {object:#}")).to_owned()
}

/// A candidate ready for admission, and the two official members who can introduce her.
pub struct Ready {
    pub place: Place,
    pub introducers: Vec<String>,
    pub candidate: String,
}

impl Ready {
    /// The introducers as the builders take them.
    pub fn introducers(&self) -> Vec<&str> {
        self.introducers.iter().map(String::as_str).collect()
    }
}

/// A `Place` with two official members, and Hồ Thị Lan born `born`, nominated on 1 March 2020
/// with the first as mentor, who completed an awareness class on 8 May 2020.
pub async fn ready_candidate(app: &TestApp, born: &str) -> Ready {
    let place = place(app).await;
    let first = roster_member(app, &place.cell, "Hồ Văn Một", "2000-01-01", Some("2001-01-01")).await;
    let second = roster_member(app, &place.cell, "Hồ Văn Hai", "2005-01-01", Some("2006-01-01")).await;
    let nomination = app.nominate(citizen("Hồ Thị Lan", born)).into(&place.cell).mentored_by(&[&first]).await;
    let candidate = id(&nomination.expect("the candidate is nominated")["person"]);
    app.trained(&place.district, &[&candidate], "2020-05-08").await;
    Ready { place, introducers: vec![first, second], candidate }
}
