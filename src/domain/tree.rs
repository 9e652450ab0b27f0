//! The organisation tree: creating, renaming, moving, dissolving and merging units, each keeping
//! history, and the dated ancestry every report relies on.
//!
//! Ancestry lives in `unit_closure` as dated rows. A move effective on day D closes the rows that
//! linked the moved subtree to its old ancestors at D and opens rows to the new ones from D, with
//! two set-based statements whatever the subtree's size. A merge moves the sources' children to the
//! target and then hangs each dissolved source under the target, so facts recorded in a source
//! (admissions, nominations, members) roll up to the target from D on and to the source's old
//! ancestors before D, with no fact rewritten. Moves and merges recount the per-month rollup of
//! the units whose subtree changed, from D's month on (`stats::rollup::recount_from`).

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, NotSet,
    QueryFilter, QuerySelect, Value,
};

use super::audit::{self, Actor};
use super::text::fold;
use crate::calendar::{OPEN_END, today_in_vietnam};
use crate::domain::rollup;
use crate::entity::unit::{self, UnitKind, UnitLevel};
use crate::entity::{member_stint, unit_closure, unit_event, vocabulary::UnitEventKind};
use crate::error::{AppError, AppResult};
use crate::ids::UnitId;
use crate::rules::Rule;
use crate::sql::statement;

/// The founding of the Communist Party of Vietnam (3 February 1930): no record can precede it, so
/// it is the default establishment date of units loaded from an existing tree.
pub const RECORDS_BEGIN: NaiveDate = match NaiveDate::from_ymd_opt(1930, 2, 3) {
    Some(date) => date,
    None => panic!("1930-02-03 is a valid date"),
};

/// A unit to create.
#[derive(Debug, Clone)]
pub struct NewUnit {
    pub code: String,
    pub name: String,
    pub level: UnitLevel,
    pub kind: UnitKind,
    pub parent_id: Option<UnitId>,
    pub established_on: NaiveDate,
}

/// Checks a unit code: 1–64 letters, digits or `. - _ /`, chosen by the organisation.
pub fn validate_code(code: &str) -> AppResult<String> {
    let code = code.trim();
    let valid_chars = code.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '/'));
    if code.is_empty() || code.len() > 64 || !valid_chars {
        return Err(AppError::invalid(
            "code",
            format!("unit code '{code}' must be 1 to 64 characters of letters, digits, '.', '-', '_' or '/'"),
        ));
    }
    Ok(code.to_owned())
}

/// Checks a unit name: non-empty, at most 255 characters, trimmed.
pub fn validate_name(name: &str) -> AppResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 255 {
        return Err(AppError::invalid("name", "a unit name must be 1 to 255 characters"));
    }
    Ok(name.to_owned())
}

/// Checks that `kind` is one a unit of `level` may have.
pub fn validate_kind(level: UnitLevel, kind: UnitKind) -> AppResult<()> {
    if level.allowed_kinds().contains(&kind) {
        Ok(())
    } else {
        Err(AppError::refused(Rule::UnitKindForLevel, format!("a {level:?} cannot be of kind {kind:?}")))
    }
}

fn validate_effective_date(date: NaiveDate) -> AppResult<NaiveDate> {
    if date > today_in_vietnam() {
        return Err(AppError::invalid("effectiveOn", "a change to the tree cannot take effect in the future"));
    }
    if date < RECORDS_BEGIN {
        return Err(AppError::invalid("effectiveOn", "dates before 1930-02-03 are not accepted"));
    }
    Ok(date)
}

/// Loads a unit by id, or NOT_FOUND.
pub async fn get<C: ConnectionTrait>(db: &C, id: UnitId) -> AppResult<unit::Model> {
    unit::Entity::find_by_id(id.get())
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(format!("no unit with id {id}")))
}

/// Loads a unit by its code, or NOT_FOUND.
pub async fn get_by_code<C: ConnectionTrait>(db: &C, code: &str) -> AppResult<unit::Model> {
    unit::Entity::find()
        .filter(unit::Column::Code.eq(code.trim()))
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(format!("no unit with code '{}'", code.trim())))
}

