//! Plain rows (issue 16, item 4): a list of units whose nodes ask only for what the list already
//! holds — each unit's `id`, `code`, `name` and `level`, and the row figures its statement read
//! ahead (`stats(period) { admissions assignedTarget resolutionTarget attainment { … } }`) —
//! is answered as values, row after row, instead of through a future, a context and a resolver
//! call per field. A national ranking is 63 rows of 8 fields: those 506 resolutions, each boxed
//! and polled, were a third of what the server spent on it.
//!
//! The selection is compiled once per list (`UnitPlan::compile`): aliases, `__typename`, inline
//! fragments and fragment spreads whose type condition applies to the type are seen through, as
//! execution sees them ("CollectFields"), and fragments of other types are left out. Anything
//! else — another field, a custom directive, one response key asked twice (whose selections
//! would have to be merged), an argument that does not parse, a term (each unit's own congress
//! dates need a read), a caller whose scope is not the whole country (each unit's `stats`
//! needs its scope checked), a row whose figures were not read ahead — and the list resolves
//! field by field as before. So the plain path only ever answers what the resolvers would have
//! answered, with the same values: they come from the same `UnitStats` read-ahead helpers and
//! the same `Attainment`, and go out through the same scalar conversions.

use async_graphql::indexmap::IndexMap;
use async_graphql::parser::types::{Field, FragmentDefinition, Selection, SelectionSet};
use async_graphql::registry::Registry;
use async_graphql::resolver_utils::enum_value;
use async_graphql::{ContextSelectionSet, InputType, Name, OutputType, Positioned, ScalarType, Value};

use super::types::Unit;
use crate::auth::{Principal, Scope};
use crate::domain::period::Period;
use crate::entity::target::TargetKind;
use crate::entity::unit;
use crate::graphql::ids::{NodeKind, to_global};
use crate::graphql::loaders::Loaders;
use crate::graphql::stats::period::PeriodInput;
use crate::graphql::stats::unit_stats::UnitStats;
use crate::stats::attainment::Attainment;

/// What a compiled selection needs of the request it runs in: its fragments, which types a type
/// condition applies to, and its arguments' values (variables substituted, defaults applied).
pub trait Request<'a> {
    /// The fragment named `name`.
    fn fragment(&self, name: &str) -> Option<&'a Positioned<FragmentDefinition>>;
    /// The schema's types, to tell whether a type condition applies.
    fn registry(&self) -> &Registry;
    /// The argument `name` of `field` as `T`, `default` when it is absent; None when it does not
    /// parse (the resolvers report that).
    fn argument<T: InputType>(&self, field: &'a Positioned<Field>, name: &str, default: Option<fn() -> T>)
    -> Option<T>;
}

impl<'a> Request<'a> for ContextSelectionSet<'a> {
    fn fragment(&self, name: &str) -> Option<&'a Positioned<FragmentDefinition>> {
        self.query_env.fragments.get(name)
    }

    fn registry(&self) -> &Registry {
        &self.schema_env.registry
    }

    fn argument<T: InputType>(
        &self,
        field: &'a Positioned<Field>,
        name: &str,
        default: Option<fn() -> T>,
    ) -> Option<T> {
        self.with_field(field).param_value(name, default).ok().map(|(_, value)| value)
    }
}

/// A unit's fields a plain row answers.
#[derive(Debug, Clone, PartialEq)]
enum UnitField {
    Typename,
    Id,
    Code,
    Name,
    Level,
    Stats(StatsPlan),
}

/// `stats(period:)`: the period, and the `UnitStats` fields asked of it.
#[derive(Debug, Clone, PartialEq)]
struct StatsPlan {
    period: Period,
    shape: Shape<StatsField>,
}

