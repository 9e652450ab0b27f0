//! Admission targets (chỉ tiêu): for every province, district and commune, each year's assigned
//! target and the unit's own, higher resolution target, and the same per term (2015–2020,
//! 2020–2025, 2025–2030). Each is drawn around the admissions the unit's cells are expected to
//! make (×0.8–1.25), so attainment spreads around 100 %; a few units have no targets, and a few
//! years lack one, as in real records. Cells get none: the articles' targets stop at the
//! grassroots committee.

use rand::Rng;
use rand::rngs::StdRng;

use super::out::{Out, Stopped};
use super::plan::{FIRST_YEAR, LAST_YEAR, year_factor};
use super::random::{Stream, rng_for};
use super::rows::{TARGETS, V, vocab};
use super::tree::Tree;
use crate::entity::vocabulary::{TargetKind, TargetPeriodKind};

/// The terms (nhiệm kỳ) targets are set for, by the years of their names.
const TERMS: [(i32, i32); 3] = [(2015, 2020), (2020, 2025), (2025, 2030)];

/// Writes the targets; ids from 1.
pub(crate) fn write(seed: u64, tree: &Tree, out: &mut Out) -> Result<(), Stopped> {
    let mut rng = rng_for(seed, Stream::Targets, 0);
    // Expected admissions a year (at the mean pace) of each unit: the sum over its cells.
    let mut provinces = vec![0.0; tree.provinces.len()];
    let mut districts = vec![0.0; tree.districts.len()];
    let mut communes = vec![0.0; tree.communes.len()];
    for cell in &tree.cells {
        communes[cell.commune] += cell.rate;
        districts[cell.district] += cell.rate;
        provinces[tree.districts[cell.district].province] += cell.rate;
    }
    let mut next_id = 0;
    let units = tree.provinces.iter().zip(&provinces).map(|(u, e)| (u.id, *e, false));
    let units = units.chain(tree.districts.iter().zip(&districts).map(|(u, e)| (u.id, *e, true)));
    let units = units.chain(tree.communes.iter().zip(&communes).map(|(u, e)| (u.id, *e, true)));
    for (unit_id, expected, may_lack) in units {
        if may_lack && rng.random_bool(0.05) {
            continue;
        }
        for year in FIRST_YEAR..=LAST_YEAR {
            if may_lack && rng.random_bool(0.02) {
                continue;
            }
            let period = (TargetPeriodKind::Year, year, year);
            push(out, &mut rng, &mut next_id, unit_id, period, expected * full_year_factor(year));
        }
        for (start, end) in TERMS {
            // A term "2020–2025" covers the five years 2021–2025.
            let years = (start + 1)..=end;
            let expected_term: f64 = years.map(|y| expected * full_year_factor(y)).sum();
            push(out, &mut rng, &mut next_id, unit_id, (TargetPeriodKind::Term, start, end), expected_term);
        }
        out.maybe_flush()?;
    }
    Ok(())
}

/// The pace of a whole year: a target is for the whole year, the year in progress (and the years
/// after the history) included.
fn full_year_factor(year: i32) -> f64 {
    if year >= LAST_YEAR { 1.0 } else { year_factor(year) }
}

fn push(
    out: &mut Out,
    rng: &mut StdRng,
    next_id: &mut i64,
    unit_id: i64,
    (period_kind, start_year, end_year): (TargetPeriodKind, i32, i32),
    expected: f64,
) {
    let assigned = (expected * rng.random_range(0.8..1.25)).round().max(1.0);
    let resolution = (assigned * rng.random_range(1.0..1.2)).round();
    let set_on = super::plan::date_or(start_year, 1, 15);
    let mut row = |kind: TargetKind, value: f64| {
        *next_id += 1;
        out.rows(&TARGETS).push([
            V::Int(*next_id),
            V::Int(unit_id),
            vocab(kind),
            vocab(period_kind),
            V::Int(i64::from(start_year)),
            V::Int(i64::from(end_year)),
            V::Int(value as i64),
            V::Stamp(set_on),
            V::Stamp(set_on),
        ]);
    };
    row(TargetKind::Assigned, assigned);
    // Not every unit adopts its own resolution target.
    if rng.random_bool(0.85) {
        row(TargetKind::Resolution, resolution);
    }
}
