//! The ministry's request judged: the verdict on its preferred location (`voldoet`,
//! `gemotiveerd`, `niet-gemotiveerd`, `niet-haalbaar`), where it stands beside the best
//! location and the best complying one, and the smallest change of weights that would put it
//! first (a counterfactual explanation, solved as a small linear programme).
//!
//! Endorsement rule (settings.toml `[request]`): a complying preference is endorsed unless it is
//! clearly worse, that is, its score is more than `endorse_gap` below the best location *and* no
//! weights within the robustness band (`robustness.weight_band`) put it first.

use microlp::{ComparisonOp, OptimizationDirection, Problem};

use super::model::{
    Counterfactual, CriterionGain, Departure, Excluded, Nearest, Preference, Ranked, Request,
    Standing, WeightShift,
};
use super::principles::{self, Applying};
use crate::model::{Case, Effect, Lower, World};

/// The largest relative weight change the counterfactual searches (100 = ±10,000%).
const CHANGE_MAX: f64 = 100.0;

/// The margin by which the preference must beat a location to rank above it.
const MARGIN: f64 = 1e-9;

/// What the request is judged from.
pub(crate) struct Inputs<'a> {
    pub world: &'a World,
    pub travel: &'a crate::rail::Travel,
    pub case: &'a Case,
    pub applying: &'a Applying,
    pub ranking: &'a [Ranked],
    pub excluded: &'a [Excluded],
    pub preference: &'a Preference,
    /// The normalised weights of the run.
    pub weights: &'a [f64],
    /// The robustness band of the weights (relative).
    pub band: f64,
}

/// The verdict on the preference and where it stands.
pub(crate) fn judge(x: &Inputs) -> Request {
    let w = x.world;
    let p = x.preference;
    let ranked = x.ranking.iter().find(|r| r.location == p.location);
    let departures = departures(w, x.case, p);
    let excluded = x.excluded.iter().find(|e| e.location == p.location);
    let verdict = match () {
        _ if excluded.is_some() || ranked.is_none() => "niet-haalbaar",
        _ if departures.iter().any(|d| !d.motivated) => "niet-gemotiveerd",
        _ if !departures.is_empty() => "gemotiveerd",
        _ => "voldoet",
    };
    let best = x.ranking.first().filter(|b| b.location != p.location);
    let best_complying = x
        .ranking
        .iter()
        .find(|r| r.location != p.location && complies(w, r));
    let counterfactual = ranked.map(|r| counterfactual(x, r));
    let gap = |b: &Ranked| ranked.map(|r| b.score - r.score);
    let clearly_worse = verdict == "voldoet"
        && best.is_some_and(|b| gap(b).is_some_and(|g| g > w.settings.request.endorse_gap))
        && counterfactual.as_ref().is_none_or(|c| !c.within_band);
    let province_name = |code: &str| {
        w.gemeente_index(code)
            .and_then(|i| w.province(&w.gemeenten[i].province))
            .map_or_else(String::new, |pr| pr.name.clone())
    };
    Request {
        location: p.location.clone(),
        name: p.name.clone(),
        province_name: province_name(&p.location),
        verdict: verdict.into(),
        endorsed: verdict == "voldoet" && !clearly_worse,
        not_endorsed_because: clearly_worse.then(|| "clearly-worse".into()),
        rank: ranked.map(|r| r.rank),
        tier: ranked.map(|r| r.tier),
        score: ranked.map(|r| r.score),
        best: best.map(|b| standing(w, b, ranked)),
        best_complying: best_complying.map(|b| standing(w, b, ranked)),
        departures,
        failures: excluded.map(|e| e.reasons.clone()).unwrap_or_default(),
        nearest_feasible: (verdict == "niet-haalbaar")
            .then(|| nearest(x, &|_| true))
            .flatten(),
        nearest_complying: (verdict == "gemotiveerd")
            .then(|| nearest(x, &|r| r.location != p.location && complies(w, r)))
            .flatten(),
        counterfactual,
    }
}

/// True when a ranked location departs from no principle: it is in no lower tier other than
/// an order's.
fn complies(w: &World, r: &Ranked) -> bool {
    r.lower_tiers
        .iter()
        .all(|t| lower_of(w, &t.principle) == Some(Lower::Order))
}

