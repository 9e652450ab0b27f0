//! The one authorization mechanism of the API. Every resolver that reads or changes data asks
//! here, in one of four ways:
//! - `subtree` for a list rooted at a unit (the unit must be in the caller's scope);
//! - `authorize` for a mutation, naming every record it touches (`Touch`), before its transaction;
//! - `unit_reach` / `require_inside` for a unit's fields (outside the scope, only its name and code);
//! - `node(id:)` asks `unit_reach` / `person_in_scope` and answers null for anything outside.
//!
//! What each role may do is `auth::Role::can`; where the scope ends is `domain::scope`.
//!
//! An object outside the scope is reported exactly like a missing one (same code, same message),
//! so errors never reveal that it exists. Units above the scope are the exception: their names
//! and codes are visible, and asking more of them is FORBIDDEN.

use async_graphql::Context;

use super::context::loaders;
use super::ids::{NodeKind, to_global};
use super::loaders::{AdmissionById, ClassById, EnrolmentById, MemberById, NominationById};
pub use super::scope_loader::Reach;
use super::scope_loader::{PersonPlace, UnitPlace};
use crate::auth::{Capability, Principal, Scope};
use crate::error::{AppError, AppResult};
use crate::ids::{AdmissionId, ClassId, EnrolmentId, MemberId, NominationId, PersonId, UnitId};

/// The request's principal; UNAUTHENTICATED when the request carries none.
pub fn principal<'a>(ctx: &'a Context<'_>) -> AppResult<&'a Principal> {
    ctx.data::<Principal>().map_err(|_| AppError::Unauthenticated("sign in with a bearer token".into()))
}

/// The principal, if their role holds `capability`; FORBIDDEN otherwise.
pub fn require<'a>(ctx: &'a Context<'_>, capability: Capability) -> AppResult<&'a Principal> {
    let principal = principal(ctx)?;
    if principal.role.can(capability) {
        Ok(principal)
    } else {
        Err(AppError::Forbidden(format!("the {} role cannot {}", principal.role, capability.describe())))
    }
}

/// Where `unit` stands relative to the caller's scope (batched across a request).
pub async fn unit_reach(ctx: &Context<'_>, unit: i64) -> AppResult<Reach> {
    if principal(ctx)?.scope == Scope::Country {
        return Ok(Reach::Inside);
    }
    Ok(loaders(ctx)?.scope.load_one(UnitPlace(unit.into())).await?.unwrap_or(Reach::Outside))
}

/// Whether `person` belongs to the caller's scope (batched across a request).
pub async fn person_in_scope(ctx: &Context<'_>, person: i64) -> AppResult<bool> {
    if principal(ctx)?.scope == Scope::Country {
        return Ok(true);
    }
    Ok(loaders(ctx)?.scope.load_one(PersonPlace(person.into())).await?.unwrap_or(false))
}

/// Refuses to show more than a person's name unless the person is in the caller's scope; `what`
/// names the record in the message ("a person", "a member").
pub async fn require_person_visible(ctx: &Context<'_>, person: i64, what: &str) -> AppResult<()> {
    if person_in_scope(ctx, person).await? {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!("outside your scope {what} shows only their name")))
    }
}

/// Refuses to show more than a unit's name and code unless the unit is in the caller's scope.
pub async fn require_inside(ctx: &Context<'_>, unit: i64) -> AppResult<()> {
    match unit_reach(ctx, unit).await? {
        Reach::Inside => Ok(()),
        _ => Err(AppError::Forbidden("only the name and code of a unit outside your scope are visible".into())),
    }
}

/// The root of a list the caller asked for: `within` when given (it must be in the scope), else
/// the scope's own root (None for the whole country). The role must hold `capability`.
pub async fn subtree(ctx: &Context<'_>, capability: Capability, within: Option<i64>) -> AppResult<Option<i64>> {
    let principal = require(ctx, capability)?;
    match within {
        Some(unit) => {
            check_unit(ctx, unit, Reach::Inside).await?;
            Ok(Some(unit))
        }
        None => Ok(principal.scope.root()),
    }
}

/// Something a mutation reads or changes, named before the mutation runs.
#[derive(Debug, Clone, Copy)]
pub enum Touch {
    /// A unit in the scope (the scope's root included).
    Unit(UnitId),
    /// A unit in the scope or above it (a committee above that decides or teaches).
    UnitOrAbove(UnitId),
    /// A unit strictly below the scope's root: what the level above manages (tree edits, targets).
    UnitBelow(UnitId),
    /// A new top-level unit: only a country-wide scope may create one.
    TopLevel,
    Person(PersonId),
    Member(MemberId),
    Nomination(NominationId),
    Admission(AdmissionId),
    Enrolment(EnrolmentId),
    /// A class organised in the scope.
    Class(ClassId),
    /// A class organised in the scope or above it (to enrol one's own candidates).
    ClassOrAbove(ClassId),
}

