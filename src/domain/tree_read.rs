//! Reads of the tree for the API, each written to serve a whole list of parents in one statement
//! (the DataLoaders call these), with keyset pagination on (folded name, id) from either end.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QueryResult, Value,
};
use serde::{Deserialize, Serialize};

use super::pipeline_read::matching;
use super::tree::level_value;
use super::unit_row;
use crate::calendar::OPEN_END;
use crate::entity::unit::{self, UnitLevel};
use crate::entity::unit_event;
use crate::error::AppResult;
use crate::ids::UnitId;
use crate::sql::keyset::{Keyset, Slice, Window};
use crate::sql::query::{Columns, Query};
use crate::sql::{placeholders, statement};

/// A position in a list of units ordered by folded name, then id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NameKey {
    pub name: String,
    pub id: i64,
}

impl NameKey {
    pub fn of(unit: &unit::Model) -> Self {
        NameKey { name: unit.name_search.clone(), id: unit.id }
    }
}

/// Which units a flat list holds.
#[derive(Debug, Clone)]
pub enum UnitSet {
    /// Every province, or with `around`, only the province that unit is in (or is).
    Provinces { around: Option<i64> },
    /// Units of the current subtree of `root` (itself excluded), optionally of one level.
    Descendants { root: i64, level: Option<UnitLevel> },
    /// Units whose folded name contains every word of `text`, or whose code is `text`.
    Search { text: String, level: Option<UnitLevel>, within: Option<i64> },
}

/// Filters shared by every unit list.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListOptions {
    pub include_dissolved: bool,
}

fn unit_set_query(set: &UnitSet, options: ListOptions) -> Query {
    let mut query = Query::new("units u");
    match set {
        UnitSet::Provinces { around } => {
            // The level written into the text, not bound: bound, PostgreSQL's generic plan
            // estimates an average level's quarter-million units, so it plans the statement (and
            // a ranking's row figures with it) again at every call.
            let province = sea_orm::ActiveEnum::to_value(&UnitLevel::Province);
            query.and(format!("u.level = '{province}'"), []);
            if let Some(unit) = around {
                query.and(
                    "u.id IN (SELECT ancestor_id FROM unit_closure WHERE descendant_id = ? AND valid_to = ?)",
                    [(*unit).into(), OPEN_END.into()],
                );
            }
        }
        UnitSet::Descendants { root, level } => {
            query = query.join("JOIN unit_closure c ON c.descendant_id = u.id");
            query.and("c.ancestor_id = ? AND c.valid_to = ? AND c.depth > 0", [(*root).into(), OPEN_END.into()]);
            if let Some(level) = level {
                query.and("c.descendant_level = ?", [level_value(*level)]);
            }
        }
        UnitSet::Search { text, level, within } => {
            if let Some(root) = within {
                query = query.join("JOIN unit_closure c ON c.descendant_id = u.id");
                query.and("c.ancestor_id = ? AND c.valid_to = ?", [(*root).into(), OPEN_END.into()]);
            }
            matching(&mut query, "u.name_search", text, Some("u.code"));
            if let Some(level) = level {
                query.and("u.level = ?", [level_value(*level)]);
            }
        }
    }
    if !options.include_dissolved {
        query.and("u.dissolved_on IS NULL", []);
    }
    query
}

/// The order of every unit list: folded name, then id.
const BY_NAME: Keyset = Keyset { columns: &["u.name_search", "u.id"], descending: false };

/// A window's bounds as the values of (folded name, id).
fn name_bounds(window: &Window<NameKey>) -> Window<Vec<Value>> {
    window.map(|key| vec![key.name.clone().into(), key.id.into()])
}

/// The units of `set` in `window`, in name order.
pub async fn page<C: ConnectionTrait>(
    db: &C,
    set: &UnitSet,
    options: ListOptions,
    window: &Window<NameKey>,
) -> AppResult<Slice<unit::Model>> {
    let rows = unit_set_query(set, options).page(db, unit_row::COLUMNS, BY_NAME, &name_bounds(window)).await?;
    Ok(rows.try_map(|row| unit_row::read(&row))?)
}

/// `page`, each unit with the row of the statement that read it, holding `columns` beside the
/// unit's own (`columns` name the unit `u`; the first at position `unit_row::COUNT`): a list and
/// its figures in one statement.
pub async fn page_with<C: ConnectionTrait>(
    db: &C,
    set: &UnitSet,
    options: ListOptions,
    window: &Window<NameKey>,
    columns: &Columns,
) -> AppResult<Slice<(unit::Model, QueryResult)>> {
    let rows =
        unit_set_query(set, options).page_with(db, unit_row::COLUMNS, columns, BY_NAME, &name_bounds(window)).await?;
    Ok(rows.try_map(|row| unit_row::read(&row).map(|unit| (unit, row)))?)
}

