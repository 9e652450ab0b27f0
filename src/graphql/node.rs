//! The Relay `Node` interface and `node(id:)` / `nodes(ids:)`.

use async_graphql::{Context, ID, Interface, Object, Result};

use super::access::{self, Reach};
use super::context::loaders;
use super::ids::{NodeKind, from_global};
use super::loaders::{AdmissionById, ClassById, EnrolmentById, MemberById, NominationById, PersonById};
use super::pipeline::{Admission, Enrolment, Member, Nomination, Person, TrainingClass};
use super::unit::Unit;
use crate::auth::Capability;
use crate::ids::UnitId;

/// An object with a global ID, fetchable with `node(id:)`.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "The object's global ID."))]
pub enum Node {
    Unit(Unit),
    Person(Person),
    Member(Member),
    Nomination(Nomination),
    Class(TrainingClass),
    Enrolment(Enrolment),
    Admission(Admission),
}

/// `node` and `nodes`.
#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// The object with this global ID, or null when there is none or it is outside the caller's
    /// scope (units above the scope are returned, with only their name and code readable). Personal
    /// records need a role that reads them (FORBIDDEN otherwise). A malformed ID is a VALIDATION error.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Node>> {
        fetch(ctx, &id).await
    }

    /// The objects with these global IDs, in order (null where there is none); at most 100.
    #[graphql(complexity = "ids.len() * child_complexity")]
    async fn nodes(&self, ctx: &Context<'_>, ids: Vec<ID>) -> Result<Vec<Option<Node>>> {
        if ids.len() > 100 {
            return Err(crate::error::AppError::invalid("ids", "ask for at most 100 IDs at once").into());
        }
        // Concurrent, so the DataLoaders batch them into one statement per kind.
        futures::future::try_join_all(ids.iter().map(|id| fetch(ctx, id))).await
    }
}

async fn fetch(ctx: &Context<'_>, id: &ID) -> Result<Option<Node>> {
    let (kind, row) = from_global(id)?;
    access::require(ctx, if kind == NodeKind::Unit { Capability::ReadFigures } else { Capability::ReadRecords })?;
    let loaders = loaders(ctx)?;
    let pipeline = &loaders.pipeline;
    let node = match kind {
        NodeKind::Unit => loaders.units.load_one(UnitId::from(row)).await?.map(|unit| Node::Unit(Unit(unit))),
        NodeKind::Person => pipeline.load_one(PersonById(row.into())).await?.map(|m| Node::Person(Person(m))),
        NodeKind::Member => pipeline.load_one(MemberById(row.into())).await?.map(|m| Node::Member(Member(m))),
        NodeKind::Nomination => {
            pipeline.load_one(NominationById(row.into())).await?.map(|m| Node::Nomination(Nomination(m)))
        }
        NodeKind::Class => pipeline.load_one(ClassById(row.into())).await?.map(|m| Node::Class(TrainingClass(m))),
        NodeKind::Enrolment => {
            pipeline.load_one(EnrolmentById(row.into())).await?.map(|m| Node::Enrolment(Enrolment(m)))
        }
        NodeKind::Admission => {
            pipeline.load_one(AdmissionById(row.into())).await?.map(|m| Node::Admission(Admission(m)))
        }
    };
    match node {
        Some(node) if visible(ctx, &node).await? => Ok(Some(node)),
        _ => Ok(None),
    }
}

/// Whether the caller may see `node` at all: a unit in or above their scope, a class organised
/// in it, a person in it, or a record of a person in it.
async fn visible(ctx: &Context<'_>, node: &Node) -> Result<bool> {
    let person = match node {
        Node::Unit(unit) => return Ok(access::unit_reach(ctx, unit.0.id).await? != Reach::Outside),
        Node::Class(class) => return Ok(access::unit_reach(ctx, class.0.organiser_unit_id).await? == Reach::Inside),
        Node::Person(person) => person.0.id,
        Node::Member(member) => member.0.person_id,
        Node::Nomination(nomination) => nomination.0.person_id,
        Node::Enrolment(enrolment) => enrolment.0.person_id,
        Node::Admission(admission) => admission.0.person_id,
    };
    Ok(access::person_in_scope(ctx, person).await?)
}
