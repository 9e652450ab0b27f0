//! Long lists read in large batches: a province's member list is ~90,000 rows, which the API's
//! 100-row pages turn into ~900 GraphQL requests (107 s in BENCHMARKS.md). A batched report
//! reads `BATCH_ROWS` rows per statement straight from the domain, on the list's own keyset, and
//! keeps only one batch in memory.
//!
//! The rules stay the API's: before the first batch the report's own document runs as the caller
//! with `first: 1`, so the list's authorization (role and scope of `within`), the field-level
//! disclosure checks of every column, and the request budget are exactly a GraphQL client's; a
//! refusal there is the report's, with the API's code (the export is charged as that one request). Every row lies in `within`'s subtree (the
//! list's own condition), so the person is in the caller's scope and each personal and sensitive
//! column is readable; their reading is recorded in the audit trail (`domain::read_audit`),
//! batch by batch, before the batch's rows leave the server.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::catalogue::Report;
use super::pages::{Cell, ReportError, cells_of, run};
use crate::auth::Principal;
use crate::domain::pipeline_read::{CURRENT_MEMBERS, MemberRow, Position, member_rows};
use crate::domain::read_audit::{self, PersonalRead};
use crate::graphql::Api;
use crate::graphql::ids::{NodeKind, expect};
use crate::sql::keyset::Window;

/// Rows a batch reads in one statement: large enough that a province's list is a few dozen
/// statements, small enough that a batch's rows and its audit rows stay a few megabytes.
pub const BATCH_ROWS: u64 = 5_000;

/// The personal and sensitive fields a member row shows (as `Person` records them when read).
const MEMBER_FIELDS_READ: [&str; 2] = ["dateOfBirth", "ethnicity"];

/// The member list being read in batches.
pub struct Batches {
    /// The report's variables, for its gate.
    variables: Value,
    /// The position after the last row read; None once the last batch was read.
    after: Option<Option<Position<String>>>,
}

impl Batches {
    pub fn new(variables: Value) -> Self {
        Batches { variables, after: Some(None) }
    }

    /// The next batch of rows, or None after the last.
    pub async fn next_batch(
        &mut self,
        api: &Api,
        principal: &Principal,
        report: &Report,
    ) -> Result<Option<Vec<Vec<Cell>>>, ReportError> {
        let Some(after) = self.after.take() else { return Ok(None) };
        if after.is_none() {
            let mut gate = self.variables.clone();
            gate["first"] = json!(1);
            gate["after"] = Value::Null;
            run(api, principal, report.document, gate).await?;
        }
        let within = self.variables["within"].as_str().unwrap_or_default();
        let within = expect(&within.into(), NodeKind::Unit, "within").map_err(internal)?;
        let window = Window { after, before: None, size: BATCH_ROWS, from_end: false };
        let slice = member_rows(api.db(), within, &CURRENT_MEMBERS, &window).await.map_err(internal)?;
        if slice.more {
            self.after = Some(slice.rows.last().map(|(position, _)| position.clone()));
        }
        let fields: BTreeSet<&'static str> = MEMBER_FIELDS_READ.into_iter().collect();
        let reads: Vec<PersonalRead> = slice
            .rows
            .iter()
            .map(|(_, row)| PersonalRead { person_id: row.person_id, fields: fields.clone() })
            .collect();
        read_audit::record(api.db(), &principal.actor(), &reads, &[]).await.map_err(internal)?;
        Ok(Some(slice.rows.iter().map(|(_, row)| cells_of(report, None, &member_node(row))).collect()))
    }
}

/// The row as the API's `members` node shows it, so the report's columns read it the same way.
fn member_node(row: &MemberRow) -> Value {
    json!({
        "person": {
            "fullName": row.full_name,
            "gender": row.gender,
            "dateOfBirth": row.date_of_birth.to_string(),
            "ethnicity": row.ethnicity,
        },
        "status": row.status,
        "partySince": row.party_since.to_string(),
        "officialSince": row.official_since.map(|date| date.to_string()),
        "cell": { "code": row.cell_code, "name": row.cell_name },
    })
}

fn internal(err: impl std::fmt::Debug) -> ReportError {
    ReportError::Internal(format!("{err:?}"))
}