/// Checks that the caller's role holds `capability` and that every touched record is in their
/// scope; returns the principal. Records outside the scope are NOT_FOUND, like missing ones.
///
/// The touches are checked together, so their records load in one batch per kind (an admission's
/// two introducers in one statement); the error is the first failing touch's, in the order given.
pub async fn authorize<'a>(
    ctx: &'a Context<'_>,
    capability: Capability,
    touches: &[Touch],
) -> AppResult<&'a Principal> {
    let principal = require(ctx, capability)?;
    let checks = futures::future::join_all(touches.iter().map(|touch| check(ctx, principal, *touch))).await;
    checks.into_iter().collect::<AppResult<Vec<()>>>()?;
    Ok(principal)
}

async fn check(ctx: &Context<'_>, principal: &Principal, touch: Touch) -> AppResult<()> {
    let pipeline = &loaders(ctx)?.pipeline;
    match touch {
        Touch::Unit(unit) => check_unit(ctx, unit.get(), Reach::Inside).await,
        Touch::UnitOrAbove(unit) => check_unit(ctx, unit.get(), Reach::Above).await,
        Touch::UnitBelow(unit) => {
            let unit = unit.get();
            check_unit(ctx, unit, Reach::Inside).await?;
            if principal.scope.root() == Some(unit) {
                return Err(AppError::Forbidden(
                    "your own unit is managed by the level above it: you manage the units below".into(),
                ));
            }
            Ok(())
        }
        Touch::TopLevel => match principal.scope {
            Scope::Country => Ok(()),
            Scope::Subtree { .. } => {
                Err(AppError::Forbidden("only a country-wide administrator can create a top-level unit".into()))
            }
        },
        Touch::Person(person) => check_person(ctx, NodeKind::Person, person.get(), person.get()).await,
        Touch::Member(id) => {
            let person = pipeline.load_one(MemberById(id)).await?.map(|row| row.person_id);
            check_person(ctx, NodeKind::Member, id.get(), person.unwrap_or(0)).await
        }
        Touch::Nomination(id) => match pipeline.load_one(NominationById(id)).await? {
            Some(row) => {
                check_unit(ctx, row.cell_id, Reach::Inside).await.map_err(|_| missing(NodeKind::Nomination, id.get()))
            }
            None => Err(missing(NodeKind::Nomination, id.get())),
        },
        Touch::Admission(id) => match pipeline.load_one(AdmissionById(id)).await? {
            Some(row) => {
                check_unit(ctx, row.cell_id, Reach::Inside).await.map_err(|_| missing(NodeKind::Admission, id.get()))
            }
            None => Err(missing(NodeKind::Admission, id.get())),
        },
        Touch::Enrolment(id) => {
            let person = pipeline.load_one(EnrolmentById(id)).await?.map(|row| row.person_id);
            check_person(ctx, NodeKind::Enrolment, id.get(), person.unwrap_or(0)).await
        }
        Touch::Class(id) | Touch::ClassOrAbove(id) => {
            let least = if matches!(touch, Touch::Class(_)) { Reach::Inside } else { Reach::Above };
            match pipeline.load_one(ClassById(id)).await? {
                Some(row) => {
                    check_unit(ctx, row.organiser_unit_id, least).await.map_err(|_| missing(NodeKind::Class, id.get()))
                }
                None => Err(missing(NodeKind::Class, id.get())),
            }
        }
    }
}

/// `unit` must reach at least `least` (Inside, or Inside-or-Above).
async fn check_unit(ctx: &Context<'_>, unit: i64, least: Reach) -> AppResult<()> {
    match (unit_reach(ctx, unit).await?, least) {
        (Reach::Inside, _) | (Reach::Above, Reach::Above) => Ok(()),
        (Reach::Above, _) => Err(AppError::Forbidden(format!(
            "{} is above your scope: you can read only its name and code",
            to_global(NodeKind::Unit, unit).as_str()
        ))),
        (Reach::Outside, _) => Err(missing(NodeKind::Unit, unit)),
    }
}

async fn check_person(ctx: &Context<'_>, kind: NodeKind, id: i64, person: i64) -> AppResult<()> {
    if person_in_scope(ctx, person).await? { Ok(()) } else { Err(missing(kind, id)) }
}

/// The NOT_FOUND a missing record gets, and an out-of-scope one too.
pub fn missing(kind: NodeKind, id: i64) -> AppError {
    let noun = match kind {
        NodeKind::Unit => "unit",
        NodeKind::Person => "person",
        NodeKind::Member => "member",
        NodeKind::Nomination => "nomination",
        NodeKind::Class => "class",
        NodeKind::Enrolment => "enrolment",
        NodeKind::Admission => "admission",
    };
    AppError::not_found(format!("no {noun} has the ID '{}'", to_global(kind, id).as_str()))
}