fn ensure_active(unit: &unit::Model) -> AppResult<()> {
    match unit.dissolved_on {
        Some(on) => Err(AppError::refused(
            Rule::UnitDissolved,
            format!("unit {} ({}) was dissolved on {on}", unit.name, unit.code),
        )),
        None => Ok(()),
    }
}

fn ensure_parent_level(child: UnitLevel, parent: &unit::Model) -> AppResult<()> {
    if child.allowed_parents().contains(&parent.level) {
        Ok(())
    } else {
        Err(AppError::refused(
            Rule::ParentLevel,
            format!("a {child:?} cannot be placed under a {:?} ({})", parent.level, parent.code),
        ))
    }
}

/// Creates a unit under its parent, with its ancestry from its establishment date.
pub async fn create<C: ConnectionTrait>(db: &C, actor: &Actor, new: NewUnit) -> AppResult<unit::Model> {
    let code = validate_code(&new.code)?;
    let name = validate_name(&new.name)?;
    validate_kind(new.level, new.kind)?;
    let established_on = validate_effective_date(new.established_on)?;
    let parent = match (new.level, new.parent_id) {
        (UnitLevel::Province, None) => None,
        (UnitLevel::Province, Some(_)) => {
            return Err(AppError::refused(Rule::ParentLevel, "a province has no parent unit"));
        }
        (level, None) => {
            return Err(AppError::invalid("parentId", format!("a {level:?} needs a parent unit")));
        }
        (level, Some(parent_id)) => {
            let parent = get(db, parent_id).await?;
            ensure_active(&parent)?;
            ensure_parent_level(level, &parent)?;
            if parent.established_on > established_on {
                return Err(AppError::refused(
                    Rule::EstablishedBeforeParent,
                    format!(
                        "unit {} was established on {}, after {established_on}",
                        parent.code, parent.established_on
                    ),
                ));
            }
            Some(parent)
        }
    };
    if unit::Entity::find().filter(unit::Column::Code.eq(&code)).one(db).await?.is_some() {
        return Err(AppError::conflict(format!("a unit with code '{code}' already exists")));
    }

    let now = Utc::now();
    let created = unit::ActiveModel {
        id: NotSet,
        code: Set(code),
        name_search: Set(fold(&name)),
        name: Set(name),
        level: Set(new.level),
        kind: Set(new.kind),
        parent_id: Set(parent.as_ref().map(|p| p.id)),
        established_on: Set(established_on),
        dissolved_on: Set(None),
        merged_into_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;

    // Self row, then the parent's ancestry from the establishment date on, one level deeper.
    let backend = db.get_database_backend();
    db.execute_raw(statement(
        backend,
        "INSERT INTO unit_closure (ancestor_id, descendant_id, depth, descendant_level, valid_from, valid_to) \
         VALUES (?, ?, 0, ?, ?, ?)",
        vec![created.id.into(), created.id.into(), level_value(new.level), established_on.into(), OPEN_END.into()],
    ))
    .await?;
    if let Some(parent) = &parent {
        db.execute_raw(statement(
            backend,
            "INSERT INTO unit_closure (ancestor_id, descendant_id, depth, descendant_level, valid_from, valid_to) \
             SELECT ancestor_id, ?, depth + 1, ?, CASE WHEN valid_from > ? THEN valid_from ELSE ? END, valid_to \
             FROM unit_closure WHERE descendant_id = ? AND valid_to > ?",
            vec![
                created.id.into(),
                level_value(new.level),
                established_on.into(),
                established_on.into(),
                parent.id.into(),
                established_on.into(),
            ],
        ))
        .await?;
    }
    record_event(db, &created, UnitEventKind::Created, established_on, |event| {
        event.new_name = Set(Some(created.name.clone()));
        event.new_parent_id = Set(created.parent_id);
    })
    .await?;
    audit::changed(db, actor, "createUnit", None, &created).await?;
    Ok(created)
}

/// Renames a unit; the old name stays in its history.
pub async fn rename<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: UnitId,
    name: &str,
    effective_on: NaiveDate,
) -> AppResult<unit::Model> {
    let name = validate_name(name)?;
    let effective_on = validate_effective_date(effective_on)?;
    let before = get(db, id).await?;
    ensure_active(&before)?;
    if before.name == name {
        return Err(AppError::invalid("name", "the new name is the same as the current one"));
    }
    let mut active: unit::ActiveModel = before.clone().into();
    active.name_search = Set(fold(&name));
    active.name = Set(name);
    active.updated_at = Set(Utc::now());
    let after = active.update(db).await?;
    record_event(db, &after, UnitEventKind::Renamed, effective_on, |event| {
        event.old_name = Set(Some(before.name.clone()));
        event.new_name = Set(Some(after.name.clone()));
    })
    .await?;
    audit::changed(db, actor, "renameUnit", Some(&before), &after).await?;
    Ok(after)
}

