//! A unit asked by code with its children, read in one statement (issue 16, item 4): when
//! `unit(code:)`'s selection asks for `children`, the unit, that page of its children and the
//! row figures their nodes ask for are read together (`tree_read::children_of_code`), and each
//! part is kept as the answer of the loader that would have read it — the unit by code, the
//! children page, each row's figures — for this request and in the shared read cache. The
//! fields then resolve as before and find everything read: a drill-down costs one statement
//! where it cost three, one after the other.
//!
//! Reading together only saves work: the unit's own field still checks the caller's reach before
//! anything is shown, `children` still guards, and a row's `stats` still refuses a unit outside
//! the scope. When the shared cache already knows the unit, everything is read through the
//! loaders (and normally found in the cache); when the children's arguments are not valid, the
//! field reports that itself and the unit is read alone.

use async_graphql::{Context, Result, SelectionField, Value};

use crate::domain::Window;
use crate::domain::tree_read::{self, ListOptions, NameKey};
use crate::entity::unit;
use crate::graphql::context::{database, loaders};
use crate::graphql::loaders::{ChildrenPage, TreeLoader, UnitCode, UnitLoader};
use crate::graphql::pagination::PageArgs;
use crate::graphql::stats::read_ahead;

/// The unit with `code` (trimmed by the caller), read with the children page its selection asks
/// for when it asks for one; None when no unit has the code.
pub async fn unit_by_code(ctx: &Context<'_>, code: &str) -> Result<Option<unit::Model>> {
    let loaders = loaders(ctx)?;
    let key = UnitCode(code.to_owned());
    let children = ctx.look_ahead().field("children");
    let Some((options, window)) = children.selection_fields().first().and_then(page_asked) else {
        return Ok(loaders.units.load_one(key).await?);
    };
    let shared = loaders.shared_cache();
    let mut lookup = shared.lookup::<UnitLoader, UnitCode, unit::Model>(std::slice::from_ref(&key));
    if lookup.missing.is_empty() {
        // The cache knows the unit (or that there is none): answered from this lookup rather
        // than looked up again through the loader; the page is read through its loader.
        let found = lookup.found.remove(&key);
        if let Some(unit) = &found {
            loaders.units.feed_one(key, unit.clone()).await;
        }
        return Ok(found);
    }
    let figures = read_ahead::columns_under(ctx, children)?;
    let db = database(ctx)?;
    let Some((parent, rows)) = tree_read::children_of_code(db, code, options, &window, figures.columns()).await? else {
        shared.store::<UnitLoader, UnitCode, unit::Model>(lookup.ticket, [(key, None)]);
        return Ok(None);
    };
    let rows = read_ahead::keep(ctx, &figures, rows, lookup.ticket).await?;
    let page = ChildrenPage { parent_id: parent.id.into(), include_dissolved: options.include_dissolved, window };
    shared.store::<TreeLoader, _, _>(lookup.ticket, [(page.clone(), Some(rows.clone()))]);
    shared.store::<UnitLoader, _, _>(lookup.ticket, [(key.clone(), Some(parent.clone()))]);
    loaders.tree.feed_one(page, rows).await;
    loaders.units.feed_one(key, parent.clone()).await;
    Ok(Some(parent))
}

/// The options and window a `children` field's arguments name, as its resolver reads them; None
/// when they are not valid (the field refuses them itself).
fn page_asked(field: &SelectionField<'_>) -> Option<(ListOptions, Window<NameKey>)> {
    let mut page = PageArgs { first: None, after: None, last: None, before: None };
    let mut include_dissolved = false;
    for (name, value) in field.arguments().ok()? {
        match (name.as_str(), value) {
            (_, Value::Null) => {}
            ("first", Value::Number(n)) => page.first = Some(i32::try_from(n.as_i64()?).ok()?),
            ("last", Value::Number(n)) => page.last = Some(i32::try_from(n.as_i64()?).ok()?),
            ("after", Value::String(cursor)) => page.after = Some(cursor),
            ("before", Value::String(cursor)) => page.before = Some(cursor),
            ("includeDissolved", Value::Boolean(include)) => include_dissolved = include,
            _ => return None,
        }
    }
    Some((ListOptions { include_dissolved }, page.window().ok()?))
}
