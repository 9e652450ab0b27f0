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
mod tests;
