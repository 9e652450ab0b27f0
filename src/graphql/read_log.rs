//! What a request read of people's personal data, collected while it runs and written to the
//! audit trail in one statement after it (`domain::read_audit`). The recorded fields are the
//! personal ones (`Person.citizenId`, `dateOfBirth`, `ageOn`, `address`) and the sensitive ones
//! (`ethnicity`, `isEthnicMinority`, `religion`: Decree 13/2023/NĐ-CP); a search by citizen ID is
//! recorded with whom it found.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use async_graphql::Context;
use sea_orm::DatabaseConnection;

use crate::domain::audit::Actor;
use crate::domain::read_audit::{self, CitizenIdSearch, PersonalRead};
use crate::error::AppResult;

/// The reads of one request.
#[derive(Default)]
pub struct ReadLog(Mutex<Collected>);

#[derive(Default)]
struct Collected {
    people: BTreeMap<i64, BTreeSet<&'static str>>,
    searches: Vec<CitizenIdSearch>,
}

/// Notes that the request read `field` of `person` (a no-op outside a request, as in a
/// subscription).
pub fn note(ctx: &Context<'_>, person: i64, field: &'static str) {
    if let Some(log) = ctx.data_opt::<Arc<ReadLog>>()
        && let Ok(mut collected) = log.0.lock()
    {
        collected.people.entry(person).or_default().insert(field);
    }
}

/// Notes a search by `citizen_id` within `within` that found `found`.
pub fn note_search(ctx: &Context<'_>, citizen_id: &str, within: Option<i64>, found: Vec<i64>) {
    if let Some(log) = ctx.data_opt::<Arc<ReadLog>>()
        && let Ok(mut collected) = log.0.lock()
    {
        collected.searches.push(CitizenIdSearch { citizen_id: citizen_id.to_owned(), within, found });
    }
}

impl ReadLog {
    /// Writes what was read, by `actor`, in one statement.
    pub async fn write(&self, db: &DatabaseConnection, actor: &Actor) -> AppResult<()> {
        let (reads, searches) = {
            let Ok(mut collected) = self.0.lock() else { return Ok(()) };
            let people = std::mem::take(&mut collected.people);
            let reads: Vec<PersonalRead> =
                people.into_iter().map(|(person_id, fields)| PersonalRead { person_id, fields }).collect();
            (reads, std::mem::take(&mut collected.searches))
        };
        read_audit::record(db, actor, &reads, &searches).await
    }
}
