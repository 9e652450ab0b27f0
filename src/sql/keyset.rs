//! Keyset paging both ways: the window a page request names (Relay's `first`/`after` or
//! `last`/`before`), the conditions and order that read it from an index range, and the slice
//! that comes back. A page from the end reads the list's order reversed (`DESC` for `ASC`) with
//! the mirrored conditions and turns the rows round, so the last page, or the page before a
//! cursor, costs what the first page costs: no OFFSET, no scan from the start.

use sea_orm::Value;

/// Which part of a keyset-ordered list to read: the rows strictly between `after` and `before`
/// (each optional), `size` of them, counted from the start, or from the end when `from_end`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Window<P> {
    pub after: Option<P>,
    pub before: Option<P>,
    pub size: u64,
    pub from_end: bool,
}

impl<P> Window<P> {
    /// The first `size` rows of the whole list.
    pub fn first(size: u64) -> Self {
        Window { after: None, before: None, size, from_end: false }
    }

    /// The same window with each position turned by `convert`.
    pub fn map<Q>(&self, mut convert: impl FnMut(&P) -> Q) -> Window<Q> {
        Window {
            after: self.after.as_ref().map(&mut convert),
            before: self.before.as_ref().map(&mut convert),
            size: self.size,
            from_end: self.from_end,
        }
    }

    /// The same window with each position turned by `convert`, which is told which bound
    /// (`"after"` or `"before"`) it converts so that its refusal can say so.
    pub fn try_map<Q, E>(&self, mut convert: impl FnMut(&'static str, &P) -> Result<Q, E>) -> Result<Window<Q>, E> {
        Ok(Window {
            after: self.after.as_ref().map(|position| convert("after", position)).transpose()?,
            before: self.before.as_ref().map(|position| convert("before", position)).transpose()?,
            size: self.size,
            from_end: self.from_end,
        })
    }
}

/// The rows of a window in list order, and whether the list goes on past them in the direction
/// they were counted (after the last row for a window from the start, before the first for one
/// from the end) — known from one row more than the window's size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slice<T> {
    pub rows: Vec<T>,
    pub more: bool,
}

impl<T> Default for Slice<T> {
    /// No rows, and none beyond.
    fn default() -> Self {
        Slice { rows: Vec::new(), more: false }
    }
}

impl<T> Slice<T> {
    /// The slice of up to `size + 1` rows read in reading order (list order, or reversed for a
    /// window from the end).
    pub fn of<P>(mut rows: Vec<T>, window: &Window<P>) -> Self {
        let more = rows.len() as u64 > window.size;
        rows.truncate(window.size as usize);
        if window.from_end {
            rows.reverse();
        }
        Slice { rows, more }
    }

    pub fn map<U>(self, convert: impl FnMut(T) -> U) -> Slice<U> {
        Slice { rows: self.rows.into_iter().map(convert).collect(), more: self.more }
    }

    pub fn try_map<U, E>(self, convert: impl FnMut(T) -> Result<U, E>) -> Result<Slice<U>, E> {
        Ok(Slice { rows: self.rows.into_iter().map(convert).collect::<Result<_, _>>()?, more: self.more })
    }
}

/// The order of a list: by `columns` (the sort key, the id last as tie-breaker), all ascending or
/// all descending. A position in it is the row's values of those columns, in that order.
#[derive(Debug, Clone, Copy)]
pub struct Keyset<'a> {
    pub columns: &'a [&'a str],
    pub descending: bool,
}

impl Keyset<'_> {
    /// `ORDER BY` text (without the keywords) reading `window`: the list order, or its reverse
    /// for a window from the end.
    pub fn order_by<P>(&self, window: &Window<P>) -> String {
        let direction = if self.descending != window.from_end { " DESC" } else { "" };
        self.columns.iter().map(|column| format!("{column}{direction}")).collect::<Vec<_>>().join(", ")
    }

    /// The conditions (each with its values) that keep the rows of `window`: after `after` and
    /// before `before` in list order.
    pub fn conditions(&self, window: &Window<Vec<Value>>) -> Vec<(String, Vec<Value>)> {
        let mut conditions = Vec::new();
        if let Some(after) = &window.after {
            conditions.push(self.beyond(after, !self.descending));
        }
        if let Some(before) = &window.before {
            conditions.push(self.beyond(before, self.descending));
        }
        conditions
    }

    /// Rows greater (`greater`) or smaller than `position`, comparing the columns in turn:
    /// `(k >= ? AND (k > ? OR (k = ? AND id > ?)))` for two.
    fn beyond(&self, position: &[Value], greater: bool) -> (String, Vec<Value>) {
        let cmp = if greater { ">" } else { "<" };
        let mut alternatives = Vec::new();
        let mut values = Vec::new();
        for (index, column) in self.columns.iter().enumerate() {
            let mut parts: Vec<String> = self.columns[..index].iter().map(|equal| format!("{equal} = ?")).collect();
            values.extend(position[..index].iter().cloned());
            parts.push(format!("{column} {cmp} ?"));
            values.push(position.get(index).cloned().unwrap_or(Value::BigInt(None)));
            alternatives.push(if parts.len() == 1 { parts.remove(0) } else { format!("({})", parts.join(" AND ")) });
        }
        let either = format!("({})", alternatives.join(" OR "));
        match (self.columns.first(), position.first()) {
            // The first column's bound again, on its own: implied by the alternatives, but a
            // planner starts an index range on it (`k >= ?`), where it cannot on an `OR` — a deep
            // page then reads from its position instead of the whole list before it (issue 16).
            (Some(first), Some(value)) if self.columns.len() > 1 => {
                values.insert(0, value.clone());
                (format!("({first} {cmp}= ? AND {either})"), values)
            }
            _ => (either, values),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAME_ID: Keyset = Keyset { columns: &["k", "id"], descending: false };

    fn window(after: Option<Vec<Value>>, before: Option<Vec<Value>>, from_end: bool) -> Window<Vec<Value>> {
        Window { after, before, size: 2, from_end }
    }

    #[test]
    fn after_and_before_mirror_each_other() {
        let at = vec![Value::from("b"), Value::from(7i64)];
        let both = NAME_ID.conditions(&window(Some(at.clone()), Some(at), false));
        assert_eq!(both[0].0, "(k >= ? AND (k > ? OR (k = ? AND id > ?)))");
        assert_eq!(both[1].0, "(k <= ? AND (k < ? OR (k = ? AND id < ?)))");
        let b = Value::from("b");
        assert_eq!(both[0].1, vec![b.clone(), b.clone(), b, Value::from(7i64)], "the first column's bound leads");
        let descending = Keyset { columns: &["id"], descending: true };
        let after = descending.conditions(&window(Some(vec![Value::from(7i64)]), None, false));
        assert_eq!(after[0].0, "(id < ?)");
    }

    #[test]
    fn a_window_from_the_end_reads_the_order_reversed_and_turns_the_rows_round() {
        assert_eq!(NAME_ID.order_by(&window(None, None, false)), "k, id");
        assert_eq!(NAME_ID.order_by(&window(None, None, true)), "k DESC, id DESC");
        let descending = Keyset { columns: &["k", "id"], descending: true };
        assert_eq!(descending.order_by(&window(None, None, true)), "k, id");
        // Read from the end: 9, 8, 7 (one more than the size says more rows come before).
        let slice = Slice::of(vec![9, 8, 7], &window(None, None, true));
        assert_eq!(slice, Slice { rows: vec![8, 9], more: true });
        let slice = Slice::of(vec![1, 2], &window(None, None, false));
        assert_eq!(slice, Slice { rows: vec![1, 2], more: false });
    }
}
