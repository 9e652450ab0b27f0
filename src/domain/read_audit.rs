//! Reads of personal data, recorded in the audit trail beside the changes (domain §2: "every
//! access is recorded"). A request collects what it read (`graphql::read_log`) and this writes it
//! in one statement after the request ran: one `readPersonalData` row per person read, naming the
//! fields, and one `searchByCitizenId` row per person a citizen-ID search found (one row without
//! a person when it found no one, with the ID searched for, so probing shows).

use std::collections::BTreeSet;

use chrono::Utc;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, NotSet};

use super::audit::Actor;
use crate::entity::audit_log;
use crate::error::{AppError, AppResult};

/// The operation of a row recording personal fields read.
pub const READ_OPERATION: &str = "readPersonalData";
/// The operation of a row recording a search by citizen ID.
pub const SEARCH_OPERATION: &str = "searchByCitizenId";

/// The personal fields of one person a request read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalRead {
    pub person_id: i64,
    /// GraphQL field names (`citizenId`, `dateOfBirth`…), in order.
    pub fields: BTreeSet<&'static str>,
}

/// A search by citizen ID and whom it found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitizenIdSearch {
    /// The ID searched for.
    pub citizen_id: String,
    /// The unit whose subtree was searched (the caller's scope when none was given).
    pub within: Option<i64>,
    /// The people found.
    pub found: Vec<i64>,
}

/// Writes `reads` and `searches` by `actor` to the audit trail in one statement (none when there
/// is nothing to write).
pub async fn record<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    reads: &[PersonalRead],
    searches: &[CitizenIdSearch],
) -> AppResult<()> {
    let now = Utc::now();
    let row = |operation: &str, entity: &str, id: i64, unit: Option<i64>, person: Option<i64>, after: String| {
        audit_log::ActiveModel {
            id: NotSet,
            occurred_at: Set(now),
            actor_subject: Set(actor.subject.clone()),
            actor_name: Set(actor.name.clone()),
            operation: Set(operation.to_owned()),
            entity_type: Set(entity.to_owned()),
            entity_id: Set(id),
            unit_id: Set(unit),
            person_id: Set(person),
            before: Set(None),
            after: Set(Some(after)),
        }
    };
    let mut rows = Vec::new();
    for read in reads {
        let after = serde_json::json!({ "fields": read.fields }).to_string();
        rows.push(row(READ_OPERATION, "Person", read.person_id, None, Some(read.person_id), after));
    }
    for search in searches {
        let after = serde_json::json!({ "citizenId": search.citizen_id, "found": search.found.len() }).to_string();
        if search.found.is_empty() {
            rows.push(row(SEARCH_OPERATION, "Search", 0, search.within, None, after.clone()));
        }
        for person in &search.found {
            rows.push(row(SEARCH_OPERATION, "Person", *person, None, Some(*person), after.clone()));
        }
    }
    if rows.is_empty() {
        return Ok(());
    }
    // One statement for a request's page (100 people at most); 1,000 rows of 10 values each stay
    // under SQLite's 32,766 bound values should a request read more.
    for chunk in rows.chunks(1_000) {
        audit_log::Entity::insert_many(chunk.to_vec()).exec(db).await.map_err(AppError::from)?;
    }
    Ok(())
}