/// Places a unit (with its whole subtree) under a new parent from `effective_on`.
pub async fn move_unit<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: UnitId,
    new_parent_id: UnitId,
    effective_on: NaiveDate,
) -> AppResult<unit::Model> {
    let effective_on = validate_effective_date(effective_on)?;
    let before = get(db, id).await?;
    ensure_active(&before)?;
    let new_parent = get(db, new_parent_id).await?;
    ensure_active(&new_parent)?;
    ensure_parent_level(before.level, &new_parent)?;
    if before.parent_id == Some(new_parent.id) {
        return Err(AppError::invalid("parentId", format!("{} is already under {}", before.code, new_parent.code)));
    }
    let mut regrouped = current_ancestor_ids(db, before.id, false).await?;
    let after = relink(db, &before, &new_parent, effective_on).await?;
    regrouped.extend(current_ancestor_ids(db, after.id, false).await?);
    // The subtree's facts from the move on now count toward the new ancestors, not the old.
    rollup::recount_from(db, &regrouped, effective_on).await?;
    record_event(db, &after, UnitEventKind::Moved, effective_on, |event| {
        event.old_parent_id = Set(before.parent_id);
        event.new_parent_id = Set(Some(new_parent.id));
    })
    .await?;
    audit::changed(db, actor, "moveUnit", Some(&before), &after).await?;
    Ok(after)
}

/// Refuses to place `unit` under `new_parent` when the new parent lies inside its subtree
/// (`parent_is_inside`). The level rules refuse every such move first; this guards the closure
/// table should a level rule ever allow one.
pub fn ensure_outside(unit: &unit::Model, new_parent: &unit::Model, parent_is_inside: bool) -> AppResult<()> {
    if parent_is_inside {
        return Err(AppError::refused(
            Rule::TreeCycle,
            format!("{} cannot be placed under {}, which lies inside it", unit.code, new_parent.code),
        ));
    }
    Ok(())
}

