//! What a request costs, in points, before anything runs: the limit of one request
//! (`--max-query-complexity`, refused with QUERY_TOO_COMPLEX saying the cost and the limit) and
//! the coin of the per-subject budget (`auth::budget`).
//!
//! A field costs 1 plus, for an object, its selection's cost times how many objects it produces:
//! a connection its page size (`first`/`last`, 20 when not given, 1–100), `nodes(ids:)` the
//! number of IDs, `timeSeries` the number of buckets of the enclosing `stats(period:)`, any other
//! list `OTHER_LIST_ITEMS`. A mutation's root field costs `MUTATION_FIELD_COST` more, and a point
//! per item of a list it is given: it writes.
//!
//! The count walks the document, not its expansion: a named fragment is costed once per place
//! it can differ (the period around it) and the cost reused, so `fragment F2 { ...F1 ...F1 }`
//! doubling 24 times costs a few microseconds to count and 2^24 points, not seconds of CPU
//! (async-graphql's own count expands every spread).

use std::collections::{HashMap, HashSet};

use async_graphql::parser::types::{ExecutableDocument, Field, OperationType, Selection, SelectionSet};
use async_graphql::registry::{MetaType, MetaTypeName, Registry};
use async_graphql::{InputType, Name, Value, Variables};
use chrono::Datelike;

use super::stats::PeriodInput;

/// What one root field of a mutation costs besides its selection.
pub const MUTATION_FIELD_COST: usize = 50;
/// How many items a list without a page size is counted as producing: such lists are short by
/// construction (a breakdown's categories, a unit's ancestors or history, a person's nominations),
/// so their selection is counted once, as a single object's is.
pub const OTHER_LIST_ITEMS: usize = 1;
/// The page size of a connection asked for without `first` or `last`.
const DEFAULT_PAGE: usize = 20;
/// The most buckets a series can list (longer ones are refused: `stats::series::MAX_BUCKETS`).
const MAX_BUCKETS: usize = 120;

/// What a request costs and how deep it nests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Measure {
    /// Points (see the module's comment).
    pub cost: usize,
    /// The deepest nesting of fields, fragments taken as written inline (a top-level field is 1).
    pub depth: usize,
}

/// Measures the operation `operation_name` (or the only one) of `document`, with `variables`.
/// Zero when the operation does not exist (execution then refuses it).
pub fn measure(
    registry: &Registry,
    document: &ExecutableDocument,
    operation_name: Option<&str>,
    variables: &Variables,
) -> Measure {
    let operation = match operation_name {
        Some(name) => document.operations.iter().find(|(n, _)| n.is_some_and(|n| n.as_str() == name)),
        None => document.operations.iter().next(),
    };
    let Some((_, operation)) = operation else { return Measure::default() };
    let root = match operation.node.ty {
        OperationType::Query => Some(registry.query_type.as_str()),
        OperationType::Mutation => registry.mutation_type.as_deref(),
        OperationType::Subscription => registry.subscription_type.as_deref(),
    };
    let Some(root) = root else { return Measure::default() };
    let mut walk = Walk { registry, document, variables, memo: HashMap::new(), open: HashSet::new() };
    let measure = walk.selection_set(&operation.node.selection_set.node, root, None);
    if operation.node.ty != OperationType::Mutation {
        return measure;
    }
    let writes =
        operation.node.selection_set.node.items.iter().fold(0usize, |total, selection| match &selection.node {
            Selection::Field(field) => total.saturating_add(walk.write_cost(&field.node)),
            _ => total,
        });
    Measure { cost: measure.cost.saturating_add(writes), ..measure }
}

/// The document walk, with the cost of each (fragment, months around it) remembered.
struct Walk<'a> {
    registry: &'a Registry,
    document: &'a ExecutableDocument,
    variables: &'a Variables,
    memo: HashMap<(&'a str, Option<usize>), Measure>,
    /// Fragments being costed: a cycle (refused by validation) counts nothing more.
    open: HashSet<&'a str>,
}

