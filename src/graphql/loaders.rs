//! DataLoaders: each turns the per-item lookups of a list (a unit's parent, its children, its
//! ancestor path, a candidate's person or mentors) into one batched statement, so the statement
//! count does not grow with the list.
//! A fresh set is made for every request; the figures, units and tree structure they read are
//! also kept in the server's shared read cache (`cache`) until the data changes, the pipeline
//! (people's records) and the caller's scope are not.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use chrono::NaiveDate;
use sea_orm::DatabaseConnection;
use tracing::Instrument;

use super::batching::Spawner;
use super::scope_loader::ScopeLoader;
use super::stats::loader::StatsLoader;
use super::stats::rows_ahead::RowsAhead;
use crate::auth::Scope;
use crate::cache::loader::Cached;
use crate::cache::{Dependent, Depends, Footprint, SharedCache};
use crate::domain::pipeline_read::{self, ClassCounts};
use crate::domain::tree_read::{self, ListOptions, NameKey};
use crate::domain::{Slice, Window};
use crate::entity::{admission, class, enrolment, member, member_stint, nomination, nomination_mentor, person};
use crate::entity::{unit, unit_event};
use crate::error::AppError;
use crate::ids::{AdmissionId, ClassId, EnrolmentId, MemberId, NominationId, PersonId, UnitId};

/// A request's DataLoader: batched, and (in queries) remembering what it loaded.
pub type RequestLoader<T> = DataLoader<T, HashMapCache>;

/// The loaders of one request.
pub struct Loaders {
    pub stats: Arc<RequestLoader<Cached<StatsLoader>>>,
    pub units: Arc<RequestLoader<Cached<UnitLoader>>>,
    pub tree: Arc<RequestLoader<Cached<TreeLoader>>>,
    pub pipeline: Arc<RequestLoader<PipelineLoader>>,
    pub scope: Arc<RequestLoader<ScopeLoader>>,
    /// The row figures a unit list read ahead for its rows (`stats::read_ahead`, kept in `stats::rows_ahead`).
    pub ahead: RowsAhead,
    shared: Arc<SharedCache>,
}

impl Loaders {
    /// The loaders of a request made within `scope`, whose batches run through `spawner` (see
    /// `batching`) as soon as the request has queued every key it can. A value loaded once is not
    /// loaded again in the request (a figure that both `admissions` and `attainment` need), until
    /// a mutation calls `forget`. Figures, units and tree structure are read through `shared`.
    pub fn new(db: &DatabaseConnection, scope: &Scope, spawner: &Spawner, shared: &Arc<SharedCache>) -> Self {
        let stats = StatsLoader { db: db.clone() };
        Loaders {
            scope: Arc::new(loader(ScopeLoader::new(db.clone(), scope), spawner)),
            stats: Arc::new(loader(Cached::new(stats, shared), spawner)),
            units: Arc::new(loader(Cached::new(UnitLoader { db: db.clone() }, shared), spawner)),
            tree: Arc::new(loader(Cached::new(TreeLoader { db: db.clone() }, shared), spawner)),
            pipeline: Arc::new(loader(PipelineLoader { db: db.clone() }, spawner)),
            ahead: RowsAhead::default(),
            shared: shared.clone(),
        }
    }

    /// The server's shared read cache, for a reader that reads what several loaders would in
    /// one statement and stores each part as theirs.
    pub fn shared_cache(&self) -> &SharedCache {
        &self.shared
    }

    /// A mutation committed with `footprint`: the shared cache forgets what it reached, so this
    /// and every later request reads the change.
    pub fn changed(&self, footprint: &Footprint) {
        self.shared.changed(footprint);
    }

    /// Stops remembering for the rest of the request: called before every write, so neither its
    /// authorization nor its payload sees a value read before the change.
    pub fn forget(&self) {
        self.scope.enable_all_cache(false);
        self.stats.enable_all_cache(false);
        self.units.enable_all_cache(false);
        self.tree.enable_all_cache(false);
        self.pipeline.enable_all_cache(false);
        self.ahead.clear();
    }
}

