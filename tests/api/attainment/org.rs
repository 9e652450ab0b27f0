//! The tree of the attainment tests, built through the API, and their admissions inserted as
//! rows in batches: 1,731 admissions taken one by one through the pipeline would take minutes.

use async_graphql::ID;
use chrono::{NaiveDate, Utc};
use ketnap::entity::vocabulary::{
    Gender, GeneralEducation, Occupation, PoliticalTheory, ProfessionalEducation, Religion,
};
use ketnap::entity::{admission, person};
use ketnap::graphql::ids::from_global;
use sea_orm::{ActiveValue::Set, EntityTrait, NotSet};
use serde_json::{Value, json};

use crate::common::TestApp;

/// Rows a multi-row INSERT carries: well under the bound-parameter limits of SQLite and PostgreSQL.
const BATCH: usize = 500;

/// A tree built through the API, with each unit's global ID and row id by code.
pub struct Org {
    pub app: TestApp,
    units: std::collections::HashMap<String, (String, i64)>,
    /// A serial for decision numbers and names, unique in the test.
    serial: usize,
}

impl Org {
    pub async fn new() -> Self {
        Org { app: TestApp::new().await, units: Default::default(), serial: 0 }
    }

    /// Creates a unit under `parent` (a code) with `createUnit`. The codes of these tests name
    /// the level: `QN` a province, `QN.NT` a district, `QN.NT.TN` a commune, `QN.NT.TN.1` a cell.
    pub async fn unit(&mut self, code: &str, name: &str, kind: &str, parent: Option<&str>) {
        let level = ["PROVINCE", "DISTRICT", "COMMUNE", "CELL"][code.matches('.').count()];
        let parent_id = parent.map(|p| self.id(p));
        let id = self.app.create_unit(code, name, level, kind, parent_id.as_deref()).await;
        let row = from_global(&ID(id.clone())).expect("a unit ID").1;
        self.units.insert(code.to_owned(), (id, row));
    }

    pub fn id(&self, code: &str) -> String {
        self.units.get(code).unwrap_or_else(|| panic!("no unit {code}")).0.clone()
    }

    pub fn row(&self, code: &str) -> i64 {
        self.units.get(code).unwrap_or_else(|| panic!("no unit {code}")).1
    }

    /// Inserts `n` people of `ethnicity` admitted into the cell `cell` on `on` by its district
    /// (the first two parts of the code), in batches of `BATCH` rows.
    pub async fn admit(&mut self, cell: &str, on: &str, n: usize, ethnicity: &str) {
        let cell_id = self.row(cell);
        let district: Vec<&str> = cell.split('.').take(2).collect();
        let deciding = self.row(&district.join("."));
        let decided = date(on);
        let born = date("1995-06-15");
        let now = Utc::now();
        let mut left = n;
        while left > 0 {
            let size = left.min(BATCH);
            left -= size;
            let first = self.serial;
            self.serial += size;
            let people = (first..first + size).map(|i| person::ActiveModel {
                id: NotSet,
                full_name: Set(format!("Người {i}")),
                name_search: Set(format!("nguoi {i}")),
                other_names: Set(None),
                gender: Set(if i % 2 == 0 { Gender::Female } else { Gender::Male }),
                date_of_birth: Set(born),
                ethnicity: Set(ethnicity.to_owned()),
                religion: Set(Religion::None),
                general_education: Set(GeneralEducation::UpperSecondary),
                professional_education: Set(ProfessionalEducation::None),
                political_theory: Set(PoliticalTheory::None),
                occupation: Set(Occupation::Farmer),
                position: Set(None),
                citizen_id: Set(None),
                address: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            });
            let ids = person::Entity::insert_many(people).exec_with_returning_keys(&self.app.db).await.unwrap();
            assert_eq!(ids.len(), size);
            let admissions = ids.into_iter().zip(first..).map(|(person_id, i)| {
                let mut row = crate::common::rows::admission_row(person_id, cell_id, deciding, decided);
                row.decision_number = Set(format!("{i}-QĐ/HU"));
                row.ceremony_date = Set(Some(decided));
                row
            });
            admission::Entity::insert_many(admissions).exec_without_returning(&self.app.db).await.unwrap();
        }
        self.app.rebuild_rollups().await;
    }

    /// Sets a target with `setTarget`: `period` is `{ "year": 2021 }` or `{ "term": {…} }`.
    pub async fn target(&self, code: &str, kind: &str, period: Value, value: i32) {
        let mut target = json!({ "unitId": self.id(code), "kind": kind });
        target.as_object_mut().unwrap().extend(period.as_object().unwrap().clone());
        self.app.ok(SET_TARGET, json!({ "input": { "target": target, "value": value } })).await;
    }

    /// `Unit.stats` of the unit `code` for `period`.
    pub async fn stats(&self, code: &str, period: Value) -> Value {
        let data = self.app.ok(STATS, json!({ "code": code, "period": period })).await;
        data["unit"]["stats"].clone()
    }

    /// Admissions of the unit `code` in `year`.
    pub async fn admissions(&self, code: &str, year: i32) -> i64 {
        self.stats(code, json!({ "year": year })).await["admissions"].as_i64().unwrap()
    }
}

pub const SET_TARGET: &str = "mutation($input: SetTargetInput!) { setTarget(input: $input) { target { value } } }";

pub const STATS: &str = "query($code: String!, $period: PeriodInput!) { unit(code: $code) { stats(period: $period) {
    period { label start end countedUntil elapsedShare comparesToEnclosingYear
             targetPeriod { kind startYear endYear label } }
    admissions assignedTarget resolutionTarget
    attainment { ...A }
    againstResolution: attainment(against: RESOLUTION) { ...A }
    ethnicMinorityAdmissions admissionsByEthnicity { category count }
    allocation { ownTarget allocatedToChildren unallocated childrenWithTarget children }
} } }
fragment A on Attainment { target admissions ratio percent difference exceededByPercent }";

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a test date")
}

pub fn f(value: &Value) -> f64 {
    value.as_f64().unwrap_or_else(|| panic!("not a number: {value}"))
}

pub fn year(year: i32) -> Value {
    json!({ "year": year })
}
