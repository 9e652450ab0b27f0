//! The output types of the pipeline, each the API face of one table (like `Unit`), with its
//! relations read through the request's `PipelineLoader` so that lists cost one statement per
//! relation. The public tuple constructors let mutation payloads return them. The types are
//! declared here and their fields in one file each: a person's fields return admissions and an
//! admission's fields return a person, so no file of fields needs another.

pub mod admission;
pub mod class;
pub mod member;
pub mod nomination;
pub mod person;

use std::fmt::Debug;
use std::hash::Hash;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, Result};

use crate::entity;
use crate::error::AppError;
use crate::graphql::context::loaders;
use crate::graphql::loaders::PipelineLoader;
use crate::graphql::unit::Unit;
use crate::ids::UnitId;

/// The API face of an `admissions` row.
pub struct Admission(pub entity::admission::Model);

/// The API face of a `classes` row.
pub struct TrainingClass(pub entity::class::Model);

/// The API face of an `enrolments` row.
pub struct Enrolment(pub entity::enrolment::Model);

/// The API face of a `members` row.
pub struct Member(pub entity::member::Model);

/// The API face of a `member_stints` row.
pub struct MemberStint(pub entity::member_stint::Model);

/// The API face of a `nominations` row.
pub struct Nomination(pub entity::nomination::Model);

/// The API face of a `nomination_mentors` row.
pub struct MentorAssignment(pub entity::nomination_mentor::Model);

/// The API face of a `persons` row.
pub struct Person(pub entity::person::Model);

type Loaded<K> = <PipelineLoader as Loader<K>>::Value;

/// The value of `key`, through the request's pipeline loader; none when there is no row.
async fn load<K>(ctx: &Context<'_>, key: K) -> Result<Option<Loaded<K>>>
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
    PipelineLoader: Loader<K, Error = AppError>,
{
    Ok(loaders(ctx)?.pipeline.load_one(key).await?)
}

/// The rows of a one-to-many relation (none is an empty list).
async fn load_list<K, T>(ctx: &Context<'_>, key: K) -> Result<Vec<T>>
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
    PipelineLoader: Loader<K, Value = Vec<T>, Error = AppError>,
    T: Send + Sync + Clone + 'static,
{
    Ok(load(ctx, key).await?.unwrap_or_default())
}

/// The value of `key`, which a foreign key guarantees exists.
async fn required<K>(ctx: &Context<'_>, key: K) -> Result<Loaded<K>>
where
    K: Send + Sync + Hash + Eq + Clone + Debug + 'static,
    PipelineLoader: Loader<K, Error = AppError>,
{
    let missing = format!("{key:?} has no row");
    load(ctx, key).await?.ok_or_else(|| AppError::internal(missing).into())
}

/// The unit with `id`, which a foreign key guarantees exists.
pub(super) async fn unit(ctx: &Context<'_>, id: i64) -> Result<Unit> {
    let found = loaders(ctx)?.units.load_one(UnitId::from(id)).await?;
    found.map(Unit).ok_or_else(|| AppError::internal(format!("unit {id} has no row")).into())
}