/// What the lower tier of tier principle `id` means.
fn lower_of(w: &World, id: &str) -> Option<Lower> {
    match &w.principle(id)?.effect {
        Effect::Tier { lower, .. } => Some(*lower),
        _ => None,
    }
}

/// The principles the preference departs from, a principle that `follows` another departed
/// from grouped under it, each with whether the case motivates it.
fn departures(w: &World, case: &Case, p: &Preference) -> Vec<Departure> {
    let departed: Vec<&str> = p
        .items
        .iter()
        .filter(|i| i.verdict == "departs")
        .map(|i| i.principle.as_str())
        .collect();
    let mut out: Vec<Departure> = Vec::new();
    for id in &departed {
        let Some(pr) = w.principle(id) else { continue };
        let motivated = principles::motivated(case, pr);
        match pr.follows.as_deref().filter(|f| departed.contains(f)) {
            Some(parent) => {
                if let Some(d) = out.iter_mut().find(|d| d.principle == parent) {
                    d.grouped.push(pr.id.clone());
                    d.motivated |= motivated;
                }
            }
            None => out.push(Departure {
                principle: pr.id.clone(),
                title: pr.title.clone(),
                motivated,
                grouped: Vec::new(),
            }),
        }
    }
    out
}

/// Another location beside the preference.
fn standing(w: &World, b: &Ranked, pref: Option<&Ranked>) -> Standing {
    Standing {
        location: b.location.clone(),
        name: b.name.clone(),
        province_name: b.province_name.clone(),
        rank: b.rank,
        score: b.score,
        gap: pref.map(|r| b.score - r.score),
        gains: pref.map_or_else(Vec::new, |r| gains(w, b, r)),
    }
}

/// The feasible location nearest to the preference by rail among those `wanted` (ties: the
/// better rank).
fn nearest(x: &Inputs, wanted: &dyn Fn(&Ranked) -> bool) -> Option<Nearest> {
    let from = x.world.gemeente_index(&x.preference.location)?;
    let minutes = |r: &Ranked| {
        x.world
            .gemeente_index(&r.location)
            .and_then(|j| x.travel.minutes(from, j))
    };
    let r = x
        .ranking
        .iter()
        .filter(|r| wanted(r) && minutes(r).is_some())
        .min_by(|a, b| {
            minutes(a)
                .unwrap_or(f64::INFINITY)
                .total_cmp(&minutes(b).unwrap_or(f64::INFINITY))
                .then(a.rank.cmp(&b.rank))
        })
        .or_else(|| x.ranking.iter().find(|r| wanted(r)))?;
    Some(Nearest {
        location: r.location.clone(),
        name: r.name.clone(),
        province_name: r.province_name.clone(),
        rank: r.rank,
        minutes: minutes(r),
    })
}

/// What would put the ranked preference `p` first: nothing (it is), a tier (no weights can),
/// or the smallest relative change of weights.
fn counterfactual(x: &Inputs, p: &Ranked) -> Counterfactual {
    let w = x.world;
    let mut out = Counterfactual {
        kind: "first".into(),
        tier_principle: None,
        tier_title: None,
        change: None,
        within_band: true,
        band: x.band,
        weights: Vec::new(),
    };
    let above: Vec<&Ranked> = x.ranking.iter().take_while(|r| r.rank < p.rank).collect();
    if above.is_empty() {
        return out;
    }
    out.within_band = false;
    // A location above it in a better tier: the tier principle decides, not the weights.
    let key = principles::tier_key(w, x.applying, p);
    let tiers: Vec<&str> = x
        .applying
        .iter(w)
        .filter(|(_, q)| matches!(q.effect, Effect::Tier { .. }))
        .map(|(_, q)| q.id.as_str())
        .collect();
    for r in &above {
        let k = principles::tier_key(w, x.applying, r);
        if let Some(pos) = (0..key.len()).find(|&i| key[i] != k[i]) {
            let id = tiers[pos];
            out.kind = "tier".into();
            out.tier_principle = Some(id.into());
            out.tier_title = w.principle(id).map(|q| q.title.clone());
            return out;
        }
    }
    match smallest_change(x.weights, p, &above) {
        Some((t, shifted)) => {
            out.kind = "weights".into();
            out.change = Some(t);
            out.within_band = t <= x.band + 1e-12;
            out.weights = shifts(w, x.weights, &shifted);
        }
        None => out.kind = "none".into(),
    }
    out
}

