//! People for tests: profiles, and official members loaded straight from a roster (as
//! `import-members` does), so introducers exist without running a whole pipeline.

use chrono::NaiveDate;
use ketnap::domain::audit::Actor;
use ketnap::domain::people::{self, PersonInput};
use ketnap::domain::pipeline::membership::{self, NewMember};
use ketnap::entity::person::{Gender, GeneralEducation, Occupation, PoliticalTheory, ProfessionalEducation, Religion};
use ketnap::graphql::ids::{NodeKind, to_global};

use super::TestApp;

pub fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a test date")
}

pub fn profile(name: &str, born: &str, citizen_id: Option<&str>) -> PersonInput {
    PersonInput {
        full_name: name.into(),
        other_names: None,
        gender: Gender::Female,
        date_of_birth: date(born),
        ethnicity: "Xơ Đăng".into(),
        religion: Religion::None,
        general_education: GeneralEducation::UpperSecondary,
        professional_education: ProfessionalEducation::None,
        political_theory: PoliticalTheory::None,
        occupation: Occupation::Farmer,
        position: None,
        citizen_id: citizen_id.map(str::to_owned),
        address: None,
    }
}

/// Loads a member from the roster (as `import-members` does) and returns their global ID.
pub async fn roster_member(
    app: &TestApp,
    cell: &str,
    name: &str,
    party_since: &str,
    official_since: Option<&str>,
) -> String {
    let actor = Actor::system("test");
    let person = people::create_or_reuse(&app.db, &actor, profile(name, "1970-05-05", None), people::Reuse::ANYWHERE)
        .await
        .expect("a person");
    member_of(app, cell, person.id, party_since, official_since).await
}

/// Loads the person with global ID `person` from the roster of `cell`, whatever their pipeline
/// (an importer does not look at the source pool), and returns the member's global ID.
pub async fn roster_person(
    app: &TestApp,
    cell: &str,
    person: &str,
    party_since: &str,
    official_since: Option<&str>,
) -> String {
    let person_id = ketnap::graphql::ids::expect(&person.into(), NodeKind::Person, "person").expect("a person ID");
    member_of(app, cell, person_id, party_since, official_since).await
}

async fn member_of(
    app: &TestApp,
    cell: &str,
    person_id: i64,
    party_since: &str,
    official_since: Option<&str>,
) -> String {
    let cell_id = ketnap::graphql::ids::expect(&cell.into(), NodeKind::Unit, "cell").expect("a unit ID");
    let member = membership::create(
        &app.db,
        &Actor::system("test"),
        NewMember {
            person_id,
            cell_id,
            admission_id: None,
            party_since: date(party_since),
            official_since: official_since.map(date),
        },
    )
    .await
    .unwrap_or_else(|err| panic!("a member: {err:?}"));
    to_global(NodeKind::Member, member.id).0
}