impl<'a> Walk<'a> {
    /// `set` on the type `on`, inside a `stats(period:)` of `months` months, if any.
    fn selection_set(&mut self, set: &'a SelectionSet, on: &str, months: Option<usize>) -> Measure {
        set.items.iter().fold(Measure::default(), |total, selection| {
            let measure = match &selection.node {
                Selection::Field(field) => self.field(&field.node, on, months),
                Selection::InlineFragment(inline) => {
                    let on = inline.node.type_condition.as_ref().map_or(on, |c| c.node.on.node.as_str());
                    self.selection_set(&inline.node.selection_set.node, on, months)
                }
                Selection::FragmentSpread(spread) => self.fragment(spread.node.fragment_name.node.as_str(), months),
            };
            Measure { cost: total.cost.saturating_add(measure.cost), depth: total.depth.max(measure.depth) }
        })
    }

    fn fragment(&mut self, name: &'a str, months: Option<usize>) -> Measure {
        if let Some(measure) = self.memo.get(&(name, months)) {
            return *measure;
        }
        let Some(fragment) = self.document.fragments.get(&Name::new(name)) else { return Measure::default() };
        if !self.open.insert(name) {
            return Measure::default();
        }
        let on = fragment.node.type_condition.node.on.node.as_str();
        let cost = self.selection_set(&fragment.node.selection_set.node, on, months);
        self.open.remove(name);
        self.memo.insert((name, months), cost);
        cost
    }

    fn field(&mut self, field: &'a Field, on: &str, months: Option<usize>) -> Measure {
        const LEAF: Measure = Measure { cost: 1, depth: 1 };
        let name = field.name.node.as_str();
        let meta = match self.registry.types.get(on) {
            Some(MetaType::Object { fields, .. } | MetaType::Interface { fields, .. }) => fields.get(name),
            _ => None,
        };
        let Some(meta) = meta else { return LEAF };
        if field.selection_set.node.items.is_empty() {
            return LEAF;
        }
        let months = if name == "stats" { self.period_months(field).or(months) } else { months };
        let child = MetaTypeName::concrete_typename(&meta.ty);
        let items = if meta.args.contains_key("first") || meta.args.contains_key("last") {
            let page = self.int_argument(field, "first").or_else(|| self.int_argument(field, "last"));
            page.map_or(DEFAULT_PAGE, |n| n.clamp(1, 100) as usize)
        } else if name == "timeSeries" {
            self.buckets(field, months)
        } else if name == "nodes" && meta.args.contains_key("ids") {
            self.argument(field, "ids").map_or(1, |ids| match ids {
                Value::List(ids) => ids.len().max(1),
                _ => 1,
            })
        } else if meta.ty.starts_with('[') {
            OTHER_LIST_ITEMS
        } else {
            1
        };
        let children = self.selection_set(&field.selection_set.node, child, months);
        Measure { cost: 1usize.saturating_add(items.saturating_mul(children.cost)), depth: children.depth + 1 }
    }

    /// What a mutation's root field costs for writing: its share, and a point per item of each
    /// list it is given (`setTargets(inputs:)`).
    fn write_cost(&self, field: &Field) -> usize {
        field.arguments.iter().fold(MUTATION_FIELD_COST, |total, (name, _)| match self.argument(field, &name.node) {
            Some(Value::List(items)) => total.saturating_add(items.len()),
            _ => total,
        })
    }

    /// The value of `field`'s argument `name`, its variables substituted.
    fn argument(&self, field: &Field, name: &str) -> Option<Value> {
        let value = field.get_argument(name)?.node.clone();
        value.into_const_with(|variable| self.variables.get(&variable).cloned().ok_or(())).ok()
    }

    fn int_argument(&self, field: &Field, name: &str) -> Option<i64> {
        match self.argument(field, name)? {
            Value::Number(n) => n.as_i64(),
            _ => None,
        }
    }

