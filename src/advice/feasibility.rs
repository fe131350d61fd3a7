//! When no location meets the hard requirements: the smallest set of requirements that no
//! location meets together (a minimum hitting set over each candidate's failed requirements,
//! found by trying sets in increasing size), and what relaxing each one alone would give.

use super::advise::Engine;
use super::model::{Conflicting, Infeasibility};
use super::principles::{self, Applying};
use crate::model::{Case, CaseKind, Effect, Missing};
use crate::render::words::Remark;
use crate::rules::Facts;

/// The largest number of requirements searched for a conflicting set (2^16 subsets).
const ATOMS_MAX: usize = 16;

/// One hard requirement, as a location can fail it.
#[derive(Debug, Clone)]
enum Atom {
    /// The case's rail minutes to a gemeente (index, code, maximum).
    Minutes(usize, f64),
    /// The case's minimum station class.
    Station(f64),
    /// The case's excluded locations.
    Excluded,
    /// A relocation's current location.
    Current,
    /// An applying principle's requirement (index into the principles).
    Principle(usize),
    /// A criterion whose missing figure excludes (index into the criteria).
    Data(usize),
}

impl Engine {
    /// Why no candidate is feasible: the smallest conflicting set of requirements. `None` when
    /// some candidate meets them all, or when there is no candidate at all.
    pub(crate) fn infeasibility(
        &self,
        case: &Case,
        applying: &Applying,
        base: &Facts,
        retention: &[Option<f64>],
        candidates: &[usize],
    ) -> Option<Infeasibility> {
        let atoms = self.atoms(case, applying);
        let fails: Vec<Vec<bool>> = candidates
            .iter()
            .map(|&i| {
                let facts = self.location_facts(case, base, i, true, retention);
                atoms
                    .iter()
                    .map(|a| self.fails(case, a, i, &facts))
                    .collect()
            })
            .collect();
        // Requirements some candidate fails, in their order: those can be in a conflict.
        let live: Vec<usize> = (0..atoms.len())
            .filter(|&a| fails.iter().any(|f| f[a]))
            .take(ATOMS_MAX)
            .collect();
        if candidates.is_empty() || fails.iter().any(|f| f.iter().all(|x| !x)) {
            return None;
        }
        let conflict = smallest_conflict(&fails, &live)?;
        let items = conflict
            .iter()
            .map(|&a| self.conflicting(case, &atoms, a, &fails, candidates))
            .collect();
        Some(Infeasibility {
            conflict: items,
            candidates: candidates.len(),
        })
    }

    /// Every hard requirement of the case and its applying principles, one by one.
    fn atoms(&self, case: &Case, applying: &Applying) -> Vec<Atom> {
        let w = &self.world;
        let r = &case.requirements;
        let mut atoms: Vec<Atom> = r
            .max_rail_minutes
            .iter()
            .filter_map(|(to, m)| Some(Atom::Minutes(w.gemeente_index(to)?, *m)))
            .collect();
        atoms.extend(r.min_station_class.map(Atom::Station));
        if !r.exclude_locations.is_empty() {
            atoms.push(Atom::Excluded);
        }
        if case.kind == CaseKind::Relocation {
            atoms.push(Atom::Current);
        }
        for (k, p) in applying.iter(w) {
            if let Effect::Require { target } = &p.effect
                && !principles::is_case_requirement(target)
            {
                atoms.push(Atom::Principle(k));
            }
        }
        for (k, c) in w.criteria.iter().enumerate() {
            if c.missing == Missing::Exclude {
                atoms.push(Atom::Data(k));
            }
        }
        atoms
    }

    /// True when location `i` (with `facts`) fails requirement `a`.
    fn fails(&self, case: &Case, a: &Atom, i: usize, facts: &Facts) -> bool {
        let w = &self.world;
        let code = &w.gemeenten[i].code;
        match a {
            Atom::Minutes(j, max) => self.travel.minutes(i, *j).is_none_or(|m| m > *max),
            Atom::Station(min) => self.station_class[i] < *min,
            Atom::Excluded => case.requirements.exclude_locations.contains(code),
            Atom::Current => {
                case.current_locations.contains(code) && !self.is_reference(case, facts)
            }
            Atom::Principle(k) => match &w.principles[*k].effect {
                Effect::Require { target } => !target.eval(facts),
                _ => false,
            },
            Atom::Data(k) => {
                let c = &w.criteria[*k];
                c.applies.as_ref().is_none_or(|p| p.eval(facts))
                    && facts.number(c.attribute).is_none()
            }
        }
    }

