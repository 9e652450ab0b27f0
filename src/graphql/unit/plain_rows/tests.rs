//! The plain rows' compiler, on parsed documents and the schema's own types.

use async_graphql::Variables;
use async_graphql::parser::parse_query;
use async_graphql::parser::types::ExecutableDocument;
use serde_json::json;

use super::*;
use crate::domain::period::PeriodSpec;
use crate::graphql::stats::period::Boundaries;

/// A document and its variables, read the way execution reads them.
struct Parsed<'a> {
    document: &'a ExecutableDocument,
    variables: Variables,
    registry: &'a Registry,
}

impl<'a> Request<'a> for Parsed<'a> {
    fn fragment(&self, name: &str) -> Option<&'a Positioned<FragmentDefinition>> {
        self.document.fragments.get(name)
    }

    fn registry(&self) -> &Registry {
        self.registry
    }

    fn argument<T: InputType>(
        &self,
        field: &'a Positioned<Field>,
        name: &str,
        default: Option<fn() -> T>,
    ) -> Option<T> {
        match (field.node.get_argument(name), default) {
            (Some(value), _) => {
                let value = value.node.clone().into_const_with(|name| self.variables.get(&name).cloned().ok_or(()));
                T::parse(Some(value.ok()?)).ok()
            }
            (None, Some(default)) => Some(default()),
            (None, None) => T::parse(None).ok(),
        }
    }
}

/// The plan of the nodes' selection in `provinces(first: 100) { nodes { … } }`.
fn plan_of(document: &str, variables: serde_json::Value) -> Option<UnitPlan> {
    let document = parse_query(document).expect("the document parses");
    let schema = crate::graphql::schema_builder().finish();
    let request =
        Parsed { document: &document, variables: Variables::from_json(variables), registry: schema.registry() };
    let (_, operation) = document.operations.iter().next().expect("an operation");
    fn child<'d>(selection: &'d Positioned<SelectionSet>, name: &str) -> Option<&'d Positioned<SelectionSet>> {
        selection.node.items.iter().find_map(|item| match &item.node {
            Selection::Field(field) if field.node.name.node == name => Some(&field.node.selection_set),
            _ => None,
        })
    }
    let provinces = child(&operation.node.selection_set, "provinces").expect("provinces");
    UnitPlan::compile(&request, child(provinces, "nodes").expect("nodes"))
}

fn nodes(selection: &str) -> String {
    format!("query($year: Int!, $kind: TargetKind!) {{ provinces(first: 100) {{ nodes {{ {selection} }} }} }}")
}

fn key(name: &str) -> Name {
    Name::new(name)
}

/// The period `spec` as `stats(period:)` resolves it (dated boundaries, no `asOf`).
fn period(spec: PeriodSpec) -> Period {
    Period::resolve(spec, None).expect("the period resolves").on_tree(Boundaries::default().into())
}

#[test]
fn the_national_ranking_is_plain_rows() {
    let plan = plan_of(
        &nodes("code name stats(period: { year: $year }) { admissions assignedTarget attainment { ratio percent } }"),
        json!({ "year": 2025, "kind": "ASSIGNED" }),
    );
    let stats = StatsPlan {
        period: period(PeriodSpec::Year(2025)),
        shape: Shape::new(vec![
            (key("admissions"), StatsField::Admissions),
            (key("assignedTarget"), StatsField::Target(TargetKind::Assigned)),
            (
                key("attainment"),
                StatsField::Attainment(
                    TargetKind::Assigned,
                    Shape::new(vec![
                        (key("ratio"), AttainmentField::Ratio),
                        (key("percent"), AttainmentField::Percent),
                    ]),
                ),
            ),
        ]),
    };
    let fields =
        vec![(key("code"), UnitField::Code), (key("name"), UnitField::Name), (key("stats"), UnitField::Stats(stats))];
    assert_eq!(plan, Some(UnitPlan { shape: Shape::new(fields) }));
}

/// "CollectFields": aliases name the keys, and fragments that apply to a `Unit` (on `Unit`,
/// on the `Node` interface it implements, without a condition) are seen through in place.
/// (One on another type is left out; validation refuses it under a `Unit` anyway.)
#[test]
fn aliases_and_fragments_are_seen_through_as_execution_collects_them() {
    let document = format!(
        "{} fragment Row on Unit {{ level ... on Target {{ value }} }}",
        nodes(
            "__typename c: code ... on Node { id } ...Row ... { name }
             s: stats(period: { year: 2024, quarter: 2 }) { __typename a: attainment(against: $kind) { target difference } }"
        )
    );
    let plan = plan_of(&document, json!({ "year": 2025, "kind": "RESOLUTION" })).expect("plain rows");
    let keys: Vec<&str> = plan.shape.fields.iter().map(|(key, _)| key.as_str()).collect();
    assert_eq!(keys, ["__typename", "c", "id", "level", "name", "s"]);
    let Some((_, UnitField::Stats(stats))) = plan.shape.fields.last() else { panic!("stats last: {plan:?}") };
    assert_eq!(stats.period, period(PeriodSpec::Quarter(2024, 2)));
    let attainment =
        Shape::new(vec![(key("target"), AttainmentField::Target), (key("difference"), AttainmentField::Difference)]);
    assert_eq!(
        stats.shape.fields,
        [
            (key("__typename"), StatsField::Typename),
            (key("a"), StatsField::Attainment(TargetKind::Resolution, attainment))
        ]
    );
}

/// Whatever a plain row does not answer leaves the list to the resolvers, which answer it
/// (or report what is wrong with it) as before.
#[test]
fn anything_else_is_left_to_the_resolvers() {
    let variables = json!({ "year": 2025, "kind": "ASSIGNED" });
    for selection in [
        // A field that needs the caller's scope checked, or a read.
        "code kind",
        "code parent { code }",
        "stats(period: { year: 2025 }) { recognitions }",
        "stats(period: { year: 2025 }) { attainment { ratio } ranking { rank } }",
        // One response key twice: its selections are merged by execution.
        "code code",
        "stats(period: { year: 2025 }) { admissions } stats(period: { year: 2025 }) { assignedTarget }",
        // A term counts from each unit's congresses; a period that does not resolve is an error.
        "stats(period: { term: { startYear: 2020, endYear: 2025 } }) { admissions }",
        "stats(period: { year: 2025, half: 1, quarter: 1 }) { admissions }",
    ] {
        assert_eq!(plan_of(&nodes(selection), variables.clone()), None, "{selection}");
    }
}