/// A DataLoader without a timer: `batching::drive` starts its batches.
/// Each batch runs in a span of its own (`resolver batch`, named by its loader), inside the span
/// of the request that asked for it.
fn loader<T: Send + Sync + 'static>(inner: T, spawner: &Spawner) -> RequestLoader<T> {
    let spawner = spawner.clone();
    let name = crate::telemetry::traces::short_type_name::<T>();
    let run = move |batch: futures::future::BoxFuture<'static, ()>| {
        spawner.spawn(Box::pin(batch.instrument(tracing::info_span!("resolver batch", loader = %name))));
    };
    DataLoader::with_cache(inner, run, HashMapCache::default()).delay(Duration::ZERO)
}

/// Units by id.
pub struct UnitLoader {
    db: DatabaseConnection,
}

/// A unit's record changes only with the tree.
impl Dependent<UnitId> for UnitLoader {
    fn depends_on(_: &UnitId) -> Depends {
        Depends::Tree
    }
}

/// Which unit has a code (or that none has) changes only with the tree.
impl Dependent<UnitCode> for UnitLoader {
    fn depends_on(_: &UnitCode) -> Depends {
        Depends::Tree
    }
}

impl Loader<UnitId> for UnitLoader {
    type Value = unit::Model;
    type Error = AppError;

    async fn load(&self, keys: &[UnitId]) -> Result<HashMap<UnitId, unit::Model>, AppError> {
        tree_read::by_ids(&self.db, keys).await
    }
}

/// A unit's code (trimmed), for looking it up.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UnitCode(pub String);

impl Loader<UnitCode> for UnitLoader {
    type Value = unit::Model;
    type Error = AppError;

    async fn load(&self, keys: &[UnitCode]) -> Result<HashMap<UnitCode, unit::Model>, AppError> {
        let codes: Vec<String> = keys.iter().map(|key| key.0.clone()).collect();
        let units = tree_read::by_codes(&self.db, &codes).await?;
        Ok(units.into_iter().map(|(code, unit)| (UnitCode(code), unit)).collect())
    }
}

/// Batched reads of tree structure around units: children pages and counts, ancestor paths, history.
pub struct TreeLoader {
    db: DatabaseConnection,
}

/// A page of one unit's children.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ChildrenPage {
    pub parent_id: UnitId,
    pub include_dissolved: bool,
    pub window: Window<NameKey>,
}

/// A unit's children are in its subtree: a change to one (created, renamed, moved in or out)
/// reaches the unit.
impl Dependent<ChildrenPage> for TreeLoader {
    fn depends_on(key: &ChildrenPage) -> Depends {
        Depends::Subtree(key.parent_id.get())
    }
}

impl Loader<ChildrenPage> for TreeLoader {
    type Value = Slice<unit::Model>;
    type Error = AppError;

    async fn load(&self, keys: &[ChildrenPage]) -> Result<HashMap<ChildrenPage, Slice<unit::Model>>, AppError> {
        // Siblings in one list share their arguments, so this is normally a single group.
        let mut groups: HashMap<(bool, Window<NameKey>), Vec<UnitId>> = HashMap::new();
        for key in keys {
            groups.entry((key.include_dissolved, key.window.clone())).or_default().push(key.parent_id);
        }
        let mut result = HashMap::new();
        for ((include_dissolved, window), parents) in groups {
            let options = ListOptions { include_dissolved };
            let mut pages = tree_read::children_pages(&self.db, &parents, options, &window).await?;
            for parent_id in parents {
                let page = pages.remove(&parent_id).unwrap_or_default();
                result.insert(ChildrenPage { parent_id, include_dissolved, window: window.clone() }, page);
            }
        }
        Ok(result)
    }
}