    /// How many months the `period` of a `stats` field spans, when it resolves.
    fn period_months(&self, field: &Field) -> Option<usize> {
        let input = PeriodInput::parse(Some(self.argument(field, "period")?)).ok()?;
        let period = input.resolve().ok()?;
        let (start, end) = (period.start, period.end);
        let months = i64::from(end.year() - start.year()) * 12 + i64::from(end.month()) - i64::from(start.month()) + 1;
        usize::try_from(months).ok()
    }

    /// The buckets a `timeSeries` lists: by month or by quarter over the enclosing period (the
    /// most a series may list when the period is not known).
    fn buckets(&self, field: &Field, months: Option<usize>) -> usize {
        let Some(months) = months else { return MAX_BUCKETS };
        let by_quarter = matches!(self.argument(field, "granularity"), Some(Value::Enum(g)) if g.as_str() == "QUARTER");
        let buckets = if by_quarter { months.div_ceil(3) + 1 } else { months };
        buckets.clamp(1, MAX_BUCKETS + 1)
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::parser::parse_query;

    use super::*;

    fn cost(query: &str) -> usize {
        let schema = super::super::schema_builder().finish();
        let document = parse_query(query).expect("a document");
        measure(schema.registry(), &document, None, &Variables::default()).cost
    }

    #[test]
    fn a_connection_counts_its_page_and_a_series_its_buckets() {
        assert_eq!(cost("{ unit(code: \"DB\") { name } }"), 2);
        let page = cost("{ people(first: 50) { nodes { fullName } } }");
        assert!(page >= 50, "{page}");
        let year = cost(
            "{ unit(code: \"DB\") { stats(period: { year: 2021 }) { timeSeries(granularity: MONTH) { label admissions } } } }",
        );
        let decade = cost(
            "{ unit(code: \"DB\") { stats(period: { from: \"2016-01-01\", to: \"2025-12-31\" }) { timeSeries(granularity: MONTH) { label admissions } } } }",
        );
        assert_eq!(year, 1 + 1 + (1 + 12 * 2));
        assert_eq!(decade, 1 + 1 + (1 + 120 * 2));
    }

    #[test]
    fn fragment_doubling_is_counted_without_expanding() {
        let mut query = String::from("{ unit(code: \"DB\") { ...F24 } }\nfragment F0 on Unit { name }\n");
        for n in 1..=24 {
            query.push_str(&format!("fragment F{n} on Unit {{ ...F{m} ...F{m} }}\n", m = n - 1));
        }
        let started = std::time::Instant::now();
        assert_eq!(cost(&query), 1 + (1 << 24));
        let schema = super::super::schema_builder().finish();
        let depth = measure(schema.registry(), &parse_query(&query).expect("a document"), None, &Variables::default());
        assert_eq!(depth.depth, 2);
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }

    #[test]
    fn each_mutation_field_costs_its_share() {
        let set =
            "setTarget(input: { target: { unitId: \"x\", kind: ASSIGNED, year: 2021 }, value: 3 }) { __typename }";
        let one = format!("mutation {{ a: {set} }}");
        let two = format!("mutation {{ a: {set} b: {set} }}");
        assert_eq!(cost(&one), MUTATION_FIELD_COST + 1 + 1);
        assert_eq!(cost(&two), 2 * cost(&one));
        // A bulk field pays a point per item on top.
        let bulk = "mutation($t: [SetTargetInput!]!) { setTargets(inputs: $t) { __typename } }";
        let document = parse_query(bulk).expect("a document");
        let item = serde_json::json!({ "target": { "unitId": "x", "kind": "ASSIGNED", "year": 2021 }, "value": 3 });
        let variables = Variables::from_json(serde_json::json!({ "t": vec![item; 300] }));
        let schema = super::super::schema_builder().finish();
        let measured = measure(schema.registry(), &document, None, &variables);
        assert_eq!(measured, Measure { cost: MUTATION_FIELD_COST + 300 + 1 + OTHER_LIST_ITEMS, depth: 2 });
    }
}