/// The unit with `code` and the page `window` of its children, each child with the row of the
/// statement that read it, holding `columns` beside the child's own (`columns` name the child
/// `u`; the first at position `unit_row::COUNT`): a drill-down's unit, its rows and their figures
/// in one statement. None when no unit has the code.
pub async fn children_of_code<C: ConnectionTrait>(
    db: &C,
    code: &str,
    options: ListOptions,
    window: &Window<NameKey>,
    columns: &Columns,
) -> AppResult<Option<(unit::Model, Slice<(unit::Model, QueryResult)>)>> {
    // The parent is the union's first part, marked, with nulls for the children's columns; the
    // children are a keyset page as `children_pages` reads it, its parent found by code inside.
    let (unit_columns, null_columns) = (unit_row::COLUMNS, columns.nulls());
    let mut values = vec![code.to_owned().into()];
    values.extend(columns.values.iter().cloned());
    values.extend(columns.join_values.iter().cloned());
    let mut children = format!(
        "SELECT {unit_columns}{}, 0 AS is_parent FROM units u{} WHERE u.parent_id IN \
         (SELECT p.id FROM units p WHERE p.code = ?)",
        columns.after_comma(),
        columns.joins
    );
    values.push(code.to_owned().into());
    push_child_filters(&mut children, &mut values, options, window);
    let reading_order = BY_NAME.order_by(window);
    values.push(((window.size + 1) as i64).into());
    let list_order = Keyset { columns: &["name_search", "id"], ..BY_NAME }.order_by(window);
    let sql = format!(
        "SELECT {unit_columns}{null_columns}, 1 AS is_parent FROM units u WHERE u.code = ? \
         UNION ALL SELECT * FROM ({children} ORDER BY {reading_order} LIMIT ?) page \
         ORDER BY is_parent DESC, {list_order}"
    );
    let rows = db.query_all_raw(statement(db.get_database_backend(), &sql, values)).await?;
    let mut rows = rows.into_iter();
    let Some(parent) = rows.next() else { return Ok(None) };
    let parent = unit_row::read(&parent)?;
    let children = rows.map(|row| unit_row::read(&row).map(|unit| (unit, row))).collect::<Result<Vec<_>, _>>()?;
    Ok(Some((parent, Slice::of(children, window))))
}

/// Appends to a statement reading children (`u`) the conditions every children page has: active
/// units only unless `options` include the dissolved, and the keyset bounds of `window`, with
/// their values.
fn push_child_filters(sql: &mut String, values: &mut Vec<Value>, options: ListOptions, window: &Window<NameKey>) {
    if !options.include_dissolved {
        sql.push_str(" AND u.dissolved_on IS NULL");
    }
    for (condition, bound) in BY_NAME.conditions(&name_bounds(window)) {
        sql.push_str(&format!(" AND {condition}"));
        values.extend(bound);
    }
}

/// The number of units in `set`.
pub async fn count<C: ConnectionTrait>(db: &C, set: &UnitSet, options: ListOptions) -> AppResult<u64> {
    unit_set_query(set, options).count(db).await
}

/// Units by id.
pub async fn by_ids<C: ConnectionTrait>(db: &C, ids: &[UnitId]) -> AppResult<HashMap<UnitId, unit::Model>> {
    let units = unit::Entity::find().filter(unit::Column::Id.is_in(ids.iter().copied())).all(db).await?;
    Ok(units.into_iter().map(|unit| (UnitId::from(unit.id), unit)).collect())
}

/// Units by code (as given: callers trim); codes without a unit are absent.
pub async fn by_codes<C: ConnectionTrait>(db: &C, codes: &[String]) -> AppResult<HashMap<String, unit::Model>> {
    let units = unit::Entity::find().filter(unit::Column::Code.is_in(codes.iter().cloned())).all(db).await?;
    Ok(units.into_iter().map(|unit| (unit.code.clone(), unit)).collect())
}

/// The children of many parents at once: for each parent, its children in `window` (one
/// statement, each parent's window counted by `ROW_NUMBER` over the window's reading order).
pub async fn children_pages<C: ConnectionTrait>(
    db: &C,
    parent_ids: &[UnitId],
    options: ListOptions,
    window: &Window<NameKey>,
) -> AppResult<HashMap<UnitId, Slice<unit::Model>>> {
    if parent_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut values: Vec<Value> = parent_ids.iter().map(|id| (*id).into()).collect();
    let reading_order = BY_NAME.order_by(window);
    let mut inner = format!(
        "SELECT {}, ROW_NUMBER() OVER (PARTITION BY u.parent_id ORDER BY {reading_order}) AS rn \
         FROM units u WHERE u.parent_id IN ({})",
        unit_row::COLUMNS,
        placeholders(parent_ids.len())
    );
    push_child_filters(&mut inner, &mut values, options, window);
    values.push(((window.size + 1) as i64).into());
    let sql = format!("SELECT * FROM ({inner}) u WHERE rn <= ? ORDER BY u.parent_id, {reading_order}");
    let rows = db.query_all_raw(statement(db.get_database_backend(), &sql, values)).await?;
    let mut read: HashMap<UnitId, Vec<unit::Model>> = HashMap::new();
    for unit in rows.iter().map(unit_row::read) {
        let unit = unit?;
        if let Some(parent) = unit.parent_id {
            read.entry(UnitId::from(parent)).or_default().push(unit);
        }
    }
    Ok(read.into_iter().map(|(parent, rows)| (parent, Slice::of(rows, window))).collect())
}