/// The units directly below a unit at any time from `from` to `to` (a ranking's rows), at most
/// `limit`. Through the loader, so the read is part of the request's waves of batches rather than
/// a query the request waits on alone (which would let a wave start early and split batches).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ChildrenDuring {
    pub parent_id: UnitId,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub limit: u64,
}

impl Dependent<ChildrenDuring> for TreeLoader {
    fn depends_on(key: &ChildrenDuring) -> Depends {
        Depends::Subtree(key.parent_id.get())
    }
}

impl Loader<ChildrenDuring> for TreeLoader {
    type Value = Vec<unit::Model>;
    type Error = AppError;

    async fn load(&self, keys: &[ChildrenDuring]) -> Result<HashMap<ChildrenDuring, Vec<unit::Model>>, AppError> {
        // A request ranks the children of one unit, or of a few: one statement each.
        let mut result = HashMap::new();
        for key in keys {
            let children = tree_read::children_during(&self.db, key.parent_id, key.from, key.to, key.limit).await?;
            result.insert(*key, children);
        }
        Ok(result)
    }
}

/// The number of one unit's children.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ChildCount {
    pub parent_id: UnitId,
    pub include_dissolved: bool,
}

impl Dependent<ChildCount> for TreeLoader {
    fn depends_on(key: &ChildCount) -> Depends {
        Depends::Subtree(key.parent_id.get())
    }
}

impl Loader<ChildCount> for TreeLoader {
    type Value = u64;
    type Error = AppError;

    async fn load(&self, keys: &[ChildCount]) -> Result<HashMap<ChildCount, u64>, AppError> {
        let mut result = HashMap::new();
        for include_dissolved in [false, true] {
            let parents: Vec<UnitId> =
                keys.iter().filter(|k| k.include_dissolved == include_dissolved).map(|k| k.parent_id).collect();
            if parents.is_empty() {
                continue;
            }
            let counts = tree_read::child_counts(&self.db, &parents, ListOptions { include_dissolved }).await?;
            for parent_id in parents {
                let count = counts.get(&parent_id).copied().unwrap_or(0);
                result.insert(ChildCount { parent_id, include_dissolved }, count);
            }
        }
        Ok(result)
    }
}

/// The ancestor ids of a unit on a date, province first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AncestorPath {
    pub unit_id: UnitId,
    pub on: NaiveDate,
}

/// A unit's ancestors change when it or any unit above it moves: the tree's structure.
impl Dependent<AncestorPath> for TreeLoader {
    fn depends_on(_: &AncestorPath) -> Depends {
        Depends::Tree
    }
}

impl Loader<AncestorPath> for TreeLoader {
    type Value = Vec<UnitId>;
    type Error = AppError;

    async fn load(&self, keys: &[AncestorPath]) -> Result<HashMap<AncestorPath, Vec<UnitId>>, AppError> {
        let mut by_date: HashMap<NaiveDate, Vec<UnitId>> = HashMap::new();
        for key in keys {
            by_date.entry(key.on).or_default().push(key.unit_id);
        }
        let mut result = HashMap::new();
        for (on, units) in by_date {
            let mut paths = tree_read::ancestors_on(&self.db, &units, on).await?;
            for unit_id in units {
                result.insert(AncestorPath { unit_id, on }, paths.remove(&unit_id).unwrap_or_default());
            }
        }
        Ok(result)
    }
}

/// The history of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UnitHistory(pub UnitId);

impl Dependent<UnitHistory> for TreeLoader {
    fn depends_on(_: &UnitHistory) -> Depends {
        Depends::Tree
    }
}

impl Loader<UnitHistory> for TreeLoader {
    type Value = Vec<unit_event::Model>;
    type Error = AppError;

    async fn load(&self, keys: &[UnitHistory]) -> Result<HashMap<UnitHistory, Vec<unit_event::Model>>, AppError> {
        let ids: Vec<UnitId> = keys.iter().map(|k| k.0).collect();
        let mut events = tree_read::events(&self.db, &ids).await?;
        Ok(ids.into_iter().map(|id| (UnitHistory(id), events.remove(&id).unwrap_or_default())).collect())
    }
}

