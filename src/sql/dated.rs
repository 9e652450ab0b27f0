//! Facts joined to the ancestors their cell had on each fact's date, through the dated closure
//! table: the one shape every flow figure and the rollup's recount share, and the two row shapes
//! (`unit_id, n` and `unit_id, category, n`) grouped statements answer with.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, FromQueryResult, Value};

use super::{id_list, statement};
use crate::error::AppResult;

/// A fact table joined to the ancestors its cell had on the fact's date.
pub struct DatedFacts<'a> {
    /// `FROM` source with its alias and any joins, e.g. `admissions a JOIN persons p ON p.id = a.person_id`.
    pub source: &'a str,
    /// The column holding the fact's cell.
    pub cell: &'a str,
    /// The column holding the fact's date.
    pub date: &'a str,
    /// Extra conditions (with `?` placeholders) and their values.
    pub condition: Option<(&'a str, Vec<Value>)>,
    /// The disclosure key of the person a fact is about (`persons.disclosure_key`), for facts
    /// counted by categories that describe people; a breakdown's categories carry the sum of
    /// their facts' keys (`Category::key`). None where the categories describe no one.
    pub key: Option<&'a str>,
}

/// One category of a grouped count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    /// The category, as stored (an ethnicity, a reason, a month key…).
    pub name: String,
    /// How many facts it counts.
    pub count: i64,
    /// The sum of the disclosure keys of the people counted (`persons.disclosure_key`: random,
    /// kept with each person and never shown). The same people give the same sum wherever they
    /// are counted, so a count perturbed by it (`stats::disclosure`) comes out the same however
    /// the question is put. 0 where the categories describe no one.
    pub key: i64,
}

/// The disclosure key of the person whose id is `person` (a column), read by primary key: for
/// facts whose statement does not join the person already.
pub fn disclosure_key_of(person: &str) -> String {
    format!("(SELECT dk.disclosure_key FROM persons dk WHERE dk.id = {person})")
}

impl Category {
    /// A category of a count whose categories describe no one (its key is 0).
    pub fn new(name: impl Into<String>, count: i64) -> Category {
        Category { name: name.into(), count, key: 0 }
    }
}

/// Which tree a fact is counted on: which units stand above its cell for the count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Tree {
    /// The units above the fact's cell on the fact's own date: a figure of a past period never
    /// changes when the tree is reorganised later (what a sign-off keeps).
    #[default]
    OnFactDate,
    /// The units above the fact's cell on the last counted day: every fact of the period on the
    /// boundaries of its end, so a unit formed by a merger in the period also counts what its
    /// merged predecessors' cells did before the merger ("on the new boundaries").
    OnLastDay,
}

/// One unit and the days its facts are counted on, both included. A list of units usually shares
/// one window; a term counted from each unit's own congress gives each unit its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub unit_id: i64,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The tree the facts are counted on.
    pub tree: Tree,
}

impl Window {
    /// The same days for every unit of `units`, counted on the same tree.
    pub fn shared(units: &[i64], from: NaiveDate, to: NaiveDate, tree: Tree) -> Vec<Window> {
        units.iter().map(|&unit_id| Window { unit_id, from, to, tree }).collect()
    }
}

#[derive(FromQueryResult)]
struct UnitCount {
    unit_id: i64,
    n: i64,
}

#[derive(FromQueryResult)]
struct IndexedCount {
    grouping_index: i32,
    unit_id: i64,
    category: Option<String>,
    n: i64,
    k: i64,
}

#[derive(FromQueryResult)]
struct UnitCategoryCount {
    unit_id: i64,
    category: Option<String>,
    n: i64,
}

#[derive(FromQueryResult)]
struct UnitCategoryKeyed {
    unit_id: i64,
    category: Option<String>,
    n: i64,
    k: i64,
}

/// Counts the facts dated in each window (inclusive) under the window's unit.
pub async fn count_dated<C: ConnectionTrait>(
    db: &C,
    facts: DatedFacts<'_>,
    windows: &[Window],
) -> AppResult<HashMap<i64, i64>> {
    if windows.is_empty() {
        return Ok(HashMap::new());
    }
    let (sql, values) = dated_select(&facts, &Counted::Windows(windows), None);
    fetch_counts(db, &sql, values).await
}