/// The units that were directly below `parent` at any time from `from` to `to` (inclusive) while
/// they existed — a period's ranking lists the units of that period, including one dissolved or
/// merged away during it, in name order.
pub async fn children_during<C: ConnectionTrait>(
    db: &C,
    parent: UnitId,
    from: NaiveDate,
    to: NaiveDate,
    limit: u64,
) -> AppResult<Vec<unit::Model>> {
    // A merged-away unit is hung under its target from its dissolution day: that link is not a
    // period of it being a child, hence `c.valid_from < dissolved_on`.
    let sql = "SELECT u.* FROM unit_closure c JOIN units u ON u.id = c.descendant_id \
         WHERE c.ancestor_id = ? AND c.depth = 1 AND c.valid_from <= ? AND ? < c.valid_to \
         AND u.established_on <= ? AND (u.dissolved_on IS NULL OR (u.dissolved_on > ? AND c.valid_from < u.dissolved_on)) \
         GROUP BY u.id ORDER BY u.name_search, u.id LIMIT ?";
    let values = vec![parent.into(), to.into(), from.into(), to.into(), from.into(), (limit as i64).into()];
    Ok(unit::Model::find_by_statement(statement(db.get_database_backend(), sql, values)).all(db).await?)
}

#[derive(FromQueryResult)]
struct ParentCount {
    parent_id: i64,
    n: i64,
}

/// The number of children of many parents at once.
pub async fn child_counts<C: ConnectionTrait>(
    db: &C,
    parent_ids: &[UnitId],
    options: ListOptions,
) -> AppResult<HashMap<UnitId, u64>> {
    if parent_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut sql =
        format!("SELECT parent_id, COUNT(*) AS n FROM units WHERE parent_id IN ({})", placeholders(parent_ids.len()));
    if !options.include_dissolved {
        sql.push_str(" AND dissolved_on IS NULL");
    }
    sql.push_str(" GROUP BY parent_id");
    let values = parent_ids.iter().map(|id| (*id).into()).collect();
    let rows = ParentCount::find_by_statement(statement(db.get_database_backend(), &sql, values)).all(db).await?;
    Ok(rows.into_iter().map(|row| (UnitId::from(row.parent_id), row.n.max(0) as u64)).collect())
}

#[derive(FromQueryResult)]
struct AncestorRow {
    descendant_id: i64,
    ancestor_id: i64,
}

/// The ancestors of many units as of one date, province first.
pub async fn ancestors_on<C: ConnectionTrait>(
    db: &C,
    unit_ids: &[UnitId],
    on: NaiveDate,
) -> AppResult<HashMap<UnitId, Vec<UnitId>>> {
    if unit_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut values: Vec<Value> = unit_ids.iter().map(|id| (*id).into()).collect();
    values.extend([on.into(), on.into()]);
    let sql = format!(
        "SELECT descendant_id, ancestor_id FROM unit_closure WHERE descendant_id IN ({}) \
         AND depth > 0 AND valid_from <= ? AND ? < valid_to ORDER BY descendant_id, depth DESC",
        placeholders(unit_ids.len())
    );
    let rows = AncestorRow::find_by_statement(statement(db.get_database_backend(), &sql, values)).all(db).await?;
    let mut paths: HashMap<UnitId, Vec<UnitId>> = HashMap::new();
    for row in rows {
        paths.entry(UnitId::from(row.descendant_id)).or_default().push(UnitId::from(row.ancestor_id));
    }
    Ok(paths)
}

/// The history of many units, oldest first.
pub async fn events<C: ConnectionTrait>(
    db: &C,
    unit_ids: &[UnitId],
) -> AppResult<HashMap<UnitId, Vec<unit_event::Model>>> {
    let rows = unit_event::Entity::find()
        .filter(unit_event::Column::UnitId.is_in(unit_ids.iter().copied()))
        .order_by_asc(unit_event::Column::EffectiveOn)
        .order_by_asc(unit_event::Column::Id)
        .all(db)
        .await?;
    let mut by_unit: HashMap<UnitId, Vec<unit_event::Model>> = HashMap::new();
    for event in rows {
        by_unit.entry(UnitId::from(event.unit_id)).or_default().push(event);
    }
    Ok(by_unit)
}
