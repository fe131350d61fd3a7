//! The split of a shrink case's reduction over the current locations.
//!
//! Tier by tier (shrinkage lands in the first tier, the Randstad, first): within a tier in
//! proportion to shrink priority times current FTE (or to shrink priority alone when the FTE per
//! location are not given), capped at each location's current FTE; what a tier cannot take goes
//! to the next. Rounded to 0.1 FTE by the largest remainder (ties to the better-ranked location).

use crate::advice::model::{Flag, Ranked, ShrinkPart, ShrinkSplit};
use crate::model::Case;
use crate::render::words::{Remark, Words};

/// Shares `amount` over `open` locations in proportion to `weight`, capped at `caps` minus what
/// they already have (water-filling: the excess of a capped location goes to the others).
fn water_fill(amount: f64, open: &[usize], weight: &[f64], caps: &[f64], share: &mut [f64]) {
    let mut open = open.to_vec();
    let mut left = amount;
    while left > 1e-9 && !open.is_empty() {
        let wsum: f64 = open.iter().map(|&i| weight[i]).sum();
        let mut next = Vec::new();
        let mut used = 0.0;
        for &i in &open {
            let want = if wsum > 0.0 {
                left * weight[i] / wsum
            } else {
                left / open.len() as f64
            };
            let give = want.min(caps[i] - share[i]);
            share[i] += give;
            used += give;
            if caps[i] - share[i] > 1e-9 {
                next.push(i);
            }
        }
        left -= used;
        if next.len() == open.len() {
            break;
        }
        open = next;
    }
}

/// Rounds shares to units of 0.1 FTE that add up to `total`, by the largest remainder.
fn round_units(total: f64, share: &[f64], caps: &[f64]) -> Vec<i64> {
    let n = share.len();
    let units_total = (total * 10.0).round() as i64;
    let mut units: Vec<i64> = share.iter().map(|s| (s * 10.0).floor() as i64).collect();
    let mut rest = units_total - units.iter().sum::<i64>();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        let ra = share[a] * 10.0 - units[a] as f64;
        let rb = share[b] * 10.0 - units[b] as f64;
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    for &i in order.iter().cycle().take(n * 2) {
        if rest <= 0 {
            break;
        }
        if ((units[i] + 1) as f64) <= caps[i] * 10.0 + 1e-9 {
            units[i] += 1;
            rest -= 1;
        }
    }
    units
}

/// Splits the reduction over the feasible current locations (`ranking`, in shrink order).
pub fn split(words: &Words, case: &Case, ranking: &[Ranked], flags: &mut Vec<Flag>) -> ShrinkSplit {
    let have_fte = !case.current_fte.is_empty()
        && ranking
            .iter()
            .all(|r| case.current_fte.contains_key(&r.location));
    let caps: Vec<f64> = ranking
        .iter()
        .map(|r| {
            if have_fte {
                case.current_fte[&r.location]
            } else {
                f64::INFINITY
            }
        })
        .collect();
    let weight: Vec<f64> = ranking
        .iter()
        .zip(&caps)
        .map(|(r, cap)| r.score.max(0.0) * if have_fte { *cap } else { 1.0 })
        .collect();
    let capacity: f64 = caps.iter().sum();
    let mut total = case.fte;
    if total > capacity {
        let (message, message_nl) = words.say(
            &Remark::new("shrink_exceeds")
                .arg("total", total)
                .arg("capacity", capacity),
        );
        flags.push(Flag {
            by: "engine".into(),
            message,
            message_nl,
        });
        total = capacity;
    }
    let last_tier = ranking.iter().map(|r| r.tier).max().unwrap_or(0);
    let share = shares_by_tier(ranking, total, &weight, &caps);
    let units = round_units(total, &share, &caps);
    let (method, method_nl) = words.say(
        &Remark::new("shrink_method")
            .arg("have_fte", have_fte)
            .arg("tiers", last_tier > 0),
    );
    ShrinkSplit {
        method,
        method_nl,
        total_fte: units.iter().sum::<i64>() as f64 / 10.0,
        parts: ranking
            .iter()
            .zip(&units)
            .map(|(r, u)| ShrinkPart {
                location: r.location.clone(),
                name: r.name.clone(),
                current_fte: case.current_fte.get(&r.location).copied(),
                reduction_fte: *u as f64 / 10.0,
            })
            .collect(),
    }
}

/// The reduction `total` shared out tier by tier, first tier first, each tier filled up to its
/// current FTE before the next takes any.
fn shares_by_tier(ranking: &[Ranked], total: f64, weight: &[f64], caps: &[f64]) -> Vec<f64> {
    let n = ranking.len();
    let mut share = vec![0.0; n];
    let mut left = total;
    let last_tier = ranking.iter().map(|r| r.tier).max().unwrap_or(0);
    for tier in 0..=last_tier {
        let open: Vec<usize> = (0..n).filter(|&i| ranking[i].tier == tier).collect();
        let room: f64 = open.iter().map(|&i| caps[i]).sum();
        let give = left.min(room);
        water_fill(give, &open, weight, caps, &mut share);
        left -= open.iter().map(|&i| share[i]).sum::<f64>();
        if left <= 1e-9 {
            break;
        }
    }
    share
}