/// Counts the facts dated in each window under the window's unit, by the value of `category`.
pub async fn count_dated_by<C: ConnectionTrait>(
    db: &C,
    facts: DatedFacts<'_>,
    windows: &[Window],
    category: &str,
) -> AppResult<HashMap<i64, Vec<Category>>> {
    if windows.is_empty() {
        return Ok(HashMap::new());
    }
    let (sql, values) = dated_select(&facts, &Counted::Windows(windows), Some(category));
    fetch_keyed_categories(db, &sql, values).await
}

/// Counts the facts dated in each window under the window's unit by each of `categories`, in one
/// statement: one map per category, in their order.
pub async fn count_dated_by_each<C: ConnectionTrait>(
    db: &C,
    facts: DatedFacts<'_>,
    windows: &[Window],
    categories: &[&str],
) -> AppResult<Vec<HashMap<i64, Vec<Category>>>> {
    if windows.is_empty() || categories.is_empty() {
        return Ok(vec![HashMap::new(); categories.len()]);
    }
    let (sql, values) = dated_select_by_each(&facts, &Counted::Windows(windows), categories);
    fetch_by_each(db, &sql, values, categories.len()).await
}

/// Runs a statement selecting `grouping_index, unit_id, category, n, k` (as
/// `dated_select_by_each` writes it): one map per grouping index below `groupings`, each unit's
/// categories largest first.
pub async fn fetch_by_each<C: ConnectionTrait>(
    db: &C,
    sql: &str,
    values: Vec<Value>,
    groupings: usize,
) -> AppResult<Vec<HashMap<i64, Vec<Category>>>> {
    let mut by_category: Vec<HashMap<i64, Vec<Category>>> = vec![HashMap::new(); groupings];
    let rows = IndexedCount::find_by_statement(statement(db.get_database_backend(), sql, values)).all(db).await?;
    for row in rows {
        let counted = Category { name: row.category.unwrap_or_default(), count: row.n, key: row.k };
        if let Some(map) = usize::try_from(row.grouping_index).ok().and_then(|i| by_category.get_mut(i)) {
            map.entry(row.unit_id).or_default().push(counted);
        }
    }
    by_category.iter_mut().for_each(sort_categories);
    Ok(by_category)
}

/// Runs a statement selecting `unit_id, n`.
pub async fn fetch_counts<C: ConnectionTrait>(db: &C, sql: &str, values: Vec<Value>) -> AppResult<HashMap<i64, i64>> {
    let rows = UnitCount::find_by_statement(statement(db.get_database_backend(), sql, values)).all(db).await?;
    Ok(rows.into_iter().map(|row| (row.unit_id, row.n)).collect())
}

/// Runs a statement selecting `unit_id, category, n`; per unit, largest first, then by name, so a
/// dashboard can print the list as it comes.
pub async fn fetch_categories<C: ConnectionTrait>(
    db: &C,
    sql: &str,
    values: Vec<Value>,
) -> AppResult<HashMap<i64, Vec<Category>>> {
    let rows = UnitCategoryCount::find_by_statement(statement(db.get_database_backend(), sql, values)).all(db).await?;
    Ok(by_unit(rows.into_iter().map(|row| (row.unit_id, Category::new(row.category.unwrap_or_default(), row.n)))))
}

/// Runs a statement selecting `unit_id, category, n, k` (`k` the sum of the people's disclosure
/// keys), as `fetch_categories`.
pub async fn fetch_keyed_categories<C: ConnectionTrait>(
    db: &C,
    sql: &str,
    values: Vec<Value>,
) -> AppResult<HashMap<i64, Vec<Category>>> {
    let rows = UnitCategoryKeyed::find_by_statement(statement(db.get_database_backend(), sql, values)).all(db).await?;
    Ok(by_unit(
        rows.into_iter()
            .map(|row| (row.unit_id, Category { name: row.category.unwrap_or_default(), count: row.n, key: row.k })),
    ))
}

