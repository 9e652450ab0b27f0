//! `auditTrail`: who changed what, when, for administrators, within their scope.

use async_graphql::{Context, ID, Json, Object, Result};
use chrono::{DateTime, Utc};

use super::access;
use super::context::{database, loaders};
use super::ids::{NodeKind, expect, to_global};
use super::loaders::PersonById;
use super::pagination::{PageArgs, TotalCount, connection, encode_cursor};
use super::pipeline::{CountedConnection, Person};
use super::unit::{Unit, load_unit};
use crate::auth::Capability;
use crate::domain::Window;
use crate::domain::audit_read::{self, AuditFilter, changed_fields};
use crate::entity::audit_log;

/// The audit query.
#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// The audit trail, newest first: every change a mutation (or an importer, or `ketnap token`)
    /// made, with who made it and the record before and after. Administrators only; limited to
    /// changes of units in the caller's scope and of people who belong to it.
    #[graphql(complexity = "first.or(last).unwrap_or(20).clamp(1, 100) as usize * child_complexity")]
    #[allow(clippy::too_many_arguments)]
    async fn audit_trail(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only changes in this unit's current subtree (default: the caller's whole scope).")]
        within: Option<ID>,
        #[graphql(desc = "Only changes to this person's records.")] person: Option<ID>,
        #[graphql(desc = "Only changes by this user (the token's subject).")] actor: Option<String>,
        #[graphql(desc = "Only this operation, e.g. `admit` or `setTarget`.")] operation: Option<String>,
        #[graphql(desc = "From this instant, inclusive.")] from: Option<DateTime<Utc>>,
        #[graphql(desc = "Until this instant, exclusive.")] until: Option<DateTime<Utc>>,
        #[graphql(desc = "How many to return from the start, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
        #[graphql(desc = "How many to return from the end, 1 to 100 (not with `first`).")] last: Option<i32>,
        #[graphql(desc = "The `startCursor` of the next page.")] before: Option<String>,
    ) -> Result<CountedConnection<AuditEntry>> {
        let within = within.map(|id| expect(&id, NodeKind::Unit, "within")).transpose()?;
        let within = access::subtree(ctx, Capability::ReadAudit, within).await?;
        let person = person.map(|id| expect(&id, NodeKind::Person, "person")).transpose()?;
        if let Some(person) = person
            && !access::person_in_scope(ctx, person).await?
        {
            return Err(access::missing(NodeKind::Person, person).into());
        }
        let filter = AuditFilter { within, person, actor, operation, from, until };
        let window: Window<i64> = PageArgs { first, after, last, before }.window()?;
        let db = database(ctx)?.clone();
        let rows = audit_read::page(&db, &filter, &window).await?;
        let count = TotalCount::deferred(move || {
            let (db, filter) = (db.clone(), filter.clone());
            Box::pin(async move { audit_read::count(&db, &filter).await })
        });
        Ok(connection(&window, rows, count, |row| (encode_cursor(&row.id), AuditEntry(row))))
    }
}

/// The API face of an `audit_log` row.
pub struct AuditEntry(audit_log::Model);

impl AuditEntry {
    fn json(text: Option<&str>) -> Option<serde_json::Value> {
        text.and_then(|text| serde_json::from_str(text).ok())
    }
}

/// One change in the audit trail. Entries are never edited or deleted.
#[Object]
impl AuditEntry {
    /// The entry's number; later entries have larger numbers.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// When the change was committed.
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }

    /// Who made it: the token's subject, or `system:<command>` for importers and `ketnap token`.
    async fn actor_subject(&self) -> Option<&str> {
        self.0.actor_subject.as_deref()
    }

    /// The display name of who made it.
    async fn actor_name(&self) -> Option<&str> {
        self.0.actor_name.as_deref()
    }

    /// The operation: the mutation's name (`admit`, `moveUnit`…), `issueToken`, or an importer's.
    async fn operation(&self) -> &str {
        &self.0.operation
    }

    /// The kind of record changed: Unit, Person, Nomination, Class, Enrolment, Admission, Member,
    /// MemberStint, Target or Token.
    async fn entity_type(&self) -> &str {
        &self.0.entity_type
    }

    /// The changed record's global ID where it has one (fetch it with `node`), else its row number.
    async fn entity_id(&self) -> ID {
        let kind = match self.0.entity_type.as_str() {
            "Unit" => Some(NodeKind::Unit),
            "Person" => Some(NodeKind::Person),
            "Member" => Some(NodeKind::Member),
            "Nomination" => Some(NodeKind::Nomination),
            "Class" => Some(NodeKind::Class),
            "Enrolment" => Some(NodeKind::Enrolment),
            "Admission" => Some(NodeKind::Admission),
            _ => None,
        };
        kind.map_or_else(|| ID(self.0.entity_id.to_string()), |kind| to_global(kind, self.0.entity_id))
    }

    /// The unit the change belongs to, if any.
    async fn unit(&self, ctx: &Context<'_>) -> Result<Option<Unit>> {
        load_unit(ctx, self.0.unit_id).await
    }

    /// The person whose record changed, if any.
    async fn person(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        match self.0.person_id {
            Some(id) => Ok(loaders(ctx)?.pipeline.load_one(PersonById(id.into())).await?.map(Person)),
            None => Ok(None),
        }
    }

    /// The record before the change (JSON); null for a creation.
    async fn before(&self) -> Option<Json<serde_json::Value>> {
        Self::json(self.0.before.as_deref()).map(Json)
    }

    /// The record after the change (JSON).
    async fn after(&self) -> Option<Json<serde_json::Value>> {
        Self::json(self.0.after.as_deref()).map(Json)
    }

    /// The fields whose values differ between `before` and `after`.
    async fn changed_fields(&self) -> Vec<String> {
        let (before, after) = (Self::json(self.0.before.as_deref()), Self::json(self.0.after.as_deref()));
        changed_fields(before.as_ref(), after.as_ref())
    }
}
