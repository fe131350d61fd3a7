//! The pricing problem of the region-pattern bound ([`super::region`]): the most profitable
//! pattern of one region under given profits, a multiple-choice knapsack solved by a dynamic
//! programme on Pareto fronts of FTE against profit. First a front per location (the sets of
//! services it can take within its workplaces, the maximum per location and the region cap),
//! then the fronts combined location by location within the region cap.
//!
//! The search runs this programme tens of thousands of times, so sets are kept as back-pointers
//! instead of copies, and fronts are merged (they stay sorted by FTE) instead of sorted.

use super::{FTE_TOL, Problem};

/// A point of a front: FTE, profit and two back-pointers (their meaning depends on the front).
#[derive(Debug, Clone, Copy)]
struct Item {
    fte: f64,
    gain: f64,
    a: u32,
    b: u32,
}

/// No parent: the empty set.
const NONE: u32 = u32::MAX;

/// A set of pairs with its profit.
#[derive(Debug, Clone)]
pub(super) struct Entry {
    pub(super) gain: f64,
    pub(super) pairs: Vec<(usize, usize)>,
}

/// Appends `e` to a front being built in FTE order (ties: the larger profit first): kept when
/// it earns more than the last point, which it replaces when their FTE is the same.
fn keep(out: &mut Vec<Item>, e: Item) {
    if out.last().is_none_or(|last| e.gain > last.gain) {
        if out.last().is_some_and(|last| e.fte <= last.fte + FTE_TOL) {
            out.pop();
        }
        out.push(e);
    }
}

/// The front of the union of two fronts, each sorted by FTE with profit rising, into `out`.
fn merge(a: &[Item], b: &[Item], out: &mut Vec<Item>) {
    out.clear();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let take_a = j == b.len()
            || (i < a.len()
                && a[i]
                    .fte
                    .total_cmp(&b[j].fte)
                    .then(b[j].gain.total_cmp(&a[i].gain))
                    .is_le());
        if take_a {
            keep(out, a[i]);
            i += 1;
        } else {
            keep(out, b[j]);
            j += 1;
        }
    }
}

/// The largest profit on a front (its last point; profit rises along it).
fn top(front: &[Item]) -> f64 {
    front.last().map_or(0.0, |e| e.gain)
}

/// Merges `grown` into `front` through the scratch buffer `buf`.
fn merge_into(front: &mut Vec<Item>, grown: &[Item], buf: &mut Vec<Item>) {
    merge(front, grown, buf);
    std::mem::swap(front, buf);
}

/// The most profitable pattern of the region made of `locations`: at each location the
/// services fixed there (`forced(l)`) and any free services from `options(l)` (service and
/// profit, positive); `None` when the fixed services do not fit.
pub(super) fn best_pattern(
    p: &Problem,
    locations: &[usize],
    region_cap: f64,
    forced: impl Fn(usize) -> Vec<(usize, f64)>,
    options: impl Fn(usize) -> Vec<(usize, f64)>,
) -> Option<Entry> {
    let mut sets: Vec<(u32, u32)> = Vec::new();
    let mut fronts: Vec<(usize, Vec<Item>)> = Vec::new();
    for &l in locations {
        let fixed = forced(l);
        let opts = options(l);
        if fixed.is_empty() && opts.is_empty() {
            continue;
        }
        let mut start = Item {
            fte: 0.0,
            gain: 0.0,
            a: NONE,
            b: 0,
        };
        for &(s, g) in &fixed {
            sets.push((start.a, s as u32));
            start.a = (sets.len() - 1) as u32;
            start.fte += p.services[s].fte;
            start.gain += g;
        }
        let front = location_front(p, l, region_cap, start, fixed.len(), &opts, &mut sets)?;
        fronts.push((l, front));
    }
    // The most profitable locations first: the bound in `combine` then prunes early.
    fronts.sort_by(|a, b| top(&b.1).total_cmp(&top(&a.1)).then(a.0.cmp(&b.0)));
    combine(&fronts, region_cap, &sets)
}

/// The Pareto front of the sets at `l` that hold `start` (its `held` fixed services) and fit
/// the workplaces, the maximum per location and the region cap; `None` when `start` does not.
/// New sets join `sets` (parent, service).
fn location_front(
    p: &Problem,
    l: usize,
    region_cap: f64,
    start: Item,
    held: usize,
    opts: &[(usize, f64)],
    sets: &mut Vec<(u32, u32)>,
) -> Option<Vec<Item>> {
    let cap = p.capacity[l].unwrap_or(f64::INFINITY).min(region_cap);
    let max = p.max_per_location.unwrap_or(usize::MAX);
    if start.fte > cap + FTE_TOL || held > max {
        return None;
    }
    // Under a maximum per location, one front per number of services joined (sets of the same
    // size compare fairly: whatever joins the one can join the other); else one front.
    let limited = p.max_per_location.is_some();
    let levels = if limited { max - held + 1 } else { 1 };
    let mut fronts: Vec<Vec<Item>> = vec![Vec::new(); levels];
    fronts[0].push(start);
    let (mut grown, mut buf) = (Vec::new(), Vec::new());
    for &(s, g) in opts {
        let f = p.services[s].fte;
        for k in (0..levels).rev() {
            let target = if limited { k + 1 } else { 0 };
            if target == levels {
                continue;
            }
            grown.clear();
            for e in fronts[k].iter().take_while(|e| e.fte + f <= cap + FTE_TOL) {
                sets.push((e.a, s as u32));
                grown.push(Item {
                    fte: e.fte + f,
                    gain: e.gain + g,
                    a: (sets.len() - 1) as u32,
                    b: 0,
                });
            }
            if !grown.is_empty() {
                merge_into(&mut fronts[target], &grown, &mut buf);
            }
        }
    }
    let mut front = std::mem::take(&mut fronts[0]);
    for level in &fronts[1..] {
        merge_into(&mut front, level, &mut buf);
    }
    Some(front)
}

