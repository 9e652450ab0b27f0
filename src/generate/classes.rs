//! Awareness classes (lớp bồi dưỡng nhận thức về Đảng): each district's political centre holds one
//! a quarter. Class ids are computed, not looked up, so a candidate's enrolment can name the class
//! of its district and quarter while the people are generated cell by cell.

use chrono::{Datelike, NaiveDate};
use rand::Rng;

use super::out::{Out, Stopped};
use super::plan::{CLASS_QUARTERS, quarter_start};
use super::random::{Stream, plus_days, rng_for};
use super::rows::{CLASSES, V, vocab};
use super::tree::Tree;
use crate::entity::vocabulary::ClassKind;

/// One class.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Class {
    pub id: i64,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

/// Every district's classes, quarter by quarter.
#[derive(Debug)]
pub(crate) struct Classes {
    classes: Vec<Class>,
}

impl Classes {
    /// Draws the classes' dates.
    pub(crate) fn plan(seed: u64, tree: &Tree) -> Classes {
        let mut classes = Vec::with_capacity(tree.districts.len() * CLASS_QUARTERS);
        for (d, _) in tree.districts.iter().enumerate() {
            let mut rng = rng_for(seed, Stream::Classes, d as u64);
            for q in 0..CLASS_QUARTERS {
                let starts_on = plus_days(quarter_start(q), rng.random_range(10..60));
                let id = (classes.len() + 1) as i64;
                classes.push(Class { id, starts_on, ends_on: plus_days(starts_on, 4) });
            }
        }
        Classes { classes }
    }

    /// The class district `district` held in quarter `quarter`, if the history has it.
    pub(crate) fn of(&self, district: usize, quarter: i64) -> Option<Class> {
        let quarter = usize::try_from(quarter).ok().filter(|q| *q < CLASS_QUARTERS)?;
        self.classes.get(district * CLASS_QUARTERS + quarter).copied()
    }

    /// Writes the classes.
    pub(crate) fn write(&self, tree: &Tree, out: &mut Out) -> Result<(), Stopped> {
        for (d, district) in tree.districts.iter().enumerate() {
            for q in 0..CLASS_QUARTERS {
                let class = self.classes[d * CLASS_QUARTERS + q];
                let year = class.starts_on.year();
                out.rows(&CLASSES).push([
                    V::Int(class.id),
                    V::Int(district.id),
                    vocab(ClassKind::Awareness),
                    V::Text(format!("Lớp bồi dưỡng nhận thức về Đảng khóa {}/{year}", q % 4 + 1)),
                    V::Date(class.starts_on),
                    V::Date(class.ends_on),
                    V::Text(format!("Trung tâm Chính trị {}", district.name)),
                    V::Stamp(class.starts_on),
                    V::Stamp(class.starts_on),
                ]);
            }
            out.maybe_flush()?;
        }
        Ok(())
    }
}