    /// True when a principle keeps this current location as the reference of a relocation.
    fn is_reference(&self, case: &Case, facts: &Facts) -> bool {
        let base = self.case_facts(case);
        Applying::new(&self.world, case, &[], &base)
            .iter(&self.world)
            .any(|(_, p)| {
                matches!(&p.effect, Effect::Tier { target, keeps_current: true, .. } if target.eval(facts))
            })
    }

    /// One requirement of the conflict in words, and what relaxing it alone would give: the
    /// candidates that fail no other requirement.
    fn conflicting(
        &self,
        case: &Case,
        atoms: &[Atom],
        a: usize,
        fails: &[Vec<bool>],
        candidates: &[usize],
    ) -> Conflicting {
        let w = &self.world;
        let only: Vec<usize> = candidates
            .iter()
            .zip(fails)
            .filter(|(_, f)| f.iter().enumerate().all(|(b, x)| b == a || !x))
            .map(|(&i, _)| i)
            .collect();
        let biggest = only.iter().copied().max_by(|&x, &y| {
            w.gemeenten[x]
                .population
                .total_cmp(&w.gemeenten[y].population)
                .then(y.cmp(&x))
        });
        let (requirement, relaxed) = match &atoms[a] {
            Atom::Minutes(j, max) => {
                let to = &w.gemeenten[*j].name;
                let closest = only
                    .iter()
                    .filter_map(|&i| self.travel.minutes(i, *j).map(|m| (m, i)))
                    .min_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
                (
                    Remark::new("req_minutes").arg("to", to).arg("max", max),
                    match closest {
                        Some((m, i)) => Remark::new("relax_minutes")
                            .arg("to", to)
                            .arg("minutes", m.ceil())
                            .arg("name", &w.gemeenten[i].name)
                            .arg("randstad", w.in_randstad(&w.gemeenten[i].province)),
                        None => Remark::new("relax_none"),
                    },
                )
            }
            Atom::Station(min) => {
                let best = only
                    .iter()
                    .map(|&i| (self.station_class[i], i))
                    .max_by(|x, y| x.0.total_cmp(&y.0).then(y.1.cmp(&x.1)));
                (
                    Remark::new("req_station").arg("min", min),
                    match best {
                        Some((c, i)) => Remark::new("relax_station")
                            .arg("class", c)
                            .arg("name", &w.gemeenten[i].name)
                            .arg("randstad", w.in_randstad(&w.gemeenten[i].province)),
                        None => Remark::new("relax_none"),
                    },
                )
            }
            other => (
                match other {
                    Atom::Excluded => Remark::new("req_excluded")
                        .arg("n", case.requirements.exclude_locations.len()),
                    Atom::Current => Remark::new("req_current"),
                    Atom::Principle(k) => {
                        Remark::new("req_principle").arg("title", &w.principles[*k].title)
                    }
                    Atom::Data(k) => Remark::new("req_data")
                        .arg("title", &w.criteria[*k].title)
                        .arg("title_en", &w.criteria[*k].title_en),
                    Atom::Minutes(..) | Atom::Station(_) => unreachable!("handled above"),
                },
                match biggest {
                    Some(i) => Remark::new("relax_other")
                        .arg("n", only.len())
                        .arg("name", &w.gemeenten[i].name)
                        .arg("randstad", w.in_randstad(&w.gemeenten[i].province)),
                    None => Remark::new("relax_none"),
                },
            ),
        };
        let (requirement, requirement_nl) = self.words.say(&requirement);
        let (relaxed, relaxed_nl) = self.words.say(&relaxed);
        Conflicting {
            by: match &atoms[a] {
                Atom::Principle(k) => w.principles[*k].id.clone(),
                Atom::Data(k) => w.criteria[*k].id.clone(),
                Atom::Current => "engine".into(),
                _ => "primair-proces".into(),
            },
            requirement,
            requirement_nl,
            relaxed,
            relaxed_nl,
            feasible_without: only.len(),
        }
    }
}

/// The smallest set of requirements (indices into `live`'s atoms) that every candidate fails at
/// least one of: sets are tried in increasing size, in lexicographic order, so the result is
/// deterministic.
fn smallest_conflict(fails: &[Vec<bool>], live: &[usize]) -> Option<Vec<usize>> {
    let n = live.len();
    let mut masks: Vec<u32> = (1..(1u32 << n)).collect();
    masks.sort_by_key(|m| (m.count_ones(), m.reverse_bits()));
    masks.into_iter().find_map(|m| {
        let set: Vec<usize> = (0..n)
            .filter(|b| m & (1 << b) != 0)
            .map(|b| live[b])
            .collect();
        fails
            .iter()
            .all(|f| set.iter().any(|&a| f[a]))
            .then_some(set)
    })
}
