//! The organisation tree: provinces, districts, communes and cells with deterministic codes
//! (`P01`, `P01.D03`, `P01.D03.C012`, `P01.D03.C012.K004`) and ids in level order, their dated
//! ancestry (`unit_closure`: a self row and one row per ancestor, open-ended from the
//! establishment date, as `domain::tree::create` writes them) and their creation events.

use rand::Rng;
use rand::rngs::StdRng;

use super::names::{self, PROVINCES, Region};
use super::out::{Out, Stopped};
use super::plan::{ADMISSION_RATE, ESTABLISHED_ON, ScalePlan};
use super::random::{Stream, pick, rng_for};
use super::rows::{UNIT_CLOSURE, UNIT_EVENTS, UNITS, V, vocab};
use crate::calendar::OPEN_END;
use crate::domain::text::fold;
use crate::entity::vocabulary::{UnitKind, UnitLevel};

/// A province.
#[derive(Debug)]
pub(crate) struct Province {
    pub id: i64,
    pub region: Region,
    pub municipality: bool,
}

/// A district, with the ethnic make-up its people are drawn from.
#[derive(Debug)]
pub(crate) struct District {
    pub id: i64,
    pub province: usize,
    pub name: String,
    pub kind: UnitKind,
    pub mountain: bool,
    /// The share of ethnic minorities among its people.
    pub minority_share: f64,
}

/// A grassroots organisation.
#[derive(Debug)]
pub(crate) struct Commune {
    pub id: i64,
    pub district: usize,
    pub kind: UnitKind,
    /// The cells of the commune, as a range of indexes into `Tree::cells`.
    pub cells: std::ops::Range<usize>,
}

/// A cell, with the size of its membership and how many it admits a year on average.
#[derive(Debug)]
pub(crate) struct Cell {
    pub id: i64,
    pub commune: usize,
    pub district: usize,
    pub kind: UnitKind,
    pub members: f64,
    pub rate: f64,
}

/// The names and codes of the districts, communes and cells while the tree is drawn, level by
/// level, to follow the provinces' in `Tree::labels` once it is.
#[derive(Debug, Default)]
struct Labels {
    districts: Vec<(String, String)>,
    communes: Vec<(String, String)>,
    cells: Vec<(String, String)>,
}

/// The whole tree, ids in level order (provinces, districts, communes, cells).
#[derive(Debug, Default)]
pub(crate) struct Tree {
    pub provinces: Vec<Province>,
    pub districts: Vec<District>,
    pub communes: Vec<Commune>,
    pub cells: Vec<Cell>,
    /// Names and codes, kept only until the units are written.
    labels: Vec<(String, String)>,
}

impl Tree {
    /// Draws the tree of `plan`.
    pub(crate) fn build(seed: u64, plan: &ScalePlan) -> Tree {
        let mut rng = rng_for(seed, Stream::Tree, 0);
        let mut tree = Tree::default();
        let mut labels = Labels::default();
        for (p, (name, region, municipality)) in PROVINCES.iter().take(plan.provinces).enumerate() {
            let province_code = format!("P{:02}", p + 1);
            let word = if *municipality { "thành phố" } else { "tỉnh" };
            tree.labels.push((province_code.clone(), format!("Đảng bộ {word} {name}")));
            tree.provinces.push(Province { id: 0, region: *region, municipality: *municipality });
            let district_count = between(&mut rng, plan.districts_per_province);
            for d in 0..district_count {
                tree.district(&mut rng, plan, &mut labels, p, d, &province_code);
            }
        }
        // Ids in level order: every province, then every district, and so on.
        let mut next = 0;
        let mut id = || {
            next += 1;
            next
        };
        tree.provinces.iter_mut().for_each(|u| u.id = id());
        tree.districts.iter_mut().for_each(|u| u.id = id());
        tree.communes.iter_mut().for_each(|u| u.id = id());
        tree.cells.iter_mut().for_each(|u| u.id = id());
        tree.labels.extend(labels.districts);
        tree.labels.extend(labels.communes);
        tree.labels.extend(labels.cells);
        tree
    }

    /// Draws district `d` of province `p`, with its communes.
    fn district(&mut self, rng: &mut StdRng, plan: &ScalePlan, labels: &mut Labels, p: usize, d: u32, code: &str) {
        let province = &self.provinces[p];
        let (mountain_share, mountain_minority, lowland_minority) = province.region.mountains();
        let kind = district_kind(rng, d, province.municipality);
        let mountain = kind == UnitKind::RuralDistrict && rng.random_bool(mountain_share);
        let (low, high) = if mountain { mountain_minority } else { lowland_minority };
        let district_name = names::place(rng, mountain);
        let district_code = format!("{code}.D{:02}", d + 1);
        labels.districts.push((district_code.clone(), format!("Đảng bộ {} {district_name}", kind_word(kind))));
        let district_index = self.districts.len();
        self.districts.push(District {
            id: 0,
            province: p,
            name: district_name,
            kind,
            mountain,
            minority_share: rng.random_range(low..=high),
        });
        let commune_count = between(rng, plan.communes_per_district);
        for c in 0..commune_count {
            self.commune(rng, plan, labels, district_index, (c, commune_count), &district_code);
        }
    }