/// The criteria whose weight moves, largest move first.
fn shifts(w: &World, from: &[f64], to: &[f64]) -> Vec<WeightShift> {
    let mut out: Vec<WeightShift> = w
        .criteria
        .iter()
        .zip(from.iter().zip(to))
        .filter(|(_, (a, b))| (*a - *b).abs() > 5e-4)
        .map(|(c, (a, b))| WeightShift {
            criterion: c.id.clone(),
            title: c.title.clone(),
            title_en: c.title_en.clone(),
            from: *a,
            to: *b,
        })
        .collect();
    out.sort_by(|a, b| {
        (b.to - b.from)
            .abs()
            .total_cmp(&(a.to - a.from).abs())
            .then(a.criterion.cmp(&b.criterion))
    });
    out
}

/// The smallest `t` such that weights `u` with `|u_k - w_k| <= t w_k`, summing to 1, put `p`
/// above every location of `above`; with those weights. Criteria of weight 0 stay 0. `None`
/// when no such weights exist (up to [`CHANGE_MAX`]).
pub(crate) fn smallest_change(
    weights: &[f64],
    p: &Ranked,
    above: &[&Ranked],
) -> Option<(f64, Vec<f64>)> {
    let active: Vec<usize> = (0..weights.len()).filter(|&k| weights[k] > 0.0).collect();
    if active.is_empty() {
        return None;
    }
    let adjust = |r: &Ranked| r.adjustments.iter().map(|a| a.delta).sum::<f64>();
    let value = |r: &Ranked, k: usize| r.contributions.get(k).map_or(0.0, |c| c.value);
    let mut lp = Problem::new(OptimizationDirection::Minimize);
    let t = lp.add_var(1.0, (0.0, CHANGE_MAX));
    let u: Vec<_> = active
        .iter()
        .map(|_| lp.add_var(0.0, (0.0, f64::INFINITY)))
        .collect();
    lp.add_constraint(
        u.iter().map(|&v| (v, 1.0)).collect::<Vec<_>>(),
        ComparisonOp::Eq,
        1.0,
    );
    for (&k, &v) in active.iter().zip(&u) {
        lp.add_constraint([(v, 1.0), (t, -weights[k])], ComparisonOp::Le, weights[k]);
        lp.add_constraint([(v, 1.0), (t, weights[k])], ComparisonOp::Ge, weights[k]);
    }
    for r in above {
        let row: Vec<_> = active
            .iter()
            .zip(&u)
            .map(|(&k, &v)| (v, value(p, k) - value(r, k)))
            .collect();
        lp.add_constraint(row, ComparisonOp::Ge, adjust(r) - adjust(p) + MARGIN);
    }
    let sol = lp.solve().ok()?.into_solution().ok()?;
    let mut shifted = vec![0.0; weights.len()];
    for (&k, &v) in active.iter().zip(&u) {
        shifted[k] = sol[v].max(0.0);
    }
    Some((sol[t].max(0.0), shifted))
}

/// The (at most three) criteria on which `top` gains most over `next`, largest gain first.
pub(crate) fn gains(world: &World, top: &Ranked, next: &Ranked) -> Vec<CriterionGain> {
    let mut gains: Vec<CriterionGain> = top
        .contributions
        .iter()
        .zip(&next.contributions)
        .filter_map(|(a, b)| {
            let c = world.criteria.iter().find(|c| c.id == a.criterion)?;
            let gain = a.contribution - b.contribution;
            (gain > 1e-9).then(|| CriterionGain {
                criterion: c.id.clone(),
                title: c.title.clone(),
                title_en: c.title_en.clone(),
                gain,
            })
        })
        .collect();
    gains.sort_by(|a, b| {
        b.gain
            .total_cmp(&a.gain)
            .then(a.criterion.cmp(&b.criterion))
    });
    gains.truncate(3);
    gains
}