/// Batched reads of the pipeline: one key type per relation, and the DataLoader batches each key
/// type on its own, so the persons of a page of candidates are one `IN (…)` and their mentors another.
pub struct PipelineLoader {
    db: DatabaseConnection,
}

impl PipelineLoader {
    /// The database its batches read (for loaders declared beside the fields they serve).
    pub(crate) fn database(&self) -> &DatabaseConnection {
        &self.db
    }
}

/// Declares a key type for each "rows by id" relation and the `Loader` that reads it with one
/// batched call into `domain::pipeline_read`; a key with no rows is absent from the result.
macro_rules! pipeline_keys {
    ($($(#[$doc:meta])* $key:ident($id:ty) => $value:ty = $read:path;)+) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $key(pub $id);

        impl Loader<$key> for PipelineLoader {
            type Value = $value;
            type Error = AppError;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, $value>, AppError> {
                let ids: Vec<$id> = keys.iter().map(|key| key.0).collect();
                let mut found = $read(&self.db, &ids).await?;
                Ok(ids.into_iter().filter_map(|id| found.remove(&id).map(|value| ($key(id), value))).collect())
            }
        }
    )+};
}

pipeline_keys! {
    /// A person by id.
    PersonById(PersonId) => person::Model = pipeline_read::persons;
    /// A membership by id.
    MemberById(MemberId) => member::Model = pipeline_read::members;
    /// The membership of a person, by person id.
    MemberOfPerson(PersonId) => member::Model = pipeline_read::members_by_person;
    /// A member's cell stints, by member id, oldest first.
    StintsOfMember(MemberId) => Vec<member_stint::Model> = pipeline_read::stints_by_member;
    /// A nomination by id.
    NominationById(NominationId) => nomination::Model = pipeline_read::nominations;
    /// A person's nominations, by person id, oldest first.
    NominationsOfPerson(PersonId) => Vec<nomination::Model> = pipeline_read::nominations_by_person;
    /// A nomination's mentor assignments, current and past, by nomination id.
    MentorsOfNomination(NominationId) => Vec<nomination_mentor::Model> = pipeline_read::mentors_by_nomination;
    /// A class by id.
    ClassById(ClassId) => class::Model = pipeline_read::classes;
    /// A class's roster, by class id (at most `pipeline_read::ROSTER_LIMIT`).
    RosterOfClass(ClassId) => Vec<enrolment::Model> = pipeline_read::rosters;
    /// A class's enrolment counts, by class id.
    CountsOfClass(ClassId) => ClassCounts = pipeline_read::class_counts;
    /// An enrolment by id.
    EnrolmentById(EnrolmentId) => enrolment::Model = pipeline_read::enrolments;
    /// A person's enrolments, by person id, in class order.
    EnrolmentsOfPerson(PersonId) => Vec<enrolment::Model> = pipeline_read::enrolments_by_person;
    /// An admission by id.
    AdmissionById(AdmissionId) => admission::Model = pipeline_read::admissions;
    /// The admission of a person, by person id.
    AdmissionOfPerson(PersonId) => admission::Model = pipeline_read::admissions_by_person;
    /// The forms of a person's admission dossier, by person id.
    DossierOfPerson(PersonId) => Vec<crate::entity::dossier_form::Model> = crate::domain::dossier::of_people;
}

/// Whether a person completed an awareness class, by person id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CompletedAwareness(pub PersonId);

impl Loader<CompletedAwareness> for PipelineLoader {
    type Value = bool;
    type Error = AppError;

    async fn load(&self, keys: &[CompletedAwareness]) -> Result<HashMap<CompletedAwareness, bool>, AppError> {
        let ids: Vec<PersonId> = keys.iter().map(|key| key.0).collect();
        let completed = pipeline_read::completed_awareness(&self.db, &ids).await?;
        Ok(ids.into_iter().map(|id| (CompletedAwareness(id), completed.contains(&id))).collect())
    }
}
