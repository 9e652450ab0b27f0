//! The statements that write the dated ancestry in `unit_closure`: a new unit's rows, and the
//! rows a move closes and opens, each one set-based statement whatever the subtree's size.

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, FromQueryResult, Value};

use crate::calendar::OPEN_END;
use crate::entity::unit::{self, UnitLevel};
use crate::error::{AppError, AppResult};
use crate::rules::Rule;
use crate::sql::statement;

/// A level as the value stored in `units.level` and `unit_closure.descendant_level`.
pub(crate) fn level_value(level: UnitLevel) -> Value {
    sea_orm::ActiveEnum::to_value(&level).into()
}

/// A new unit's rows: its self row, then its parent's ancestry from its establishment date on,
/// one level deeper.
pub(super) async fn open_for_new<C: ConnectionTrait>(
    db: &C,
    created: &unit::Model,
    parent: Option<&unit::Model>,
) -> AppResult<()> {
    let backend = db.get_database_backend();
    let established_on = created.established_on;
    db.execute_raw(statement(
        backend,
        "INSERT INTO unit_closure (ancestor_id, descendant_id, depth, descendant_level, valid_from, valid_to) \
         VALUES (?, ?, 0, ?, ?, ?)",
        vec![created.id.into(), created.id.into(), level_value(created.level), established_on.into(), OPEN_END.into()],
    ))
    .await?;
    if let Some(parent) = parent {
        db.execute_raw(statement(
            backend,
            "INSERT INTO unit_closure (ancestor_id, descendant_id, depth, descendant_level, valid_from, valid_to) \
             SELECT ancestor_id, ?, depth + 1, ?, CASE WHEN valid_from > ? THEN valid_from ELSE ? END, valid_to \
             FROM unit_closure WHERE descendant_id = ? AND valid_to > ?",
            vec![
                created.id.into(),
                level_value(created.level),
                established_on.into(),
                established_on.into(),
                parent.id.into(),
                established_on.into(),
            ],
        ))
        .await?;
    }
    Ok(())
}

/// History is append-only: a move of `unit` under `new_parent` cannot take effect before the
/// latest change to the ancestry of the subtree being moved or of its new parent.
pub(super) async fn ensure_after_last_change<C: ConnectionTrait>(
    db: &C,
    unit: &unit::Model,
    new_parent: &unit::Model,
    on: NaiveDate,
) -> AppResult<()> {
    #[derive(FromQueryResult)]
    struct Latest {
        latest: Option<NaiveDate>,
    }
    let latest = Latest::find_by_statement(statement(
        db.get_database_backend(),
        // A UNION, not `descendant_id = ? OR descendant_id IN (…)`: PostgreSQL scanned the whole
        // closure for the OR (12 ms a move at province scale), and a reorganisation moves thousands.
        "SELECT MAX(valid_from) AS latest FROM unit_closure WHERE valid_to = ? AND descendant_id IN \
         (SELECT descendant_id FROM unit_closure WHERE ancestor_id = ? AND valid_to = ? \
          UNION ALL SELECT id FROM units WHERE id = ?)",
        vec![OPEN_END.into(), unit.id.into(), OPEN_END.into(), new_parent.id.into()],
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
    Ok(())
}

/// Moves the subtree of `unit` under `new_parent` on `on`: closes the links between the subtree
/// and its old ancestors, then opens links from every ancestor of the new parent (itself
/// included) to every unit of the subtree.
pub(super) async fn move_subtree<C: ConnectionTrait>(
    db: &C,
    unit: &unit::Model,
    new_parent: &unit::Model,
    on: NaiveDate,
) -> AppResult<()> {
    let backend = db.get_database_backend();
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
    // A link opened and closed on the same day never held. Only the subtree's links just closed
    // can be such (a scan of the whole table per move made a national reorganisation crawl).
    db.execute_raw(statement(
        backend,
        "DELETE FROM unit_closure WHERE valid_to = ? AND valid_from >= ? \
         AND descendant_id IN (SELECT descendant_id FROM unit_closure WHERE ancestor_id = ? AND valid_to = ?)",
        vec![on.into(), on.into(), unit.id.into(), OPEN_END.into()],
    ))
    .await?;
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
    Ok(())
}