/// The categories of each unit, largest first, then by name.
fn by_unit(rows: impl Iterator<Item = (i64, Category)>) -> HashMap<i64, Vec<Category>> {
    let mut by_unit: HashMap<i64, Vec<Category>> = HashMap::new();
    for (unit_id, category) in rows {
        by_unit.entry(unit_id).or_default().push(category);
    }
    sort_categories(&mut by_unit);
    by_unit
}

/// Per unit, largest first, then by name.
fn sort_categories(by_unit: &mut HashMap<i64, Vec<Category>>) {
    for categories in by_unit.values_mut() {
        categories.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    }
}

/// The units a grouped statement counts for: a list, or a whole subtree as it stood on a day
/// (what a sign-off keeps, written by one `INSERT … SELECT` whatever the subtree's size).
#[derive(Debug, Clone, Copy)]
pub enum Units<'a> {
    Ids(&'a [i64]),
    /// The listed units that are not at `level`: those whose figures a summary kept for that
    /// level does not answer.
    IdsNotAt {
        ids: &'a [i64],
        level: &'a str,
    },
    /// `root` and every unit under it on `on`.
    SubtreeOn {
        root: i64,
        on: NaiveDate,
    },
}

impl Units<'_> {
    /// The inside of an `IN (…)` naming the units, and its values.
    pub fn clause(&self) -> (String, Vec<Value>) {
        match *self {
            Units::Ids(ids) => id_list(ids),
            Units::IdsNotAt { ids, level } => {
                let (list, mut values) = id_list(ids);
                values.push(level.into());
                (format!("SELECT u.id FROM units u WHERE u.id IN ({list}) AND u.level <> ?"), values)
            }
            Units::SubtreeOn { root, on } => (
                "SELECT sub.descendant_id FROM unit_closure sub \
                 WHERE sub.ancestor_id = ? AND sub.valid_from <= ? AND ? < sub.valid_to"
                    .to_owned(),
                vec![root.into(), on.into(), on.into()],
            ),
        }
    }
}