/// Re-parents `unit` at `on` in the closure table and the `parent_id` column. Level rules are the
/// caller's business (a merge hangs a source under a unit of its own level).
async fn relink<C: ConnectionTrait>(
    db: &C,
    unit: &unit::Model,
    new_parent: &unit::Model,
    on: NaiveDate,
) -> AppResult<unit::Model> {
    let backend = db.get_database_backend();
    ensure_outside(unit, new_parent, is_ancestor_now(db, unit.id, new_parent.id).await?)?;
    // History is append-only: a change cannot take effect before the latest change to the
    // ancestry of the subtree being moved or of its new parent.
    #[derive(FromQueryResult)]
    struct Latest {
        latest: Option<NaiveDate>,
    }
    let latest = Latest::find_by_statement(statement(
        backend,
        "SELECT MAX(valid_from) AS latest FROM unit_closure WHERE valid_to = ? AND (descendant_id = ? \
         OR descendant_id IN (SELECT descendant_id FROM unit_closure WHERE ancestor_id = ? AND valid_to = ?))",
        vec![OPEN_END.into(), new_parent.id.into(), unit.id.into(), OPEN_END.into()],
    ))
    .one(db)
    .await?
    .and_then(|row| row.latest);
    if let Some(latest) = latest.filter(|latest| *latest > on) {
        return Err(AppError::refused(
            Rule::ChangeBeforeLastChange,
            format!("the tree around {} last changed on {latest}; a move cannot take effect before that", unit.code),
        ));
    }

    // 1. Close the links between the subtree and its old ancestors.
    db.execute_raw(statement(
        backend,
        "UPDATE unit_closure SET valid_to = ? WHERE valid_to = ? \
         AND descendant_id IN (SELECT descendant_id FROM unit_closure WHERE ancestor_id = ? AND valid_to = ?) \
         AND ancestor_id IN (SELECT ancestor_id FROM unit_closure WHERE descendant_id = ? AND valid_to = ? AND ancestor_id <> ?)",
        vec![
            on.into(),
            OPEN_END.into(),
            unit.id.into(),
            OPEN_END.into(),
            unit.id.into(),
            OPEN_END.into(),
            unit.id.into(),
        ],
    ))
    .await?;
    // A link opened and closed on the same day never held.
    db.execute_raw(statement(backend, "DELETE FROM unit_closure WHERE valid_from >= valid_to", vec![])).await?;
    // 2. Open links from every ancestor of the new parent (itself included) to every unit of the subtree.
    db.execute_raw(statement(
        backend,
        "INSERT INTO unit_closure (ancestor_id, descendant_id, depth, descendant_level, valid_from, valid_to) \
         SELECT p.ancestor_id, s.descendant_id, p.depth + s.depth + 1, s.descendant_level, ?, ? \
         FROM unit_closure p, unit_closure s \
         WHERE p.descendant_id = ? AND p.valid_to = ? AND s.ancestor_id = ? AND s.valid_to = ?",
        vec![on.into(), OPEN_END.into(), new_parent.id.into(), OPEN_END.into(), unit.id.into(), OPEN_END.into()],
    ))
    .await?;

    let mut active: unit::ActiveModel = unit.clone().into();
    active.parent_id = Set(Some(new_parent.id));
    active.updated_at = Set(Utc::now());
    Ok(active.update(db).await?)
}

/// The current ancestors of unit `id`, with the unit itself when `with_self`.
async fn current_ancestor_ids<C: ConnectionTrait>(db: &C, id: i64, with_self: bool) -> AppResult<Vec<i64>> {
    let minimum_depth = if with_self { 0 } else { 1 };
    Ok(unit_closure::Entity::find()
        .filter(unit_closure::Column::DescendantId.eq(id))
        .filter(unit_closure::Column::ValidTo.eq(OPEN_END))
        .filter(unit_closure::Column::Depth.gte(minimum_depth))
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.ancestor_id)
        .collect())
}

/// Whether `candidate` lies in the current subtree of `root` (`root` itself included).
async fn is_ancestor_now<C: ConnectionTrait>(db: &C, root: i64, candidate: i64) -> AppResult<bool> {
    Ok(unit_closure::Entity::find()
        .filter(unit_closure::Column::AncestorId.eq(root))
        .filter(unit_closure::Column::DescendantId.eq(candidate))
        .filter(unit_closure::Column::ValidTo.eq(OPEN_END))
        .one(db)
        .await?
        .is_some())
}

/// Dissolves a unit that no longer has active units or members under it.
pub async fn dissolve<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: UnitId,
    effective_on: NaiveDate,
) -> AppResult<unit::Model> {
    let effective_on = validate_effective_date(effective_on)?;
    let before = get(db, id).await?;
    ensure_active(&before)?;
    ensure_empty(db, &before).await?;
    let after = mark_dissolved(db, &before, effective_on, None).await?;
    record_event(db, &after, UnitEventKind::Dissolved, effective_on, |_| {}).await?;
    audit::changed(db, actor, "dissolveUnit", Some(&before), &after).await?;
    Ok(after)
}