    /// Draws commune `c` of the `count` of district `district`, with its cells.
    fn commune(
        &mut self,
        rng: &mut StdRng,
        plan: &ScalePlan,
        labels: &mut Labels,
        district: usize,
        (c, count): (u32, u32),
        code: &str,
    ) {
        let District { kind: district_kind, mountain, ref name, .. } = self.districts[district];
        let kind = commune_kind(rng, district_kind, c, count);
        let commune_name = match kind {
            UnitKind::Agency => format!("Cơ quan {} {name}", kind_word_short(district_kind)),
            UnitKind::ArmedForces => format!("Quân sự {} {name}", kind_word_short(district_kind)),
            _ => names::place(rng, mountain),
        };
        let commune_code = format!("{code}.C{:03}", c + 1);
        let label = match kind_word(kind) {
            "" => format!("Đảng bộ {commune_name}"),
            word => format!("Đảng bộ {word} {commune_name}"),
        };
        labels.communes.push((commune_code.clone(), label));
        let first_cell = self.cells.len();
        let cell_count = between(rng, plan.cells_per_commune);
        for k in 0..cell_count {
            let cell_kind = cell_kind(kind, k, cell_count);
            let members = plan.members_per_cell * size_factor(cell_kind) * rng.random_range(0.5..1.5);
            let rate = members * ADMISSION_RATE * rng.random_range(0.7..1.3);
            let cell_name = cell_name(rng, cell_kind, kind, &commune_name, mountain, k);
            labels.cells.push((format!("{commune_code}.K{:03}", k + 1), cell_name));
            self.cells.push(Cell { id: 0, commune: self.communes.len(), district, kind: cell_kind, members, rate });
        }
        self.communes.push(Commune { id: 0, district, kind, cells: first_cell..self.cells.len() });
    }

    /// How many units.
    pub(crate) fn units(&self) -> usize {
        self.provinces.len() + self.districts.len() + self.communes.len() + self.cells.len()
    }

    /// Writes the units, their closure rows and their creation events, and forgets the labels.
    pub(crate) fn write(&mut self, out: &mut Out) -> Result<(), Stopped> {
        let labels = std::mem::take(&mut self.labels);
        let mut labels = labels.into_iter();
        let mut unit = |out: &mut Out, id: i64, level: UnitLevel, kind: UnitKind, ancestors: &[i64]| {
            let (code, name) = labels.next().unwrap_or_default();
            let parent = ancestors.last().copied();
            out.rows(&UNIT_EVENTS).push([
                V::Int(id),
                V::Int(id),
                V::Static("CREATED"),
                V::Date(ESTABLISHED_ON),
                V::Text(name.clone()),
                V::Text(name.clone()),
                V::Null,
                V::opt_int(parent),
                V::Null,
                V::Stamp(ESTABLISHED_ON),
            ]);
            out.rows(&UNITS).push([
                V::Int(id),
                V::Text(code),
                V::Text(name.clone()),
                V::Text(fold(&name)),
                vocab(level),
                vocab(kind),
                V::opt_int(parent),
                V::Date(ESTABLISHED_ON),
                V::Null,
                V::Null,
                V::Stamp(ESTABLISHED_ON),
                V::Stamp(ESTABLISHED_ON),
            ]);
            let closure = out.rows(&UNIT_CLOSURE);
            for (depth, ancestor) in ancestors.iter().chain([&id]).rev().enumerate() {
                closure.push([
                    V::Int(*ancestor),
                    V::Int(id),
                    V::Int(depth as i64),
                    vocab(level),
                    V::Date(ESTABLISHED_ON),
                    V::Date(OPEN_END),
                ]);
            }
        };
        for province in &self.provinces {
            let kind = if province.municipality { UnitKind::Municipality } else { UnitKind::Province };
            unit(out, province.id, UnitLevel::Province, kind, &[]);
        }
        for district in &self.districts {
            let ancestors = [self.provinces[district.province].id];
            unit(out, district.id, UnitLevel::District, district.kind, &ancestors);
            out.maybe_flush()?;
        }
        for commune in &self.communes {
            let district = &self.districts[commune.district];
            let ancestors = [self.provinces[district.province].id, district.id];
            unit(out, commune.id, UnitLevel::Commune, commune.kind, &ancestors);
            out.maybe_flush()?;
        }
        for cell in &self.cells {
            let commune = &self.communes[cell.commune];
            let district = &self.districts[commune.district];
            let ancestors = [self.provinces[district.province].id, district.id, commune.id];
            unit(out, cell.id, UnitLevel::Cell, cell.kind, &ancestors);
            out.maybe_flush()?;
        }
        Ok(())
    }
}

fn between(rng: &mut StdRng, (low, high): (u32, u32)) -> u32 {
    rng.random_range(low..=high)
}