/// The best combination of one point per location front within the region cap: the last point
/// of the combined front (profit rises with FTE along it); `None` when the fixed services alone
/// exceed the cap.
fn combine(fronts: &[(usize, Vec<Item>)], cap: f64, sets: &[(u32, u32)]) -> Option<Entry> {
    // Per stage the combined front; `a` is the point of the previous stage, `b` of the front.
    let mut stages: Vec<Vec<Item>> = Vec::with_capacity(fronts.len());
    let mut current = vec![Item {
        fte: 0.0,
        gain: 0.0,
        a: 0,
        b: 0,
    }];
    // What the fronts after each stage can add at most, and at least with their smallest
    // point (FTE, profit): a point that cannot reach what another surely reaches is dropped.
    let mut most = vec![0.0; fronts.len() + 1];
    let mut least = vec![(0.0, 0.0); fronts.len() + 1];
    for (k, (_, front)) in fronts.iter().enumerate().rev() {
        most[k] = most[k + 1] + top(front);
        let first = front.first().map_or((0.0, 0.0), |e| (e.fte, e.gain));
        least[k] = (least[k + 1].0 + first.0, least[k + 1].1 + first.1);
    }
    let (mut next, mut shifted, mut buf) = (Vec::new(), Vec::new(), Vec::new());
    for (k, (_, front)) in fronts.iter().enumerate() {
        let (rest_fte, rest_gain) = least[k];
        let sure = current
            .iter()
            .filter(|c| c.fte + rest_fte <= cap + FTE_TOL)
            .map(|c| c.gain + rest_gain)
            .fold(f64::NEG_INFINITY, f64::max);
        let reach = most[k];
        let keep_at = |c: &Item| c.gain + reach >= sure - 1e-12 * sure.abs().max(1.0);
        next.clear();
        for (j, e) in front.iter().enumerate() {
            shifted.clear();
            shifted.extend(
                current
                    .iter()
                    .enumerate()
                    .take_while(|(_, c)| c.fte + e.fte <= cap + FTE_TOL)
                    .filter(|(_, c)| keep_at(c))
                    .map(|(i, c)| Item {
                        fte: c.fte + e.fte,
                        gain: c.gain + e.gain,
                        a: i as u32,
                        b: j as u32,
                    }),
            );
            merge_into(&mut next, &shifted, &mut buf);
        }
        if next.is_empty() {
            return None;
        }
        current.clone_from(&next);
        stages.push(std::mem::take(&mut next));
    }
    let last = *current.last()?;
    Some(Entry {
        gain: last.gain,
        pairs: trace_back(&stages, fronts, sets, current.len() - 1),
    })
}

/// The pairs of point `i` of the last stage, followed back through the stages and the sets.
fn trace_back(
    stages: &[Vec<Item>],
    fronts: &[(usize, Vec<Item>)],
    sets: &[(u32, u32)],
    mut i: usize,
) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    for (stage, (l, front)) in stages.iter().zip(fronts).rev() {
        let point = stage[i];
        let mut node = front[point.b as usize].a;
        while node != NONE {
            let (parent, s) = sets[node as usize];
            pairs.push((s as usize, *l));
            node = parent;
        }
        i = point.a as usize;
    }
    pairs.sort_unstable();
    pairs
}

#[cfg(test)]
mod tests {
    use super::super::Service;
    use super::*;

    /// Four services of 100 FTE, two locations in one region, at most two services per
    /// location, no caps (the profits come with each test).
    fn problem() -> Problem {
        let service = Service {
            fte: 100.0,
            scores: vec![Some(1.0), Some(1.0)],
            split: false,
        };
        Problem {
            services: vec![service; 4],
            capacity: vec![None; 2],
            region: vec![0, 0],
            region_cap: vec![None],
            randstad: vec![false; 2],
            max_per_location: Some(2),
            min_outside_share: None,
        }
    }

    #[test]
    fn a_full_location_takes_no_more_services() {
        let p = problem();
        // Services 0 and 1 are fixed at location 0: it is full, so 2 and 3 go to location 1.
        let forced = |l: usize| {
            if l == 0 {
                vec![(0, 1.0), (1, 1.0)]
            } else {
                Vec::new()
            }
        };
        let options = |l: usize| {
            if l == 0 {
                vec![(2, 5.0), (3, 4.0)]
            } else {
                vec![(2, 3.0), (3, 2.0)]
            }
        };
        let e = best_pattern(&p, &[0, 1], f64::INFINITY, forced, options).unwrap();
        assert_eq!(e.pairs, vec![(0, 0), (1, 0), (2, 1), (3, 1)]);
        assert!((e.gain - 7.0).abs() < 1e-12, "{}", e.gain);
    }

    #[test]
    fn the_region_cap_and_the_maximum_per_location_bind_together() {
        let p = problem();
        // Without a cap both locations take two; a cap of 300 FTE keeps the best three.
        let options = |_: usize| vec![(0, 4.0), (1, 3.0), (2, 2.0), (3, 1.0)];
        let free = best_pattern(&p, &[0, 1], f64::INFINITY, |_| Vec::new(), options).unwrap();
        assert_eq!(free.pairs.len(), 4);
        let capped = best_pattern(&p, &[0, 1], 300.0, |_| Vec::new(), options).unwrap();
        assert_eq!(capped.pairs.len(), 3);
        assert!(capped.gain <= 12.0 && capped.gain >= 9.0, "{}", capped.gain);
    }
}