async fn ensure_empty<C: ConnectionTrait>(db: &C, unit: &unit::Model) -> AppResult<()> {
    let active_children = unit::Entity::find()
        .filter(unit::Column::ParentId.eq(unit.id))
        .filter(unit::Column::DissolvedOn.is_null())
        .limit(1)
        .all(db)
        .await?;
    if !active_children.is_empty() {
        return Err(AppError::refused(
            Rule::UnitNotEmpty,
            format!("{} still has active units under it: move or dissolve them first", unit.code),
        ));
    }
    let current_members = member_stint::Entity::find()
        .filter(member_stint::Column::CellId.eq(unit.id))
        .filter(member_stint::Column::ValidTo.eq(OPEN_END))
        .limit(1)
        .all(db)
        .await?;
    if !current_members.is_empty() {
        return Err(AppError::refused(
            Rule::UnitNotEmpty,
            format!("{} still has members: transfer them first, or merge the cell", unit.code),
        ));
    }
    Ok(())
}

async fn mark_dissolved<C: ConnectionTrait>(
    db: &C,
    unit: &unit::Model,
    on: NaiveDate,
    merged_into: Option<i64>,
) -> AppResult<unit::Model> {
    let mut active: unit::ActiveModel = unit.clone().into();
    active.dissolved_on = Set(Some(on));
    active.merged_into_id = Set(merged_into);
    active.updated_at = Set(Utc::now());
    Ok(active.update(db).await?)
}

/// Merges `source_ids` into `target_id` from `effective_on`: the sources' active units and members
/// move to the target, and each source is dissolved and hung under the target, so its past
/// figures stay with its old ancestors and its open records roll up to the target from then on.
pub async fn merge<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    source_ids: &[UnitId],
    target_id: UnitId,
    effective_on: NaiveDate,
) -> AppResult<unit::Model> {
    let effective_on = validate_effective_date(effective_on)?;
    if source_ids.is_empty() {
        return Err(AppError::invalid("sourceIds", "name at least one unit to merge"));
    }
    let mut seen = std::collections::HashSet::new();
    if !source_ids.iter().all(|id| seen.insert(*id)) {
        return Err(AppError::invalid("sourceIds", "a unit is named twice among the merge sources"));
    }
    if source_ids.contains(&target_id) {
        return Err(AppError::invalid("targetId", "the merge target cannot also be a source"));
    }
    let target = get(db, target_id).await?;
    ensure_active(&target)?;
    // Every unit whose subtree gains or loses units: the target and the sources, with their
    // ancestors (a source's children, and the source itself, move under the target).
    let mut regrouped = current_ancestor_ids(db, target.id, true).await?;
    for source_id in source_ids {
        let source = get(db, *source_id).await?;
        ensure_active(&source)?;
        regrouped.extend(current_ancestor_ids(db, source.id, true).await?);
        if source.level != target.level {
            return Err(AppError::refused(
                Rule::MergeLevel,
                format!(
                    "{} is a {:?} and {} a {:?}: only units of one level merge",
                    source.code, source.level, target.code, target.level
                ),
            ));
        }
        let children = unit::Entity::find()
            .filter(unit::Column::ParentId.eq(source.id))
            .filter(unit::Column::DissolvedOn.is_null())
            .all(db)
            .await?;
        for child in children {
            let moved = relink(db, &child, &target, effective_on).await?;
            record_event(db, &moved, UnitEventKind::Moved, effective_on, |event| {
                event.old_parent_id = Set(Some(source.id));
                event.new_parent_id = Set(Some(target.id));
            })
            .await?;
        }
        transfer_members(db, source.id, target.id, effective_on).await?;
        let hung = relink(db, &source, &target, effective_on).await?;
        let dissolved = mark_dissolved(db, &hung, effective_on, Some(target.id)).await?;
        record_event(db, &dissolved, UnitEventKind::MergedInto, effective_on, |event| {
            event.other_unit_id = Set(Some(target.id));
        })
        .await?;
        record_event(db, &target, UnitEventKind::MergedFrom, effective_on, |event| {
            event.other_unit_id = Set(Some(source.id));
        })
        .await?;
        audit::changed(db, actor, "mergeUnits", Some(&source), &dissolved).await?;
    }
    rollup::recount_from(db, &regrouped, effective_on).await?;
    get(db, target.id.into()).await
}