#[derive(Debug, Clone, PartialEq)]
enum StatsField {
    Typename,
    Admissions,
    Target(TargetKind),
    Attainment(TargetKind, Shape<AttainmentField>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum AttainmentField {
    Typename,
    Target,
    Admissions,
    Ratio,
    Percent,
    Difference,
    ExceededByPercent,
}

/// An object's selection, compiled: the response keys in the order the selection asks for them,
/// each with what answers it, and the object they make with every value null. Each answer is a
/// copy of that object with its values set in place: building it key by key would hash every
/// key again (with SipHash: `Value::Object` is an `IndexMap` of the default hasher), for each row.
#[derive(Debug, Clone, PartialEq)]
struct Shape<F> {
    fields: Vec<(Name, F)>,
    template: IndexMap<Name, Value>,
}

impl<F> Shape<F> {
    fn new(fields: Vec<(Name, F)>) -> Self {
        let template = fields.iter().map(|(key, _)| (key.clone(), Value::Null)).collect();
        Shape { fields, template }
    }

    /// The object whose value at each key is `answer`'s for its field; None when one is None.
    fn answer(&self, mut answer: impl FnMut(&F) -> Option<Value>) -> Option<Value> {
        let mut object = self.template.clone();
        for (value, (_, field)) in object.values_mut().zip(&self.fields) {
            *value = answer(field)?;
        }
        Some(Value::Object(object))
    }
}

/// A unit's selection, compiled.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitPlan {
    shape: Shape<UnitField>,
}

impl UnitPlan {
    /// The plan of `selection` (a `Unit`'s selection set in `request`); None when a plain row
    /// cannot answer it.
    pub fn compile<'a>(request: &impl Request<'a>, selection: &'a Positioned<SelectionSet>) -> Option<UnitPlan> {
        let shape = compile_fields(request, selection, &Unit::type_name(), |field| {
            Some(match field.node.name.node.as_str() {
                "__typename" => UnitField::Typename,
                "id" => UnitField::Id,
                "code" => UnitField::Code,
                "name" => UnitField::Name,
                "level" => UnitField::Level,
                "stats" => UnitField::Stats(compile_stats(request, field)?),
                _ => return None,
            })
        })?;
        Some(UnitPlan { shape })
    }

    /// Whether the plan reads figures: then each unit's `stats` checks the caller's scope.
    fn reads_figures(&self) -> bool {
        self.shape.fields.iter().any(|(_, field)| matches!(field, UnitField::Stats(_)))
    }

    /// The rows of `units` as the plan answers them; None when one of them cannot be answered
    /// plainly (its figures were not read ahead) or the caller's scope is not the whole
    /// country while figures are asked.
    pub fn rows<'u>(
        &self,
        units: impl ExactSizeIterator<Item = &'u unit::Model>,
        loaders: &Loaders,
        principal: Option<&Principal>,
    ) -> Option<Vec<Value>> {
        if self.reads_figures() && principal.is_none_or(|principal| principal.scope != Scope::Country) {
            return None;
        }
        let mut rows = Vec::with_capacity(units.len());
        for unit in units {
            rows.push(self.row(unit, loaders)?);
        }
        Some(rows)
    }

    fn row(&self, unit: &unit::Model, loaders: &Loaders) -> Option<Value> {
        self.shape.answer(|field| {
            Some(match field {
                UnitField::Typename => Value::String(Unit::type_name().into_owned()),
                UnitField::Id => scalar(&to_global(NodeKind::Unit, unit.id)),
                UnitField::Code => Value::String(unit.code.clone()),
                UnitField::Name => Value::String(unit.name.clone()),
                UnitField::Level => enum_value(unit.level),
                UnitField::Stats(stats) => stats.value(UnitStats::read_ahead(loaders, unit.id, stats.period))?,
            })
        })
    }
}

impl StatsPlan {
    fn value(&self, stats: UnitStats) -> Option<Value> {
        self.shape.answer(|field| {
            Some(match field {
                StatsField::Typename => Value::String(UnitStats::type_name().into_owned()),
                StatsField::Admissions => scalar(&stats.admissions_read_ahead()?),
                StatsField::Target(kind) => {
                    stats.target_read_ahead(*kind)?.map_or(Value::Null, |target| scalar(&target))
                }
                StatsField::Attainment(kind, shape) => {
                    let attainment = Attainment::new(stats.admissions_read_ahead()?, stats.target_read_ahead(*kind)?);
                    attainment.map_or(Some(Value::Null), |attainment| attainment_value(&attainment, shape))?
                }
            })
        })
    }
}

fn attainment_value(attainment: &Attainment, shape: &Shape<AttainmentField>) -> Option<Value> {
    shape.answer(|field| {
        Some(match field {
            AttainmentField::Typename => Value::String(Attainment::type_name().into_owned()),
            AttainmentField::Target => scalar(&attainment.target),
            AttainmentField::Admissions => scalar(&attainment.admissions),
            AttainmentField::Ratio => scalar(&attainment.ratio),
            AttainmentField::Percent => scalar(&attainment.percent),
            AttainmentField::Difference => scalar(&attainment.difference),
            AttainmentField::ExceededByPercent => scalar(&attainment.exceeded_by_percent),
        })
    })
}

/// A scalar's value as its `OutputType` gives it.
fn scalar(value: &impl ScalarType) -> Value {
    ScalarType::to_value(value)
}