/// The units a flow statement counts for, and the days each counts.
#[derive(Debug, Clone, Copy)]
pub enum Counted<'a> {
    /// Each listed unit over its own window (one statement whether the windows differ or not).
    Windows(&'a [Window]),
    /// Every unit of `units` over the same days, `from` to `to`, on the same tree.
    Shared { units: Units<'a>, from: NaiveDate, to: NaiveDate, tree: Tree },
}

/// The grouped statement counting `facts` dated in each counted unit's days under that unit
/// (selecting `unit_id, n`, or `unit_id, category, n, k` with a `category` expression, `k` the sum of the
/// facts' disclosure keys).
pub fn dated_select(facts: &DatedFacts<'_>, counted: &Counted<'_>, category: Option<&str>) -> (String, Vec<Value>) {
    let key = facts.key.map_or_else(|| "0".to_owned(), |key| format!("SUM({key})"));
    let select_category =
        category.map(|c| format!(", {c} AS category, CAST({key} AS BIGINT) AS k")).unwrap_or_default();
    // Grouping by position keeps a long category expression (an age band) written once.
    let group = if category.is_some() { "1, 2" } else { "1" };
    let (with, from, values) = dated_from(facts, counted);
    let with = with.map(|w| format!("WITH {w} ")).unwrap_or_default();
    (format!("{with}SELECT c.ancestor_id AS unit_id{select_category}, COUNT(*) AS n {from} GROUP BY {group}"), values)
}

/// One statement counting the same `facts` by each of several `categories` (selecting
/// `grouping_index, unit_id, category, n`, the index that of the category): the facts are found once,
/// as a common table expression read by one grouped query per category, instead of one statement
/// walking the closure and the facts again for each.
pub fn dated_select_by_each(
    facts: &DatedFacts<'_>,
    counted: &Counted<'_>,
    categories: &[&str],
) -> (String, Vec<Value>) {
    let (with, from, values) = dated_from(facts, counted);
    let columns: String = categories.iter().enumerate().map(|(i, c)| format!(", {c} AS k{i}")).collect();
    let key = facts.key.unwrap_or("0");
    let found = format!("f AS (SELECT c.ancestor_id AS unit_id, {key} AS disclosure_key{columns} {from})");
    let with = with.map_or_else(|| format!("WITH {found}"), |w| format!("WITH {w}, {found}"));
    let groupings: Vec<String> = (0..categories.len())
        .map(|i| {
            format!(
                "SELECT {i} AS grouping_index, unit_id, k{i} AS category, COUNT(*) AS n, \
                 CAST(SUM(disclosure_key) AS BIGINT) AS k FROM f GROUP BY unit_id, k{i}"
            )
        })
        .collect();
    (format!("{with} {}", groupings.join(" UNION ALL ")), values)
}

/// The `FROM … WHERE …` that finds `facts` under each counted unit (one row per fact and unit,
/// the unit as `c.ancestor_id`), with the common table expression it reads when it needs one, and
/// the values of both in the order they appear.
fn dated_from(facts: &DatedFacts<'_>, counted: &Counted<'_>) -> (Option<String>, String, Vec<Value>) {
    let DatedFacts { source, cell, date, condition, .. } = facts;
    let ids: Vec<i64>;
    let counted = match *counted {
        // A list whose windows all agree is counted like any shared list: the simpler statement.
        Counted::Windows(windows) => match windows.first() {
            Some(first) if windows.iter().all(|w| (w.from, w.to, w.tree) == (first.from, first.to, first.tree)) => {
                ids = windows.iter().map(|w| w.unit_id).collect();
                Counted::Shared { units: Units::Ids(&ids), from: first.from, to: first.to, tree: first.tree }
            }
            _ => Counted::Windows(windows),
        },
        shared => shared,
    };
    let (with, mut from, mut values) = match counted {
        Counted::Shared { units, from, to, tree } => {
            let (list, mut values) = units.clause();
            let on = match tree {
                Tree::OnFactDate => (*date).to_owned(),
                Tree::OnLastDay => {
                    values.extend([to.into(), to.into()]);
                    "?".to_owned()
                }
            };
            values.extend([from.into(), to.into()]);
            // Subtree first, then each cell's facts in the date range by a (cell, date) index. SQLite
            // keeps the left table of a CROSS JOIN outside, which without table statistics it would not
            // always choose (it would read every recognised admission through `ix_admissions_outcome`);
            // PostgreSQL plans a CROSS JOIN with a WHERE like any inner join.
            let from = format!(
                "FROM unit_closure c CROSS JOIN {source} \
                 WHERE c.ancestor_id IN ({list}) AND c.descendant_id = {cell} \
                 AND c.valid_from <= {on} AND {on} < c.valid_to AND {date} >= ? AND {date} <= ?"
            );
            (None, from, values)
        }
        Counted::Windows(windows) => {
            // Each unit its own days (a term from each unit's congress): the windows as a table of
            // values, read first, then the subtree and the facts as above — one statement for the list.
            // The windows of one list are counted on one tree (they come from one period).
            let on = match windows.first().map(|w| w.tree).unwrap_or_default() {
                Tree::OnFactDate => *date,
                Tree::OnLastDay => "w.last_day",
            };
            let rows = vec!["(?, ?, ?)"; windows.len()].join(", ");
            let values = windows.iter().flat_map(|w| [w.unit_id.into(), w.from.into(), w.to.into()]).collect();
            let with = format!("w (unit_id, first_day, last_day) AS (VALUES {rows})");
            let from = format!(
                "FROM w CROSS JOIN unit_closure c CROSS JOIN {source} \
                 WHERE c.ancestor_id = w.unit_id AND c.descendant_id = {cell} \
                 AND c.valid_from <= {on} AND {on} < c.valid_to AND {date} >= w.first_day AND {date} <= w.last_day"
            );
            (Some(with), from, values)
        }
    };
    if let Some((condition, condition_values)) = condition {
        from.push_str(" AND ");
        from.push_str(condition);
        values.extend(condition_values.iter().cloned());
    }
    (with, from, values)
}