/// Moves the current members of cell `from` to cell `to` on `on` (a merge of cells).
async fn transfer_members<C: ConnectionTrait>(db: &C, from: i64, to: i64, on: NaiveDate) -> AppResult<()> {
    let backend = db.get_database_backend();
    db.execute_raw(statement(
        backend,
        "INSERT INTO member_stints (member_id, cell_id, valid_from, valid_to) \
         SELECT member_id, ?, ?, ? FROM member_stints WHERE cell_id = ? AND valid_to = ? AND valid_from < ?",
        vec![to.into(), on.into(), OPEN_END.into(), from.into(), OPEN_END.into(), on.into()],
    ))
    .await?;
    // Stints that began on the merge day itself move whole.
    db.execute_raw(statement(
        backend,
        "UPDATE member_stints SET cell_id = ? WHERE cell_id = ? AND valid_to = ? AND valid_from >= ?",
        vec![to.into(), from.into(), OPEN_END.into(), on.into()],
    ))
    .await?;
    db.execute_raw(statement(
        backend,
        "UPDATE member_stints SET valid_to = ? WHERE cell_id = ? AND valid_to = ?",
        vec![on.into(), from.into(), OPEN_END.into()],
    ))
    .await?;
    Ok(())
}

/// The ancestors of a unit as of `on`, from the province down to its parent.
pub async fn ancestors<C: ConnectionTrait>(db: &C, id: i64, on: NaiveDate) -> AppResult<Vec<unit::Model>> {
    let rows = unit::Model::find_by_statement(statement(
        db.get_database_backend(),
        "SELECT u.* FROM unit_closure c JOIN units u ON u.id = c.ancestor_id \
         WHERE c.descendant_id = ? AND c.depth > 0 AND c.valid_from <= ? AND ? < c.valid_to \
         ORDER BY c.depth DESC",
        vec![id.into(), on.into(), on.into()],
    ))
    .all(db)
    .await?;
    Ok(rows)
}

/// Whether `unit_id` lies in the current subtree of `root_id` (itself included).
pub async fn is_within<C: ConnectionTrait>(db: &C, root_id: i64, unit_id: i64) -> AppResult<bool> {
    is_ancestor_now(db, root_id, unit_id).await
}

/// Whether the unit existed (established, not dissolved) on `on`.
pub fn existed_on(unit: &unit::Model, on: NaiveDate) -> bool {
    unit.established_on <= on && unit.dissolved_on.is_none_or(|dissolved| on < dissolved)
}

/// A level as the value stored in `units.level` and `unit_closure.descendant_level`.
pub(crate) fn level_value(level: UnitLevel) -> Value {
    sea_orm::ActiveEnum::to_value(&level).into()
}

async fn record_event<C, F>(db: &C, unit: &unit::Model, kind: UnitEventKind, on: NaiveDate, fill: F) -> AppResult<()>
where
    C: ConnectionTrait,
    F: FnOnce(&mut unit_event::ActiveModel),
{
    let mut event = unit_event::ActiveModel {
        id: NotSet,
        unit_id: Set(unit.id),
        kind: Set(kind),
        effective_on: Set(on),
        old_name: Set(None),
        new_name: Set(None),
        old_parent_id: Set(None),
        new_parent_id: Set(None),
        other_unit_id: Set(None),
        recorded_at: Set(Utc::now()),
    };
    fill(&mut event);
    event.insert(db).await?;
    Ok(())
}