/// `stats(period:)` and its selection; None for a term (its days are each unit's own congress
/// dates, read per unit) or a period that does not resolve (the resolver reports it).
fn compile_stats<'a>(request: &impl Request<'a>, field: &'a Positioned<Field>) -> Option<StatsPlan> {
    let period = request.argument::<PeriodInput>(field, "period", None)?.resolve().ok()?;
    if period.target_period.is_some() && period.is_term() {
        return None;
    }
    let shape = compile_fields(request, &field.node.selection_set, &UnitStats::type_name(), |field| {
        Some(match field.node.name.node.as_str() {
            "__typename" => StatsField::Typename,
            "admissions" => StatsField::Admissions,
            "assignedTarget" => StatsField::Target(TargetKind::Assigned),
            "resolutionTarget" => StatsField::Target(TargetKind::Resolution),
            "attainment" => {
                let against = request.argument(field, "against", Some(|| TargetKind::Assigned))?;
                StatsField::Attainment(against, compile_attainment(request, field)?)
            }
            _ => return None,
        })
    })?;
    Some(StatsPlan { period, shape })
}

fn compile_attainment<'a>(request: &impl Request<'a>, field: &'a Positioned<Field>) -> Option<Shape<AttainmentField>> {
    compile_fields(request, &field.node.selection_set, &Attainment::type_name(), |field| {
        Some(match field.node.name.node.as_str() {
            "__typename" => AttainmentField::Typename,
            "target" => AttainmentField::Target,
            "admissions" => AttainmentField::Admissions,
            "ratio" => AttainmentField::Ratio,
            "percent" => AttainmentField::Percent,
            "difference" => AttainmentField::Difference,
            "exceededByPercent" => AttainmentField::ExceededByPercent,
            _ => return None,
        })
    })
}

/// The fields of `selection` on the type `type_name`, each compiled by `compile`, in the order
/// execution collects them: fragments that apply to the type are seen through, others left out.
/// None when a field or a directive is one a plain row does not answer, or a response key
/// repeats (its selections would be merged).
fn compile_fields<'a, F>(
    request: &impl Request<'a>,
    selection: &'a Positioned<SelectionSet>,
    type_name: &str,
    compile: impl Fn(&'a Positioned<Field>) -> Option<F> + Copy,
) -> Option<Shape<F>> {
    let mut fields = Vec::new();
    collect(request, selection, type_name, compile, &mut fields)?;
    Some(Shape::new(fields))
}

fn collect<'a, F>(
    request: &impl Request<'a>,
    selection: &'a Positioned<SelectionSet>,
    type_name: &str,
    compile: impl Fn(&'a Positioned<Field>) -> Option<F> + Copy,
    fields: &mut Vec<(Name, F)>,
) -> Option<()> {
    for item in &selection.node.items {
        // `@skip` and `@include` were applied before execution began; any other is a custom one.
        if !item.node.directives().is_empty() {
            return None;
        }
        let (condition, inner) = match &item.node {
            Selection::Field(field) => {
                let key = field.node.response_key().node.clone();
                if fields.iter().any(|(asked, _)| *asked == key) {
                    return None;
                }
                fields.push((key, compile(field)?));
                continue;
            }
            Selection::InlineFragment(fragment) => {
                (fragment.node.type_condition.as_ref().map(|c| &c.node.on.node), &fragment.node.selection_set)
            }
            Selection::FragmentSpread(spread) => {
                let fragment = request.fragment(&spread.node.fragment_name.node)?;
                if !fragment.node.directives.is_empty() {
                    return None;
                }
                (Some(&fragment.node.type_condition.node.on.node), &fragment.node.selection_set)
            }
        };
        if condition.is_none_or(|condition| applies(request.registry(), condition, type_name)) {
            collect(request, inner, type_name, compile, fields)?;
        }
    }
    Some(())
}

/// Whether a fragment on `condition` applies to an object of `type_name` (the type itself, an
/// interface it implements, a union it belongs to).
fn applies(registry: &Registry, condition: &str, type_name: &str) -> bool {
    registry.types.get(condition).is_some_and(|ty| ty.is_possible_type(type_name))
}

#[cfg(test)]
mod tests {
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
            &nodes(
                "code name stats(period: { year: $year }) { admissions assignedTarget attainment { ratio percent } }",
            ),
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
        let fields = vec![
            (key("code"), UnitField::Code),
            (key("name"), UnitField::Name),
            (key("stats"), UnitField::Stats(stats)),
        ];
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
        let attainment = Shape::new(vec![
            (key("target"), AttainmentField::Target),
            (key("difference"), AttainmentField::Difference),
        ]);
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
}
