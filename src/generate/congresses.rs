//! Congresses (đại hội) opening each term, for every province, district and commune, at the times
//! of year they are held: grassroots congresses in the spring of 2015, 2020 and 2025, districts'
//! in the summer, provinces' in the autumn (as Directives 36-CT/TW, 35-CT/TW and 45-CT/TW set
//! them) — so a term's figures count from each unit's own congress. Cells hold theirs too, but
//! the reports' terms stop at the grassroots committee, as the targets do.

use chrono::NaiveDate;
use rand::Rng;
use rand::rngs::StdRng;

use super::out::{Out, Stopped};
use super::plan::{HISTORY_END, date_or};
use super::random::{Stream, rng_for};
use super::rows::{CONGRESSES, V};
use super::tree::Tree;

/// The years congresses open terms in: 2015–2020, 2020–2025, 2025–2030.
const TERM_STARTS: [i32; 3] = [2015, 2020, 2025];

/// The months a level holds its congress in, first and last.
const COMMUNE_SEASON: (u32, u32) = (3, 5);
const DISTRICT_SEASON: (u32, u32) = (6, 8);
const PROVINCE_SEASON: (u32, u32) = (9, 10);

/// Writes the congresses held by the end of the history; ids from 1.
pub(crate) fn write(seed: u64, tree: &Tree, out: &mut Out) -> Result<(), Stopped> {
    let mut rng = rng_for(seed, Stream::Congresses, 0);
    let units = tree.provinces.iter().map(|u| (u.id, PROVINCE_SEASON));
    let units = units.chain(tree.districts.iter().map(|u| (u.id, DISTRICT_SEASON)));
    let units = units.chain(tree.communes.iter().map(|u| (u.id, COMMUNE_SEASON)));
    let mut next_id = 0;
    for (unit_id, season) in units {
        for start in TERM_STARTS {
            let held_on = day_in(&mut rng, start, season);
            if held_on > HISTORY_END {
                continue;
            }
            next_id += 1;
            out.rows(&CONGRESSES).push([
                V::Int(next_id),
                V::Int(unit_id),
                V::Int(i64::from(start)),
                V::Int(i64::from(start + 5)),
                V::Date(held_on),
                V::Static("01-NQ/ĐH"),
                V::Null,
                V::Stamp(held_on),
                V::Stamp(held_on),
            ]);
        }
        out.maybe_flush()?;
    }
    Ok(())
}

/// A day of `year` in the months of `season`.
fn day_in(rng: &mut StdRng, year: i32, (first, last): (u32, u32)) -> NaiveDate {
    date_or(year, rng.random_range(first..=last), rng.random_range(1..=28))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_level_holds_its_congress_in_its_season() {
        let mut rng = rng_for(1, Stream::Congresses, 0);
        for _ in 0..100 {
            let spring = day_in(&mut rng, 2020, COMMUNE_SEASON);
            let autumn = day_in(&mut rng, 2020, PROVINCE_SEASON);
            assert!((date_or(2020, 3, 1)..=date_or(2020, 5, 31)).contains(&spring), "{spring}");
            assert!((date_or(2020, 9, 1)..=date_or(2020, 10, 31)).contains(&autumn), "{autumn}");
        }
    }
}
