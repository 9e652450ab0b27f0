//! The batched scope lookups `access` asks: where a unit stands relative to the caller's scope,
//! and whether a person belongs to it, one statement per kind of question per request.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use sea_orm::DatabaseConnection;

use crate::auth::Scope;
use crate::domain::scope;
use crate::error::AppError;
use crate::ids::{PersonId, UnitId};

/// Where a unit stands relative to the caller's scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// In the caller's subtree (the scope's root included): everything about it is visible.
    Inside,
    /// An ancestor of the scope's root: its name and code are visible, nothing more.
    Above,
    /// Anywhere else, or nowhere: as far as the caller knows, it does not exist.
    Outside,
}

/// Scope lookups of one request, batched: a unit's reach and a person's membership of the scope.
pub struct ScopeLoader {
    db: DatabaseConnection,
    root: Option<i64>,
}

impl ScopeLoader {
    pub fn new(db: DatabaseConnection, scope: &Scope) -> Self {
        ScopeLoader { db, root: scope.root() }
    }
}

/// A unit whose reach is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UnitPlace(pub UnitId);

/// A person whose membership of the scope is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PersonPlace(pub PersonId);

impl Loader<UnitPlace> for ScopeLoader {
    type Value = Reach;
    type Error = AppError;

    async fn load(&self, keys: &[UnitPlace]) -> Result<HashMap<UnitPlace, Reach>, AppError> {
        let Some(root) = self.root else {
            // Country-wide: every existing unit is inside; missing ones are reported by their reader.
            return Ok(keys.iter().map(|key| (*key, Reach::Inside)).collect());
        };
        let ids: Vec<UnitId> = keys.iter().map(|key| key.0).collect();
        let inside = scope::units_within(&self.db, root.into(), &ids).await?;
        let above = scope::ancestors_of(&self.db, root.into()).await?;
        Ok(keys
            .iter()
            .map(|key| {
                let reach = if inside.contains(&key.0) {
                    Reach::Inside
                } else if above.contains(&key.0) {
                    Reach::Above
                } else {
                    Reach::Outside
                };
                (*key, reach)
            })
            .collect())
    }
}

impl Loader<PersonPlace> for ScopeLoader {
    type Value = bool;
    type Error = AppError;

    async fn load(&self, keys: &[PersonPlace]) -> Result<HashMap<PersonPlace, bool>, AppError> {
        let Some(root) = self.root else {
            return Ok(keys.iter().map(|key| (*key, true)).collect());
        };
        let ids: Vec<PersonId> = keys.iter().map(|key| key.0).collect();
        let inside = scope::persons_within(&self.db, root.into(), &ids).await?;
        Ok(keys.iter().map(|key| (*key, inside.contains(&key.0))).collect())
    }
}