fn district_kind(rng: &mut StdRng, index: u32, municipality: bool) -> UnitKind {
    match (index, municipality) {
        (0, false) => UnitKind::ProvincialCity,
        (_, true) if rng.random_bool(0.5) => UnitKind::UrbanDistrict,
        _ if rng.random_bool(0.1) => UnitKind::Town,
        _ => UnitKind::RuralDistrict,
    }
}

fn commune_kind(rng: &mut StdRng, district: UnitKind, index: u32, count: u32) -> UnitKind {
    // Larger districts have a grassroots organisation of their agencies and of their armed forces.
    if count >= 10 && index == count - 1 {
        return UnitKind::Agency;
    }
    if count >= 12 && index == count - 2 {
        return UnitKind::ArmedForces;
    }
    match district {
        UnitKind::UrbanDistrict | UnitKind::ProvincialCity => {
            if rng.random_bool(0.8) {
                UnitKind::Ward
            } else {
                UnitKind::Commune
            }
        }
        UnitKind::Town => {
            if rng.random_bool(0.5) {
                UnitKind::Ward
            } else {
                UnitKind::Commune
            }
        }
        _ if index == 0 => UnitKind::Township,
        _ if rng.random_bool(0.02) => UnitKind::School,
        _ if rng.random_bool(0.02) => UnitKind::Enterprise,
        _ => UnitKind::Commune,
    }
}

fn cell_kind(commune: UnitKind, index: u32, count: u32) -> UnitKind {
    const INSTITUTIONS: [UnitKind; 7] = [
        UnitKind::School,
        UnitKind::Police,
        UnitKind::HealthStation,
        UnitKind::Military,
        UnitKind::School,
        UnitKind::School,
        UnitKind::Agency,
    ];
    match commune {
        UnitKind::Agency => UnitKind::Agency,
        UnitKind::School => UnitKind::School,
        UnitKind::Enterprise => UnitKind::Enterprise,
        UnitKind::ArmedForces => {
            if index % 3 == 2 {
                UnitKind::Police
            } else {
                UnitKind::Military
            }
        }
        _ => {
            let institutions = (count / 4).clamp(2, 7);
            if index + institutions < count {
                UnitKind::Village
            } else {
                INSTITUTIONS[(index + institutions - count) as usize]
            }
        }
    }
}

fn size_factor(kind: UnitKind) -> f64 {
    match kind {
        UnitKind::Village => 1.1,
        UnitKind::School | UnitKind::Enterprise => 0.7,
        UnitKind::Police | UnitKind::Military => 0.6,
        UnitKind::HealthStation => 0.4,
        _ => 0.8,
    }
}

fn cell_name(
    rng: &mut StdRng,
    kind: UnitKind,
    commune_kind: UnitKind,
    commune: &str,
    mountain: bool,
    index: u32,
) -> String {
    let commune_word = kind_word_short(commune_kind);
    match kind {
        UnitKind::Village if commune_kind == UnitKind::Ward => format!("Chi bộ khối phố {}", index + 1),
        UnitKind::Village if mountain => format!("Chi bộ bản {}", names::place(rng, true)),
        UnitKind::Village => format!("Chi bộ thôn {}", names::place(rng, false)),
        UnitKind::School if mountain => {
            format!("Chi bộ Trường {} {commune}", pick(rng, &["PTDTBT THCS", "PTDTBT TH", "Mầm non"]))
        }
        UnitKind::School => format!("Chi bộ Trường {} {commune}", pick(rng, &["THCS", "Tiểu học", "Mầm non", "THPT"])),
        UnitKind::Police => format!("Chi bộ Công an {commune_word} {commune}"),
        UnitKind::Military => format!("Chi bộ Quân sự {commune_word} {commune} {}", index + 1),
        UnitKind::HealthStation => format!("Chi bộ Trạm Y tế {commune_word} {commune}"),
        UnitKind::Agency => format!(
            "Chi bộ {} {}",
            pick(
                rng,
                &["Văn phòng", "Phòng Tài chính", "Phòng Giáo dục", "Phòng Nông nghiệp", "Phòng Nội vụ", "Ban Dân vận"]
            ),
            index + 1
        ),
        UnitKind::Enterprise => format!("Chi bộ Phân xưởng {}", index + 1),
        _ => format!("Chi bộ {}", index + 1),
    }
}

fn kind_word(kind: UnitKind) -> &'static str {
    match kind {
        UnitKind::RuralDistrict => "huyện",
        UnitKind::Town => "thị xã",
        UnitKind::ProvincialCity => "thành phố",
        UnitKind::UrbanDistrict => "quận",
        UnitKind::Ward => "phường",
        UnitKind::Township => "thị trấn",
        UnitKind::Commune => "xã",
        UnitKind::School => "Trường",
        UnitKind::Enterprise => "Công ty",
        _ => "",
    }
}

fn kind_word_short(kind: UnitKind) -> &'static str {
    match kind {
        UnitKind::Ward => "phường",
        UnitKind::Township => "thị trấn",
        UnitKind::Town => "thị xã",
        UnitKind::ProvincialCity => "thành phố",
        UnitKind::UrbanDistrict => "quận",
        UnitKind::RuralDistrict => "huyện",
        _ => "xã",
    }
}
